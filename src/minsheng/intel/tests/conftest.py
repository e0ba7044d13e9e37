"""Intel tests reuse the workflow's pinned clock and its walk of a petition through the services."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from minsheng.workflow.tests.conftest import Clock, Flow, _chinese, clock  # noqa: F401


@pytest.fixture
def flow(org: SimpleNamespace, register: Any, clock: Clock) -> Flow:  # noqa: F811
    return Flow(org, register)


def person(n: int) -> Any:
    """The n-th of several different petitioners (own name, phone and address)."""
    from minsheng.petitions.services import PetitionerInput

    return PetitionerInput(name=f"居民{n}", phone=f"139{n:08d}", address=f"芙蓉区五一大道{n}号")
