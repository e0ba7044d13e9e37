"""The registrar confirms or corrects the routing suggestion. Thin: parse, call the service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.intel.routing.selectors import suggest_for_petition
from minsheng.intel.routing.services import routing_feedback_record
from minsheng.orgs.models import Unit
from minsheng.petitions.access import petition_for_user
from minsheng.petitions.models import Category
from minsheng.workbench.views import StaffRequest, staff_required


def _pick(model: type[Category] | type[Unit], raw: str | None, **filters: object) -> tuple[bool, object | None]:
    if not raw:
        return True, None
    if not raw.isdigit():
        return False, None
    found = model.objects.filter(pk=int(raw), is_active=True, **filters).first()  # type: ignore[attr-defined]
    return found is not None, found


@staff_required
@require_POST
def choose(request: StaffRequest, petition_id: int) -> HttpResponse:
    petition = petition_for_user(request.user, petition_id)
    ok_category, category = _pick(Category, request.POST.get("category"))
    ok_unit, unit = _pick(Unit, request.POST.get("unit"), kind=Unit.Kind.DEPARTMENT)
    if not ok_category or not ok_unit:
        messages.error(request, _("所选的分类或承办单位不存在或已停用，未做修改。"))
        return redirect("workbench:petition", petition_id=petition.pk)
    try:
        feedback = routing_feedback_record(
            actor=Actor.staff(request.user),
            petition=petition,
            suggestion=suggest_for_petition(petition),
            category=category,  # type: ignore[arg-type]
            unit=unit,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已记录您的修正，模型下次训练时会学习。") if feedback.is_correction else _("已确认分流建议。"),
        )
    return redirect("workbench:petition", petition_id=petition.pk)
