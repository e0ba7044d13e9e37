"""The staff's accusation pages: every route classified, scope enforced, missing = forbidden."""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import staff_login
from minsheng.accusations.models import Accusation, AccusedUnit, ReportMessage
from minsheng.accusations.services import AccusationInput, accusation_file

pytestmark = pytest.mark.django_db

OBJECT_ROUTES = {
    "accusations:detail": ("get", lambda a: {"petition_id": a.pk}),
    "accusations:ask": ("post", lambda a: {"petition_id": a.pk}),
    "accusations:accused": ("post", lambda a: {"petition_id": a.pk}),
    "accusations:request_identity": ("post", lambda a: {"petition_id": a.pk}),
    "accusations:reveal": ("post", lambda a: {"petition_id": a.pk}),
    "accusations:decide": ("post", lambda a: {"request_id": a.access_requests.get().pk}),
}
LIST_ROUTES = {"accusations:list", "accusations:requests"}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            names |= _names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_staff_accusation_route_is_classified() -> None:
    assert {n for n in _names(get_resolver()) if n.startswith("accusations:")} == set(OBJECT_ROUTES) | LIST_ROUTES


@pytest.fixture
def accusation_b(org: Any) -> Accusation:
    from minsheng.accusations.models import IdentityAccessRequest
    from minsheng.orgs.models import User

    accusation = accusation_file(
        data=AccusationInput(title="天心区的检举独有标题", request="请求", facts="事实", region=org.regions.b),
        declared_truthful=True,
    ).accusation
    IdentityAccessRequest.objects.create(
        accusation=accusation,
        requested_by=User.objects.get(username="registrar_b"),
        requested_at=accusation.created_at,
        reason="理由理由理由理由理由",
    )
    return accusation


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_county_a_cannot_reach_anything_of_county_b_and_missing_looks_the_same(
    client: Client, org: Any, accusation_b: Accusation, route: str
) -> None:
    method, kwargs = OBJECT_ROUTES[route]
    staff_login(client, org.registrar_a)
    forbidden = getattr(client, method)(reverse(route, kwargs=kwargs(accusation_b)))
    missing = getattr(client, method)(reverse(route, kwargs={k: 10**9 for k in kwargs(accusation_b)}))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert not ReportMessage.objects.exists() and not AccusedUnit.objects.exists()


def test_lists_show_only_the_scope(client: Client, org: Any, accusation_b: Accusation) -> None:
    staff_login(client, org.registrar_a)
    assert "天心区的检举独有标题" not in client.get(reverse("accusations:list")).content.decode()
    staff_login(client, org.city_registrar)
    assert "天心区的检举独有标题" in client.get(reverse("accusations:list")).content.decode()


def test_only_custodians_open_the_request_queue(client: Client, org: Any, accusation_b: Accusation) -> None:
    staff_login(client, org.city_registrar)
    assert client.get(reverse("accusations:requests")).status_code == 404
    staff_login(client, org.custodian)
    assert "理由理由" in client.get(reverse("accusations:requests")).content.decode()


def test_a_handler_asks_the_reporter_through_the_page(client: Client, org: Any, accusation_b: Accusation) -> None:
    staff_login(client, org.registrar_b)
    response = client.post(reverse("accusations:ask", args=[accusation_b.pk]), {"body": "请补充时间。"})
    assert response.status_code == 302
    message = ReportMessage.objects.get()
    assert message.author == org.registrar_b and message.unit == org.units.b and not message.from_reporter
    empty = client.post(reverse("accusations:ask", args=[accusation_b.pk]), {"body": " "})
    assert empty.status_code == 400 and "请填写内容" in empty.content.decode()


def test_recording_ones_own_unit_as_accused_takes_the_matter_out_of_sight(
    client: Client, org: Any, accusation_b: Accusation
) -> None:
    staff_login(client, org.registrar_b)
    response = client.post(reverse("accusations:accused", args=[accusation_b.pk]), {"unit": org.units.b.pk})
    assert response["Location"] == reverse("accusations:list")
    assert client.get(reverse("accusations:detail", args=[accusation_b.pk])).status_code == 404


def test_the_list_needs_few_queries(client: Client, org: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(5):
        accusation_file(
            data=AccusationInput(title=f"检举{i}", request="请求", facts="事实", region=org.regions.a),
            declared_truthful=True,
        )
    staff_login(client, org.registrar_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("accusations:list"))
