"""Writes of integrating systems: submitting petitions (once per their own id) and supplements.

Both run as the system (`Actor.api`), through the petition services, in one transaction, and
record their timeline event; validation happens before anything is written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.api.models import ApiClient
from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, ValidationError
from minsheng.core.uploads import check_upload
from minsheng.orgs.models import Region
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Category, Nature, Petition, PetitionEvent
from minsheng.petitions.services import (
    PetitionInput,
    UploadInput,
    attachment_add,
    petition_register,
    validate_petition_input,
)
from minsheng.workflow.states import TERMINAL

NOTE_MAX_CHARS = 4000
SUPPLEMENT_ACTION = "external_supplement"


@dataclass(frozen=True)
class Submission:
    petition: Petition
    created: bool
    # Only the call that registered the petition can return it: only its hash is kept.
    query_code: str | None


def client_actor(client: ApiClient) -> Actor:
    return Actor.api(client.name)


def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _resolve_codes(
    data: PetitionInput, category_code: str, region_code: str, errors: dict[str, list[str]]
) -> PetitionInput:
    if category_code:
        data.category = Category.objects.filter(code=category_code).first()
        if data.category is None:
            errors["category"] = [
                _("没有编码为“%(code)s”的问题分类，可用的分类见 GET /api/v1/public/categories。")
                % {"code": category_code}
            ]
    if region_code:
        data.region = Region.objects.filter(code=region_code).first()
        if data.region is None:
            errors["region"] = [_("没有代码为“%(code)s”的行政区划（GB/T 2260）。") % {"code": region_code}]
    return data


def _has_identity(data: PetitionInput) -> bool:
    return any(p.name.strip() or p.id_number.strip() or p.phone.strip() or p.address.strip() for p in data.petitioners)


def petition_submit(
    *,
    client: ApiClient,
    external_id: str,
    data: PetitionInput,
    category_code: str = "",
    region_code: str = "",
) -> Submission:
    """Register a matter an integrating system received (R22 Art. 21-22), once per `external_id`.

    The petition is registered by the system's unit. Sending the same `external_id` again returns
    the petition registered the first time and creates nothing, so a system may safely retry.
    """
    existing = Petition.objects.filter(source=client.petition_source, source_ref=external_id).first()
    if existing is not None:
        return Submission(petition=existing, created=False, query_code=None)
    errors: dict[str, list[str]] = {}
    data = _resolve_codes(data, category_code, region_code, errors)
    if data.nature == Nature.ACCUSATION and _has_identity(data):
        # Art. 30 ¶3 and 46(5): the accuser's identity must never reach the accused. It is kept
        # only by the protected accusation intake, so this door takes anonymous accusations only.
        errors.setdefault("petitioners", []).append(
            _(
                "检举控告的检举人身份只能通过受保护的检举控告渠道提交（《信访工作条例》第三十条第三款）；"
                "本接口只接收不含检举人身份信息的匿名检举控告。"
            )
        )
    if errors:
        try:
            validate_petition_input(copy.deepcopy(data), now=timezone.now())
        except ValidationError as exc:
            _merge(errors, exc)
        raise ValidationError(errors)
    data.source, data.source_ref = client.petition_source, external_id
    try:
        with transaction.atomic():
            registration = petition_register(actor=client_actor(client), unit=client.unit, data=data)
    except IntegrityError:
        # The same id sent twice at once: the other request registered it first.
        existing = Petition.objects.filter(source=client.petition_source, source_ref=external_id).first()
        if existing is None:
            raise
        return Submission(petition=existing, created=False, query_code=None)
    return Submission(petition=registration.petition, created=True, query_code=registration.query_code)


@transaction.atomic
def petition_supplement_add(
    *, client: ApiClient, petition: Petition, note: str, attachments: list[UploadInput]
) -> PetitionEvent:
    """Add what the petitioner told the system later (a note, files) to the petition's record."""
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not note and not attachments:
        errors["note"] = [_("请填写补充说明或附上材料。")]
    elif len(note) > NOTE_MAX_CHARS:
        errors["note"] = [_("补充说明不能超过 %(n)d 个字。") % {"n": NOTE_MAX_CHARS}]
    for upload in attachments:
        try:
            check_upload(upload.name, upload.content)
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    if locked.status in TERMINAL:
        raise Conflict(
            _("该信访事项的状态为“%(status)s”，不再接收补充材料；如有新的事实和理由，请作为新的信访事项提交。")
            % {"status": locked.get_status_display()},
            code="petition_closed",
        )
    actor = client_actor(client)
    event = event_record(
        petition=locked,
        actor=actor,
        action=SUPPLEMENT_ACTION,
        note=note,
        # The petitioner's own material, relayed: they see the step when they follow the matter.
        public=True,
        audit_data={"client": client.pk, "attachments": len(attachments)},
    )
    for upload in attachments:
        attachment_add(actor=actor, petition=locked, upload=upload)
    return event
