"""Template helpers of the topics app: the nav entry and the similar-decisions drafting aid."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.intel.topics.services import VIEW_ROLES

register = template.Library()


@register.filter
def may_see_topics(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.unit_id and user.has_any_role(*VIEW_ROLES))
