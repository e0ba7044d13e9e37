"""The hot-topic dashboard of the staff workbench. Thin: a selector to read, a service to queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.actors import Actor
from minsheng.core.errors import NotAllowed
from minsheng.intel.topics.models import RunStatus
from minsheng.intel.topics.selectors import dashboard_for
from minsheng.intel.topics.services import RUN_ROLES, VIEW_ROLES, topic_run_request
from minsheng.workbench.views import StaffRequest, staff_required


@staff_required
def dashboard(request: StaffRequest) -> HttpResponse:
    if not request.user.has_any_role(*VIEW_ROLES):
        raise Http404
    board = dashboard_for(request.user)
    return render(
        request,
        "topics/dashboard.html",
        {"board": board, "may_run": request.user.has_any_role(*RUN_ROLES), "chart": board.chart},
    )


@staff_required
@require_POST
def recompute(request: StaffRequest) -> HttpResponse:
    try:
        run = topic_run_request(actor=Actor.staff(request.user))
        run.refresh_from_db()  # an immediate queue (a local run, the tests) has already run it
    except NotAllowed:
        raise Http404 from None
    if run.status == RunStatus.DONE:
        messages.success(request, _("热点已重新计算。"))
    elif run.status == RunStatus.FAILED:
        messages.error(request, _("热点计算失败：%(error)s") % {"error": run.error})
    else:
        messages.info(request, _("已开始在后台重新计算热点，完成后刷新本页即可看到。"))
    return redirect("topics:dashboard")
