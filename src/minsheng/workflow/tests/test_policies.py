"""Deadline policies as data: chosen per region down the region tree, versioned, and a case keeps
the version it started under. R22 (default), R05 and Zhejiang ship with the system."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from minsheng.core.errors import Conflict, NotAllowed
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.services import region_create, unit_create, user_create
from minsheng.workflow import services as wf
from minsheng.workflow.deadlines import derivation, policy_for_region
from minsheng.workflow.models import Case, Deadline, DeadlinePolicy, RegionPolicy, RuleSet
from minsheng.workflow.policies import ruleset_copy, ruleset_publish
from minsheng.workflow.tests.conftest import staff

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def zhejiang(org: Any) -> Any:
    """A Zhejiang city bureau with a department, the province choosing the ZJ policy."""
    province = region_create(code="330000", name="浙江省", level=Region.Level.PROVINCE)
    city = region_create(code="330100", name="杭州市", level=Region.Level.CITY, parent=province)
    RegionPolicy.objects.create(region=province, policy=DeadlinePolicy.objects.get(code="ZJ"))
    system = staff(org.admin)
    bureau = unit_create(actor=system, name="杭州市信访局", kind=Unit.Kind.PETITION_BUREAU, region=city)
    housing = unit_create(
        actor=system, name="杭州市住房保障和房产管理局", kind=Unit.Kind.DEPARTMENT, region=city, parent=bureau
    )
    registrar = user_create(
        actor=system, username="zj_registrar", password=None, full_name="杭登记", unit=bureau, roles=["registrar"]
    )
    handler = user_create(
        actor=system, username="zj_handler", password=None, full_name="杭承办", unit=housing, roles=["handler"]
    )
    return type("ZJ", (), {"bureau": bureau, "housing": housing, "registrar": registrar, "handler": handler})


def test_the_shipped_policies_exist_with_r22_as_the_default() -> None:
    assert set(DeadlinePolicy.objects.values_list("code", flat=True)) >= {"R22", "R05", "ZJ"}
    assert DeadlinePolicy.objects.get(is_default=True).code == "R22"


def test_a_region_inherits_the_policy_of_the_nearest_ancestor_that_names_one(org: Any, zhejiang: Any) -> None:
    hangzhou = Region.objects.get(code="330100")
    assert policy_for_region(hangzhou).code == "ZJ"
    assert policy_for_region(org.regions.a).code == "R22"
    RegionPolicy.objects.create(region=org.regions.city, policy=DeadlinePolicy.objects.get(code="R05"))
    assert policy_for_region(org.regions.a).code == "R05"


def test_zhejiang_triage_is_5_working_days_zj_art_20(flow: Any, clock: Any, zhejiang: Any, register: Any) -> None:
    clock.to("2026-09-24")
    petition = register(zhejiang.bureau, staff(zhejiang.registrar)).petition
    triage = Deadline.objects.get(petition=petition, step="triage")
    assert triage.policy_code == "ZJ" and triage.due == D(2026, 10, 9)  # across Mid-Autumn and National Day
    assert derivation(triage) == "2026-10-09 = 收到 2026-09-24 + 5个工作日（ZJ 第二十条）"


def test_zhejiang_handling_is_30_days_and_may_be_extended_by_up_to_60_zj_art_23(
    flow: Any, zhejiang: Any, register: Any
) -> None:
    petition = register(zhejiang.bureau, staff(zhejiang.registrar)).petition
    wf.case_forward(actor=staff(zhejiang.registrar), petition=petition, to_unit=zhejiang.housing)
    wf.case_accept(actor=staff(zhejiang.handler), petition=petition)
    assert Deadline.objects.get(petition=petition, step="handle").due == D(2026, 4, 1)
    wf.case_request_extension(actor=staff(zhejiang.handler), petition=petition, days=60, reason="取证困难。")


def test_r05_has_no_objection_procedure(flow: Any, org: Any) -> None:
    RegionPolicy.objects.create(region=org.regions.province, policy=DeadlinePolicy.objects.get(code="R05"))
    petition = flow.forwarded()
    assert Case.objects.get(petition=petition).ruleset.policy.code == "R05"
    from minsheng.workflow.engine import TransitionRefused

    with pytest.raises(TransitionRefused) as raised:
        wf.case_object(actor=staff(org.handler_a), petition=petition, reason="不属本局。")
    assert "R05" in raised.value.message


def test_a_case_keeps_the_rule_set_it_started_under(flow: Any, org: Any, clock: Any) -> None:
    before = flow.registered()
    current = RuleSet.objects.get(policy__code="R22", version=1)
    draft = ruleset_copy(actor=staff(org.admin), ruleset=current, note="试行：分流期限缩短为10日")
    draft.rules.filter(step="triage").update(length=10)
    ruleset_publish(actor=staff(org.admin), ruleset=draft, effective_from=D(2026, 3, 2))
    after = flow.registered()
    assert Case.objects.get(petition=before).ruleset == current
    assert Case.objects.get(petition=after).ruleset == draft
    assert Deadline.objects.get(petition=before, step="triage").due == D(2026, 3, 17)
    assert Deadline.objects.get(petition=after, step="triage").due == D(2026, 3, 12)
    with pytest.raises(Conflict):
        ruleset_publish(actor=staff(org.admin), ruleset=draft)


def test_only_admins_edit_policies(org: Any) -> None:
    with pytest.raises(NotAllowed):
        ruleset_copy(actor=staff(org.registrar_a), ruleset=RuleSet.objects.get(policy__code="R22", version=1))


def test_a_policy_whose_tables_were_emptied_is_seeded_again_on_first_use(flow: Any) -> None:
    from minsheng.workflow.models import CalendarYear, Rule

    Case.objects.all().delete()
    Rule.objects.all().delete()
    RuleSet.objects.all().delete()
    DeadlinePolicy.objects.all().delete()
    CalendarYear.objects.all().delete()
    petition = flow.registered()
    assert Case.objects.get(petition=petition).ruleset.policy.code == "R22"
    assert not Deadline.objects.get(petition=petition, step="triage").provisional
