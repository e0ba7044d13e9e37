"""Template helpers of the topics app: the nav entry and the similar-decisions drafting aid."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.intel.topics.services import VIEW_ROLES

register = template.Library()


@register.filter
def may_see_topics(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.unit_id and user.has_any_role(*VIEW_ROLES))


# The action pages where a written text is drafted (workflow transitions "decide" and "reply").
DRAFTING_ACTIONS = frozenset({"decide", "reply"})


@register.inclusion_tag("topics/_similar_decisions.html", takes_context=True)
def similar_decisions_panel(context: template.Context, petition: Any, row: Any) -> dict[str, Any]:
    """On a drafting page the handler may act on: the most similar decided cases and their texts."""
    from minsheng.intel.topics.similar import similar_decisions

    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        getattr(row, "name", "") in DRAFTING_ACTIONS
        and not context.get("blocked")
        and not context.get("refusal")
        and getattr(user, "unit_id", None)
    )
    items = similar_decisions(user=user, petition=petition) if show and user is not None else []
    return {"show": show, "items": items}
