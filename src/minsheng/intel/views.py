"""Staff pages of text intelligence. Thin: parse, call the service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.intel.models import MatterLink
from minsheng.intel.services import matter_unlink
from minsheng.petitions.access import petitions_visible_to
from minsheng.workbench.views import StaffRequest, staff_required


def link_for_user(user: object, link_id: int) -> MatterLink:
    """A repeat link of a petition the user may see; anything else is 404 like a missing one."""
    try:
        return MatterLink.objects.select_related("petition", "earlier").get(
            pk=int(link_id), petition__in=petitions_visible_to(user)
        )
    except (MatterLink.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@staff_required
@require_POST
def link_unlink(request: StaffRequest, link_id: int) -> HttpResponse:
    link = link_for_user(request.user, link_id)
    try:
        matter_unlink(actor=Actor.staff(request.user), link=link, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("workbench:petition", petition_id=link.petition_id)
