"""Staff sign-in: password, then a second factor (TOTP or a one-time recovery code).

The session holds nobody until both factors pass: after the password it only remembers, for a
few minutes, whose second factor it is waiting for (`PENDING`). So every `login_required` view is
behind both factors without knowing about them, and a stolen password alone opens nothing.
"""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.orgs.models import User

PENDING = "ms_pending_login"
AUTH_AT = "ms_auth_at"
SEEN_AT = "ms_seen_at"
# The second factor must follow the password within this time.
PENDING_SECONDS = 300
RECOVERY_CODE_COUNT = 10
_DIGITS = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Pending:
    user: User
    backend: str
    next_url: str


def pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """The password was right: remember whose second factor we wait for (and nothing more)."""
    request.session.cycle_key()  # a new session id at each privilege step (no fixation)
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
        "next": next_url,
    }


def pending_get(request: HttpRequest) -> Pending | None:
    data: dict[str, Any] | None = request.session.get(PENDING)
    if not data or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return Pending(user=user, backend=data["backend"], next_url=data.get("next", ""))


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (the same one across reloads of the page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps ask for it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_code_now(device: TOTPDevice) -> str | None:
    """A code the device would accept now (not yet used), or None until the next time step.

    Used by the development aid that shows the demo code, and by the test helpers.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    base = totp.t()
    for offset in range(0, device.tolerance + 1):
        if base + offset > device.last_t:
            totp.drift = device.drift + offset
            return str(totp.token()).zfill(device.digits)
    return None


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def second_factor_check(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (a TOTP code, or an unused recovery code), else None.

    django-otp locks the device row while it checks, so one code cannot pass twice, even from two
    requests at once; a TOTP code is refused at or before the last accepted time step.
    """
    code = _normalise(code)
    if not code:
        return None
    if _DIGITS.match(code):
        devices: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def _issue_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [f"{code[:4]}-{code[4:]}" for code in codes]


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new authenticator with a code from it; return fresh recovery codes, or None."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not _DIGITS.match(_normalise(code)) or not locked.verify_token(_normalise(code)):
        return None
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
    codes = _issue_recovery_codes(user)
    audit_append(actor=Actor.staff(user), action="auth.totp_enrol", object_type="user", object_id=user.pk, data={})
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: Actor, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _issue_recovery_codes(user)
    audit_append(actor=actor, action="auth.recovery_codes", object_type="user", object_id=user.pk, data={})
    return codes


@transaction.atomic
def login_complete(request: HttpRequest, *, pending: Pending, device: Device) -> None:
    """Both factors passed: sign the user in, and record it in the audit trail."""
    request.session.pop(PENDING, None)
    login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    factor = "recovery" if isinstance(device, StaticDevice) else "totp"
    audit_append(
        actor=Actor.staff(pending.user),
        action="auth.login",
        object_type="user",
        object_id=pending.user.pk,
        data={"factor": factor},
    )


def logout_record(user: User) -> None:
    audit_append(actor=Actor.staff(user), action="auth.logout", object_type="user", object_id=user.pk, data={})
