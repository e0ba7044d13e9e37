"""The generic executor of the transition table.

Every transition: takes the Actor; runs in one transaction; locks the case row (so two people
acting on one case queue, on PostgreSQL by SELECT … FOR UPDATE, on SQLite by the IMMEDIATE write
transaction) and then compare-and-sets the petition's status, so of two concurrent transitions
exactly one applies and the other answers Conflict; writes its timeline event with the audit twin;
applies the row's deadline effects; records the notices owed and queues their delivery on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, NotAllowed
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import unit_next_higher
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow import deadlines as dl
from minsheng.workflow.conditions import Check, Refusal
from minsheng.workflow.models import Case, DeadlineStatus
from minsheng.workflow.states import Status
from minsheng.workflow.transitions import TRANSITIONS, Effect, Transition

STATUS_LABELS = dict(Status.choices)


class TransitionRefused(Conflict):
    """A precondition of the transition does not hold (409); carries the refusal's link."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message, code=refusal.code, article=refusal.article)
        self.refusal = refusal


# --- Who may act -------------------------------------------------------------------------------


def current_unit(petition: Petition, case: Case | None) -> Unit:
    """The unit that holds the case now: the review or re-review body during those stages."""
    if case is not None:
        if petition.status in {Status.REVIEW, Status.REVIEWED} and case.review_unit is not None:
            return case.review_unit
        if petition.status in {Status.REREVIEW, Status.HEARING} and case.rereview_unit is not None:
            return case.rereview_unit
        if petition.status == Status.CLOSED and case.is_final and case.rereview_unit is not None:
            return case.rereview_unit
    return petition.handling_unit


def acting_unit(row: Transition, petition: Petition, case: Case) -> Unit | None:
    match row.acting_unit:
        case "handling":
            return petition.handling_unit
        case "review":
            return case.review_unit
        case "rereview":
            return case.rereview_unit
        case "review_body":
            return unit_next_higher(petition.handling_unit)
        case "rereview_body":
            return unit_next_higher(case.review_unit) if case.review_unit else None
        case "current":
            return current_unit(petition, case)
    return None


def who_may(row: Transition, actor: Actor, petition: Petition, case: Case) -> str | None:
    """None when `actor` has the role and belongs to the unit the row names; else why not."""
    if actor.kind == "citizen":
        return None if row.citizen else _("信访人不能自行办理此操作。")
    if actor.kind == "system":
        return None if row.system else _("此操作须由工作人员办理。")
    if actor.kind != "staff" or actor.user is None:
        return _("此操作须由工作人员办理。")
    if not actor.has_role(*row.roles):
        return _("您没有执行「%(action)s」的权限。") % {"action": row.label}
    unit = acting_unit(row, petition, case)
    if unit is None or actor.user.unit_id != unit.pk:
        return _("「%(action)s」应由%(unit)s办理。") % {
            "action": row.label,
            "unit": unit.display_name if unit else _("有权处理的机关、单位"),
        }
    return None


def state_refusal(row: Transition, petition: Petition) -> Refusal | None:
    if petition.status not in row.sources:
        return Refusal(
            _("信访事项当前为「%(status)s」，不能「%(action)s」。")
            % {"status": STATUS_LABELS.get(petition.status, petition.status), "action": row.label},
            code="illegal_transition",
        )
    if petition.nature not in row.natures:
        return Refusal(
            _("「%(action)s」不适用于%(nature)s类信访事项。")
            % {"action": row.label, "nature": petition.get_nature_display()},
            code="wrong_nature",
        )
    return None


def refusal_of(row: Transition, check: Check) -> Refusal | None:
    refusal = state_refusal(row, check.petition)
    if refusal is not None:
        return refusal
    for condition in row.preconditions:
        refusal = condition(check)
        if refusal is not None:
            return refusal
    return None


# --- Executing ---------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What a typed service's `apply` sees and fills in, inside the transaction."""

    actor: Actor
    row: Transition
    petition: Petition
    case: Case
    # The cleaned input; `apply` may add what effects need (the approved extension's days).
    fields: dict[str, Any]
    now: dt.datetime
    today: dt.date
    # Petition fields to change with the status (compare-and-set together).
    updates: dict[str, Any] = field(default_factory=dict)
    event_unit: Unit | None = None
    note: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    audit: dict[str, Any] = field(default_factory=dict)
    # (kind, body, article) of notices owed
    notices: list[tuple[str, Callable[[], str], str]] = field(default_factory=list)
    # Work that needs the event row (fixed deadlines, documents).
    after: list[Callable[[PetitionEvent], None]] = field(default_factory=list)
    # Effects beyond the row's own (e.g. re-triage after an objection).
    extra_effects: list[Effect] = field(default_factory=list)
    skip_effects: set[str] = field(default_factory=set)
    # The state to enter when the row's target depends on the case (unmerge restores the state
    # the merge left); None: the row's target.
    target: str | None = None

    def notice(self, kind: str, body: Callable[[], str], article: str = "") -> None:
        self.notices.append((kind, body, article))


@dataclass(frozen=True)
class Outcome:
    petition: Petition
    case: Case
    event: PetitionEvent


def case_for_update(petition_id: int) -> Case:
    """Lock the case row (opening the case of a petition registered before the workflow existed)."""
    case = Case.objects.select_for_update().select_related("ruleset__policy").filter(petition_id=petition_id).first()
    if case is not None:
        return case
    from minsheng.workflow.services import case_open

    petition = Petition.objects.select_related("registering_unit__region").get(pk=petition_id)
    case_open(petition=petition, actor=Actor.system("workflow"))
    return Case.objects.select_for_update().select_related("ruleset__policy").get(petition_id=petition_id)


def execute(
    *,
    actor: Actor,
    petition: Petition | int,
    action: str,
    fields: Mapping[str, Any] | None = None,
    apply: Callable[[Ctx], None] | None = None,
) -> Outcome:
    row = TRANSITIONS[action]
    petition_id = petition if isinstance(petition, int) else petition.pk
    with transaction.atomic():
        case = case_for_update(petition_id)
        # Read under the lock: whatever another transition committed first is what we check.
        fresh = Petition.objects.select_related("handling_unit", "registering_unit").get(pk=petition_id)
        case.petition = fresh
        now = timezone.now()
        today = timezone.localdate(now)
        # The state first (409: not now, for anyone), then who (403), then the preconditions (409).
        refusal = state_refusal(row, fresh)
        if refusal is not None:
            raise TransitionRefused(refusal)
        reason = who_may(row, actor, fresh, case)
        if reason is not None:
            raise NotAllowed(reason)
        refusal = refusal_of(row, Check(actor=actor, petition=fresh, case=case, today=today, fields=fields or {}))
        if refusal is not None:
            raise TransitionRefused(refusal)
        ctx = Ctx(actor=actor, row=row, petition=fresh, case=case, fields=dict(fields or {}), now=now, today=today)
        if apply is not None:
            apply(ctx)
        old = fresh.status
        new = ctx.target or row.target or old
        updated = Petition.objects.filter(pk=fresh.pk, status=old).update(status=new, updated_at=now, **ctx.updates)
        if updated != 1:
            raise Conflict(_("该信访事项刚被他人办理，状态已经变化，请刷新后重试。"), code="stale")
        for name, value in ctx.updates.items():
            setattr(fresh, name, value)
        fresh.status = new
        case.version += 1  # the row is locked: no concurrent writer can have moved it
        case.save()
        event = event_record(
            petition=fresh,
            actor=actor,
            action=action,
            from_status=old if new != old else "",
            to_status=new if new != old else "",
            # The unit the step concerns (the receiving unit of a forward), else the actor's own.
            unit=ctx.event_unit or (actor.user.unit if actor.user is not None else None),
            changes=ctx.changes,
            note=ctx.note,
            public=row.public,
            audit_data=ctx.audit,
        )
        effects = [e for e in row.effects if f"{e.op}:{e.step}" not in ctx.skip_effects] + ctx.extra_effects
        for effect in effects:
            apply_effect(effect, case=case, event=event, fields=ctx.fields)
        for hook in ctx.after:
            hook(event)
        from minsheng.workflow.notices import notice_create

        for kind, body, article in ctx.notices:
            # Notices are addressed to the petitioner: always in Chinese, whatever the staff reads.
            with translation.override("zh-hans"):
                text = body()
            notice_create(petition=fresh, kind=kind, body=text, article=article, event=event)
    return Outcome(petition=fresh, case=case, event=event)


def _effect_unit(effect: Effect, case: Case) -> Unit | None:
    return {
        "handling": case.petition.handling_unit,
        "review": case.review_unit,
        "rereview": case.rereview_unit,
        "none": None,
    }[effect.unit]


def apply_effect(effect: Effect, *, case: Case, event: PetitionEvent, fields: Mapping[str, Any]) -> None:
    match effect.op:
        case "start":
            dl.deadline_start(case=case, step=effect.step, unit=_effect_unit(effect, case), event=event)
        case "meet":
            dl.deadline_close(case=case, steps=[effect.step], status=DeadlineStatus.MET, event=event)
        case "cancel":
            dl.deadline_close(case=case, steps=[effect.step], status=DeadlineStatus.CANCELLED, event=event)
        case "lapse":
            dl.deadline_close(case=case, steps=[effect.step], status=DeadlineStatus.LAPSED, event=event)
        case "extend":
            dl.deadline_extend(case=case, step=effect.step, days=int(fields["days"]))
        case "pause":
            dl.deadline_pause(case=case, step=effect.step, since=fields["decided_on"])
        case "resume":
            dl.deadline_resume(case=case, step=effect.step, until=fields["concluded_on"])
