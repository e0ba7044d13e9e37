"""The access test can fail: it notices unclassified routes, stale entries, and routes that leak.

Each case runs the real machinery against `urls_with_unsafe_routes`, the real site plus one route
that breaks a rule, and expects the check to fail with a message naming the route.
"""

from typing import Any

import pytest
from django.test import override_settings

from minsheng.core.actors import Actor
from minsheng.core.testing.routes import (
    ApiOperation,
    SignedIn,
    StaffObject,
    all_routes,
    build_world,
    classification_problems,
    probe,
    registered_routes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("minsheng.core.tests.urls_with_unsafe_routes")]


@pytest.fixture
def world(org: Any) -> Any:
    return build_world(org)


def test_routes_added_without_classification_fail_the_check() -> None:
    problems = "\n".join(classification_problems())
    for key in (
        "leaky_petition",
        "unmasked_petitioner",
        "nobody_gets_in",
        "list_of_everything",
        "inline_attachment",
        "GET /unsafe-api/things/<thing_id>",
        "extra_api:openapi-json",
    ):
        assert f"unclassified route '{key}'" in problems


def test_once_classified_they_pass_the_classification_check() -> None:
    routes = [
        *registered_routes(),
        StaffObject("leaky_petition"),
        StaffObject("unmasked_petitioner"),
        StaffObject("nobody_gets_in"),
        SignedIn("list_of_everything"),
        StaffObject("inline_attachment"),
        ApiOperation("GET /unsafe-api/things/<thing_id>", auth="none"),
        ApiOperation("GET /unsafe-api/petitioners/<petitioner_id>", auth="none"),
        ApiOperation("GET /unsafe-api/staff/petitions/<petition_id>"),
        ApiOperation("GET /unsafe-api/staff/leaky/<petition_id>"),
        ApiOperation("POST /unsafe-api/systems/petitions/<petition_id>", auth="key"),
        ApiOperation("POST /unsafe-api/systems/leaky/<petition_id>", auth="key"),
        ApiOperation("POST /unsafe-api/systems/notes/<petition_id>", auth="key"),
        ApiOperation("echoing_request", auth="key"),
        *(SignedIn(f"extra_api:{name}") for name in ("openapi-json", "openapi-view", "api-root")),
    ]
    assert classification_problems(routes=routes) == []


@override_settings(ROOT_URLCONF="minsheng.config.urls")
def test_an_entry_for_a_route_that_is_gone_fails_the_check() -> None:
    problems = classification_problems(routes=[*registered_routes(), StaffObject("workbench:gone")])
    assert problems == ["StaffObject('workbench:gone') names no route: remove or correct it"]


def _probe(route: Any, world: Any) -> None:
    probe(route, all_routes()[route.key], world)


def test_an_object_route_without_the_access_helper_fails(world: Any) -> None:
    with pytest.raises(AssertionError, match=r"leaky_petition: registrar_a \(county A\) got 200"):
        _probe(StaffObject("leaky_petition", lambda w: {"petition_id": w.petition.pk}), world)


def test_a_page_showing_a_full_resident_id_fails(world: Any) -> None:
    with pytest.raises(AssertionError, match="city_registrar carries a petitioner's full personal data"):
        _probe(StaffObject("unmasked_petitioner", lambda w: {"petition_id": w.petition.pk}), world)


def test_a_route_that_refuses_everyone_fails_the_positive_control(world: Any) -> None:
    with pytest.raises(AssertionError, match="city_registrar, who may see county B's object, got 404"):
        _probe(StaffObject("nobody_gets_in", lambda w: {"petition_id": w.petition.pk}), world)


def test_a_file_that_the_browser_would_render_fails(world: Any) -> None:
    with pytest.raises(AssertionError, match="inline_attachment: a file must be sent with Content-Disposition"):
        _probe(StaffObject("inline_attachment", lambda w: {"attachment_id": w.attachment.pk}), world)


def test_a_list_showing_another_county_fails(world: Any) -> None:
    with pytest.raises(AssertionError, match="list_of_everything: the response to registrar_a shows county B"):
        _probe(SignedIn("list_of_everything"), world)


def test_an_api_operation_leaking_a_phone_fails(world: Any) -> None:
    route = ApiOperation(
        "GET /unsafe-api/petitioners/<petitioner_id>",
        auth="none",
        kwargs=lambda w: {"petitioner_id": w.petitioner.pk},
    )
    with pytest.raises(AssertionError, match="anonymous caller carries a petitioner's full personal data"):
        _probe(route, world)


def test_the_well_behaved_routes_pass_the_same_probes(world: Any) -> None:
    _probe(StaffObject("workbench:petition", lambda w: {"petition_id": w.petition.pk}), world)
    _probe(ApiOperation("GET /unsafe-api/things/<thing_id>", auth="none", kwargs=lambda w: {"thing_id": 1}), world)


def test_a_staff_api_operation_without_the_access_helper_fails(world: Any) -> None:
    route = ApiOperation("GET /unsafe-api/staff/leaky/<petition_id>", kwargs=lambda w: {"petition_id": w.petition.pk})
    with pytest.raises(AssertionError, match=r"registrar_a \(county A\) got 200, not 404"):
        _probe(route, world)


def test_a_staff_api_operation_through_the_access_helper_passes(world: Any) -> None:
    _probe(
        ApiOperation("GET /unsafe-api/staff/petitions/<petition_id>", kwargs=lambda w: {"petition_id": w.petition.pk}),
        world,
    )


def test_a_system_key_operation_without_scope_fails(world: Any) -> None:
    route = ApiOperation(
        "POST /unsafe-api/systems/leaky/<petition_id>",
        auth="key",
        json=True,
        kwargs=lambda w: {"petition_id": w.petition.pk},
    )
    with pytest.raises(AssertionError, match=r"registrar_a \(county A\) got 200, not 404"):
        _probe(route, world)


def test_a_system_key_operation_within_scope_passes(world: Any) -> None:
    _probe(
        ApiOperation(
            "POST /unsafe-api/systems/petitions/<petition_id>",
            auth="key",
            json=True,
            kwargs=lambda w: {"petition_id": w.petition.pk},
        ),
        world,
    )


def test_a_404_that_only_echoes_the_id_it_was_asked_for_passes(world: Any) -> None:
    from minsheng.api.auth import api_client_create

    _client, secret = api_client_create(
        actor=Actor.system("t"), name="county B system", unit=world.units.b, scopes=["petitions:read"]
    )
    route = ApiOperation(
        "echoing_request",
        auth="key",
        kwargs=lambda w: {"request_id": w.petition.pk, "fmt": "json"},
        ok_credentials=lambda w: {"HTTP_X_API_KEY": secret},
    )
    _probe(route, world)


def test_json_bodies_reach_the_operation(world: Any) -> None:
    route = ApiOperation(
        "POST /unsafe-api/systems/notes/<petition_id>",
        auth="key",
        json=True,
        kwargs=lambda w: {"petition_id": w.petition.pk},
        data=lambda w: {"note": "补充"},
    )
    _probe(route, world)  # a body that is not JSON would be refused (422) before the scope check
