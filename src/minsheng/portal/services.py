"""Online petitioning (网上信访): a citizen's filing from the portal, registered through the one
registration service (R22 Art. 19-23) with the bureau of the region they chose."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, ValidationError
from minsheng.orgs.models import Region
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Channel, Nature, Petition
from minsheng.petitions.services import PetitionInput, Registration, petition_register, validate_petition_input
from minsheng.portal.guidance import ACK, BY_CODE, route_is_valid
from minsheng.portal.models import Rating
from minsheng.portal.routing import bureau_for_region
from minsheng.workflow.models import Decision

PORTAL_ACTOR_LABEL = "portal"
# Natures filed through the petition form; accusations have their own protected door.
FORM_NATURES = (Nature.GRIEVANCE, Nature.SUGGESTION)
# Files per online filing or accusation; each file is checked by core.uploads.check_upload.
MAX_ATTACHMENTS = 5


@transaction.atomic
def portal_file(*, data: PetitionInput, region: Region | None, guidance: str, declared_truthful: bool) -> Registration:
    """Register a citizen's online filing with the petition bureau of `region` (R22 Art. 22).

    `declared_truthful`: the citizen declared the content true (R22 Art. 19 ¶2), as the form asks.
    """
    errors: dict[str, list[str]] = {}
    if not declared_truthful:
        errors["truthful"] = [_("请阅读并确认此项承诺（《信访工作条例》第十九条第二款）。")]
    unit = bureau_for_region(region) if region is not None else None
    if region is None:
        errors["region"] = [_("请选择问题所在地区，信访事项将由该地的信访部门登记办理。")]
    elif unit is None:
        errors["region"] = [_("该地区暂未开通网上信访，请选择上一级地区。")]
    if data.nature not in FORM_NATURES:
        errors["nature"] = [_("请选择信访事项的性质：建议意见或申诉求决。检举控告请从“检举控告”入口提交。")]
    if data.nature == Nature.GRIEVANCE and not route_is_valid(guidance):
        errors["guidance"] = [_("请先回答引导问题：您的事项属于哪一类。")]
    filer = data.petitioners[0] if data.petitioners else None
    # R22 Art. 19: a written petition states the petitioner's name and address. Online, the
    # phone is how the bureau reaches them and the second factor of their query code.
    if filer is None or not filer.name.strip():
        errors["name"] = [_("请填写信访人姓名（《信访工作条例》第十九条）。")]
    if filer is None or not filer.address.strip():
        errors["home_address"] = [_("请填写信访人住址（《信访工作条例》第十九条）。")]
    if data.proxy is not None:
        if not data.proxy.phone.strip():
            errors["proxy_phone"] = [_("请填写代理人的手机号码，以便联系和查询。")]
    elif filer is None or not filer.phone.strip():
        errors["phone"] = [_("请填写联系电话，以便联系您和查询进度。")]
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("最多上传 %(n)d 个文件。") % {"n": MAX_ATTACHMENTS}]
    data = replace(data, channel=Channel.ONLINE, region=region)
    if errors or unit is None:
        # Name every fault at once: the registration's own checks too, on a copy of the input.
        try:
            validate_petition_input(replace(data, petitioners=list(data.petitioners)), now=timezone.now())
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        raise ValidationError(errors)
    registration = petition_register(actor=Actor.citizen(PORTAL_ACTOR_LABEL), unit=unit, data=data)
    if data.nature == Nature.GRIEVANCE:
        route = BY_CODE[guidance.removesuffix(ACK)]
        # Written in the registry's language whatever the citizen reads in: staff read this line.
        with translation.override(settings.LANGUAGE_CODE):
            if guidance.endswith(ACK):
                note = _("信访人已被告知“%(route)s”的法定途径（%(article)s），仍选择通过网上信访提交。")
            else:
                note = _("信访人选择：“%(route)s”（%(article)s）。")
            note = note % {"route": route.title, "article": route.article}
        event_record(
            petition=registration.petition,
            actor=Actor.citizen(PORTAL_ACTOR_LABEL),
            action="portal_guidance",
            note=note,
            audit_data={"route": guidance},
        )
    return registration


# --- After the written answer: the rating, and the review requests through the workflow -------

MAX_RATING_COMMENT = 1000
# The requests a petitioner makes online, each a row of the workflow's transition table.
REQUEST_ACTIONS = ("request_review", "request_rereview")


@transaction.atomic
def rating_submit(*, petition: Petition, decision: Decision, score: int | None, comment: str) -> Rating:
    """The petitioner rates a written answer of their matter: 1–5 and an optional comment.

    One rating per document; the timeline keeps it for the staff (not public: it is the
    petitioner's own word about the unit).
    """
    errors: dict[str, list[str]] = {}
    if score is None or not 1 <= score <= 5:
        errors["score"] = [_("请选择1到5分的评分。")]
    comment = (comment or "").strip()
    if len(comment) > MAX_RATING_COMMENT:
        errors["comment"] = [_("评价意见不能超过 %(n)d 个字。") % {"n": MAX_RATING_COMMENT}]
    if decision.case.petition_id != petition.pk:
        errors["decision"] = [_("这份文书不属于您的信访事项。")]
    raise_if(errors)
    assert score is not None
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(petition=locked, decision=decision, score=score, comment=comment)
    except IntegrityError:
        raise Conflict(_("您已经评价过这份文书。")) from None
    event_record(
        petition=locked,
        actor=Actor.citizen(PORTAL_ACTOR_LABEL),
        action="rate",
        unit=decision.unit,
        changes={"score": [None, score]},
        note=comment,
        audit_data={"decision": decision.pk, "score": score},
    )
    return rating


def portal_request(*, petition: Petition, action: str, grounds: str) -> Petition:
    """Review (复查, R22 Art. 35) or re-review (复核, Art. 36) asked online by the petitioner.

    Only through the workflow's own transition services, so the window, the body that reviews,
    the deadlines, the event and the notices are exactly those of a request made on paper.
    Raises what they raise: TransitionRefused (late, not delivered, wrong state), ValidationError.
    """
    from minsheng.workflow import services as wf

    if action not in REQUEST_ACTIONS:
        raise ValidationError({"action": [_("请选择要提出的请求。")]})
    if not (grounds or "").strip():
        raise ValidationError({"grounds": [_("请写明您不服的理由和请求。")]})
    service = wf.case_request_review if action == "request_review" else wf.case_request_rereview
    return service(actor=Actor.citizen(PORTAL_ACTOR_LABEL), petition=petition, grounds=grounds).petition


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
