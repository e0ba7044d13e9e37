"""Shared test fixtures: a small organisation built through the real services, and personas.

The cast: registrar_a (county A bureau), registrar_b (county B bureau), city_registrar (the city
bureau above both), handler_a and unit_head_a (county A housing bureau), reviewer_a (county A
bureau), city_reviewer, supervisor, leader (city bureau), analyst, custodian, admin (province).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

# The real third-party data lives beside the repository (../shared/data), never inside it.
DATA_DIR = Path(os.environ.get("MINSHENG_DATA_DIR", Path(__file__).resolve().parent.parent / "shared" / "data"))


def _is_transactional(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names or "transactional_org" in names


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (live server, threads) empty the database when they end, which also
    removes what migrations seeded (category tree, deadline policies, holidays). Asking for a
    serialized rollback makes Django keep a copy of the migrated state; the teardown hook below
    puts it back after each such test, so every test starts from the migrated state."""
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    yield
    if nextitem is None or not _is_transactional(item):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _audit_triggers(request: pytest.FixtureRequest) -> Any:
    """Keep the append-only triggers on during each test; lift them for the flush that empties
    the database after a transactional test (SQLite empties tables with DELETE)."""
    names = request.fixturenames
    transactional = "transactional_db" in names or "live_server" in names
    if not transactional and "db" not in names:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    from minsheng.core import triggers

    triggers.install(connection)
    yield
    if transactional:
        triggers.uninstall(connection)


@pytest.fixture
def data_dir() -> Path:
    if not DATA_DIR.is_dir():
        pytest.skip(f"the shared data folder {DATA_DIR} is absent (set MINSHENG_DATA_DIR; CI always has it)")
    return DATA_DIR


def _build_org() -> SimpleNamespace:
    from minsheng.core.actors import Actor
    from minsheng.orgs.models import Region, Unit
    from minsheng.orgs.roles import Role
    from minsheng.orgs.services import region_create, unit_create, user_create

    system = Actor.system("fixture")
    province = region_create(code="430000", name="湖南省", level=Region.Level.PROVINCE)
    city = region_create(code="430100", name="长沙市", level=Region.Level.CITY, parent=province)
    county_a = region_create(code="430102", name="芙蓉区", level=Region.Level.COUNTY, parent=city)
    county_b = region_create(code="430103", name="天心区", level=Region.Level.COUNTY, parent=city)
    K, S = Unit.Kind, Unit.Sector
    units = SimpleNamespace()
    units.province = unit_create(actor=system, name="湖南省信访局", kind=K.PETITION_BUREAU, region=province)
    units.city = unit_create(
        actor=system, name="长沙市信访局", kind=K.PETITION_BUREAU, region=city, parent=units.province
    )
    units.city_housing = unit_create(
        actor=system, name="长沙市住房和城乡建设局", kind=K.DEPARTMENT, sector=S.HOUSING, region=city, parent=units.city
    )
    units.a = unit_create(actor=system, name="芙蓉区信访局", kind=K.PETITION_BUREAU, region=county_a, parent=units.city)
    units.b = unit_create(actor=system, name="天心区信访局", kind=K.PETITION_BUREAU, region=county_b, parent=units.city)
    units.housing_a = unit_create(
        actor=system,
        name="芙蓉区住房和城乡建设局",
        kind=K.DEPARTMENT,
        sector=S.HOUSING,
        region=county_a,
        parent=units.a,
    )
    units.hr_a = unit_create(
        actor=system,
        name="芙蓉区人力资源和社会保障局",
        kind=K.DEPARTMENT,
        sector=S.HUMAN_RESOURCES,
        region=county_a,
        parent=units.a,
    )
    units.housing_b = unit_create(
        actor=system,
        name="天心区住房和城乡建设局",
        kind=K.DEPARTMENT,
        sector=S.HOUSING,
        region=county_b,
        parent=units.b,
    )
    units.court_a = unit_create(
        actor=system, name="芙蓉区人民法院", kind=K.COURT, sector=S.JUSTICE, region=county_a, parent=units.a
    )
    units.discipline_a = unit_create(
        actor=system, name="芙蓉区纪委监委", kind=K.DISCIPLINE, region=county_a, parent=units.a
    )
    R = Role
    cast = {
        "registrar_a": (units.a, [R.REGISTRAR]),
        "registrar_b": (units.b, [R.REGISTRAR]),
        "city_registrar": (units.city, [R.REGISTRAR]),
        "handler_a": (units.housing_a, [R.HANDLER]),
        "unit_head_a": (units.housing_a, [R.UNIT_HEAD]),
        "handler_hr_a": (units.hr_a, [R.HANDLER]),
        "handler_b": (units.housing_b, [R.HANDLER]),
        "reviewer_a": (units.a, [R.REVIEWER]),
        "city_reviewer": (units.city, [R.REVIEWER]),
        "supervisor": (units.city, [R.SUPERVISOR]),
        "leader": (units.city, [R.LEADER]),
        "analyst": (units.province, [R.ANALYST]),
        "custodian": (units.province, [R.CUSTODIAN]),
        "admin": (units.province, [R.ADMIN]),
    }
    people = {
        name: user_create(
            actor=system, username=name, password="correct-horse-battery", full_name=name, unit=unit, roles=roles
        )
        for name, (unit, roles) in cast.items()
    }
    return SimpleNamespace(
        units=units, regions=SimpleNamespace(province=province, city=city, a=county_a, b=county_b), **people
    )


@pytest.fixture
def org(db: Any) -> SimpleNamespace:
    return _build_org()


@pytest.fixture
def transactional_org(transactional_db: Any) -> SimpleNamespace:
    return _build_org()


VALID_ID = "110105194912310038"  # checksum-valid test number (not a real person's)


def petition_data(**overrides: Any) -> Any:
    """A valid registration input; override what the test is about."""
    from minsheng.petitions.services import PetitionerInput, PetitionInput

    values: dict[str, Any] = {
        "channel": "letter",
        "nature": "grievance",
        "title": "小区门口占道经营油烟扰民",
        "request": "请求依法整治小区门口的占道经营。",
        "facts": "小区门口每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息。",
        "petitioners": [
            PetitionerInput(name="张三", id_number=VALID_ID, phone="13800138000", address="芙蓉区五一大道1号")
        ],
    }
    values.update(overrides)
    return PetitionInput(**values)


@pytest.fixture
def register() -> Any:
    """register(unit, actor=None, **overrides) -> Registration, through the real service."""
    from minsheng.core.actors import Actor
    from minsheng.petitions.services import petition_register

    def _register(unit: Any, actor: Any = None, **overrides: Any) -> Any:
        return petition_register(actor=actor or Actor.system("test"), unit=unit, data=petition_data(**overrides))

    return _register


def staff_login(client: Any, user: Any) -> Any:
    """Sign a staff member in on a test client through the real flow: password, then a TOTP code
    (the one place to do it; a session from `force_login` is refused: it has no second factor)."""
    from minsheng.accounts.testing import sign_in_client

    return sign_in_client(client, user)


@pytest.fixture
def aware() -> Any:
    from django.utils import timezone

    def _aware(*args: int) -> dt.datetime:
        return dt.datetime(*args, tzinfo=timezone.get_current_timezone())

    return _aware
