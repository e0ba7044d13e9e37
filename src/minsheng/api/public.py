"""`/api/v1/public/`: the REST API for integrating systems (a 12345 hotline, another region's system).

Each system has its own key (`X-API-Key`) with scopes; every request counts against the system's
budget and its address (429 when over). Handlers are thin: check the scope, parse, call a service
or an access helper, shape the answer.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Query, Router, Schema
from ninja import Status as Reply

from minsheng.api.access import petition_for_client, petition_for_query_code, petitions_of_client
from minsheng.api.auth import ApiKeyAuth, client_require_scope
from minsheng.api.models import ApiClient, Scope
from minsheng.api.schemas import (
    EXTERNAL_ID_PATTERN,
    AttachmentIn,
    CategoryOut,
    ErrorOut,
    IsoDatetime,
    LookupIn,
    PetitionCreatedOut,
    PetitionCreateIn,
    PetitionOut,
    PetitionPageOut,
    SupplementIn,
    SupplementOut,
    UnitOut,
)
from minsheng.api.services import petition_submit, petition_supplement_add
from minsheng.core.errors import ValidationError
from minsheng.core.validators import mask_phone, mask_resident_id
from minsheng.orgs.models import Unit
from minsheng.petitions.events import ACTION_LABELS
from minsheng.petitions.models import Category, Petition, PetitionEvent
from minsheng.petitions.selectors import region_code_prefix
from minsheng.petitions.services import PetitionerInput, PetitionInput, UploadInput
from minsheng.workflow.deadlines import deadline_state, derivation
from minsheng.workflow.models import Deadline
from minsheng.workflow.public import due_at, next_duty, open_deadlines
from minsheng.workflow.states import TERMINAL, Status

router = Router(auth=ApiKeyAuth(), tags=["integrating systems"])

# Every operation may answer these: no or a bad key, a scope the key lacks, over the budget.
COMMON = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
ExternalIdPath = PathEx[
    str, P(pattern=EXTERNAL_ID_PATTERN, max_length=64, description="The submitting system's own id of the matter.")
]


def _client(request: HttpRequest, scope: Scope) -> ApiClient:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    client_require_scope(client, scope)
    return client


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def _decode(items: list[AttachmentIn]) -> list[UploadInput]:
    uploads, errors = [], {}
    for index, item in enumerate(items):
        try:
            uploads.append(UploadInput(name=item.name, content=base64.b64decode(item.content_base64, validate=True)))
        except (binascii.Error, ValueError):
            errors[f"attachments.{index}.content_base64"] = [_("文件内容不是有效的 Base64 编码。")]
    if errors:
        raise ValidationError(errors)
    return uploads


def _with_detail(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    public_events = PetitionEvent.objects.filter(public=True).select_related("unit").order_by("at", "id")
    return (
        qs.select_related("category", "handling_unit", "registering_unit")
        .prefetch_related(
            "petitioners", Prefetch("events", queryset=public_events, to_attr="public_events"), open_deadlines()
        )
        .annotate(last_change=Max("events__at"))
    )


def _unit(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.display_name}


def _summary(petition: Petition, *, own: bool) -> dict[str, Any]:
    last_change = getattr(petition, "last_change", None)
    return {
        "number": petition.number,
        "external_id": (petition.source_ref or None) if own else None,
        "status": petition.status,
        "status_label": petition.get_status_display(),
        "is_closed": petition.status in TERMINAL,
        "received_at": petition.received_at,
        "updated_at": max(petition.updated_at, last_change) if last_change else petition.updated_at,
        "handling_unit": _unit(petition.handling_unit),
    }


def deadline_out(deadline: Deadline | None) -> dict[str, Any] | None:
    """The workflow's deadline as integrating systems read it: the date, the moment and the basis."""
    if deadline is None:
        return None
    state = deadline_state(deadline)
    return {
        "step": deadline.step,
        "label": str(deadline.get_step_display()),
        "due": deadline.due,
        "due_at": due_at(deadline),
        "basis": derivation(deadline),
        "state": state.code,
        "state_label": state.label,
        "provisional": deadline.provisional,
        "unit": _unit(deadline.unit) if deadline.unit else None,
    }


def _detail(petition: Petition, *, own: bool) -> dict[str, Any]:
    events: list[PetitionEvent] = petition.public_events  # type: ignore[attr-defined]
    return {
        **_summary(petition, own=own),
        "channel": petition.channel,
        "nature": petition.nature,
        "title": petition.title,
        "category": {"code": petition.category.code, "name": petition.category.display_name}
        if petition.category
        else None,
        "registered_at": petition.registered_at,
        "registering_unit": _unit(petition.registering_unit),
        "petitioners": [
            {
                "name": mask_name(p.name),
                "phone": mask_phone(p.phone or ""),
                "id_number": mask_resident_id(p.id_number or ""),
            }
            for p in petition.petitioners.all()
        ],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": str(ACTION_LABELS.get(e.action, e.action)),
                "unit": e.unit.display_name if e.unit else None,
            }
            for e in events
        ],
        "next_deadline": deadline_out(next_duty(getattr(petition, "open_deadlines", []))),
    }


def _detail_of(petition: Petition, *, own: bool) -> dict[str, Any]:
    return _detail(_with_detail(Petition.objects.filter(pk=petition.pk)).get(), own=own)


@router.post(
    "/petitions",
    response={201: PetitionCreatedOut, 200: PetitionCreatedOut, 422: ErrorOut, **COMMON},
    summary="Submit a petition",
    description="Scope `petitions:create`. Registers the matter as received by the system's unit (R22 Art. 22) "
    "and returns its case number and, once, the petitioner's query code. 201 when registered; 200 with "
    "`created: false` when this `external_id` was submitted before (nothing new is created). 422 lists what "
    "is wrong per field.",
)
def petition_create(request: HttpRequest, payload: PetitionCreateIn) -> Reply[dict[str, Any]]:
    client = _client(request, Scope.PETITIONS_CREATE)
    data = PetitionInput(
        channel=payload.channel,
        nature=payload.nature,
        title=payload.title,
        request=payload.request,
        facts=payload.facts,
        address=payload.address,
        persons_count=payload.persons_count,
        received_at=payload.received_at,
        petitioners=[
            PetitionerInput(
                name=p.name,
                id_number=p.id_number,
                phone=p.phone,
                address=p.address,
                is_representative=p.is_representative,
            )
            for p in payload.petitioners
        ],
        attachments=_decode(payload.attachments),
    )
    submission = petition_submit(
        client=client,
        external_id=payload.external_id,
        data=data,
        category_code=payload.category or "",
        region_code=payload.region or "",
    )
    body = {
        "created": submission.created,
        "query_code": submission.query_code,
        "petition": _detail_of(submission.petition, own=True),
    }
    return Reply(201 if submission.created else 200, body)


class PetitionListQuery(Schema):
    status: Status | None = Field(None, description="Only petitions in this status.")
    changed_since: IsoDatetime | None = Field(
        None, description="Only petitions with a step recorded at or after this time (for incremental sync)."
    )
    limit: int = Field(50, ge=1, le=200, description="Page size.")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many to skip.")


@router.get(
    "/petitions",
    response={200: PetitionPageOut, 422: ErrorOut, **COMMON},
    summary="List the petitions this system submitted",
    description="Scope `petitions:read`. Newest received first; only what this system submitted.",
)
def petition_list(request: HttpRequest, filters: Query[PetitionListQuery]) -> dict[str, Any]:
    client = _client(request, Scope.PETITIONS_READ)
    qs = petitions_of_client(client)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.changed_since:
        changed = PetitionEvent.objects.filter(petition=OuterRef("pk"), at__gte=filters.changed_since)
        qs = qs.filter(Exists(changed))
    count = qs.count()
    page = (
        qs.select_related("handling_unit")
        .annotate(last_change=Max("events__at"))
        .order_by("-received_at", "-id")[filters.offset : filters.offset + filters.limit]
    )
    return {"count": count, "items": [_summary(p, own=True) for p in page]}


@router.get(
    "/petitions/{external_id}",
    response={200: PetitionOut, 422: ErrorOut, 404: ErrorOut, **COMMON},
    summary="Status of a petition this system submitted",
    description="Scope `petitions:read`. By the system's own `external_id`; another system's petition answers "
    "404 like one that does not exist.",
)
def petition_status(request: HttpRequest, external_id: ExternalIdPath) -> dict[str, Any]:
    client = _client(request, Scope.PETITIONS_READ)
    return _detail_of(petition_for_client(client, external_id), own=True)


@router.post(
    "/lookup",
    response={200: PetitionOut, 404: ErrorOut, 422: ErrorOut, **COMMON},
    summary="Status of a petition by its query code",
    description="Scope `petitions:read`. For a petitioner who calls the hotline with the query code (查询码) of a "
    "matter filed through any door. Sent in the body so the code stays out of URLs and logs. 404 when no "
    "matter has this code.",
)
def petition_lookup(request: HttpRequest, payload: LookupIn) -> dict[str, Any]:
    client = _client(request, Scope.PETITIONS_READ)
    petition = petition_for_query_code(payload.query_code)
    return _detail_of(petition, own=petition.source == client.petition_source)


@router.post(
    "/petitions/{external_id}/updates",
    response={201: SupplementOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, **COMMON},
    summary="Add a supplement to a petition this system submitted",
    description="Scope `petitions:update`. Records what the petitioner added later (a note, files) as a step of "
    "the petition's timeline. 409 when the matter is already closed: new facts make a new petition.",
)
def petition_update(request: HttpRequest, external_id: ExternalIdPath, payload: SupplementIn) -> Reply[dict[str, Any]]:
    client = _client(request, Scope.PETITIONS_UPDATE)
    petition = petition_for_client(client, external_id)
    uploads = _decode(payload.attachments)
    event = petition_supplement_add(client=client, petition=petition, note=payload.note, attachments=uploads)
    return Reply(201, {"number": petition.number, "recorded_at": event.at, "attachments": len(uploads)})


@router.get(
    "/categories",
    response={200: list[CategoryOut], **COMMON},
    summary="The subject categories",
    description="Scope `catalog:read`. Every active category, by code.",
)
def category_list(request: HttpRequest) -> list[dict[str, Any]]:
    _client(request, Scope.CATALOG_READ)
    categories = list(Category.objects.filter(is_active=True).select_related("parent").order_by("code"))
    parents = {c.parent_id for c in categories}
    return [
        {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "parent_code": c.parent.code if c.parent else None,
            "level": c.level,
            "is_leaf": c.pk not in parents,
        }
        for c in categories
    ]


class UnitListQuery(Schema):
    region: str | None = Field(
        None, max_length=12, pattern=r"^\d{2,12}$", description="Only units in this GB/T 2260 region and below."
    )


@router.get(
    "/units",
    response={200: list[UnitOut], 422: ErrorOut, **COMMON},
    summary="The units that receive and handle petitions",
    description="Scope `catalog:read`. Every active unit, in tree order.",
)
def unit_list(request: HttpRequest, filters: Query[UnitListQuery]) -> list[dict[str, Any]]:
    _client(request, Scope.CATALOG_READ)
    units = Unit.objects.filter(is_active=True).select_related("region").order_by("path")
    if filters.region:
        units = units.filter(region__code__startswith=region_code_prefix(filters.region))
    return [
        {
            "id": u.pk,
            "name": u.name,
            "name_en": u.name_en,
            "kind": u.kind,
            "sector": u.sector,
            "region_code": u.region.code,
            "parent_id": u.parent_id,
        }
        for u in units
    ]
