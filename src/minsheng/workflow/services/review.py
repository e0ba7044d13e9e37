"""Review and re-review (R22 Art. 35–36), hearings included."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import unit_next_higher
from minsheng.petitions.models import Petition, PetitionUnit
from minsheng.workflow.engine import Ctx, Outcome, execute
from minsheng.workflow.models import (
    Closure,
    DecisionKind,
    Hearing,
    NoticeKind,
)
from minsheng.workflow.models import (
    Outcome as DecisionOutcome,
)
from minsheng.workflow.services.base import (
    action,
    check_not_future,
    clean_text,
    involve,
    issue_document,
    raise_errors,
    record_delivery,
    review_hint,
    window_length,
)
from minsheng.workflow.steps import Step


@action("deliver_review")
def case_deliver_review(*, actor: Actor, petition: Petition, delivered_on: dt.date) -> Outcome:
    """Record the day the review opinion reached the petitioner: the re-review window starts (Art. 36)."""
    return execute(
        actor=actor,
        petition=petition,
        action="deliver_review",
        apply=lambda ctx: record_delivery(ctx, delivered_on, [DecisionKind.REVIEW], "review_delivered_on"),
    )


def _request(ctx: Ctx, requested_on: dt.date | None, grounds: str, unit: Unit, case_field: str) -> None:
    errors: dict[str, list[str]] = {}
    text = clean_text(grounds, "grounds", errors)
    check_not_future(requested_on, "requested_on", errors, ctx.today)
    raise_errors(errors)
    setattr(ctx.case, case_field, requested_on or ctx.today)
    involve(ctx.petition, unit, PetitionUnit.Role.REVIEWING)
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
        decision = issue_document(
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
        days, article = window_length(ctx.case, Step.REREVIEW_REQUEST)

        def body() -> str:
            return _("%(unit)s对您的信访事项（编号%(number)s）提出复查意见：%(outcome)s。") % {
                "unit": decision.unit.name,
                "number": ctx.petition.number,
                "outcome": DecisionOutcome(decision.outcome).label,
            } + review_hint(
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
        where = clean_text(place, "place", errors, limit=200)
        chair = clean_text(host, "host", errors, limit=100)
        people = clean_text(participants, "participants", errors)
        if scheduled_at is None:
            errors["scheduled_at"] = [_("请填写听证时间。")]
        elif timezone.localtime(scheduled_at).date() < ctx.today:
            errors["scheduled_at"] = [_("听证时间不能早于今天。")]
        raise_errors(errors)
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
        minutes = clean_text(record, "record", errors)
        result = clean_text(conclusion, "conclusion", errors)
        day = concluded_on or ctx.today
        check_not_future(day, "concluded_on", errors, ctx.today)
        if hearing is not None and day < hearing.decided_on:
            errors.setdefault("concluded_on", []).append(_("听证结束日期不能早于决定听证的日期。"))
        raise_errors(errors)
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
        decision = issue_document(
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
