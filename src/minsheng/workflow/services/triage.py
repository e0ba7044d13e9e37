"""Triage (R22 Art. 19, 22–25): forward, assign, report, object, accept, decline, repeats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from minsheng.accusations.rules import route_refusal
from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.intel.services import petition_index, petition_unindex
from minsheng.orgs.models import Unit
from minsheng.petitions.models import Nature, Petition, PetitionEvent, PetitionUnit
from minsheng.workflow import deadlines as dl
from minsheng.workflow.conditions import earlier_matter_check
from minsheng.workflow.engine import Ctx, Outcome, TransitionRefused, execute
from minsheng.workflow.models import (
    Deadline,
    DeadlineStatus,
    DeclineChannel,
    NoticeKind,
)
from minsheng.workflow.services.base import (
    action,
    clean_text,
    deadline_phrase,
    hand_over,
    involve,
    iso_day,
    petition_bureaus_above,
    raise_errors,
    visible_petition,
)
from minsheng.workflow.states import Status
from minsheng.workflow.steps import StartEvent, Step

# Where a declined matter belongs, and the article that says so (R22).
DECLINE_ARTICLES = {
    DeclineChannel.LITIGATION: "第三十一条第一项",
    DeclineChannel.ARBITRATION: "第三十一条第二项",
    DeclineChannel.PARTY_APPEAL: "第三十一条第三项",
    DeclineChannel.ADMINISTRATIVE: "第三十一条第四项",
    DeclineChannel.DUTY: "第三十一条第五项",
    DeclineChannel.DISCIPLINE: "第二十二条第二款、第三十条",
    DeclineChannel.OTHER_AUTHORITY: "第二十三条第一款",
    DeclineChannel.CLOSED_MATTER: "第三十六条第三款",
    DeclineChannel.IN_HANDLING: "第十九条第三款",
}
# Channels whose notice must say where to go instead.
NEEDS_WHERE = frozenset(
    {
        DeclineChannel.LITIGATION,
        DeclineChannel.ARBITRATION,
        DeclineChannel.PARTY_APPEAL,
        DeclineChannel.ADMINISTRATIVE,
        DeclineChannel.DISCIPLINE,
        DeclineChannel.OTHER_AUTHORITY,
    }
)


def _check_target(ctx: Ctx, to_unit: Unit, co_units: Sequence[Unit], errors: dict[str, list[str]]) -> None:
    here = ctx.petition.handling_unit
    # R22 Art. 30 ¶3, 46(5): an accusation is never forwarded or assigned to the accused unit or
    # a unit inside it, nor given to them to co-handle. Checked first: it is the gravest reason.
    barred = route_refusal(ctx.petition, to_unit)
    if barred is not None:
        errors.setdefault("to_unit", []).append(barred)
    for unit in co_units:
        barred = route_refusal(ctx.petition, unit)
        if barred is not None:
            errors.setdefault("co_units", []).append(barred)
    if not to_unit.is_active:
        errors.setdefault("to_unit", []).append(_("该单位已停用。"))
    elif to_unit.pk == here.pk or not to_unit.is_within(here):
        errors.setdefault("to_unit", []).append(
            _("只能转送、交办本单位所辖的机关、单位（%(unit)s以下）。") % {"unit": here.display_name}
        )
    for unit in co_units:
        if unit.pk == to_unit.pk or not unit.is_within(here) or unit.pk == here.pk:
            errors.setdefault("co_units", []).append(
                _("协办单位「%(unit)s」不能是主办单位本身，且须是本单位所辖单位。") % {"unit": unit.display_name}
            )


def _forwarding_notice(ctx: Ctx, to_unit: Unit, *, assigned: bool) -> Callable[[], str]:
    petition = ctx.petition

    def body() -> str:
        return _(
            "您于%(received)s提出的信访事项（编号%(number)s）已于%(today)s%(kind)s%(unit)s办理，"
            "该单位将依法告知您是否受理（《信访工作条例》第二十二条、第二十三条）。"
        ) % {
            "received": iso_day(ctx.case.received_on),
            "number": petition.number,
            "today": iso_day(ctx.today),
            "kind": _("交办") if assigned else _("转送"),
            "unit": to_unit.name,
        }

    return body


@action("forward")
def case_forward(
    *, actor: Actor, petition: Petition, to_unit: Unit, co_units: Sequence[Unit] = (), note: str = ""
) -> Outcome:
    """转送: the receiving unit owns the matter from now on (R22 Art. 22(1)(2), 23 ¶1)."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        _check_target(ctx, to_unit, co_units, errors)
        raise_errors(errors)
        ctx.case.triage_unit = ctx.petition.handling_unit
        ctx.case.forwarded_on = ctx.today
        hand_over(ctx.petition, to_unit, co_units)
        ctx.updates["handling_unit"] = to_unit
        ctx.event_unit = to_unit
        ctx.note = (note or "").strip()
        ctx.audit = {"to_unit": to_unit.pk, "co_units": [u.pk for u in co_units]}
        ctx.notice(NoticeKind.FORWARDING, _forwarding_notice(ctx, to_unit, assigned=False), "R22 Art. 23")

    return execute(actor=actor, petition=petition, action="forward", apply=apply)


@action("assign")
def case_assign(
    *,
    actor: Actor,
    petition: Petition,
    to_unit: Unit,
    report_back_by: dt.date,
    co_units: Sequence[Unit] = (),
    note: str = "",
) -> Outcome:
    """交办 with a report-back date: the assigning bureau keeps following it (R22 Art. 22(3))."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        _check_target(ctx, to_unit, co_units, errors)
        if report_back_by is None or report_back_by <= ctx.today:
            errors.setdefault("report_back_by", []).append(_("报送办结报告的期限应当晚于今天。"))
        raise_errors(errors)
        bureau = ctx.petition.handling_unit
        ctx.case.triage_unit = bureau
        ctx.case.assigning_unit = bureau
        ctx.case.forwarded_on = ctx.today
        ctx.case.assigned_on = ctx.today
        ctx.case.report_back_by = report_back_by
        hand_over(ctx.petition, to_unit, co_units)
        involve(ctx.petition, bureau, PetitionUnit.Role.ASSIGNING)
        ctx.updates["handling_unit"] = to_unit
        ctx.event_unit = to_unit
        ctx.note = (note or "").strip()
        ctx.changes = {"report_back_by": [None, report_back_by.isoformat()]}
        ctx.audit = {"to_unit": to_unit.pk, "co_units": [u.pk for u in co_units]}
        ctx.notice(NoticeKind.FORWARDING, _forwarding_notice(ctx, to_unit, assigned=True), "R22 Art. 23")

        def fixed(event: PetitionEvent) -> None:
            dl.deadline_start_fixed(
                case=ctx.case,
                step=Step.REPORT_BACK,
                unit=to_unit,
                start=ctx.today,
                due=report_back_by,
                article="第二十二条第三项",  # stored in both languages, never in the reader's
                article_en="Art. 22(3)",
                event=event,
            )

        ctx.after.append(fixed)

    return execute(actor=actor, petition=petition, action="assign", apply=apply)


@action("report_urgent")
def case_report_urgent(*, actor: Actor, petition: Petition, summary: str, measures: str = "") -> Outcome:
    """Report a major or urgent matter at once to this level's and the next-higher bureau (R22 Art. 25)."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = clean_text(summary, "summary", errors)
        steps = clean_text(measures, "measures", errors, required=False)
        raise_errors(errors)
        bureaus = petition_bureaus_above(ctx.petition.handling_unit)
        for bureau in bureaus:
            if bureau.pk != ctx.petition.handling_unit_id:
                involve(ctx.petition, bureau, PetitionUnit.Role.ASSIGNING)
        ctx.case.urgent_reported_at = ctx.now
        ctx.event_unit = bureaus[-1] if bureaus else None
        ctx.note = text + (f"\n{_('已采取的措施')}：{steps}" if steps else "")
        ctx.audit = {"reported_to": [b.pk for b in bureaus]}

    return execute(actor=actor, petition=petition, action="report_urgent", apply=apply)


@action("object")
def case_object(*, actor: Actor, petition: Petition, reason: str) -> Outcome:
    """异议: not ours — back to the bureau that sent it, which triages it again (R22 Art. 23 ¶3)."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = clean_text(reason, "reason", errors)
        raise_errors(errors)
        back_to = ctx.case.triage_unit or ctx.petition.registering_unit
        hand_over(ctx.petition, back_to)
        ctx.updates["handling_unit"] = back_to
        ctx.event_unit = back_to
        ctx.note = text
        ctx.case.assigning_unit = None
        ctx.case.report_back_by = None
        PetitionUnit.objects.filter(petition=ctx.petition, role=PetitionUnit.Role.ASSIGNING, unit=back_to).delete()

        ctx.case.returned_on = ctx.today

        def retriage(event: PetitionEvent) -> None:
            # The bureau has the matter back: a new triage period runs from the day it returned.
            dl.deadline_start(
                case=ctx.case, step=Step.TRIAGE, unit=back_to, event=event, start_event=StartEvent.RETURNED
            )

        ctx.after.append(retriage)

    return execute(actor=actor, petition=petition, action="object", apply=apply)


def _default_route(petition: Petition) -> str:
    routes: dict[str, str] = {
        Nature.GRIEVANCE: _(
            "本单位将听取您的陈述、调查核实，依法出具信访处理意见书；对处理意见不服的，可以请求复查、复核（第三十一条第六项、第三十五条、第三十六条）。"
        ),
        Nature.SUGGESTION: _("本单位将认真研究论证，并予以回复（第二十九条）。"),
        Nature.ACCUSATION: _("本单位将依规依纪依法办理并反馈（第三十条）。"),
    }
    return routes.get(petition.nature, "")


@action("accept")
def case_accept(*, actor: Actor, petition: Petition, route: str = "", note: str = "") -> Outcome:
    """受理 and tell the petitioner where and how it will be handled (R22 Art. 22–23)."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        route_text = clean_text(route, "route", errors, required=False) or _default_route(ctx.petition)
        raise_errors(errors)
        ctx.case.accepted_on = ctx.today
        ctx.event_unit = ctx.petition.handling_unit
        ctx.note = (note or "").strip()

        def body() -> str:
            return _(
                "您于%(received)s提出的信访事项（编号%(number)s）已由%(unit)s于%(today)s受理。处理途径和程序：%(route)s%(deadline)s"
            ) % {
                "received": iso_day(ctx.case.received_on),
                "number": ctx.petition.number,
                "unit": ctx.petition.handling_unit.name,
                "today": iso_day(ctx.today),
                "route": route_text,
                "deadline": deadline_phrase(ctx.case, Step.HANDLE),
            }

        ctx.notice(NoticeKind.ACCEPTANCE, body, "R22 Art. 22-23")

    return execute(actor=actor, petition=petition, action="accept", apply=apply)


@action("decline")
def case_decline(*, actor: Actor, petition: Petition, channel: str, reason: str, where: str = "") -> Outcome:
    """不予受理 with the reason and the channel it belongs to (诉访分离, R22 Art. 31(1)–(5))."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        if channel not in DeclineChannel.values:
            errors["channel"] = [_("请选择应当通过的途径。")]
        text = clean_text(reason, "reason", errors)
        place = clean_text(where, "where", errors, required=False, limit=200)
        if channel in NEEDS_WHERE and not place:
            errors.setdefault("where", []).append(_("请写明信访人应当向哪个机关、单位或通过什么程序提出。"))
        if channel == DeclineChannel.CLOSED_MATTER and not (ctx.case.earlier and ctx.case.earlier_id):
            errors.setdefault("channel", []).append(_("请先关联已经复核终结的原信访事项。"))
        raise_errors(errors)
        ctx.case.decline_channel = channel
        ctx.case.decline_where = place
        ctx.note = text
        ctx.changes = {"decline_channel": [None, channel]}
        label = DeclineChannel(channel).label
        article = DECLINE_ARTICLES[DeclineChannel(channel)]
        earlier = ctx.case.earlier

        def body() -> str:
            text_ = _("经审查，您的信访事项（编号%(number)s）%(unit)s不予受理。理由：%(reason)s") % {
                "number": ctx.petition.number,
                "unit": ctx.petition.handling_unit.name,
                "reason": text,
            }
            if place:
                text_ += _("请通过%(channel)s向%(where)s提出。") % {"channel": label, "where": place}
            if earlier is not None and channel == DeclineChannel.CLOSED_MATTER:
                text_ += _("同一事项已作为%(number)s号信访事项复核终结。") % {"number": earlier.number}
            return text_ + _("（《信访工作条例》%(article)s）") % {"article": article}

        ctx.notice(NoticeKind.NON_ACCEPTANCE, body, f"R22 {article}")

    return execute(actor=actor, petition=petition, action="decline", apply=apply)


@action("link_earlier")
def case_link_earlier(*, actor: Actor, petition: Petition, earlier: str) -> Outcome:
    """Record that this is the same matter as an earlier petition (重复信访)."""
    target = visible_petition(actor, earlier, "earlier")

    def apply(ctx: Ctx) -> None:
        if target.pk == ctx.petition.pk:
            raise ValidationError({"earlier": [_("不能关联信访事项本身。")]})
        ctx.case.earlier = target
        ctx.changes = {"earlier": [None, target.number]}
        ctx.audit = {"earlier": target.pk}

    return execute(actor=actor, petition=petition, action="link_earlier", apply=apply)


@action("merge")
def case_merge(*, actor: Actor, petition: Petition, into: str, note: str = "") -> Outcome:
    """Merge a repeat into the earlier petition being handled on the same matter (Art. 19 ¶3)."""
    target = visible_petition(actor, into, "into")

    def apply(ctx: Ctx) -> None:
        if target.pk == ctx.petition.pk:
            raise ValidationError({"into": [_("不能并入信访事项本身。")]})
        refusal = earlier_matter_check(earlier=target, unit=None)
        if refusal is not None:  # closed after re-review: nothing to merge into, it is declined
            raise TransitionRefused(refusal)
        if target.status in {Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED}:
            raise ValidationError({"into": [_("原信访事项已经不予受理、撤回或并入其他事项，不能并入。")]})
        ctx.case.merged_into = target
        ctx.case.earlier = target
        ctx.note = (note or "").strip()
        ctx.changes = {"merged_into": [None, target.number]}
        ctx.audit = {"into": target.pk}
        # The matter now lives on in the petition it joined: lookups should find that one.
        ctx.after.append(lambda event: petition_unindex(petition_id=ctx.petition.pk))

    return execute(actor=actor, petition=petition, action="merge", apply=apply)


@action("unlink_earlier")
def case_unlink_earlier(*, actor: Actor, petition: Petition, reason: str) -> Outcome:
    """Undo `link_earlier`: the petition is not the same matter as the one linked."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = clean_text(reason, "reason", errors)
        if ctx.case.earlier is None:
            errors.setdefault("reason", []).append(_("本件没有关联原信访事项。"))
        raise_errors(errors)
        earlier = ctx.case.earlier
        assert earlier is not None
        ctx.changes = {"earlier": [earlier.number, None]}
        ctx.audit = {"earlier": earlier.pk}
        ctx.note = text
        ctx.case.earlier = None

    return execute(actor=actor, petition=petition, action="unlink_earlier", apply=apply)


@action("unmerge")
def case_unmerge(*, actor: Actor, petition: Petition, reason: str) -> Outcome:
    """Undo `merge`: back to the state before it, the deadlines it cancelled running again from
    their original start dates (receipt, forwarding), and back in the near-duplicate index."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = clean_text(reason, "reason", errors)
        merge = (
            PetitionEvent.objects.filter(petition=ctx.petition, action="merge", to_status=Status.MERGED)
            .order_by("-at", "-id")
            .first()
        )
        if merge is None or not merge.from_status:
            errors.setdefault("reason", []).append(_("找不到合并记录，无法撤销合并。"))
        raise_errors(errors)
        assert merge is not None
        into = ctx.case.merged_into
        ctx.target = merge.from_status
        ctx.changes = {"merged_into": [into.number if into else None, None]}
        ctx.audit = {"into": into.pk if into else None, "merge_event": merge.pk}
        ctx.note = text
        ctx.case.merged_into = None
        cancelled = list(Deadline.objects.filter(case=ctx.case, closed_event=merge, status=DeadlineStatus.CANCELLED))

        def restore(event: PetitionEvent) -> None:
            for old in cancelled:
                if old.start_event == StartEvent.SET_BY_ASSIGNER:
                    dl.deadline_start_fixed(
                        case=ctx.case,
                        step=old.step,
                        unit=old.unit or ctx.petition.handling_unit,
                        start=old.start_date,
                        due=old.due,
                        article=old.article,
                        article_en=old.article_en,
                        event=event,
                    )
                else:
                    dl.deadline_start(
                        case=ctx.case, step=old.step, unit=old.unit, event=event, start_event=old.start_event
                    )
            petition_index(petition=ctx.petition)

        ctx.after.append(restore)

    return execute(actor=actor, petition=petition, action="unmerge", apply=apply)
