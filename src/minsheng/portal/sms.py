"""Text messages to citizens' phones through one pluggable backend (like Django's EMAIL_BACKEND).

`MINSHENG_SMS_BACKEND` names the class: the default logs a masked line for a local run; a
deployment points it at its SMS gateway's adapter; tests use `MemoryBackend` and read `outbox`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

from minsheng.core.validators import mask_phone

logger = logging.getLogger("minsheng.sms")
DEFAULT_BACKEND = "minsheng.portal.sms.LogBackend"


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


class LogBackend:
    """For a local run: the message goes to the server log (the phone masked)."""

    def send(self, message: Sms) -> None:
        logger.info("SMS to %s: %s", mask_phone(message.phone), message.text)


class MemoryBackend:
    """For tests, like Django's locmem mail backend: messages collect in `outbox`."""

    outbox: ClassVar[list[Sms]] = []

    def send(self, message: Sms) -> None:
        self.outbox.append(message)


def sms_send(*, phone: str, text: str) -> None:
    backend = import_string(getattr(settings, "MINSHENG_SMS_BACKEND", DEFAULT_BACKEND))()
    backend.send(Sms(phone=phone, text=text))
