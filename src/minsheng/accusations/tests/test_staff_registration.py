"""An accusation received by letter, visit or phone is sealed as the portal's are (R22 Art. 30 ¶3,
46(5)): the identity the registrar took down goes only into the encrypted Accusation, the petition
names no one, handlers see it only after a custodian's grant, and each grant and view is logged.
The reporter gets a receipt code to follow up like an online reporter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import VALID_ID, staff_login
from minsheng.accusations.models import Accusation
from minsheng.accusations.services import identity_access_decide, identity_access_request
from minsheng.core.actors import Actor
from minsheng.core.models import AuditRecord
from minsheng.petitions.models import Petition, Petitioner
from minsheng.portal.tests.helpers import RECEIPT_CODE

pytestmark = pytest.mark.django_db
NAME, PHONE, ADDRESS = "赵检举", "13912347561", "芙蓉区解放路99号"


def letter(**overrides: Any) -> dict[str, Any]:
    data = {
        "channel": "letter",
        "nature": "accusation",
        "title": "检举住建局审批科索要好处费",
        "request": "请求依法调查处理。",
        "facts": "2026年2月，审批科工作人员要求另付两千元“加急费”。",
        "persons_count": "1",
        "p-TOTAL_FORMS": "1",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "1",
        "p-MAX_NUM_FORMS": "50",
        "p-0-name": NAME,
        "p-0-id_number": VALID_ID,
        "p-0-phone": PHONE,
        "p-0-address": ADDRESS,
    }
    data.update(overrides)
    return data


def register_letter(client: Client, org: Any) -> tuple[Accusation, str, str]:
    response = staff_login(client, org.registrar_a).post(reverse("workbench:register"), letter(), follow=True)
    html = response.content.decode()
    accusation = Accusation.objects.get()
    assert response.redirect_chain[-1][0] == reverse("accusations:detail", args=[accusation.pk])
    found = RECEIPT_CODE.search(html)
    assert found, "the receipt code is shown once to hand to the reporter"
    return accusation, found.group(0), html


def test_the_identity_is_sealed_in_the_accusation_and_the_petition_names_no_one(client: Client, org: Any) -> None:
    accusation, _receipt, html = register_letter(client, org)
    assert (accusation.reporter_name, accusation.reporter_phone, accusation.reporter_address) == (NAME, PHONE, ADDRESS)
    assert accusation.reporter_id_number == VALID_ID and not accusation.is_anonymous
    petition = accusation.petition
    assert petition.channel == "letter" and petition.nature == "accusation"
    [row] = Petitioner.objects.filter(petition=petition)
    assert (row.name, row.phone, row.id_number, row.address) == ("", "", "", "")
    # Encrypted at rest: the database row holds none of it in clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone FROM accusations_accusation")
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert NAME not in stored and PHONE not in stored
    for text in (html, client.get(reverse("workbench:petition", args=[petition.pk])).content.decode()):
        assert NAME not in text and PHONE not in text and ADDRESS not in text and PHONE[-4:] not in text


def test_a_handler_sees_it_only_after_the_custodian_grants_and_each_step_is_logged(client: Client, org: Any) -> None:
    accusation, _receipt, _html = register_letter(client, org)
    staff_login(client, org.reviewer_a)
    reveal = reverse("accusations:reveal", args=[accusation.pk])
    assert NAME not in client.post(reveal, follow=True).content.decode()
    request = identity_access_request(
        actor=Actor.staff(org.reviewer_a), accusation=accusation, reason="需要检举人提供收据原件，书面联系未果。"
    )
    identity_access_decide(actor=Actor.staff(org.custodian), request=request, grant=True)
    assert NAME in client.post(reveal).content.decode()
    actions = list(
        AuditRecord.objects.filter(object_type="accusation", object_id=str(accusation.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[0] == "accusation.register"
    assert {"accusation.identity_request", "accusation.identity_grant", "accusation.identity_view"} <= set(actions)


def test_the_reporter_follows_up_with_the_receipt_code(client: Client, org: Any) -> None:
    accusation, receipt, _html = register_letter(client, org)
    citizen = Client()
    response = citizen.post(reverse("accuse:follow"), {"code": receipt}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accuse:follow_detail", args=[accusation.locator])
    assert "检举住建局审批科索要好处费" in response.content.decode()


def test_an_anonymous_letter_is_registered_as_anonymous(client: Client, org: Any) -> None:
    staff_login(client, org.registrar_a).post(
        reverse("workbench:register"),
        letter(**{"p-0-name": "", "p-0-id_number": "", "p-0-phone": "", "p-0-address": ""}),
    )
    accusation = Accusation.objects.get()
    assert accusation.is_anonymous and not accusation.has_identity


def test_bad_input_is_refused_field_by_field_and_nothing_is_registered(client: Client, org: Any) -> None:
    response = staff_login(client, org.registrar_a).post(
        reverse("workbench:register"), letter(**{"p-0-phone": "12345", "title": ""})
    )
    html = response.content.decode()
    assert response.status_code == 200 and "请填写标题" in html and re.search("手机|电话", html)
    assert not Petition.objects.exists() and not Accusation.objects.exists()


def test_other_natures_are_registered_as_before(client: Client, org: Any) -> None:
    staff_login(client, org.registrar_a).post(reverse("workbench:register"), letter(nature="grievance"))
    petition = Petition.objects.get()
    assert petition.petitioners.get().name == NAME and not Accusation.objects.exists()
