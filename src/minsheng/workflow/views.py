"""Workflow pages of the staff workbench: the inboxes, one page per action, the documents.

Thin: parse (a form built from the transition table), call a selector or the service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, DomainError, NotAllowed
from minsheng.petitions.access import petition_for_user, petitions_visible_to
from minsheng.workbench.views import StaffRequest, staff_required
from minsheng.workflow import documents
from minsheng.workflow.conditions import Check, label_of
from minsheng.workflow.engine import STATUS_LABELS, TransitionRefused, acting_unit, refusal_of, who_may
from minsheng.workflow.forms import action_form, cleaned_for_service
from minsheng.workflow.models import Decision, NoticeKind
from minsheng.workflow.selectors import BOX_BY_CODE, case_ensure, inbox, inbox_counts, inbox_rows
from minsheng.workflow.services import action_run
from minsheng.workflow.transitions import TRANSITIONS


@staff_required
def inbox_page(request: StaffRequest) -> HttpResponse:
    counts = inbox_counts(request.user)
    if not counts:
        return render(request, "workflow/inbox.html", {"counts": [], "box": None, "rows": [], "page": None})
    wanted = request.GET.get("box", "")
    box = BOX_BY_CODE.get(wanted) if wanted in {b.code for b, _n in counts} else None
    if box is None:
        box = next((b for b, n in counts if n), counts[0][0])
    page = Paginator(inbox(request.user, box.code), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workflow/inbox.html",
        {"counts": counts, "box": box, "rows": inbox_rows(page.object_list, box), "page": page},
    )


def _refusal_html(message: str, petition_id: int | None, number: str) -> Any:
    if petition_id is None:
        return message
    return format_html(
        '{} <a class="alert-link" href="{}">{}</a>',
        message,
        reverse("workbench:petition", args=[petition_id]),
        _("查看原信访事项 %(number)s") % {"number": number},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_page(request: StaffRequest, petition_id: int, name: str) -> HttpResponse:
    petition = petition_for_user(request.user, petition_id)
    row = TRANSITIONS.get(name)
    if row is None or row.via_registration:
        raise Http404
    case = case_ensure(petition)
    case.petition = petition
    actor = Actor.staff(request.user)
    blocked = who_may(row, actor, petition, case)
    refusal = None if blocked else refusal_of(row, Check(actor=actor, petition=petition, case=case))
    acting = acting_unit(row, petition, case)
    form = action_form(row, petition=petition, acting=acting, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and blocked is None and form.is_valid():
        try:
            action_run(actor=actor, petition=petition, action=name, data=cleaned_for_service(row, form))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except TransitionRefused as exc:
            refusal, status = exc.refusal, 409
        except (Conflict, NotAllowed) as exc:
            messages.error(request, exc.message)
            status = 409
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已办理：%(action)s。") % {"action": row.label})
            return redirect("workbench:petition", petition_id=petition.pk)
    return render(
        request,
        "workflow/action.html",
        {
            "petition": petition,
            "case": case,
            "row": row,
            "form": form,
            "blocked": blocked,
            "refusal": _refusal_html(refusal.message, refusal.petition_id, refusal.petition_number)
            if refusal
            else None,
            "preconditions": [label_of(c) for c in row.preconditions],
            "effects": [e.describe() for e in row.effects],
            "target_label": STATUS_LABELS.get(row.target, "") if row.target else "",
            "notice_label": NoticeKind(row.notice).label if row.notice else "",
        },
        status=status,
    )


@staff_required
def decision_download(request: StaffRequest, decision_id: int) -> HttpResponse:
    decision = (
        Decision.objects.select_related("case__petition", "case__ruleset__policy", "unit")
        .filter(pk=decision_id, case__petition__in=petitions_visible_to(request.user))
        .first()
    )
    if decision is None:
        raise Http404
    response = HttpResponse(documents.decision_pdf(decision), content_type="application/pdf")
    # Always a download, never rendered by the browser (uploads and documents alike).
    response["Content-Disposition"] = f'attachment; filename="{documents.decision_filename(decision)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
