"""Citizens' journeys through the front doors, in Debian's chromium.

1. A citizen is guided, files online, and follows the matter with the query code and phone.
2. An anonymous accuser follows up with the receipt code and answers a handler's question.
3. A citizen co-signs a suggestion (SMS code) and later reads the official answer.

In journey 1 the offices move the matter through the workflow's services between the citizen's
visits: the citizen sees the next deadline with its derivation, downloads the written decision,
rates it poor and asks for review, which then waits in the reviewing body's inbox.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from minsheng.accusations.models import Accusation, ReportMessage
from minsheng.core.actors import Actor
from minsheng.petitions.models import Petition
from minsheng.suggestions.models import CoSign, Suggestion
from minsheng.suggestions.services import SuggestionInput, campaign_publish, suggestion_submit
from minsheng.workflow import services as wf
from minsheng.workflow.notify import MemoryBackend
from tests.e2e.conftest import sign_in


@pytest.fixture
def sms(settings: Any) -> Iterator[list[Any]]:
    settings.MINSHENG_NOTICE_BACKEND = "minsheng.workflow.notify.MemoryBackend"
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


def test_a_citizen_is_guided_files_online_and_follows_with_the_query_code(page: Any, transactional_org: Any) -> None:
    org = transactional_org
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="我要信访").first.click()
    page.get_by_role("link", name=re.compile("^投诉请求")).click()
    # A labour dispute belongs to arbitration: the citizen is told where to go before writing.
    page.get_by_role("link", name=re.compile("^仲裁")).click()
    assert page.get_by_text("劳动人事争议仲裁委员会").is_visible()
    page.get_by_role("link", name="返回重新选择").click()
    page.get_by_role("link", name=re.compile("^以上都不是")).click()

    page.get_by_label("标题").fill("小区门口占道经营油烟扰民")
    page.get_by_label("您的请求").fill("请求依法整治小区门口的占道经营。")
    page.get_by_label("事实和理由").fill("每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息。")
    page.get_by_label("问题所在地区").select_option(label="\u3000\u3000芙蓉区")
    page.get_by_label(re.compile("^姓名")).fill("张三")
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label(re.compile("^住址")).fill("芙蓉区五一大道1号")
    # Several neighbours: the collective part appears only when asked for.
    assert not page.get_by_label("共同反映的人数").is_visible()
    page.get_by_label("多人共同反映此事").check()
    page.get_by_label("共同反映的人数").fill("30")
    page.locator("#id_r-0-name").fill("李四")
    page.get_by_label(re.compile("我承诺所反映的情况客观真实")).check()
    page.get_by_role("button", name="提交").click()

    page.wait_for_url("**/file/done/")
    code = page.locator("[data-query-code]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    petition = Petition.objects.get()
    assert petition.handling_unit == org.units.a and petition.persons_count == 30

    # Later, on another device: the code and the phone's last four digits open the matter.
    page.context.clear_cookies()
    page.goto(page.base_url + "/follow/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_label("手机号后四位").fill("0000")
    page.get_by_role("button", name="立即查询").click()
    assert page.get_by_text("查询码或手机号后四位不正确").is_visible()
    page.get_by_label("手机号后四位").fill("8000")
    page.get_by_role("button", name="立即查询").click()
    page.wait_for_url(f"**/follow/{petition.number}/")
    steps = page.get_by_role("list", name="办理过程")
    assert "登记" in steps.inner_text() and "芙蓉区信访局" in steps.inner_text()
    assert petition.received_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in steps.inner_text()
    today = timezone.localdate()
    # The next deadline, and how it was reached: triage within 15 days of receipt (R22 Art. 22).
    deadline = page.locator("[data-next-deadline]")
    assert "收到 " + today.isoformat() + " + 15日" in deadline.inner_text() and "第二十二条" in deadline.inner_text()

    # The offices act: the county bureau forwards it, the housing bureau accepts and decides.
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    page.reload()
    assert "芙蓉区住房和城乡建设局" in page.locator("[data-responsible-unit]").inner_text()
    assert "受理日 " + today.isoformat() + " + 60日" in page.locator("[data-next-deadline]").inner_text()
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
    page.reload()
    documents = page.get_by_role("list", name="答复文书")
    assert "信访处理意见书" in documents.inner_text() and "不予支持" in documents.inner_text()
    link = page.get_by_role("link", name="下载信访处理意见书（PDF）")
    with page.expect_download() as download:
        link.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")
    served = page.request.get(page.base_url + link.get_attribute("href"))
    assert served.headers["content-disposition"].startswith("attachment;")

    # Not satisfied: a poor rating, and the page offers the review request.
    page.get_by_label("1分 · 很不满意").check()
    page.get_by_label("评价意见（可选）").fill("没有回应油烟扰民的问题。")
    page.get_by_role("button", name="提交评价").click()
    assert page.locator("[data-poor-rating]").is_visible()
    assert "您的评价：1分" in page.get_by_role("list", name="答复文书").inner_text()
    review = page.locator('form[data-request="request_review"]')
    review.get_by_label("请求和理由").fill("处理意见没有回应油烟扰民，请求上一级机关复查。")
    review.get_by_role("button", name="请求复查").click()
    assert page.get_by_text("您的请求已提交").is_visible()
    assert "芙蓉区信访局正在复查原处理意见" in page.locator("[data-summary]").inner_text()
    assert "受理复查请求" in page.get_by_role("list", name="办理过程").inner_text()
    petition.refresh_from_db()
    assert petition.status == "review"

    # The reviewing body (the county bureau above the housing bureau) finds it waiting.
    staff = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    reviewer = staff.new_page()
    reviewer.base_url = page.base_url
    sign_in(reviewer, "reviewer_a")
    reviewer.goto(page.base_url + "/workbench/inbox/?box=reviews")
    assert petition.number in reviewer.get_by_role("table", name="待复查复核").inner_text()
    staff.close()


def test_an_anonymous_accuser_follows_up_with_the_receipt_and_answers_a_question(
    page: Any, browser: Any, transactional_org: Any
) -> None:
    page.goto(page.base_url + "/accuse/")
    page.get_by_role("link", name="开始检举").click()
    page.get_by_label("检举事项概要").fill("审批窗口索要加急费")
    page.get_by_label("检举请求").fill("请求依法调查处理。")
    page.get_by_label("事实和证据").fill("2026年2月，审批窗口工作人员要求另付两千元加急费。")
    page.get_by_label("问题所在地区").select_option(label="\u3000\u3000芙蓉区")
    page.get_by_label(re.compile("请选择被检举单位")).select_option(label="芙蓉区 · 芙蓉区住房和城乡建设局")
    assert page.get_by_label("匿名检举：不留任何身份信息").is_checked()
    assert not page.locator("#ms-identity").is_visible()  # nothing to fill in for an anonymous report
    page.get_by_label(re.compile("我承诺检举内容客观真实")).check()
    page.get_by_role("button", name="提交检举").click()
    page.wait_for_url("**/accuse/receipt/")
    receipt = page.locator("[data-receipt-code]").inner_text().strip()
    assert re.fullmatch(r"([0-9A-Z]{4}-){8}[0-9A-Z]{4}", receipt)
    accusation = Accusation.objects.get()
    assert accusation.is_anonymous and not accusation.has_identity

    # A handler at the county bureau (above the accused housing bureau) asks a question.
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    handler = staff.new_page()
    handler.base_url = page.base_url
    sign_in(handler, "registrar_a")
    handler.goto(page.base_url + f"/workbench/accusations/{accusation.pk}/")
    assert handler.locator(".badge", has_text="匿名").is_visible()
    handler.get_by_role("textbox", name="留言").fill("请问索要加急费的具体日期和窗口号？")
    handler.get_by_role("button", name="向检举人提问").click()
    assert handler.get_by_text("请问索要加急费的具体日期和窗口号？").is_visible()

    # The reporter comes back anonymously with the receipt code and answers.
    page.context.clear_cookies()
    page.goto(page.base_url + "/accuse/follow/")
    page.get_by_label("检举回执码").fill(receipt.replace("-", ""))
    page.get_by_role("button", name="立即查询").click()
    page.wait_for_url(f"**/accuse/follow/{accusation.locator}/")
    thread = page.get_by_role("list", name="与办理人员的留言")
    assert "请问索要加急费的具体日期和窗口号？" in thread.inner_text() and "芙蓉区信访局" in thread.inner_text()
    assert "registrar_a" not in page.content()
    page.get_by_role("textbox", name="留言").fill("2月14日上午，3号窗口。")
    page.get_by_role("button", name="发送").click()
    assert page.get_by_text("留言已发送").is_visible()
    assert "2月14日上午，3号窗口。" in thread.inner_text()

    handler.reload()
    assert handler.get_by_text("2月14日上午，3号窗口。").is_visible()
    assert ReportMessage.objects.filter(from_reporter=True, author__isnull=True).count() == 1
    # The accused housing bureau's handler cannot open it at all.
    accused = browser.new_context(locale="zh-CN").new_page()
    accused.base_url = page.base_url
    sign_in(accused, "handler_a")
    response = accused.goto(page.base_url + f"/workbench/accusations/{accusation.pk}/")
    assert response is not None and response.status == 404
    staff.close()
    accused.context.close()


def test_a_citizen_cosigns_a_suggestion_and_later_reads_the_official_answer(
    page: Any, browser: Any, transactional_org: Any, sms: list[Any]
) -> None:
    org = transactional_org
    today = timezone.localdate()
    campaign = campaign_publish(
        actor=Actor.staff(org.leader),
        title="老旧小区加装电梯怎么推进",
        description="听取居民对加装电梯的意见。",
        opens_on=today,
        closes_on=today.replace(year=today.year + 1),
    )
    suggestion = suggestion_submit(
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

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    leader = staff.new_page()
    leader.base_url = page.base_url
    sign_in(leader, "leader")
    leader.goto(page.base_url + f"/workbench/suggestions/{suggestion.pk}/")
    leader.get_by_role("button", name="审核通过并公开").click()
    assert leader.get_by_text("已公开，公众可以看到并附议").is_visible()

    page.goto(page.base_url + "/suggestions/")
    page.get_by_role("link", name="老旧小区加装电梯怎么推进").click()
    page.get_by_role("link", name="加装电梯费用按楼层分摊").click()
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url("**/cosign/confirm/")
    code = re.search(r"验证码 (\d{6})", sms[-1].body)
    assert code and sms[-1].phone == "13912345678"
    page.get_by_label("短信验证码").fill(code.group(1))
    page.get_by_role("button", name="确认附议").click()
    assert page.get_by_text("附议成功").is_visible()
    assert page.locator("[data-cosign-count]").inner_text().startswith("1")
    assert CoSign.objects.count() == 1

    # The unit answers: partly adopted, with a reward note.
    leader.reload()
    leader.get_by_label("答复").fill("已纳入2026年加装电梯指导意见，分摊比例由业主协商确定。")
    leader.get_by_label("采纳情况").select_option(label="部分采纳")
    leader.get_by_label("奖励说明（可选）").fill("评为优秀人民建议，给予表扬。")
    leader.get_by_role("button", name="提交答复").click()
    assert leader.get_by_text("已答复").first.is_visible()

    # Later the co-signer comes back and reads the answer.
    page.reload()
    answer = page.get_by_role("region", name=re.compile("官方答复"))
    assert "已纳入2026年加装电梯指导意见" in answer.inner_text() and "部分采纳" in answer.inner_text()
    assert "评为优秀人民建议" in answer.inner_text()
    assert Suggestion.objects.get().status == "answered"
    # The proposer was told by text message.
    assert any(m.phone == "13500135000" and suggestion.number in m.body for m in sms)
    staff.close()
