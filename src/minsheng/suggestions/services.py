"""Writes of people's suggestions. Each runs in one transaction and writes an audit row (ids only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.crypto import encrypt, lookup_hash
from minsheng.core.errors import Conflict, ValidationError
from minsheng.core.sequences import sequence_next
from minsheng.core.tasks import enqueue
from minsheng.core.validators import validate_phone
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.roles import Role
from minsheng.petitions.services import new_query_code, normalise_query_code
from minsheng.portal.models import PhoneChallenge
from minsheng.portal.phone import phone_challenge_confirm, phone_challenge_start, phone_identity
from minsheng.portal.routing import bureau_for_region
from minsheng.portal.tasks import SMS_CONTEXT, send_sms
from minsheng.suggestions.models import Adoption, Campaign, CoSign, Suggestion

CAMPAIGN_ROLES = (Role.UNIT_HEAD, Role.LEADER, Role.ADMIN)
ANSWER_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER, Role.ADMIN)
CITIZEN = Actor.citizen("portal-suggestion")


def suggestion_code_hash(code: str) -> str:
    return lookup_hash("suggestion_query", normalise_query_code(code))


def _required(value: str, field: str, message: str, errors: dict[str, list[str]], limit: int = 0) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [message]
    elif limit and len(value) > limit:
        errors[field] = [_("不能超过 %(n)d 个字。") % {"n": limit}]
    return value


@transaction.atomic
def campaign_publish(
    *, actor: Actor, title: str, description: str, opens_on: dt.date | None, closes_on: dt.date | None
) -> Campaign:
    """Publish a topic with its window (SH-RJ Art. 8 ¶3: topic, explanation and deadline are public)."""
    actor.require_role(*CAMPAIGN_ROLES)
    assert actor.user is not None and actor.user.unit is not None
    errors: dict[str, list[str]] = {}
    title = _required(title, "title", _("请填写征集议题。"), errors, 200)
    description = _required(description, "description", _("请说明征集的背景、范围和希望听取的意见。"), errors)
    if opens_on is None:
        errors["opens_on"] = [_("请填写开始日期。")]
    if closes_on is None:
        errors["closes_on"] = [_("请填写截止日期。")]
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = [_("截止日期不能早于开始日期。")]
    elif closes_on < timezone.localdate():
        errors["closes_on"] = [_("截止日期已经过去。")]
    if errors:
        raise ValidationError(errors)
    assert opens_on is not None and closes_on is not None
    campaign = Campaign.objects.create(
        unit=actor.user.unit,
        title=title,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor.user,
    )
    audit_append(
        actor=actor,
        action="suggestion.campaign_publish",
        object_type="campaign",
        object_id=campaign.pk,
        data={"unit": campaign.unit_id, "opens_on": opens_on, "closes_on": closes_on},
    )
    return campaign


@dataclass
class SuggestionInput:
    title: str
    grounds: str
    measures: str
    name: str
    phone: str
    campaign: Campaign | None = None
    region: Region | None = None
    org: str = ""
    allow_public: bool = False
    show_name: bool = False


@dataclass(frozen=True)
class Submitted:
    suggestion: Suggestion
    # Shown once; only its keyed hash is stored.
    query_code: str


@transaction.atomic
def suggestion_submit(*, data: SuggestionInput) -> Submitted:
    """A citizen's suggestion, to a campaign while it is open or to the bureau of their region."""
    errors: dict[str, list[str]] = {}
    title = _required(data.title, "title", _("请填写建议主题。"), errors, 200)
    grounds = _required(data.grounds, "grounds", _("请写明提出建议的主要事由。"), errors)
    measures = _required(data.measures, "measures", _("请写明具体的对策建议。"), errors)
    name = _required(
        data.name, "name", _("请填写建议人姓名或组织名称（上海市人民建议征集若干规定第十条）。"), errors, 60
    )
    phone = (data.phone or "").strip()
    if not phone:
        errors["phone"] = [_("请填写联系电话，以便反馈办理情况。")]
    else:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    unit: Unit | None = None
    today = timezone.localdate()
    if data.campaign is not None:
        state = data.campaign.state(today)
        if state == "upcoming":
            errors["campaign"] = [_("该征集尚未开始，开始日期为 %(date)s。") % {"date": data.campaign.opens_on}]
        elif state == "closed":
            errors["campaign"] = [_("该征集已于 %(date)s 截止。") % {"date": data.campaign.closes_on}]
        unit = data.campaign.unit
    elif data.region is None:
        errors["region"] = [_("请选择建议涉及的地区。")]
    else:
        unit = bureau_for_region(data.region)
        if unit is None:
            errors["region"] = [_("该地区暂未开通建议征集，请选择上一级地区。")]
    if len(data.org) > 120:
        errors["org"] = [_("不能超过 %(n)d 个字。") % {"n": 120}]
    if errors or unit is None:
        raise ValidationError(errors)
    now = timezone.now()
    code = new_query_code()
    suggestion = Suggestion.objects.create(
        number=f"JY-{timezone.localtime(now).year}-{sequence_next(f'suggestion:{timezone.localtime(now).year}'):06d}",
        campaign=data.campaign,
        unit=unit,
        title=title,
        grounds=grounds,
        measures=measures,
        proposer_name=name,
        proposer_phone=phone,
        proposer_org=data.org.strip(),
        allow_public=data.allow_public,
        public_name=name if data.allow_public and data.show_name else "",
        query_code_hash=suggestion_code_hash(code),
        submitted_at=now,
    )
    audit_append(
        actor=CITIZEN,
        action="suggestion.submit",
        object_type="suggestion",
        object_id=suggestion.pk,
        data={"unit": unit.pk, "campaign": data.campaign.pk if data.campaign else None, "public": data.allow_public},
    )
    return Submitted(suggestion=suggestion, query_code=code)


@transaction.atomic
def suggestion_publish(*, actor: Actor, suggestion: Suggestion) -> Suggestion:
    """Show a suggestion on the public list (its proposer allowed it; staff checked it for personal
    data or abuse), which opens it to co-signing."""
    actor.require_role(*ANSWER_ROLES)
    if not suggestion.allow_public:
        raise Conflict(_("建议人没有同意公开这条建议。"))
    changed = Suggestion.objects.filter(pk=suggestion.pk, published_at__isnull=True).update(published_at=timezone.now())
    if not changed:
        raise Conflict(_("这条建议已经公开。"))
    audit_append(actor=actor, action="suggestion.publish", object_type="suggestion", object_id=suggestion.pk)
    suggestion.refresh_from_db()
    return suggestion


@transaction.atomic
def suggestion_answer(
    *, actor: Actor, suggestion: Suggestion, answer: str, adoption: str, reward_note: str = ""
) -> Suggestion:
    """The unit's official answer (R22 Art. 29 ¶1, SH-RJ Art. 12) with whether it was adopted and,
    for a valuable suggestion, the reward under the rules (R22 Art. 29 ¶2)."""
    actor.require_role(*ANSWER_ROLES)
    errors: dict[str, list[str]] = {}
    answer = _required(answer, "answer", _("请填写答复内容：研究论证的结论，以及采纳或未采纳的理由。"), errors)
    if adoption not in Adoption.values:
        errors["adoption"] = [_("请选择采纳情况：采纳、部分采纳或未采纳。")]
    reward_note = (reward_note or "").strip()
    if reward_note and adoption == Adoption.NOT_ADOPTED:
        errors["reward_note"] = [_("未采纳的建议不能同时记录奖励。")]
    if errors:
        raise ValidationError(errors)
    changed = Suggestion.objects.filter(pk=suggestion.pk, status=Suggestion.Status.SUBMITTED).update(
        status=Suggestion.Status.ANSWERED,
        answer=answer,
        adoption=adoption,
        reward_note=reward_note,
        answered_at=timezone.now(),
        answered_by=actor.user,
    )
    if not changed:
        raise Conflict(_("这条建议已经答复过了。"))
    audit_append(
        actor=actor,
        action="suggestion.answer",
        object_type="suggestion",
        object_id=suggestion.pk,
        data={"adoption": adoption, "reward": bool(reward_note)},
    )
    suggestion.refresh_from_db()
    enqueue(
        send_sms,
        encrypt(suggestion.proposer_phone, context=SMS_CONTEXT),
        _("【民声】您提出的建议 %(number)s 已有答复，请凭查询码查看。") % {"number": suggestion.number},
    )
    return suggestion


def cosign_purpose(suggestion: Suggestion) -> str:
    """The purpose a co-sign's phone code is bound to: a code for one suggestion opens no other."""
    return f"cosign:{suggestion.pk}"


def _check_cosignable(suggestion: Suggestion) -> None:
    if suggestion.published_at is None:
        raise Conflict(_("这条建议没有公开，不能附议。"))
    if suggestion.status == Suggestion.Status.ANSWERED:
        raise Conflict(_("这条建议已经答复，附议已结束。"))


def cosign_start(*, suggestion: Suggestion, phone: str) -> PhoneChallenge:
    """Send a code to the co-signer's phone: one co-sign per phone per suggestion."""
    _check_cosignable(suggestion)
    try:
        phone = validate_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if CoSign.objects.filter(suggestion=suggestion, person_hash=phone_identity(phone)).exists():
        raise Conflict(_("这个手机号已经附议过这条建议。"))
    number = suggestion.number
    return phone_challenge_start(
        phone=phone,
        purpose=cosign_purpose(suggestion),
        message=lambda code: (
            _("【民声】您正在附议建议 %(number)s，验证码 %(code)s，10分钟内有效。如非本人操作请忽略。")
            % {"number": number, "code": code}
        ),
    )


def cosign_confirm(*, suggestion: Suggestion, challenge_id: int | None, code: str) -> CoSign:
    _check_cosignable(suggestion)
    # Not inside this function's transaction: a wrong guess must stay counted when we refuse it.
    person = phone_challenge_confirm(challenge_id=challenge_id, purpose=cosign_purpose(suggestion), code=code)
    with transaction.atomic():
        try:
            with transaction.atomic():
                cosign = CoSign.objects.create(suggestion=suggestion, person_hash=person, at=timezone.now())
        except IntegrityError:
            raise Conflict(_("这个手机号已经附议过这条建议。")) from None
        Suggestion.objects.filter(pk=suggestion.pk).update(cosign_count=F("cosign_count") + 1)
        audit_append(actor=CITIZEN, action="suggestion.cosign", object_type="suggestion", object_id=suggestion.pk)
    return cosign
