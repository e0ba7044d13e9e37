from __future__ import annotations

from typing import Any

from django import template

from minsheng.petitions.models import Petition
from minsheng.privacy.access import REVEAL_AUDITORS, reveal_logs_visible_to
from minsheng.privacy.models import RevealLog
from minsheng.privacy.services import REVEALERS

register = template.Library()


@register.filter
def may_reveal(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_any_role(*REVEALERS))


@register.filter
def may_audit_reveals(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_any_role(*REVEAL_AUDITORS))


@register.simple_tag
def reveal_logs(petition: Petition, user: Any) -> list[RevealLog]:
    """Who looked at this petition's personal data, for those who supervise (one query)."""
    return list(reveal_logs_visible_to(user).filter(petition=petition).select_related("user", "unit", "petitioner"))
