"""The staff REST API: petitions in scope with their deadlines and timeline, and the actions of
the transition table (409 with the reason when the law or the state does not allow them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from minsheng.api.auth import staff_token_create
from minsheng.core.actors import Actor
from minsheng.workflow import services as wf

pytestmark = pytest.mark.django_db
URL = "/api/v1"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    from django.utils import translation

    translation.activate("zh-hans")  # a request in English leaves English active in the thread
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield
    translation.activate("zh-hans")


def bearer(user: Any) -> dict[str, str]:
    _token, secret = staff_token_create(actor=Actor.system("test"), user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def act(client: Client, user: Any, petition: Any, **body: Any) -> Any:
    return client.post(f"{URL}/petitions/{petition.pk}/actions", body, content_type="application/json", **bearer(user))


@pytest.fixture
def petition(org: Any, register: Any) -> Any:
    return register(org.units.a, Actor.staff(org.registrar_a)).petition


def test_reading_a_petition_returns_status_deadlines_with_their_basis_and_events(
    client: Client, org: Any, petition: Any
) -> None:
    body = client.get(f"{URL}/petitions/{petition.pk}", **bearer(org.registrar_a)).json()
    assert body["status"] == "registered" and body["policy"] == "R22 v1"
    [triage] = body["deadlines"]
    assert triage["step"] == "triage" and triage["due"] == "2026-03-17" and triage["provisional"] is False
    assert triage["basis"] == "2026-03-17 = 收到 2026-03-02 + 15日（R22 第二十二条）"
    assert [e["action"] for e in body["events"]] == ["register"]
    assert {"forward", "assign", "accept", "decline"} <= {a["name"] for a in body["actions"] if a["enabled"]}


def test_the_basis_follows_the_callers_language(client: Client, org: Any, petition: Any) -> None:
    body = client.get(f"{URL}/petitions/{petition.pk}", HTTP_ACCEPT_LANGUAGE="en", **bearer(org.registrar_a)).json()
    assert body["deadlines"][0]["basis"] == "2026-03-17 = received 2026-03-02 + 15 days (R22 Art. 22)"


def test_an_action_moves_the_petition_and_answers_with_the_new_state(client: Client, org: Any, petition: Any) -> None:
    response = act(
        client,
        org.registrar_a,
        petition,
        action="forward",
        to_unit=org.units.housing_a.pk,
        co_units=[org.units.hr_a.pk],
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "forwarded" and body["handling_unit"]["id"] == org.units.housing_a.pk
    steps = {d["step"]: d for d in body["deadlines"]}
    assert steps["triage"]["status"] == "met" and steps["accept"]["due"] == "2026-03-17"
    assert steps["objection"]["due"] == "2026-03-09" and steps["objection"]["unit"]["id"] == org.units.housing_a.pk


def test_an_illegal_action_answers_409_with_the_reason(client: Client, org: Any, petition: Any) -> None:
    response = act(
        client,
        org.registrar_a,
        petition,
        action="decide_review",
        outcome="uphold",
        facts="f",
        opinion="o",
        legal_basis="l",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition" and "已登记待分流" in response.json()["message"]


def test_a_review_asked_on_day_31_answers_409_citing_art_35(client: Client, org: Any, petition: Any) -> None:
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    wf.case_decide(
        actor=Actor.staff(org.handler_a),
        petition=petition,
        outcome="explain",
        request="r",
        facts="f",
        opinion="o",
        legal_basis="l",
        delivered_on=dt.date(2026, 3, 2),
    )
    response = act(
        client, org.reviewer_a, petition, action="request_review", grounds="不服。", requested_on="2026-04-02"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "request_late" and body["article"] == "R22 Art. 35" and "第三十五条" in body["message"]


def test_a_request_dated_in_the_future_is_refused_field_by_field(client: Client, org: Any, petition: Any) -> None:
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    response = act(client, org.handler_a, petition, action="request_extension", days=0, reason="")
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"days", "reason"}


def test_a_matter_closed_after_rereview_is_refused_with_a_link_to_it(
    client: Client, org: Any, petition: Any, register: Any
) -> None:
    from minsheng.workflow.models import Case, Closure

    case = Case.objects.get(petition=petition)
    Case.objects.filter(pk=case.pk).update(closure=Closure.REREVIEW, closed_at=petition.registered_at)
    again = register(org.units.a, Actor.staff(org.registrar_a)).petition
    assert act(client, org.registrar_a, again, action="link_earlier", earlier=petition.number).status_code == 200
    response = act(client, org.registrar_a, again, action="accept")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "matter_closed" and body["link"] == f"/api/v1/petitions/{petition.pk}"
    assert petition.number in body["message"]


def test_unknown_actions_and_bad_fields_answer_422(client: Client, org: Any, petition: Any) -> None:
    assert act(client, org.registrar_a, petition, action="teleport").status_code == 422
    response = act(client, org.registrar_a, petition, action="forward", to_unit="not a number")
    assert response.status_code == 422 and any(key.endswith("to_unit") for key in response.json()["errors"])
    response = act(client, org.registrar_a, petition, action="forward", to_unit=org.units.housing_b.pk)
    assert response.status_code == 422 and "to_unit" in response.json()["errors"]


def test_another_countys_petition_is_not_found_and_cannot_be_acted_on(client: Client, org: Any, petition: Any) -> None:
    assert client.get(f"{URL}/petitions/{petition.pk}", **bearer(org.registrar_b)).status_code == 404
    assert act(client, org.registrar_b, petition, action="accept").status_code == 404
    assert client.get(f"{URL}/petitions/{10**9}", **bearer(org.registrar_b)).status_code == 404


def test_the_wrong_role_answers_403(client: Client, org: Any, petition: Any) -> None:
    response = act(client, org.city_reviewer, petition, action="accept")
    assert response.status_code == 403


def test_listing_is_scoped_and_runs_a_fixed_number_of_queries(
    client: Client, org: Any, register: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        register(org.units.a, Actor.staff(org.registrar_a), title=f"事项{i}")
    register(org.units.b, Actor.staff(org.registrar_b), title="天心区的事项")
    headers = bearer(org.registrar_a)
    with django_assert_max_num_queries(8):
        body = client.get(f"{URL}/petitions?limit=50", **headers).json()
    assert body["count"] == 15 and all(item["next_deadline"]["step"] == "triage" for item in body["items"])
    inbox = client.get(f"{URL}/petitions?box=triage", **headers).json()
    assert inbox["count"] == 15


def test_without_a_token_the_api_answers_401(client: Client, petition: Any) -> None:
    assert client.get(f"{URL}/petitions/{petition.pk}").status_code == 401


def test_the_openapi_document_lists_every_action_of_the_table(client: Client) -> None:
    from minsheng.workflow.transitions import ACTION_NAMES

    schema = client.get(f"{URL}/openapi.json").json()
    body = schema["paths"]["/api/v1/petitions/{petition_id}/actions"]["post"]["requestBody"]
    mapping = body["content"]["application/json"]["schema"]["discriminator"]["mapping"]
    assert set(mapping) == set(ACTION_NAMES)
