"""The workflow pages over HTTP: inboxes per role, the case page's deadlines and actions, the
action pages built from the table, refusals with their link, and the decision document."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import staff_login
from minsheng.workflow import services as wf
from minsheng.workflow.models import Case, Closure, Decision
from minsheng.workflow.states import Status
from minsheng.workflow.tests.conftest import staff

pytestmark = pytest.mark.django_db

# route name -> kwargs from a petition that has a decision
OBJECT_ROUTES = {
    "workflow:action": lambda p: {"petition_id": p.pk, "name": "record_progress"},
    "workflow:decision": lambda p: {"decision_id": Decision.objects.get(case__petition=p).pk},
}
LIST_ROUTES = {"workflow:inbox"}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin"}:
                continue
            names |= _names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_workflow_route_is_classified_for_the_access_tests() -> None:
    assert {n for n in _names(get_resolver()) if n.startswith("workflow:")} == set(OBJECT_ROUTES) | LIST_ROUTES


@pytest.fixture
def decided(flow: Any) -> Any:
    return flow.decided(delivered_on=dt.date(2026, 3, 2))


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_another_county_cannot_open_the_workflow_pages_of_a_case(
    client: Client, org: Any, decided: Any, route: str
) -> None:
    staff_login(client, org.registrar_b)
    kwargs = OBJECT_ROUTES[route](decided)
    forbidden = client.get(reverse(route, kwargs=kwargs))
    missing = client.get(reverse(route, kwargs={k: (10**9 if isinstance(v, int) else v) for k, v in kwargs.items()}))
    assert forbidden.status_code == missing.status_code == 404


def test_the_inbox_shows_each_role_its_work_with_countdown_badges(
    client: Client, org: Any, flow: Any, clock: Any
) -> None:
    waiting = flow.registered(title="等待分流的事项")
    late = flow.registered(title="超期未分流的事项")
    from minsheng.workflow.models import Deadline

    Deadline.objects.filter(petition=late, step="triage").update(
        due=dt.date(2026, 1, 10), long_overdue_on=dt.date(2026, 2, 10)
    )
    staff_login(client, org.registrar_a)
    page = client.get(reverse("workflow:inbox")).content.decode()
    assert "待分流" in page and waiting.number in page and "还剩15日" in page
    assert "严重超期51日" in page  # overdue by more than the policy's 30 days
    overdue = client.get(reverse("workflow:inbox"), {"box": "overdue"}).content.decode()
    assert late.number in overdue and waiting.number not in overdue
    staff_login(client, org.handler_a)
    boxes = client.get(reverse("workflow:inbox")).context["counts"]
    assert [b.code for b, _n in boxes] == ["accept", "handle", "due_soon", "overdue"]


def test_the_unit_head_sees_extension_requests_to_approve(client: Client, org: Any, flow: Any) -> None:
    petition = flow.accepted()
    wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=15, reason="需要鉴定。")
    staff_login(client, org.unit_head_a)
    page = client.get(reverse("workflow:inbox"), {"box": "extensions"}).content.decode()
    assert petition.number in page
    case_page = client.get(reverse("workbench:petition", args=[petition.pk])).content.decode()
    assert "需要鉴定" in case_page and 'data-action="approve_extension"' in case_page


def test_the_case_page_shows_each_deadline_with_its_derivation_and_only_my_actions(
    client: Client, org: Any, flow: Any
) -> None:
    petition = flow.accepted()
    staff_login(client, org.handler_a)
    page = client.get(reverse("workbench:petition", args=[petition.pk])).content.decode()
    assert (
        "2026-05-06 = 受理日 2026-03-02 + 60日（R22 第三十四条）；2026-05-01非工作日，顺延至2026-05-06（民法典第二百零三条）"
        in page
    )
    assert "2026-03-17 = 收到 2026-03-02 + 15日（R22 第二十二条）" in page
    actions = set(re.findall(r'data-action="(\w+)"', page))
    assert {"decide", "request_extension", "record_progress"} <= actions
    assert "approve_extension" not in actions and "forward" not in actions
    staff_login(client, org.registrar_b)
    assert client.get(reverse("workbench:petition", args=[petition.pk])).status_code == 404


def test_an_action_page_runs_the_service_and_returns_to_the_case(client: Client, org: Any, flow: Any) -> None:
    petition = flow.registered()
    staff_login(client, org.registrar_a)
    url = reverse("workflow:action", args=[petition.pk, "forward"])
    form = client.get(url)
    assert form.status_code == 200 and "芙蓉区住房和城乡建设局" in form.content.decode()
    response = client.post(url, {"to_unit": org.units.housing_a.pk, "note": "请依法办理。"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workbench:petition", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.status == Status.FORWARDED
    assert "已办理：转送" in response.content.decode()


def test_bad_input_on_an_action_page_shows_the_reason_and_changes_nothing(client: Client, org: Any, flow: Any) -> None:
    petition = flow.accepted()
    staff_login(client, org.handler_a)
    response = client.post(
        reverse("workflow:action", args=[petition.pk, "request_extension"]), {"days": "", "reason": ""}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not Case.objects.get(petition=petition).extensions.exists()


def test_a_refused_action_page_explains_why_with_a_link_to_the_closed_case(client: Client, org: Any, flow: Any) -> None:
    closed = flow.registered(title="已经终结的事项")
    Case.objects.filter(petition=closed).update(closure=Closure.REREVIEW, closed_at=closed.registered_at)
    again = flow.registered()
    wf.case_link_earlier(actor=staff(org.registrar_a), petition=again, earlier=closed.number)
    staff_login(client, org.registrar_a)
    page = client.get(reverse("workflow:action", args=[again.pk, "forward"])).content.decode()
    assert "第三十六条第三款" in page and reverse("workbench:petition", args=[closed.pk]) in page
    assert "<form" not in page.split('data-testid="refusal"')[1].split("</main>")[0]


def test_the_decision_document_downloads_as_pdf(client: Client, org: Any, decided: Any) -> None:
    decision = Decision.objects.get(case__petition=decided)
    staff_login(client, org.registrar_a)
    response = client.get(reverse("workflow:decision", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and decided.number in response["Content-Disposition"]


def test_the_timeline_shows_the_deadline_each_step_started(client: Client, org: Any, flow: Any) -> None:
    petition = flow.accepted()
    staff_login(client, org.handler_a)
    page = client.get(reverse("workbench:petition", args=[petition.pk])).content.decode()
    timeline = page.split('aria-label="办理过程"')[1]
    assert timeline.count("ms-event-deadline") == 4  # triage, accept, objection, handle
    assert "受理告知期限" in timeline and "办结期限" in timeline


def test_the_case_page_runs_a_fixed_number_of_queries_however_long_the_timeline(
    client: Client, org: Any, flow: Any, django_assert_max_num_queries: Any
) -> None:
    petition = flow.accepted()
    for i in range(12):
        wf.case_record_progress(actor=staff(org.handler_a), petition=petition, kind="heard", content=f"第{i}次约谈。")
    staff_login(client, org.handler_a)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("workbench:petition", args=[petition.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("workflow:inbox")).status_code == 200


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_workflow_pages_in_english_show_no_chinese_interface_text(client: Client, org: Any, flow: Any) -> None:
    for item in [*vars(org.units).values(), *vars(org.regions).values()]:
        item.name_en = "Named in English"
        item.save()
    petition = flow.accepted(
        flow.forwarded(flow.registered(title="Streetlights out", request="Repair them", facts="Dark"))
    )
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    staff_login(client, org.handler_a)
    pages = [
        client.get(reverse("workflow:inbox"), {"box": box}).content.decode() for box in ("accept", "handle", "overdue")
    ]
    for name in ("request_extension", "decide", "record_progress", "withdraw"):
        pages.append(client.get(reverse("workflow:action", args=[petition.pk, name])).content.decode())
    for html in pages:
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text).replace("简体中文", "")
        assert CJK.findall(text) == [], re.findall(r".{0,30}[\u4e00-\u9fff]+.{0,30}", text)[:5]
