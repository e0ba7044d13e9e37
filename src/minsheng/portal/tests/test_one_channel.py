"""One delivery mechanism for every message to a citizen: the statutory notices of the workflow
and the portal's text messages go through the backend of MINSHENG_NOTICE_BACKEND, into one outbox
in tests; a deployment configures one channel."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from minsheng.core.actors import Actor
from minsheng.portal.phone import phone_challenge_start
from minsheng.workflow import services as wf
from minsheng.workflow.models import Notice, NoticeStatus
from minsheng.workflow.notify import LogBackend, OutgoingNotice

pytestmark = pytest.mark.django_db


def test_a_notice_and_a_verification_code_land_in_the_one_outbox(
    org: Any, register: Any, sms_outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    petition = register(org.units.a, Actor.staff(org.registrar_a)).petition
    with django_capture_on_commit_callbacks(execute=True):
        wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
        phone_challenge_start(phone="13912345678", purpose="test", message=lambda code: f"验证码 {code}")
    notice = Notice.objects.get(petition=petition)
    assert notice.status == NoticeStatus.SENT and notice.backend == "memory"
    by_phone = {m.phone: m for m in sms_outbox}
    assert by_phone["13800138000"].body == notice.body and by_phone["13800138000"].notice_id == notice.pk
    code = by_phone["13912345678"]
    assert code.notice_id is None and code.channel == "sms" and code.body.startswith("验证码 ")


def test_the_log_backend_masks_the_phone(caplog: pytest.LogCaptureFixture) -> None:
    message = OutgoingNotice(
        notice_id=None, channel="sms", phone="13912345678", email="", subject="", body="验证码 123456"
    )
    with caplog.at_level(logging.INFO, logger="minsheng.notices"):
        assert LogBackend().send(message).startswith("log:")
    assert "13912345678" not in caplog.text and "5678" in caplog.text and "验证码 123456" in caplog.text
