"""Reads of people's suggestions: the public lists, the statistics, and the staff's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from minsheng.orgs.models import Unit
from minsheng.suggestions.models import Adoption, Campaign, Suggestion


def campaigns_open() -> QuerySet[Campaign]:
    today = timezone.localdate()
    return (
        Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("unit")
        .order_by("closes_on", "id")
    )


def campaigns_public() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("unit").order_by("-opens_on", "-id")


def campaign_public(campaign_id: int) -> Campaign:
    try:
        return Campaign.objects.select_related("unit").get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404 from None


def suggestions_public() -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.filter(published_at__isnull=False)
        .select_related("unit", "campaign")
        .order_by("-published_at", "-id")
    )


def suggestion_public(number: str) -> Suggestion:
    try:
        return suggestions_public().get(number=number)
    except Suggestion.DoesNotExist:
        raise Http404 from None


@dataclass
class StatRow:
    key: Any
    label: str
    total: int
    published: int
    answered: int
    adopted: int
    partly: int
    not_adopted: int
    cosigns: int


def _stats(queryset: QuerySet[Suggestion], group: str) -> list[dict[str, Any]]:
    return list(
        queryset.values(group)
        .annotate(
            total=Count("id"),
            published=Count("id", filter=Q(published_at__isnull=False)),
            answered=Count("id", filter=Q(status=Suggestion.Status.ANSWERED)),
            adopted=Count("id", filter=Q(adoption=Adoption.ADOPTED)),
            partly=Count("id", filter=Q(adoption=Adoption.PARTLY)),
            not_adopted=Count("id", filter=Q(adoption=Adoption.NOT_ADOPTED)),
            cosigns=Sum("cosign_count"),
        )
        .order_by(group)
    )


def stats_by_unit(queryset: QuerySet[Suggestion] | None = None) -> list[StatRow]:
    rows = _stats(queryset if queryset is not None else Suggestion.objects.all(), "unit")
    units = Unit.objects.in_bulk([row["unit"] for row in rows])
    return [
        StatRow(
            key=units[row["unit"]],
            label=units[row["unit"]].display_name,
            **{k: (v or 0) for k, v in row.items() if k != "unit"},
        )
        for row in rows
    ]


def stats_by_campaign(queryset: QuerySet[Suggestion] | None = None) -> list[StatRow]:
    """Per campaign; suggestions received outside any campaign (日常接收) form their own row."""
    rows = _stats(queryset if queryset is not None else Suggestion.objects.all(), "campaign")
    campaigns = Campaign.objects.select_related("unit").in_bulk([row["campaign"] for row in rows if row["campaign"]])
    return [
        StatRow(
            key=campaigns.get(row["campaign"]),
            label=campaigns[row["campaign"]].title if row["campaign"] else "",
            **{k: (v or 0) for k, v in row.items() if k != "campaign"},
        )
        for row in rows
    ]


# --- Staff scope: a unit's staff see the suggestions and campaigns of their unit and below ---------


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    unit = getattr(user, "unit", None) if getattr(user, "is_authenticated", False) and user.is_active else None
    if unit is None:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(unit__path__startswith=unit.path)


def suggestion_for_user(user: Any, suggestion_id: int | str) -> Suggestion:
    try:
        return suggestions_visible_to(user).select_related("unit", "campaign", "answered_by").get(pk=int(suggestion_id))
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    unit = getattr(user, "unit", None) if getattr(user, "is_authenticated", False) and user.is_active else None
    if unit is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(unit__path__startswith=unit.path).select_related("unit")


def suggestion_by_code(code: str) -> Suggestion | None:
    from minsheng.suggestions.services import suggestion_code_hash

    if len(code.replace("-", "").replace(" ", "")) != 16:
        return None
    return (
        Suggestion.objects.select_related("unit", "campaign").filter(query_code_hash=suggestion_code_hash(code)).first()
    )
