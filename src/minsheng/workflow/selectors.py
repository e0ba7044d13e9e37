"""Reads for the workflow: the actions a person may take now, inboxes per role, a case's file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minsheng.core.actors import Actor
from minsheng.orgs.models import User
from minsheng.orgs.roles import Role
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow.conditions import Check, Refusal
from minsheng.workflow.deadlines import DeadlineState, deadline_state, derivation
from minsheng.workflow.engine import state_refusal, who_may
from minsheng.workflow.models import Case, Deadline, DeadlineStatus, Extension, ExtensionStatus
from minsheng.workflow.states import TERMINAL, Status
from minsheng.workflow.steps import Step, StepKind
from minsheng.workflow.transitions import TABLE, Transition


@dataclass(frozen=True)
class AvailableAction:
    row: Transition
    refusal: Refusal | None

    @property
    def enabled(self) -> bool:
        return self.refusal is None


def case_of(petition: Petition) -> Case | None:
    return (
        Case.objects.select_related("ruleset__policy", "review_unit", "rereview_unit", "earlier")
        .filter(petition=petition)
        .first()
    )


def actions_for(*, actor: Actor, petition: Petition, case: Case | None = None) -> list[AvailableAction]:
    """The table's rows this actor could take on this petition now: rows of another state or
    another unit are left out; rows whose precondition fails are kept with the reason."""
    case = case or case_of(petition)
    if case is None:
        return []
    case.petition = petition
    today = timezone.localdate()
    found = []
    for row in TABLE:
        if row.via_registration or state_refusal(row, petition) is not None:
            continue
        if who_may(row, actor, petition, case) is not None:
            continue
        refusal = None
        check = Check(actor=actor, petition=petition, case=case, today=today)
        for condition in row.preconditions:
            refusal = condition(check)
            if refusal is not None:
                break
        if refusal is not None and refusal.quiet:
            continue
        found.append(AvailableAction(row=row, refusal=refusal))
    # Steps forward first, then records and reports, the grave ones (withdraw, urgent) last.
    found.sort(key=lambda a: (a.row.danger, a.row.target is None))
    return found


# --- Deadlines of a case ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    state: DeadlineState
    basis: str

    @property
    def label(self) -> str:
        return str(self.deadline.get_step_display())


def deadline_views(deadlines: list[Deadline], today: dt.date | None = None) -> list[DeadlineView]:
    today = today or timezone.localdate()
    return [DeadlineView(d, deadline_state(d, today), derivation(d)) for d in deadlines]


def case_deadlines(petition: Petition) -> list[Deadline]:
    return list(
        Deadline.objects.filter(petition=petition).select_related("case__ruleset", "unit").order_by("created_at", "id")
    )


def next_deadline(deadlines: list[Deadline], *, kinds: tuple[str, ...] = (StepKind.DUTY,)) -> Deadline | None:
    running = [d for d in deadlines if d.status == DeadlineStatus.OPEN and d.kind in kinds]
    return min(running, key=lambda d: d.due) if running else None


# --- Inboxes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    code: str
    label: Promise
    help: Promise
    roles: frozenset[str]
    icon: str
    # The deadline each row shows.
    steps: tuple[str, ...] = ()


BOXES: tuple[Box, ...] = (
    Box(
        "triage",
        _("待分流"),
        _("已登记、尚未转送交办或受理的信访事项（第二十二条：15日内）。"),
        frozenset({Role.REGISTRAR}),
        "bi-signpost-split",
        (Step.TRIAGE,),
    ),
    Box(
        "accept",
        _("待受理"),
        _("转送、交办到本单位，尚未决定是否受理（第二十三条）。"),
        frozenset({Role.REGISTRAR, Role.HANDLER, Role.UNIT_HEAD}),
        "bi-box-arrow-in-down",
        (Step.ACCEPT, Step.OBJECTION),
    ),
    Box(
        "handle",
        _("办理中"),
        _("本单位已受理、尚未办结的信访事项（第三十四条：60日）。"),
        frozenset({Role.HANDLER, Role.UNIT_HEAD}),
        "bi-briefcase",
        (Step.HANDLE,),
    ),
    Box(
        "extensions",
        _("待批延期"),
        _("承办人提出、等待单位负责人批准的延期申请（第三十四条）。"),
        frozenset({Role.UNIT_HEAD}),
        "bi-hourglass-split",
        (Step.HANDLE,),
    ),
    Box(
        "reviews",
        _("待复查复核"),
        _("本机关收到的复查、复核请求（第三十五条、第三十六条：30日）。"),
        frozenset({Role.REVIEWER}),
        "bi-arrow-repeat",
        (Step.REVIEW, Step.REREVIEW),
    ),
    Box(
        "hearings",
        _("待听证"),
        _("已决定举行听证的复核事项（第三十六条第二款）。"),
        frozenset({Role.REVIEWER}),
        "bi-people",
        (Step.REREVIEW,),
    ),
    Box(
        "following",
        _("交办跟踪"),
        _("本单位交办、尚未报送办结报告的信访事项（第二十二条第三项）。"),
        frozenset({Role.REGISTRAR, Role.SUPERVISOR}),
        "bi-binoculars",
        (Step.REPORT_BACK,),
    ),
    Box(
        "collective",
        _("集体信访预警"),
        _("多名信访人在短期内反映同一事项、尚未办结的信访事项（第二十条；识别规则由管理员设定）。"),
        frozenset({Role.SUPERVISOR, Role.LEADER}),
        "bi-people-fill",
        (),
    ),
    Box("due_soon", _("即将到期"), _("本单位的办理时限即将届满。"), frozenset(Role.values), "bi-alarm", ()),
    Box(
        "overdue",
        _("已超期"),
        _("本单位（督查专员：辖区内）已超过办理时限的事项。"),
        frozenset(Role.values),
        "bi-exclamation-octagon",
        (),
    ),
)
BOX_BY_CODE = {box.code: box for box in BOXES}


def boxes_for(user: User) -> list[Box]:
    return [box for box in BOXES if user.has_any_role(*box.roles)]


def _open_duty(today: dt.date) -> Q:
    return Q(status=DeadlineStatus.OPEN, kind=StepKind.DUTY, paused_since__isnull=True)


def inbox(user: User, code: str, *, today: dt.date | None = None) -> QuerySet[Petition]:
    """The petitions in one inbox, most urgent first, with their open deadlines prefetched."""
    today = today or timezone.localdate()
    unit = user.unit
    visible = petitions_visible_to(user)
    if unit is None:
        return visible.none()
    deadlines = Deadline.objects.filter(petition=OuterRef("pk"))
    mine = Q(unit=unit)
    if code == "overdue" and user.has_any_role(Role.SUPERVISOR):
        mine = Q(unit__path__startswith=unit.path)
    match code:
        case "triage":
            qs = visible.filter(status=Status.REGISTERED, handling_unit=unit)
        case "accept":
            qs = visible.filter(status__in=[Status.FORWARDED, Status.ASSIGNED], handling_unit=unit)
        case "handle":
            qs = visible.filter(status=Status.ACCEPTED, handling_unit=unit)
        case "extensions":
            pending = Extension.objects.filter(case__petition=OuterRef("pk"), status=ExtensionStatus.PENDING)
            qs = visible.filter(Exists(pending), handling_unit=unit)
        case "reviews":
            qs = visible.filter(
                Q(status=Status.REVIEW, case__review_unit=unit) | Q(status=Status.REREVIEW, case__rereview_unit=unit)
            )
        case "hearings":
            qs = visible.filter(status=Status.HEARING, case__rereview_unit=unit)
        case "following":
            qs = visible.filter(case__assigning_unit=unit, case__reported_back_at__isnull=True).exclude(
                status__in=[Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED, Status.REGISTERED]
            )
        case "collective":
            # the supervisors of the responsible unit and above: the data scope is exactly that
            from minsheng.intel.models import CollectiveMember

            grouped = CollectiveMember.objects.filter(petition=OuterRef("pk"))
            qs = visible.filter(Exists(grouped)).exclude(status__in=TERMINAL)
        case "due_soon":
            qs = visible.filter(Exists(deadlines.filter(_open_duty(today), mine, soon_on__lte=today, due__gte=today)))
        case "overdue":
            qs = visible.filter(Exists(deadlines.filter(_open_duty(today), mine, due__lt=today)))
        case _:
            return visible.none()
    # Most urgent first, by the deadline the box is about (any running duty for due soon/overdue).
    box = BOX_BY_CODE[code]
    relevant = Deadline.objects.filter(petition=OuterRef("pk"), status=DeadlineStatus.OPEN)
    relevant = relevant.filter(step__in=box.steps) if box.steps else relevant.filter(kind=StepKind.DUTY)
    next_due = Subquery(relevant.order_by("due").values("due")[:1])
    return (
        qs.annotate(next_due=next_due)
        .select_related("handling_unit", "category")
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(status=DeadlineStatus.OPEN).select_related("case__ruleset", "unit"),
                to_attr="open_deadlines",
            )
        )
        .order_by("next_due", "received_at", "id")
    )


def inbox_counts(user: User) -> list[tuple[Box, int]]:
    return [(box, inbox(user, box.code).count()) for box in boxes_for(user)]


@dataclass(frozen=True)
class InboxRow:
    petition: Petition
    deadline: Deadline | None
    state: DeadlineState | None
    basis: str


def inbox_rows(petitions: Any, box: Box, *, today: dt.date | None = None) -> list[InboxRow]:
    """Each petition with the deadline its inbox is about (or its most urgent one)."""
    today = today or timezone.localdate()
    rows = []
    for petition in petitions:
        running = [
            d for d in getattr(petition, "open_deadlines", []) if d.paused_since is None or box.code == "hearings"
        ]
        chosen = (
            [d for d in running if d.step in box.steps]
            if box.steps
            else [d for d in running if d.kind == StepKind.DUTY]
        )
        deadline = min(chosen, key=lambda d: d.due) if chosen else None
        rows.append(
            InboxRow(
                petition=petition,
                deadline=deadline,
                state=deadline_state(deadline, today) if deadline else None,
                basis=derivation(deadline) if deadline else "",
            )
        )
    return rows


def timeline_deadlines(events: list[PetitionEvent]) -> dict[int, list[Deadline]]:
    """Deadlines started by each event, for the timeline (one query)."""
    ids = [e.pk for e in events]
    found: dict[int, list[Deadline]] = {}
    for deadline in Deadline.objects.filter(started_event_id__in=ids).select_related("case__ruleset").order_by("id"):
        found.setdefault(deadline.started_event_id or 0, []).append(deadline)
    return found


def case_ensure(petition: Petition) -> Case:
    """The petition's case, opened now for a petition registered before the workflow existed."""
    case = case_of(petition)
    if case is not None:
        return case
    from django.db import transaction

    from minsheng.workflow.services import case_open

    with transaction.atomic():
        case_open(petition=petition, actor=Actor.system("workflow"))
    found = case_of(petition)
    assert found is not None
    return found
