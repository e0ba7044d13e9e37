"""The category tree: the shipped default and CSV imports by admins.

Two CSV shapes are accepted:
  * `code,name,name_en,parent_code` — our own export format (codes nest: 01, 0101, ...);
  * level columns (`一级分类,二级分类,三级分类` or `level1,level2,...`) — a path per row, as
    portals publish their trees; codes are assigned under each parent.
An import is all-or-nothing: any bad row is reported with its row number and nothing changes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.petitions.models import Category

DEFAULT_TREE = Path(__file__).parent / "data" / "default_categories.csv"
CODE_COLUMNS = ["code", "name", "name_en", "parent_code"]
LEVEL_PREFIXES = ("一级", "二级", "三级", "四级", "五级", "level")


class CategoryImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


def _read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    return header, rows


def _level_columns(header: list[str]) -> list[str]:
    return [h for h in header if h.startswith(LEVEL_PREFIXES)]


def _plan_from_codes(rows: list[dict[str, str]], problems: list[str]) -> list[tuple[str, str, str, str]]:
    known = set(Category.objects.values_list("code", flat=True))
    in_file: dict[str, str] = {}
    plan = []
    for number, row in enumerate(rows, start=2):
        code, name, parent = row.get("code", ""), row.get("name", ""), row.get("parent_code", "")
        if not code or not name:
            problems.append(_("第%(row)d行：编码和名称不能为空。") % {"row": number})
            continue
        if len(code) > 32 or len(name) > 100:
            problems.append(_("第%(row)d行：编码不能超过32个字符，名称不能超过100个字。") % {"row": number})
            continue
        if code in in_file:
            problems.append(_("第%(row)d行：编码 %(code)s 重复出现。") % {"row": number, "code": code})
            continue
        if parent and parent not in in_file and parent not in known:
            problems.append(
                _("第%(row)d行：上级编码 %(parent)s 不存在（上级须写在下级之前）。") % {"row": number, "parent": parent}
            )
            continue
        in_file[code] = name
        plan.append((code, name, row.get("name_en", ""), parent))
    return plan


def _plan_from_levels(
    rows: list[dict[str, str]], columns: list[str], problems: list[str]
) -> list[tuple[str, str, str, str]]:
    existing = {(c.parent.code if c.parent else "", c.name): c.code for c in Category.objects.select_related("parent")}
    taken = set(existing.values())
    plan: list[tuple[str, str, str, str]] = []

    def child_code(parent: str) -> str:
        n = 1
        while f"{parent}{n:02d}" in taken:
            n += 1
        return f"{parent}{n:02d}"

    for number, row in enumerate(rows, start=2):
        names = [row.get(c, "") for c in columns]
        while names and not names[-1]:
            names.pop()
        if not names or "" in names:
            problems.append(_("第%(row)d行：分类层级不完整（上级为空而下级有值，或整行为空）。") % {"row": number})
            continue
        if any(len(n) > 100 for n in names):
            problems.append(_("第%(row)d行：名称不能超过100个字。") % {"row": number})
            continue
        parent = ""
        for name in names:
            code = existing.get((parent, name))
            if code is None:
                code = child_code(parent)
                taken.add(code)
                existing[(parent, name)] = code
                plan.append((code, name, "", parent))
            parent = code
    return plan


@transaction.atomic
def category_tree_import(*, actor: Actor, text: str) -> ImportSummary:
    header, rows = _read_rows(text)
    problems: list[str] = []
    if set(CODE_COLUMNS[:2]) <= set(header):
        plan = _plan_from_codes(rows, problems)
    elif _level_columns(header):
        plan = _plan_from_levels(rows, _level_columns(header), problems)
    else:
        raise CategoryImportError(
            [
                _(
                    "无法识别的分类文件：需要列 code,name,name_en,parent_code，或“一级分类,二级分类,…”层级列。实际的列：%(cols)s"
                )
                % {"cols": ", ".join(header) or _("（空）")}
            ]
        )
    if not rows:
        problems.append(_("文件中没有分类。"))
    if problems:
        raise CategoryImportError(problems)
    by_code = {c.code: c for c in Category.objects.all()}
    created = updated = 0
    for code, name, name_en, parent_code in plan:
        parent = by_code[parent_code] if parent_code else None
        level = parent.level + 1 if parent else 1
        category = by_code.get(code)
        if category is None:
            category = Category.objects.create(
                code=code, name=name, name_en=name_en, parent=parent, level=level, sort=len(by_code)
            )
            by_code[code] = category
            created += 1
        elif (category.name, category.name_en, category.parent_id, category.level) != (
            name,
            name_en or category.name_en,
            parent.pk if parent else None,
            level,
        ):
            category.name, category.parent, category.level = name, parent, level
            category.name_en = name_en or category.name_en
            category.save()
            updated += 1
    audit_append(
        actor=actor, action="category.import", object_type="category", data={"created": created, "updated": updated}
    )
    return ImportSummary(created=created, updated=updated)


def category_default_tree_load(*, actor: Actor) -> ImportSummary:
    return category_tree_import(actor=actor, text=DEFAULT_TREE.read_text(encoding="utf-8"))
