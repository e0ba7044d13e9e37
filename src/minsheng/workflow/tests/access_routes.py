"""Workflow routes (inbox, action pages, decision documents, staff API) for the route-enumerating
access test (see core/testing/routes.py)."""

from types import SimpleNamespace
from typing import Any

from minsheng.core.actors import Actor
from minsheng.core.testing.routes import ApiOperation, SignedIn, StaffObject


def _decided_in_county_b(world: Any) -> Any:
    """County B's petition forwarded, accepted and decided by county B's housing bureau: its
    written decision must stay with county B and those above it."""
    from minsheng.petitions.services import PetitionerInput, PetitionInput, petition_register
    from minsheng.workflow import services as wf

    org = world.org
    petition = petition_register(
        actor=Actor.staff(org.registrar_b),
        unit=org.units.b,
        data=PetitionInput(
            channel="letter",
            nature="grievance",
            title="天心区已答复的事项",
            request="请求依法处理。",
            facts="天心区的事实和理由。",
            petitioners=[PetitionerInput(name="天心区信访人二", address="天心区某路1号")],
        ),
    ).petition
    wf.case_forward(actor=Actor.staff(org.registrar_b), petition=petition, to_unit=org.units.housing_b)
    wf.case_accept(actor=Actor.staff(org.handler_b), petition=petition)
    wf.case_decide(
        actor=Actor.staff(org.handler_b),
        petition=petition,
        outcome="explain",
        request="请求依法处理。",
        facts="经核查属实。",
        opinion="已作解释说明。",
        legal_basis="《信访工作条例》第三十二条",
    )
    world.markers.append(petition.number)
    return SimpleNamespace(petition=petition, decision=petition.case.decisions.get())


OBJECTS = {"decided_b": _decided_in_county_b}

ROUTES = [
    SignedIn("workflow:inbox"),
    StaffObject(
        "workflow:action",
        lambda w: {"petition_id": w.petition.pk, "name": "forward"},
        methods=("GET", "POST"),
        data=lambda w: {"to_unit": str(w.units.housing_b.pk)},
    ),
    StaffObject("workflow:decision", lambda w: {"decision_id": w.decided_b.decision.pk}),
    ApiOperation("GET /api/v1/petitions", auth="staff"),
    ApiOperation("GET /api/v1/transitions", auth="staff"),
    ApiOperation("GET /api/v1/petitions/<petition_id>", kwargs=lambda w: {"petition_id": w.petition.pk}),
    ApiOperation(
        "POST /api/v1/petitions/<petition_id>/actions",
        kwargs=lambda w: {"petition_id": w.petition.pk},
        json=True,
        data=lambda w: {"action": "record_progress", "kind": "investigated", "content": "核查中。"},
    ),
]
