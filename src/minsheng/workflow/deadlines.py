"""Deadlines on the record: started, met, extended, paused and recomputed from the case's rule set,
each stored with its derivation and shown with a computed state (due in N days … long overdue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.orgs.models import Region, Unit
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow.models import Case, Deadline, DeadlinePolicy, DeadlineStatus, RegionPolicy, Rule, RuleSet
from minsheng.workflow.periods import Period, PeriodEnd, WorkCalendar, period_end
from minsheng.workflow.steps import START_EVENT_FIELD, STEP_KIND, DayKind, StartEvent, Step, StepKind
from minsheng.workflow.workdays import work_calendar

# How each start event reads inside a derivation ("2026-12-14 = received 2026-11-29 + 15 days").
START_WORDS: dict[str, Any] = {
    StartEvent.RECEIVED: gettext_lazy("收到"),
    StartEvent.FORWARDED: gettext_lazy("收到转送交办"),
    StartEvent.ACCEPTED: gettext_lazy("受理日"),
    StartEvent.REPLY_DELIVERED: gettext_lazy("书面答复送达"),
    StartEvent.REVIEW_REQUESTED: gettext_lazy("收到复查请求"),
    StartEvent.REVIEW_DELIVERED: gettext_lazy("复查意见送达"),
    StartEvent.REREVIEW_REQUESTED: gettext_lazy("收到复核请求"),
    StartEvent.SET_BY_ASSIGNER: gettext_lazy("交办日"),
    StartEvent.RETURNED: gettext_lazy("异议退回"),
}


# --- Which rules apply ------------------------------------------------------------------------


def policy_for_region(region: Region | None) -> DeadlinePolicy:
    """The region's own policy, else the nearest ancestor's, else the default (R22)."""
    from minsheng.workflow.seed import ensure_seeded

    chain: list[int] = []
    while region is not None and len(chain) < 10:
        chain.append(region.pk)
        region = region.parent
    if chain:
        chosen = {
            rp.region_id: rp.policy for rp in RegionPolicy.objects.filter(region_id__in=chain).select_related("policy")
        }
        for region_id in chain:
            if region_id in chosen:
                return chosen[region_id]
    default = DeadlinePolicy.objects.filter(is_default=True).first()
    if default is None:
        ensure_seeded()
        default = (
            DeadlinePolicy.objects.filter(is_default=True).first() or DeadlinePolicy.objects.order_by("pk").first()
        )
    if default is None:
        raise RuntimeError("no deadline policy exists")
    return default


def ruleset_in_force(policy: DeadlinePolicy, on: dt.date) -> RuleSet:
    """The published version in force on `on` (the latest that took effect by then)."""
    published = RuleSet.objects.filter(policy=policy, published_at__isnull=False).select_related("policy")
    ruleset = published.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()
    ruleset = ruleset or published.order_by("effective_from", "version").first()
    if ruleset is None:
        raise RuntimeError(f"policy {policy.code} has no published version")
    return ruleset


def ruleset_for_petition(petition: Petition) -> RuleSet:
    """The rule set in force, on the day it was received, where the receiving unit sits."""
    region_id = petition.registering_unit.region_id if petition.registering_unit_id else petition.region_id
    region = Region.objects.select_related("parent__parent__parent").filter(pk=region_id).first() if region_id else None
    return ruleset_in_force(policy_for_region(region), timezone.localtime(petition.received_at).date())


def _rules(ruleset: RuleSet) -> list[Rule]:
    # Read once per rule-set instance (a published version's rules never change).
    cached: list[Rule] | None = getattr(ruleset, "_rules_cache", None)
    if cached is None:
        cached = list(ruleset.rules.all())
        ruleset._rules_cache = cached  # type: ignore[attr-defined]
    return cached


def rule_for(ruleset: RuleSet, step: str, nature: str) -> Rule | None:
    """The rule for `step`: the nature's own row if there is one, else the row for all natures."""
    rules = [r for r in _rules(ruleset) if r.step == step and r.nature in ("", nature)]
    rules.sort(key=lambda r: r.nature == "")
    return rules[0] if rules else None


# --- Computing ----------------------------------------------------------------------------------


def _period(deadline: Deadline) -> Period:
    return Period(
        start=deadline.start_date,
        length=deadline.length,
        working_days=deadline.day_kind == DayKind.WORKING,
        extension=deadline.extension,
        roll_forward=deadline.roll_forward,
        pauses=tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in _all_pauses(deadline)),
    )


def _all_pauses(deadline: Deadline) -> list[tuple[str, str]]:
    pauses = [(a, b) for a, b in deadline.pauses]
    if deadline.paused_since is not None:
        # A running pause counts up to today; the date is settled when the hearing ends.
        today = timezone.localdate()
        first = deadline.paused_since + dt.timedelta(days=1)
        if today >= first:
            pauses.append((first.isoformat(), today.isoformat()))
    return pauses


def _case_calendar(case: Case, first: int, last: int) -> WorkCalendar:
    """The calendar span, read once per case instance (one transition starts several periods)."""
    held: dict[tuple[int, int], WorkCalendar] | None = getattr(case, "_calendars", None)
    if held is None:
        held = {}
        case._calendars = held  # type: ignore[attr-defined]
    if (first, last) not in held:
        held[(first, last)] = work_calendar(first, last)
    return held[(first, last)]


def compute(deadline: Deadline, calendar: WorkCalendar | None = None) -> PeriodEnd:
    """Set `due`, `counted_end`, `provisional` and `long_overdue_on` from the stored derivation."""
    period = _period(deadline)
    last_year = deadline.start_date.year + 1
    cal = calendar or _case_calendar(deadline.case, deadline.start_date.year, last_year)
    end = period_end(period, cal)
    while calendar is None and end.due.year > last_year:  # a very long pause: load more years
        last_year = end.due.year + 1
        cal = _case_calendar(deadline.case, deadline.start_date.year, last_year)
        end = period_end(period, cal)
    deadline.due = end.due
    deadline.counted_end = end.counted_end
    deadline.provisional = end.provisional
    if deadline.kind == StepKind.DUTY:
        ruleset = deadline.case.ruleset
        # "Long overdue" = overdue by more than the rule set's threshold (30 days by default).
        deadline.long_overdue_on = end.due + dt.timedelta(days=ruleset.long_overdue_days + 1)
        deadline.soon_on = end.due - dt.timedelta(days=ruleset.due_soon_days)
    else:
        deadline.long_overdue_on = None
        deadline.soon_on = None
    return end


# --- Effects of transitions ---------------------------------------------------------------------


def deadline_start(
    *,
    case: Case,
    step: str,
    unit: Unit | None,
    event: PetitionEvent | None = None,
    rule: Rule | None = None,
    start_event: str | None = None,
) -> Deadline | None:
    """Start the period the case's rule set has for `step`, counted from its start event's date
    (or from `start_event`, when the same period runs again from another event).

    No rule (e.g. no handling period for a suggestion under R22) or no start date yet (the reply
    not delivered) means no deadline: nothing is invented.
    """
    rule = rule or rule_for(case.ruleset, step, case.petition.nature)
    if rule is None:
        return None
    start_event = start_event or rule.start_event
    start = getattr(case, START_EVENT_FIELD[start_event], None)
    if start is None:
        return None
    deadline = Deadline(
        case=case,
        petition_id=case.petition_id,
        step=step,
        kind=STEP_KIND[step],
        unit=unit,
        rule=rule,
        policy_code=case.ruleset.policy.code,
        ruleset_version=case.ruleset.version,
        article=rule.article,
        article_en=rule.article_en,
        start_event=start_event,
        start_date=start,
        length=rule.length,
        day_kind=rule.day_kind,
        roll_forward=case.ruleset.roll_forward,
        started_event=event,
    )
    compute(deadline)
    deadline.save()
    _open(case)[step] = deadline
    return deadline


def deadline_start_fixed(
    *,
    case: Case,
    step: str,
    unit: Unit,
    start: dt.date,
    due: dt.date,
    article: str,
    article_en: str,
    event: PetitionEvent | None = None,
) -> Deadline:
    """A date set by a person (the report-back date of an assignment, R22 Art. 22(3))."""
    deadline = Deadline(
        case=case,
        petition_id=case.petition_id,
        step=step,
        kind=STEP_KIND[step],
        unit=unit,
        policy_code=case.ruleset.policy.code,
        ruleset_version=case.ruleset.version,
        article=article,
        article_en=article_en,
        start_event=StartEvent.SET_BY_ASSIGNER,
        start_date=start,
        length=(due - start).days,
        day_kind=DayKind.CALENDAR,
        roll_forward=False,
        started_event=event,
    )
    compute(deadline)
    deadline.save()
    _open(case)[step] = deadline
    return deadline


def _open(case: Case) -> dict[str, Deadline]:
    """The case's running deadlines by step, read once per case instance (one transition or page)."""
    cached: dict[str, Deadline] | None = getattr(case, "_open_deadlines", None)
    if cached is None:
        cached = {d.step: d for d in case.deadlines.filter(status=DeadlineStatus.OPEN)}
        case._open_deadlines = cached  # type: ignore[attr-defined]
    return cached


def open_deadline(case: Case, step: str) -> Deadline | None:
    return _open(case).get(step)


def deadline_close(
    *, case: Case, steps: Iterable[str], status: str, event: PetitionEvent | None = None
) -> list[Deadline]:
    """Close the open deadlines of `steps` as met, lapsed or cancelled."""
    now = timezone.now()
    running = _open(case)
    closed = [running.pop(step) for step in list(steps) if step in running]
    for deadline in closed:
        deadline.status = status
        deadline.closed_at = now
        deadline.closed_event = event
        deadline.paused_since = None
        deadline.save(update_fields=["status", "closed_at", "closed_event", "paused_since"])
    return closed


def deadline_extend(*, case: Case, step: str, days: int) -> Deadline | None:
    """Lengthen the period itself; the roll-forward then applies to the extended end (R22 Art. 34)."""
    deadline = open_deadline(case, step)
    if deadline is None:
        return None
    deadline.extension += days
    compute(deadline)
    deadline.save()
    return deadline


def deadline_pause(*, case: Case, step: str, since: dt.date) -> Deadline | None:
    """Stop counting after `since` (the day a hearing is decided; R22 Art. 36 ¶2)."""
    deadline = open_deadline(case, step)
    if deadline is None or deadline.paused_since is not None:
        return deadline
    deadline.paused_since = since
    compute(deadline)
    deadline.save()
    return deadline


def deadline_resume(*, case: Case, step: str, until: dt.date) -> Deadline | None:
    """Count again from the day after `until`: the days after the pause began through `until`
    are not counted (the hearing's time)."""
    deadline = open_deadline(case, step)
    if deadline is None or deadline.paused_since is None:
        return deadline
    first = deadline.paused_since + dt.timedelta(days=1)
    if until >= first:
        deadline.pauses = [*deadline.pauses, [first.isoformat(), until.isoformat()]]
    deadline.paused_since = None
    compute(deadline)
    deadline.save()
    return deadline


@dataclass(frozen=True)
class Recomputed:
    deadline_id: int
    petition_id: int
    step: str
    before: dt.date
    after: dt.date


def deadlines_recompute(*, years: Iterable[int] | None = None, actor: Actor | None = None) -> list[Recomputed]:
    """Recompute open deadlines after the calendar changed: those whose span meets one of `years`
    and every provisional one (its year may just have been published); all when `years` is None.

    Each deadline whose date moves gets a timeline event saying from what to what, and why.
    """
    actor = actor or Actor.system("calendar")
    qs = Deadline.objects.filter(status=DeadlineStatus.OPEN).select_related("case__ruleset", "case__petition")
    if years is not None:
        changed_years = sorted(set(years))
        touched = Q(provisional=True)
        if changed_years:
            touched |= Q(start_date__year__lte=changed_years[-1], due__year__gte=changed_years[0])
        qs = qs.filter(touched)
    deadlines = list(qs.order_by("id"))
    if not deadlines:
        return []
    first = min(d.start_date.year for d in deadlines)
    last = max(d.due.year for d in deadlines) + 2
    calendar = work_calendar(first, last)
    now = timezone.now()
    changed: list[Recomputed] = []
    for deadline in deadlines:
        before, was_provisional = deadline.due, deadline.provisional
        compute(deadline, calendar)
        deadline.recomputed_at = now
        deadline.save(
            update_fields=["due", "counted_end", "provisional", "soon_on", "long_overdue_on", "recomputed_at"]
        )
        if deadline.due != before or deadline.provisional != was_provisional:
            event_record(
                petition=deadline.case.petition,
                actor=actor,
                action="deadline_recompute",
                changes={deadline.step: [before.isoformat(), deadline.due.isoformat()]},
                audit_data={"deadline": deadline.pk, "step": deadline.step, "provisional": deadline.provisional},
            )
            changed.append(Recomputed(deadline.pk, deadline.petition_id, deadline.step, before, deadline.due))
    return changed


# --- Showing --------------------------------------------------------------------------------------


def _day_words(n: int, working: bool) -> str:
    if working:
        return ngettext("%(n)d个工作日", "%(n)d个工作日", n) % {"n": n}
    return ngettext("%(n)d日", "%(n)d日", n) % {"n": n}


def article_citation(deadline: Deadline) -> str:
    article = deadline.article_en if get_language() == "en" and deadline.article_en else deadline.article
    return f"{deadline.policy_code} {article}".strip()


def derivation(deadline: Deadline) -> str:
    """How the date was reached, in the reader's language:
    "2026-12-14 = received 2026-11-29 + 15 days (R22 Art. 22)"."""
    working = deadline.day_kind == DayKind.WORKING
    parts = [
        _("%(due)s = %(event)s %(start)s + %(length)s")
        % {
            "due": deadline.due.isoformat(),
            "event": START_WORDS.get(deadline.start_event, deadline.start_event),
            "start": deadline.start_date.isoformat(),
            "length": _day_words(deadline.length, working),
        }
    ]
    if deadline.extension:
        parts.append(_(" + 延期%(days)s") % {"days": _day_words(deadline.extension, working)})
    paused = sum((dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days + 1 for a, b in _all_pauses(deadline))
    if paused:
        parts.append(_(" + 听证%(days)d日不计入") % {"days": paused})
    parts.append(_("（%(citation)s）") % {"citation": article_citation(deadline)})
    text = "".join(parts)
    if deadline.due != deadline.counted_end:
        text += _("；%(last)s非工作日，顺延至%(due)s（民法典第二百零三条）") % {
            "last": deadline.counted_end.isoformat(),
            "due": deadline.due.isoformat(),
        }
    if deadline.provisional:
        text += _("；暂定：所涉年份的节假日安排尚未发布，暂按周一至周五计算")
    if deadline.paused_since is not None:
        text += _("；自%(day)s起因听证暂停计算") % {"day": deadline.paused_since.isoformat()}
    return text


@dataclass(frozen=True)
class DeadlineState:
    """The displayed state of a deadline on a given day."""

    code: str
    days: int
    label: str

    @property
    def css(self) -> str:
        return {
            "overdue": "ms-deadline-overdue",
            "long_overdue": "ms-deadline-long",
            "due_today": "ms-deadline-soon",
            "due_soon": "ms-deadline-soon",
            "window_closes_today": "ms-deadline-soon",
        }.get(self.code, "ms-deadline-ok" if self.code in {"due_in", "window_open", "met"} else "text-muted")


def deadline_state(
    deadline: Deadline, today: dt.date | None = None, *, due_soon_days: int | None = None
) -> DeadlineState:
    today = today or timezone.localdate()
    if deadline.status == DeadlineStatus.MET:
        closed = timezone.localtime(deadline.closed_at).date() if deadline.closed_at else today
        late = (closed - deadline.due).days
        if late > 0 and deadline.kind == StepKind.DUTY:
            return DeadlineState("met_late", late, ngettext("逾期%(n)d日完成", "逾期%(n)d日完成", late) % {"n": late})
        return DeadlineState("met", 0, _("按期完成"))
    if deadline.status == DeadlineStatus.CANCELLED:
        return DeadlineState("cancelled", 0, _("已撤销"))
    if deadline.status == DeadlineStatus.LAPSED:
        return DeadlineState("lapsed", 0, _("期限已届满"))
    if deadline.paused_since is not None:
        return DeadlineState("paused", 0, _("听证期间暂停计算"))
    left = (deadline.due - today).days
    if deadline.kind == StepKind.WINDOW:
        if left > 0:
            return DeadlineState("window_open", left, ngettext("还有%(n)d日", "还有%(n)d日", left) % {"n": left})
        if left == 0:
            return DeadlineState("window_closes_today", 0, _("今日截止"))
        return DeadlineState("window_closed", -left, _("已截止"))
    if left > 0:
        soon = due_soon_days if due_soon_days is not None else deadline.case.ruleset.due_soon_days
        code = "due_soon" if left <= soon else "due_in"
        return DeadlineState(code, left, ngettext("还剩%(n)d日", "还剩%(n)d日", left) % {"n": left})
    if left == 0:
        return DeadlineState("due_today", 0, _("今日到期"))
    if deadline.long_overdue_on is not None and today >= deadline.long_overdue_on:
        return DeadlineState(
            "long_overdue", -left, ngettext("严重超期%(n)d日", "严重超期%(n)d日", -left) % {"n": -left}
        )
    return DeadlineState("overdue", -left, ngettext("超期%(n)d日", "超期%(n)d日", -left) % {"n": -left})


STEP_LABELS = dict(Step.choices)
