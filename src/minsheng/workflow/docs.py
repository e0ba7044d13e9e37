"""docs/workflow.md, generated from the transition table and the shipped policies, so the
documentation cannot drift from the code (`minsheng workflow-docs`; a test compares)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from minsheng.orgs.roles import Role
from minsheng.petitions.models import Nature
from minsheng.workflow.conditions import describe
from minsheng.workflow.models import NoticeKind
from minsheng.workflow.seed import POLICIES
from minsheng.workflow.states import TERMINAL, Status
from minsheng.workflow.steps import STEP_KIND, DayKind, StartEvent, Step
from minsheng.workflow.transitions import TABLE, Transition

UNIT_WORDS = {
    "handling": "the handling unit",
    "review": "the review body",
    "rereview": "the re-review body",
    "review_body": "the next-higher body of the handling unit (it receives the request)",
    "rereview_body": "the body above the review body (it receives the request)",
    "current": "whichever of these holds the case now",
}


def _both(text: Any) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh, en


def _label(choices: Any, value: str) -> str:
    zh, en = _both(dict(choices.choices)[value])
    return f"{zh} ({en})" if zh != en else zh


def _states(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values) if values else "—"


def _row_summary(row: Transition) -> str:
    zh, en = _both(row.label)
    article_zh, article_en = _both(row.article) if row.article else ("", "")
    article = f"{article_zh}<br>{article_en}" if article_zh != article_en else article_zh
    target = f"`{row.target}`" if row.target else "(unchanged)"
    roles = ", ".join([*sorted(row.roles), *(["citizen"] if row.citizen else []), *(["system"] if row.system else [])])
    return f"| `{row.name}` | {zh} | {en} | {_states(row.sources)} | {target} | {roles} | {article or '—'} |"


def _row_detail(row: Transition) -> list[str]:
    zh, en = _both(row.label)
    description_zh, description_en = _both(row.description)
    lines = [f"### `{row.name}` — {zh} ({en})", "", f"{description_zh}", "", f"*{description_en}*", ""]
    natures = "all" if row.natures == frozenset(Nature.values) else ", ".join(sorted(row.natures))
    lines.append(f"- **From → to:** {_states(row.sources)} → {f'`{row.target}`' if row.target else 'unchanged'}")
    if row.roles:
        who = (
            f"{', '.join(sorted(row.roles))} of {UNIT_WORDS[row.acting_unit]}"
            + ("; the petitioner through the portal" if row.citizen else "")
            + ("; the daily job" if row.system else "")
        )
    else:  # a step only the system takes, while importing (import_reply)
        who = "the system only, while importing (`minsheng import-messages`)"
    lines.append(f"- **Who:** {who}")
    lines.append(f"- **Natures:** {natures}")
    if row.preconditions:
        lines.append("- **Preconditions:** " + "; ".join(f"`{c.__name__}` — {describe(c)}" for c in row.preconditions))
    if row.effects:
        lines.append(
            "- **Deadlines:** "
            + "; ".join(
                f"{e.op} `{e.step}`" + (f" (owed by {e.unit})" if e.op == "start" and e.unit != "none" else "")
                for e in row.effects
            )
        )
    if row.notice:
        lines.append(f"- **Notice to the petitioner:** {_label(NoticeKind, row.notice)}")
    if row.fields:
        fields = ", ".join(f"`{f.name}` ({f.type}{'' if f.required else ', optional'})" for f in row.fields)
        lines.append(f"- **Fields:** {fields}")
    lines.append(f"- **Public event:** {'yes' if row.public else 'no (staff only)'}")
    lines.append("")
    return lines


def _diagram() -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2", "    [*] --> registered: register"]
    seen: set[tuple[str, str, str]] = set()
    for row in TABLE:
        if row.target is None or not row.sources:
            continue
        for source in row.sources:
            key = (source, row.target, row.name)
            if key not in seen:
                seen.add(key)
                lines.append(f"    {source} --> {row.target}: {row.name}")
    for state in sorted(TERMINAL):
        lines.append(f"    {state} --> [*]")
    lines.append("```")
    return lines


def _policies() -> list[str]:
    lines: list[str] = []
    for spec in POLICIES:
        lines += [
            f"### {spec.code} — {spec.name} ({spec.name_en})",
            "",
            f"In force from {spec.effective_from.isoformat()}{' — the default policy' if spec.is_default else ''}; "
            f"long overdue after {spec.long_overdue_days} days past due; calendar-day periods roll forward (CC Art. 203).",
            "",
            "| step | kind | length | counted from | nature | article |",
            "|---|---|---|---|---|---|",
        ]
        for rule in spec.rules:
            unit = "working days" if rule.day_kind == DayKind.WORKING else "days"
            lines.append(
                f"| `{rule.step}` {_label(Step, rule.step)} | {STEP_KIND[rule.step]} | {rule.length} {unit} | "
                f"{_label(StartEvent, rule.start_event)} | {rule.nature or 'all'} | {rule.article} ({rule.article_en}) |"
            )
        lines.append("")
    return lines


def render() -> str:
    out: list[str] = [
        "# The statutory workflow (generated)",
        "",
        "<!-- Generated by `minsheng workflow-docs` from src/minsheng/workflow/transitions.py and seed.py.",
        "     Do not edit by hand: src/minsheng/workflow/tests/test_docs.py fails when this file differs. -->",
        "",
        "Every step a petition can take under the Regulation on Petition Work (R22), as the code enforces it.",
        "Articles are R22's unless named. How deadlines are counted and shown: [workflow-design.md](workflow-design.md).",
        "",
        "## States",
        "",
        "| state | 中文 | English | ends the matter |",
        "|---|---|---|---|",
    ]
    for value, _label_text in Status.choices:
        zh, en = _both(dict(Status.choices)[value])
        out.append(f"| `{value}` | {zh} | {en} | {'yes' if value in TERMINAL else ''} |")
    out += [
        "",
        "## Transitions",
        "",
        "| action | 中文 | English | from | to | roles | article (R22) |",
        "|---|---|---|---|---|---|---|",
    ]
    out += [_row_summary(row) for row in TABLE]
    out += ["", "## Diagram", "", *_diagram(), "", "## Each transition", ""]
    for row in TABLE:
        out += _row_detail(row)
    out += ["## Roles", "", "| role | 中文 | English |", "|---|---|---|"]
    for value, _label_text in Role.choices:
        zh, en = _both(dict(Role.choices)[value])
        out.append(f"| `{value}` | {zh} | {en} |")
    out += ["", "## Deadline policies shipped with the system", "", *_policies()]
    return "\n".join(out).rstrip() + "\n"
