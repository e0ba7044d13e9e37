"""Following a matter with its query code and the phone's last four digits."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.core.actors import Actor
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Petition
from minsheng.petitions.services import PetitionerInput
from minsheng.portal.tests.helpers import code_in, grievance_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(client: Client, org: Any) -> tuple[Petition, str]:
    response = client.post(reverse("portal:file", args=["grievance"]), grievance_form(org), follow=True)
    code = code_in(response.content.decode())
    client.cookies.clear()  # a new visitor: nothing unlocked
    return Petition.objects.get(), code


def test_the_code_and_the_phone_open_the_matter(client: Client, org: Any, filed: Any) -> None:
    petition, code = filed
    response = client.post(reverse("portal:follow"), {"code": code.lower(), "phone_last4": "8000"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:follow_detail", args=[petition.number])
    page = response.content.decode()
    assert petition.title in page and "芙蓉区信访局" in page and "登记" in page


@pytest.mark.parametrize(("code", "last4"), [("", "8000"), ("7KQ2-M9XD-4TRW-8HBN", "8000"), (None, "0000")])
def test_a_wrong_code_or_phone_gets_one_answer(client: Client, org: Any, filed: Any, code: Any, last4: str) -> None:
    petition, real = filed
    response = client.post(reverse("portal:follow"), {"code": real if code is None else code, "phone_last4": last4})
    assert response.status_code == 200
    assert client.get(reverse("portal:follow_detail", args=[petition.number])).status_code == 302
    if code != "":
        assert "查询码或手机号后四位不正确" in response.content.decode()


def test_without_a_phone_on_record_the_code_alone_opens_it(client: Client, org: Any, register: Any) -> None:
    registration = register(org.units.a, petitioners=[PetitionerInput(name="李四", address="芙蓉区")])
    response = client.post(reverse("portal:follow"), {"code": registration.query_code, "phone_last4": ""})
    assert response["Location"] == reverse("portal:follow_detail", args=[registration.petition.number])


def test_a_number_alone_opens_nothing(client: Client, org: Any, filed: Any) -> None:
    petition, _code = filed
    response = client.get(reverse("portal:follow_detail", args=[petition.number]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:follow")


def test_the_citizen_sees_public_steps_with_date_and_unit_never_staff_names(
    client: Client, org: Any, filed: Any
) -> None:
    petition, code = filed
    actor = Actor.staff(org.registrar_a)
    event_record(petition=petition, actor=actor, action="update", note="内部备注：不公开的说明", unit=org.units.a)
    event_record(
        petition=petition, actor=actor, action="register", note="公开的告知说明", unit=org.units.housing_a, public=True
    )
    client.post(reverse("portal:follow"), {"code": code, "phone_last4": "8000"})
    page = client.get(reverse("portal:follow_detail", args=[petition.number])).content.decode()
    assert "公开的告知说明" in page and "芙蓉区住房和城乡建设局" in page
    assert "内部备注" not in page and "registrar_a" not in page


def test_the_follow_page_leaves_room_for_the_workflow_and_fakes_nothing(client: Client, org: Any, filed: Any) -> None:
    petition, code = filed
    client.post(reverse("portal:follow"), {"code": code, "phone_last4": "8000"})
    response = client.get(reverse("portal:follow_detail", args=[petition.number]))
    assert "portal/follow/_workflow.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "处理意见书" not in page and "评价" not in page


def test_staff_signed_in_do_not_open_citizens_matters_without_the_code(client: Client, org: Any, filed: Any) -> None:
    petition, _code = filed
    staff_login(client, org.registrar_a)
    assert client.get(reverse("portal:follow_detail", args=[petition.number])).status_code == 302


def test_the_home_page_is_the_portal_and_staff_still_reach_the_workbench(client: Client, org: Any) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "portal/home.html" in [t.name for t in home.templates]
    assert client.get("/workbench/")["Location"].startswith(reverse("login"))
    assert staff_login(client, org.registrar_a).get("/workbench/").status_code == 200
