"""Routing suggestions on the staff pages: the case page's panel and the registration page's note."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.intel.routing.models import RoutingFeedback
from minsheng.intel.routing.selectors import current_model, no_model_note, suggest_for_petition
from minsheng.orgs.models import Unit
from minsheng.orgs.roles import Role
from minsheng.petitions.models import Category, Petition
from minsheng.workflow.states import Status

register = template.Library()


@register.inclusion_tag("routing/_panel.html", takes_context=True)
def routing_panel(context: template.Context, petition: Petition) -> dict[str, Any]:
    """Shown while the matter waits for triage (R22 Art. 22: forward or assign within 15 days)."""
    request = context["request"]
    if petition.status != Status.REGISTERED:
        return {"show": False}
    suggestion = suggest_for_petition(petition)
    last = RoutingFeedback.objects.filter(petition=petition).select_related("chosen_category", "chosen_unit").first()
    return {
        "show": True,
        "petition": petition,
        "suggestion": suggestion,
        "last": last,
        "can_choose": request.user.has_any_role(Role.REGISTRAR, Role.ADMIN),
        "categories": Category.objects.filter(is_active=True).order_by("code"),
        "units": Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT, region=petition.registering_unit.region_id, is_active=True
        ).order_by("path"),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("routing/_register_note.html")
def routing_register_note() -> dict[str, Any]:
    model = current_model()
    return {"model": model, "note": "" if model else no_model_note()}
