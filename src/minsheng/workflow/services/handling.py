"""Handling (R22 Art. 29–34): records, extensions, agreements, decisions, replies, closing."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.orgs.selectors import unit_next_higher
from minsheng.petitions.models import Petition
from minsheng.workflow import deadlines as dl
from minsheng.workflow.engine import Ctx, Outcome, execute
from minsheng.workflow.models import (
    Closure,
    DecisionKind,
    Extension,
    ExtensionStatus,
    NoticeKind,
)
from minsheng.workflow.models import (
    Outcome as DecisionOutcome,
)
from minsheng.workflow.services.base import (
    action,
    clean_text,
    issue_document,
    raise_errors,
    record_delivery,
    review_hint,
    window_length,
)
from minsheng.workflow.steps import Step
from minsheng.workflow.transitions import TRANSITIONS


@action("record_progress")
def case_record_progress(*, actor: Actor, petition: Petition, kind: str, content: str) -> Outcome:
    """A line of the handling record: heard the petitioner, investigated, coordinated (Art. 31(6))."""
    row = TRANSITIONS["record_progress"]
    kinds = dict(row.fields[0].choices)

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        if kind not in kinds:
            errors["kind"] = [_("请选择办理方式。")]
        text = clean_text(content, "content", errors)
        raise_errors(errors)
        ctx.note = f"{kinds[kind]}：{text}"
        ctx.audit = {"kind": kind}

    return execute(actor=actor, petition=petition, action="record_progress", apply=apply)


@action("request_extension")
def case_request_extension(*, actor: Actor, petition: Petition, days: int, reason: str) -> Outcome:
    """The handler asks the unit head for more time (R22 Art. 34)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(days, int) or days < 1:
        errors["days"] = [_("延长天数至少为1日。")]
    text = clean_text(reason, "reason", errors)
    raise_errors(errors)

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
    text = clean_text(note, "note", errors)
    raise_errors(errors)

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


@action("mediate")
def case_mediate(*, actor: Actor, petition: Petition, kind: str, parties: str, facts: str, terms: str) -> Outcome:
    """Close by a mediation or settlement agreement the parties agreed to (R22 Art. 33)."""

    def apply(ctx: Ctx) -> None:
        if not (parties or "").strip():
            raise ValidationError({"parties": [_("此项为必填项。")]})
        decision = issue_document(
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
        decision = issue_document(
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
        days, article = window_length(ctx.case, Step.REVIEW_REQUEST)

        def body() -> str:
            return _("%(unit)s已对您的信访事项（编号%(number)s）出具信访处理意见书：%(outcome)s。") % {
                "unit": decision.unit.name,
                "number": ctx.petition.number,
                "outcome": DecisionOutcome(decision.outcome).label,
            } + review_hint(unit_next_higher(ctx.petition.handling_unit), days, article, _("复查"))

        ctx.notice(NoticeKind.DECISION, body, "R22 Art. 32")

    return execute(actor=actor, petition=petition, action="decide", apply=apply)


@action("reply")
def case_reply(*, actor: Actor, petition: Petition, outcome: str, opinion: str) -> Outcome:
    """Answer a suggestion (R22 Art. 29) or report back on an accusation (Art. 30); no review follows."""

    def apply(ctx: Ctx) -> None:
        decision = issue_document(
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


@action("deliver_decision")
def case_deliver_decision(*, actor: Actor, petition: Petition, delivered_on: dt.date) -> Outcome:
    """Record the day the written reply reached the petitioner: the review window starts (Art. 35)."""
    return execute(
        actor=actor,
        petition=petition,
        action="deliver_decision",
        apply=lambda ctx: record_delivery(ctx, delivered_on, [DecisionKind.DECISION], "reply_delivered_on"),
    )


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
        text = clean_text(summary, "summary", errors)
        raise_errors(errors)
        ctx.case.reported_back_at = ctx.now
        ctx.event_unit = ctx.case.assigning_unit
        ctx.note = text

    return execute(actor=actor, petition=petition, action="report_back", apply=apply)


@action("withdraw")
def case_withdraw(*, actor: Actor, petition: Petition, reason: str) -> Outcome:
    """The petitioner withdraws the matter; every period stops."""

    def apply(ctx: Ctx) -> None:
        errors: dict[str, list[str]] = {}
        text = clean_text(reason, "reason", errors)
        raise_errors(errors)
        ctx.note = text

        def body() -> str:
            return _("您已撤回信访事项（编号%(number)s），本事项不再办理。") % {"number": ctx.petition.number}

        ctx.notice(NoticeKind.WITHDRAWAL, body, "")

    return execute(actor=actor, petition=petition, action="withdraw", apply=apply)
