"""Retention: personal data of ended cases is kept MINSHENG_RETENTION_DAYS, then cleared.

PIPL Art. 19 and 47: personal information is kept no longer than the purpose needs. A case has
ended when it reached a terminal status (closed, not accepted, withdrawn, merged; workflow/states.py)
and nothing has happened to it since. The purge clears what identifies or describes people —
petitioners' names, resident IDs, phones, addresses and their lookup hashes, the proxy's name,
phone and consent note, the title, request, facts and problem address, attachments (rows and
files), notes and before/after values on the timeline, the free-text note of reveal records —
and keeps what statistics and accountability need: the case number, channel, nature, category,
region, dates, status, units, the timeline's skeleton (who, when, which step) and the whole
audit trail, to which each purge adds a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.ratelimit import purge_old_counters
from minsheng.intel.services import petition_unindex
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Attachment, Petition, Petitioner, PetitionEvent
from minsheng.privacy.models import Export, PurgedCase, RevealLog
from minsheng.workflow.states import TERMINAL

# Language-neutral filler where the schema requires text (titles, and the proxy consent that a
# check constraint requires of proxy filings).
CLEARED = "—"


@dataclass
class PurgeReport:
    cutoff: dt.datetime
    cases: list[int] = field(default_factory=list)
    exports: int = 0
    login_records: int = 0


def ended_at() -> Coalesce:
    """When the case last reached a terminal status (its last such event; else its last update)."""
    last_terminal = (
        PetitionEvent.objects.filter(petition=OuterRef("pk"), to_status__in=TERMINAL)
        .order_by()
        .values("petition")
        .annotate(at=Max("at"))
        .values("at")
    )
    return Coalesce(Subquery(last_terminal), "updated_at")


def cases_due(*, now: dt.datetime, days: int) -> QuerySet[Petition]:
    cutoff = now - dt.timedelta(days=days)
    purged = PurgedCase.objects.filter(petition=OuterRef("pk"))
    later = PetitionEvent.objects.filter(petition=OuterRef("pk"), at__gt=cutoff)
    return (
        Petition.objects.filter(status__in=TERMINAL)
        .annotate(ended=ended_at())
        .filter(ended__lt=cutoff)
        .exclude(Exists(purged))
        .exclude(Exists(later))
        .order_by("id")
    )


def case_purge(*, actor: Actor, petition_id: int, cutoff: dt.datetime) -> bool:
    """Clear one ended case's personal data, in one transaction with its audit row."""
    files: list[str] = []
    with transaction.atomic():
        petition = Petition.objects.select_for_update().filter(pk=petition_id).first()
        if (
            petition is None
            or petition.status not in TERMINAL
            or PurgedCase.objects.filter(petition=petition).exists()
            or PetitionEvent.objects.filter(petition=petition, at__gt=cutoff).exists()
        ):
            return False  # changed since it was selected: leave it for the next run
        attachments = list(Attachment.objects.filter(petition=petition))
        files = [str(a.file.name) for a in attachments if a.file]
        Attachment.objects.filter(petition=petition).delete()
        Petitioner.objects.filter(petition=petition).update(
            name="", id_number="", id_number_hash="", phone="", phone_hash="", address="", external_ref=""
        )
        Petition.objects.filter(pk=petition.pk).update(
            title=CLEARED,
            request="",
            facts="",
            address="",
            proxy_name="",
            proxy_relation="",
            proxy_phone="",
            proxy_consent=CLEARED if petition.is_proxy else "",
        )
        PetitionEvent.objects.filter(petition=petition).update(note="", changes={})
        petition_unindex(petition_id=petition.pk)
        RevealLog.objects.filter(petition=petition).update(detail="")
        event = event_record(
            petition=petition,
            actor=actor,
            action="purge",
            audit_data={"attachments": len(attachments), "retention_days": settings.MINSHENG_RETENTION_DAYS},
        )
        assert event.audit_seq is not None
        PurgedCase.objects.create(petition=petition, purged_at=event.at, audit_seq=event.audit_seq)
        transaction.on_commit(lambda: _delete_files(files))
    return True


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        # Identical files are stored once per petition (the name is the content hash), so a file
        # goes only with the last attachment row that names it.
        if not Attachment.objects.filter(file=name).exists():
            default_storage.delete(name)


def exports_expire(*, actor: Actor, now: dt.datetime) -> int:
    """Delete export files past their date; the row stays as the record that they existed."""
    count = 0
    for export in Export.objects.filter(expires_at__lt=now, removed_at__isnull=True):
        with transaction.atomic():
            name = str(export.file.name or "")
            Export.objects.filter(pk=export.pk).update(file="", params={}, removed_at=now)
            audit_append(actor=actor, action="export.remove", object_type="export", object_id=export.pk, data={})
            if name:
                transaction.on_commit(partial(_delete_export_file, name))
        count += 1
    return count


def _delete_export_file(name: str) -> None:
    from django.core.files.storage import default_storage

    default_storage.delete(name)


def login_records_expire(*, now: dt.datetime) -> int:
    """Sign-in records (django-axes: usernames, addresses, browsers) and dead sessions."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = now - dt.timedelta(days=settings.MINSHENG_LOGIN_RECORD_DAYS)
    removed = 0
    for model, column in (
        (AccessLog, "attempt_time"),
        (AccessFailureLog, "attempt_time"),
        (AccessAttempt, "attempt_time"),
    ):
        removed += model.objects.filter(**{f"{column}__lt": cutoff}).delete()[0]
    Session.objects.filter(expire_date__lt=now).delete()
    purge_old_counters()
    return removed


def purge(*, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False) -> PurgeReport:
    """Run the whole retention schedule (the `minsheng purge` command, or a nightly task)."""
    now = now or timezone.now()
    days = settings.MINSHENG_RETENTION_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    report = PurgeReport(cutoff=cutoff)
    due = list(cases_due(now=now, days=days).values_list("id", flat=True))
    if dry_run:
        report.cases = due
        report.exports = Export.objects.filter(expires_at__lt=now, removed_at__isnull=True).count()
        return report
    actor = Actor.system("retention")
    report.cases = [pk for pk in due if case_purge(actor=actor, petition_id=pk, cutoff=cutoff)]
    report.exports = exports_expire(actor=actor, now=now)
    report.login_records = login_records_expire(now=now)
    audit_append(
        actor=actor,
        action="retention.purge",
        object_type="retention",
        data={
            "cases": len(report.cases),
            "exports": report.exports,
            "login_records": report.login_records,
            "cutoff": cutoff.date().isoformat(),
        },
    )
    return report
