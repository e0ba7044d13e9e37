"""Helpers for tests that speak real HTTP to `live_server`.

A live-server test runs in a transactional database that Django empties (flush) afterwards, which
also removes what the migrations seeded (the default category tree, ...). These tests ask for a
serialized rollback, so each starts from the migrated state, and `reseed_after_flush` (called from
the conftest's teardown hook) puts that state back so the tests after them find it too.
"""

from __future__ import annotations

from typing import Any

import pytest


def reseed_after_flush(item: pytest.Item) -> None:
    if "live_server" not in getattr(item, "fixturenames", ()):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


class Http:
    """`requests` against the live server with a base URL: `http.get("/api/v1/...")`."""

    def __init__(self, base_url: str) -> None:
        import requests

        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)
