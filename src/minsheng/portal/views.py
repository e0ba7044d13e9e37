"""The citizens' portal (网上信访). Thin: parse a form, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from minsheng.core.crypto import decrypt, encrypt
from minsheng.core.errors import Conflict, NotAllowed, ValidationError
from minsheng.core.ratelimit import Limit
from minsheng.core.validators import normalise_phone
from minsheng.petitions.models import Nature, Petition
from minsheng.petitions.services import PetitionerInput, PetitionInput, ProxyInput, UploadInput, query_code_hash
from minsheng.portal.follow import (
    labelled,
    petition_by_code,
    public_timeline,
    session_is_unlocked,
    session_unlock,
    workflow_part,
)
from minsheng.portal.forms import (
    FollowForm,
    PetitionForm,
    RatingForm,
    RepresentativeFormSet,
    RequestForm,
    mark_invalid,
)
from minsheng.portal.guidance import ACK, BY_CODE, ROUTES, route_is_valid
from minsheng.portal.intake import bounded, hit_identity
from minsheng.portal.models import POOR_SCORE
from minsheng.portal.services import portal_file, portal_request, rating_submit
from minsheng.workflow.documents import decision_filename, decision_pdf
from minsheng.workflow.models import Decision

FILE_PER_ADDRESS = Limit("portal.file.address", limit=10, window_seconds=3600)
FILE_PER_PHONE = Limit("portal.file.phone", limit=5, window_seconds=86400)
FOLLOW_PER_ADDRESS = Limit("portal.follow.address", limit=30, window_seconds=600)
FOLLOW_PER_CODE = Limit("portal.follow.code", limit=10, window_seconds=3600)
# Ratings and review requests, from a page the query code has unlocked.
AFTER_PER_ADDRESS = Limit("portal.follow.after", limit=20, window_seconds=3600)

NATURES = {"grievance": Nature.GRIEVANCE, "suggestion": Nature.SUGGESTION}
# The query code waits in the session, sealed, between the filing and the page that shows it once.
CODE_CONTEXT = "portal.session.query_code"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    from minsheng.suggestions.selectors import campaigns_open

    return render(request, "portal/home.html", {"campaigns": campaigns_open()[:3], "follow_form": FollowForm()})


@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/choose.html")


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """R22 Art. 31: before a grievance is written, name the channel the law gives it."""
    code = request.GET.get("route", "")
    route = BY_CODE.get(code)
    if route is not None and route.petition:
        return redirect(_file_url("grievance", code, request.GET.get("proxy") == "1"))
    return render(
        request,
        "portal/guide.html",
        {
            "routes": ROUTES,
            "route": route,
            "proxy": request.GET.get("proxy") == "1",
            "ack_url": _file_url("grievance", code + ACK, request.GET.get("proxy") == "1") if route else "",
        },
    )


def _file_url(nature: str, guidance: str, proxy: bool) -> str:
    query = {"guidance": guidance} if guidance else {}
    if proxy:
        query["proxy"] = "1"
    return reverse("portal:file", args=[nature]) + ("?" + urlencode(query) if query else "")


def _consent_record(data: dict[str, Any]) -> str:
    # Staff read the record: it is written in the registry's language.
    with translation.override(settings.LANGUAGE_CODE):
        methods = dict(PetitionForm.base_fields["consent_method"].choices)  # type: ignore[attr-defined]
        return _("%(method)s；%(detail)s（代理人于%(date)s在网上信访确认已取得信访人本人同意）") % {
            "method": methods.get(data["consent_method"], ""),
            "detail": data["consent_detail"] or _("未填写细节"),
            "date": timezone.localdate().isoformat(),
        }


def _petition_input(nature: str, data: dict[str, Any], representatives: Any) -> PetitionInput:
    collective = bool(data["is_collective"])
    others = []
    if collective:
        others = [
            PetitionerInput(name=row["name"], phone=row["phone"], is_representative=True)
            for row in representatives.cleaned_data
            if row and (row.get("name") or row.get("phone"))
        ]
    proxy = None
    if data["is_proxy"]:
        proxy = ProxyInput(
            name=data["proxy_name"],
            relation=data["proxy_relation"],
            phone=data["proxy_phone"],
            # No consent on record unless the proxy confirms it and says how it was given.
            consent=_consent_record(data) if data["consent_confirm"] and data["consent_method"] else "",
        )
    return PetitionInput(
        channel="online",
        nature=nature,
        title=data["title"],
        request=data["request"],
        facts=data["facts"],
        category=data["category"],
        address=data["address"],
        persons_count=(data["persons_count"] or 1 + len(others)) if collective else 1,
        proxy=proxy,
        petitioners=[
            PetitionerInput(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                address=data["home_address"],
                is_representative=collective,
            ),
            *others,
        ],
        attachments=[UploadInput(name=f.name, content=f.read()) for f in data["attachments"]],
    )


# Service error keys that are not form fields but belong next to one.
ERROR_FIELDS = {"proxy_consent": "consent_confirm", "proxy_name": "proxy_name", "petitioners": None, "guidance": None}


@bounded(FILE_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest, nature: str) -> HttpResponse:
    if nature not in NATURES:
        raise Http404
    guidance = request.POST.get("guidance", request.GET.get("guidance", ""))
    if nature == "grievance" and not route_is_valid(guidance):
        return redirect(reverse("portal:guide") + ("?proxy=1" if request.GET.get("proxy") == "1" else ""))
    initial = {"guidance": guidance, "is_proxy": request.GET.get("proxy") == "1"}
    form = PetitionForm(request.POST or None, request.FILES or None, initial=initial)
    representatives = RepresentativeFormSet(request.POST or None, prefix="r")
    if request.method == "POST" and form.is_valid() and representatives.is_valid():
        data = form.cleaned_data
        hit_identity(
            FILE_PER_PHONE, "phone", normalise_phone(data["proxy_phone"] if data["is_proxy"] else data["phone"])
        )
        try:
            registration = portal_file(
                data=_petition_input(NATURES[nature], data, representatives),
                region=data["region"],
                guidance=data["guidance"] if nature == "grievance" else "",
                declared_truthful=data["truthful"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = ERROR_FIELDS.get(field, field)
                form.add_error(target if target in form.fields else None, messages)
            if data["is_proxy"] and not data["consent_method"]:
                form.add_error("consent_method", _("请选择信访人表示同意的方式。"))
        else:
            request.session["ms_filed"] = {
                "petition": registration.petition.pk,
                "code": encrypt(registration.query_code, context=CODE_CONTEXT),
            }
            return redirect("portal:filed")
    return render(
        request,
        "portal/file.html",
        {
            "form": form,
            "representatives": representatives,
            "nature": nature,
            "route": BY_CODE.get(guidance.removesuffix(ACK)),
            "acknowledged": guidance.endswith(ACK),
        },
    )


@require_safe
def filed(request: HttpRequest) -> HttpResponse:
    """The query code, shown once: the session forgets it as this page renders."""
    held = request.session.pop("ms_filed", None)
    if not held:
        return redirect("portal:follow")
    petition = Petition.objects.select_related("handling_unit").get(pk=held["petition"])
    session_unlock(request, "petition", petition.pk)
    return render(
        request,
        "portal/filed.html",
        {"petition": petition, "query_code": decrypt(held["code"], context=CODE_CONTEXT)},
    )


@bounded(FOLLOW_PER_ADDRESS)
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if not code.strip():
            form.add_error("code", _("请填写查询码。"))
        else:
            hit_identity(FOLLOW_PER_CODE, "query_code", query_code_hash(code))
            petition = petition_by_code(code=code, phone_last4=form.cleaned_data["phone_last4"])
            if petition is None:
                form.add_error(None, _("查询码或手机号后四位不正确，请核对后再试。"))
            else:
                session_unlock(request, "petition", petition.pk)
                return redirect("portal:follow_detail", number=petition.number)
    return render(request, "portal/follow.html", {"form": form}, status=200)


def _unlocked_petition(request: HttpRequest, number: str) -> Petition | None:
    petition = (
        Petition.objects.select_related("handling_unit", "region", "category")
        .filter(number=number, accusation__isnull=True)
        .first()
    )
    if petition is None or not session_is_unlocked(request, "petition", petition.pk):
        return None
    return petition


def _detail_page(
    request: HttpRequest,
    petition: Petition,
    *,
    rating_form: RatingForm | None = None,
    request_form: RequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    part = workflow_part(petition)
    return render(
        request,
        "portal/follow_detail.html",
        {
            "petition": petition,
            "events": labelled(public_timeline(petition)),
            "wf": part,
            "rating_form": rating_form
            or RatingForm(initial={"decision": part.to_rate.decision_id if part.to_rate else None}),
            "request_form": request_form,
            "poor_score": POOR_SCORE,
        },
        status=status,
    )


@require_safe
def follow_detail(request: HttpRequest, number: str) -> HttpResponse:
    petition = _unlocked_petition(request, number)
    if petition is None:
        return redirect("portal:follow")
    return _detail_page(request, petition)


@require_safe
def follow_document(request: HttpRequest, number: str, decision_id: int) -> HttpResponse:
    """The written decision (处理意见书) and its kin, as the PDF the workflow renders: a download."""
    petition = _unlocked_petition(request, number)
    decision = (
        Decision.objects.select_related("case__petition", "case__ruleset__policy", "unit")
        .filter(pk=decision_id, case__petition=petition)
        .first()
        if petition is not None
        else None
    )
    if decision is None:
        raise Http404
    response = HttpResponse(decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{decision_filename(decision)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@bounded(AFTER_PER_ADDRESS)
@require_http_methods(["POST"])
def follow_rate(request: HttpRequest, number: str) -> HttpResponse:
    petition = _unlocked_petition(request, number)
    if petition is None:
        return redirect("portal:follow")
    form = RatingForm(request.POST)
    if form.is_valid():
        decision = Decision.objects.select_related("case", "unit").filter(pk=form.cleaned_data["decision"]).first()
        try:
            if decision is None:
                raise ValidationError({"decision": [_("这份文书不属于您的信访事项。")]})
            rating = rating_submit(
                petition=petition,
                decision=decision,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields and field != "decision" else None, errors)
            mark_invalid(form)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            if rating.is_poor:
                messages.warning(request, _("感谢您的评价。您对答复不满意，可以依法请求复查或复核，见下方。"))
            else:
                messages.success(request, _("感谢您的评价。"))
            return redirect(reverse("portal:follow_detail", args=[petition.number]) + "#ms-rating-title")
    return _detail_page(request, petition, rating_form=form, status=400)


@bounded(AFTER_PER_ADDRESS)
@require_http_methods(["POST"])
def follow_request(request: HttpRequest, number: str) -> HttpResponse:
    """复查 / 复核 asked online: handed to the workflow's transition service, never around it."""
    petition = _unlocked_petition(request, number)
    if petition is None:
        return redirect("portal:follow")
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            portal_request(petition=petition, action=form.cleaned_data["action"], grounds=form.cleaned_data["grounds"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field == "grounds" else None, errors)
            mark_invalid(form)
        except (Conflict, NotAllowed) as exc:
            form.add_error(None, exc.message)
        else:
            petition.refresh_from_db()
            messages.success(
                request,
                _("您的请求已提交，%(unit)s将依法在规定期限内提出意见并书面答复您。")
                % {"unit": workflow_part(petition).view.responsible_unit},
            )
            return redirect("portal:follow_detail", number=petition.number)
    return _detail_page(request, petition, request_form=form, status=400)
