"""Notices owed to the petitioner: recorded on the case in the transaction of the step that owes
them, delivered after commit through the configured channel, retried when delivery fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.tasks import enqueue
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow.models import Notice, NoticeChannel, NoticeKind, NoticeStatus
from minsheng.workflow.notify import OutgoingNotice, notice_backend

# R22 Art. 23 ¶2: the written notice of acceptance (and of where it went) is not owed when the
# petitioner's name or address is unclear.
WAIVED_WHEN_IDENTITY_INCOMPLETE = frozenset({NoticeKind.ACCEPTANCE, NoticeKind.NON_ACCEPTANCE, NoticeKind.FORWARDING})
MAX_ATTEMPTS = 5
# Set by the demo, which replays a year of history in one transaction: notices are delivered as
# they are created (at the simulated time) instead of all at once when the transaction commits.
_deliver_inline: ContextVar[bool] = ContextVar("notices_deliver_inline", default=False)


@contextmanager
def notices_delivered_inline() -> Iterator[None]:
    token = _deliver_inline.set(True)
    try:
        yield
    finally:
        _deliver_inline.reset(token)


def _contact(petition: Petition) -> tuple[str, str]:
    """(phone, e-mail) to reach the petitioner: the first representative or petitioner, else the proxy."""
    people = sorted(petition.petitioners.all(), key=lambda p: (not p.is_representative, p.position, p.pk))
    for person in people:
        if person.phone:
            return person.phone, getattr(person, "email", "") or ""
    if petition.is_proxy and petition.proxy_phone:
        return petition.proxy_phone, ""
    return "", ""


def notice_create(
    *, petition: Petition, kind: str, body: str, article: str = "", event: PetitionEvent | None = None
) -> Notice:
    """Record a notice on the case; queue its delivery to run once the transaction commits."""
    phone, email = _contact(petition)
    if petition.identity_incomplete and kind in WAIVED_WHEN_IDENTITY_INCOMPLETE:
        channel, status = (NoticeChannel.SMS if phone else NoticeChannel.POST), NoticeStatus.NOT_OWED
    elif phone:
        channel, status = NoticeChannel.SMS, NoticeStatus.QUEUED
    elif email:
        channel, status = NoticeChannel.EMAIL, NoticeStatus.QUEUED
    else:
        channel, status = NoticeChannel.POST, NoticeStatus.TO_POST
    notice = Notice.objects.create(
        petition=petition,
        kind=kind,
        channel=channel,
        body=body,
        article=article,
        status=status,
        created_at=timezone.now(),
        event=event,
    )
    if status == NoticeStatus.QUEUED:
        from minsheng.workflow.tasks import notice_deliver_task

        if _deliver_inline.get():
            notice.petition = petition
            return _send(notice, phone, email)
        enqueue(notice_deliver_task, notice.pk)
    return notice


def notice_deliver(notice_id: int) -> Notice:
    """Send one queued (or failed) notice; record the outcome in the row and the audit trail."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("petition").get(pk=notice_id)
        if notice.status not in {NoticeStatus.QUEUED, NoticeStatus.FAILED} or notice.attempts >= MAX_ATTEMPTS:
            return notice
        phone, email = _contact(notice.petition)
        return _send(notice, phone, email)


def _send(notice: Notice, phone: str, email: str) -> Notice:
    """Hand one notice to the backend and record the outcome (inside the caller's transaction)."""
    backend = notice_backend()
    notice.attempts += 1
    message = OutgoingNotice(
        notice_id=notice.pk,
        channel=notice.channel,
        phone=phone,
        email=email,
        subject=_("【信访事项%(number)s】%(kind)s")
        % {"number": notice.petition.number, "kind": notice.get_kind_display()},
        body=notice.body,
    )
    try:
        backend.send(message)
    except Exception as exc:  # any failure of a channel is recorded and retried, never raised
        notice.status = NoticeStatus.FAILED
        notice.error = f"{type(exc).__name__}: {exc}"[:300]
    else:
        notice.status = NoticeStatus.SENT
        notice.sent_at = timezone.now()
        notice.error = ""
    notice.backend = backend.label
    notice.save(update_fields=["status", "attempts", "error", "sent_at", "backend"])
    audit_append(
        actor=Actor.system("notices"),
        action="notice.deliver",
        object_type="notice",
        object_id=notice.pk,
        outcome="ok" if notice.status == NoticeStatus.SENT else "failed",
        data={
            "petition": notice.petition_id,
            "kind": notice.kind,
            "channel": notice.channel,
            "backend": backend.label,
        },
    )
    return notice


def notices_retry() -> int:
    """Queue again every notice whose delivery failed (the daily job)."""
    from minsheng.workflow.tasks import notice_deliver_task

    ids = list(
        Notice.objects.filter(status=NoticeStatus.FAILED, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
    )
    for notice_id in ids:
        notice_deliver_task(notice_id)
    return len(ids)
