"""Registrars meet a repeat petition and a collective matter; the supervisor above is alerted."""

from typing import Any

from minsheng.core.actors import Actor
from minsheng.petitions.models import Petition
from minsheng.petitions.services import PetitionerInput, PetitionInput, petition_register
from minsheng.workflow import services as wf
from tests.e2e.conftest import sign_in

TITLE = "五一大道某小区门口烧烤摊占道经营油烟扰民"
REQUEST = "请求依法整治小区门口的占道烧烤摊。"
FACTS = "小区门口每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息，到凌晨两点还不停，多次投诉无果。"


def _data(petitioner: PetitionerInput) -> PetitionInput:
    return PetitionInput(
        channel="letter", nature="grievance", title=TITLE, request=REQUEST, facts=FACTS, petitioners=[petitioner]
    )


def _fill(page: Any, name: str, id_number: str, phone: str, address: str) -> None:
    page.check("input[name=nature][value=grievance]")
    page.fill("#id_title", TITLE)
    page.fill("#id_request", REQUEST)
    page.fill("#id_facts", FACTS)
    page.fill("#id_p-0-name", name)
    if id_number:
        page.fill("#id_p-0-id_number", id_number)
    page.fill("#id_p-0-phone", phone)
    page.fill("#id_p-0-address", address)
    page.click("button[type=submit]:has-text('登记')")
    page.wait_for_url("**/workbench/petitions/*/")


def test_a_higher_bureau_registers_a_repeat_of_a_matter_in_handling(page: Any, transactional_org: Any) -> None:
    org = transactional_org
    earlier = petition_register(
        actor=Actor.staff(org.registrar_a),
        unit=org.units.a,
        data=_data(
            PetitionerInput(name="赵六", id_number="110105194912310038", phone="13800138000", address="芙蓉区人民路9号")
        ),
    ).petition
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=earlier, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=earlier)

    sign_in(page, "city_registrar")
    page.goto(page.base_url + "/workbench/petitions/new/?channel=visit")
    _fill(page, "赵六", "110105194912310038", "13800138000", "芙蓉区人民路9号")

    assert "已标记为重复信访" in page.locator(".alert-warning").first.inner_text()
    flag = page.locator("[data-flag=repeat]")
    assert "重复信访（原事项正在办理）" in flag.inner_text() and "第十九条第三款" in flag.inner_text()
    similar = page.get_by_test_id("intel-similar")
    assert earlier.number in similar.inner_text() and "1.00" in similar.inner_text()
    flag.get_by_test_id("repeat-link").click()
    page.wait_for_url(f"**/workbench/petitions/{earlier.pk}/")
    assert page.locator("h1").inner_text() == TITLE


def test_the_fifth_petitioner_makes_it_collective_and_the_supervisor_is_alerted(
    page: Any, browser: Any, transactional_org: Any
) -> None:
    org = transactional_org
    for n in range(1, 5):
        petition_register(
            actor=Actor.staff(org.registrar_a),
            unit=org.units.a,
            data=_data(PetitionerInput(name=f"居民{n}", phone=f"139{n:08d}", address=f"芙蓉区五一大道{n}号")),
        )
    assert not Petition.objects.filter(is_collective=True).exists()

    sign_in(page, "registrar_a")
    page.goto(page.base_url + "/workbench/petitions/new/?channel=letter")
    _fill(page, "居民5", "", "13900000005", "芙蓉区五一大道5号")
    assert "已识别为集体信访" in page.locator(".alert-warning").last.inner_text()
    assert page.locator("h1 ~ .badge", has_text="集体信访").is_visible()
    assert "5名信访人" in page.locator("[data-flag=collective]").inner_text()
    assert Petition.objects.filter(is_collective=True).count() == 5

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    supervisor = context.new_page()
    supervisor.base_url = page.base_url
    try:
        sign_in(supervisor, "supervisor")
        card = supervisor.locator("a[data-box=collective]")
        assert "集体信访预警" in card.inner_text() and "5" in card.inner_text()
        card.click()
        rows = supervisor.locator("table tbody tr")
        assert rows.count() == 5
        assert TITLE[:20] in rows.first.inner_text()
    finally:
        context.close()
