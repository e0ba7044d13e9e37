from pathlib import Path

import pytest

from minsheng.core.actors import Actor
from minsheng.petitions.categories import CategoryImportError, category_tree_import
from minsheng.petitions.models import Category

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def test_the_product_ships_a_default_category_tree() -> None:
    assert Category.objects.filter(level=1).count() == 17
    housing = Category.objects.get(code="0101")
    assert (housing.name, housing.parent.name, housing.name_en) == ("住房保障", "城乡建设", "Housing assistance")


def test_a_tree_in_level_columns_is_added_under_matching_parents() -> None:
    summary = category_tree_import(
        actor=SYSTEM, text="一级分类,二级分类,三级分类\n城乡建设,住房保障,公租房\n新领域,子类,\n"
    )
    assert summary.created == 3
    assert Category.objects.get(name="公租房").parent.code == "0101"
    assert Category.objects.get(name="子类").parent.name == "新领域"


def test_a_bad_tree_file_reports_each_row_and_changes_nothing() -> None:
    before = Category.objects.count()
    with pytest.raises(CategoryImportError) as exc:
        category_tree_import(actor=SYSTEM, text="code,name,name_en,parent_code\n99,甲,,\n9901,,,99\n9902,乙,,77\n")
    assert exc.value.problems == ["第3行：编码和名称不能为空。", "第4行：上级编码 77 不存在（上级须写在下级之前）。"]
    assert Category.objects.count() == before


@pytest.mark.data
def test_the_portals_three_level_tree_imports(data_dir: Path) -> None:
    text = (data_dir / "wenzheng_category_tree.csv").read_text(encoding="utf-8")
    summary = category_tree_import(actor=SYSTEM, text=text)
    assert summary.created > 400
    assert Category.objects.filter(level=3).exists()


def test_unknown_columns_are_refused_with_the_columns_found() -> None:
    with pytest.raises(CategoryImportError, match="实际的列：foo, bar"):
        category_tree_import(actor=SYSTEM, text="foo,bar\n1,2\n")
