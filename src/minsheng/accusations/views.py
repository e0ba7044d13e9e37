"""Pages of protected accusations: the reporter's (public, by receipt code) and the staff's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minsheng.accusations import services
from minsheng.accusations.access import (
    access_request_for_custodian,
    access_requests_for_custodian,
    accusation_by_locator,
    accusation_by_receipt,
    accusation_for_user,
    accusations_visible_to,
)
from minsheng.accusations.forms import (
    AccessRequestForm,
    AccusationForm,
    AccusedUnitForm,
    DecisionForm,
    MessageForm,
    ReceiptForm,
)
from minsheng.accusations.models import Accusation, IdentityAccessRequest
from minsheng.accusations.receipts import parse_receipt
from minsheng.core.actors import Actor
from minsheng.core.crypto import decrypt, encrypt
from minsheng.core.errors import DomainError, ValidationError
from minsheng.core.ratelimit import Limit
from minsheng.core.validators import normalise_phone
from minsheng.orgs.roles import Role
from minsheng.petitions.services import UploadInput
from minsheng.portal.follow import labelled, public_timeline, session_is_unlocked, session_lock, session_unlock
from minsheng.portal.intake import bounded, hit_identity
from minsheng.workbench.views import StaffRequest, staff_required

FILE_PER_ADDRESS = Limit("accuse.file.address", limit=10, window_seconds=3600)
FILE_PER_PHONE = Limit("accuse.file.phone", limit=5, window_seconds=86400)
UNLOCK_PER_ADDRESS = Limit("accuse.unlock.address", limit=30, window_seconds=600)
UNLOCK_PER_LOCATOR = Limit("accuse.unlock.locator", limit=10, window_seconds=3600)
REPLY_PER_ADDRESS = Limit("accuse.reply.address", limit=30, window_seconds=3600)
REPLY_PER_LOCATOR = Limit("accuse.reply.locator", limit=20, window_seconds=3600)
RECEIPT_CONTEXT = "accusations.session.receipt"


def _form_errors(form: Any, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    for field, errors in exc.message_dict.items():
        target = (mapping or {}).get(field, field)
        form.add_error(target if target in form.fields else None, errors)


# --- The reporter -------------------------------------------------------------------------------


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "accusations/start.html")


@bounded(FILE_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    form = AccusationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["anonymous"]:
            hit_identity(FILE_PER_PHONE, "phone", normalise_phone(data["reporter_phone"]))
        try:
            filed = services.accusation_file(
                data=services.AccusationInput(
                    title=data["title"],
                    request=data["request"],
                    facts=data["facts"],
                    region=data["region"],
                    address=data["address"],
                    anonymous=data["anonymous"],
                    reporter=services.ReporterInput(
                        name=data["reporter_name"],
                        id_number=data["reporter_id_number"],
                        phone=data["reporter_phone"],
                        address=data["reporter_address"],
                        contact=data["reporter_contact"],
                    ),
                    accused_name=data["accused_name"],
                    accused_position=data["accused_position"],
                    accused_unit_text=data["accused_unit_text"],
                    accused_units=[data["accused_unit"]] if data["accused_unit"] else [],
                    attachments=[UploadInput(name=f.name, content=f.read()) for f in data["attachments"]],
                ),
                declared_truthful=data["truthful"],
            )
        except ValidationError as exc:
            _form_errors(form, exc, {"petitioners": "", "address": "address"})
        else:
            request.session["ms_receipt"] = {
                "locator": filed.accusation.locator,
                "code": encrypt(str(filed.receipt), context=RECEIPT_CONTEXT),
            }
            return redirect("accuse:receipt")
    return render(request, "accusations/file.html", {"form": form})


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt code, shown once: the session forgets it as this page renders."""
    held = request.session.pop("ms_receipt", None)
    if not held:
        return redirect("accuse:follow")
    accusation = accusation_by_locator(held["locator"])
    if accusation is None:
        raise Http404
    session_unlock(request, "accusation", accusation.locator)
    return render(
        request,
        "accusations/receipt.html",
        {"accusation": accusation, "receipt_code": decrypt(held["code"], context=RECEIPT_CONTEXT)},
    )


@bounded(UNLOCK_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        parsed = parse_receipt(code)
        if parsed is not None:
            hit_identity(UNLOCK_PER_LOCATOR, "accusation_locator", parsed.locator)
        accusation = accusation_by_receipt(code)
        if accusation is None:
            form.add_error("code", _("回执码不正确，请核对后再试。"))
        else:
            session_unlock(request, "accusation", accusation.locator)
            return redirect("accuse:follow_detail", locator=accusation.locator)
    return render(request, "accusations/follow.html", {"form": form})


@bounded(REPLY_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def follow_detail(request: HttpRequest, locator: str) -> HttpResponse:
    accusation = accusation_by_locator(locator)
    if accusation is None or not session_is_unlocked(request, "accusation", locator):
        return redirect("accuse:follow")
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if "lock" in request.POST:
            session_lock(request, "accusation", locator)
            return redirect("accuse:follow")
        hit_identity(REPLY_PER_LOCATOR, "accusation_locator", locator)
        if form.is_valid():
            try:
                services.accusation_reply(accusation=accusation, body=form.cleaned_data["body"])
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("留言已发送。办理人员回复后，您用回执码查询即可看到。"))
                return redirect("accuse:follow_detail", locator=locator)
    petition = accusation.petition
    return render(
        request,
        "accusations/follow_detail.html",
        {
            "accusation": accusation,
            "petition": petition,
            "events": labelled(public_timeline(petition)),
            "thread": accusation.messages.select_related("unit"),
            "form": form,
        },
    )


# --- Staff --------------------------------------------------------------------------------------


@staff_required
def staff_list(request: StaffRequest) -> HttpResponse:
    rows = list(
        accusations_visible_to(request.user)
        .select_related("petition__handling_unit")
        .prefetch_related("messages")
        .order_by("-petition__received_at")[:200]
    )
    for row in rows:
        thread = list(row.messages.all())
        row.message_count = len(thread)  # type: ignore[attr-defined]
        row.awaiting_reply = bool(thread) and thread[-1].from_reporter  # type: ignore[attr-defined]
    return render(
        request,
        "accusations/staff_list.html",
        {"rows": rows, "pending_requests": access_requests_for_custodian(request.user).filter(status="pending")},
    )


def _detail_context(request: StaffRequest, accusation: Accusation, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "accusation": accusation,
        "petition": accusation.petition,
        "accused_units": accusation.accused_units.select_related("unit", "unit__region"),
        "thread": accusation.messages.select_related("unit"),
        "requests": accusation.access_requests.select_related("requested_by", "decided_by"),
        "my_grant": services.active_grant(user_id=user.pk, accusation=accusation),
        "my_pending": accusation.access_requests.filter(requested_by=user, status="pending").exists(),
        "handling_barred": services.handling_is_barred(accusation),
        "may_work": user.has_any_role(*services.CASE_ROLES),
        "ask_form": extra.pop("ask_form", None) or MessageForm(),
        "unit_form": extra.pop("unit_form", None) or AccusedUnitForm(),
        "request_form": extra.pop("request_form", None) or AccessRequestForm(),
        **extra,
    }


@staff_required
def staff_detail(request: StaffRequest, petition_id: int) -> HttpResponse:
    accusation = accusation_for_user(request.user, petition_id)
    return render(request, "accusations/staff_detail.html", _detail_context(request, accusation))


def _act(request: StaffRequest, petition_id: int, form_name: str, form: Any, action: Any) -> HttpResponse:
    accusation = accusation_for_user(request.user, petition_id)
    if form.is_valid():
        try:
            action(Actor.staff(request.user), accusation, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("accusations:detail", petition_id=accusation.pk)
        else:
            return redirect("accusations:detail", petition_id=accusation.pk)
    return render(
        request, "accusations/staff_detail.html", _detail_context(request, accusation, **{form_name: form}), status=400
    )


@staff_required
@require_POST
def staff_ask(request: StaffRequest, petition_id: int) -> HttpResponse:
    def action(actor: Actor, accusation: Accusation, data: dict[str, Any]) -> None:
        services.accusation_ask(actor=actor, accusation=accusation, body=data["body"])
        messages.success(request, _("留言已发送，检举人用回执码查询时可以看到并回复。"))

    return _act(request, petition_id, "ask_form", MessageForm(request.POST), action)


@staff_required
@require_POST
def staff_accused(request: StaffRequest, petition_id: int) -> HttpResponse:
    def action(actor: Actor, accusation: Accusation, data: dict[str, Any]) -> None:
        services.accused_unit_add(actor=actor, accusation=accusation, unit=data["unit"])
        messages.success(request, _("已记录。该单位及其下属单位不会再看到这件检举。"))

    response = _act(request, petition_id, "unit_form", AccusedUnitForm(request.POST), action)
    # Recording one's own unit (or one above it) takes the matter out of one's own sight.
    try:
        accusation_for_user(request.user, petition_id)
    except Http404:
        return redirect("accusations:list")
    return response


@staff_required
@require_POST
def staff_request_identity(request: StaffRequest, petition_id: int) -> HttpResponse:
    def action(actor: Actor, accusation: Accusation, data: dict[str, Any]) -> None:
        services.identity_access_request(actor=actor, accusation=accusation, reason=data["reason"])
        messages.success(request, _("申请已提交，等待身份保管人决定。"))

    return _act(request, petition_id, "request_form", AccessRequestForm(request.POST), action)


@staff_required
@require_POST
def staff_reveal(request: StaffRequest, petition_id: int) -> HttpResponse:
    """Shown in this response only (never stored in the session); the view is an audit row."""
    accusation = accusation_for_user(request.user, petition_id)
    try:
        identity = services.identity_reveal(actor=Actor.staff(request.user), accusation=accusation)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accusations:detail", petition_id=accusation.pk)
    response = render(request, "accusations/staff_detail.html", _detail_context(request, accusation, identity=identity))
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def custodian_queue(request: StaffRequest) -> HttpResponse:
    if not request.user.has_any_role(Role.CUSTODIAN):
        raise Http404
    rows = access_requests_for_custodian(request.user).select_related(
        "accusation__petition", "requested_by__unit", "decided_by"
    )
    return render(
        request,
        "accusations/custodian_queue.html",
        {
            "pending": [r for r in rows if r.status == IdentityAccessRequest.Status.PENDING],
            "decided": [r for r in rows if r.status != IdentityAccessRequest.Status.PENDING][:50],
            "form": DecisionForm(),
        },
    )


@staff_required
@require_POST
def custodian_decide(request: StaffRequest, request_id: int) -> HttpResponse:
    access_request = access_request_for_custodian(request.user, request_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.identity_access_decide(
                actor=Actor.staff(request.user),
                request=access_request,
                grant=form.cleaned_data["decision"] == "grant",
                note=form.cleaned_data["note"],
            )
        except (ValidationError, DomainError) as exc:
            message = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
            messages.error(request, message)
        else:
            messages.success(request, _("已决定。"))
    else:
        messages.error(request, _("请选择准许或拒绝。"))
    return redirect("accusations:requests")
