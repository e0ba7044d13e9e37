"""The route-enumerating access test: every URL and API route is classified, and each keeps county
B's objects and petitioners' personal data from people who may not see them.

The machinery and how to register a route: core/testing/routes.py, docs/ARCHITECTURE.md.
"""

from typing import Any

import pytest

from minsheng.core.testing.routes import (
    Route,
    all_routes,
    build_world,
    classification_problems,
    probe,
    registered_routes,
)

pytestmark = pytest.mark.django_db


def test_every_route_is_classified_exactly_once() -> None:
    problems = classification_problems()
    assert problems == [], "\n".join(problems)


@pytest.fixture
def world(org: Any) -> Any:
    return build_world(org)


@pytest.mark.parametrize("route", registered_routes(), ids=lambda route: route.key)
def test_the_route_keeps_county_b_to_itself(route: Route, world: Any) -> None:
    found = [found for key, found in sorted(all_routes().items()) if route.covers(key)]
    assert found, f"{route.key} names no route"
    probe(route, found[0], world)
