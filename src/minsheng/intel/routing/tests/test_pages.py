"""What the registrar sees and does: suggestions on the case page, the note without a model,
corrections recorded and learnt, and the admin's button that trains in the worker."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import staff_login
from minsheng.core.actors import Actor
from minsheng.intel.routing.models import RoutingFeedback, RoutingModel
from minsheng.intel.routing.services import feedback_samples
from minsheng.petitions.categories import category_default_tree_load
from minsheng.petitions.models import Category

pytestmark = pytest.mark.django_db

WAGES = {
    "title": "公司拖欠工资三个月",
    "request": "请求责令公司支付拖欠的工资。",
    "facts": "我在长沙市芙蓉区的工地务工，公司拖欠工资和社保三个月。",
    "address": "湖南省长沙市芙蓉区五一大道100号",
}


@pytest.fixture
def trained(corpus: Path, org: Any) -> RoutingModel:
    category_default_tree_load(actor=Actor.system("test"))
    call_command("train-routing", "--cv-folds", "2", stdout=io.StringIO(), stderr=io.StringIO())
    return RoutingModel.objects.get(is_current=True)


def case_page(client: Client, petition_id: int) -> str:
    return client.get(reverse("workbench:petition", args=[petition_id])).content.decode()


def test_the_case_page_shows_top_three_categories_units_and_the_region(
    client: Client, org: Any, register: Any, trained: RoutingModel
) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a), **WAGES).petition
    page = case_page(staff_login(client, org.registrar_a), petition.pk)
    categories = page.split("data-routing-categories>")[1].split("</ol>")[0]
    assert categories.count("<li>") == 3
    assert categories.index("劳动和社会保障") < categories.index("<li>", categories.index("<li>") + 1)
    assert "%" in categories
    units = page.split("data-routing-units>")[1].split("</ol>")[0]
    assert units.strip().startswith("<li>芙蓉区人力资源和社会保障局")
    region = page.split("data-routing-region>")[1].split("</p>")[0]
    assert "芙蓉区" in region and "430102" in region
    assert f"v{trained.version}" in page


def test_without_a_model_registration_works_and_says_why_there_are_no_suggestions(
    client: Client, org: Any, register: Any
) -> None:
    staff_login(client, org.registrar_a)
    form = client.get(reverse("workbench:register")).content.decode()
    assert "尚无分流模型" in form
    petition = register(org.units.a, Actor.staff(org.registrar_a), **WAGES).petition
    page = case_page(client, petition.pk)
    assert "data-routing-note" in page and "尚无分流模型" in page
    assert "data-routing-categories" not in page


def test_with_no_place_in_the_text_the_region_is_the_one_registered_and_says_so(
    client: Client, org: Any, register: Any
) -> None:
    furong = org.units.a.region
    petition = register(
        org.units.a,
        Actor.staff(org.registrar_a),
        title="补偿款被截留",
        facts="工作人员扣留补偿款。",
        address="",
        region=furong,
    ).petition
    region = case_page(staff_login(client, org.registrar_a), petition.pk).split("data-routing-region>")[1]
    region = region.split("</p>")[0]
    assert furong.display_name in region and furong.code in region and "登记时所填" in region


def test_with_a_model_the_registration_page_names_it(client: Client, org: Any, trained: RoutingModel) -> None:
    form = staff_login(client, org.registrar_a).get(reverse("workbench:register")).content.decode()
    assert f"分流模型 v{trained.version}" in form


def test_a_correction_is_recorded_applied_and_learnt_at_the_next_training(
    client: Client, org: Any, register: Any, trained: RoutingModel
) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a), **WAGES).petition
    housing = Category.objects.get(code="01")
    staff_login(client, org.registrar_a)
    response = client.post(
        reverse("routing:choose", args=[petition.pk]),
        {"category": housing.pk, "unit": org.units.housing_a.pk},
        follow=True,
    )
    assert "已记录您的修正" in response.content.decode()
    feedback = RoutingFeedback.objects.get()
    assert (feedback.suggested_label, feedback.chosen_label) == ("劳动和社会保障", "城乡建设")
    assert feedback.suggested_unit == org.units.hr_a and feedback.chosen_unit == org.units.housing_a
    assert feedback.is_correction and feedback.chosen_by == org.registrar_a and feedback.model == trained
    petition.refresh_from_db()
    assert petition.category == housing
    assert petition.events.filter(action="update").exists()

    [sample] = feedback_samples()
    assert sample.label == "城乡建设" and "拖欠工资" in sample.title
    call_command("train-routing", "--cv-folds", "2", stdout=io.StringIO(), stderr=io.StringIO())
    newest = RoutingModel.objects.get(is_current=True)
    assert newest.version == trained.version + 1 and newest.metrics["corrections"] == 1


def test_confirming_the_top_suggestion_is_not_a_correction(
    client: Client, org: Any, register: Any, trained: RoutingModel
) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a), **WAGES).petition
    staff_login(client, org.registrar_a).post(
        reverse("routing:choose", args=[petition.pk]),
        {"category": Category.objects.get(code="02").pk, "unit": org.units.hr_a.pk},
    )
    assert not RoutingFeedback.objects.get().is_correction


def test_bad_choices_change_nothing(client: Client, org: Any, register: Any, trained: RoutingModel) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a), **WAGES).petition
    staff_login(client, org.registrar_a)
    for data in ({"category": "x"}, {"category": "999999"}, {"unit": str(org.units.a.pk)}, {}):
        page = client.post(reverse("routing:choose", args=[petition.pk]), data, follow=True).content.decode()
        assert "未做修改" in page or "请选择分类或承办单位" in page
    assert not RoutingFeedback.objects.exists()


def test_only_registrars_may_choose(client: Client, org: Any, register: Any, trained: RoutingModel) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a), **WAGES).petition
    staff_login(client, org.reviewer_a)
    client.post(reverse("routing:choose", args=[petition.pk]), {"category": Category.objects.get(code="02").pk})
    assert not RoutingFeedback.objects.exists()


def test_the_admin_button_trains_a_new_version_in_the_worker(
    client: Client, org: Any, corpus: Path, django_capture_on_commit_callbacks: Any
) -> None:
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    staff_login(client, org.admin)
    changelist = client.get(reverse("admin:routing_routingmodel_changelist")).content.decode()
    assert reverse("admin:routing_routingmodel_train") in changelist
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("admin:routing_routingmodel_train"))
    queued = RoutingModel.objects.get()
    assert queued.status == RoutingModel.Status.QUEUED and len(callbacks) == 1
    callbacks[0]()  # the worker (HUEY_IMMEDIATE in tests) runs the enqueued task now
    queued.refresh_from_db()
    assert queued.status == RoutingModel.Status.READY and queued.is_current and queued.created_by == org.admin
    assert queued.metrics["cv"]["macro_f1_mean"] > 0


def test_staff_who_are_not_admins_cannot_start_training(client: Client, org: Any, corpus: Path) -> None:
    staff_login(client, org.registrar_a)
    client.post(reverse("admin:routing_routingmodel_train"))
    assert not RoutingModel.objects.exists()
