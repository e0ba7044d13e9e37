"""Which of the front doors' staff pages a signed-in person's roles lead them to (the nav bar)."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.orgs.roles import Role

register = template.Library()


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


def _may(user: Any, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_any_role(*roles))


@register.filter
def works_accusations(user: Any) -> bool:
    """Those who work accusations' cases (accusations.services.CASE_ROLES)."""
    from minsheng.accusations.services import CASE_ROLES

    return _may(user, _roles(*CASE_ROLES))


@register.filter
def keeps_identities(user: Any) -> bool:
    """The custodian, who decides the requests to see an accuser's identity."""
    return _may(user, _roles(Role.CUSTODIAN))


@register.filter
def works_suggestions(user: Any) -> bool:
    """Those who publish calls, publish and answer suggestions, or read their statistics."""
    from minsheng.suggestions.services import ANSWER_ROLES, CAMPAIGN_ROLES

    return _may(user, _roles(*ANSWER_ROLES, *CAMPAIGN_ROLES, Role.ANALYST))
