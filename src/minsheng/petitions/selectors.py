"""Reads of petitions for the staff pages and the API. Scope always comes from access.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from minsheng.orgs.models import Region, User
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Category, Petition


def region_code_prefix(code: str) -> str:
    """GB/T 2260 codes nest by prefix once the trailing zero groups are dropped (430100 -> 4301)."""
    if len(code) > 6:
        return code.rstrip("0") if code.endswith("000") else code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def category_with_descendants(category: Category) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [category.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


@dataclass
class PetitionFilters:
    status: str = ""
    channel: str = ""
    nature: str = ""
    category: Category | None = None
    region: Region | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""


def petition_list(*, user: User, filters: PetitionFilters) -> QuerySet[Petition]:
    qs = petitions_visible_to(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.nature:
        qs = qs.filter(nature=filters.nature)
    if filters.category is not None:
        qs = qs.filter(category_id__in=category_with_descendants(filters.category))
    if filters.region is not None:
        qs = qs.filter(region__code__startswith=region_code_prefix(filters.region.code))
    if filters.received_from is not None:
        qs = qs.filter(received_at__date__gte=filters.received_from)
    if filters.received_to is not None:
        qs = qs.filter(received_at__date__lte=filters.received_to)
    if filters.q:
        for term in filters.q.split():
            qs = qs.filter(
                Q(title__icontains=term)
                | Q(request__icontains=term)
                | Q(facts__icontains=term)
                | Q(number__icontains=term)
            )
    return qs.select_related("category", "region", "handling_unit").order_by("-received_at", "-id")


def petition_detail(*, petition: Petition) -> Petition:
    """The case page's petition with everything it shows, in a fixed number of queries."""
    return (
        Petition.objects.select_related("category", "region", "registering_unit", "handling_unit", "registered_by")
        .prefetch_related("petitioners", "attachments", "events__actor", "events__unit")
        .get(pk=petition.pk)
    )
