"""The analyst's hot-topic chart and the handler's "copy a similar decision into the draft", in chromium."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management import call_command

from conftest import petition_data
from minsheng.core.actors import Actor
from minsheng.intel.topics.services import topic_run_request
from minsheng.petitions.services import PetitionerInput, petition_register
from minsheng.workflow import services as wf
from tests.e2e.conftest import sign_in

SHOTS = Path(os.environ.get("MINSHENG_SCREENSHOTS", "test-results/screenshots"))
REPLY = "经核查，该小区底层餐馆油烟直排属实，已责令安装油烟净化设施并限期整改。"


def _register(org: Any, title: str, facts: str, n: int) -> Any:
    return petition_register(
        actor=Actor.staff(org.registrar_a),
        unit=org.units.a,
        data=petition_data(
            title=title,
            request="请求处理。",
            facts=facts,
            petitioners=[PetitionerInput(name=f"信访人{n}", phone=f"1390000{n:04d}")],
        ),
    ).petition


def _csp_watch(page: Any) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def test_the_analyst_sees_the_hot_topic_chart_drawn(page: Any, transactional_org: Any) -> None:
    org = transactional_org
    for n, (title, facts) in enumerate(
        [
            ("阳光花园小区垃圾站臭味熏天", "阳光花园小区门口的垃圾站臭味熏天，请求搬迁垃圾站。"),
            ("阳光花园小区垃圾站臭气扰民", "阳光花园小区垃圾站离居民楼太近，臭气熏天。"),
            ("请搬迁阳光花园小区的垃圾站", "阳光花园小区垃圾站臭味严重，请求搬迁垃圾站。"),
        ]
    ):
        _register(org, title, facts, n)
    topic_run_request(actor=Actor.staff(org.analyst))  # the immediate queue of the tests runs it
    violations = _csp_watch(page)
    sign_in(page, org.analyst.username)
    page.click("text=热点分析")
    page.wait_for_selector("#topics-chart canvas")
    assert "阳光花园小区" in page.inner_text("#topic-1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "topics-dashboard.png"), full_page=True)
    assert violations == []


def test_the_handler_copies_a_similar_decision_into_the_draft(
    page: Any, transactional_org: Any, tmp_path: Path
) -> None:
    org = transactional_org
    csv = tmp_path / "replies.csv"
    csv.write_text(
        "留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间\n"
        f"11,U1,某小区底层餐馆油烟扰民,2019/4/25 9:32:09,餐馆油烟直排，晚上营业到凌晨,{REPLY},2019/5/10 14:56:53\n",
        encoding="utf-8",
    )
    call_command("import-messages", str(csv), unit=str(org.units.housing_a.pk))
    petition = _register(org, "小区底层餐馆油烟扰民", "楼下餐馆油烟直排，熏得无法开窗。", 50)
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    violations = _csp_watch(page)
    sign_in(page, org.handler_a.username)
    page.goto(f"{page.base_url}/workbench/petitions/{petition.pk}/actions/decide/")
    panel = page.locator("[data-testid=similar-decisions]")
    assert "某小区底层餐馆油烟扰民" in panel.inner_text()
    page.fill("#id_opinion", "")
    panel.locator("button[data-copy-to=id_opinion]").first.click()
    assert page.input_value("#id_opinion") == REPLY
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "similar-decisions.png"), full_page=True)
    assert violations == []
