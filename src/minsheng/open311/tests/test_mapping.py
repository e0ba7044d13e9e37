"""How GeoReport v2 maps onto our records, below HTTP: services, names, titles, the changeset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from minsheng.core.actors import Actor
from minsheng.open311.formats import Many, to_json, to_xml
from minsheng.open311.selectors import DEFINITIONS_CHANGED, service_for_code, service_list, services_changed_at
from minsheng.open311.services import _name, _title
from minsheng.petitions.categories import category_tree_import
from minsheng.petitions.models import Category

pytestmark = pytest.mark.django_db


def test_a_deeper_tree_lists_every_level_below_a_service_by_its_path() -> None:
    category_tree_import(actor=Actor.system("test"), text="一级分类,二级分类,三级分类\n城乡建设,住房保障,公租房\n")

    service = service_for_code("01")
    assert service is not None
    subcategory = next(a for a in service.attributes if a.code == "subcategory")
    assert ("010101", "住房保障 / 公租房") in subcategory.values
    housing = service_for_code("0101")
    assert housing is not None and [v for v in housing.attributes[1].values] == [("010101", "公租房")]


def test_inactive_categories_are_no_services() -> None:
    Category.objects.filter(code="0102").update(is_active=False)

    assert service_for_code("0102") is None
    assert "0102" not in {s.code for s in service_list()}
    assert ("0102", "房屋质量") not in service_for_code("01").attributes[1].values  # type: ignore[union-attr]


def test_the_changeset_moves_when_the_category_tree_is_imported(aware: Any) -> None:
    assert services_changed_at() == DEFINITIONS_CHANGED

    category_tree_import(actor=Actor.system("test"), text="一级分类,二级分类\n新领域,子类\n")

    assert services_changed_at() > DEFINITIONS_CHANGED


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [("三", "张", "张三"), ("John", "Smith", "John Smith"), ("", "欧阳", "欧阳"), ("娜", "", "娜"), ("", "", "")],
)
def test_names_keep_their_own_order(first: str, last: str, name: str) -> None:
    assert _name(first, last) == name


def test_the_title_is_the_first_line_shortened() -> None:
    assert _title("井盖缺失\n已有行人摔伤") == "井盖缺失"
    long = "长" * 100
    assert _title(long) == "长" * 79 + "…" and len(_title(long)) == 80


def test_documents_follow_the_spark_convention() -> None:
    document = {"a": "", "b": Many("item", [{"c": True, "d": 1.5}, {"c": False, "d": None}])}

    assert to_xml("root", document) == (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<root><a></a><b><item><c>true</c><d>1.5</d></item><item><c>false</c><d></d></item></b></root>"
    )
    assert to_json(document) == '{"a": null, "b": [{"c": true, "d": 1.5}, {"c": false, "d": null}]}'
    assert to_json(Many("x", [])) == "[]" and to_xml("errors", Many("error", [])).endswith("<errors></errors>")


def test_w3c_times_carry_the_offset() -> None:
    from minsheng.open311.views import w3c

    assert w3c(dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)) == "2026-03-01T09:30:00+08:00"
