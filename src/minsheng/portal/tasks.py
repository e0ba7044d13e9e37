"""Background work of the portal: sending text messages after the change that causes them commits."""

from __future__ import annotations

from huey.contrib.djhuey import task

from minsheng.core.crypto import decrypt
from minsheng.portal.sms import sms_send

# The phone travels through the queue sealed, so the queue's storage holds no plain numbers.
SMS_CONTEXT = "portal.sms.phone"


@task(retries=3, retry_delay=60)
def send_sms(sealed_phone: str, text: str) -> None:
    sms_send(phone=decrypt(sealed_phone, context=SMS_CONTEXT), text=text)
