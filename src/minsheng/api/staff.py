"""The staff router of /api/v1/: petitions in the caller's scope, their deadlines and timeline,
and the actions of the transition table (`POST /petitions/{id}/actions`).

Auth: a staff token (`Authorization: Bearer mst_…`), acting as that staff member within their data
scope (petitions/access.py). An action the table does not allow now answers 409 with the reason
(and, for a matter closed after re-review, a link to that case).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import create_model

from minsheng.api.auth import StaffTokenAuth
from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.orgs.models import Unit, User
from minsheng.petitions.access import petition_for_user, petitions_visible_to
from minsheng.petitions.events import ACTION_LABELS
from minsheng.petitions.models import Petition
from minsheng.workflow.deadlines import deadline_state, derivation
from minsheng.workflow.engine import TransitionRefused, acting_unit
from minsheng.workflow.forms import action_form, cleaned_for_service
from minsheng.workflow.models import Deadline, DeadlineStatus
from minsheng.workflow.selectors import BOX_BY_CODE, actions_for, case_of, inbox
from minsheng.workflow.services import action_run
from minsheng.workflow.states import Status
from minsheng.workflow.transitions import TABLE, TRANSITIONS
from minsheng.workflow.transitions import Field as FieldSpec

router = Router(auth=StaffTokenAuth(), tags=["staff"])


class UnitOut(Schema):
    id: int
    name: str


class DeadlineOut(Schema):
    step: str = Field(description="the step of the procedure the period governs (transition table vocabulary)")
    label: str
    due: dt.date = Field(description="the last day: the period ends at 24:00 of it")
    basis: str = Field(
        description='how the date was reached, e.g. "2026-12-14 = received 2026-11-29 + 15 days (R22 Art. 22)"'
    )
    provisional: bool = Field(description="depends on a year whose holidays are not yet published")
    status: str = Field(description="open, met, lapsed or cancelled")
    state: str = Field(description="due_in, due_soon, due_today, overdue, long_overdue, paused, met, …")
    state_label: str
    unit: UnitOut | None = Field(description="who must act by the date (none for the petitioner's own windows)")


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    unit: UnitOut | None
    from_status: str
    to_status: str
    note: str
    public: bool


class ActionOut(Schema):
    name: str
    label: str
    enabled: bool
    reason: str


class DocumentOut(Schema):
    id: int
    kind: str
    label: str
    outcome: str
    issued_at: dt.datetime
    delivered_on: dt.date | None


class PetitionSummaryOut(Schema):
    id: int
    number: str
    title: str
    nature: str
    channel: str
    status: str
    status_label: str
    handling_unit: UnitOut
    received_at: dt.datetime
    next_deadline: DeadlineOut | None


class PetitionListOut(Schema):
    count: int
    items: list[PetitionSummaryOut]


class PetitionOut(PetitionSummaryOut):
    request: str
    facts: str
    policy: str = Field(description="the deadline policy and version the case keeps, e.g. R22 v1")
    deadlines: list[DeadlineOut]
    events: list[EventOut]
    actions: list[ActionOut] = Field(description="the actions of the transition table this caller may take now")
    documents: list[DocumentOut]


class ListQuery(Schema):
    status: Status | None = None
    box: Literal[tuple(BOX_BY_CODE)] | None = Field(None, description="an inbox: triage, accept, handle, overdue, …")  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class RefusalOut(Schema):
    code: str
    message: str
    article: str
    link: str | None = Field(None, description="the case the refusal refers to (the matter closed after re-review)")


# --- One input schema for the actions endpoint: a union tagged by `action`, built from the table.


def _python_type(spec: FieldSpec) -> Any:
    return {
        "text": str,
        "textarea": str,
        "petition": str,
        "date": dt.date,
        "datetime": dt.datetime,
        "int": int,
        "bool": bool,
        "unit": int,
        "units": list[int],
    }.get(spec.type) or Literal[tuple(value for value, _label in spec.choices)]


def _action_schema(name: str) -> type[Schema]:
    row = TRANSITIONS[name]
    fields: dict[str, Any] = {"action": (Literal[name], ...)}  # type: ignore[valid-type]
    for spec in row.fields:
        kind = _python_type(spec)
        fields[spec.name] = (kind, ...) if spec.required else (kind | None, None)
    camel = "".join(part.title() for part in name.split("_"))
    model: type[Schema] = create_model(f"{camel}Action", __base__=Schema, **fields)
    model.__doc__ = f"{row.label} ({row.name}): {row.description}"
    return model


ACTION_SCHEMAS = tuple(_action_schema(row.name) for row in TABLE if not row.via_registration)
ActionIn = Annotated[Union[ACTION_SCHEMAS], Field(discriminator="action")]  # type: ignore[valid-type]  # noqa: UP007


# --- Output builders ------------------------------------------------------------------------------


def _unit(unit: Unit | None) -> dict[str, Any] | None:
    return {"id": unit.pk, "name": unit.display_name} if unit is not None else None


def _deadline(deadline: Deadline, today: dt.date) -> dict[str, Any]:
    state = deadline_state(deadline, today)
    return {
        "step": deadline.step,
        "label": str(deadline.get_step_display()),
        "due": deadline.due,
        "basis": derivation(deadline),
        "provisional": deadline.provisional,
        "status": deadline.status,
        "state": state.code,
        "state_label": state.label,
        "unit": _unit(deadline.unit),
    }


def _summary(petition: Petition, today: dt.date) -> dict[str, Any]:
    running = [d for d in getattr(petition, "open_deadlines", []) if d.kind == "duty"]
    upcoming = min(running, key=lambda d: d.due) if running else None
    return {
        "id": petition.pk,
        "number": petition.number,
        "title": petition.title,
        "nature": petition.nature,
        "channel": petition.channel,
        "status": petition.status,
        "status_label": str(petition.get_status_display()),
        "handling_unit": _unit(petition.handling_unit),
        "received_at": petition.received_at,
        "next_deadline": _deadline(upcoming, today) if upcoming else None,
    }


def _with_open_deadlines(qs: Any) -> Any:
    return qs.select_related("handling_unit").prefetch_related(
        Prefetch(
            "deadlines",
            queryset=Deadline.objects.filter(status=DeadlineStatus.OPEN).select_related("case__ruleset", "unit"),
            to_attr="open_deadlines",
        )
    )


def _detail(user: User, petition_id: int) -> dict[str, Any]:
    petition = _with_open_deadlines(petitions_visible_to(user).filter(pk=petition_id)).first()
    if petition is None:
        petition_for_user(user, petition_id)  # raises the same 404 as any missing petition
    today = timezone.localdate()
    case = case_of(petition)
    deadlines = (
        Deadline.objects.filter(petition=petition).select_related("case__ruleset", "unit").order_by("created_at", "id")
    )
    events = petition.events.select_related("actor", "unit").order_by("at", "id")
    return {
        **_summary(petition, today),
        "request": petition.request,
        "facts": petition.facts,
        "policy": f"{case.ruleset.policy.code} v{case.ruleset.version}" if case else "",
        "deadlines": [_deadline(d, today) for d in deadlines],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "label": str(ACTION_LABELS.get(e.action, e.action)),
                "actor": e.actor.display_name if e.actor else e.actor_label,
                "unit": _unit(e.unit),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "public": e.public,
            }
            for e in events
        ],
        "actions": [
            {
                "name": a.row.name,
                "label": str(a.row.label),
                "enabled": a.enabled,
                "reason": a.refusal.message if a.refusal else "",
            }
            for a in actions_for(actor=Actor.staff(user), petition=petition, case=case)
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "label": str(d.get_kind_display()),
                "outcome": str(d.get_outcome_display()),
                "issued_at": d.issued_at,
                "delivered_on": d.delivered_on,
            }
            for d in (case.decisions.order_by("issued_at", "id") if case else [])
        ],
    }


# --- Endpoints -----------------------------------------------------------------------------------


@router.get("/petitions", response=PetitionListOut, summary="List petitions in my scope")
def petition_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    if filters.box:
        qs = inbox(user, filters.box)  # already ordered by urgency, with its open deadlines
    else:
        qs = _with_open_deadlines(petitions_visible_to(user).order_by("-received_at", "-id"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(number__icontains=filters.q))
    today = timezone.localdate()
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_summary(p, today) for p in page]}


@router.get("/petitions/{petition_id}", response=PetitionOut, summary="Read a petition with its deadlines and timeline")
def petition_read(request: HttpRequest, petition_id: int) -> dict[str, Any]:
    return _detail(request.auth, petition_id)  # type: ignore[attr-defined]


@router.post(
    "/petitions/{petition_id}/actions",
    response={200: PetitionOut, 409: RefusalOut},
    summary="Take an action of the transition table",
    description="`action` names a row of the transition table (docs/workflow.md); the other fields are that "
    "action's. 409 when the state, a precondition or a concurrent change does not allow it now.",
)
def petition_action(request: HttpRequest, petition_id: int, payload: ActionIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    petition = petition_for_user(user, petition_id)
    body: Schema = payload  # one of ACTION_SCHEMAS, chosen by its `action`
    fields = body.model_dump()
    row = TRANSITIONS[fields.pop("action")]
    case = case_of(petition)
    acting = acting_unit(row, petition, case) if case else None
    data = {k: v for k, v in fields.items() if v is not None}
    form = action_form(row, petition=petition, acting=acting, data=data)
    if not form.is_valid():
        raise ValidationError(
            {name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()}
        )
    try:
        action_run(actor=Actor.staff(user), petition=petition, action=row.name, data=cleaned_for_service(row, form))
    except TransitionRefused as refusal:
        link = None
        if refusal.refusal.petition_id is not None:
            link = reverse("api:petition_read", kwargs={"petition_id": refusal.refusal.petition_id})
        return Answer(409, {"code": refusal.code, "message": refusal.message, "article": refusal.article, "link": link})
    return Answer(200, _detail(user, petition.pk))


@router.get("/transitions", summary="The transition table (actions, states, roles, fields)")
def transition_table(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "name": row.name,
            "label": str(row.label),
            "from": list(row.sources),
            "to": row.target,
            "roles": sorted(row.roles),
            "natures": sorted(row.natures),
            "article": str(row.article),
            "fields": [
                {"name": f.name, "type": f.type, "required": f.required, "label": str(f.label)} for f in row.fields
            ],
        }
        for row in TABLE
        if not row.via_registration
    ]
