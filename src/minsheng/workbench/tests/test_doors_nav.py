"""The staff nav leads each role to the front doors' pages it works: accusations, the identity
custodian's queue, people's suggestions; and not to pages it has no use for."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login

pytestmark = pytest.mark.django_db

ACCUSATIONS = 'href="/workbench/accusations/"'
REQUESTS = 'href="/workbench/accusations/requests/"'
SUGGESTIONS = 'href="/workbench/suggestions/"'


@pytest.mark.parametrize(
    ("username", "expected", "absent"),
    [
        ("registrar_a", {ACCUSATIONS, SUGGESTIONS}, {REQUESTS}),
        ("handler_a", {ACCUSATIONS, SUGGESTIONS}, {REQUESTS}),
        ("leader", {ACCUSATIONS, SUGGESTIONS}, {REQUESTS}),
        ("reviewer_a", {ACCUSATIONS}, {REQUESTS, SUGGESTIONS}),
        ("custodian", {REQUESTS}, {ACCUSATIONS, SUGGESTIONS}),
        ("analyst", {SUGGESTIONS}, {ACCUSATIONS, REQUESTS}),
    ],
)
def test_the_nav_links_the_doors_each_role_works(
    client: Client, org: Any, username: str, expected: set[str], absent: set[str]
) -> None:
    staff_login(client, getattr(org, username))
    html = client.get(reverse("workbench:home")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert all(link in nav for link in expected), expected - {link for link in expected if link in nav}
    assert not any(link in nav for link in absent)
    for link in expected:
        target = link.split('"')[1]
        assert client.get(target).status_code == 200, target
