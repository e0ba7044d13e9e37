"""Data scope over every staff route: county A never sees county B; the city sees both.

Every URL pattern that takes an object id must be listed in OBJECT_ROUTES, and every other one in
LIST_ROUTES or OPEN_ROUTES: a new route that is not classified fails this test.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import staff_login
from minsheng.petitions.services import UploadInput

pytestmark = pytest.mark.django_db

# route name -> how to build its kwargs from a petition
OBJECT_ROUTES = {
    "workbench:petition": lambda p: {"petition_id": p.pk},
    "workbench:attachment": lambda p: {"attachment_id": p.attachments.get().pk},
}
LIST_ROUTES = {"workbench:home", "workbench:petitions"}
OPEN_ROUTES = {"workbench:register"}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin"}:
                continue
            names |= _names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_workbench_route_is_classified_for_the_access_test() -> None:
    workbench = {n for n in _names(get_resolver()) if n.startswith("workbench:")}
    assert workbench == set(OBJECT_ROUTES) | LIST_ROUTES | OPEN_ROUTES


@pytest.fixture
def petition_b(org: Any, register: Any) -> Any:
    return register(
        org.units.b, title="天心区的事项独有标题", attachments=[UploadInput(name="b.txt", content=b"county B")]
    ).petition


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_county_a_cannot_open_anything_of_county_b(client: Client, org: Any, petition_b: Any, route: str) -> None:
    staff_login(client, org.registrar_a)
    response = client.get(reverse(route, kwargs=OBJECT_ROUTES[route](petition_b)))
    assert response.status_code == 404


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_missing_and_forbidden_answer_alike(client: Client, org: Any, petition_b: Any, route: str) -> None:
    staff_login(client, org.registrar_a)
    kwargs = OBJECT_ROUTES[route](petition_b)
    missing = {key: 10**9 for key in kwargs}
    forbidden_response = client.get(reverse(route, kwargs=kwargs))
    missing_response = client.get(reverse(route, kwargs=missing))
    assert forbidden_response.status_code == missing_response.status_code == 404
    assert forbidden_response.content == missing_response.content


@pytest.mark.parametrize("route", sorted(LIST_ROUTES))
def test_county_a_lists_and_searches_without_county_b(client: Client, org: Any, petition_b: Any, route: str) -> None:
    staff_login(client, org.registrar_a)
    page = client.get(reverse(route)).content.decode()
    assert "天心区的事项独有标题" not in page and petition_b.number not in page
    # a search for its exact title finds nothing (the title is echoed in the search box only)
    searched = client.get(reverse(route), {"q": "天心区的事项独有标题"}).content.decode()
    assert petition_b.number not in searched


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_the_city_bureau_above_both_opens_both(
    client: Client, org: Any, register: Any, petition_b: Any, route: str
) -> None:
    petition_a = register(org.units.a, attachments=[UploadInput(name="a.txt", content=b"county A")]).petition
    staff_login(client, org.city_registrar)
    for petition in (petition_a, petition_b):
        assert client.get(reverse(route, kwargs=OBJECT_ROUTES[route](petition))).status_code == 200


def test_the_city_bureau_lists_both_counties(client: Client, org: Any, register: Any, petition_b: Any) -> None:
    petition_a = register(org.units.a).petition
    staff_login(client, org.city_registrar)
    page = client.get(reverse("workbench:petitions")).content.decode()
    assert petition_a.number in page and petition_b.number in page


def test_a_department_sees_only_what_involves_it(client: Client, org: Any, register: Any, petition_b: Any) -> None:
    register(org.units.a)
    staff_login(client, org.handler_a)
    page = client.get(reverse("workbench:petitions"))
    assert page.context["page"].paginator.count == 0


def test_signed_out_visitors_are_sent_to_the_login_page(client: Client, petition_b: Any) -> None:
    response = client.get(reverse("workbench:petition", args=[petition_b.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
