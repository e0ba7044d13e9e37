"""The accuser's identity: hidden from every handler; a reasoned request; only a custodian grants;
every grant and every view is an audit row."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from conftest import VALID_ID, staff_login
from minsheng.accusations.models import Accusation, IdentityAccessRequest
from minsheng.accusations.services import (
    AccusationInput,
    ReporterInput,
    accusation_file,
    identity_access_decide,
    identity_access_request,
    identity_reveal,
)
from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, NotAllowed, ValidationError
from minsheng.core.models import AuditRecord
from minsheng.orgs.roles import Role
from minsheng.orgs.services import user_create

pytestmark = pytest.mark.django_db
REASON = "需要检举人提供原始收据复印件，留言两周未获回复。"


@pytest.fixture
def accusation(org: Any) -> Accusation:
    return accusation_file(
        data=AccusationInput(
            title="检举",
            request="请求查处",
            facts="事实",
            region=org.regions.a,
            anonymous=False,
            reporter=ReporterInput(name="检举人甲", id_number=VALID_ID, phone="13600136000", address="芙蓉区"),
            accused_units=[org.units.housing_a],
        ),
        declared_truthful=True,
    ).accusation


def staff(user: Any) -> Actor:
    return Actor.staff(user)


def test_no_handler_sees_the_identity_on_any_page(client: Client, org: Any, accusation: Accusation) -> None:
    for user in (org.registrar_a, org.reviewer_a, org.city_registrar, org.custodian):
        staff_login(client, user)
        for url in (
            reverse("accusations:detail", args=[accusation.pk]),
            reverse("workbench:petition", args=[accusation.pk]),
        ):
            page = client.get(url).content.decode()
            assert "检举人甲" not in page and "13600136000" not in page and "136****6000" not in page


def test_a_handler_requests_a_custodian_grants_and_each_view_is_logged(
    client: Client, org: Any, accusation: Accusation
) -> None:
    request = identity_access_request(actor=staff(org.registrar_a), accusation=accusation, reason=REASON)
    with pytest.raises(NotAllowed):
        identity_reveal(actor=staff(org.registrar_a), accusation=accusation)
    granted = identity_access_decide(actor=staff(org.custodian), request=request, grant=True)
    assert granted.status == "granted" and granted.decided_by == org.custodian and granted.valid_until
    identity = identity_reveal(actor=staff(org.registrar_a), accusation=accusation)
    assert identity.name == "检举人甲" and identity.phone == "13600136000"
    identity_reveal(actor=staff(org.registrar_a), accusation=accusation)
    actions = list(
        AuditRecord.objects.filter(object_type="accusation", object_id=str(accusation.pk)).values_list(
            "action", "actor_id"
        )
    )
    assert ("accusation.identity_request", org.registrar_a.pk) in actions
    assert ("accusation.identity_grant", org.custodian.pk) in actions
    assert actions.count(("accusation.identity_view", org.registrar_a.pk)) == 2
    # audit rows carry ids, never the name or the reason
    assert not AuditRecord.objects.filter(data__icontains="检举人甲").exists()
    assert not AuditRecord.objects.filter(data__icontains="收据").exists()


def test_the_grant_is_personal_and_expires(org: Any, accusation: Accusation) -> None:
    request = identity_access_request(actor=staff(org.registrar_a), accusation=accusation, reason=REASON)
    identity_access_decide(actor=staff(org.custodian), request=request, grant=True)
    with pytest.raises(NotAllowed):
        identity_reveal(actor=staff(org.reviewer_a), accusation=accusation)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8)), pytest.raises(NotAllowed):
        identity_reveal(actor=staff(org.registrar_a), accusation=accusation)


def test_only_a_custodian_decides_never_on_their_own_request(org: Any, accusation: Accusation) -> None:
    request = identity_access_request(actor=staff(org.registrar_a), accusation=accusation, reason=REASON)
    for user in (org.registrar_a, org.city_registrar, org.admin, org.leader):
        with pytest.raises(NotAllowed):
            identity_access_decide(actor=staff(user), request=request, grant=True)
    both = user_create(
        actor=Actor.system("test"),
        username="both",
        password=None,
        full_name="both",
        unit=org.units.a,
        roles=[Role.REGISTRAR, Role.CUSTODIAN],
    )
    own = identity_access_request(actor=staff(both), accusation=accusation, reason=REASON)
    with pytest.raises(NotAllowed):
        identity_access_decide(actor=staff(both), request=own, grant=True)
    # and the database refuses it too
    with pytest.raises(IntegrityError):
        IdentityAccessRequest.objects.filter(pk=own.pk).update(decided_by=both)


def test_a_refusal_needs_a_reason_and_a_decision_is_final(org: Any, accusation: Accusation) -> None:
    request = identity_access_request(actor=staff(org.registrar_a), accusation=accusation, reason=REASON)
    with pytest.raises(ValidationError):
        identity_access_decide(actor=staff(org.custodian), request=request, grant=False)
    identity_access_decide(actor=staff(org.custodian), request=request, grant=False, note="可继续通过留言联系。")
    with pytest.raises(Conflict):
        identity_access_decide(actor=staff(org.custodian), request=request, grant=True)
    with pytest.raises(NotAllowed):
        identity_reveal(actor=staff(org.registrar_a), accusation=accusation)


def test_a_request_needs_a_real_reason_and_an_identity_to_see(org: Any, accusation: Accusation) -> None:
    with pytest.raises(ValidationError):
        identity_access_request(actor=staff(org.registrar_a), accusation=accusation, reason="看看")
    anonymous = accusation_file(
        data=AccusationInput(title="检举", request="请求", facts="事实", region=org.regions.a), declared_truthful=True
    ).accusation
    with pytest.raises(Conflict):
        identity_access_request(actor=staff(org.registrar_a), accusation=anonymous, reason=REASON)
    with pytest.raises(NotAllowed):
        identity_access_request(actor=staff(org.analyst), accusation=accusation, reason=REASON)


def test_the_whole_flow_through_the_pages(client: Client, org: Any, accusation: Accusation) -> None:
    detail = reverse("accusations:detail", args=[accusation.pk])
    staff_login(client, org.registrar_a)
    client.post(reverse("accusations:request_identity", args=[accusation.pk]), {"reason": REASON})
    request = IdentityAccessRequest.objects.get()
    assert "等待身份保管人决定" in client.get(detail).content.decode()

    staff_login(client, org.custodian)
    queue = client.get(reverse("accusations:requests")).content.decode()
    assert REASON in queue and "检举人甲" not in queue
    client.post(reverse("accusations:decide", args=[request.pk]), {"decision": "grant"})

    staff_login(client, org.registrar_a)
    assert "检举人甲" not in client.get(detail).content.decode()  # shown only on the explicit view
    revealed = client.post(reverse("accusations:reveal", args=[accusation.pk]))
    assert "检举人甲" in revealed.content.decode() and revealed["Cache-Control"] == "no-store"
    assert AuditRecord.objects.filter(action="accusation.identity_view").count() == 1


def test_a_custodian_sees_only_requests_in_their_scope(client: Client, org: Any, accusation: Accusation) -> None:
    request = identity_access_request(actor=staff(org.registrar_a), accusation=accusation, reason=REASON)
    county_b_custodian = user_create(
        actor=Actor.system("test"),
        username="custodian_b",
        password=None,
        full_name="custodian_b",
        unit=org.units.b,
        roles=[Role.CUSTODIAN],
    )
    staff_login(client, county_b_custodian)
    assert REASON not in client.get(reverse("accusations:requests")).content.decode()
    assert client.post(reverse("accusations:decide", args=[request.pk]), {"decision": "grant"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
