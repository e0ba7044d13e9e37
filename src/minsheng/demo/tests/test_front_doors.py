"""The demo shows the citizens' doors: a call with suggestions, co-signs and an answer; sealed
accusations (a desk-registered one too); a decided online grievance the printed code opens."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from minsheng.accusations.models import Accusation
from minsheng.petitions.models import Nature, Petitioner
from minsheng.suggestions.models import Campaign, CoSign, Suggestion

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_front_doors_and_prints_codes_that_open_them(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed-demo", "--petitions", "40", "--seed", "5")
    out = capsys.readouterr().out

    campaign = Campaign.objects.get()
    assert Suggestion.objects.filter(campaign=campaign, published_at__isnull=False).count() == 4
    assert CoSign.objects.count() == 20 and Suggestion.objects.filter(status="answered").count() == 1
    # Every accusation, from the portal or the desk, keeps who accused out of the petition.
    accusations = Accusation.objects.select_related("petition")
    assert accusations.filter(is_anonymous=True).exists() and accusations.filter(is_anonymous=False).exists()
    assert not Petitioner.objects.filter(petition__nature=Nature.ACCUSATION).exclude(name="").exists()

    client = Client()
    query = re.search(r"query code (\S+) \+ phone last four (\d{4}) \((\S+):", out)
    assert query, out
    response = client.post(reverse("portal:follow"), {"code": query[1], "phone_last4": query[2]}, follow=True)
    assert "信访处理意见书" in response.content.decode() and query[3] in response.content.decode()
    receipt = re.search(r"receipt (\S+) \(anonymous", out)
    assert receipt, out
    response = client.post(reverse("accuse:follow"), {"code": receipt[1]}, follow=True)
    assert "请问索要加急费的具体日期和窗口号" in response.content.decode()
