from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from minsheng.api.tests.live import RawResponse, make_system, raw_request


@pytest.fixture
def raw(django_db_serialized_rollback: None, live_server: Any) -> Callable[..., RawResponse]:
    """raw("GET", "/open311/v2/services.xml") -> RawResponse, over a plain socket."""

    def _raw(method: str, target: str, body: bytes | str = b"", **headers: str) -> RawResponse:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return raw_request(live_server.url, method, target, data, {k.replace("_", "-"): v for k, v in headers.items()})

    return _raw


@pytest.fixture
def systems(transactional_org: Any) -> SimpleNamespace:
    """app: a city's 311 app feeding county A (every scope); other: county B's; reader: catalogue only."""
    units = transactional_org.units
    return SimpleNamespace(
        org=transactional_org,
        app=make_system(units.a, "芙蓉区随手拍"),
        other=make_system(units.b, "天心区12345"),
        reader=make_system(units.a, "只读目录", ["catalog:read"]),
    )
