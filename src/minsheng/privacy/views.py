"""Reveal a petitioner's full personal data (with a reason); the reveal log; exports. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.petitions.access import petitioner_for_user
from minsheng.petitions.selectors import PetitionFilters
from minsheng.privacy import services
from minsheng.privacy.access import REVEAL_AUDITORS, export_for_user, exports_visible_to, reveal_logs_visible_to
from minsheng.privacy.forms import RevealForm
from minsheng.workbench.forms import PetitionFilterForm
from minsheng.workbench.views import StaffRequest, staff_required


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def reveal(request: StaffRequest, petitioner_id: int) -> HttpResponse:
    petitioner = petitioner_for_user(request.user, petitioner_id)
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.petitioner_reveal(
                actor=Actor.staff(request.user),
                petitioner=petitioner,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
    response = render(
        request,
        "privacy/reveal.html",
        {"petitioner": petitioner, "petition": petitioner.petition, "form": form, "revealed": revealed},
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def reveal_log(request: StaffRequest) -> HttpResponse:
    if not request.user.has_any_role(*REVEAL_AUDITORS):
        raise Http404
    logs = reveal_logs_visible_to(request.user).select_related("user", "unit", "petition", "petitioner")
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/reveal_log.html", {"page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def exports(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = PetitionFilterForm(request.POST)
        filters = PetitionFilters()
        if form.is_valid():
            filters = PetitionFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
        try:
            export = services.petitions_export(actor=Actor.staff(request.user), filters=filters)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已生成导出文件（%(n)d 件），个人信息已遮蔽。文件保留 %(days)d 天，仅您本人可以下载。")
                % {"n": export.rows, "days": (export.expires_at - export.created_at).days},
            )
        return redirect("privacy:exports")
    items = exports_visible_to(request.user).filter(removed_at__isnull=True)[:50]
    return render(request, "privacy/exports.html", {"exports": items})


@staff_required
def export_download(request: StaffRequest, export_id: int) -> FileResponse:
    export = export_for_user(request.user, export_id)
    if not export.file:
        raise Http404
    services.export_download_record(actor=Actor.staff(request.user), export=export)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
