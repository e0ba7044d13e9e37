"""Every page of the three doors reads in English when the visitor chooses English."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import staff_login
from minsheng.accusations.services import (
    AccusationInput,
    ReporterInput,
    accusation_ask,
    accusation_file,
    identity_access_request,
)
from minsheng.core.actors import Actor
from minsheng.portal.tests.helpers import grievance_form
from minsheng.suggestions.services import SuggestionInput, campaign_publish, suggestion_publish, suggestion_submit

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_in(html: str) -> list[str]:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text).replace("简体中文", "")  # the switcher names Chinese in Chinese
    return re.findall(r".{0,30}[\u4e00-\u9fff]+.{0,30}", text)[:5]


@pytest.fixture
def english(client: Client, org: Any) -> Client:
    for item in [*vars(org.units).values(), *vars(org.regions).values()]:
        item.name_en = "Named in English"
        item.save()
    from minsheng.petitions.models import Category

    for category in Category.objects.all():
        category.name_en = category.name_en or "Category"
        category.save()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_the_public_pages_are_english(english: Client, org: Any) -> None:
    today = timezone.localdate()
    campaign = campaign_publish(
        actor=Actor.staff(org.leader), title="Lifts", description="Lifts", opens_on=today, closes_on=today
    )
    suggestion = suggestion_submit(
        data=SuggestionInput(
            title="Lifts",
            grounds="g",
            measures="m",
            name="Wang",
            phone="13500135000",
            campaign=campaign,
            allow_public=True,
        )
    ).suggestion
    suggestion_publish(actor=Actor.staff(org.leader), suggestion=suggestion)
    pages = {
        name: english.get(reverse(name)).content.decode()
        for name in (
            "portal:home",
            "portal:choose",
            "portal:guide",
            "portal:follow",
            "accuse:start",
            "accuse:file",
            "accuse:follow",
            "suggestions:home",
            "suggestions:submit",
            "suggestions:follow",
            "suggestions:stats",
        )
    }
    pages["route"] = english.get(reverse("portal:guide"), {"route": "litigation"}).content.decode()
    pages["form"] = english.get(reverse("portal:file", args=["grievance"]), {"guidance": "none"}).content.decode()
    pages["campaign"] = english.get(reverse("suggestions:campaign", args=[campaign.pk])).content.decode()
    pages["detail"] = english.get(reverse("suggestions:detail", args=[suggestion.number])).content.decode()
    pages["errors"] = english.post(
        reverse("portal:file", args=["grievance"]), grievance_form(org, title="", request="", facts="", region="")
    ).content.decode()
    filed = english.post(
        reverse("portal:file", args=["grievance"]),
        grievance_form(org, title="Noise", request="Stop it", facts="Loud", name="Zhang", home_address="Road 1"),
        follow=True,
    )
    pages["filed"] = filed.content.decode()
    for name, html in pages.items():
        assert chinese_in(html) == [], name


def test_the_staff_pages_of_the_doors_are_english(english: Client, org: Any) -> None:
    accusation = accusation_file(
        data=AccusationInput(
            title="Bribe",
            request="Investigate",
            facts="Facts",
            region=org.regions.a,
            anonymous=False,
            reporter=ReporterInput(name="Reporter"),
            accused_units=[org.units.housing_a],
        ),
        declared_truthful=True,
    ).accusation
    accusation_ask(actor=Actor.staff(org.registrar_a), accusation=accusation, body="When?")
    identity_access_request(actor=Actor.staff(org.reviewer_a), accusation=accusation, reason="Need the receipt copy")
    today = timezone.localdate()
    campaign = campaign_publish(
        actor=Actor.staff(org.leader), title="Lifts", description="Lifts", opens_on=today, closes_on=today
    )
    suggestion = suggestion_submit(
        data=SuggestionInput(
            title="Lifts", grounds="g", measures="m", name="Wang", phone="13500135000", campaign=campaign
        )
    ).suggestion
    pages = {}
    staff_login(english, org.registrar_a)
    pages["list"] = english.get(reverse("accusations:list")).content.decode()
    pages["detail"] = english.get(reverse("accusations:detail", args=[accusation.pk])).content.decode()
    staff_login(english, org.custodian)
    pages["requests"] = english.get(reverse("accusations:requests")).content.decode()
    staff_login(english, org.leader)
    for name in ("suggestions_staff:list", "suggestions_staff:campaign_new", "suggestions_staff:stats"):
        pages[name] = english.get(reverse(name)).content.decode()
    pages["suggestion"] = english.get(reverse("suggestions_staff:detail", args=[suggestion.pk])).content.decode()
    for name, html in pages.items():
        assert chinese_in(html) == [], name
