"""The case page's near-duplicate panel: repeat links, the collective group, similar petitions."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.intel.selectors import group_of, live_links, similar_for_user
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Petition

register = template.Library()


@register.inclusion_tag("intel/_panel.html", takes_context=True)
def intel_panel(context: template.Context, petition: Petition) -> dict[str, Any]:
    user = context["request"].user
    links = list(live_links(petition))
    visible = set(
        petitions_visible_to(user).filter(pk__in=[link.earlier_id for link in links]).values_list("pk", flat=True)
    )
    group = group_of(petition)
    members: list[Petition] = []
    if group is not None:
        members = list(
            petitions_visible_to(user)
            .filter(collective_membership__group=group)
            .exclude(pk=petition.pk)
            .order_by("received_at", "pk")[:20]
        )
    return {
        "request": context["request"],
        "petition": petition,
        "links": [(link, link.earlier_id in visible) for link in links],
        "group": group,
        "members": members,
        "similar": similar_for_user(user=user, petition=petition),
        "csrf_token": context.get("csrf_token"),
    }
