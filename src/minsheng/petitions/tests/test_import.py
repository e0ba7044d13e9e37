"""`minsheng import-messages`: the portal's export and generic files, bad rows reported."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minsheng.petitions.importers import clean_text, parse_datetime
from minsheng.petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_it_removes_the_portals_padding() -> None:
    assert (
        clean_text("\n\t\t\t\t\t\n\t\t\t\t\t第一段。\n\t\t\t\t\t第二段。\n\t\t\t\t\t\n\t\t\t\t") == "第一段。\n第二段。"
    )


@pytest.mark.parametrize("text", ["2019/1/8 9:32:09", "2019-01-08 09:32:09", "2019/01/08 09:32"])
def test_it_reads_the_mixed_date_formats(text: str) -> None:
    parsed = parse_datetime(text)
    assert (parsed.year, parsed.month, parsed.day, parsed.hour) == (2019, 1, 8, 9)
    assert parsed.tzinfo is not None


@pytest.mark.data
def test_it_imports_the_whole_hot_topics_file(org: Any, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import-messages", str(data_dir / "wenzheng_messages_hot.csv"), unit=str(org.units.province.pk))
    assert Petition.objects.filter(source="wenzheng").count() == 4326
    assert "已导入 4326 条" in capsys.readouterr().out
    sample = Petition.objects.get(source="wenzheng", source_ref="360100")
    assert "\t" not in sample.facts and not sample.facts.startswith("\n")
    assert sample.petitioners.get().external_ref
    # re-running skips what is already there
    call_command("import-messages", str(data_dir / "wenzheng_messages_hot.csv"), unit=str(org.units.province.pk))
    assert Petition.objects.filter(source="wenzheng").count() == 4326


def _write(tmp_path: Path, text: str, name: str = "messages.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_broken_row_is_reported_with_its_number_and_the_good_ones_go_in(
    org: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        "留言编号,留言用户,留言主题,留言时间,留言详情\n"
        "1,U1,路灯不亮,2019/1/8 9:32:09,晚上很黑\n"
        "2,U2,,2019/1/8 9:32:09,没有标题\n"
        "3,U3,噪音扰民,昨天晚上,工地施工\n"
        "4,U4,拖欠工资,2019-01-09 10:00:00,\n"
        "1,U5,重复编号,2019/1/10 9:00:00,重复\n",
    )
    call_command("import-messages", str(path), unit=str(org.units.a.pk))
    captured = capsys.readouterr()
    assert "第3行" in captured.err and "请填写标题" in captured.err
    assert "第4行" in captured.err and "时间“昨天晚上”无法识别" in captured.err
    assert "第5行" in captured.err and "事实和理由" in captured.err
    assert "第6行" in captured.err and "编号 1 在文件中重复出现" in captured.err
    assert "已导入 1 条" in captured.out
    assert Petition.objects.count() == 1


def test_a_file_without_the_needed_columns_imports_nothing(org: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(CommandError, match="未导入任何数据：无法识别文件格式"):
        call_command("import-messages", str(path), unit=str(org.units.a.pk))
    assert Petition.objects.count() == 0


def test_a_generic_file_is_imported_with_a_column_mapping(org: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "Subject,Body,When,Id\n井盖缺失,路口井盖丢失多日,2024-05-01 08:00:00,A-1\n")
    call_command(
        "import-messages",
        str(path),
        unit=str(org.units.a.pk),
        source="hotline",
        map=["title=Subject", "facts=Body", "received_at=When", "source_ref=Id"],
        channel="hotline_12345",
    )
    petition = Petition.objects.get()
    assert (petition.title, petition.channel, petition.source_ref) == ("井盖缺失", "hotline_12345", "A-1")


def test_a_mapping_to_an_unknown_field_is_refused(org: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "Subject,Body\nx,y\n")
    with pytest.raises(CommandError, match="未知字段“subject”"):
        call_command("import-messages", str(path), unit=str(org.units.a.pk), map=["subject=Subject", "facts=Body"])


def test_an_excel_file_is_imported(org: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"])
    sheet.append([7, "U7", "公交班次少", "2019/3/1 8:00:00", "早高峰等车半小时"])
    path = tmp_path / "messages.xlsx"
    book.save(path)
    call_command("import-messages", str(path), unit=str(org.units.a.pk))
    assert Petition.objects.get().title == "公交班次少"


def test_a_dry_run_checks_rows_but_imports_nothing(
    org: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "留言编号,留言用户,留言主题,留言时间,留言详情\n1,U1,路灯不亮,2019/1/8 9:32:09,晚上很黑\n")
    call_command("import-messages", str(path), unit=str(org.units.a.pk), dry_run=True)
    assert "可导入 1 条" in capsys.readouterr().out
    assert Petition.objects.count() == 0
