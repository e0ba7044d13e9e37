"""A petition's whole statutory life in the browser, each step by the person whose step it is:
register → forward → accept → handle → extend → decide → review → re-review with a hearing →
closed; the timeline shows every step and the deadline it started, with its derivation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.utils import timezone

from minsheng.petitions.models import Petition
from minsheng.workflow.deadlines import derivation
from minsheng.workflow.models import Case, Closure, Deadline
from tests.e2e.conftest import sign_in

SHOTS = Path(os.environ.get("MINSHENG_SCREENSHOTS", "test-results/screenshots"))


def open_case(page: Any, petition: Petition) -> None:
    page.goto(f"{page.base_url}/workbench/petitions/{petition.pk}/")


def act(
    page: Any, petition: Petition, action: str, fields: dict[str, str], selects: dict[str, str] | None = None
) -> None:
    """Click the action on the case page, fill its form, submit, and come back to the case."""
    open_case(page, petition)
    page.click(f'a[data-action="{action}"]')
    page.wait_for_url(f"**/petitions/{petition.pk}/actions/{action}/")
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{name}", value)
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/workbench/petitions/{petition.pk}/")
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()[:500]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"workflow-{name}.png"), full_page=True)


def test_a_grievance_goes_from_registration_to_closure_after_rereview_with_a_hearing(
    page: Any, transactional_org: Any
) -> None:
    org = transactional_org
    today = timezone.localdate().isoformat()

    # The registrar of the county bureau registers a visit and forwards it to the housing bureau.
    sign_in(page, "registrar_a")
    page.goto(page.base_url + "/workbench/petitions/new/?channel=visit")
    page.check("input[name=nature][value=grievance]")
    page.fill("#id_title", "小区物业擅自上调物业费")
    page.fill("#id_request", "请求责令物业公司恢复原收费标准并退还多收费用。")
    page.fill("#id_facts", "物业公司未经业主大会表决，自今年起将物业费每平方米上调0.8元。")
    page.fill("#id_p-0-name", "赵六")
    page.fill("#id_p-0-id_number", "110105194912310038")
    page.fill("#id_p-0-phone", "13800138000")
    page.fill("#id_p-0-address", "芙蓉区人民路9号")
    page.click("button[type=submit]:has-text('登记')")
    page.wait_for_url("**/workbench/petitions/*/")
    petition = Petition.objects.get()
    triage = Deadline.objects.get(petition=petition, step="triage")
    assert derivation(triage) in page.get_by_test_id("case-deadlines").inner_text()
    act(page, petition, "forward", {"note": "请依法办理。"}, {"to_unit": str(org.units.housing_a.pk)})

    # The housing bureau finds it in its inbox, accepts it, records its work, asks for more time.
    sign_in(page, "handler_a")
    page.goto(page.base_url + "/workbench/inbox/")
    assert petition.number in page.locator("table").inner_text()
    shot(page, "inbox-handler")
    act(page, petition, "accept", {})
    act(page, petition, "record_progress", {"content": "约谈物业公司，调取业主大会记录。"}, {"kind": "investigated"})
    act(page, petition, "request_extension", {"days": "30", "reason": "需要住建、市场监管部门联合核查收费标准。"})

    # The unit head approves the extension from the inbox.
    sign_in(page, "unit_head_a")
    page.goto(page.base_url + "/workbench/inbox/?box=extensions")
    assert petition.number in page.locator("table").inner_text()
    act(page, petition, "approve_extension", {})
    handle = Deadline.objects.get(petition=petition, step="handle")
    assert handle.extension == 30 and "+ 延期30日" in page.get_by_test_id("case-deadlines").inner_text()

    # The handler issues the written decision, delivered the same day.
    sign_in(page, "handler_a")
    act(
        page,
        petition,
        "decide",
        {
            "facts": "经核查，上调物业费未经业主大会表决，违反物业服务合同约定。",
            "opinion": "责令物业公司恢复原收费标准，退还多收费用。",
            "legal_basis": "《物业管理条例》第七条、第四十条",
            "delivered_on": today,
        },
        {"outcome": "support"},
    )
    pdf = page.request.get(page.base_url + page.locator('a:has-text("PDF")').first.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The county bureau (the next-higher body) takes the review request and answers it.
    sign_in(page, "reviewer_a")
    act(page, petition, "request_review", {"grounds": "退费金额计算有误，请求复查。"})
    act(
        page,
        petition,
        "decide_review",
        {
            "facts": "原处理意见认定事实清楚。",
            "opinion": "维持原处理意见。",
            "legal_basis": "《信访工作条例》第三十五条",
            "delivered_on": today,
        },
        {"outcome": "uphold"},
    )

    # The city bureau re-reviews it, holds a hearing, and closes the matter.
    sign_in(page, "city_reviewer")
    act(page, petition, "request_rereview", {"grounds": "不服复查意见，请求复核。"})
    hearing_at = (timezone.localtime() + timezone.timedelta(days=3)).strftime("%Y-%m-%dT09:30")
    act(
        page,
        petition,
        "schedule_hearing",
        {
            "scheduled_at": hearing_at,
            "place": "长沙市信访局听证室",
            "host": "吴复核",
            "participants": "信访人赵六\n物业公司代表",
        },
    )
    page.goto(page.base_url + "/workbench/inbox/?box=hearings")
    assert petition.number in page.locator("table").inner_text()
    act(page, petition, "conclude_hearing", {"record": "双方陈述、质证。", "conclusion": "维持复查意见。"})
    act(
        page,
        petition,
        "decide_rereview",
        {
            "facts": "复查意见认定事实清楚。",
            "opinion": "维持复查意见。",
            "legal_basis": "《信访工作条例》第三十六条",
            "delivered_on": today,
        },
        {"outcome": "uphold"},
    )

    petition.refresh_from_db()
    assert petition.status == "closed" and Case.objects.get(petition=petition).closure == Closure.REREVIEW
    open_case(page, petition)
    shot(page, "case-closed")
    timeline = page.get_by_role("list", name="办理过程").inner_text()
    for step in (
        "登记", "转送", "受理", "办理记录", "申请延期", "批准延期", "出具处理意见书", "受理复查请求",
        "出具复查意见", "受理复核请求", "决定举行听证", "听证结束", "出具复核意见",
    ):  # fmt: skip
        assert step in timeline, step
    for deadline in Deadline.objects.filter(petition=petition).exclude(step__in=["objection"]):
        assert (
            derivation(deadline) in timeline
            or derivation(deadline) in page.get_by_test_id("case-deadlines").inner_text()
        )
    for label in ("分流期限", "受理告知期限", "办结期限", "申请复查期限", "复查期限", "申请复核期限", "复核期限"):
        assert label in timeline, label
    assert "已办结" in page.locator("h1 + span, .ms-status").first.inner_text()
