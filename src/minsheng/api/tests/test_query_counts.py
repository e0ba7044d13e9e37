"""The public API's reads cost a fixed number of queries, however many petitions or steps there are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import petition_data
from minsheng.api.services import petition_submit, petition_supplement_add
from minsheng.api.tests.live import make_system

pytestmark = pytest.mark.django_db


def queries(client: Client, path: str, key: str) -> int:
    client.get(path, HTTP_X_API_KEY=key)  # the first request of a window creates its rate counters
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, HTTP_X_API_KEY=key).status_code == 200
    return len(captured)


# one rate-limit window for the whole test, so every measured request does the same counting
@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, 1, tzinfo=dt.UTC), tick=False)
def test_the_list_and_the_status_do_not_grow_with_the_data(client: Client, org: Any) -> None:
    system = make_system(org.units.a, "热线")

    def submit(n: int) -> None:
        petition = petition_submit(client=system.client, external_id=f"Q-{n}", data=petition_data()).petition
        petition_supplement_add(client=system.client, petition=petition, note=f"补充{n}", attachments=[])

    submit(0)
    few_list = queries(client, "/api/v1/public/petitions", system.key)
    few_status = queries(client, "/api/v1/public/petitions/Q-0", system.key)
    for n in range(1, 6):
        submit(n)
    petition = petition_submit(client=system.client, external_id="Q-0", data=petition_data()).petition
    for n in range(4):
        petition_supplement_add(client=system.client, petition=petition, note=f"再补充{n}", attachments=[])

    assert queries(client, "/api/v1/public/petitions", system.key) == few_list
    assert queries(client, "/api/v1/public/petitions/Q-0", system.key) == few_status
    assert queries(client, "/api/v1/public/categories", system.key) == queries(
        client, "/api/v1/public/units", system.key
    )
