"""Writes of protected accusations. Each takes the actor, runs in one transaction, and writes an
audit row (ids only: never a name, a reason or a message)."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minsheng.accusations.models import Accusation, AccusedUnit, IdentityAccessRequest, ReportMessage
from minsheng.accusations.receipts import ReceiptCode, hash_secret, new_receipt
from minsheng.accusations.rules import is_barred, receiving_unit_for
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import Conflict, NotAllowed, ValidationError
from minsheng.core.validators import validate_phone, validate_resident_id
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.roles import Role
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Channel, Nature, Petition
from minsheng.petitions.services import PetitionerInput, PetitionInput, UploadInput, petition_register
from minsheng.portal.services import MAX_ATTACHMENTS

# Who works an accusation's case: they may ask the reporter questions and request the identity.
CASE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.UNIT_HEAD, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR)
GRANT_VALID = dt.timedelta(days=7)
MAX_MESSAGE = 5000
PORTAL_LABEL = "portal-accusation"


@dataclass
class ReporterInput:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    contact: str = ""


@dataclass
class AccusationInput:
    title: str
    request: str
    facts: str
    region: Region | None
    address: str = ""
    anonymous: bool = True
    reporter: ReporterInput = field(default_factory=ReporterInput)
    accused_name: str = ""
    accused_position: str = ""
    accused_unit_text: str = ""
    accused_units: list[Unit] = field(default_factory=list)
    attachments: list[UploadInput] = field(default_factory=list)


@dataclass(frozen=True)
class Filed:
    accusation: Accusation
    # Shown once to the reporter; only the Argon2id hash of its secret half is kept.
    receipt: ReceiptCode


def _clean_reporter(data: AccusationInput, errors: dict[str, list[str]]) -> ReporterInput:
    if data.anonymous:
        return ReporterInput()
    r = data.reporter
    cleaned = ReporterInput(
        name=r.name.strip(),
        id_number=r.id_number.strip(),
        phone=r.phone.strip(),
        address=r.address.strip(),
        contact=r.contact.strip(),
    )
    if not cleaned.name:
        errors["reporter_name"] = [_("实名检举请填写姓名；不愿留名的，请选择匿名检举。")]
    if len(cleaned.name) > 60:
        errors["reporter_name"] = [_("姓名不能超过60个字。")]
    if cleaned.id_number:
        try:
            cleaned.id_number = validate_resident_id(cleaned.id_number)
        except ValidationError as exc:
            errors["reporter_id_number"] = exc.messages
    if cleaned.phone:
        try:
            cleaned.phone = validate_phone(cleaned.phone)
        except ValidationError as exc:
            errors["reporter_phone"] = exc.messages
    if len(cleaned.address) > 200 or len(cleaned.contact) > 200:
        errors["reporter_address"] = [_("住址和其他联系方式各不能超过200个字。")]
    return cleaned


@transaction.atomic
def accusation_file(*, data: AccusationInput, declared_truthful: bool) -> Filed:
    """File an accusation from the portal (R22 Art. 30): registered with the petition bureau of the
    chosen region, or the nearest one above it that no accused unit contains; the reporter's
    identity sealed in this record only (the petition's petitioner row stays empty).

    `declared_truthful`: the reporter declared that they invent nothing and accuse no one falsely
    (R22 Art. 19 ¶2), as the form asks.
    """
    errors: dict[str, list[str]] = {}
    if not declared_truthful:
        errors["truthful"] = [_("请阅读并确认此项承诺（《信访工作条例》第十九条第二款）。")]
    reporter = _clean_reporter(data, errors)
    if len(data.accused_position) > 100 or len(data.accused_unit_text) > 200 or len(data.accused_name) > 60:
        errors["accused_name"] = [_("被检举人姓名、职务或单位过长。")]
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("最多上传 %(n)d 个文件。") % {"n": MAX_ATTACHMENTS}]
    unit = None
    if data.region is None:
        errors["region"] = [_("请选择问题发生的地区。")]
    else:
        unit = receiving_unit_for(data.region, data.accused_units)
        if unit is None:
            errors["region"] = [_("被检举的单位包含本地区的各级信访部门，请直接向纪检监察机关检举（12388）。")]
    petition_input = PetitionInput(
        channel=Channel.ONLINE,
        nature=Nature.ACCUSATION,
        title=data.title,
        request=data.request,
        facts=data.facts,
        region=data.region,
        address=data.address,
        # No petitioner details here: the identity lives sealed in the Accusation alone.
        petitioners=[PetitionerInput()],
        attachments=data.attachments,
    )
    actor = Actor.citizen(PORTAL_LABEL)
    if errors or unit is None:
        from minsheng.petitions.services import validate_petition_input

        try:
            validate_petition_input(petition_input, now=timezone.now())
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        raise ValidationError(errors)
    # The petition's own query code is dropped unseen: the receipt code is the only way back in.
    registration = petition_register(actor=actor, unit=unit, data=petition_input)
    receipt = new_receipt()
    while Accusation.objects.filter(locator=receipt.locator).exists():
        receipt = new_receipt()
    accusation = Accusation.objects.create(
        petition=registration.petition,
        locator=receipt.locator,
        receipt_hash=hash_secret(receipt.secret),
        is_anonymous=data.anonymous,
        reporter_name=reporter.name,
        reporter_id_number=reporter.id_number,
        reporter_phone=reporter.phone,
        reporter_address=reporter.address,
        reporter_contact=reporter.contact,
        accused_name=data.accused_name.strip(),
        accused_position=data.accused_position.strip(),
        accused_unit_text=data.accused_unit_text.strip(),
    )
    AccusedUnit.objects.bulk_create([AccusedUnit(accusation=accusation, unit=u) for u in set(data.accused_units)])
    audit_append(
        actor=actor,
        action="accusation.file",
        object_type="accusation",
        object_id=accusation.pk,
        data={"anonymous": data.anonymous, "accused_units": sorted(u.pk for u in set(data.accused_units))},
    )
    return Filed(accusation=accusation, receipt=receipt)


def _seal_reporters(data: PetitionInput) -> ReporterInput:
    """The identity a registrar took down (every petitioner, and a proxy), for the sealed fields."""
    people = [p for p in data.petitioners if any((p.name, p.id_number, p.phone, p.address))]

    def joined(values: list[str]) -> str:
        return "、".join(v.strip() for v in values if v and v.strip())

    contact = ""
    if data.proxy is not None and any((data.proxy.name, data.proxy.phone)):
        # Stored, and read by a granted handler: written in the registry's language.
        with translation.override(settings.LANGUAGE_CODE):
            contact = _("代理人：%(name)s（%(relation)s）%(phone)s；%(consent)s") % {
                "name": data.proxy.name.strip(),
                "relation": data.proxy.relation.strip(),
                "phone": data.proxy.phone.strip(),
                "consent": data.proxy.consent.strip(),
            }
    return ReporterInput(
        name=joined([p.name for p in people]),
        id_number=joined([p.id_number for p in people]),
        phone=joined([p.phone for p in people]),
        address=joined([p.address for p in people]),
        contact=contact,
    )


@dataclass(frozen=True)
class Registered:
    accusation: Accusation
    # For the registrar to hand to the reporter, once: they follow up with it like online reporters.
    receipt: ReceiptCode | None


@transaction.atomic
def accusation_register(*, actor: Actor, unit: Unit, data: PetitionInput, issue_receipt: bool = True) -> Registered:
    """Register an accusation received by letter, visit or phone, sealed as the portal's are.

    The registrar takes down who accuses; that identity goes only into the Accusation's encrypted
    fields (R22 Art. 30 ¶3, 46(5)), the petition's petitioner row stays empty, and handlers reach
    it only through a custodian's grant, each grant and view logged. The reporter gets a receipt
    code to follow up and answer questions without naming themselves again.
    """
    actor.require_role(Role.REGISTRAR, Role.ADMIN)
    if data.nature != Nature.ACCUSATION:
        raise ValidationError({"nature": [_("只有检举控告类事项按检举控告登记。")]})
    from minsheng.petitions.services import validate_petition_input

    # Every field checked as for any petition (resident ID, phone …) before anything is sealed.
    cleaned, _files = validate_petition_input(copy.deepcopy(data), now=timezone.now())
    reporter = _seal_reporters(cleaned)
    for field_name, value in (("reporter_name", reporter.name), ("reporter_address", reporter.address)):
        if len(value) > 2000:
            raise ValidationError({field_name: [_("检举人信息过长。")]})
    sealed_input = replace(cleaned, petitioners=[PetitionerInput()], proxy=None)
    registration = petition_register(actor=actor, unit=unit, data=sealed_input)
    # `issue_receipt=False` when nobody will follow the matter online (the demo's replayed
    # history): no code and no Argon2 hash; the reporter is answered by post as before.
    receipt = new_receipt() if issue_receipt else None
    while receipt is not None and Accusation.objects.filter(locator=receipt.locator).exists():
        receipt = new_receipt()
    has_identity = any(vars(reporter).values())
    accusation = Accusation.objects.create(
        petition=registration.petition,
        locator=receipt.locator if receipt else None,
        receipt_hash=hash_secret(receipt.secret) if receipt else "",
        is_anonymous=not has_identity,
        reporter_name=reporter.name,
        reporter_id_number=reporter.id_number,
        reporter_phone=reporter.phone,
        reporter_address=reporter.address,
        reporter_contact=reporter.contact,
    )
    audit_append(
        actor=actor,
        action="accusation.register",
        object_type="accusation",
        object_id=accusation.pk,
        data={"anonymous": not has_identity, "channel": data.channel},
    )
    return Registered(accusation=accusation, receipt=receipt)


def _require_case_role(actor: Actor) -> None:
    actor.require_role(*CASE_ROLES)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("请填写内容。")]})
    if len(body) > MAX_MESSAGE:
        raise ValidationError({"body": [_("内容不能超过 %(n)d 个字。") % {"n": MAX_MESSAGE}]})
    return body


@transaction.atomic
def accusation_ask(*, actor: Actor, accusation: Accusation, body: str) -> ReportMessage:
    """A handler's question (or notice) to the reporter, answered through the receipt code."""
    _require_case_role(actor)
    body = _clean_body(body)
    assert actor.user is not None
    message = ReportMessage.objects.create(
        accusation=accusation,
        at=timezone.now(),
        from_reporter=False,
        author=actor.user,
        unit=actor.user.unit,
        body=body,
    )
    audit_append(
        actor=actor,
        action="accusation.ask",
        object_type="accusation",
        object_id=accusation.pk,
        data={"message": message.pk},
    )
    return message


@transaction.atomic
def accusation_reply(*, accusation: Accusation, body: str) -> ReportMessage:
    """The reporter's message, sent with the receipt code (they may stay anonymous)."""
    body = _clean_body(body)
    message = ReportMessage.objects.create(accusation=accusation, at=timezone.now(), from_reporter=True, body=body)
    audit_append(
        actor=Actor.citizen(PORTAL_LABEL),
        action="accusation.reply",
        object_type="accusation",
        object_id=accusation.pk,
        data={"message": message.pk},
    )
    return message


@transaction.atomic
def accused_unit_add(*, actor: Actor, accusation: Accusation, unit: Unit) -> AccusedUnit:
    """Record a unit as accused: from now on it and its subordinates cannot see the matter."""
    _require_case_role(actor)
    locked = Petition.objects.select_for_update().get(pk=accusation.pk)
    try:
        with transaction.atomic():
            row = AccusedUnit.objects.create(accusation=accusation, unit=unit, added_by=actor.user)
    except IntegrityError:
        raise Conflict(_("该单位已记录为被检举单位。")) from None
    event_record(petition=locked, actor=actor, action="accused_unit_add", unit=unit)
    return row


def handling_is_barred(accusation: Accusation) -> bool:
    """True when the unit now responsible is itself accused: a superior must re-route the matter."""
    return is_barred(accusation.petition.handling_unit, [row.unit for row in accusation.accused_units.all()])


@transaction.atomic
def identity_access_request(*, actor: Actor, accusation: Accusation, reason: str) -> IdentityAccessRequest:
    """Ask the custodian for the reporter's identity, giving the reason (e.g. a witness statement is
    needed and the reporter cannot be reached through the thread)."""
    _require_case_role(actor)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": [_("请具体说明为什么需要知道检举人的身份（至少10个字）。")]})
    if not accusation.has_identity:
        raise Conflict(_("这是匿名检举，没有可查看的身份信息。请通过留言与检举人联系。"))
    assert actor.user is not None
    try:
        with transaction.atomic():
            request = IdentityAccessRequest.objects.create(
                accusation=accusation, requested_by=actor.user, requested_at=timezone.now(), reason=reason
            )
    except IntegrityError:
        raise Conflict(_("您已有一份待决定的申请。")) from None
    audit_append(
        actor=actor,
        action="accusation.identity_request",
        object_type="accusation",
        object_id=accusation.pk,
        data={"request": request.pk},
    )
    return request


@transaction.atomic
def identity_access_decide(
    *, actor: Actor, request: IdentityAccessRequest, grant: bool, note: str = ""
) -> IdentityAccessRequest:
    """Only a custodian decides, never on their own request; the decision is compare-and-set."""
    actor.require_role(Role.CUSTODIAN)
    if request.requested_by_id == actor.user_id:
        raise NotAllowed(_("不能决定自己提出的申请。"))
    note = (note or "").strip()
    if not grant and not note:
        raise ValidationError({"note": [_("拒绝时请说明理由。")]})
    now = timezone.now()
    status = IdentityAccessRequest.Status.GRANTED if grant else IdentityAccessRequest.Status.REFUSED
    changed = IdentityAccessRequest.objects.filter(pk=request.pk, status=IdentityAccessRequest.Status.PENDING).update(
        status=status,
        decided_by=actor.user,
        decided_at=now,
        decision_note=note,
        valid_until=now + GRANT_VALID if grant else None,
    )
    if not changed:
        raise Conflict(_("该申请已经决定过了。"))
    audit_append(
        actor=actor,
        action="accusation.identity_grant" if grant else "accusation.identity_refuse",
        object_type="accusation",
        object_id=request.accusation_id,
        data={"request": request.pk, "requested_by": request.requested_by_id},
    )
    request.refresh_from_db()
    return request


def active_grant(*, user_id: int | None, accusation: Accusation) -> IdentityAccessRequest | None:
    return (
        IdentityAccessRequest.objects.filter(
            accusation=accusation,
            requested_by_id=user_id,
            status=IdentityAccessRequest.Status.GRANTED,
            valid_until__gt=timezone.now(),
        )
        .order_by("-valid_until")
        .first()
    )


@dataclass(frozen=True)
class Identity:
    name: str
    id_number: str
    phone: str
    address: str
    contact: str


@transaction.atomic
def identity_reveal(*, actor: Actor, accusation: Accusation) -> Identity:
    """Show the reporter's identity to a handler holding a valid grant; every view is an audit row."""
    _require_case_role(actor)
    grant = active_grant(user_id=actor.user_id, accusation=accusation)
    if grant is None:
        raise NotAllowed(_("查看检举人身份须经身份保管人准许，且在有效期内。"))
    audit_append(
        actor=actor,
        action="accusation.identity_view",
        object_type="accusation",
        object_id=accusation.pk,
        data={"request": grant.pk},
    )
    return Identity(
        name=accusation.reporter_name,
        id_number=accusation.reporter_id_number,
        phone=accusation.reporter_phone,
        address=accusation.reporter_address,
        contact=accusation.reporter_contact,
    )


@transaction.atomic
def accusation_open_for_petition(*, actor: Actor, petition: Petition) -> Accusation:
    """Give an accusation received on paper or by phone its protected record, so accused units can
    be recorded (and barred). The identity of such a petitioner stays where it was registered."""
    _require_case_role(actor)
    if petition.nature != Nature.ACCUSATION:
        raise Conflict(_("只有检举控告类事项可以记录被检举单位。"))
    accusation, created = Accusation.objects.get_or_create(
        petition=petition, defaults={"locator": None, "is_anonymous": petition.identity_incomplete}
    )
    if created:
        audit_append(actor=actor, action="accusation.open", object_type="accusation", object_id=accusation.pk)
    return accusation


__all__ = [
    "AccusationInput",
    "Filed",
    "Identity",
    "Registered",
    "ReporterInput",
    "accusation_ask",
    "accusation_file",
    "accusation_open_for_petition",
    "accusation_register",
    "accusation_reply",
    "accused_unit_add",
    "identity_access_decide",
    "identity_access_request",
    "identity_reveal",
]
