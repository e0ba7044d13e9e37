"""What the petitioner sees, for every state: a plain-language status, the unit responsible now,
the next date the office owes them, their own open window, the public events, the notices and the
documents they may download.

The citizen portal calls `petitioner_view(petition)` after it has identified the petitioner (query
code). Nothing here names a staff member or carries an internal note: events are shown by their
label and unit only, and the text the petitioner reads is the notices addressed to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.orgs.selectors import unit_next_higher
from minsheng.petitions.events import ACTION_LABELS
from minsheng.petitions.models import Petition
from minsheng.workflow.deadlines import deadline_state, derivation
from minsheng.workflow.engine import current_unit
from minsheng.workflow.models import Case, Closure, Deadline, DeadlineStatus, DeclineChannel, NoticeStatus
from minsheng.workflow.states import Status
from minsheng.workflow.steps import Step, StepKind


@dataclass(frozen=True)
class PublicDeadline:
    step: str
    label: str
    due: dt.date
    state: str
    state_label: str
    basis: str
    provisional: bool


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    action: str
    label: str
    unit: str


@dataclass(frozen=True)
class PublicNotice:
    kind: str
    label: str
    at: dt.datetime
    body: str
    delivered: bool


@dataclass(frozen=True)
class PublicDocument:
    decision_id: int
    kind: str
    label: str
    outcome: str
    issued_on: dt.date
    unit: str


@dataclass(frozen=True)
class PetitionerView:
    number: str
    title: str
    status: str
    status_label: str
    summary: str
    responsible_unit: str
    # What the office owes next, and the petitioner's own open window (review request, …).
    next_deadline: PublicDeadline | None
    your_deadline: PublicDeadline | None
    events: list[PublicEvent] = field(default_factory=list)
    notices: list[PublicNotice] = field(default_factory=list)
    documents: list[PublicDocument] = field(default_factory=list)
    closed: bool = False


def next_duty(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The office's next date toward the petitioner: the earliest open duty (the report-back date
    of an assignment is owed to the assigning bureau, not to the petitioner)."""
    duties = [
        d
        for d in deadlines
        if d.status == DeadlineStatus.OPEN and d.kind == StepKind.DUTY and d.step != Step.REPORT_BACK
    ]
    return min(duties, key=lambda d: (d.due, d.pk)) if duties else None


def open_deadlines() -> Prefetch[Any]:
    """Prefetch a list of petitions' open deadlines (to `open_deadlines`) for next_duty, in one query."""
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(status=DeadlineStatus.OPEN).select_related("unit").order_by("due", "id"),
        to_attr="open_deadlines",
    )


def due_at(deadline: Deadline) -> dt.datetime:
    """The moment a period in days ends: 24:00 of its last day, i.e. the last second of that day."""
    end = dt.datetime.combine(deadline.due, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def _public_deadline(deadline: object, today: dt.date) -> PublicDeadline:
    from minsheng.workflow.models import Deadline

    assert isinstance(deadline, Deadline)
    state = deadline_state(deadline, today)
    return PublicDeadline(
        step=deadline.step,
        label=str(deadline.get_step_display()),
        due=deadline.due,
        state=state.code,
        state_label=state.label,
        basis=derivation(deadline),
        provisional=deadline.provisional,
    )


def _summary(petition: Petition, case: Case | None, window: PublicDeadline | None) -> str:
    unit = current_unit(petition, case).display_name
    status = petition.status
    if status == Status.REGISTERED:
        return _("%(unit)s已登记您的信访事项，正在依法分流：转送、交办有权处理的单位或直接受理。") % {"unit": unit}
    if status in {Status.FORWARDED, Status.ASSIGNED}:
        return _("您的信访事项已转送（交办）%(unit)s，该单位将决定是否受理并书面告知您。") % {"unit": unit}
    if status == Status.ACCEPTED:
        return _("%(unit)s已受理您的信访事项，正在调查核实、依法办理。") % {"unit": unit}
    if case is None:
        return ""
    if status == Status.DECIDED:
        higher = unit_next_higher(petition.handling_unit)
        if window is not None and higher is not None:
            return _("%(unit)s已出具信访处理意见书。如不服，可以在%(until)s前向%(higher)s请求复查。") % {
                "unit": unit,
                "until": window.due.isoformat(),
                "higher": higher.display_name,
            }
        return _("%(unit)s已出具信访处理意见书，正在送达。") % {"unit": unit}
    if status == Status.REVIEW:
        return _("%(unit)s正在复查原处理意见。") % {"unit": unit}
    if status == Status.REVIEWED:
        higher = unit_next_higher(case.review_unit) if case.review_unit else None
        if window is not None and higher is not None:
            return _("%(unit)s已出具复查意见。如不服，可以在%(until)s前向%(higher)s请求复核。") % {
                "unit": unit,
                "until": window.due.isoformat(),
                "higher": higher.display_name,
            }
        return _("%(unit)s已出具复查意见，正在送达。") % {"unit": unit}
    if status == Status.REREVIEW:
        return _("%(unit)s正在复核。") % {"unit": unit}
    if status == Status.HEARING:
        hearing = case.hearings.order_by("-id").first()
        if hearing is not None:
            return _("%(unit)s将于%(at)s在%(place)s举行听证，听证时间不计入复核期限。") % {
                "unit": unit,
                "at": timezone.localtime(hearing.scheduled_at).strftime("%Y-%m-%d %H:%M"),
                "place": hearing.place,
            }
        return _("%(unit)s决定举行听证。") % {"unit": unit}
    if status == Status.CLOSED:
        return {
            Closure.REREVIEW: _("已复核终结。对复核意见不服、仍以同一事实和理由提出的，不再受理（第三十六条第三款）。"),
            Closure.NO_REVIEW: _("已办结：在规定期限内没有请求复查或复核。"),
            Closure.SETTLED: _("经调解或和解达成协议，已办结。"),
            Closure.REPLIED: _("已答复，办结。"),
        }.get(Closure(case.closure) if case.closure else Closure.NO_REVIEW, _("已办结。"))
    if status == Status.NOT_ACCEPTED:
        channel = DeclineChannel(case.decline_channel).label if case.decline_channel else ""
        text = _("不予受理。") + (_("应当通过%(channel)s解决。") % {"channel": channel} if channel else "")
        if case.decline_where:
            text += _("请向%(where)s提出。") % {"where": case.decline_where}
        return text
    if status == Status.WITHDRAWN:
        return _("您已撤回本信访事项。")
    if status == Status.MERGED and case.merged_into is not None:
        return _("与编号%(number)s的信访事项属于同一事项，已并入一并办理。") % {"number": case.merged_into.number}
    return ""


def petitioner_view(petition: Petition, *, today: dt.date | None = None) -> PetitionerView:
    today = today or timezone.localdate()
    case = Case.objects.select_related("review_unit", "rereview_unit", "merged_into").filter(petition=petition).first()
    deadlines = list(petition.deadlines.select_related("case__ruleset").filter(status=DeadlineStatus.OPEN))
    duty = next_duty(deadlines)
    # The petitioner's own windows (review and re-review requests), not the unit's objection.
    windows = [d for d in deadlines if d.step in {Step.REVIEW_REQUEST, Step.REREVIEW_REQUEST}]
    next_deadline = _public_deadline(duty, today) if duty is not None else None
    window = _public_deadline(min(windows, key=lambda d: d.due), today) if windows else None
    if window is not None and window.state == "window_closed":
        window = None
    events = [
        PublicEvent(
            at=e.at,
            action=e.action,
            label=str(ACTION_LABELS.get(e.action, e.action)),
            unit=e.unit.display_name if e.unit else "",
        )
        for e in petition.events.filter(public=True).select_related("unit").order_by("at", "id")
    ]
    notices = [
        PublicNotice(
            kind=n.kind,
            label=str(n.get_kind_display()),
            at=n.created_at,
            body=n.body,
            delivered=n.status == NoticeStatus.SENT,
        )
        for n in petition.notices.exclude(status=NoticeStatus.NOT_OWED).order_by("created_at", "id")
    ]
    documents = []
    if case is not None:
        documents = [
            PublicDocument(
                decision_id=d.pk,
                kind=d.kind,
                label=str(d.get_kind_display()),
                outcome=str(d.get_outcome_display()),
                issued_on=timezone.localtime(d.issued_at).date(),
                unit=d.unit.display_name,
            )
            for d in case.decisions.select_related("unit").order_by("issued_at", "id")
        ]
    return PetitionerView(
        number=petition.number,
        title=petition.title,
        status=petition.status,
        status_label=str(petition.get_status_display()),
        summary=_summary(petition, case, window),
        responsible_unit=current_unit(petition, case).display_name,
        next_deadline=next_deadline,
        your_deadline=window,
        events=events,
        notices=notices,
        documents=documents,
        closed=petition.status in {Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED},
    )
