"""Every page of the front doors on a 375 px phone and a 1280 px screen, in Chinese and English.

Measured on each page: nothing is wider than the screen (no sideways scrolling), every form
control has a label, the page's language is declared, and every image has a text alternative.
Screenshots go to test-results/screenshots/ for people to look at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from minsheng.accusations.services import (
    AccusationInput,
    ReporterInput,
    accusation_ask,
    accusation_file,
    identity_access_request,
)
from minsheng.core.actors import Actor
from minsheng.petitions.services import PetitionerInput
from minsheng.suggestions.services import (
    SuggestionInput,
    campaign_publish,
    suggestion_answer,
    suggestion_publish,
    suggestion_submit,
)
from minsheng.workflow import services as wf
from tests.e2e.conftest import CHROMIUM, SCREENSHOTS, sign_in

CHECK = """() => {
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  const unlabelled = [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map(el => el.name || el.id);
  const noAlt = [...document.querySelectorAll('img')].filter(img => !img.hasAttribute('alt')).length;
  const overflowing = wide ? [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
    .map(el => el.tagName + '.' + el.className) : [];
  return {wide, unlabelled, noAlt, lang: document.documentElement.lang, overflowing};
}"""


def seed(org: Any) -> dict[str, Any]:
    for item in [*vars(org.units).values(), *vars(org.regions).values()]:
        item.name_en = {
            "芙蓉区": "Furong District",
            "长沙市": "Changsha",
            "湖南省": "Hunan",
            "天心区": "Tianxin District",
        }.get(item.name, "") or item.name_en
        item.save()
    today = timezone.localdate()
    campaign = campaign_publish(
        actor=Actor.staff(org.leader),
        title="老旧小区加装电梯怎么推进",
        description="听取居民对老旧小区加装电梯的意见：费用分摊、施工安排、后期维护。",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    answered = suggestion_submit(
        data=SuggestionInput(
            title="加装电梯费用按楼层分摊",
            grounds="低层住户不愿出钱，加装电梯一直谈不拢。",
            measures="出台按楼层分摊的指导比例，并给予财政补贴。",
            name="王建议",
            phone="13500135000",
            campaign=campaign,
            allow_public=True,
            show_name=True,
        )
    ).suggestion
    suggestion_publish(actor=Actor.staff(org.leader), suggestion=answered)
    suggestion_answer(
        actor=Actor.staff(org.leader),
        suggestion=answered,
        answer="已纳入2026年加装电梯指导意见。",
        adoption="partly",
        reward_note="评为优秀人民建议，给予表扬。",
    )
    waiting = suggestion_submit(
        data=SuggestionInput(
            title="施工期间保留一部楼梯通行",
            grounds="施工期间老人出行困难。",
            measures="分段施工。",
            name="李建议",
            phone="13500135001",
            campaign=campaign,
            allow_public=True,
        )
    ).suggestion
    suggestion_publish(actor=Actor.staff(org.leader), suggestion=waiting)
    accusation = accusation_file(
        data=AccusationInput(
            title="审批窗口索要加急费",
            request="请求依法调查处理。",
            facts="2026年2月，审批窗口工作人员要求另付两千元加急费。",
            region=org.regions.a,
            anonymous=False,
            reporter=ReporterInput(name="检举人", phone="13600136000"),
            accused_units=[org.units.housing_a],
        ),
        declared_truthful=True,
    ).accusation
    accusation_ask(actor=Actor.staff(org.registrar_a), accusation=accusation, body="请问具体日期？")
    identity_access_request(
        actor=Actor.staff(org.reviewer_a), accusation=accusation, reason="需要检举人提供收据原件，留言两周未回复。"
    )
    from conftest import petition_data
    from minsheng.petitions.services import petition_register

    registration = petition_register(
        actor=Actor.citizen("portal"),
        unit=org.units.a,
        data=petition_data(
            channel="online",
            region=org.regions.a,
            petitioners=[PetitionerInput(name="张三", phone="13800138000", address="芙蓉区五一大道1号")],
        ),
    )
    # The offices decide it, so the follow page shows deadlines, the document, rating and review.
    petition = registration.petition
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    wf.case_decide(
        actor=Actor.staff(org.handler_a),
        petition=petition,
        outcome="not_support",
        request=petition.request,
        facts="经现场核查，烧烤摊点已纳入夜市规划管理。",
        opinion="对请求取缔全部摊点不予支持，已责令规范经营时间。",
        legal_basis="《城市市容和环境卫生管理条例》第十四条",
        delivered_on=today,
    )
    return {
        "campaign": campaign,
        "answered": answered,
        "waiting": waiting,
        "accusation": accusation,
        "registration": registration,
    }


PUBLIC = [
    ("home", "/"),
    ("choose", "/file/"),
    ("guide", "/file/guide/"),
    ("guide-arbitration", "/file/guide/?route=arbitration"),
    ("file-grievance", "/file/grievance/?guidance=none"),
    ("file-proxy", "/file/suggestion/?proxy=1"),
    ("follow", "/follow/"),
    ("accuse", "/accuse/"),
    ("accuse-file", "/accuse/new/"),
    ("accuse-follow", "/accuse/follow/"),
    ("suggestions", "/suggestions/"),
    ("suggestions-new", "/suggestions/new/"),
    ("suggestions-follow", "/suggestions/follow/"),
    ("suggestions-stats", "/suggestions/stats/"),
]


def _check(page: Any, name: str, width: int, language: str, problems: list[str]) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"portal-{language}-{width}-{name}.png"), full_page=True)
    found = page.evaluate(CHECK)
    if found["wide"]:
        problems.append(f"{language} {width}px {name}: wider than the screen {found['overflowing']}")
    if found["unlabelled"]:
        problems.append(f"{language} {width}px {name}: unlabelled {found['unlabelled']}")
    if found["noAlt"]:
        problems.append(f"{language} {width}px {name}: images without alt")
    if not found["lang"].startswith("zh" if language == "zh" else "en"):
        problems.append(f"{language} {width}px {name}: lang={found['lang']}")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_fits_the_screen_and_labels_its_fields(
    browser: Any, live_server: Any, transactional_org: Any, width: int, language: str
) -> None:
    assert CHROMIUM
    data = seed(transactional_org)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="zh-CN" if language == "zh" else "en-US", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    problems: list[str] = []
    pages = [
        *PUBLIC,
        ("campaign", f"/suggestions/campaigns/{data['campaign'].pk}/"),
        ("suggestion-answered", f"/suggestions/s/{data['answered'].number}/"),
        ("suggestion-open", f"/suggestions/s/{data['waiting'].number}/"),
    ]
    for name, url in pages:
        page.goto(live_server.url + url)
        _check(page, name, width, language, problems)

    # Error states: an empty grievance, and the follow page after a good code.
    page.goto(live_server.url + "/file/grievance/?guidance=none")
    page.locator("button[type=submit].ms-submit").click()
    _check(page, "file-errors", width, language, problems)
    page.goto(live_server.url + "/follow/")
    page.fill("#id_code", data["registration"].query_code)
    page.fill("#id_phone_last4", "8000")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/follow/*-*/")
    _check(page, "follow-detail", width, language, problems)
    page.locator("input[name=score][value='2']").check()
    page.locator("form[action$='/rate/'] button[type=submit]").click()
    page.wait_for_selector("[data-poor-rating]")
    _check(page, "follow-rated-poor", width, language, problems)
    page.goto(live_server.url + f"/suggestions/s/{data['waiting'].number}/")
    page.fill("#id_phone", "13912345678")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/cosign/confirm/")
    _check(page, "cosign-confirm", width, language, problems)

    # The pages that show a code once: after an online filing, an accusation and a suggestion.
    page.goto(live_server.url + "/file/grievance/?guidance=none")
    for field, value in {
        "#id_title": "路灯不亮",
        "#id_request": "请求修复路灯。",
        "#id_facts": "小区门口的路灯坏了一个月。",
        "#id_name": "张三",
        "#id_phone": "13800138000",
        "#id_home_address": "芙蓉区五一大道1号",
    }.items():
        page.fill(field, value)
    page.select_option("#id_region", str(transactional_org.regions.a.pk))
    page.check("#id_truthful")
    page.locator("button[type=submit].ms-submit").click()
    page.wait_for_url("**/file/done/")
    _check(page, "filed", width, language, problems)
    page.goto(live_server.url + "/accuse/new/")
    page.fill("#id_title", "索要好处费")
    page.fill("#id_request", "请求调查。")
    page.fill("#id_facts", "窗口工作人员索要好处费。")
    page.select_option("#id_region", str(transactional_org.regions.a.pk))
    page.check("#id_truthful")
    page.locator("button[type=submit].ms-submit").click()
    page.wait_for_url("**/accuse/receipt/")
    _check(page, "accuse-receipt", width, language, problems)
    page.locator("main a.btn-primary").click()
    page.wait_for_url("**/accuse/follow/*/")
    _check(page, "accuse-follow-detail", width, language, problems)
    page.goto(live_server.url + f"/suggestions/new/?campaign={data['campaign'].pk}")
    for field, value in {
        "#id_title": "建议",
        "#id_grounds": "事由",
        "#id_measures": "对策",
        "#id_name": "王",
        "#id_phone": "13500135009",
    }.items():
        page.fill(field, value)
    page.locator("button[type=submit].ms-submit").click()
    page.wait_for_url("**/new/done/")
    _check(page, "suggestion-submitted", width, language, problems)

    # Staff pages of the doors.
    for username, urls in {
        "registrar_a": [
            ("acc-list", "/workbench/accusations/"),
            ("acc-detail", f"/workbench/accusations/{data['accusation'].pk}/"),
        ],
        "custodian": [("acc-requests", "/workbench/accusations/requests/")],
        "leader": [
            ("sugg-list", "/workbench/suggestions/"),
            ("sugg-new-campaign", "/workbench/suggestions/campaigns/new/"),
            ("sugg-detail", f"/workbench/suggestions/{data['waiting'].pk}/"),
            ("sugg-stats", "/workbench/suggestions/stats/"),
        ],
    }.items():
        context.clear_cookies()
        sign_in(page, username)
        for name, url in urls:
            page.goto(live_server.url + url)
            _check(page, name, width, language, problems)
    context.close()
    assert problems == []
