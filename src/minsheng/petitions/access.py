"""The only way a view or API handler gets a petition or its parts.

A staff member sees the petitions in which their unit, or a unit below it, is involved
(registered, handling, co-handling, assigning, reviewing), except accusations against their own
unit or one above it. Anything else answers 404 exactly like a petition that does not exist, so
ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from minsheng.orgs.models import User
from minsheng.petitions.models import Attachment, Petition, Petitioner, PetitionUnit


def petitions_visible_to(user: User | Any) -> QuerySet[Petition]:
    unit = getattr(user, "unit", None) if getattr(user, "is_authenticated", False) and user.is_active else None
    if unit is None:
        return Petition.objects.none()
    involved = PetitionUnit.objects.filter(petition=OuterRef("pk"), unit__path__startswith=unit.path)
    visible = Petition.objects.filter(Exists(involved))
    # R22 Art. 30 ¶3, Art. 46(5): an accusation is never shown to an accused unit or any unit
    # inside it, whatever its involvement (the rule lives in accusations/rules.py).
    from minsheng.accusations.rules import hide_accusations_from

    return hide_accusations_from(visible, unit)


def petition_for_user(user: User | Any, petition_id: int | str) -> Petition:
    try:
        return petitions_visible_to(user).get(pk=int(petition_id))
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attachment_for_user(user: User | Any, attachment_id: int | str) -> Attachment:
    try:
        return Attachment.objects.select_related("petition").get(
            pk=int(attachment_id), petition__in=petitions_visible_to(user)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def petitioner_for_user(user: User | Any, petitioner_id: int | str) -> Petitioner:
    try:
        return Petitioner.objects.select_related("petition").get(
            pk=int(petitioner_id), petition__in=petitions_visible_to(user)
        )
    except (Petitioner.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
