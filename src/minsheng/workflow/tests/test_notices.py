"""Notices owed to the petitioner are kept on the case and delivered after commit through the
configured channel; a failed delivery is recorded and retried."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from minsheng.core.models import AuditRecord
from minsheng.workflow.models import Notice, NoticeKind, NoticeStatus
from minsheng.workflow.notices import notices_retry
from minsheng.workflow.notify import OutgoingNotice

pytestmark = pytest.mark.django_db
SENT: list[OutgoingNotice] = []


class RecordingBackend:
    label = "recording"

    def send(self, message: OutgoingNotice) -> str:
        SENT.append(message)
        return "ok"


class BrokenBackend:
    label = "broken"

    def send(self, message: OutgoingNotice) -> str:
        raise ConnectionError("gateway down")


@pytest.fixture(autouse=True)
def _clear() -> None:
    SENT.clear()


@override_settings(MINSHENG_NOTICE_BACKEND="minsheng.workflow.tests.test_notices.RecordingBackend")
def test_a_notice_is_delivered_only_after_the_transition_commits(
    flow: Any, django_capture_on_commit_callbacks: Any
) -> None:
    petition = flow.registered()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flow.forwarded(petition)
    notice = Notice.objects.get(petition=petition, kind=NoticeKind.FORWARDING)
    assert notice.status == NoticeStatus.QUEUED and SENT == []
    for callback in callbacks:
        callback()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.backend == "recording"
    [message] = SENT
    assert message.phone == "13800138000" and message.body == notice.body and petition.number in message.subject
    assert AuditRecord.objects.filter(action="notice.deliver", object_id=str(notice.pk), outcome="ok").exists()


@override_settings(MINSHENG_NOTICE_BACKEND="minsheng.workflow.tests.test_notices.BrokenBackend")
def test_a_failed_delivery_is_recorded_and_retried(flow: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        petition = flow.forwarded()
    notice = Notice.objects.get(petition=petition, kind=NoticeKind.FORWARDING)
    assert notice.status == NoticeStatus.FAILED and "gateway down" in notice.error and notice.attempts == 1
    with override_settings(MINSHENG_NOTICE_BACKEND="minsheng.workflow.tests.test_notices.RecordingBackend"):
        assert notices_retry() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.attempts == 2


def test_the_console_backend_prints_the_notice(flow: Any, django_capture_on_commit_callbacks: Any, capsys: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        petition = flow.forwarded()
    out = capsys.readouterr().out
    assert "转送交办告知" in out and petition.number in out and "13800138000" in out


def test_a_petitioner_without_a_phone_gets_a_notice_to_post(flow: Any) -> None:
    from minsheng.petitions.services import PetitionerInput

    petition = flow.forwarded(flow.registered(petitioners=[PetitionerInput(name="李四", address="芙蓉区人民路1号")]))
    notice = Notice.objects.get(petition=petition, kind=NoticeKind.FORWARDING)
    assert notice.channel == "post" and notice.status == NoticeStatus.TO_POST


def test_notices_are_written_in_chinese_whatever_the_staff_reads(flow: Any) -> None:
    from django.utils import translation

    with translation.override("en"):
        petition = flow.forwarded()
    assert "转送" in Notice.objects.get(petition=petition, kind=NoticeKind.FORWARDING).body
