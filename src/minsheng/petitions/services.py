"""Writes to petitions: registration from every channel and corrections of the record.

Every function takes the actor, validates everything before writing anything, runs in one
transaction and records an event; side effects are queued to run after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.crypto import lookup_hash
from minsheng.core.errors import ValidationError
from minsheng.core.sequences import sequence_next
from minsheng.core.uploads import CheckedFile, check_upload
from minsheng.core.validators import validate_phone, validate_resident_id
from minsheng.intel.services import Screening, petition_index, petition_screen
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.roles import Role
from minsheng.petitions.events import event_record
from minsheng.petitions.models import (
    Attachment,
    Category,
    Channel,
    Nature,
    Petition,
    Petitioner,
    PetitionUnit,
)
from minsheng.workflow.services import case_open
from minsheng.workflow.states import Status

MAX_REPRESENTATIVES = 5  # R22 Art. 20 ¶3
QUERY_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


@dataclass
class PetitionerInput:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    is_representative: bool = False
    external_ref: str = ""


@dataclass
class ProxyInput:
    name: str
    relation: str
    consent: str
    phone: str = ""


@dataclass
class UploadInput:
    name: str
    content: bytes


@dataclass
class PetitionInput:
    channel: str
    nature: str
    title: str
    request: str
    facts: str
    petitioners: list[PetitionerInput] = field(default_factory=list)
    category: Category | None = None
    region: Region | None = None
    address: str = ""
    persons_count: int = 1
    received_at: dt.datetime | None = None
    proxy: ProxyInput | None = None
    attachments: list[UploadInput] = field(default_factory=list)
    source: str = ""
    source_ref: str = ""


@dataclass(frozen=True)
class Registration:
    petition: Petition
    # Shown once to the petitioner (or printed on the acceptance notice); only its hash is kept.
    query_code: str
    # What the near-duplicate check found (similar earlier petitions, repeat links, collective group).
    screening: Screening | None = None


def new_query_code() -> str:
    """16 characters of Crockford base32 (80 bits), grouped for reading aloud over the phone."""
    raw = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_query_code(code: str) -> str:
    code = code.upper().replace("-", "").replace(" ", "")
    return code.replace("O", "0").replace("I", "1").replace("L", "1")


def query_code_hash(code: str) -> str:
    return lookup_hash("query", normalise_query_code(code))


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _validate_petitioners(items: Sequence[PetitionerInput], errors: dict[str, list[str]]) -> list[PetitionerInput]:
    cleaned: list[PetitionerInput] = []
    for index, item in enumerate(items, start=1):
        entry = PetitionerInput(
            name=_clean_text(item.name),
            id_number=_clean_text(item.id_number),
            phone=_clean_text(item.phone),
            address=_clean_text(item.address),
            is_representative=item.is_representative,
            external_ref=_clean_text(item.external_ref),
        )
        prefix = _("第%(n)d位信访人：") % {"n": index} if len(items) > 1 else ""
        if len(entry.name) > 60:
            errors.setdefault("petitioners", []).append(prefix + _("姓名不能超过60个字。"))
        if entry.id_number:
            try:
                entry.id_number = validate_resident_id(entry.id_number)
            except ValidationError as exc:
                errors.setdefault("id_number", []).extend(prefix + m for m in exc.messages)
        if entry.phone:
            try:
                entry.phone = validate_phone(entry.phone)
            except ValidationError as exc:
                errors.setdefault("phone", []).extend(prefix + m for m in exc.messages)
        if len(entry.address) > 200:
            errors.setdefault("petitioners", []).append(prefix + _("住址不能超过200个字。"))
        cleaned.append(entry)
    return cleaned


def validate_petition_input(data: PetitionInput, *, now: dt.datetime) -> tuple[PetitionInput, list[CheckedFile]]:
    """Check everything R22 Art. 19-20 and the record need; raise one ValidationError with all faults."""
    errors: dict[str, list[str]] = {}
    data.title = _clean_text(data.title)
    data.request = _clean_text(data.request)
    data.facts = _clean_text(data.facts)
    data.address = _clean_text(data.address)
    if data.channel not in Channel.values:
        errors["channel"] = [_("请选择信访形式。")]
    if data.nature not in Nature.values:
        errors["nature"] = [_("请选择信访事项的性质：建议意见、检举控告或申诉求决。")]
    if not data.title:
        errors["title"] = [_("请填写标题，概括反映的问题。")]
    elif len(data.title) > 200:
        errors["title"] = [_("标题不能超过200个字。")]
    if not data.request:
        errors["request"] = [_("请填写信访请求：希望有关机关解决什么问题（《信访工作条例》第十九条）。")]
    if not data.facts:
        errors["facts"] = [_("请填写事实和理由（《信访工作条例》第十九条）。")]
    if len(data.address) > 200:
        errors["address"] = [_("问题发生地不能超过200个字。")]
    if data.persons_count < 1:
        errors["persons_count"] = [_("人数至少为1。")]
    if data.category is not None and not data.category.is_active:
        errors["category"] = [_("该问题分类已停用，请选择其他分类。")]
    if data.received_at is not None:
        if data.received_at > now + dt.timedelta(minutes=5):
            errors["received_at"] = [_("收到时间不能晚于当前时间。")]
        elif data.received_at.year < 2000:
            errors["received_at"] = [_("收到时间不正确。")]
    if not data.petitioners:
        data.petitioners = [PetitionerInput()]
    data.petitioners = _validate_petitioners(data.petitioners, errors)
    representatives = sum(1 for p in data.petitioners if p.is_representative)
    if representatives > MAX_REPRESENTATIVES:
        errors.setdefault("petitioners", []).append(
            _("多人提出共同的信访事项，应当推选代表，代表人数不得超过5人（《信访工作条例》第二十条）。")
        )
    if len(data.petitioners) > data.persons_count:
        data.persons_count = len(data.petitioners)
    if data.proxy is not None:
        data.proxy = ProxyInput(
            name=_clean_text(data.proxy.name),
            relation=_clean_text(data.proxy.relation),
            consent=_clean_text(data.proxy.consent),
            phone=_clean_text(data.proxy.phone),
        )
        if not data.proxy.name:
            errors["proxy_name"] = [_("请填写代理人姓名。")]
        if not data.proxy.consent:
            errors["proxy_consent"] = [_("代理信访须记录信访人的同意（方式、时间、见证人等）。")]
        if data.proxy.phone:
            try:
                data.proxy.phone = validate_phone(data.proxy.phone)
            except ValidationError as exc:
                errors["proxy_phone"] = exc.messages
        if not any(p.name for p in data.petitioners):
            errors.setdefault("petitioners", []).append(_("代理信访须填写被代理的信访人姓名。"))
    checked: list[CheckedFile] = []
    for upload in data.attachments:
        try:
            checked.append(check_upload(upload.name, upload.content))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return data, checked


def _case_number(unit: Unit, at: dt.datetime) -> str:
    year = timezone.localtime(at).year
    region = unit.region.code[:6]
    return f"{region}-{year}-{sequence_next(f'petition:{region}:{year}'):06d}"


def _identity_incomplete(petitioners: Sequence[PetitionerInput]) -> bool:
    # Art. 23 ¶2: the written notice is owed unless the petitioner's name or address is unclear.
    return not any(p.name and p.address for p in petitioners)


@transaction.atomic
def petition_register(*, actor: Actor, unit: Unit, data: PetitionInput) -> Registration:
    """Register a matter received by `unit` (R22 Art. 19, 22, 23): every matter, oral ones recorded."""
    if actor.kind == "staff":
        actor.require_role(Role.REGISTRAR, Role.ADMIN)
    now = timezone.now()
    data, files = validate_petition_input(data, now=now)
    received_at = data.received_at or now
    code = new_query_code()
    petition = Petition.objects.create(
        number=_case_number(unit, received_at),
        channel=data.channel,
        nature=data.nature,
        category=data.category,
        region=data.region,
        address=data.address,
        title=data.title,
        request=data.request,
        facts=data.facts,
        persons_count=data.persons_count,
        received_at=received_at,
        registered_at=now,
        registering_unit=unit,
        registered_by=actor.user,
        handling_unit=unit,
        query_code_hash=query_code_hash(code),
        identity_incomplete=_identity_incomplete(data.petitioners),
        is_collective=data.persons_count >= 5,
        is_proxy=data.proxy is not None,
        proxy_name=data.proxy.name if data.proxy else "",
        proxy_relation=data.proxy.relation if data.proxy else "",
        proxy_phone=data.proxy.phone if data.proxy else "",
        proxy_consent=data.proxy.consent if data.proxy else "",
        source=data.source,
        source_ref=data.source_ref,
    )
    Petitioner.objects.bulk_create(
        [
            Petitioner(
                petition=petition,
                position=i,
                name=p.name,
                id_number=p.id_number,
                id_number_hash=lookup_hash("resident_id", p.id_number) if p.id_number else "",
                phone=p.phone,
                phone_hash=lookup_hash("phone", p.phone) if p.phone else "",
                address=p.address,
                is_representative=p.is_representative,
                external_ref=p.external_ref,
            )
            for i, p in enumerate(data.petitioners)
        ]
    )
    PetitionUnit.objects.bulk_create(
        [
            PetitionUnit(petition=petition, unit=unit, role=PetitionUnit.Role.REGISTERED),
            PetitionUnit(petition=petition, unit=unit, role=PetitionUnit.Role.HANDLING),
        ]
    )
    for checked in files:
        _attach(petition=petition, actor=actor, checked=checked, record=False)
    event_record(
        petition=petition,
        actor=actor,
        action="register",
        to_status=petition.status,
        unit=unit,
        public=True,
        audit_data={"channel": petition.channel, "nature": petition.nature, "attachments": len(files)},
    )
    # The workflow opens the case: the deadline rules in force and the triage period (R22 Art. 22).
    case_open(petition=petition, actor=actor)
    # Indexed and checked against earlier petitions in the same transaction: a registered matter
    # is never missing from the near-duplicate index (intel/services.py).
    screening = petition_screen(petition=petition)
    return Registration(petition=petition, query_code=code, screening=screening)


def _attach(*, petition: Petition, actor: Actor, checked: CheckedFile, record: bool = True) -> Attachment:
    attachment = Attachment(
        petition=petition,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor.user,
    )
    attachment.file.save(checked.sha256, ContentFile(checked.content), save=False)
    attachment.save()
    if record:
        event_record(
            petition=petition,
            actor=actor,
            action="attachment_add",
            audit_data={"attachment": attachment.pk},
        )
    return attachment


@transaction.atomic
def attachment_add(*, actor: Actor, petition: Petition, upload: UploadInput) -> Attachment:
    checked = check_upload(upload.name, upload.content)
    return _attach(petition=petition, actor=actor, checked=checked)


EDITABLE_FIELDS = ("channel", "nature", "category", "region", "address", "title", "request", "facts", "persons_count")


def _jsonable(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def petition_update(*, actor: Actor, petition: Petition, **changes: Any) -> Petition:
    """Correct the registered record; the timeline keeps each field's before and after."""
    actor.require_role(Role.REGISTRAR, Role.HANDLER, Role.ADMIN)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    current = PetitionInput(
        channel=changes.get("channel", locked.channel),
        nature=changes.get("nature", locked.nature),
        title=changes.get("title", locked.title),
        request=changes.get("request", locked.request),
        facts=changes.get("facts", locked.facts),
        petitioners=[PetitionerInput(name="-")],
        category=changes.get("category", locked.category),
        region=changes.get("region", locked.region),
        address=changes.get("address", locked.address),
        persons_count=changes.get("persons_count", locked.persons_count),
    )
    cleaned, _files = validate_petition_input(current, now=timezone.now())
    diff: dict[str, list[Any]] = {}
    for name in changes:
        before, after = getattr(locked, name), getattr(cleaned, name)
        if _jsonable(before) != _jsonable(after):
            diff[name] = [_jsonable(before), _jsonable(after)]
            setattr(locked, name, after)
    if diff:
        locked.save(update_fields=[*diff, "updated_at"])
        event_record(petition=locked, actor=actor, action="update", changes=diff)
        if {"title", "request", "facts"} & set(diff) and locked.status != Status.MERGED:
            petition_index(petition=locked)
    return locked
