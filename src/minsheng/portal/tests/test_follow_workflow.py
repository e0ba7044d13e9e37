"""The follow page after the office has acted: the next deadline and its derivation, the written
decision as a download, the rating, and review / re-review asked online within their windows
(R22 Art. 32, 35, 36) through the workflow's own transition services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, ValidationError
from minsheng.petitions.models import Petition
from minsheng.portal.models import Rating
from minsheng.portal.services import rating_submit
from minsheng.portal.tests.helpers import code_in, grievance_form
from minsheng.workflow import services as wf
from minsheng.workflow.models import Case, Decision
from minsheng.workflow.states import Status

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock() -> Iterator[Any]:
    # A Monday with no holiday within two months: the dates below are plain arithmetic.
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def filed(client: Client, org: Any, clock: Any) -> Petition:
    """Filed online; then the visitor comes back with the code and phone (the page unlocked)."""
    response = client.post(reverse("portal:file", args=["grievance"]), grievance_form(org), follow=True)
    code = code_in(response.content.decode())
    client.cookies.clear()
    petition = Petition.objects.get()
    petition.code = code  # type: ignore[attr-defined]
    unlock(client, petition)
    return petition


def unlock(client: Client, petition: Any) -> None:
    """Open the page with the query code (again: an unlock lasts 30 minutes)."""
    response = client.post(reverse("portal:follow"), {"code": petition.code, "phone_last4": "8000"})
    assert response.status_code == 302


def accept(org: Any, petition: Petition) -> None:
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)


def decide(org: Any, petition: Petition, delivered_on: dt.date | None) -> Decision:
    wf.case_decide(
        actor=Actor.staff(org.handler_a),
        petition=petition,
        outcome="not_support",
        request=petition.request,
        facts="经现场核查，占道经营点已纳入夜市规划管理。",
        opinion="对请求取缔全部摊点不予支持，已责令规范经营时间。",
        legal_basis="《城市市容和环境卫生管理条例》第十四条",
        delivered_on=delivered_on,
    )
    return Decision.objects.get(case__petition=petition)


def page(client: Client, petition: Petition) -> str:
    response = client.get(reverse("portal:follow_detail", args=[petition.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_next_deadline_with_its_derivation_and_the_unit(client: Client, org: Any, filed: Any) -> None:
    html = page(client, filed)
    # Registered 2026-03-02: triage within 15 days (R22 Art. 22).
    assert "2026-03-17 = 收到 2026-03-02 + 15日（R22 第二十二条）" in html and "芙蓉区信访局" in html
    accept(org, filed)
    html = page(client, filed)
    assert "芙蓉区住房和城乡建设局" in html and "data-next-deadline" in html
    # Accepted 2026-03-02: concluded within 60 days (R22 Art. 34); 2026-05-01 falls in the May
    # Day holiday, so the period runs on to the next working day (Civil Code Art. 203).
    assert "2026-05-06 = 受理日 2026-03-02 + 60日（R22 第三十四条）" in html and "顺延至2026-05-06" in html


def test_the_decision_downloads_as_a_pdf_attachment(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decision = decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    html = page(client, filed)
    url = reverse("portal:follow_document", args=[filed.number, decision.pk])
    assert url in html and "信访处理意见书" in html
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and response.content.startswith(b"%PDF")
    # Another visitor, without the code, gets nothing.
    stranger = Client()
    assert stranger.get(url).status_code == 404


def test_a_poor_rating_offers_the_review_which_goes_to_the_body_above(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decision = decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    html = page(client, filed)
    assert "评价这份信访处理意见书" in html and 'data-request="request_review"' in html
    response = client.post(
        reverse("portal:follow_rate", args=[filed.number]),
        {"decision": decision.pk, "score": "1", "comment": "没有回应我的请求。"},
        follow=True,
    )
    html = response.content.decode()
    assert "data-poor-rating" in html and "您可以依法请求上一级机关复查或复核" in html
    rating = Rating.objects.get()
    assert (rating.score, rating.comment, rating.decision_id) == (1, "没有回应我的请求。", decision.pk)
    assert filed.events.filter(action="rate", public=False).exists()

    response = client.post(
        reverse("portal:follow_request", args=[filed.number]),
        {"action": "request_review", "grounds": "处理意见没有回应占道经营的实际情况。"},
        follow=True,
    )
    assert "您的请求已提交" in response.content.decode()
    filed.refresh_from_db()
    case = Case.objects.get(petition=filed)
    # The workflow's own transition ran: the county bureau above the housing bureau reviews it.
    assert filed.status == Status.REVIEW and case.review_unit == org.units.a
    assert case.review_requested_on == dt.date(2026, 3, 2)
    event = filed.events.get(action="request_review")
    assert event.actor_kind == "citizen" and event.note == "处理意见没有回应占道经营的实际情况。"


def test_a_good_rating_is_thanked_and_shown(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decision = decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    response = client.post(
        reverse("portal:follow_rate", args=[filed.number]), {"decision": decision.pk, "score": "5"}, follow=True
    )
    html = response.content.decode()
    assert "感谢您的评价" in html and "data-poor-rating" not in html and "您的评价：5分" in html
    assert "评价这份信访处理意见书" not in html  # rated once


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [({"score": ""}, "score", "请选择1到5分的评分"), ({"score": "9"}, "score", "请选择1到5分的评分")],
)
def test_a_bad_rating_is_refused_with_the_reason(
    client: Client, org: Any, filed: Any, data: dict[str, str], field: str, message: str
) -> None:
    accept(org, filed)
    decision = decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    response = client.post(reverse("portal:follow_rate", args=[filed.number]), {"decision": decision.pk, **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Rating.objects.exists()


def test_a_document_is_rated_once_and_only_by_its_own_petition(org: Any, filed: Any, register: Any) -> None:
    accept(org, filed)
    decision = decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    rating_submit(petition=filed, decision=decision, score=2, comment="")
    with pytest.raises(Conflict):
        rating_submit(petition=filed, decision=decision, score=4, comment="")
    other = register(org.units.a).petition
    with pytest.raises(ValidationError) as raised:
        rating_submit(petition=other, decision=decision, score=4, comment="")
    assert "decision" in raised.value.message_dict
    assert Rating.objects.count() == 1


def test_a_review_asked_without_grounds_is_refused_and_nothing_moves(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    response = client.post(
        reverse("portal:follow_request", args=[filed.number]), {"action": "request_review", "grounds": " "}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "is-invalid" in html and "请写明您不服的理由和请求" in html
    filed.refresh_from_db()
    assert filed.status == Status.DECIDED


def test_before_the_decision_is_delivered_the_window_has_not_started(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decide(org, filed, delivered_on=None)
    html = page(client, filed)
    assert 'data-request-refusal="request_review"' in html and "尚未送达信访人" in html


def test_after_30_days_the_review_is_refused_with_a_clear_message(
    client: Client, org: Any, filed: Any, clock: Any
) -> None:
    accept(org, filed)
    decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    # Delivered 2026-03-02: the window ends 2026-04-01. On 2026-04-02 it has lapsed.
    clock.move_to(dt.datetime(2026, 4, 2, 10, tzinfo=SHANGHAI))
    unlock(client, filed)
    html = page(client, filed)
    assert 'data-request-refusal="request_review"' in html and "已超过期限" in html
    response = client.post(
        reverse("portal:follow_request", args=[filed.number]),
        {"action": "request_review", "grounds": "处理意见没有回应占道经营的实际情况。"},
    )
    assert response.status_code == 400 and "已超过期限" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == Status.DECIDED


def test_once_the_window_lapsed_and_the_matter_closed_the_page_says_so(
    client: Client, org: Any, filed: Any, clock: Any
) -> None:
    accept(org, filed)
    decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    clock.move_to(dt.datetime(2026, 4, 3, 10, tzinfo=SHANGHAI))
    wf.cases_conclude_lapsed()
    unlock(client, filed)
    html = page(client, filed)
    assert "data-request-closed" in html and "已经届满" in html


def test_re_review_is_asked_online_after_the_review_opinion(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    client.post(
        reverse("portal:follow_request", args=[filed.number]),
        {"action": "request_review", "grounds": "处理意见没有回应占道经营的实际情况。"},
    )
    wf.case_decide_review(
        actor=Actor.staff(org.reviewer_a),
        petition=filed,
        outcome="uphold",
        facts="原处理意见认定事实清楚。",
        opinion="维持原处理意见。",
        legal_basis="《信访工作条例》第三十五条",
        delivered_on=dt.date(2026, 3, 2),
    )
    html = page(client, filed)
    assert "复查意见书" in html and 'data-request="request_rereview"' in html
    client.post(
        reverse("portal:follow_request", args=[filed.number]),
        {"action": "request_rereview", "grounds": "复查意见仍未回应实际情况。"},
    )
    filed.refresh_from_db()
    assert filed.status == Status.REREVIEW and Case.objects.get(petition=filed).rereview_unit == org.units.city


def test_a_visitor_who_has_not_unlocked_the_matter_cannot_rate_or_request(client: Client, org: Any, filed: Any) -> None:
    accept(org, filed)
    decision = decide(org, filed, delivered_on=dt.date(2026, 3, 2))
    stranger = Client()
    response = stranger.post(
        reverse("portal:follow_rate", args=[filed.number]), {"decision": decision.pk, "score": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:follow")
    response = stranger.post(
        reverse("portal:follow_request", args=[filed.number]), {"action": "request_review", "grounds": "不服。"}
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Status.DECIDED and not Rating.objects.exists()
