"""Workflow test helpers: a pinned clock and a walk of a petition through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from minsheng.core.actors import Actor
from minsheng.workflow import services as wf

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in an ordinary stretch of 2026 (no holiday within a month either side).
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


class Clock:
    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller

    def to(self, day: dt.date | str, hour: int = 10) -> None:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        self._traveller.move_to(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI))

    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate()


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Each test starts in the default language: a page request in English (LocaleMiddleware)
    leaves English active in the thread, which would leak into the next test."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Tests run on a fixed day (2026-03-02) so their dates never depend on when CI runs."""
    with time_machine.travel(START, tick=False) as traveller:
        yield Clock(traveller)


def staff(user: Any) -> Actor:
    return Actor.staff(user)


class Flow:
    """Moves a petition through the procedure with the fixture's personas, as people would."""

    def __init__(self, org: SimpleNamespace, register: Any) -> None:
        self.org = org
        self._register = register

    def registered(self, unit: Any = None, **overrides: Any) -> Any:
        return self._register(unit or self.org.units.a, staff(self.org.registrar_a), **overrides).petition

    def forwarded(self, petition: Any = None, **kwargs: Any) -> Any:
        petition = petition or self.registered()
        kwargs.setdefault("to_unit", self.org.units.housing_a)
        return wf.case_forward(actor=staff(self.org.registrar_a), petition=petition, **kwargs).petition

    def accepted(self, petition: Any = None) -> Any:
        petition = petition or self.forwarded()
        return wf.case_accept(actor=staff(self.org.handler_a), petition=petition).petition

    def decided(self, petition: Any = None, delivered_on: dt.date | None = None, outcome: str = "not_support") -> Any:
        petition = petition or self.accepted()
        return wf.case_decide(
            actor=staff(self.org.handler_a),
            petition=petition,
            outcome=outcome,
            request="请求依法整治小区门口的占道经营。",
            facts="经现场核查，占道经营点已纳入夜市规划管理。",
            opinion="对请求取缔全部摊点不予支持，已责令规范经营时间。",
            legal_basis="《城市市容和环境卫生管理条例》第十四条",
            delivered_on=delivered_on,
        ).petition

    def review_requested(self, petition: Any = None, requested_on: dt.date | None = None) -> Any:
        if petition is None:
            from django.utils import timezone

            petition = self.decided(delivered_on=timezone.localdate())
        return wf.case_request_review(
            actor=staff(self.org.reviewer_a), petition=petition, grounds="不服处理意见。", requested_on=requested_on
        ).petition

    def reviewed(self, petition: Any = None, delivered_on: dt.date | None = None) -> Any:
        from django.utils import timezone

        petition = petition or self.review_requested()
        return wf.case_decide_review(
            actor=staff(self.org.reviewer_a),
            petition=petition,
            outcome="uphold",
            facts="原处理意见认定事实清楚。",
            opinion="维持原处理意见。",
            legal_basis="《信访工作条例》第三十五条",
            delivered_on=delivered_on or timezone.localdate(),
        ).petition

    def rereview_requested(self, petition: Any = None) -> Any:
        petition = petition or self.reviewed()
        return wf.case_request_rereview(
            actor=staff(self.org.city_reviewer), petition=petition, grounds="不服复查意见。"
        ).petition

    def closed_after_rereview(self, petition: Any = None) -> Any:
        petition = petition or self.rereview_requested()
        return wf.case_decide_rereview(
            actor=staff(self.org.city_reviewer),
            petition=petition,
            outcome="uphold",
            facts="复查意见认定事实清楚。",
            opinion="维持复查意见。",
            legal_basis="《信访工作条例》第三十六条",
        ).petition


@pytest.fixture
def flow(org: SimpleNamespace, register: Any, clock: Clock) -> Flow:
    return Flow(org, register)
