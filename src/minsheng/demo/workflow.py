"""Replay a year of the statutory procedure over the demo's petitions.

Each petition gets a plausible life (triaged in days, sometimes late; forwarded or assigned to the
department of its subject; accepted; handled, sometimes extended; decided; sometimes reviewed,
re-reviewed, heard), cut off at today. Every step then runs, in the order it happened, through the
real services with the clock set to the moment it happened — so timelines, deadlines, inboxes and
notices are exactly what the system itself would have produced, some of them overdue.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minsheng.accusations.services import accusation_register
from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.demo import texts
from minsheng.demo.orgs import DemoOrg
from minsheng.orgs.models import Unit, User
from minsheng.orgs.roles import Role
from minsheng.orgs.services import user_create
from minsheng.petitions.models import Nature, Petition
from minsheng.petitions.services import PetitionInput, petition_register
from minsheng.workflow import services as wf
from minsheng.workflow.notices import notices_delivered_inline
from minsheng.workflow.states import TERMINAL
from minsheng.workflow.workdays import calendar_held

S = Unit.Sector
# The department a subject belongs to, by the first two digits of its category code.
SECTOR_BY_CATEGORY = {
    "01": S.HOUSING,
    "02": S.HUMAN_RESOURCES,
    "03": S.EDUCATION,
    "04": S.MARKET_REGULATION,
    "05": S.HEALTH,
    "06": S.ENVIRONMENT,
    "07": S.TRANSPORT,
    "08": S.AGRICULTURE,
    "09": S.NATURAL_RESOURCES,
    "10": S.PUBLIC_SECURITY,
    "12": S.CIVIL_AFFAIRS,
    "13": S.HUMAN_RESOURCES,
    "14": S.COMMERCE,
    "15": S.COMMERCE,
}
LEGAL = "《信访工作条例》第三十二条；《中华人民共和国行政许可法》第七条"
HOUR = dt.timedelta(hours=1)


@contextlib.contextmanager
def output_to_demo_log(*, fresh: bool = False) -> Iterator[None]:
    """What the demo sends its people (the console backend prints it) goes to var/demo-notices.log,
    not onto the terminal where `make run` shows the URL and the logins. Always appended, so nested
    uses write in order; `fresh` empties the log first."""
    log = Path(settings.VAR_DIR) / "demo-notices.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        log.write_text("", encoding="utf-8")
    with log.open("a", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        yield


@dataclass
class Step:
    at: dt.datetime
    order: int
    index: int  # which planned petition
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Replay:
    statuses: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    refusals: Counter[str] = field(default_factory=Counter)


class Staff:
    """One person per role and unit, created on first need (the demo's own logins are reused)."""

    def __init__(self, org: DemoOrg, rng: random.Random) -> None:
        self.rng = rng
        self.people: dict[tuple[int, str], User] = {}
        for user in org.users.values():
            for role in user.role_codes():
                self.people.setdefault((user.unit_id or 0, role), user)

    def __call__(self, unit: Unit, role: str) -> Actor:
        key = (unit.pk, role)
        if key not in self.people:
            self.people[key] = user_create(
                actor=Actor.system("seed-demo"),
                username=f"{role}-{unit.pk}",
                password=None,  # these colleagues act in the demo's history; they do not sign in
                full_name=texts.person_name(self.rng),
                unit=unit,
                roles=[role],
            )
        return Actor.staff(self.people[key])


def _at(base: dt.datetime, rng: random.Random, days: float) -> dt.datetime:
    moment = base + dt.timedelta(days=days)
    local = timezone.localtime(moment)
    return local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)


def plan_life(
    rng: random.Random, index: int, nature: str, received: dt.datetime, recurring_of: int | None
) -> list[Step]:
    """A plausible sequence of steps for one petition (later cut at today)."""
    steps: list[Step] = []
    t = received

    def add(days: float, name: str, **kwargs: Any) -> None:
        nonlocal t
        # Office hours on the planned day, but never before the step it follows.
        t = max(_at(t, rng, days), t + HOUR)
        steps.append(Step(t, 0, index, name, kwargs))

    steps.append(Step(received, 0, index, "register"))
    triage = rng.choice([1, 1, 2, 3, 4, 6, 8, 10, 12]) if rng.random() > 0.1 else rng.randint(16, 30)
    roll = rng.random()
    if recurring_of is not None and rng.random() < 0.5:
        # Merged into the earlier petition when that one is still open; otherwise life goes on.
        add(triage, "merge", into=recurring_of)
        triage = 0
    if roll < 0.07:
        add(triage, "decline_at_bureau")
        return steps
    assigned = roll < 0.22
    add(triage + 0.01, "assign" if assigned else "forward")
    if rng.random() < 0.04:
        add(rng.randint(1, 4), "object")
        add(rng.randint(1, 3), "forward", elsewhere=True)
    if rng.random() < 0.05:
        add(rng.randint(2, 10), "decline_at_department")
        return steps
    add(rng.choice([1, 2, 3, 5, 7, 9]) if rng.random() > 0.08 else rng.randint(16, 28), "accept")
    if nature != "grievance":
        add(rng.randint(10, 45), "reply")
        if assigned:
            add(rng.randint(1, 4), "report_back")
        return steps
    if rng.random() < 0.5:
        add(rng.randint(3, 12), "record_progress")
    if rng.random() < 0.06:
        add(rng.randint(10, 40), "mediate")
        return steps
    extended = rng.random() < 0.15
    if extended:
        add(rng.randint(30, 45), "request_extension")
        add(rng.randint(1, 3), "approve_extension" if rng.random() < 0.85 else "reject_extension")
        add(rng.randint(10, 35), "decide")
    elif rng.random() < 0.1:
        add(rng.randint(62, 80), "decide")  # late
    else:
        add(rng.randint(15, 55), "decide")
    add(rng.randint(1, 4), "deliver_decision")  # when the reply was not handed over at once
    if assigned:
        add(rng.randint(1, 4), "report_back")
    if rng.random() > 0.14:
        add(31 + rng.randint(1, 5), "conclude")
        return steps
    add(rng.randint(3, 27), "request_review")
    add(rng.randint(10, 28) if rng.random() > 0.12 else rng.randint(32, 45), "decide_review")
    if rng.random() > 0.35:
        add(31 + rng.randint(1, 5), "conclude")
        return steps
    add(rng.randint(3, 27), "request_rereview")
    if rng.random() < 0.4:
        add(rng.randint(2, 6), "schedule_hearing")
        add(rng.randint(6, 12), "conclude_hearing")
    add(rng.randint(8, 25), "decide_rereview")
    return steps


def need(unit: Unit | None) -> Unit:
    """The unit a planned step assumes (a missing one means the plan no longer fits the case)."""
    if unit is None:
        raise DomainError("the step's unit is missing")
    return unit


class Director:
    """Runs one planned step through the services as the person who would take it."""

    def __init__(self, org: DemoOrg, rng: random.Random) -> None:
        self.org = org
        self.rng = rng
        self.staff = Staff(org, rng)
        self.petitions: dict[int, Petition] = {}
        self.discipline = {
            u.parent_id: u for u in Unit.objects.filter(kind=Unit.Kind.DISCIPLINE, parent__in=org.counties)
        }

    def target(self, petition: Petition, avoid: int | None = None) -> Unit:
        county = (
            petition.handling_unit
            if petition.handling_unit.kind == Unit.Kind.PETITION_BUREAU
            else petition.registering_unit
        )
        if petition.nature == "accusation" and county.pk in self.discipline:
            return self.discipline[county.pk]
        code = (petition.category.code if petition.category else "17")[:2]
        sector = SECTOR_BY_CATEGORY.get(code) or self.rng.choice(list(SECTOR_BY_CATEGORY.values()))
        unit = self.org.departments.get((county.region_id, sector))
        if unit is None or unit.pk == avoid:
            options = [
                u for (region, _s), u in self.org.departments.items() if region == county.region_id and u.pk != avoid
            ]
            unit = self.rng.choice(options)
        return unit

    def run(self, step: Step, petition: Petition) -> bool:
        """Take the step; True when the petition's life ends here."""
        rng, staff = self.rng, self.staff
        here = petition.handling_unit
        today = timezone.localdate()
        match step.name:
            case "forward":
                avoid = here.pk if step.kwargs.get("elsewhere") else None
                wf.case_forward(
                    actor=staff(here, Role.REGISTRAR), petition=petition, to_unit=self.target(petition, avoid)
                )
            case "assign":
                wf.case_assign(
                    actor=staff(here, Role.REGISTRAR),
                    petition=petition,
                    to_unit=self.target(petition),
                    report_back_by=today + dt.timedelta(days=rng.choice([30, 45, 60])),
                    note="请按期报送办结报告。",
                )
            case "object":
                wf.case_object(
                    actor=staff(here, Role.HANDLER),
                    petition=petition,
                    reason="经核查，该事项不属于本单位职权范围，请重新分流。",
                )
            case "decline_at_bureau" | "decline_at_department":
                channel, where = rng.choice(
                    [
                        ("litigation", "有管辖权的人民法院"),
                        ("arbitration", "劳动人事争议仲裁委员会"),
                        ("administrative", "本级人民政府行政复议机构"),
                    ]
                )
                role = Role.REGISTRAR if step.name == "decline_at_bureau" else Role.HANDLER
                wf.case_decline(
                    actor=staff(here, role),
                    petition=petition,
                    channel=channel,
                    where=where,
                    reason="该事项依法应当通过法定途径解决。",
                )
            case "merge":
                earlier = self.petitions.get(step.kwargs["into"])
                if earlier is not None:
                    earlier.refresh_from_db(fields=["status"])
                if earlier is None or earlier.status in TERMINAL:
                    return False  # nothing open to merge into: it is triaged like any other
                wf.case_merge(actor=staff(here, Role.REGISTRAR), petition=petition, into=earlier.number)
                return True
            case "accept":
                wf.case_accept(actor=staff(here, Role.HANDLER), petition=petition)
            case "record_progress":
                wf.case_record_progress(
                    actor=staff(here, Role.HANDLER),
                    petition=petition,
                    kind="investigated",
                    content="已到现场核实情况，并约谈相关单位。",
                )
            case "request_extension":
                wf.case_request_extension(
                    actor=staff(here, Role.HANDLER),
                    petition=petition,
                    days=rng.choice([15, 20, 30]),
                    reason="涉及多个部门，需要调取材料、协调处理。",
                )
            case "approve_extension":
                wf.case_approve_extension(actor=staff(here, Role.UNIT_HEAD), petition=petition)
            case "reject_extension":
                wf.case_reject_extension(
                    actor=staff(here, Role.UNIT_HEAD), petition=petition, note="事实清楚，请按期办结。"
                )
            case "mediate":
                wf.case_mediate(
                    actor=staff(here, Role.HANDLER),
                    petition=petition,
                    kind=rng.choice(["mediation", "settlement"]),
                    parties="信访人；被反映单位",
                    facts=petition.facts,
                    terms="双方同意按协商方案解决，被反映单位于一个月内落实。",
                )
            case "reply":
                wf.case_reply(
                    actor=staff(here, Role.HANDLER),
                    petition=petition,
                    outcome="feedback"
                    if petition.nature == "accusation"
                    else rng.choice(["adopted", "partly_adopted", "not_adopted"]),
                    opinion="经研究，已将您的意见转有关部门参考，并在相关工作中予以考虑。",
                )
            case "decide":
                wf.case_decide(
                    actor=staff(here, Role.HANDLER),
                    petition=petition,
                    outcome=rng.choice(["support", "support", "explain", "not_support"]),
                    request=petition.request,
                    facts="经调查核实，" + petition.facts,
                    opinion="依法作出处理，责成有关单位在30日内整改落实。",
                    legal_basis=LEGAL,
                    delivered_on=None if rng.random() < 0.25 else today,
                )
            case "deliver_decision":
                if petition.case.reply_delivered_on is None:
                    wf.case_deliver_decision(actor=staff(here, Role.HANDLER), petition=petition, delivered_on=today)
            case "report_back":
                if petition.case.assigning_unit_id is None:
                    return False  # it was objected to and re-forwarded, no longer an assignment
                wf.case_report_back(
                    actor=staff(here, Role.HANDLER), petition=petition, summary="事项已办结，处理情况见处理意见书。"
                )
            case "conclude":
                wf.cases_conclude_lapsed()
            case "request_review":
                body = here.parent
                assert body is not None
                wf.case_request_review(
                    actor=staff(body, Role.REVIEWER), petition=petition, grounds="对处理意见不服，请求复查。"
                )
            case "decide_review":
                body = need(petition.case.review_unit)
                wf.case_decide_review(
                    actor=staff(body, Role.REVIEWER),
                    petition=petition,
                    outcome=rng.choice(["uphold", "uphold", "change"]),
                    facts="经复查，原处理意见认定事实清楚。",
                    opinion="维持原处理意见。",
                    legal_basis="《信访工作条例》第三十五条",
                    delivered_on=today,
                )
            case "request_rereview":
                body = need(need(petition.case.review_unit).parent)
                wf.case_request_rereview(
                    actor=staff(body, Role.REVIEWER), petition=petition, grounds="对复查意见不服，请求复核。"
                )
            case "schedule_hearing":
                body = need(petition.case.rereview_unit)
                wf.case_schedule_hearing(
                    actor=staff(body, Role.REVIEWER),
                    petition=petition,
                    scheduled_at=timezone.localtime().replace(hour=9, minute=30) + dt.timedelta(days=3),
                    place=f"{body.name}听证室",
                    host=texts.person_name(rng),
                    participants="信访人\n原办理单位代表\n听证员三名",
                )
            case "conclude_hearing":
                body = need(petition.case.rereview_unit)
                wf.case_conclude_hearing(
                    actor=staff(body, Role.REVIEWER),
                    petition=petition,
                    record="各方陈述意见并质证。",
                    conclusion="听证员多数意见认为原处理意见适当。",
                )
            case "decide_rereview":
                body = need(petition.case.rereview_unit)
                wf.case_decide_rereview(
                    actor=staff(body, Role.REVIEWER),
                    petition=petition,
                    outcome="uphold",
                    facts="经复核，复查意见认定事实清楚、适用依据正确。",
                    opinion="维持复查意见。",
                    legal_basis="《信访工作条例》第三十六条",
                    delivered_on=today,
                )
            case _:
                raise ValueError(step.name)
        return False


def replay(
    *,
    director: Director,
    planned: list[tuple[Actor | None, Unit, PetitionInput]],
    recurring: list[int | None],
    rng: random.Random,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Petition], Replay]:
    """Register the planned petitions and play their lives up to now, in the order things happened."""
    import time_machine  # the demo's clock; a development dependency, like the demo itself

    now = timezone.now()
    steps: list[Step] = []
    for index, (_actor, _unit, data) in enumerate(planned):
        assert data.received_at is not None
        steps += plan_life(rng, index, data.nature, data.received_at, recurring[index])
    steps = [s for s in steps if s.at <= now - dt.timedelta(minutes=10)]
    for order, step in enumerate(steps):
        step.order = order
    steps.sort(key=lambda s: (s.at, s.order))
    result = Replay()
    dead: set[int] = set()
    registered = 0
    with (
        output_to_demo_log(),
        notices_delivered_inline(),
        calendar_held(),
    ):
        for step in steps:
            if step.index in dead:
                continue
            with time_machine.travel(step.at, tick=False):
                if step.name == "register":
                    registrar, unit, data = planned[step.index]
                    # Online petitions come from the portal; the others are registered at the desk.
                    actor = registrar or director.staff(unit, Role.REGISTRAR)
                    if data.nature == Nature.ACCUSATION:
                        # Who accuses is sealed at registration (R22 Art. 30 ¶3), as at any desk.
                        desk = director.staff(unit, Role.REGISTRAR)
                        sealed = accusation_register(actor=desk, unit=unit, data=data, issue_receipt=False)
                        director.petitions[step.index] = sealed.accusation.petition
                    else:
                        director.petitions[step.index] = petition_register(actor=actor, unit=unit, data=data).petition
                    registered += 1
                    if progress:
                        progress(registered)
                    continue
                petition = Petition.objects.select_related("handling_unit", "registering_unit", "category", "case").get(
                    pk=director.petitions[step.index].pk
                )
                try:
                    with transaction.atomic():
                        if director.run(step, petition):
                            dead.add(step.index)
                except (DomainError, ValidationError, AssertionError) as exc:
                    # A step the law does not allow at that moment (the life was planned blind):
                    # the petition stays where it is, as it would have in an office.
                    dead.add(step.index)
                    result.skipped += 1
                    result.refusals[f"{step.name}: {getattr(exc, 'code', type(exc).__name__)}"] += 1
    petitions = list(director.petitions.values())
    result.statuses = Counter(
        Petition.objects.filter(pk__in=[p.pk for p in petitions]).values_list("status", flat=True)
    )
    return petitions, result
