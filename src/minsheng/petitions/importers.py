"""Importing messages from other systems' exports (CSV or Excel) as petitions.

A file is checked as a whole first (readable, the mapped columns present, at least one row): if
it is unusable nothing is imported. Then each row is registered through the same service as a
staff registration, in its own savepoint: a bad row is reported with its row number and reason
and the others go in. Rows already imported (same source and id) are skipped, so an import can
be re-run after fixing the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.orgs.models import Unit
from minsheng.petitions.models import Category, Channel, Nature, Petition
from minsheng.petitions.services import PetitionerInput, PetitionInput, petition_register

TARGET_FIELDS = (
    "title",
    "facts",
    "request",
    "received_at",
    "source_ref",
    "user",
    "category",
    "reply",
    "replied_at",
)
REQUIRED_TARGETS = ("title", "facts")


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which petition field (target -> column)."""

    name: str
    columns: dict[str, str]
    # targets whose columns a file of this shape may lack (the labelled, unlabelled and replied
    # exports of the portal differ only in these)
    optional: frozenset[str] = frozenset()

    def present_in(self, header: list[str]) -> ColumnMapping:
        """This mapping without the optional columns the file does not have."""
        columns = {t: c for t, c in self.columns.items() if c in header or t not in self.optional}
        return ColumnMapping(self.name, columns, self.optional)


# The provincial portal's export (../shared/data/wenzheng_messages_*.csv).
WENZHENG = ColumnMapping(
    name="wenzheng",
    columns={
        "source_ref": "留言编号",
        "user": "留言用户",
        "title": "留言主题",
        "received_at": "留言时间",
        "facts": "留言详情",
        "category": "一级标签",
        # the replied export (附件4): the department's reply, imported as the case's decision
        "reply": "答复意见",
        "replied_at": "答复时间",
    },
    optional=frozenset({"category", "reply", "replied_at"}),
)
MAPPINGS = {WENZHENG.name: WENZHENG}


class ImportFileError(Exception):
    """The file as a whole cannot be used; nothing was imported."""


@dataclass
class RowProblem:
    row: int
    reason: str


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    skipped_existing: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


_PADDING = re.compile(r"[ \t\u3000]*\n[\s\u3000]*")
_DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%Y.%m.%d",
)


def clean_text(value: object) -> str:
    """Remove the portal's "\\n\\t\\t\\t" padding: one newline between paragraphs, no indentation."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _PADDING.sub("\n", text).strip()


def parse_datetime(value: object) -> dt.datetime:
    """Mixed formats (`2019/1/8 9:32:09`, `2019-01-08 09:32:09`, Excel dates) in local time."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        text = clean_text(value)
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, object]]], int]:
    """Header, (row number, values) pairs and the row count; row numbers are as a spreadsheet shows."""
    if not path.is_file():
        raise ImportFileError(_("找不到文件：%(path)s") % {"path": path})
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_excel(path)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV。"))
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式错误：%(error)s") % {"error": exc}) from None
    if not rows:
        raise ImportFileError(_("文件是空的。"))
    header = [h.strip() for h in rows[0]]
    body = rows[1:]

    def iterate() -> Iterator[tuple[int, dict[str, object]]]:
        # csv rows can span lines (quoted newlines); the number reported is the record's position.
        for index, values in enumerate(body, start=2):
            yield index, dict(zip(header, values, strict=False))

    return header, iterate(), len(body)


def _read_excel(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, object]]], int]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ImportFileError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ImportFileError(_("文件是空的。"))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]

    def iterate() -> Iterator[tuple[int, dict[str, object]]]:
        for index, values in enumerate(rows[1:], start=2):
            yield index, dict(zip(header, values, strict=False))

    return header, iterate(), len(rows) - 1


@dataclass
class ImportOptions:
    unit: Unit
    mapping: ColumnMapping
    channel: str = Channel.ONLINE
    nature: str = Nature.GRIEVANCE
    dry_run: bool = False
    batch: int = 250


def import_messages(
    path: Path, options: ImportOptions, *, actor: Actor, progress: Callable[[int], None] | None = None
) -> ImportReport:
    header, rows, count = read_table(path)
    options = replace(options, mapping=options.mapping.present_in(header))
    mapping = options.mapping.columns
    missing = [column for target, column in mapping.items() if column not in header]
    if missing:
        raise ImportFileError(
            _("文件缺少映射需要的列：%(missing)s。文件中的列：%(found)s")
            % {"missing": "、".join(missing), "found": "、".join(h for h in header if h) or _("（无）")}
        )
    if count == 0:
        raise ImportFileError(_("文件中没有数据行。"))
    categories = {c.name: c for c in Category.objects.filter(level=1)}
    source = options.mapping.name
    existing = set(Petition.objects.filter(source=source).values_list("source_ref", flat=True))
    report = ImportReport(total=count)
    seen: set[str] = set()
    now = timezone.now()
    pending = list(rows)
    for start in range(0, len(pending), options.batch):
        with transaction.atomic():
            for number, values in pending[start : start + options.batch]:
                _import_row(number, values, options, actor, categories, existing, seen, now, report)
                if progress:
                    progress(1)
            if options.dry_run:
                transaction.set_rollback(True)
    return report


def _import_row(
    number: int,
    values: dict[str, object],
    options: ImportOptions,
    actor: Actor,
    categories: dict[str, Category],
    existing: set[str],
    seen: set[str],
    now: dt.datetime,
    report: ImportReport,
) -> None:
    mapping = options.mapping.columns

    def get(target: str) -> str:
        return clean_text(values.get(mapping[target], "")) if target in mapping else ""

    ref = get("source_ref")
    if ref and ref in existing:
        report.skipped_existing += 1
        return
    if ref and ref in seen:
        report.problems.append(RowProblem(number, _("编号 %(ref)s 在文件中重复出现。") % {"ref": ref}))
        return
    received_at = None
    if "received_at" in mapping:
        raw_date = values.get(mapping["received_at"], "")
        try:
            received_at = parse_datetime(raw_date)
        except ValueError:
            report.problems.append(
                RowProblem(
                    number,
                    _("时间“%(value)s”无法识别（例：2019/1/8 9:32:09 或 2019-01-08 09:32:09）。")
                    % {"value": clean_text(raw_date)},
                )
            )
            return
    category = None
    label = get("category")
    if label:
        category = categories.get(label)
        if category is None:
            report.warnings.append(
                RowProblem(number, _("分类“%(label)s”不在分类树中，已按未分类导入。") % {"label": label})
            )
    reply = get("reply")
    replied_at = None
    if reply:
        raw_reply_date = values.get(mapping.get("replied_at", ""), "")
        try:
            replied_at = parse_datetime(raw_reply_date)
        except ValueError:
            report.problems.append(
                RowProblem(
                    number,
                    _("答复时间“%(value)s”无法识别（例：2019/1/8 9:32:09 或 2019-01-08 09:32:09）。")
                    % {"value": clean_text(raw_reply_date)},
                )
            )
            return
    title = get("title")
    data = PetitionInput(
        channel=options.channel,
        nature=options.nature,
        title=title,
        request=get("request") or title,
        facts=get("facts"),
        petitioners=[PetitionerInput(external_ref=get("user"))],
        category=category,
        received_at=received_at,
        source=options.mapping.name if ref else "",
        source_ref=ref,
    )
    try:
        with transaction.atomic():
            petition = petition_register(actor=actor, unit=options.unit, data=data).petition
            if reply and replied_at is not None:
                # the other system's answer becomes this case's written reply, marked as imported
                from minsheng.workflow.services import case_import_reply

                case_import_reply(actor=actor, petition=petition, opinion=reply, replied_at=replied_at)
    except ValidationError as exc:
        reasons = "；".join(m for messages in exc.message_dict.values() for m in messages)
        report.problems.append(RowProblem(number, reasons))
        return
    except DomainError as exc:
        report.problems.append(RowProblem(number, exc.message))
        return
    if ref:
        seen.add(ref)
    report.imported += 1


def mapping_from_pairs(pairs: list[str], name: str) -> ColumnMapping:
    """`--map title=Subject --map facts=Body ...` for files in other shapes."""
    columns: dict[str, str] = {}
    for pair in pairs:
        target, sep, column = pair.partition("=")
        target = target.strip()
        if not sep or not column.strip():
            raise ImportFileError(_("映射“%(pair)s”应写成 字段=列名，如 title=Subject。") % {"pair": pair})
        if target not in TARGET_FIELDS:
            raise ImportFileError(
                _("未知字段“%(target)s”；可用字段：%(fields)s") % {"target": target, "fields": ", ".join(TARGET_FIELDS)}
            )
        columns[target] = column.strip()
    absent = [t for t in REQUIRED_TARGETS if t not in columns]
    if absent:
        raise ImportFileError(_("映射缺少必需字段：%(fields)s") % {"fields": ", ".join(absent)})
    return ColumnMapping(name=name, columns=columns)
