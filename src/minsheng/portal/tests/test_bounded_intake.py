"""Bounded public intake: a burst from one address beyond the limit gets 429 with its message and
creates nothing more; every public POST is counted, per address and per identity."""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from minsheng.accusations.models import Accusation
from minsheng.core.ratelimit import Limit, RateLimited
from minsheng.petitions.models import Petition
from minsheng.portal import views as portal_views
from minsheng.portal.tests.helpers import accusation_form, grievance_form
from minsheng.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db
PUBLIC_NAMESPACES = ("portal", "accuse", "suggestions")


def burst(client: Client, url: str, data: Any, times: int, address: str = "203.0.113.7") -> list[int]:
    codes = []
    for _ in range(times):
        body = data() if callable(data) else data
        codes.append(client.post(url, body, REMOTE_ADDR=address).status_code)
    return codes


def test_a_burst_of_filings_from_one_address_gets_429_and_creates_nothing_more(client: Client, org: Any) -> None:
    limit = portal_views.FILE_PER_ADDRESS.limit
    phones = iter(f"1380013{n:04d}" for n in range(100))  # a different phone each time: the address limit bites
    url = reverse("portal:file", args=["grievance"])
    codes = burst(client, url, lambda: grievance_form(org, phone=next(phones)), limit + 5)
    assert codes == [302] * limit + [429] * 5
    assert Petition.objects.count() == limit
    refused = client.post(url, grievance_form(org, phone="13900000000"), REMOTE_ADDR="203.0.113.7")
    page = refused.content.decode()
    assert refused.status_code == 429 and "提交过于频繁：每 60 分钟最多 10 次" in page
    assert int(refused["Retry-After"]) > 0
    assert Petition.objects.count() == limit
    # another address is not held up by this one
    assert client.post(url, grievance_form(org, phone="13900000001"), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_one_phone_from_many_addresses_is_bounded_too(client: Client, org: Any) -> None:
    limit = portal_views.FILE_PER_PHONE.limit
    url = reverse("portal:file", args=["grievance"])
    codes = [client.post(url, grievance_form(org), REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(limit + 2)]
    assert codes == [302] * limit + [429] * 2 and Petition.objects.count() == limit


def test_a_burst_of_accusations_gets_429_and_creates_nothing_more(client: Client, org: Any) -> None:
    from minsheng.accusations.views import FILE_PER_ADDRESS

    codes = burst(client, reverse("accuse:file"), accusation_form(org), FILE_PER_ADDRESS.limit + 3)
    assert codes == [302] * FILE_PER_ADDRESS.limit + [429] * 3
    assert Accusation.objects.count() == Petition.objects.count() == FILE_PER_ADDRESS.limit


def test_a_burst_of_suggestions_gets_429_and_creates_nothing_more(client: Client, org: Any) -> None:
    from minsheng.suggestions.views import SUBMIT_PER_ADDRESS

    phones = iter(f"1350013{n:04d}" for n in range(100))
    data = {"title": "建议", "grounds": "事由", "measures": "对策", "name": "王", "region": org.regions.a.pk}
    codes = burst(client, reverse("suggestions:submit"), lambda: data | {"phone": next(phones)}, 13)
    assert codes == [302] * SUBMIT_PER_ADDRESS.limit + [429] * 3
    assert Suggestion.objects.count() == SUBMIT_PER_ADDRESS.limit


def test_guessing_receipt_codes_is_bounded_per_locator_across_addresses(client: Client, org: Any) -> None:
    from minsheng.accusations.views import UNLOCK_PER_LOCATOR

    client.post(reverse("accuse:file"), accusation_form(org))
    locator = Accusation.objects.get().locator
    guess = locator + "0" * 28
    codes = [
        client.post(reverse("accuse:follow"), {"code": guess}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(UNLOCK_PER_LOCATOR.limit + 1)
    ]
    assert codes[-1] == 429 and codes[:-1] == [200] * UNLOCK_PER_LOCATOR.limit


def _public_routes() -> list[tuple[str, dict[str, Any]]]:
    samples = {"nature": "grievance", "number": "X-1", "locator": "ABCDEFGH", "campaign_id": 1}
    found = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace in PUBLIC_NAMESPACES:
                kwargs = {key: samples.get(key, 1) for key in entry.pattern.converters}
                found.append((f"{namespace}:{entry.name}", kwargs))

    walk(get_resolver(), "")
    return found


def test_the_public_routes_are_found() -> None:
    names = {name for name, _kwargs in _public_routes()}
    assert {"portal:file", "accuse:file", "suggestions:cosign", "accuse:follow_detail"} <= names


@pytest.mark.parametrize(("name", "kwargs"), _public_routes(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_public_post_is_counted_before_anything_else(
    client: Client, org: Any, monkeypatch: pytest.MonkeyPatch, name: str, kwargs: dict[str, Any]
) -> None:
    def refuse(limit: Limit, identity: str, **_: Any) -> None:
        raise RateLimited(limit, retry_after=60)

    monkeypatch.setattr("minsheng.portal.intake.hit", refuse)
    response = client.post(reverse(name, kwargs=kwargs), {})
    # A page that takes no POST says so; every page that takes one is bounded.
    assert response.status_code in {405, 429}, f"{name} answers a POST without counting it"
    if response.status_code == 405:
        assert client.get(reverse(name, kwargs=kwargs)).status_code in {200, 302, 404}
