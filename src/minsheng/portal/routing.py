"""Where an online filing is received: the petition bureau of the region the citizen chooses.

R22 Art. 22 makes the petition bureaus the registering door for every matter; the bureau then
forwards or assigns it within 15 days. A region without its own bureau (a township) files with the
nearest bureau above it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from minsheng.orgs.models import Region, Unit


def bureau_for_region(region: Region) -> Unit | None:
    """The active petition bureau of `region`, or of the nearest region above it."""
    current: Region | None = region
    while current is not None:
        unit = (
            Unit.objects.filter(region=current, kind=Unit.Kind.PETITION_BUREAU, is_active=True).order_by("path").first()
        )
        if unit is not None:
            return unit
        current = current.parent
    return None


def intake_regions() -> QuerySet[Region]:
    """Regions a citizen may choose: those with an active petition bureau of their own."""
    bureaus = Unit.objects.filter(region=OuterRef("pk"), kind=Unit.Kind.PETITION_BUREAU, is_active=True)
    return Region.objects.filter(Exists(bureaus)).order_by("code")
