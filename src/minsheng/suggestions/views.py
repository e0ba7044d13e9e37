"""People's suggestions: the public pages (campaigns, suggestions, co-signing, answers) and the
staff's (publish campaigns, publish and answer suggestions, statistics)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minsheng.core.actors import Actor
from minsheng.core.crypto import decrypt, encrypt
from minsheng.core.errors import DomainError, ValidationError
from minsheng.core.ratelimit import Limit
from minsheng.core.validators import normalise_phone
from minsheng.portal.follow import session_is_unlocked, session_unlock
from minsheng.portal.intake import bounded, hit_identity
from minsheng.suggestions import selectors, services
from minsheng.suggestions.forms import AnswerForm, CampaignForm, CodeForm, FollowForm, PhoneForm, SuggestionForm
from minsheng.suggestions.models import Campaign, Suggestion
from minsheng.workbench.views import StaffRequest, staff_required

SUBMIT_PER_ADDRESS = Limit("suggestion.submit.address", limit=10, window_seconds=3600)
SUBMIT_PER_PHONE = Limit("suggestion.submit.phone", limit=5, window_seconds=86400)
COSIGN_PER_ADDRESS = Limit("suggestion.cosign.address", limit=20, window_seconds=3600)
COSIGN_PER_PHONE = Limit("suggestion.cosign.phone", limit=5, window_seconds=3600)
CONFIRM_PER_ADDRESS = Limit("suggestion.confirm.address", limit=30, window_seconds=600)
FOLLOW_PER_ADDRESS = Limit("suggestion.follow.address", limit=30, window_seconds=600)
CODE_CONTEXT = "suggestions.session.query_code"


def _form_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Public -------------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.suggestions_public(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/home.html",
        {"campaigns": selectors.campaigns_open(), "page": page, "past": selectors.campaigns_public()[:10]},
    )


@require_safe
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    item = selectors.campaign_public(campaign_id)
    return render(
        request,
        "suggestions/campaign.html",
        {
            "campaign": item,
            "state": item.state(timezone.localdate()),
            "suggestions": selectors.suggestions_public().filter(campaign=item)[:100],
        },
    )


@bounded(SUBMIT_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    target: Campaign | None = None
    if request.GET.get("campaign"):
        try:
            target = selectors.campaign_public(int(request.GET["campaign"]))
        except ValueError:
            raise Http404 from None
    form = SuggestionForm(request.POST or None)
    if target is not None:
        del form.fields["region"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hit_identity(SUBMIT_PER_PHONE, "phone", normalise_phone(data["phone"]))
        try:
            submitted = services.suggestion_submit(
                data=services.SuggestionInput(
                    title=data["title"],
                    grounds=data["grounds"],
                    measures=data["measures"],
                    name=data["name"],
                    phone=data["phone"],
                    campaign=target,
                    region=data.get("region"),
                    org=data["org"],
                    allow_public=data["allow_public"],
                    show_name=data["show_name"],
                )
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            request.session["ms_suggested"] = {
                "suggestion": submitted.suggestion.pk,
                "code": encrypt(submitted.query_code, context=CODE_CONTEXT),
            }
            return redirect("suggestions:submitted")
    state = target.state(timezone.localdate()) if target else "open"
    return render(request, "suggestions/submit.html", {"form": form, "campaign": target, "state": state})


@require_safe
def submitted(request: HttpRequest) -> HttpResponse:
    held = request.session.pop("ms_suggested", None)
    if not held:
        return redirect("suggestions:follow")
    suggestion = Suggestion.objects.select_related("unit").get(pk=held["suggestion"])
    session_unlock(request, "suggestion", suggestion.pk)
    return render(
        request,
        "suggestions/submitted.html",
        {"suggestion": suggestion, "query_code": decrypt(held["code"], context=CODE_CONTEXT)},
    )


@require_safe
def detail(request: HttpRequest, number: str) -> HttpResponse:
    suggestion = selectors.suggestion_public(number)
    return render(
        request,
        "suggestions/detail.html",
        {"suggestion": suggestion, "form": PhoneForm(), "cosigned": request.session.get("ms_cosigned", [])},
    )


@bounded(COSIGN_PER_ADDRESS)
@require_POST
def cosign(request: HttpRequest, number: str) -> HttpResponse:
    suggestion = selectors.suggestion_public(number)
    form = PhoneForm(request.POST)
    if form.is_valid():
        hit_identity(COSIGN_PER_PHONE, "phone", normalise_phone(form.cleaned_data["phone"]))
        try:
            challenge = services.cosign_start(suggestion=suggestion, phone=form.cleaned_data["phone"])
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            request.session["ms_cosign_challenge"] = {"suggestion": suggestion.pk, "challenge": challenge.pk}
            return redirect("suggestions:cosign_confirm", number=number)
    return render(
        request,
        "suggestions/detail.html",
        {"suggestion": suggestion, "form": form, "cosigned": request.session.get("ms_cosigned", [])},
        status=400,
    )


@bounded(CONFIRM_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def cosign_confirm(request: HttpRequest, number: str) -> HttpResponse:
    suggestion = selectors.suggestion_public(number)
    held = request.session.get("ms_cosign_challenge") or {}
    if held.get("suggestion") != suggestion.pk:
        return redirect("suggestions:detail", number=number)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cosign_confirm(
                suggestion=suggestion, challenge_id=held.get("challenge"), code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop("ms_cosign_challenge", None)
            request.session["ms_cosigned"] = [*request.session.get("ms_cosigned", []), suggestion.pk][-50:]
            messages.success(request, _("附议成功，感谢您的支持。答复后您可以在这里看到。"))
            return redirect("suggestions:detail", number=number)
    return render(request, "suggestions/cosign_confirm.html", {"suggestion": suggestion, "form": form})


@bounded(FOLLOW_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suggestion = selectors.suggestion_by_code(form.cleaned_data["code"])
        if suggestion is None:
            form.add_error("code", _("查询码不正确，请核对后再试。"))
        else:
            session_unlock(request, "suggestion", suggestion.pk)
            return redirect("suggestions:mine", number=suggestion.number)
    return render(request, "suggestions/follow.html", {"form": form})


@require_safe
def mine(request: HttpRequest, number: str) -> HttpResponse:
    suggestion = Suggestion.objects.select_related("unit", "campaign").filter(number=number).first()
    if suggestion is None or not session_is_unlocked(request, "suggestion", suggestion.pk):
        return redirect("suggestions:follow")
    return render(request, "suggestions/mine.html", {"suggestion": suggestion})


@require_safe
def stats(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "suggestions/stats.html",
        {"by_unit": selectors.stats_by_unit(), "by_campaign": selectors.stats_by_campaign()},
    )


# --- Staff --------------------------------------------------------------------------------------


@staff_required
def staff_list(request: StaffRequest) -> HttpResponse:
    rows = selectors.suggestions_visible_to(request.user).select_related("unit", "campaign")
    status = request.GET.get("status", "")
    if status in Suggestion.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-submitted_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/staff_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Suggestion.Status.choices,
            "campaigns": selectors.campaigns_visible_to(request.user)[:50],
            "may_publish_campaign": request.user.has_any_role(*services.CAMPAIGN_ROLES),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_campaign_new(request: StaffRequest) -> HttpResponse:
    if not request.user.has_any_role(*services.CAMPAIGN_ROLES):
        messages.error(request, _("只有单位负责人、领导或管理员可以发布征集。"))
        return redirect("suggestions_staff:list")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.campaign_publish(actor=Actor.staff(request.user), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("征集已发布：%(title)s") % {"title": item.title})
            return redirect("suggestions_staff:list")
    return render(request, "suggestions/staff_campaign_new.html", {"form": form})


def _staff_detail(request: StaffRequest, suggestion: Suggestion, form: AnswerForm | None = None) -> HttpResponse:
    return render(
        request,
        "suggestions/staff_detail.html",
        {
            "suggestion": suggestion,
            "form": form or AnswerForm(),
            "may_answer": request.user.has_any_role(*services.ANSWER_ROLES),
        },
        status=400 if form is not None else 200,
    )


@staff_required
def staff_detail(request: StaffRequest, suggestion_id: int) -> HttpResponse:
    return _staff_detail(request, selectors.suggestion_for_user(request.user, suggestion_id))


@staff_required
@require_POST
def staff_answer(request: StaffRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_for_user(request.user, suggestion_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_answer(actor=Actor.staff(request.user), suggestion=suggestion, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("suggestions_staff:detail", suggestion_id=suggestion.pk)
        else:
            messages.success(request, _("已答复。建议人会收到短信通知；公开的建议，答复同时公开。"))
            return redirect("suggestions_staff:detail", suggestion_id=suggestion.pk)
    return _staff_detail(request, suggestion, form=form)


@staff_required
@require_POST
def staff_publish(request: StaffRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_for_user(request.user, suggestion_id)
    try:
        services.suggestion_publish(actor=Actor.staff(request.user), suggestion=suggestion)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已公开，公众可以看到并附议。"))
    return redirect("suggestions_staff:detail", suggestion_id=suggestion.pk)


@staff_required
def staff_stats(request: StaffRequest) -> HttpResponse:
    scope = selectors.suggestions_visible_to(request.user)
    return render(
        request,
        "suggestions/staff_stats.html",
        {"by_unit": selectors.stats_by_unit(scope), "by_campaign": selectors.stats_by_campaign(scope)},
    )
