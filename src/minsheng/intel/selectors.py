"""Reads of text intelligence: similar petitions through the LSH index, links, groups, policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from minsheng.intel.models import CollectiveGroup, CollectivePolicy, MatterLink, NearDupSignature
from minsheng.intel.neardup import (
    BAND_FIELDS,
    PREFILTER_MARGIN,
    THRESHOLD,
    petition_text,
    sketch_estimates,
    text_keys,
)
from minsheng.intel.text import jaccard, shingles
from minsheng.orgs.models import Region, Unit
from minsheng.petitions.models import Nature, Petition

# A bucket shared by very many petitions (a one-line form letter) would make one lookup verify
# thousands of texts; past this many candidates the rest are not verified.
CANDIDATE_LIMIT = 1000
DEFAULT_MIN_PETITIONERS = 5
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Match:
    petition_id: int
    score: float


def band_filter(keys: list[int]) -> Q:
    condition = Q()
    for name, key in zip(BAND_FIELDS, keys, strict=True):
        condition |= Q(**{name: key})
    return condition


def _candidates_sql() -> str:
    table = connection.ops.quote_name(NearDupSignature._meta.db_table)
    where = " OR ".join(f"{connection.ops.quote_name(name)} = %s" for name in BAND_FIELDS)
    return f"SELECT petition_id, sketch FROM {table} WHERE {where} LIMIT %s"  # noqa: S608  # nosec B608


def similar_candidates(
    keys: list[int],
    *,
    exclude: int | None = None,
    limit: int = CANDIDATE_LIMIT,
    sketch: bytes = b"",
    min_estimate: float = 0.0,
) -> list[int]:
    """Petitions sharing at least one band with `keys` (the LSH candidates, unverified).

    With the query's `sketch`, candidates whose sketch estimates a Jaccard below `min_estimate`
    are dropped here (see neardup.sketch), so the exact check reads only plausible texts.

    Plain SQL rather than the ORM: composing a 24-term OR through the ORM costs more than the
    24 index probes themselves (measured ~0.6 ms of the ~1 ms). The statement has only column
    names from the model and parameters; it equals `NearDupSignature.objects.filter(band_filter(keys))`.
    """
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(), [*keys, limit + 1])
        found = [(pk, bytes(stored or b"")) for pk, stored in cursor.fetchall() if pk != exclude][:limit]
    if not sketch or not found:
        return [pk for pk, _stored in found]
    estimates = sketch_estimates(sketch, [stored for _pk, stored in found])
    return [pk for (pk, _stored), estimate in zip(found, estimates, strict=True) if estimate >= min_estimate]


def verify(grams: set[str], candidate_ids: list[int], *, threshold: float = THRESHOLD) -> list[Match]:
    """Exact Jaccard of each candidate's text against `grams`; those at or above the threshold."""
    if not candidate_ids:
        return []
    # At most CANDIDATE_LIMIT rows: one plain fetch. (`.iterator()` would open a server-side
    # cursor on PostgreSQL: four more round trips per lookup, a third of its time.)
    rows = Petition.objects.filter(pk__in=candidate_ids).values_list("pk", "title", "request", "facts")
    matches = []
    for pk, title, request, facts in rows:
        score = jaccard(grams, shingles(petition_text(title, request, facts)))
        if score >= threshold:
            matches.append(Match(petition_id=pk, score=score))
    matches.sort(key=lambda m: (-m.score, m.petition_id))
    return matches


def similar_to_text(text: str, *, exclude: int | None = None, threshold: float = THRESHOLD) -> list[Match]:
    """Indexed petitions whose text has Jaccard ≥ threshold with `text`, most similar first."""
    grams, keys, sketch = text_keys(text)
    if keys is None:
        return []
    candidates = similar_candidates(keys, exclude=exclude, sketch=sketch, min_estimate=threshold - PREFILTER_MARGIN)
    return verify(grams, candidates, threshold=threshold)


def similar_to_petition(petition: Petition, *, threshold: float = THRESHOLD) -> list[Match]:
    text = petition_text(petition.title, petition.request, petition.facts)
    return similar_to_text(text, exclude=petition.pk, threshold=threshold)


@dataclass(frozen=True)
class SimilarView:
    """One similar petition as a given user may see it: in full, or only where it is."""

    score: float
    visible: bool
    petition: Petition | None
    unit_name: str
    earlier: bool


def similar_for_user(*, user: Any, petition: Petition, limit: int = 10) -> list[SimilarView]:
    """Similar petitions with their scores, respecting the user's data scope.

    A petition outside the user's scope shows only that a similar matter exists and at which
    unit — never its number, title or people; an accusation outside it is not shown at all
    (R22 Art. 30 ¶3: not even its existence may reach the accused).
    """
    from minsheng.petitions.access import petitions_visible_to

    matches = similar_to_petition(petition)[:limit]
    if not matches:
        return []
    ids = [m.petition_id for m in matches]
    rows = {p.pk: p for p in Petition.objects.filter(pk__in=ids).select_related("handling_unit")}
    visible = set(petitions_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    views = []
    for match in matches:
        other = rows.get(match.petition_id)
        if other is None:
            continue
        shown = other.pk in visible
        if not shown and other.nature == Nature.ACCUSATION:
            continue
        views.append(
            SimilarView(
                score=match.score,
                visible=shown,
                petition=other if shown else None,
                unit_name=other.handling_unit.display_name,
                earlier=(other.received_at, other.pk) < (petition.received_at, petition.pk),
            )
        )
    return views


def live_links(petition: Petition) -> QuerySet[MatterLink]:
    return (
        MatterLink.objects.filter(petition=petition, unlinked_at__isnull=True)
        .select_related("earlier__handling_unit")
        .order_by("-score", "id")
    )


def group_of(petition: Petition) -> CollectiveGroup | None:
    return CollectiveGroup.objects.filter(members__petition=petition).first()


@dataclass(frozen=True)
class CollectiveRule:
    min_petitioners: int
    window: dt.timedelta


def collective_rule(region: Region | None) -> CollectiveRule:
    """The policy row of the region or the nearest one above it, else the default row or built-in."""
    chain: list[int] = []
    while region is not None and len(chain) < 10:
        chain.append(region.pk)
        region = region.parent
    policies = {
        p.region_id: p for p in CollectivePolicy.objects.filter(Q(region_id__in=chain) | Q(region__isnull=True))
    }
    for region_id in [*chain, None]:
        policy = policies.get(region_id)
        if policy is not None and policy.is_active:
            return CollectiveRule(policy.min_petitioners, dt.timedelta(days=policy.window_days))
    return CollectiveRule(DEFAULT_MIN_PETITIONERS, dt.timedelta(days=DEFAULT_WINDOW_DAYS))


def matter_region(petition: Petition) -> Region | None:
    if petition.region_id is not None:
        return petition.region
    unit: Unit = petition.registering_unit
    return unit.region
