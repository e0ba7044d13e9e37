"""What the petitioner sees in every state: plain words, the unit responsible now, the next date,
public events only, and never a staff member's name or an internal note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from minsheng.workflow import services as wf
from minsheng.workflow.public import petitioner_view
from minsheng.workflow.tests.conftest import staff

pytestmark = pytest.mark.django_db


def test_a_registered_petition_shows_the_bureau_and_the_triage_date(flow: Any) -> None:
    view = petitioner_view(flow.registered())
    assert view.status == "registered" and view.responsible_unit == "芙蓉区信访局"
    assert "正在依法分流" in view.summary
    assert view.next_deadline is not None and view.next_deadline.due == dt.date(2026, 3, 17)
    assert [e.action for e in view.events] == ["register"]


def test_an_accepted_petition_names_the_handling_unit_and_the_handling_period(flow: Any) -> None:
    view = petitioner_view(flow.accepted())
    assert view.responsible_unit == "芙蓉区住房和城乡建设局" and "已受理" in view.summary
    assert view.next_deadline is not None and view.next_deadline.step == "handle"
    assert view.next_deadline.due == dt.date(2026, 5, 6)
    assert {n.kind for n in view.notices} == {"forwarding", "acceptance"}


def test_after_the_decision_the_petitioner_sees_where_and_until_when_to_ask_for_review(flow: Any) -> None:
    view = petitioner_view(flow.decided(delivered_on=dt.date(2026, 3, 2)))
    assert view.your_deadline is not None and view.your_deadline.due == dt.date(2026, 4, 1)
    assert "2026-04-01前向芙蓉区信访局请求复查" in view.summary
    assert [d.kind for d in view.documents] == ["decision"]


def test_internal_steps_and_staff_names_never_reach_the_petitioner(flow: Any) -> None:
    org = flow.org
    petition = flow.accepted()
    wf.case_record_progress(
        actor=staff(org.handler_a), petition=petition, kind="investigated", content="内部：约谈当事人。"
    )
    wf.case_report_urgent(actor=staff(org.handler_a), petition=petition, summary="内部：情绪激动。")
    view = petitioner_view(petition)
    text = repr(view)
    assert "record_progress" not in text and "report_urgent" not in text and "内部" not in text
    for person in ("registrar_a", "handler_a"):
        assert person not in text


@pytest.mark.parametrize(
    ("walk", "expected"),
    [
        ("review_requested", "正在复查"),
        ("reviewed", "请求复核"),
        ("rereview_requested", "正在复核"),
        ("closed_after_rereview", "不再受理"),
    ],
)
def test_every_later_state_reads_in_plain_words(flow: Any, walk: str, expected: str) -> None:
    view = petitioner_view(getattr(flow, walk)())
    assert expected in view.summary and view.summary


def test_not_accepted_withdrawn_and_merged_read_in_plain_words(flow: Any) -> None:
    org = flow.org
    declined = flow.forwarded()
    wf.case_decline(
        actor=staff(org.handler_a),
        petition=declined,
        channel="arbitration",
        where="劳动人事争议仲裁委员会",
        reason="劳动争议。",
    )
    declined.refresh_from_db()
    assert "劳动人事争议仲裁委员会" in petitioner_view(declined).summary
    withdrawn = flow.registered()
    wf.case_withdraw(actor=staff(org.registrar_a), petition=withdrawn, reason="申请撤回。")
    withdrawn.refresh_from_db()
    assert petitioner_view(withdrawn).closed and "撤回" in petitioner_view(withdrawn).summary
    earlier = flow.accepted()
    repeat = flow.registered()
    wf.case_merge(actor=staff(org.registrar_a), petition=repeat, into=earlier.number)
    repeat.refresh_from_db()
    assert earlier.number in petitioner_view(repeat).summary


def test_the_view_follows_the_readers_language(flow: Any) -> None:
    petition = flow.registered()
    with translation.override("en"):
        view = petitioner_view(petition)
    assert "is triaging it" in view.summary and view.status_label == "Registered, to triage"
