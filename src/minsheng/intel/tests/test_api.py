"""The staff API's petition answer carries the repeat links and similar petitions, within scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from minsheng.api.tests.test_staff_api import _clock, bearer  # noqa: F401
from minsheng.core.actors import Actor

from .conftest import person

pytestmark = pytest.mark.django_db


def test_the_staff_api_shows_repeat_links_and_similar_petitions_within_scope(org: Any, register: Any) -> None:
    earlier = register(org.units.a, Actor.staff(org.registrar_a)).petition
    later = register(org.units.city, Actor.staff(org.city_registrar)).petition
    in_b = register(org.units.b, Actor.staff(org.registrar_b), petitioners=[person(2)]).petition
    client = Client()

    body = client.get(f"/api/v1/petitions/{later.pk}", **bearer(org.city_registrar)).json()
    assert body["repeat_links"] == [
        {"kind": "repeat", "label": "重复信访（原事项正在办理）", "earlier_number": earlier.number, "score": 1.0}
    ]
    assert {s["number"] for s in body["similar"]} == {earlier.number, in_b.number}
    assert body["collective"] is False

    body = client.get(f"/api/v1/petitions/{in_b.pk}", **bearer(org.registrar_b)).json()
    assert body["repeat_links"] == []
    assert all(s["number"] is None and s["title"] is None for s in body["similar"])
    assert {s["unit"] for s in body["similar"]} == {org.units.a.display_name, org.units.city.display_name}
