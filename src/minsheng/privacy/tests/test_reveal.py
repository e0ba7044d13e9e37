"""Full personal data only through a reveal with a reason, recorded; supervisors see who looked."""

from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from conftest import VALID_ID, staff_login
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_verify
from minsheng.core.errors import NotAllowed, ValidationError
from minsheng.core.models import AuditRecord
from minsheng.core.testing.faults import audit_writes_fail
from minsheng.privacy.models import RevealLog
from minsheng.privacy.services import petitioner_reveal

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


@pytest.fixture
def petitioner(org: Any, register: Any) -> Any:
    return register(org.units.a, actor=Actor.staff(org.registrar_a)).petition.petitioners.get()


def reveal_url(petitioner: Any) -> str:
    return reverse("privacy:reveal", args=[petitioner.pk])


def test_the_case_page_masks_and_offers_the_reveal(client: Client, org: Any, petitioner: Any) -> None:
    page = staff_login(client, org.registrar_a).get(reverse("workbench:petition", args=[petitioner.petition_id]))
    html = page.content.decode()
    assert "110105********0038" in html and "138****8000" in html
    assert VALID_ID not in html and PHONE not in html and "五一大道1号" not in html
    assert reveal_url(petitioner) in html


def test_the_reveal_page_stays_masked_until_a_reason_is_given(client: Client, org: Any, petitioner: Any) -> None:
    staff_login(client, org.registrar_a)
    assert VALID_ID not in client.get(reveal_url(petitioner)).content.decode()
    response = client.post(reveal_url(petitioner), {"reason": ""})
    assert VALID_ID not in response.content.decode() and "请选择" in response.content.decode()
    assert not RevealLog.objects.exists()


def test_a_reveal_with_a_reason_shows_everything_and_records_who_when_why(
    client: Client, org: Any, petitioner: Any
) -> None:
    staff_login(client, org.registrar_a)
    response = client.post(reveal_url(petitioner), {"reason": "contact", "detail": "电话告知受理结果"})
    html = response.content.decode()
    assert VALID_ID in html and PHONE in html and "芙蓉区五一大道1号" in html
    assert "no-store" in response["Cache-Control"]
    log = RevealLog.objects.get()
    assert (log.user, log.unit, log.petitioner, log.reason, log.detail) == (
        org.registrar_a,
        org.units.a,
        petitioner,
        "contact",
        "电话告知受理结果",
    )
    audit = AuditRecord.objects.get(seq=log.audit_seq)
    assert (audit.action, audit.object_type, audit.object_id, audit.actor_id) == (
        "petitioner.reveal",
        "petitioner",
        str(petitioner.pk),
        org.registrar_a.pk,
    )
    assert audit.data == {
        "petition": petitioner.petition_id,
        "reason": "contact",
        "fields": ["id_number", "phone", "address"],
    }
    assert "电话告知" not in str(audit.data)  # ids and codes only in the chain
    assert audit_verify().ok


def test_other_needs_a_written_reason(org: Any, petitioner: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        petitioner_reveal(actor=Actor.staff(org.registrar_a), petitioner=petitioner, reason="other", detail="")
    assert "请写明理由" in str(caught.value.message_dict["detail"])
    assert not RevealLog.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "supervisor", "custodian", "admin"])
def test_roles_that_work_on_figures_and_records_may_not_reveal(org: Any, petitioner: Any, persona: str) -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(NotAllowed):
        petitioner_reveal(actor=Actor.staff(getattr(org, persona)), petitioner=petitioner, reason="contact")
    assert AuditRecord.objects.count() == before and not RevealLog.objects.exists()


def test_the_refusal_is_shown_on_the_page(client: Client, org: Any, petitioner: Any) -> None:
    staff_login(client, org.supervisor)
    response = client.post(reveal_url(petitioner), {"reason": "contact"})
    assert response.status_code == 200 and "不能查看信访人的完整个人信息" in response.content.decode()
    assert VALID_ID not in response.content.decode()


def test_if_the_audit_row_cannot_be_written_nothing_is_revealed(org: Any, petitioner: Any) -> None:
    with audit_writes_fail(), pytest.raises(DatabaseError):
        petitioner_reveal(actor=Actor.staff(org.registrar_a), petitioner=petitioner, reason="contact")
    assert not RevealLog.objects.exists()


def test_supervisors_see_who_looked_when_and_why(client: Client, org: Any, petitioner: Any) -> None:
    petitioner_reveal(actor=Actor.staff(org.registrar_a), petitioner=petitioner, reason="other", detail="核对重复信访")
    staff_login(client, org.supervisor)
    listing = client.get(reverse("privacy:reveals")).content.decode()
    case_page = client.get(reverse("workbench:petition", args=[petitioner.petition_id])).content.decode()
    for html in (listing, case_page):
        assert "registrar_a" in html and "核对重复信访" in html and "其他" in html
        assert VALID_ID not in html


def test_those_who_do_not_supervise_do_not_see_the_log(client: Client, org: Any, petitioner: Any) -> None:
    petitioner_reveal(actor=Actor.staff(org.registrar_a), petitioner=petitioner, reason="contact")
    staff_login(client, org.handler_a)
    assert client.get(reverse("privacy:reveals")).status_code == 404
    staff_login(client, org.registrar_a)
    assert (
        "个人信息查看记录"
        not in client.get(reverse("workbench:petition", args=[petitioner.petition_id])).content.decode()
    )


def test_a_supervisor_of_another_county_sees_nothing_of_it(client: Client, org: Any, register: Any) -> None:
    from minsheng.orgs.roles import Role
    from minsheng.orgs.services import user_create

    petitioner = register(org.units.b).petition.petitioners.get()
    petitioner_reveal(actor=Actor.staff(org.city_registrar), petitioner=petitioner, reason="contact")
    supervisor_a = user_create(
        actor=Actor.system("t"),
        username="sup_a",
        password=None,
        full_name="",
        unit=org.units.a,
        roles=[Role.SUPERVISOR],
    )
    staff_login(client, supervisor_a)
    assert "city_registrar" not in client.get(reverse("privacy:reveals")).content.decode()
