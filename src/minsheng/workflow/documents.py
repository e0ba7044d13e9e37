"""The written documents of a case (处理意见书, 复查/复核意见书, agreements, replies) as PDF.

Rendered on demand from the stored Decision, so the document is never a second copy that could
disagree with the record. WeasyPrint with the WenQuanYi Micro Hei font (Debian fonts-wqy-microhei).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from minsheng.orgs.selectors import unit_next_higher
from minsheng.workflow.deadlines import rule_for
from minsheng.workflow.models import Decision, DecisionKind
from minsheng.workflow.steps import Step


def _remedy(decision: Decision) -> dict[str, Any] | None:
    """The next step open to the petitioner, as the document must tell them (R22 Art. 35–36)."""
    case = decision.case
    if decision.kind == DecisionKind.DECISION:
        step, higher = Step.REVIEW_REQUEST, unit_next_higher(decision.unit)
    elif decision.kind == DecisionKind.REVIEW:
        step, higher = Step.REREVIEW_REQUEST, unit_next_higher(decision.unit)
    else:
        return None
    rule = rule_for(case.ruleset, step, case.petition.nature)
    if rule is None or higher is None:
        return None
    return {
        "days": rule.length,
        "unit": higher.name,
        "citation": f"{case.ruleset.policy.name}{rule.article}",
        "step": step,
    }


def decision_context(decision: Decision) -> dict[str, Any]:
    case = decision.case
    petition = case.petition
    names = [p.name for p in petition.petitioners.all() if p.name]
    sequence = list(case.decisions.order_by("issued_at", "id").values_list("pk", flat=True)).index(decision.pk) + 1
    return {
        "decision": decision,
        "petition": petition,
        "case": case,
        "petitioners": "、".join(names) if names else "（未留姓名）",
        "issued_on": timezone.localtime(decision.issued_at).date(),
        "document_number": f"{petition.number}-{sequence:02d}",
        "remedy": _remedy(decision),
        "hearing": case.hearings.exclude(conclusion="").order_by("-id").first()
        if decision.kind == DecisionKind.REREVIEW
        else None,
        "final": decision.kind == DecisionKind.REREVIEW,
    }


def decision_html(decision: Decision) -> str:
    # The document is addressed to the petitioner: always Chinese.
    with translation.override("zh-hans"):
        return render_to_string("workflow/decision_document.html", decision_context(decision))


STYLESHEET = Path(__file__).parent / "static" / "workflow" / "decision.css"


def decision_pdf(decision: Decision) -> bytes:
    from weasyprint import CSS, HTML

    pdf: bytes = HTML(string=decision_html(decision)).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf


def decision_filename(decision: Decision) -> str:
    return f"{decision.case.petition.number}-{decision.kind}-{decision.pk}.pdf"
