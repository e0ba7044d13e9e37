from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from minsheng.api.tests.live import Http, make_system


@pytest.fixture
def http(django_db_serialized_rollback: None, live_server: Any) -> Iterator[Http]:
    client = Http(live_server.url)
    yield client
    # A kept-alive connection would hold a server thread (and its database connection) open
    # past the end of the test.
    client.session.close()


@pytest.fixture
def systems(transactional_org: Any) -> SimpleNamespace:
    """hotline: county A's 12345 hotline with every scope; other: county B's system; catalog_only."""
    units = transactional_org.units
    return SimpleNamespace(
        org=transactional_org,
        hotline=make_system(units.a, "芙蓉区12345热线"),
        other=make_system(units.b, "天心区信访系统"),
        catalog_only=make_system(units.a, "目录查询", ["catalog:read"]),
    )
