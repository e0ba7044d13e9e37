"""Data scope of the workbench: county A never sees county B; the city above sees both.

Every route of every app is probed by the route-enumerating test (core/tests/test_routes_access.py,
which reads each app's tests/access_routes.py); these tests add the workbench's own scope rules.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.petitions.services import UploadInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition_b(org: Any, register: Any) -> Any:
    return register(
        org.units.b, title="天心区的事项独有标题", attachments=[UploadInput(name="b.txt", content=b"county B")]
    ).petition


def test_the_city_bureau_above_both_opens_both(client: Client, org: Any, register: Any, petition_b: Any) -> None:
    petition_a = register(org.units.a, attachments=[UploadInput(name="a.txt", content=b"county A")]).petition
    staff_login(client, org.city_registrar)
    for petition in (petition_a, petition_b):
        assert client.get(reverse("workbench:petition", args=[petition.pk])).status_code == 200
        assert client.get(reverse("workbench:attachment", args=[petition.attachments.get().pk])).status_code == 200


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
