"""The sign-in, account and privacy pages in English show no Chinese interface text."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.accounts.testing import TEST_PASSWORD, ensure_totp_device
from minsheng.core.actors import Actor
from minsheng.petitions.services import PetitionerInput
from minsheng.privacy.services import petitioner_reveal

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_text(html: str) -> list[str]:
    text = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text).replace("简体中文", "")
    return re.findall(r".{0,30}[\u4e00-\u9fff]+.{0,30}", text)


@pytest.fixture
def english(client: Client, org: Any) -> Client:
    for item in [*vars(org.units).values(), *vars(org.regions).values()]:
        item.name_en = "Named in English"
        item.save()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_sign_in_pages_in_english(english: Client, org: Any) -> None:
    pages = [english.get(reverse("login"))]
    english.post(reverse("login"), {"username": "handler_a", "password": TEST_PASSWORD})
    pages.append(english.get(reverse("login_enrol")))
    english.post(reverse("login"), {"username": "registrar_a", "password": "wrong"})
    ensure_totp_device(org.registrar_a)
    english.post(reverse("login"), {"username": "registrar_a", "password": TEST_PASSWORD})
    pages.append(english.get(reverse("login_verify")))
    pages.append(english.post(reverse("login_verify"), {"code": "000000"}))
    for attempt in range(20):
        english.post(reverse("login"), {"username": "locked_user", "password": f"wrong{attempt}"})
    pages.append(english.post(reverse("login"), {"username": "locked_user", "password": "wrong"}))
    assert pages[-1].status_code == 429
    for page in pages:
        assert chinese_text(page.content.decode()) == []


def test_account_and_privacy_pages_in_english(english: Client, org: Any, register: Any) -> None:
    petition = register(
        org.units.a,
        title="Street lights out",
        request="Fix them.",
        facts="Dark since May.",
        petitioners=[PetitionerInput(name="Zhang San", id_number="110105194912310038", address="No. 1 Wuyi Road")],
    ).petition
    petitioner = petition.petitioners.get()
    petitioner_reveal(actor=Actor.staff(org.registrar_a), petitioner=petitioner, reason="other", detail="Check")
    staff_login(english, org.registrar_a)
    pages = [
        english.get(reverse("account_security")),
        english.post(reverse("account_security")),
        english.get(reverse("privacy:reveal", args=[petitioner.pk])),
        english.post(reverse("privacy:reveal", args=[petitioner.pk]), {"reason": "contact"}),
        english.post(reverse("privacy:exports"), {}, follow=True),
        english.get(reverse("workbench:petition", args=[petition.pk])),
    ]
    staff_login(english, org.supervisor)
    pages += [english.get(reverse("privacy:reveals")), english.get(reverse("workbench:petition", args=[petition.pk]))]
    for page in pages:
        assert chinese_text(page.content.decode()) == []
