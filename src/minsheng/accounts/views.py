"""Sign-in, second factor, enrolment, sign-out, recovery codes. Thin: the rules are in services."""

from __future__ import annotations

from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts import services
from minsheng.accounts.forms import CodeForm, EnrolForm, LoginForm
from minsheng.core.actors import Actor
from minsheng.orgs.models import User


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _dev_notice() -> bool:
    return bool(settings.MINSHENG_SHOW_TOTP_CODE)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        services.pending_start(request, user=user, next_url=next_url)
        if services.confirmed_totp(user) is None:
            return redirect("login_enrol")
        return redirect("login_verify")
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "dev_notice": _dev_notice()})


def _code_refused(request: HttpRequest, user: User) -> None:
    # Counted by django-axes like a wrong password, so guessing codes is throttled as well.
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def _locked_out(request: HttpRequest, user: User) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def _after_login(request: HttpRequest, pending: services.Pending) -> HttpResponse:
    return redirect(pending.next_url or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    pending = services.pending_get(request)
    if pending is None:
        messages.info(request, _("登录已超时，请重新输入用户名和密码。"))
        return redirect("login")
    device = services.confirmed_totp(pending.user)
    if device is None:
        return redirect("login_enrol")
    if _locked_out(request, pending.user):
        return lockout(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted = services.second_factor_check(user=pending.user, code=form.cleaned_data["code"])
        if accepted is not None:
            services.login_complete(request, pending=pending, device=accepted)
            left = services.recovery_codes_left(pending.user)
            if isinstance(accepted, services.StaticDevice):
                messages.warning(
                    request,
                    _("您使用了一个恢复码，还剩 %(n)d 个。请在“账号安全”中生成新的恢复码。") % {"n": left},
                )
            return _after_login(request, pending)
        _code_refused(request, pending.user)
        form.add_error("code", _("验证码不正确或已使用过。请输入验证器应用中新的6位数字，或一个未用过的恢复码。"))
    context: dict[str, Any] = {"form": form, "dev_notice": _dev_notice()}
    if _dev_notice():
        context["dev_code"] = services.totp_code_now(device)
    return render(request, "accounts/verify.html", context)


def _qr_svg(device: services.TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff"))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    pending = services.pending_get(request)
    if pending is None:
        messages.info(request, _("登录已超时，请重新输入用户名和密码。"))
        return redirect("login")
    # A second device is never added on the strength of a password alone: an account that has
    # one signs in with it; losing it is solved by a recovery code or by an administrator.
    if services.confirmed_totp(pending.user) is not None:
        return redirect("login_verify")
    if _locked_out(request, pending.user):
        return lockout(request)
    device = services.totp_enrolment_device(pending.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrol_confirm(user=pending.user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            services.login_complete(request, pending=pending, device=device)
            return _no_store(
                render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": pending.next_url or resolve_url(settings.LOGIN_REDIRECT_URL)},
                )
            )
        _code_refused(request, pending.user)
        form.add_error("code", _("验证码不正确。请确认手机时间准确，并输入应用中当前显示的6位数字。"))
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": services.totp_secret(device),
        "dev_notice": _dev_notice(),
    }
    if _dev_notice():
        context["dev_code"] = services.totp_code_now(device)
    return _no_store(render(request, "accounts/enrol.html", context))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("login")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def security_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        codes = services.recovery_codes_renew(actor=Actor.staff(user), user=user)
        return _no_store(
            render(request, "accounts/recovery_codes.html", {"codes": codes, "next": resolve_url("account_security")})
        )
    return render(
        request,
        "accounts/security.html",
        {
            "device": services.confirmed_totp(user),
            "codes_left": services.recovery_codes_left(user),
        },
    )


def lockout(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer once a username or address has failed too often (429).

    The same page for every username, existing or not, so it reveals nothing about accounts.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
