"""A registrar signs in, registers a visit, and finds the case in the list with its timeline."""

from typing import Any

from minsheng.petitions.models import Petition
from tests.e2e.conftest import sign_in


def test_a_registrar_registers_a_visit_and_finds_it_in_the_list(page: Any, transactional_org: Any) -> None:
    sign_in(page, "registrar_a")
    page.click("main >> text=来访登记")
    assert page.locator("#id_channel").input_value() == "visit"
    page.check("input[name=nature][value=grievance]")
    page.fill("#id_title", "小区物业乱收费")
    page.fill("#id_request", "请求核查物业收费标准并退还多收费用。")
    page.fill("#id_facts", "物业公司未经业主大会同意擅自上调物业费。")
    page.fill("#id_p-0-name", "赵六")
    page.fill("#id_p-0-id_number", "110105194912310038")
    page.fill("#id_p-0-phone", "13800138000")
    page.fill("#id_p-0-address", "芙蓉区人民路9号")
    page.click("button[type=submit]:has-text('登记')")
    page.wait_for_url("**/workbench/petitions/*/")
    petition = Petition.objects.get()
    assert page.locator(".alert-success").inner_text().startswith("已登记，编号 " + petition.number)
    timeline = page.get_by_role("list", name="办理过程")
    assert "登记" in timeline.inner_text() and "registrar_a" in timeline.inner_text()

    page.click("nav >> text=信访事项")
    row = page.locator("table tbody tr", has_text=petition.number)
    assert "小区物业乱收费" in row.inner_text() and "来访" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(f"**/workbench/petitions/{petition.pk}/")
    assert page.locator("h1").inner_text() == "小区物业乱收费"


def test_bad_input_in_the_browser_shows_the_reason_and_saves_nothing(page: Any, transactional_org: Any) -> None:
    sign_in(page, "registrar_a")
    page.goto(page.base_url + "/workbench/petitions/new/?channel=letter")
    page.check("input[name=nature][value=grievance]")
    page.fill("#id_title", "标题")
    page.fill("#id_facts", "事实")
    page.fill("#id_p-0-name", "赵六")
    page.fill("#id_p-0-id_number", "110105194912310039")
    page.click("button[type=submit]:has-text('登记')")
    assert page.get_by_text("请填写信访请求").is_visible()
    assert page.get_by_text("身份证号码校验位不正确").is_visible()
    assert Petition.objects.count() == 0
