from __future__ import annotations

from django.db.models import QuerySet

from minsheng.orgs.models import Unit


def units_within(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit below it: the data scope of its staff."""
    return Unit.objects.filter(path__startswith=unit.path)


def unit_next_higher(unit: Unit) -> Unit | None:
    """The body that reviews this unit's decisions (R22 Art. 35-36)."""
    return unit.parent
