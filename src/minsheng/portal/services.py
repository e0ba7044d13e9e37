"""Online petitioning (网上信访): a citizen's filing from the portal, registered through the one
registration service (R22 Art. 19-23) with the bureau of the region they chose."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.orgs.models import Region
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Channel, Nature
from minsheng.petitions.services import PetitionInput, Registration, petition_register, validate_petition_input
from minsheng.portal.guidance import ACK, BY_CODE, route_is_valid
from minsheng.portal.routing import bureau_for_region

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
