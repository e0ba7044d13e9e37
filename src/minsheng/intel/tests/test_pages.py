"""The case page: similar petitions within the data scope, the flags, and undoing a link."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.core.actors import Actor
from minsheng.intel.models import MatterLink
from minsheng.intel.selectors import similar_for_user

from .conftest import person

pytestmark = pytest.mark.django_db


def test_a_similar_petition_outside_the_scope_shows_only_its_unit(org: Any, register: Any, clock: Any) -> None:
    in_a = register(org.units.a, Actor.staff(org.registrar_a), petitioners=[person(1)]).petition
    in_b = register(org.units.b, Actor.staff(org.registrar_b), petitioners=[person(2)]).petition
    [view] = similar_for_user(user=org.registrar_b, petition=in_b)
    assert (view.visible, view.petition, view.unit_name) == (False, None, org.units.a.display_name)
    [view] = similar_for_user(user=org.city_registrar, petition=in_b)  # the city sees both counties
    assert view.visible and view.petition == in_a and view.score == pytest.approx(1.0)


def test_a_similar_accusation_outside_the_scope_is_not_even_mentioned(org: Any, register: Any, clock: Any) -> None:
    register(org.units.a, Actor.staff(org.registrar_a), nature="accusation", petitioners=[person(1)])
    in_b = register(org.units.b, Actor.staff(org.registrar_b), petitioners=[person(2)]).petition
    assert similar_for_user(user=org.registrar_b, petition=in_b) == []


def _client(user: Any) -> Client:
    client = Client()
    staff_login(client, user)
    return client


def test_the_case_page_shows_the_repeat_flag_and_the_similar_list(org: Any, register: Any, flow: Any) -> None:
    earlier = flow.accepted()
    later = register(org.units.city, Actor.staff(org.city_registrar)).petition
    client = _client(org.city_registrar)
    html = client.get(reverse("workbench:petition", args=[later.pk])).content.decode()
    assert 'data-flag="repeat"' in html and earlier.number in html and "1.00" in html

    outsider = _client(org.registrar_b)
    assert outsider.get(reverse("workbench:petition", args=[later.pk])).status_code == 404


def test_a_registrar_undoes_a_wrong_link_from_the_case_page(org: Any, register: Any, flow: Any) -> None:
    flow.accepted()
    later = register(org.units.city, Actor.staff(org.city_registrar)).petition
    link = MatterLink.objects.get(petition=later)
    client = _client(org.city_registrar)
    url = reverse("intel:unlink", args=[link.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请写明解除关联的理由" in response.content.decode()
    assert MatterLink.objects.get(pk=link.pk).unlinked_at is None
    client.post(url, {"reason": "不是同一处摊点。"})
    assert MatterLink.objects.get(pk=link.pk).unlink_reason == "不是同一处摊点。"
    html = client.get(reverse("workbench:petition", args=[later.pk])).content.decode()
    assert 'data-flag="repeat"' not in html and "解除重复信访关联" in html
