"""docs/workflow.md is generated from the transition table: it fails here when it drifts."""

from __future__ import annotations

from pathlib import Path

from minsheng.workflow.docs import render
from minsheng.workflow.transitions import TABLE

DOC = Path(__file__).resolve().parents[4] / "docs" / "workflow.md"


def test_the_committed_workflow_doc_is_what_the_code_generates() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `minsheng workflow-docs` and commit docs/workflow.md"


def test_the_doc_names_every_transition_and_its_article() -> None:
    text = render()
    for row in TABLE:
        assert f"`{row.name}`" in text
    assert "| `request_review` | 受理复查请求 | Take a review request | `decided` | `review` |" in text
    assert "stateDiagram-v2" in text and "decided --> review: request_review" in text
