"""Two people act on one case at the same moment: exactly one transition applies.

Needs PostgreSQL: SQLite serialises every write transaction (IMMEDIATE mode), so there is no race
to lose there; on PostgreSQL the case row lock and the compare-and-set on the status decide it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from minsheng.core.errors import Conflict, NotAllowed
from minsheng.workflow import services as wf
from minsheng.workflow.models import Deadline, DeadlineStatus
from minsheng.workflow.states import Status
from minsheng.workflow.tests.conftest import staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls: Any) -> list[Any]:
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the race needs PostgreSQL: SQLite runs one write transaction at a time (IMMEDIATE), so nothing can race"
        )


def test_two_concurrent_transitions_on_one_case_leave_exactly_one_applied(
    transactional_org: Any, register: Any
) -> None:
    org = transactional_org
    petition = register(org.units.a, staff(org.registrar_a)).petition
    wf.case_forward(actor=staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    results = _race(
        lambda: wf.case_accept(actor=staff(org.handler_a), petition=petition),
        lambda: wf.case_decline(
            actor=staff(org.unit_head_a),
            petition=petition,
            channel="litigation",
            where="芙蓉区人民法院",
            reason="涉诉。",
        ),
    )
    applied = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(applied) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict) and not isinstance(refused[0], NotAllowed)
    petition.refresh_from_db()
    assert petition.status in {Status.ACCEPTED, Status.NOT_ACCEPTED}
    assert petition.events.filter(action__in=["accept", "decline"]).count() == 1
    # the loser left nothing behind: one set of deadline effects only
    assert Deadline.objects.filter(petition=petition, step="handle").count() == (
        1 if petition.status == Status.ACCEPTED else 0
    )
    assert Deadline.objects.filter(petition=petition, step="accept", status=DeadlineStatus.MET).count() == 1


def test_two_concurrent_approvals_of_one_extension_extend_once(transactional_org: Any, register: Any) -> None:
    org = transactional_org
    petition = register(org.units.a, staff(org.registrar_a)).petition
    wf.case_forward(actor=staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=staff(org.handler_a), petition=petition)
    wf.case_request_extension(actor=staff(org.handler_a), petition=petition, days=30, reason="材料多。")
    results = _race(
        lambda: wf.case_approve_extension(actor=staff(org.unit_head_a), petition=petition),
        lambda: wf.case_approve_extension(actor=staff(org.unit_head_a), petition=petition),
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert Deadline.objects.get(petition=petition, step="handle", status=DeadlineStatus.OPEN).extension == 30
