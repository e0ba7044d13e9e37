"""One typed service per action of the transition table; each validates its own fields and hands
the generic executor (engine.execute) what the step changes. `action_run` is the one entry for
pages and the API: it calls the service named by the table row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import unit_next_higher
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Nature, Petition, PetitionEvent, PetitionUnit
from minsheng.workflow import deadlines as dl
from minsheng.workflow.conditions import earlier_matter_check
from minsheng.workflow.engine import Ctx, Outcome, TransitionRefused, execute
from minsheng.workflow.models import (
    Case,
    Closure,
    Decision,
    DecisionKind,
    DeclineChannel,
    Extension,
    ExtensionStatus,
    Hearing,
    NoticeKind,
)
from minsheng.workflow.models import (
    Outcome as DecisionOutcome,
)
from minsheng.workflow.states import Status
from minsheng.workflow.steps import StartEvent, Step
from minsheng.workflow.transitions import TRANSITIONS, Effect

Service = Callable[..., Outcome]
SERVICES: dict[str, Service] = {}

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


def action(name: str) -> Callable[[Service], Service]:
    def register(service: Service) -> Service:
        assert name in TRANSITIONS, name
        SERVICES[name] = service
        return service

    return register


def action_run(*, actor: Actor, petition: Petition, action: str, data: dict[str, Any]) -> Outcome:
    """Run the action named in the transition table with its (already parsed) fields."""
    row = TRANSITIONS.get(action)
    if row is None or row.via_registration:
        raise ValidationError({"action": [_("没有名为「%(name)s」的操作。") % {"name": action}]})
    return SERVICES[action](actor=actor, petition=petition, **data)


# --- Helpers --------------------------------------------------------------------------------------


def _text(
    value: str | None, field: str, errors: dict[str, list[str]], *, required: bool = True, limit: int = 20000
) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(_("此项为必填项。"))
    elif len(value) > limit:
        errors.setdefault(field, []).append(_("不能超过%(n)d个字。") % {"n": limit})
    return value


def _date_not_future(value: dt.date | None, field: str, errors: dict[str, list[str]], today: dt.date) -> None:
    if value is not None and value > today:
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _involve(petition: Petition, unit: Unit, role: str) -> None:
    # The unique constraint (petition, unit, role) makes a repeat a no-op.
    PetitionUnit.objects.bulk_create([PetitionUnit(petition=petition, unit=unit, role=role)], ignore_conflicts=True)


def _hand_over(petition: Petition, to_unit: Unit, co_units: Sequence[Unit] = ()) -> None:
    """Make `to_unit` the handling unit in the data scope (co-handlers beside it)."""
    PetitionUnit.objects.filter(
        petition=petition, role__in=[PetitionUnit.Role.HANDLING, PetitionUnit.Role.CO_HANDLING]
    ).delete()
    _involve(petition, to_unit, PetitionUnit.Role.HANDLING)
    for unit in co_units:
        _involve(petition, unit, PetitionUnit.Role.CO_HANDLING)


def _petition_bureaus_above(unit: Unit) -> list[Unit]:
    """The petition bureau of this level (the unit itself or its nearest bureau) and the one above."""
    found: list[Unit] = []
    current: Unit | None = unit
    while current is not None and len(found) < 2:
        if current.kind == Unit.Kind.PETITION_BUREAU:
            found.append(current)
        current = current.parent
    return found


def _day(value: dt.date) -> str:
    return value.isoformat()


def _deadline_phrase(case: Case, step: str) -> str:
    """For a notice: by when the step must be done, in words a petitioner reads."""
    deadline = dl.open_deadline(case, step)
    if deadline is None:
        return ""
    text = _("依法应当在%(due)s前办结（%(citation)s）。") % {
        "due": deadline.due.isoformat(),
        "citation": dl.article_citation(deadline),
    }
    if deadline.provisional:
        text += _("该日期所涉年份的节假日安排尚未公布，日期可能相应调整。")
    return text


def case_open(*, petition: Petition, actor: Actor) -> Case:
    """Open the case of a newly registered petition: choose the rule set in force for its region
    (the case keeps it), and start the triage period (R22 Art. 22). Called by registration,
    inside its transaction."""
    existing = Case.objects.filter(petition=petition).first()
    if existing is not None:
        return existing
    ruleset = dl.ruleset_for_petition(petition)
    case = Case.objects.create(
        petition=petition, ruleset=ruleset, received_on=timezone.localtime(petition.received_at).date()
    )
    case.petition = petition
    event = PetitionEvent.objects.filter(petition=petition, action="register").order_by("-id").first()
    for effect in TRANSITIONS["register"].effects:
        if effect.op == "start":
            dl.deadline_start(case=case, step=effect.step, unit=petition.handling_unit, event=event)
    return case


def _visible_petition(actor: Actor, number: str, field: str) -> Petition:
    number = (number or "").strip()
    qs = petitions_visible_to(actor.user) if actor.user is not None else Petition.objects.none()
    petition = qs.filter(number=number).select_related("handling_unit").first()
    if petition is None:
        raise ValidationError({field: [_("没有找到编号为「%(number)s」的信访事项。") % {"number": number}]})
    return petition


# --- Triage ---------------------------------------------------------------------------------------


def _check_target(ctx: Ctx, to_unit: Unit, co_units: Sequence[Unit], errors: dict[str, list[str]]) -> None:
    here = ctx.petition.handling_unit
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
            "received": _day(ctx.case.received_on),
            "number": petition.number,
            "today": _day(ctx.today),
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
        _raise(errors)
        ctx.case.triage_unit = ctx.petition.handling_unit
        ctx.case.forwarded_on = ctx.today
        _hand_over(ctx.petition, to_unit, co_units)
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
        _raise(errors)
        bureau = ctx.petition.handling_unit
        ctx.case.triage_unit = bureau
        ctx.case.assigning_unit = bureau
        ctx.case.forwarded_on = ctx.today
        ctx.case.assigned_on = ctx.today
        ctx.case.report_back_by = report_back_by
        _hand_over(ctx.petition, to_unit, co_units)
        _involve(ctx.petition, bureau, PetitionUnit.Role.ASSIGNING)
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
        text = _text(summary, "summary", errors)
        steps = _text(measures, "measures", errors, required=False)
        _raise(errors)
        bureaus = _petition_bureaus_above(ctx.petition.handling_unit)
        for bureau in bureaus:
            if bureau.pk != ctx.petition.handling_unit_id:
                _involve(ctx.petition, bureau, PetitionUnit.Role.ASSIGNING)
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
        text = _text(reason, "reason", errors)
        _raise(errors)
        back_to = ctx.case.triage_unit or ctx.petition.registering_unit
        _hand_over(ctx.petition, back_to)
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
        route_text = _text(route, "route", errors, required=False) or _default_route(ctx.petition)
        _raise(errors)
        ctx.case.accepted_on = ctx.today
        ctx.event_unit = ctx.petition.handling_unit
        ctx.note = (note or "").strip()

        def body() -> str:
            return _(
                "您于%(received)s提出的信访事项（编号%(number)s）已由%(unit)s于%(today)s受理。处理途径和程序：%(route)s%(deadline)s"
            ) % {
                "received": _day(ctx.case.received_on),
                "number": ctx.petition.number,
                "unit": ctx.petition.handling_unit.name,
                "today": _day(ctx.today),
                "route": route_text,
                "deadline": _deadline_phrase(ctx.case, Step.HANDLE),
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
        text = _text(reason, "reason", errors)
        place = _text(where, "where", errors, required=False, limit=200)
        if channel in NEEDS_WHERE and not place:
            errors.setdefault("where", []).append(_("请写明信访人应当向哪个机关、单位或通过什么程序提出。"))
        if channel == DeclineChannel.CLOSED_MATTER and not (ctx.case.earlier and ctx.case.earlier_id):
            errors.setdefault("channel", []).append(_("请先关联已经复核终结的原信访事项。"))
        _raise(errors)
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
    target = _visible_petition(actor, earlier, "earlier")

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
    target = _visible_petition(actor, into, "into")

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

    return execute(actor=actor, petition=petition, action="merge", apply=apply)


# --- Handling ---------------------------------------------------------------------------------------


@action("record_progress")
def case_record_progress(*, actor: Actor, petition: Petition, kind: str, content: str) -> Outcome:
    """A line of the handling record: heard the petitioner, investigated, coordinated (Art. 31(6))."""
    row = TRANSITIONS["record_progress"]
    kinds = dict(row.fields[0].choices)

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        if kind not in kinds:
            errors["kind"] = [_("请选择办理方式。")]
        text = _text(content, "content", errors)
        _raise(errors)
        ctx.note = f"{kinds[kind]}：{text}"
        ctx.audit = {"kind": kind}

    return execute(actor=actor, petition=petition, action="record_progress", apply=apply)


@action("request_extension")
def case_request_extension(*, actor: Actor, petition: Petition, days: int, reason: str) -> Outcome:
    """The handler asks the unit head for more time (R22 Art. 34)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(days, int) or days < 1:
        errors["days"] = [_("延长天数至少为1日。")]
    text = _text(reason, "reason", errors)
    _raise(errors)

    def apply(ctx: Ctx) -> None:
        Extension.objects.create(case=ctx.case, days=days, reason=text, requested_by=actor.user, requested_at=ctx.now)
        ctx.note = _("申请延长%(days)d日：%(reason)s") % {"days": days, "reason": text}
        ctx.audit = {"days": days}

    return execute(actor=actor, petition=petition, action="request_extension", fields={"days": days}, apply=apply)


@action("approve_extension")
def case_approve_extension(*, actor: Actor, petition: Petition, note: str = "") -> Outcome:
    """The unit head approves: the period itself grows, the petitioner is told why (R22 Art. 34)."""

    def apply(ctx: Ctx) -> None:
        pending = ctx.case.extensions.select_for_update().get(status=ExtensionStatus.PENDING)
        pending.status = ExtensionStatus.APPROVED
        pending.decided_by = actor.user
        pending.decided_at = ctx.now
        pending.decision_note = (note or "").strip()
        pending.save()
        ctx.fields["days"] = pending.days
        before = dl.open_deadline(ctx.case, Step.HANDLE)
        ctx.changes = {"extension_days": [None, pending.days]}
        ctx.note = pending.reason
        ctx.audit = {"extension": pending.pk, "days": pending.days}

        def body() -> str:
            after = dl.open_deadline(ctx.case, Step.HANDLE)
            return _(
                "您的信访事项（编号%(number)s）情况复杂，经%(unit)s负责人批准，办理期限延长%(days)d日，"
                "由%(before)s延至%(after)s。延期理由：%(reason)s（《信访工作条例》第三十四条）"
            ) % {
                "number": ctx.petition.number,
                "unit": ctx.petition.handling_unit.name,
                "days": pending.days,
                "before": before.due.isoformat() if before else "—",
                "after": after.due.isoformat() if after else "—",
                "reason": pending.reason,
            }

        ctx.notice(NoticeKind.EXTENSION, body, "R22 Art. 34")

    return execute(actor=actor, petition=petition, action="approve_extension", apply=apply)


@action("reject_extension")
def case_reject_extension(*, actor: Actor, petition: Petition, note: str) -> Outcome:
    """The unit head declines the extension; the period stays as it is."""
    errors: dict[str, list[str]] = {}
    text = _text(note, "note", errors)
    _raise(errors)

    def apply(ctx: Ctx) -> None:
        pending = ctx.case.extensions.select_for_update().get(status=ExtensionStatus.PENDING)
        pending.status = ExtensionStatus.REJECTED
        pending.decided_by = actor.user
        pending.decided_at = ctx.now
        pending.decision_note = text
        pending.save()
        ctx.note = text
        ctx.audit = {"extension": pending.pk}

    return execute(actor=actor, petition=petition, action="reject_extension", apply=apply)


def _issue(
    ctx: Ctx,
    *,
    kind: str,
    outcome: str,
    allowed: Sequence[str],
    request: str,
    facts: str,
    opinion: str,
    legal_basis: str,
    delivered_on: dt.date | None,
    parties: str = "",
    require_basis: bool = True,
) -> Decision:
    errors: dict[str, list[str]] = {}
    if outcome not in allowed:
        errors["outcome"] = [_("请选择处理结果。")]
    request = _text(request, "request", errors)
    facts = _text(facts, "facts", errors)
    opinion = _text(opinion, "opinion", errors)
    legal_basis = _text(legal_basis, "legal_basis", errors, required=require_basis)
    _date_not_future(delivered_on, "delivered_on", errors, ctx.today)
    _raise(errors)
    decision = Decision.objects.create(
        case=ctx.case,
        kind=kind,
        unit=ctx.actor.user.unit if ctx.actor.user and ctx.actor.user.unit else ctx.petition.handling_unit,
        outcome=outcome,
        request=request,
        facts=facts,
        opinion=opinion,
        legal_basis=legal_basis,
        parties=parties,
        issued_by=ctx.actor.user,
        issued_at=ctx.now,
        delivered_on=delivered_on,
    )
    ctx.changes = {"outcome": [None, outcome]}
    ctx.audit = {"decision": decision.pk, "outcome": outcome}
    return decision


@action("mediate")
def case_mediate(*, actor: Actor, petition: Petition, kind: str, parties: str, facts: str, terms: str) -> Outcome:
    """Close by a mediation or settlement agreement the parties agreed to (R22 Art. 33)."""

    def apply(ctx: Ctx) -> None:
        if not (parties or "").strip():
            raise ValidationError({"parties": [_("此项为必填项。")]})
        decision = _issue(
            ctx,
            kind=DecisionKind.SETTLEMENT,
            outcome=kind,
            allowed=(DecisionOutcome.MEDIATION, DecisionOutcome.SETTLEMENT),
            request=ctx.petition.request,
            facts=facts,
            opinion=terms,
            legal_basis="",
            delivered_on=ctx.today,
            parties=parties.strip(),
            require_basis=False,
        )
        ctx.case.closure = Closure.SETTLED
        ctx.case.closed_at = ctx.now

        def body() -> str:
            return _(
                "您的信访事项（编号%(number)s）经%(kind)s达成一致，已制作%(doc)s，事项办结（《信访工作条例》第三十三条）。"
            ) % {
                "number": ctx.petition.number,
                "kind": DecisionOutcome(decision.outcome).label,
                "doc": DecisionKind(decision.kind).label,
            }

        ctx.notice(NoticeKind.SETTLEMENT, body, "R22 Art. 33")

    return execute(actor=actor, petition=petition, action="mediate", apply=apply)


def _review_hint(unit: Unit | None, days: int, article: str, what: str) -> str:
    if unit is None or not days:
        return ""
    return _("如不服，可以自收到本意见之日起%(days)d日内向%(unit)s请求%(what)s（%(article)s）。") % {
        "days": days,
        "unit": unit.name,
        "what": what,
        "article": article,
    }


def _window_length(case: Case, step: str) -> tuple[int, str]:
    rule = dl.rule_for(case.ruleset, step, case.petition.nature)
    if rule is None:
        return 0, ""
    return rule.length, f"{case.ruleset.policy.code} {rule.article}"


@action("decide")
def case_decide(
    *,
    actor: Actor,
    petition: Petition,
    outcome: str,
    request: str,
    facts: str,
    opinion: str,
    legal_basis: str,
    delivered_on: dt.date | None = None,
) -> Outcome:
    """The written decision (处理意见书): request, facts and reasons, decision, legal basis (R22 Art. 32)."""

    def apply(ctx: Ctx) -> None:
        decision = _issue(
            ctx,
            kind=DecisionKind.DECISION,
            outcome=outcome,
            allowed=(DecisionOutcome.SUPPORT, DecisionOutcome.EXPLAIN, DecisionOutcome.NOT_SUPPORT),
            request=request,
            facts=facts,
            opinion=opinion,
            legal_basis=legal_basis,
            delivered_on=delivered_on,
        )
        ctx.case.reply_delivered_on = delivered_on
        days, article = _window_length(ctx.case, Step.REVIEW_REQUEST)

        def body() -> str:
            return _("%(unit)s已对您的信访事项（编号%(number)s）出具信访处理意见书：%(outcome)s。") % {
                "unit": decision.unit.name,
                "number": ctx.petition.number,
                "outcome": DecisionOutcome(decision.outcome).label,
            } + _review_hint(unit_next_higher(ctx.petition.handling_unit), days, article, _("复查"))

        ctx.notice(NoticeKind.DECISION, body, "R22 Art. 32")

    return execute(actor=actor, petition=petition, action="decide", apply=apply)


@action("reply")
def case_reply(*, actor: Actor, petition: Petition, outcome: str, opinion: str) -> Outcome:
    """Answer a suggestion (R22 Art. 29) or report back on an accusation (Art. 30); no review follows."""

    def apply(ctx: Ctx) -> None:
        decision = _issue(
            ctx,
            kind=DecisionKind.REPLY,
            outcome=outcome,
            allowed=(
                DecisionOutcome.ADOPTED,
                DecisionOutcome.PARTLY_ADOPTED,
                DecisionOutcome.NOT_ADOPTED,
                DecisionOutcome.FEEDBACK,
            ),
            request=ctx.petition.request,
            facts=opinion,
            opinion=opinion,
            legal_basis="",
            delivered_on=ctx.today,
            require_basis=False,
        )
        ctx.case.closure = Closure.REPLIED
        ctx.case.closed_at = ctx.now

        def body() -> str:
            return _("您的信访事项（编号%(number)s）办理结果：%(outcome)s。%(opinion)s") % {
                "number": ctx.petition.number,
                "outcome": DecisionOutcome(decision.outcome).label,
                "opinion": decision.opinion,
            }

        ctx.notice(NoticeKind.REPLY, body, "R22 Art. 29-30")

    return execute(actor=actor, petition=petition, action="reply", apply=apply)


def _deliver(ctx: Ctx, delivered_on: dt.date, kinds: Sequence[str], case_field: str) -> None:
    errors: dict[str, list[str]] = {}
    if delivered_on is None:
        errors["delivered_on"] = [_("请填写送达日期。")]
    _date_not_future(delivered_on, "delivered_on", errors, ctx.today)
    decision = ctx.case.decisions.filter(kind__in=kinds).order_by("-issued_at").first()
    if (
        decision is not None
        and delivered_on is not None
        and delivered_on < timezone.localtime(decision.issued_at).date()
    ):
        errors.setdefault("delivered_on", []).append(_("送达日期不能早于出具日期。"))
    _raise(errors)
    setattr(ctx.case, case_field, delivered_on)
    if decision is not None:
        decision.delivered_on = delivered_on
        decision.save(update_fields=["delivered_on"])
    ctx.changes = {case_field: [None, delivered_on.isoformat()]}


@action("deliver_decision")
def case_deliver_decision(*, actor: Actor, petition: Petition, delivered_on: dt.date) -> Outcome:
    """Record the day the written reply reached the petitioner: the review window starts (Art. 35)."""
    return execute(
        actor=actor,
        petition=petition,
        action="deliver_decision",
        apply=lambda ctx: _deliver(ctx, delivered_on, [DecisionKind.DECISION], "reply_delivered_on"),
    )


@action("deliver_review")
def case_deliver_review(*, actor: Actor, petition: Petition, delivered_on: dt.date) -> Outcome:
    """Record the day the review opinion reached the petitioner: the re-review window starts (Art. 36)."""
    return execute(
        actor=actor,
        petition=petition,
        action="deliver_review",
        apply=lambda ctx: _deliver(ctx, delivered_on, [DecisionKind.REVIEW], "review_delivered_on"),
    )


# --- Review, re-review, hearing -------------------------------------------------------------------


def _request(ctx: Ctx, requested_on: dt.date | None, grounds: str, unit: Unit, case_field: str) -> None:
    errors: dict[str, list[str]] = {}
    text = _text(grounds, "grounds", errors)
    _date_not_future(requested_on, "requested_on", errors, ctx.today)
    _raise(errors)
    setattr(ctx.case, case_field, requested_on or ctx.today)
    _involve(ctx.petition, unit, PetitionUnit.Role.REVIEWING)
    ctx.event_unit = unit
    ctx.note = text
    ctx.changes = {case_field: [None, (requested_on or ctx.today).isoformat()]}


@action("request_review")
def case_request_review(
    *, actor: Actor, petition: Petition, grounds: str, requested_on: dt.date | None = None
) -> Outcome:
    """复查: asked of the next-higher body within 30 days of the written reply (R22 Art. 35)."""

    def apply(ctx: Ctx) -> None:
        unit = unit_next_higher(ctx.petition.handling_unit)
        assert unit is not None  # the precondition review_body_exists
        ctx.case.review_unit = unit
        _request(ctx, requested_on, grounds, unit, "review_requested_on")

    return execute(
        actor=actor, petition=petition, action="request_review", fields={"requested_on": requested_on}, apply=apply
    )


@action("decide_review")
def case_decide_review(
    *,
    actor: Actor,
    petition: Petition,
    outcome: str,
    facts: str,
    opinion: str,
    legal_basis: str,
    delivered_on: dt.date | None = None,
) -> Outcome:
    """The review opinion, answered in writing within 30 days of the request (R22 Art. 35)."""

    def apply(ctx: Ctx) -> None:
        decision = _issue(
            ctx,
            kind=DecisionKind.REVIEW,
            outcome=outcome,
            allowed=(DecisionOutcome.UPHOLD, DecisionOutcome.CHANGE, DecisionOutcome.REVOKE),
            request=ctx.petition.request,
            facts=facts,
            opinion=opinion,
            legal_basis=legal_basis,
            delivered_on=delivered_on,
        )
        ctx.case.review_delivered_on = delivered_on
        ctx.event_unit = ctx.case.review_unit
        days, article = _window_length(ctx.case, Step.REREVIEW_REQUEST)

        def body() -> str:
            return _("%(unit)s对您的信访事项（编号%(number)s）提出复查意见：%(outcome)s。") % {
                "unit": decision.unit.name,
                "number": ctx.petition.number,
                "outcome": DecisionOutcome(decision.outcome).label,
            } + _review_hint(
                unit_next_higher(ctx.case.review_unit) if ctx.case.review_unit else None, days, article, _("复核")
            )

        ctx.notice(NoticeKind.REVIEW, body, "R22 Art. 35")

    return execute(actor=actor, petition=petition, action="decide_review", apply=apply)


@action("request_rereview")
def case_request_rereview(
    *, actor: Actor, petition: Petition, grounds: str, requested_on: dt.date | None = None
) -> Outcome:
    """复核: asked of the body above the reviewer within 30 days of the review opinion (R22 Art. 36)."""

    def apply(ctx: Ctx) -> None:
        unit = unit_next_higher(ctx.case.review_unit) if ctx.case.review_unit else None
        assert unit is not None  # the precondition rereview_body_exists
        ctx.case.rereview_unit = unit
        _request(ctx, requested_on, grounds, unit, "rereview_requested_on")

    return execute(
        actor=actor, petition=petition, action="request_rereview", fields={"requested_on": requested_on}, apply=apply
    )


@action("schedule_hearing")
def case_schedule_hearing(
    *, actor: Actor, petition: Petition, scheduled_at: dt.datetime, place: str, host: str, participants: str
) -> Outcome:
    """Decide to hold a hearing; the re-review period stops counting (R22 Art. 36 ¶2)."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        where = _text(place, "place", errors, limit=200)
        chair = _text(host, "host", errors, limit=100)
        people = _text(participants, "participants", errors)
        if scheduled_at is None:
            errors["scheduled_at"] = [_("请填写听证时间。")]
        elif timezone.localtime(scheduled_at).date() < ctx.today:
            errors["scheduled_at"] = [_("听证时间不能早于今天。")]
        _raise(errors)
        hearing = Hearing.objects.create(
            case=ctx.case, decided_on=ctx.today, scheduled_at=scheduled_at, place=where, host=chair, participants=people
        )
        ctx.fields["decided_on"] = ctx.today
        ctx.event_unit = ctx.case.rereview_unit
        ctx.changes = {"hearing_at": [None, timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")]}
        ctx.audit = {"hearing": hearing.pk}

        def body() -> str:
            return _(
                "%(unit)s决定就您的信访事项（编号%(number)s）举行听证：时间%(at)s，地点%(place)s。听证所需时间不计入复核期限（《信访工作条例》第三十六条第二款）。"
            ) % {
                "unit": ctx.case.rereview_unit.name if ctx.case.rereview_unit else "",
                "number": ctx.petition.number,
                "at": timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M"),
                "place": where,
            }

        ctx.notice(NoticeKind.HEARING, body, "R22 Art. 36")

    return execute(actor=actor, petition=petition, action="schedule_hearing", apply=apply)


@action("conclude_hearing")
def case_conclude_hearing(
    *, actor: Actor, petition: Petition, record: str, conclusion: str, concluded_on: dt.date | None = None
) -> Outcome:
    """Record the hearing and its conclusion; the re-review period counts again from the next day."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        hearing = ctx.case.hearings.select_for_update().filter(concluded_on__isnull=True).order_by("-id").first()
        minutes = _text(record, "record", errors)
        result = _text(conclusion, "conclusion", errors)
        day = concluded_on or ctx.today
        _date_not_future(day, "concluded_on", errors, ctx.today)
        if hearing is not None and day < hearing.decided_on:
            errors.setdefault("concluded_on", []).append(_("听证结束日期不能早于决定听证的日期。"))
        _raise(errors)
        assert hearing is not None  # the state HEARING always has one open hearing
        hearing.record, hearing.conclusion, hearing.concluded_on = minutes, result, day
        hearing.save()
        ctx.fields["concluded_on"] = day
        ctx.event_unit = ctx.case.rereview_unit
        ctx.note = result
        ctx.audit = {"hearing": hearing.pk}

    return execute(actor=actor, petition=petition, action="conclude_hearing", apply=apply)


@action("decide_rereview")
def case_decide_rereview(
    *,
    actor: Actor,
    petition: Petition,
    outcome: str,
    facts: str,
    opinion: str,
    legal_basis: str,
    delivered_on: dt.date | None = None,
) -> Outcome:
    """The re-review opinion ends the matter: the same matter is not accepted again (R22 Art. 36 ¶3)."""

    def apply(ctx: Ctx) -> None:
        decision = _issue(
            ctx,
            kind=DecisionKind.REREVIEW,
            outcome=outcome,
            allowed=(DecisionOutcome.UPHOLD, DecisionOutcome.CHANGE, DecisionOutcome.REVOKE),
            request=ctx.petition.request,
            facts=facts,
            opinion=opinion,
            legal_basis=legal_basis,
            delivered_on=delivered_on,
        )
        ctx.case.closure = Closure.REREVIEW
        ctx.case.closed_at = ctx.now
        ctx.event_unit = ctx.case.rereview_unit

        def body() -> str:
            return _(
                "%(unit)s对您的信访事项（编号%(number)s）提出复核意见：%(outcome)s。信访人对复核意见不服，"
                "仍然以同一事实和理由提出投诉请求的，不再受理（《信访工作条例》第三十六条第三款）。"
            ) % {
                "unit": decision.unit.name,
                "number": ctx.petition.number,
                "outcome": DecisionOutcome(decision.outcome).label,
            }

        ctx.notice(NoticeKind.REREVIEW, body, "R22 Art. 36")

    return execute(actor=actor, petition=petition, action="decide_rereview", apply=apply)


@action("conclude")
def case_conclude(*, actor: Actor, petition: Petition) -> Outcome:
    """Close a decided case whose review (or re-review) window ran out unused (R22 Art. 35–36)."""

    def apply(ctx: Ctx) -> None:
        ctx.case.closure = Closure.NO_REVIEW
        ctx.case.closed_at = ctx.now

    return execute(actor=actor, petition=petition, action="conclude", apply=apply)


@action("report_back")
def case_report_back(*, actor: Actor, petition: Petition, summary: str) -> Outcome:
    """Send the report on an assigned matter to the bureau that assigned it (R22 Art. 22(3))."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = _text(summary, "summary", errors)
        _raise(errors)
        ctx.case.reported_back_at = ctx.now
        ctx.event_unit = ctx.case.assigning_unit
        ctx.note = text

    return execute(actor=actor, petition=petition, action="report_back", apply=apply)


@action("withdraw")
def case_withdraw(*, actor: Actor, petition: Petition, reason: str) -> Outcome:
    """The petitioner withdraws the matter; every period stops."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = _text(reason, "reason", errors)
        _raise(errors)
        ctx.note = text

        def body() -> str:
            return _("您已撤回信访事项（编号%(number)s），本事项不再办理。") % {"number": ctx.petition.number}

        ctx.notice(NoticeKind.WITHDRAWAL, body, "")

    return execute(actor=actor, petition=petition, action="withdraw", apply=apply)


# --- Jobs -----------------------------------------------------------------------------------------


def cases_conclude_lapsed(*, today: dt.date | None = None) -> int:
    """Close every decided case whose review or re-review window closed unused (the daily job)."""
    from minsheng.workflow.models import Deadline, DeadlineStatus

    today = today or timezone.localdate()
    lapsed = Deadline.objects.filter(
        status=DeadlineStatus.OPEN,
        step__in=[Step.REVIEW_REQUEST, Step.REREVIEW_REQUEST],
        due__lt=today,
        petition__status__in=[Status.DECIDED, Status.REVIEWED],
    ).values_list("petition_id", flat=True)
    closed = 0
    for petition_id in sorted(set(lapsed)):
        try:
            with transaction.atomic():
                execute(actor=Actor.system("daily"), petition=petition_id, action="conclude", apply=_system_conclude)
        except (TransitionRefused, ValidationError):
            continue
        closed += 1
    return closed


def _system_conclude(ctx: Ctx) -> None:
    ctx.case.closure = Closure.NO_REVIEW
    ctx.case.closed_at = ctx.now


# The registration step is the petitions app's service; its deadline effects are ours.
REGISTER_EFFECTS: tuple[Effect, ...] = TRANSITIONS["register"].effects
