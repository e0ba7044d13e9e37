"""Filing an accusation: anonymous or named, a receipt code that is the only way back in, the
identity sealed in the accusation alone, received by a bureau no accused unit contains."""

import math
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from minsheng.accusations.models import Accusation, AccusedUnit, ReportMessage
from minsheng.accusations.receipts import ALPHABET, LOCATOR_LENGTH, SECRET_LENGTH, parse_receipt
from minsheng.core.models import AuditRecord
from minsheng.petitions.models import Petition, Petitioner
from minsheng.portal.tests.helpers import RECEIPT_CODE, accusation_form, code_in

pytestmark = pytest.mark.django_db
FILE = reverse("accuse:file")


def file(client: Client, org: Any, **overrides: Any) -> tuple[Accusation, str]:
    response = client.post(FILE, accusation_form(org, **overrides), follow=True)
    assert response.redirect_chain, response.context["form"].errors if response.context else response
    return Accusation.objects.select_related("petition").latest("created_at"), code_in(
        response.content.decode(), RECEIPT_CODE
    )


def test_the_receipt_code_has_at_least_128_random_bits_and_only_an_argon2_hash_is_kept(
    client: Client, org: Any
) -> None:
    accusation, code = file(client, org)
    assert SECRET_LENGTH * math.log2(len(ALPHABET)) >= 128
    receipt = parse_receipt(code)
    assert receipt is not None and receipt.locator == accusation.locator and len(receipt.secret) == SECRET_LENGTH
    assert accusation.receipt_hash.startswith("$argon2id$")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accusations_accusation")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert receipt.secret not in stored and code not in stored
    assert len(accusation.locator) == LOCATOR_LENGTH


def test_an_anonymous_accusation_keeps_no_identity_anywhere(client: Client, org: Any) -> None:
    accusation, _code = file(client, org, reporter_name="不该保存的名字")
    petition = accusation.petition
    assert accusation.is_anonymous and not accusation.has_identity
    assert petition.nature == "accusation" and petition.channel == "online"
    petitioner = Petitioner.objects.get(petition=petition)
    assert (petitioner.name, petitioner.phone, petitioner.id_number, petitioner.address) == ("", "", "", "")
    assert petition.identity_incomplete


def test_a_named_accuser_is_sealed_in_the_accusation_not_the_petition(client: Client, org: Any) -> None:
    accusation, _code = file(
        client,
        org,
        anonymous="0",
        reporter_name="实名检举人",
        reporter_phone="13700137000",
        reporter_id_number="110105194912310038",
        reporter_address="芙蓉区检举路1号",
    )
    assert not accusation.is_anonymous and accusation.reporter_name == "实名检举人"
    assert Petitioner.objects.get(petition=accusation.petition).name == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone, reporter_id_number FROM accusations_accusation")
        raw = cursor.fetchone()
    assert all(value.startswith("v1$") for value in raw)
    assert "13700137000" not in " ".join(raw)
    # audit rows name no one
    assert not AuditRecord.objects.filter(data__icontains="实名检举人").exists()


def test_a_named_accusation_needs_a_name(client: Client, org: Any) -> None:
    response = client.post(FILE, accusation_form(org, anonymous="0"))
    assert "实名检举请填写姓名" in response.content.decode()
    assert not Accusation.objects.exists() and not Petition.objects.exists()


def test_it_is_received_by_the_nearest_bureau_that_no_accused_unit_contains(client: Client, org: Any) -> None:
    accusation, _code = file(client, org, accused_unit=str(org.units.housing_a.pk))
    assert accusation.petition.handling_unit == org.units.a  # the county bureau is above the housing bureau
    assert list(AccusedUnit.objects.values_list("unit", flat=True)) == [org.units.housing_a.pk]
    # an accusation against the county bureau itself goes to the city bureau
    accusation, _code = file(client, org, accused_unit=str(org.units.a.pk))
    assert accusation.petition.handling_unit == org.units.city


def test_the_petitions_own_query_code_does_not_open_an_accusation(client: Client, org: Any) -> None:
    from minsheng.portal.follow import petition_by_code

    accusation, code = file(client, org)
    assert petition_by_code(code=code, phone_last4="") is None
    assert client.get(reverse("portal:follow_detail", args=[accusation.petition.number])).status_code == 302


def test_the_reporter_follows_up_with_the_receipt_code_and_answers_a_question(client: Client, org: Any) -> None:
    from minsheng.accusations.services import accusation_ask
    from minsheng.core.actors import Actor

    accusation, code = file(client, org)
    accusation_ask(actor=Actor.staff(org.registrar_a), accusation=accusation, body="请问具体是哪一天？")
    client.cookies.clear()
    detail = reverse("accuse:follow_detail", args=[accusation.locator])
    assert client.get(detail).status_code == 302  # the locator alone opens nothing
    response = client.post(reverse("accuse:follow"), {"code": code.replace("-", " ").lower()}, follow=True)
    page = response.content.decode()
    assert "请问具体是哪一天？" in page and "芙蓉区信访局" in page and "registrar_a" not in page
    client.post(detail, {"body": "是2月14日上午。"})
    reply = ReportMessage.objects.get(from_reporter=True)
    assert reply.body == "是2月14日上午。" and reply.author is None
    assert AuditRecord.objects.filter(action="accusation.reply", object_id=str(accusation.pk)).exists()


@pytest.mark.parametrize("code", ["", "ABCD", "0000-0000-0000-0000-0000-0000-0000-0000-0000"])
def test_a_wrong_receipt_code_opens_nothing(client: Client, org: Any, code: str) -> None:
    file(client, org)
    response = client.post(reverse("accuse:follow"), {"code": code})
    assert response.status_code == 200 and "回执码不正确" in response.content.decode()


def test_a_right_locator_with_a_wrong_secret_opens_nothing(client: Client, org: Any) -> None:
    accusation, code = file(client, org)
    client.cookies.clear()  # another browser: the filing one has it unlocked
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.post(reverse("accuse:follow"), {"code": wrong})
    assert "回执码不正确" in response.content.decode()
    assert client.get(reverse("accuse:follow_detail", args=[accusation.locator])).status_code == 302


def test_the_reporter_can_lock_the_page_again(client: Client, org: Any) -> None:
    accusation, _code = file(client, org)
    detail = reverse("accuse:follow_detail", args=[accusation.locator])
    assert client.get(detail).status_code == 200
    client.post(detail, {"lock": "1"})
    assert client.get(detail).status_code == 302


def test_an_unticked_declaration_is_named_together_with_every_other_fault(client: Client, org: Any) -> None:
    response = client.post(FILE, accusation_form(org, truthful=None, facts=""))
    assert {"truthful", "facts"} <= set(response.context["form"].errors)
    assert not Accusation.objects.exists()
