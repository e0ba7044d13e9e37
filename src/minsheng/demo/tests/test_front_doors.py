"""The demo shows the citizens' doors: a call with suggestions, co-signs and an answer; sealed
accusations (a desk-registered one too); a decided online grievance the printed code opens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


def test_seed_demo_sends_its_messages_into_the_demo_log_not_under_the_banner(
    capsys: pytest.CaptureFixture[str], settings: Any, tmp_path: Path, transactional_db: None
) -> None:
    # A transactional test: the seed's own commit is real, so what it sends goes out at that moment.
    settings.MINSHENG_DATA_DIR = str(tmp_path)  # no routing data: no training queued (inline here)
    call_command("seed-demo", "--petitions", "40", "--seed", "5")
    out = capsys.readouterr().out

    assert "附议验证码" not in out and "demo: the citizens' doors" in out
    log = (Path(settings.VAR_DIR) / "demo-notices.log").read_text(encoding="utf-8")
    assert log.count("附议验证码") == CoSign.objects.count() == 20
