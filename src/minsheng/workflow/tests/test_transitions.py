"""The transition table is consistent with the states, the roles, the services and the deadlines."""

from __future__ import annotations

import inspect

from minsheng.orgs.roles import Role
from minsheng.workflow.services import SERVICES
from minsheng.workflow.states import TERMINAL, Status
from minsheng.workflow.steps import Step
from minsheng.workflow.transitions import ACTION_NAMES, TABLE, TRANSITIONS


def test_every_action_has_exactly_one_typed_service_and_no_service_is_orphaned() -> None:
    assert set(SERVICES) == set(ACTION_NAMES)


def test_each_service_takes_the_fields_its_row_declares() -> None:
    for name, service in SERVICES.items():
        parameters = set(inspect.signature(service).parameters) - {"actor", "petition"}
        assert parameters == {f.name for f in TRANSITIONS[name].fields}, name


def test_rows_name_real_states_roles_and_steps() -> None:
    for row in TABLE:
        assert set(row.sources) <= set(Status.values) and (row.target is None or row.target in Status.values)
        assert row.roles <= set(Role.values), row.name
        assert all(effect.step in Step.values for effect in row.effects), row.name
        # only the report-back of an ended assignment and the undoing of a wrong merge act on an
        # ended petition
        assert not (set(row.sources) & TERMINAL) or row.name in {"report_back", "unmerge"}, row.name


def test_every_state_can_be_reached_and_every_open_state_can_be_left() -> None:
    reached = {Status.REGISTERED} | {row.target for row in TABLE if row.target}
    assert reached == set(Status.values)
    for state in set(Status.values) - TERMINAL:
        assert any(state in row.sources and row.target not in (None, state) for row in TABLE), state


def test_a_suggestion_has_no_path_to_review() -> None:
    for name in ("request_review", "decide", "request_rereview"):
        assert "suggestion" not in TRANSITIONS[name].natures
