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
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import create_model

from minsheng.api.auth import StaffTokenAuth
from minsheng.api.schemas import ErrorOut
from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.intel.selectors import live_links, similar_for_user
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
# Answers every staff operation may give besides its own (the shape is api/main.py's).
STAFF_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}


class StaffUnitOut(Schema):
    id: int = Field(description="the unit's id (as used by the forward/assign fields)")
    name: str = Field(description="the unit's name in the caller's language")


class StaffDeadlineOut(Schema):
    step: str = Field(description="the step of the procedure the period governs (transition table vocabulary)")
    label: str = Field(description="the step's name in the caller's language")
    due: dt.date = Field(description="the last day: the period ends at 24:00 of it")
    basis: str = Field(
        description='how the date was reached, e.g. "2026-12-14 = received 2026-11-29 + 15 days (R22 Art. 22)"'
    )
    provisional: bool = Field(description="depends on a year whose holidays are not yet published")
    status: str = Field(description="open, met, lapsed or cancelled")
    state: str = Field(description="due_in, due_soon, due_today, overdue, long_overdue, paused, met, …")
    state_label: str = Field(description="the displayed state in words, e.g. 'due in 3 days', 'overdue 2 days'")
    unit: StaffUnitOut | None = Field(description="who must act by the date (none for the petitioner's own windows)")


class StaffEventOut(Schema):
    at: dt.datetime = Field(description="when it happened")
    action: str = Field(description="the action code (transition table vocabulary, or register/update/...)")
    label: str = Field(description="the action in words, in the caller's language")
    actor: str = Field(
        description="who did it: a staff member's name, or the petitioner, the system, an external system"
    )
    unit: StaffUnitOut | None = Field(description="the unit on whose behalf it was done")
    from_status: str = Field(description="the status before (empty when the status did not change)")
    to_status: str = Field(description="the status after (empty when the status did not change)")
    note: str = Field(description="what was recorded with the step (reasons, summaries)")
    public: bool = Field(description="whether the petitioner sees this step on the portal")


class StaffActionOut(Schema):
    name: str = Field(description="the action code to POST to /petitions/{id}/actions")
    label: str = Field(description="the action in words, in the caller's language")
    enabled: bool = Field(description="whether its preconditions hold now")
    reason: str = Field(description="why it is not possible now (empty when enabled)")


class StaffDocumentOut(Schema):
    id: int = Field(description="the document's id")
    kind: str = Field(description="decision (处理意见书), review or re-review opinion, mediation agreement, ...")
    label: str = Field(description="the kind in words, in the caller's language")
    outcome: str = Field(description="support, explain or not_support (R22 Art. 32), or the review outcome")
    issued_at: dt.datetime = Field(description="when it was issued")
    delivered_on: dt.date | None = Field(description="the day it reached the petitioner (starts the review window)")


class StaffPetitionSummaryOut(Schema):
    id: int = Field(description="the petition's id")
    number: str = Field(description="the case number, e.g. 430102-2026-000123")
    title: str = Field(description="the title")
    nature: str = Field(description="suggestion, accusation or grievance (R22 Art. 29-31)")
    channel: str = Field(description="letter, visit, phone, online, email, fax, leader_mailbox, hotline_12345, other")
    status: str = Field(description="the workflow state (see docs/workflow.md)")
    status_label: str = Field(description="the state in words, in the caller's language")
    handling_unit: StaffUnitOut = Field(description="the unit responsible now")
    received_at: dt.datetime = Field(description="when the matter was received")
    next_deadline: StaffDeadlineOut | None = Field(description="the nearest open deadline someone must meet")


class StaffPetitionListOut(Schema):
    count: int = Field(description="how many petitions match in all")
    items: list[StaffPetitionSummaryOut] = Field(description="this page of them, newest first")


class StaffSimilarOut(Schema):
    score: float = Field(description="exact Jaccard similarity of the texts' 3-character shingles (0-1)")
    id: int | None = Field(description="the similar petition's id; null when it is outside the caller's scope")
    number: str | None = Field(description="its number; null when it is outside the caller's scope")
    title: str | None = Field(description="its title; null when it is outside the caller's scope")
    unit: str = Field(description="the unit handling it (all that is shown of a petition outside the scope)")


class StaffLinkOut(Schema):
    kind: str = Field(description="repeat (R22 Art. 19 ¶3) or closed_matter (Art. 36 ¶3)")
    label: str = Field(description="the kind in the caller's language")
    earlier_number: str | None = Field(description="the earlier petition's number; null outside the caller's scope")
    score: float | None = Field(description="text similarity to the earlier petition")


class StaffPetitionOut(StaffPetitionSummaryOut):
    request: str = Field(description="what the petitioner asks for (信访请求)")
    facts: str = Field(description="the facts and reasons (事实和理由)")
    policy: str = Field(description="the deadline policy and version the case keeps, e.g. R22 v1")
    deadlines: list[StaffDeadlineOut] = Field(description="every deadline of the case, with its derivation")
    events: list[StaffEventOut] = Field(description="the timeline, oldest first")
    actions: list[StaffActionOut] = Field(description="the actions of the transition table this caller may take now")
    documents: list[StaffDocumentOut] = Field(description="decisions, opinions and agreements issued")
    collective: bool = Field(description="recognised as a collective petition (集体信访)")
    repeat_links: list[StaffLinkOut] = Field(description="earlier petitions of the same petitioner on the same matter")
    similar: list[StaffSimilarOut] = Field(description="similar petitions, most similar first (at most 10)")


class StaffListQuery(Schema):
    status: Status | None = Field(None, description="only petitions in this workflow state")
    box: Literal[tuple(BOX_BY_CODE)] | None = Field(None, description="an inbox: triage, accept, handle, overdue, …")  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=100, description="words to find in the number, title or text")
    limit: int = Field(50, ge=1, le=200, description="page size")
    offset: int = Field(0, ge=0, le=1_000_000, description="how many to skip")


class StaffRefusalOut(Schema):
    code: str = Field(description="why, as a code: wrong_state, not_allowed, request_late, matter_closed, ...")
    message: str = Field(description="why, in the caller's language, with the dates where a period ran out")
    article: str = Field(description="the article of law the refusal applies, e.g. R22 Art. 35")
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
    with translation.override("en"):  # the OpenAPI document is written in English
        fields: dict[str, Any] = {
            "action": (Literal[name], Field(..., description=f"{row.label} ({row.article})".strip()))  # type: ignore[valid-type]
        }
        for spec in row.fields:
            kind = _python_type(spec)
            about = (
                str(spec.label)
                + (f": {spec.help}" if spec.help else "")
                + (" (a unit id)" if spec.type == "unit" else "")
            )
            fields[spec.name] = (
                (kind, Field(..., description=about))
                if spec.required
                else (kind | None, Field(None, description=about))
            )
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
        **_intel(user, petition),
    }


def _intel(user: User, petition: Petition) -> dict[str, Any]:
    links = list(live_links(petition))
    visible = set(petitions_visible_to(user).filter(pk__in=[x.earlier_id for x in links]).values_list("pk", flat=True))
    return {
        "collective": petition.is_collective,
        "repeat_links": [
            {
                "kind": x.kind,
                "label": str(x.get_kind_display()),
                "earlier_number": x.earlier.number if x.earlier_id in visible else None,
                "score": x.score,
            }
            for x in links
        ],
        "similar": [
            {
                "score": round(s.score, 4),
                "id": s.petition.pk if s.petition else None,
                "number": s.petition.number if s.petition else None,
                "title": s.petition.title if s.petition else None,
                "unit": s.unit_name,
            }
            for s in similar_for_user(user=user, petition=petition)
        ],
    }


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/petitions",
    response={200: StaffPetitionListOut, 422: ErrorOut, **STAFF_ERRORS},
    summary="List petitions in my scope",
)
def petition_list(request: HttpRequest, filters: Query[StaffListQuery]) -> dict[str, Any]:
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


@router.get(
    "/petitions/{petition_id}",
    response={200: StaffPetitionOut, 404: ErrorOut, 422: ErrorOut, **STAFF_ERRORS},
    summary="Read a petition with its deadlines and timeline",
)
def petition_read(request: HttpRequest, petition_id: int) -> dict[str, Any]:
    return _detail(request.auth, petition_id)  # type: ignore[attr-defined]


@router.post(
    "/petitions/{petition_id}/actions",
    response={200: StaffPetitionOut, 409: StaffRefusalOut, 404: ErrorOut, 422: ErrorOut, **STAFF_ERRORS},
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


@router.get(
    "/transitions",
    response={200: list[dict[str, Any]], **STAFF_ERRORS},
    summary="The transition table (actions, states, roles, fields)",
)
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
