"""Collective petitions: at least N different people on the same matter within the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from minsheng.core.actors import Actor
from minsheng.intel.models import CollectiveGroup, CollectivePolicy
from minsheng.intel.selectors import collective_rule
from minsheng.petitions.models import Petition
from minsheng.workflow.selectors import inbox, inbox_counts

from .conftest import person

pytestmark = pytest.mark.django_db


def _file(org: Any, register: Any, n: int, **overrides: Any) -> Any:
    return register(org.units.a, Actor.staff(org.registrar_a), petitioners=[person(n)], **overrides)


def test_the_fifth_person_on_the_same_matter_makes_it_collective(org: Any, register: Any, clock: Any) -> None:
    first_four = [_file(org, register, n) for n in range(1, 5)]
    assert all(r.screening.group is None for r in first_four)
    assert not Petition.objects.filter(is_collective=True).exists()

    fifth = _file(org, register, 5)
    group = fifth.screening.group
    assert group is not None and group.petitioners == 5 and group.unit == org.units.a
    ids = {r.petition.pk for r in [*first_four, fifth]}
    assert set(Petition.objects.filter(is_collective=True).values_list("pk", flat=True)) == ids
    assert set(group.members.values_list("petition_id", flat=True)) == ids
    for pk in ids:
        event = Petition.objects.get(pk=pk).events.get(action="collective_flag")
        assert "5名信访人" in event.note and event.audit_seq is not None

    sixth = _file(org, register, 6)
    assert sixth.screening.group == group and CollectiveGroup.objects.count() == 1
    group.refresh_from_db()
    assert group.petitioners == 6


def test_the_supervisor_above_is_alerted_and_others_are_not(org: Any, register: Any, clock: Any) -> None:
    registrations = [_file(org, register, n) for n in range(1, 6)]
    alerted = set(inbox(org.supervisor, "collective").values_list("pk", flat=True))
    assert alerted == {r.petition.pk for r in registrations}
    assert dict((box.code, n) for box, n in inbox_counts(org.supervisor))["collective"] == 5
    assert "collective" not in {box.code for box, _n in inbox_counts(org.registrar_b)}


def test_one_person_filing_five_times_is_not_collective(org: Any, register: Any, clock: Any) -> None:
    results = [register(org.units.a, Actor.staff(org.registrar_a)) for _ in range(5)]
    assert all(r.screening.group is None for r in results)


def test_people_outside_the_window_do_not_count(org: Any, register: Any, clock: Any) -> None:
    long_ago = timezone.now() - dt.timedelta(days=45)
    for n in range(1, 5):
        _file(org, register, n, received_at=long_ago)
    assert _file(org, register, 5).screening.group is None


def test_the_threshold_and_window_are_data_by_region(org: Any, register: Any, clock: Any) -> None:
    assert collective_rule(org.regions.a).min_petitioners == 5
    CollectivePolicy.objects.create(region=None, min_petitioners=4, window_days=60)
    CollectivePolicy.objects.create(region=org.regions.city, min_petitioners=3, window_days=10)
    assert collective_rule(org.regions.a).min_petitioners == 3  # the city's row covers county A
    assert collective_rule(org.regions.province).min_petitioners == 4
    _file(org, register, 1)
    _file(org, register, 2)
    assert _file(org, register, 3).screening.group is not None


def test_accusations_are_never_pooled(org: Any, register: Any, clock: Any) -> None:
    results = [_file(org, register, n, nature="accusation") for n in range(1, 6)]
    assert all(r.screening.group is None for r in results)
