"""The staff workbench over HTTP: registration, the list with filters and search, the case page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.core.actors import Actor
from minsheng.petitions.models import Petition
from minsheng.petitions.services import UploadInput

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "channel": "visit",
        "nature": "grievance",
        "title": "拖欠农民工工资",
        "request": "请求责令公司支付拖欠的工资。",
        "facts": "我们在工地务工，公司拖欠工资三个月。",
        "persons_count": "1",
        "p-TOTAL_FORMS": "1",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "1",
        "p-MAX_NUM_FORMS": "50",
        "p-0-name": "王五",
        "p-0-id_number": "110105194912310038",
        "p-0-phone": "13800138000",
        "p-0-address": "芙蓉区人民路8号",
    }
    data.update(overrides)
    return data


def test_a_registrar_registers_a_visit_through_the_form(client: Client, org: Any) -> None:
    response = staff_login(client, org.registrar_a).post(reverse("workbench:register"), form_data(), follow=True)
    petition = Petition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("workbench:petition", args=[petition.pk])
    page = response.content.decode()
    assert "查询码" in page and petition.number in page
    assert "110105********0038" in page and "110105194912310038" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"p-0-id_number": "110105194912310039"}, "身份证号码校验位不正确"),
        ({"request": ""}, "请填写信访请求"),
        ({"p-0-phone": "12345"}, "电话号码格式不正确"),
    ],
)
def test_bad_input_gets_a_precise_message_and_saves_nothing(
    client: Client, org: Any, overrides: Any, message: str
) -> None:
    response = staff_login(client, org.registrar_a).post(reverse("workbench:register"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Petition.objects.count() == 0


def test_a_proxy_filing_through_the_form(client: Client, org: Any) -> None:
    data = form_data(is_proxy="on", proxy_name="李四", proxy_relation="子女", proxy_consent="书面委托书已附")
    staff_login(client, org.registrar_a).post(reverse("workbench:register"), data)
    assert Petition.objects.get().is_proxy


def test_a_handler_may_not_open_the_registration_form(client: Client, org: Any) -> None:
    response = staff_login(client, org.handler_a).get(reverse("workbench:register"))
    assert response.status_code == 302


def test_the_list_filters_and_searches(client: Client, org: Any, register: Any) -> None:
    register(org.units.a, title="路灯不亮", channel="phone")
    register(org.units.a, title="噪音扰民", channel="letter", facts="工地夜间施工")
    staff_login(client, org.registrar_a)
    url = reverse("workbench:petitions")

    def titles(**params: str) -> set[str]:
        page = client.get(url, params).context["page"]
        return {p.title for p in page.object_list}

    assert titles() == {"路灯不亮", "噪音扰民"}
    assert titles(channel="phone") == {"路灯不亮"}
    assert titles(q="夜间施工") == {"噪音扰民"}
    assert titles(q="不存在的词") == set()
    assert titles(region=str(org.regions.a.pk)) == set()  # region of the matter is not set
    assert titles(status="registered") == {"路灯不亮", "噪音扰民"}


def test_the_case_page_shows_the_timeline_with_actor_and_change(client: Client, org: Any, register: Any) -> None:
    from minsheng.petitions.services import petition_update

    petition = register(org.units.a, Actor.staff(org.registrar_a)).petition
    petition_update(actor=Actor.staff(org.registrar_a), petition=petition, title="更正后的标题")
    page = staff_login(client, org.registrar_a).get(reverse("workbench:petition", args=[petition.pk])).content.decode()
    assert "登记" in page and "修改登记信息" in page and "更正后的标题" in page


def test_the_timeline_names_people_and_jobs_readably_not_by_internal_labels(
    client: Client, org: Any, register: Any
) -> None:
    from minsheng.petitions.events import event_record

    petition = register(org.units.a, Actor.citizen("portal-accusation")).petition
    event_record(petition=petition, actor=Actor.system("intel"), action="link")
    staff_login(client, org.registrar_a)
    page = client.get(reverse("workbench:petition", args=[petition.pk])).content.decode()
    assert "portal-accusation" not in page and "信访人" in page and "系统 (重复和集体信访识别)" in page
    english = client.get(reverse("workbench:petition", args=[petition.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "System (repeat and collective petition detection)" in english


def test_the_list_runs_a_fixed_number_of_queries(
    client: Client, org: Any, register: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        register(org.units.a, title=f"事项{i}")
    staff_login(client, org.registrar_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("workbench:petitions"))


def test_attachments_download_as_files_never_rendered(client: Client, org: Any, register: Any) -> None:
    petition = register(org.units.a, attachments=[UploadInput(name="说明.txt", content=b"<script>x</script>")]).petition
    attachment = petition.attachments.get()
    response = staff_login(client, org.registrar_a).get(reverse("workbench:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
