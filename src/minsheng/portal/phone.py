"""Proving a citizen holds a phone, without accounts: a six-digit code sent by SMS.

A person is then known by a keyed hash of the phone (`phone_identity`), which is what a co-sign
stores: one per phone per suggestion, and no phone number anywhere in the table.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.crypto import encrypt, lookup_hash
from minsheng.core.errors import ValidationError
from minsheng.core.tasks import enqueue
from minsheng.core.validators import validate_phone
from minsheng.portal.models import PhoneChallenge
from minsheng.portal.tasks import SMS_CONTEXT, send_sms

CODE_VALID = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5


def phone_identity(phone: str) -> str:
    return lookup_hash("phone_identity", phone)


def _code_hash(challenge_key: str, code: str) -> str:
    return lookup_hash("sms_code", f"{challenge_key}:{code}")


@transaction.atomic
def phone_challenge_start(*, phone: str, purpose: str, message: Callable[[str], str]) -> PhoneChallenge:
    """Send a code to `phone`; `message(code)` writes the text around it."""
    try:
        phone = validate_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if not phone.startswith("1"):
        raise ValidationError({"phone": [_("请填写手机号码：验证码通过短信发送。")]})
    code = f"{secrets.randbelow(10**6):06d}"
    nonce = secrets.token_hex(8)
    challenge = PhoneChallenge.objects.create(
        purpose=purpose,
        phone_hash=phone_identity(phone),
        code_salt=nonce,
        code_hash=_code_hash(nonce, code),
        expires_at=timezone.now() + CODE_VALID,
    )
    enqueue(send_sms, encrypt(phone, context=SMS_CONTEXT), message(code))
    return challenge


def phone_challenge_confirm(*, challenge_id: int | None, purpose: str, code: str) -> str:
    """Check the code; return the phone identity it proves, or raise ValidationError({"code": …}).

    Call it outside any transaction that the refusal would roll back: the attempt is counted in
    its own, so at most MAX_ATTEMPTS guesses are ever checked against one code.
    """
    wrong = ValidationError({"code": [_("验证码不正确或已过期，请重新获取。")]})
    code = (code or "").strip()
    if challenge_id is None or not code.isdigit():
        raise wrong
    now = timezone.now()
    with transaction.atomic():
        # Count the attempt first (compare-and-set), so parallel guesses cannot exceed the cap.
        counted = PhoneChallenge.objects.filter(
            pk=challenge_id,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=MAX_ATTEMPTS,
        ).update(attempts=F("attempts") + 1)
    if not counted:
        raise wrong
    challenge = PhoneChallenge.objects.get(pk=challenge_id)
    if not hmac.compare_digest(challenge.code_hash, _code_hash(challenge.code_salt, code)):
        raise wrong
    used = PhoneChallenge.objects.filter(pk=challenge_id, used_at__isnull=True).update(used_at=now)
    if not used:
        raise wrong
    return challenge.phone_hash


def phone_challenges_purge() -> int:
    deleted, _counts = PhoneChallenge.objects.filter(expires_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return deleted
