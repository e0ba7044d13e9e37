"""The rule of R22 Art. 30 ¶3 and Art. 46(5): an accusation, and anything that identifies the
reporter, is never disclosed or passed to the accused person or unit.

A unit is *barred* from an accusation when it is an accused unit or lies inside one (its staff
answer to the accused). Barred units never see the matter (`petitions_visible_to` filters through
`hide_accusations_from`), are never chosen to receive it, and must never be routed it: the
workflow's forward/assign services call `may_route_to` / `check_route` before they write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from minsheng.core.errors import Conflict
from minsheng.orgs.models import Region, Unit
from minsheng.petitions.models import Petition

ARTICLE = "R22 Art. 30 ¶3, Art. 46(5)"


def unit_and_ancestor_ids(unit: Unit) -> list[int]:
    """The unit and every unit above it, from its materialised path ("/1/4/17/" -> [1, 4, 17])."""
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def hide_accusations_from(queryset: QuerySet[Petition], unit: Unit) -> QuerySet[Petition]:
    """Drop every petition whose accused units include `unit` or a unit above it."""
    from minsheng.accusations.models import AccusedUnit

    barred = AccusedUnit.objects.filter(accusation_id=OuterRef("pk"), unit_id__in=unit_and_ancestor_ids(unit))
    return queryset.filter(~Exists(barred))


def accused_units_of(petition: Petition) -> list[Unit]:
    from minsheng.accusations.models import AccusedUnit

    return [row.unit for row in AccusedUnit.objects.filter(accusation_id=petition.pk).select_related("unit")]


def is_barred(unit: Unit, accused: Iterable[Unit]) -> bool:
    return any(unit.path.startswith(item.path) for item in accused)


def route_refusal(petition: Petition, unit: Unit) -> str | None:
    """Why `petition` may not be routed to `unit` (translated), or None when it may."""
    if is_barred(unit, accused_units_of(petition)):
        return _(
            "该检举控告涉及“%(unit)s”或其上级单位，不得转送、交办给被检举的单位或其下属单位"
            "（《信访工作条例》第三十条第三款、第四十六条第五项）。请选择其上级机关或纪检监察机关。"
        ) % {"unit": unit.display_name}
    return None


def may_route_to(petition: Petition, unit: Unit) -> bool:
    """For the workflow's forward/assign/co-handle services: False when `unit` is barred."""
    return route_refusal(petition, unit) is None


def check_route(petition: Petition, unit: Unit) -> None:
    """Raise Conflict (409, with the article) when routing `petition` to `unit` is forbidden."""
    reason = route_refusal(petition, unit)
    if reason is not None:
        raise Conflict(reason, code="accused_unit", article=ARTICLE)


def receiving_unit_for(region: Region, accused: Iterable[Unit]) -> Unit | None:
    """The region's petition bureau, or the nearest one above it that no accused unit contains."""
    from minsheng.portal.routing import bureau_for_region

    accused = list(accused)
    unit = bureau_for_region(region)
    while unit is not None and is_barred(unit, accused):
        unit = unit.parent
        while unit is not None and unit.kind != Unit.Kind.PETITION_BUREAU:
            unit = unit.parent
    return unit
