"""Reading training and evaluation CSVs in the portal's formats, with clear messages for bad input."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from minsheng.intel.routing.engine import LABELS, Sample

TITLE, BODY, LABEL = "留言主题", "留言详情", "一级标签"
TREE_COLUMNS = ("一级分类", "二级分类", "三级分类")
MESSAGE_COLUMNS = ("留言编号", "留言用户", TITLE, "留言时间", BODY, LABEL)

# The labelled files in ../shared/data and the unlabelled messages used for self-training.
DEFAULT_FILES = (
    "wenzheng_messages_labeled.csv",
    "wenzheng_titles_labeled.csv",
    "wenzheng_category_tree.csv",
    "wenzheng_messages_hot.csv",
    "wenzheng_messages_replies.csv",
)


class DataError(Exception):
    """Input that cannot be used, with one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Dataset:
    name: str
    kind: str  # "messages" (title, body, label), "titles" (title, label), "tree" or "unlabelled"
    samples: list[Sample]
    rows: int
    sha256: str
    skipped: int = 0

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "rows": self.rows,
            "used": len(self.samples),
            "sha256": self.sha256,
        }


@dataclass
class TrainingData:
    messages: list[Sample] = field(default_factory=list)
    titles: list[Sample] = field(default_factory=list)
    tree: list[Sample] = field(default_factory=list)
    unlabelled: list[Sample] = field(default_factory=list)
    files: list[dict[str, object]] = field(default_factory=list)


def default_data_dir() -> Path:
    return Path(settings.MINSHENG_DATA_DIR)


def default_files() -> list[Path]:
    folder = default_data_dir()
    return [folder / name for name in DEFAULT_FILES if (folder / name).exists()]


def read_csv(path: Path, *, require_labels: bool = False, messages_only: bool = False) -> Dataset:
    """Read one CSV; its kind follows from its columns. Unknown labels and missing columns are errors."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([_("文件不存在：%(file)s") % {"file": path}]) from None
    except OSError as exc:
        raise DataError([_("无法读取文件 %(file)s：%(error)s") % {"file": path, "error": exc}]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError([_("文件 %(file)s 不是 UTF-8 编码的 CSV。") % {"file": path}]) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    if not messages_only and set(TREE_COLUMNS) <= set(columns):
        return _read_tree(path, raw, reader)
    has_body, has_label = BODY in columns, LABEL in columns
    if messages_only:
        missing = [c for c in MESSAGE_COLUMNS if c not in columns]
    else:
        missing = [c for c in (TITLE, *([LABEL] if require_labels else [])) if c not in columns]
        if not has_body and not has_label:
            missing.append(f"{BODY}/{LABEL}")
    if missing:
        raise DataError(
            [
                _("文件 %(file)s 缺少列：%(missing)s（实际的列：%(columns)s）")
                % {"file": path.name, "missing": ", ".join(missing), "columns": ", ".join(columns) or _("（空）")}
            ]
        )
    kind = "messages" if has_body and has_label else ("titles" if has_label else "unlabelled")
    problems: list[str] = []
    samples: list[Sample] = []
    rows = skipped = 0
    for number, row in enumerate(reader, start=2):
        rows += 1
        title = (row.get(TITLE) or "").strip()
        body = (row.get(BODY) or "") if has_body else ""
        label = (row.get(LABEL) or "").strip() if has_label else ""
        if has_label and label not in LABELS:
            problems.append(
                _("%(file)s 第%(row)d行：未知的一级标签“%(label)s”（可用：%(labels)s）")
                % {"file": path.name, "row": number, "label": label, "labels": "、".join(LABELS)}
            )
            continue
        if not title and not body.strip():
            skipped += 1
            continue
        samples.append(Sample(title=title, body=body, label=label))
    if problems:
        shown = problems[:20]
        if len(problems) > len(shown):
            shown.append(_("……共 %(n)d 处问题。") % {"n": len(problems)})
        raise DataError(shown)
    if not samples:
        raise DataError([_("文件 %(file)s 中没有可用的数据行。") % {"file": path.name}])
    return Dataset(
        name=path.name,
        kind=kind,
        samples=samples,
        rows=rows,
        sha256=hashlib.sha256(raw).hexdigest(),
        skipped=skipped,
    )


def _read_tree(path: Path, raw: bytes, reader: csv.DictReader[str]) -> Dataset:
    """The portal's category tree: each second- and third-level name is a short labelled sample
    of its first-level class (only the seven classes the model predicts; the others are skipped)."""
    samples, rows = [], 0
    for row in reader:
        rows += 1
        label = (row.get(TREE_COLUMNS[0]) or "").strip()
        name = "".join((row.get(c) or "").strip() for c in TREE_COLUMNS[1:])
        if label in LABELS and name:
            samples.append(Sample(title=name, body="", label=label))
    if not samples:
        raise DataError([_("文件 %(file)s 中没有可用的数据行。") % {"file": path.name}])
    return Dataset(
        name=path.name,
        kind="tree",
        samples=samples,
        rows=rows,
        sha256=hashlib.sha256(raw).hexdigest(),
        skipped=rows - len(samples),
    )


def read_training_files(paths: list[Path]) -> TrainingData:
    """Read every file first, so one bad file stops the training before any work is done."""
    data = TrainingData()
    problems: list[str] = []
    for path in paths:
        try:
            dataset = read_csv(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        {"messages": data.messages, "titles": data.titles, "tree": data.tree, "unlabelled": data.unlabelled}[
            dataset.kind
        ].extend(dataset.samples)
        data.files.append(dataset.describe())
    if problems:
        raise DataError(problems)
    if not data.messages and not data.titles:
        raise DataError([_("训练数据中没有带一级标签的行（需要“一级标签”列）。")])
    return data
