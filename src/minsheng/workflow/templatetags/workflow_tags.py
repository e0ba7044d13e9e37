"""The workflow's parts of the case page (header badges, the side panel, deadlines on the timeline)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from minsheng.core.actors import Actor
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow.deadlines import deadline_state, derivation
from minsheng.workflow.models import Deadline, DeclineChannel, ExtensionStatus, NoticeStatus, Outcome
from minsheng.workflow.selectors import (
    actions_for,
    case_deadlines,
    case_ensure,
    deadline_views,
    inbox_counts,
    next_deadline,
    timeline_deadlines,
)
from minsheng.workflow.steps import Step, StepKind

register = template.Library()


def _case_context(context: template.Context, petition: Petition) -> dict[str, Any]:
    """Computed once per page and shared by the header and the panel."""
    cache = context.get("_workflow_case")
    if cache is not None and cache["petition"].pk == petition.pk:
        return cache
    case = case_ensure(petition)
    case.petition = petition
    deadlines = case_deadlines(petition)
    upcoming = next_deadline(deadlines)
    window = next_deadline(deadlines, kinds=(StepKind.WINDOW,))
    data = {
        "petition": petition,
        "case": case,
        "deadlines": deadline_views(deadlines),
        "next": deadline_views([upcoming])[0] if upcoming else None,
        "window": deadline_views([window])[0] if window else None,
    }
    context["_workflow_case"] = data
    return data


@register.inclusion_tag("workflow/_case_header.html", takes_context=True)
def case_header(context: template.Context, petition: Petition) -> dict[str, Any]:
    return {**_case_context(context, petition), "request": context.get("request")}


@register.inclusion_tag("workflow/_case_panel.html", takes_context=True)
def case_panel(context: template.Context, petition: Petition) -> dict[str, Any]:
    data = _case_context(context, petition)
    case = data["case"]
    request = context["request"]
    actions = actions_for(actor=Actor.staff(request.user), petition=petition, case=case)
    return {
        **data,
        "request": request,
        "actions": actions,
        "decisions": list(case.decisions.select_related("unit").order_by("issued_at", "id")),
        "notices": list(petition.notices.order_by("created_at", "id")),
        "pending_extension": case.extensions.filter(status=ExtensionStatus.PENDING)
        .select_related("requested_by")
        .first(),
        "extensions": list(case.extensions.exclude(status=ExtensionStatus.PENDING).order_by("requested_at")),
        "hearings": list(case.hearings.order_by("decided_on", "id")),
        "NOT_OWED": NoticeStatus.NOT_OWED,
    }


@register.inclusion_tag("workflow/_inbox_summary.html", takes_context=True)
def inbox_summary(context: template.Context) -> dict[str, Any]:
    """The home page's row of inbox counters for the signed-in person's roles."""
    return {"counts": inbox_counts(context["request"].user)}


@register.simple_tag
def started_deadlines(events: list[PetitionEvent]) -> dict[int, list[Deadline]]:
    return timeline_deadlines(list(events))


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, []) if mapping else []


@register.filter
def basis(deadline: Deadline) -> str:
    return derivation(deadline)


@register.filter
def state(deadline: Deadline) -> Any:
    return deadline_state(deadline)


@register.filter
def step_label(step: str) -> str:
    return str(dict(Step.choices).get(step, step))


# How the workflow's timeline changes read ({"field": [before, after]} on PetitionEvent).
CHANGE_LABELS: dict[str, Any] = {
    "report_back_by": _("报送办结报告期限"),
    "decline_channel": _("不予受理的途径"),
    "earlier": _("同一事项的原信访事项"),
    "merged_into": _("并入"),
    "extension_days": _("延长天数"),
    "outcome": _("处理结果"),
    "reply_delivered_on": _("书面答复送达日期"),
    "review_delivered_on": _("复查意见送达日期"),
    "review_requested_on": _("收到复查请求日期"),
    "rereview_requested_on": _("收到复核请求日期"),
    "hearing_at": _("听证时间"),
}
CHANGE_VALUES: dict[str, Any] = {"outcome": dict(Outcome.choices), "decline_channel": dict(DeclineChannel.choices)}


@register.filter
def workflow_change(field: str) -> Any:
    """The label of a workflow change, or None for the petition's own fields."""
    return CHANGE_LABELS.get(field)


@register.simple_tag
def change_value(field: str, value: Any) -> Any:
    if value in (None, ""):
        return "—"
    return CHANGE_VALUES.get(field, {}).get(value, value)
