"""The only way views reach reveal logs and exports. Missing and forbidden answer the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from minsheng.orgs.roles import Role
from minsheng.petitions.access import petitions_visible_to
from minsheng.privacy.models import Export, RevealLog

# Who may see who looked at personal data (R22 Art. 40: supervision of petition work).
REVEAL_AUDITORS = (Role.SUPERVISOR, Role.ADMIN)


def reveal_logs_visible_to(user: Any) -> QuerySet[RevealLog]:
    if not getattr(user, "is_authenticated", False) or not user.has_any_role(*REVEAL_AUDITORS):
        return RevealLog.objects.none()
    return RevealLog.objects.filter(petition__in=petitions_visible_to(user))


def exports_visible_to(user: Any) -> QuerySet[Export]:
    """An export holds its maker's scope of petitions, so only its maker may fetch it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Export.objects.none()
    return Export.objects.filter(created_by=user)


def export_for_user(user: Any, export_id: int | str) -> Export:
    try:
        return exports_visible_to(user).get(pk=int(export_id), removed_at__isnull=True)
    except (Export.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
