"""Bounded intake over real HTTP: a burst beyond a key's or an address's budget gets 429, creates nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from minsheng.api import auth
from minsheng.api.tests.live import make_system
from minsheng.api.tests.test_public_api import PETITIONS, submission
from minsheng.core.ratelimit import Limit
from minsheng.petitions.models import Petition

# The start of a one-minute window, so a burst cannot straddle two windows; the clock still ticks.
WINDOW_START = dt.datetime(2026, 3, 2, 10, 0, 1, tzinfo=dt.UTC)


def test_a_burst_beyond_the_keys_budget_gets_429_and_creates_nothing_more(http: Any, transactional_org: Any) -> None:
    small = make_system(transactional_org.units.a, "乡镇热线", rate_limit=5)
    with time_machine.travel(WINDOW_START, tick=True):
        responses = [http.post(PETITIONS, json=submission(f"B-{n}"), headers=small.headers) for n in range(8)]

    assert [r.status_code for r in responses] == [201] * 5 + [429] * 3
    refused = responses[-1]
    assert refused.json() == {"code": "rate_limited", "message": refused.json()["message"]}
    assert "每 1 分钟最多 5 次" in refused.json()["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert Petition.objects.count() == 5
    assert sorted(Petition.objects.values_list("source_ref", flat=True)) == [f"B-{n}" for n in range(5)]


def test_the_budget_opens_again_in_the_next_window(http: Any, transactional_org: Any) -> None:
    small = make_system(transactional_org.units.a, "乡镇热线", rate_limit=1)
    with time_machine.travel(WINDOW_START, tick=False) as clock:
        first = http.post(PETITIONS, json=submission("N-1"), headers=small.headers)
        refused = http.post(PETITIONS, json=submission("N-2"), headers=small.headers)
        clock.shift(60)
        later = http.post(PETITIONS, json=submission("N-2"), headers=small.headers)

    assert (first.status_code, refused.status_code, later.status_code) == (201, 429, 201)
    assert refused.headers["Retry-After"] == "60"
    assert Petition.objects.count() == 2


def test_a_burst_from_one_address_gets_429_whatever_the_keys(
    http: Any, transactional_org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "ADDRESS_LIMIT", Limit(scope="api:address", limit=4, window_seconds=60))
    one = make_system(transactional_org.units.a, "系统一")
    two = make_system(transactional_org.units.b, "系统二")
    with time_machine.travel(WINDOW_START, tick=True):
        responses = [
            http.post(PETITIONS, json=submission(f"A-{n}"), headers=(one if n % 2 else two).headers) for n in range(6)
        ]
        # guessing keys from the same address is refused before any key is looked at
        guess = http.get(PETITIONS, headers={"X-API-Key": "msk_guess"})

    assert [r.status_code for r in responses] == [201] * 4 + [429] * 2
    assert "每 1 分钟最多 4 次" in responses[-1].json()["message"]
    assert guess.status_code == 429
    assert Petition.objects.count() == 4
