"""Shared parts of the workflow services: the registry, helpers, and opening a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accusations.rules import check_route
from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.orgs.models import Unit
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Petition, PetitionEvent, PetitionUnit
from minsheng.workflow import deadlines as dl
from minsheng.workflow.engine import Ctx, Outcome
from minsheng.workflow.models import (
    Case,
    Decision,
)
from minsheng.workflow.transitions import TRANSITIONS

Service = Callable[..., Outcome]
SERVICES: dict[str, Service] = {}


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


def clean_text(
    value: str | None, field: str, errors: dict[str, list[str]], *, required: bool = True, limit: int = 20000
) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(_("此项为必填项。"))
    elif len(value) > limit:
        errors.setdefault(field, []).append(_("不能超过%(n)d个字。") % {"n": limit})
    return value


def check_not_future(value: dt.date | None, field: str, errors: dict[str, list[str]], today: dt.date) -> None:
    if value is not None and value > today:
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def involve(petition: Petition, unit: Unit, role: str) -> None:
    # The unique constraint (petition, unit, role) makes a repeat a no-op.
    PetitionUnit.objects.bulk_create([PetitionUnit(petition=petition, unit=unit, role=role)], ignore_conflicts=True)


def hand_over(petition: Petition, to_unit: Unit, co_units: Sequence[Unit] = ()) -> None:
    """Make `to_unit` the handling unit in the data scope (co-handlers beside it).

    Every route of a matter passes here, so here the accused are kept out whatever the path
    (R22 Art. 30 ¶3): Conflict (409) when `to_unit` or a co-handler is an accused unit or lies
    inside one. The services check it earlier too, to put the message beside the field.
    """
    for unit in (to_unit, *co_units):
        check_route(petition, unit)
    PetitionUnit.objects.filter(
        petition=petition, role__in=[PetitionUnit.Role.HANDLING, PetitionUnit.Role.CO_HANDLING]
    ).delete()
    involve(petition, to_unit, PetitionUnit.Role.HANDLING)
    for unit in co_units:
        involve(petition, unit, PetitionUnit.Role.CO_HANDLING)


def petition_bureaus_above(unit: Unit) -> list[Unit]:
    """The petition bureau of this level (the unit itself or its nearest bureau) and the one above."""
    found: list[Unit] = []
    current: Unit | None = unit
    while current is not None and len(found) < 2:
        if current.kind == Unit.Kind.PETITION_BUREAU:
            found.append(current)
        current = current.parent
    return found


def iso_day(value: dt.date) -> str:
    return value.isoformat()


def deadline_phrase(case: Case, step: str) -> str:
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


def visible_petition(actor: Actor, number: str, field: str) -> Petition:
    number = (number or "").strip()
    qs = petitions_visible_to(actor.user) if actor.user is not None else Petition.objects.none()
    petition = qs.filter(number=number).select_related("handling_unit").first()
    if petition is None:
        raise ValidationError({field: [_("没有找到编号为「%(number)s」的信访事项。") % {"number": number}]})
    return petition


def issue_document(
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
    request = clean_text(request, "request", errors)
    facts = clean_text(facts, "facts", errors)
    opinion = clean_text(opinion, "opinion", errors)
    legal_basis = clean_text(legal_basis, "legal_basis", errors, required=require_basis)
    check_not_future(delivered_on, "delivered_on", errors, ctx.today)
    raise_errors(errors)
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


def review_hint(unit: Unit | None, days: int, article: str, what: str) -> str:
    if unit is None or not days:
        return ""
    return _("如不服，可以自收到本意见之日起%(days)d日内向%(unit)s请求%(what)s（%(article)s）。") % {
        "days": days,
        "unit": unit.name,
        "what": what,
        "article": article,
    }


def window_length(case: Case, step: str) -> tuple[int, str]:
    rule = dl.rule_for(case.ruleset, step, case.petition.nature)
    if rule is None:
        return 0, ""
    return rule.length, f"{case.ruleset.policy.code} {rule.article}"


def record_delivery(ctx: Ctx, delivered_on: dt.date, kinds: Sequence[str], case_field: str) -> None:
    errors: dict[str, list[str]] = {}
    if delivered_on is None:
        errors["delivered_on"] = [_("请填写送达日期。")]
    check_not_future(delivered_on, "delivered_on", errors, ctx.today)
    decision = ctx.case.decisions.filter(kind__in=kinds).order_by("-issued_at").first()
    if (
        decision is not None
        and delivered_on is not None
        and delivered_on < timezone.localtime(decision.issued_at).date()
    ):
        errors.setdefault("delivered_on", []).append(_("送达日期不能早于出具日期。"))
    raise_errors(errors)
    setattr(ctx.case, case_field, delivered_on)
    if decision is not None:
        decision.delivered_on = delivered_on
        decision.save(update_fields=["delivered_on"])
    ctx.changes = {case_field: [None, delivered_on.isoformat()]}
