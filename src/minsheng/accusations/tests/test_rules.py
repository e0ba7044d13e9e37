"""R22 Art. 30 ¶3, Art. 46(5): the accused unit and everything inside it never see the accusation
and are never routed it; the units above it still handle it."""

from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.accusations.models import Accusation
from minsheng.accusations.rules import check_route, may_route_to, receiving_unit_for, route_refusal
from minsheng.accusations.services import (
    AccusationInput,
    accusation_file,
    accusation_open_for_petition,
    accused_unit_add,
)
from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, NotAllowed
from minsheng.petitions.access import attachment_for_user, petition_for_user, petitions_visible_to
from minsheng.petitions.models import PetitionUnit
from minsheng.petitions.services import UploadInput

pytestmark = pytest.mark.django_db


def accuse(org: Any, *accused: Any) -> Accusation:
    return accusation_file(
        data=AccusationInput(
            title="检举住建局违规发放补贴",
            request="请求查处",
            facts="住建局违规向不符合条件的人发放补贴。",
            region=org.regions.a,
            accused_units=list(accused),
            attachments=[UploadInput(name="证据.txt", content="证据".encode())],
        ),
        declared_truthful=True,
    ).accusation


def test_the_accused_unit_never_sees_it_even_when_involved(org: Any) -> None:
    accusation = accuse(org, org.units.housing_a)
    petition = accusation.petition
    # As if someone routed it there before the rule was wired into the workflow:
    PetitionUnit.objects.create(petition=petition, unit=org.units.housing_a, role=PetitionUnit.Role.HANDLING)
    for user in (org.handler_a, org.unit_head_a):
        assert petition not in petitions_visible_to(user)
        with pytest.raises(Http404):
            petition_for_user(user, petition.pk)
        with pytest.raises(Http404):
            attachment_for_user(user, petition.attachments.get().pk)


def test_the_units_above_the_accused_still_handle_it(org: Any) -> None:
    petition = accuse(org, org.units.housing_a).petition
    for user in (org.registrar_a, org.reviewer_a, org.city_registrar, org.custodian):
        assert petition in petitions_visible_to(user)


def test_a_unit_inside_an_accused_unit_is_barred_too(org: Any) -> None:
    petition = accuse(org, org.units.a).petition  # the county bureau; the housing bureau is inside it
    assert petition.handling_unit == org.units.city
    PetitionUnit.objects.create(petition=petition, unit=org.units.housing_a, role=PetitionUnit.Role.HANDLING)
    for user in (org.registrar_a, org.handler_a):
        assert petition not in petitions_visible_to(user)
    assert petition in petitions_visible_to(org.city_registrar)


def test_other_petitions_stay_visible_to_an_accused_unit(org: Any, register: Any) -> None:
    accuse(org, org.units.housing_a)
    ordinary = register(org.units.a).petition
    PetitionUnit.objects.create(petition=ordinary, unit=org.units.housing_a, role=PetitionUnit.Role.HANDLING)
    assert list(petitions_visible_to(org.handler_a)) == [ordinary]


def test_routing_to_an_accused_unit_or_below_it_is_refused_with_the_article(org: Any) -> None:
    petition = accuse(org, org.units.a).petition
    assert not may_route_to(petition, org.units.a)
    assert not may_route_to(petition, org.units.housing_a)
    assert may_route_to(petition, org.units.city_housing) and may_route_to(petition, org.units.discipline_a) is False
    reason = route_refusal(petition, org.units.housing_a)
    assert reason is not None and "第三十条第三款" in reason
    with pytest.raises(Conflict) as exc:
        check_route(petition, org.units.housing_a)
    assert exc.value.article == "R22 Art. 30 ¶3, Art. 46(5)" and exc.value.code == "accused_unit"


def test_an_ordinary_petition_may_go_anywhere(org: Any, register: Any) -> None:
    petition = register(org.units.a).petition
    assert may_route_to(petition, org.units.housing_a) and route_refusal(petition, org.units.housing_a) is None


def test_when_every_bureau_up_the_chain_is_accused_there_is_no_receiving_unit(org: Any) -> None:
    assert receiving_unit_for(org.regions.a, [org.units.province]) is None
    assert receiving_unit_for(org.regions.a, [org.units.b]) == org.units.a


def test_recording_an_accused_unit_later_hides_it_from_that_unit(org: Any) -> None:
    accusation = accuse(org)
    petition = accusation.petition
    PetitionUnit.objects.create(petition=petition, unit=org.units.housing_a, role=PetitionUnit.Role.HANDLING)
    assert petition in petitions_visible_to(org.handler_a)
    accused_unit_add(actor=Actor.staff(org.registrar_a), accusation=accusation, unit=org.units.housing_a)
    assert petition not in petitions_visible_to(org.handler_a)
    assert petition.events.filter(action="accused_unit_add", unit=org.units.housing_a).exists()
    with pytest.raises(Conflict):
        accused_unit_add(actor=Actor.staff(org.registrar_a), accusation=accusation, unit=org.units.housing_a)


def test_only_case_workers_record_accused_units(org: Any) -> None:
    with pytest.raises(NotAllowed):
        accused_unit_add(actor=Actor.staff(org.analyst), accusation=accuse(org), unit=org.units.housing_a)


def test_an_accusation_received_on_paper_gets_its_protected_record(org: Any, register: Any) -> None:
    petition = register(org.units.a, nature="accusation").petition
    accusation = accusation_open_for_petition(actor=Actor.staff(org.registrar_a), petition=petition)
    assert accusation.locator is None
    accused_unit_add(actor=Actor.staff(org.registrar_a), accusation=accusation, unit=org.units.hr_a)
    PetitionUnit.objects.create(petition=petition, unit=org.units.hr_a, role=PetitionUnit.Role.HANDLING)
    assert petition not in petitions_visible_to(org.handler_hr_a)
    with pytest.raises(Conflict):
        accusation_open_for_petition(actor=Actor.staff(org.registrar_a), petition=register(org.units.a).petition)


def test_the_workbench_pages_obey_the_rule(client: Client, org: Any) -> None:
    petition = accuse(org, org.units.housing_a).petition
    PetitionUnit.objects.create(petition=petition, unit=org.units.housing_a, role=PetitionUnit.Role.HANDLING)
    staff_login(client, org.handler_a)
    assert client.get(reverse("workbench:petition", args=[petition.pk])).status_code == 404
    assert petition.number not in client.get(reverse("workbench:petitions")).content.decode()
    assert client.get(reverse("accusations:detail", args=[petition.pk])).status_code == 404
