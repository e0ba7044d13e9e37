"""R22 Art. 30 ¶3, 46(5): the workflow never routes an accusation to the accused unit or a unit
inside it, whichever door the forward or assignment comes through (service, page, staff API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.accusations.models import Accusation
from minsheng.accusations.services import AccusationInput, accusation_file
from minsheng.api.auth import staff_token_create
from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, ValidationError
from minsheng.petitions.models import PetitionUnit
from minsheng.workflow import services as wf
from minsheng.workflow.services.base import hand_over
from minsheng.workflow.states import Status

pytestmark = pytest.mark.django_db
REFUSAL = "不得转送、交办给被检举的单位或其下属单位"


@pytest.fixture
def accusation(org: Any) -> Accusation:
    return accusation_file(
        data=AccusationInput(
            title="检举住建局违规发放补贴",
            request="请求查处",
            facts="住建局违规向不符合条件的人发放补贴。",
            region=org.regions.a,
            accused_units=[org.units.housing_a],
        ),
        declared_truthful=True,
    ).accusation


def unchanged(accusation: Accusation, org: Any) -> None:
    petition = accusation.petition
    petition.refresh_from_db()
    assert petition.status == Status.REGISTERED and petition.handling_unit == org.units.a
    assert not PetitionUnit.objects.filter(petition=petition, unit=org.units.housing_a).exists()


def test_forwarding_to_the_accused_unit_is_refused_with_the_article(org: Any, accusation: Accusation) -> None:
    with pytest.raises(ValidationError) as raised:
        wf.case_forward(actor=Actor.staff(org.registrar_a), petition=accusation.petition, to_unit=org.units.housing_a)
    [message] = raised.value.message_dict["to_unit"]
    assert REFUSAL in message and "第三十条第三款" in message and "芙蓉区住房和城乡建设局" in message
    unchanged(accusation, org)


def test_assigning_or_co_handling_with_the_accused_is_refused(org: Any, accusation: Accusation) -> None:
    with pytest.raises(ValidationError) as raised:
        wf.case_assign(
            actor=Actor.staff(org.registrar_a),
            petition=accusation.petition,
            to_unit=org.units.housing_a,
            report_back_by=dt.date.today() + dt.timedelta(days=20),
        )
    assert REFUSAL in raised.value.message_dict["to_unit"][0]
    with pytest.raises(ValidationError) as raised:
        wf.case_forward(
            actor=Actor.staff(org.registrar_a),
            petition=accusation.petition,
            to_unit=org.units.hr_a,
            co_units=[org.units.housing_a],
        )
    assert REFUSAL in raised.value.message_dict["co_units"][0]
    unchanged(accusation, org)


def test_the_hand_over_every_route_passes_refuses_the_accused_too(org: Any, accusation: Accusation) -> None:
    with pytest.raises(Conflict) as raised:
        hand_over(accusation.petition, org.units.housing_a)
    assert raised.value.code == "accused_unit"
    unchanged(accusation, org)


def test_another_unit_below_the_bureau_may_take_it(org: Any, accusation: Accusation) -> None:
    outcome = wf.case_forward(actor=Actor.staff(org.registrar_a), petition=accusation.petition, to_unit=org.units.hr_a)
    assert outcome.petition.status == Status.FORWARDED and outcome.petition.handling_unit == org.units.hr_a


def test_an_ordinary_petition_still_goes_to_the_housing_bureau(org: Any, register: Any) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a)).petition
    outcome = wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    assert outcome.petition.handling_unit == org.units.housing_a


def test_the_action_page_shows_the_refusal_beside_the_field(client: Client, org: Any, accusation: Accusation) -> None:
    staff_login(client, org.registrar_a)
    url = reverse("workflow:action", args=[accusation.pk, "forward"])
    response = client.post(url, {"to_unit": org.units.housing_a.pk, "note": ""})
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    unchanged(accusation, org)


def test_the_staff_api_answers_with_the_refusal(client: Client, org: Any, accusation: Accusation) -> None:
    _token, secret = staff_token_create(actor=Actor.system("test"), user=org.registrar_a, name="test")
    response = client.post(
        f"/api/v1/petitions/{accusation.pk}/actions",
        {"action": "forward", "to_unit": org.units.housing_a.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422
    assert REFUSAL in response.json()["errors"]["to_unit"][0]
    unchanged(accusation, org)
