import pytest

from minsheng.core.actors import Actor
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import unit_next_higher, units_within
from minsheng.orgs.services import unit_save

pytestmark = pytest.mark.django_db


def test_a_units_subtree_is_itself_and_everything_below(org) -> None:  # type: ignore[no-untyped-def]
    within_city = set(units_within(org.units.city))
    assert {org.units.city, org.units.a, org.units.b, org.units.housing_a, org.units.housing_b} <= within_city
    assert org.units.province not in within_city
    assert set(units_within(org.units.a)) == {
        org.units.a,
        org.units.housing_a,
        org.units.hr_a,
        org.units.court_a,
        org.units.discipline_a,
    }


def test_moving_a_unit_moves_its_subtree(org) -> None:  # type: ignore[no-untyped-def]
    unit = org.units.a
    unit.parent = org.units.province
    unit_save(actor=Actor.system("test"), unit=unit)
    housing = Unit.objects.get(pk=org.units.housing_a.pk)
    assert housing.path.startswith(Unit.objects.get(pk=org.units.province.pk).path)
    assert housing not in units_within(org.units.city)


def test_a_unit_cannot_be_moved_under_itself(org) -> None:  # type: ignore[no-untyped-def]
    unit = org.units.a
    unit.parent = org.units.housing_a
    with pytest.raises(ValueError):
        unit_save(actor=Actor.system("test"), unit=unit)


def test_the_next_higher_body_of_a_department_is_its_bureau(org) -> None:  # type: ignore[no-untyped-def]
    assert unit_next_higher(org.units.housing_a) == org.units.a
    assert unit_next_higher(org.units.a) == org.units.city
