"""The one way a message reaches a citizen: pluggable backends, console by default.

Statutory notices to petitioners (workflow.notices) and the portal's text messages (verification
codes, a suggestion's answer: portal.sms) both go through the backend named by the one setting
MINSHENG_NOTICE_BACKEND (a dotted path). A backend gets one message and either returns a
reference or raises; the caller records the outcome and retries failures. Tests use
`MemoryBackend` and read its `outbox`, like Django's locmem mail backend.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.request
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "minsheng.workflow.notify.ConsoleBackend"
logger = logging.getLogger("minsheng.notices")


@dataclass(frozen=True)
class OutgoingNotice:
    notice_id: int | None  # the Notice row; None for a portal text message (a code, an answer)
    channel: str  # "sms" or "email"
    phone: str
    email: str
    subject: str
    body: str


class NoticeBackend(Protocol):
    label: str

    def send(self, message: OutgoingNotice) -> str: ...


class ConsoleBackend:
    """Writes each notice to standard output (like Django's console e-mail backend)."""

    label = "console"

    def send(self, message: OutgoingNotice) -> str:
        recipient = message.phone or message.email or "-"
        what = f"notice #{message.notice_id}" if message.notice_id is not None else "message"
        sys.stdout.write(f"[{what} {message.channel} → {recipient}] {message.subject}\n{message.body}\n")
        sys.stdout.flush()
        return f"console:{message.notice_id or ''}"


class LogBackend:
    """Writes each message to the log `minsheng.notices`, the phone and e-mail masked."""

    label = "log"

    def send(self, message: OutgoingNotice) -> str:
        from minsheng.core.validators import mask_phone

        recipient = mask_phone(message.phone) if message.phone else ("***" if message.email else "-")
        logger.info("%s to %s: %s", message.channel, recipient, message.body)
        return f"log:{message.notice_id or ''}"


class MemoryBackend:
    """For tests: messages collect in `outbox` (clear it at the start of a test)."""

    label = "memory"
    outbox: ClassVar[list[OutgoingNotice]] = []

    def send(self, message: OutgoingNotice) -> str:
        self.outbox.append(message)
        return f"memory:{len(self.outbox)}"


class EmailBackend:
    """Sends through Django's configured e-mail backend (EMAIL_BACKEND)."""

    label = "email"

    def send(self, message: OutgoingNotice) -> str:
        if not message.email:
            raise ValueError("no e-mail address for this petitioner")
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.email])
        return f"email:{message.notice_id}"


class SmsGatewayBackend:
    """Posts each SMS as JSON to an HTTP gateway: MINSHENG_SMS_URL, bearer MINSHENG_SMS_TOKEN.

    The gateway answers 2xx with {"id": "..."}; anything else raises and the notice is retried.
    """

    label = "sms-gateway"

    def send(self, message: OutgoingNotice) -> str:
        url = getattr(settings, "MINSHENG_SMS_URL", "")
        if not url.startswith(("https://", "http://")):
            raise ValueError("MINSHENG_SMS_URL is not set")
        if not message.phone:
            raise ValueError("no phone number for this petitioner")
        # The scheme is checked above, so urlopen cannot be pointed at file: or a custom scheme.
        request = urllib.request.Request(  # noqa: S310
            url,
            data=json.dumps({"to": message.phone, "text": message.body, "ref": message.notice_id}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {getattr(settings, 'MINSHENG_SMS_TOKEN', '')}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
            answer = json.loads(response.read() or b"{}")
        return f"sms:{answer.get('id', '')}"


def notice_backend() -> NoticeBackend:
    backend: NoticeBackend = import_string(getattr(settings, "MINSHENG_NOTICE_BACKEND", "") or DEFAULT_BACKEND)()
    return backend


def send_text(*, phone: str, text: str) -> str:
    """A text message that is not a statutory notice (a verification code, an answer): the same
    backend as the notices, so a deployment configures one channel and tests read one outbox."""
    return notice_backend().send(
        OutgoingNotice(notice_id=None, channel="sms", phone=phone, email="", subject="", body=text)
    )
