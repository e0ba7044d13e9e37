"""Staff workbench pages. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minsheng.accusations.services import accusation_register
from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.orgs.models import User
from minsheng.orgs.roles import Role
from minsheng.petitions.access import attachment_for_user, petition_for_user, petitions_visible_to
from minsheng.petitions.events import ACTION_LABELS
from minsheng.petitions.models import Channel, Nature
from minsheng.petitions.selectors import PetitionFilters, petition_detail, petition_list
from minsheng.petitions.services import PetitionerInput, PetitionInput, ProxyInput, UploadInput, petition_register
from minsheng.workbench.forms import PetitionerFormSet, PetitionFilterForm, RegistrationForm
from minsheng.workflow.states import Status

View = Callable[..., HttpResponseBase]


class StaffRequest(HttpRequest):
    """A request from signed-in staff with a unit (guaranteed by `staff_required`)."""

    user: User


def staff_required(view: View) -> View:
    """Signed-in staff with a unit: everyone else is sent to the login page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request.user, "unit_id", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def home(request: StaffRequest) -> HttpResponse:
    visible = petitions_visible_to(request.user)
    by_status = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    counts = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    recent = visible.select_related("handling_unit").order_by("-received_at", "-id")[:10]
    return render(
        request,
        "workbench/home.html",
        {"counts": counts, "recent": recent, "total": sum(by_status.values())},
    )


@staff_required
def petitions(request: StaffRequest) -> HttpResponse:
    form = PetitionFilterForm(request.GET or None)
    filters = PetitionFilters()
    if form.is_valid():
        filters = PetitionFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    page = Paginator(petition_list(user=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workbench/petition_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@staff_required
def petition_page(request: StaffRequest, petition_id: int) -> HttpResponse:
    petition = petition_detail(petition=petition_for_user(request.user, petition_id))
    events = list(petition.events.all())
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    return render(
        request,
        "workbench/petition_detail.html",
        {"petition": petition, "events": events, "status_labels": dict(Status.choices)},
    )


@staff_required
def attachment_download(request: StaffRequest, attachment_id: int) -> FileResponse:
    attachment = attachment_for_user(request.user, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _registration_input(form: RegistrationForm, formset: Any, files: list[Any]) -> PetitionInput:
    data = form.cleaned_data
    proxy = None
    if data["is_proxy"]:
        proxy = ProxyInput(
            name=data["proxy_name"],
            relation=data["proxy_relation"],
            consent=data["proxy_consent"],
            phone=data["proxy_phone"],
        )
    return PetitionInput(
        channel=data["channel"],
        nature=data["nature"],
        title=data["title"],
        request=data["request"],
        facts=data["facts"],
        category=data["category"],
        region=data["region"],
        address=data["address"],
        persons_count=data["persons_count"],
        received_at=data["received_at"],
        proxy=proxy,
        petitioners=[
            PetitionerInput(**sub.cleaned_data)
            for sub in formset.forms
            if sub.cleaned_data and any(sub.cleaned_data.values())
        ],
        attachments=[UploadInput(name=f.name, content=f.read()) for f in files],
    )


@staff_required
@require_http_methods(["GET", "POST"])
def register(request: StaffRequest) -> HttpResponse:
    user = request.user
    if not user.has_any_role(Role.REGISTRAR, Role.ADMIN) or user.unit is None:
        messages.error(request, _("只有登记员可以登记信访事项。"))
        return redirect("workbench:home")
    channel = request.GET.get("channel", Channel.LETTER)
    initial = {
        "channel": channel if channel in Channel.values else Channel.LETTER,
        "is_proxy": request.GET.get("proxy") == "1",
        "persons_count": 1,
    }
    form = RegistrationForm(request.POST or None, request.FILES or None, initial=initial)
    formset = PetitionerFormSet(request.POST or None, prefix="p")
    petitioner_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = _registration_input(form, formset, form.cleaned_data["attachments"])
        try:
            if data.nature == Nature.ACCUSATION:
                # R22 Art. 30 ¶3, 46(5): who accuses is sealed as on the portal, never on the petition.
                sealed = accusation_register(actor=Actor.staff(user), unit=user.unit, data=data)
            else:
                registration = petition_register(actor=Actor.staff(user), unit=user.unit, data=data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field in form.fields:
                    form.add_error(field, errors)
                else:
                    petitioner_errors.extend(errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if data.nature == Nature.ACCUSATION:
                messages.success(
                    request,
                    _(
                        "已登记检举控告，编号 %(number)s。检举人的身份已加密封存，办理人员看不到。"
                        "回执码：%(code)s（仅显示一次，请交给检举人，凭它在网上查询进展、答复提问）。"
                    )
                    % {"number": sealed.accusation.petition.number, "code": str(sealed.receipt or "")},
                )
                return redirect("accusations:detail", petition_id=sealed.accusation.pk)
            messages.success(
                request,
                _("已登记，编号 %(number)s。查询码：%(code)s（仅显示一次，请告知信访人或打印在告知书上）。")
                % {"number": registration.petition.number, "code": registration.query_code},
            )
            screening = registration.screening
            if screening is not None and screening.links:
                messages.warning(request, _("同一信访人就同一事项已有信访事项，已标记为重复信访，请核对。"))
            if screening is not None and screening.group is not None:
                messages.warning(request, _("多名信访人反映同一事项，已识别为集体信访并提示督查专员。"))
            return redirect("workbench:petition", petition_id=registration.petition.pk)
    return render(
        request,
        "workbench/register.html",
        {"form": form, "formset": formset, "petitioner_errors": petitioner_errors},
    )
