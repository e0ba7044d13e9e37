"""Retention: personal data of long-ended cases is cleared; statistics and the audit trail stay."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from conftest import VALID_ID
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_verify
from minsheng.core.models import AuditRecord
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Attachment, Petition, Petitioner, PetitionEvent
from minsheng.petitions.services import ProxyInput, UploadInput, petition_update
from minsheng.privacy.models import Export, PurgedCase, RevealLog
from minsheng.privacy.retention import purge
from minsheng.privacy.services import petitioner_reveal
from minsheng.workflow.states import Status

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def case(org: Any, register: Any, *, ended: dt.datetime | None, status: str = Status.CLOSED, **overrides: Any) -> Any:
    """A case registered a month before it ended (or still open), with a note, a reveal and a file."""
    started = (ended or NOW) - dt.timedelta(days=30)
    with time_machine.travel(started, tick=False):
        petition = register(
            org.units.a,
            actor=Actor.staff(org.registrar_a),
            attachments=[UploadInput(name="照片.txt", content=f"evidence {overrides.get('title', '')}".encode())],
            **overrides,
        ).petition
        petition_update(actor=Actor.staff(org.registrar_a), petition=petition, facts="更正后的事实：张三家门口")
        petitioner_reveal(
            actor=Actor.staff(org.registrar_a),
            petitioner=petition.petitioners.get(),
            reason="other",
            detail="核对张三身份",
        )
    if ended is not None:
        with time_machine.travel(ended, tick=False):
            # what the workflow's closing transition does: status and its event
            Petition.objects.filter(pk=petition.pk).update(status=status)
            event_record(
                petition=petition,
                actor=Actor.staff(org.registrar_a),
                action="close",
                from_status=Status.REGISTERED,
                to_status=status,
                note="已答复信访人张三",
            )
    return Petition.objects.get(pk=petition.pk)


def statistics() -> list[dict[str, Any]]:
    return list(
        Petition.objects.values("category", "region", "channel", "nature", "status", month=TruncMonth("received_at"))
        .annotate(n=Count("id"), people=Count("petitioners"))
        .order_by("category", "region", "channel", "month", "status")
    )


@pytest.fixture
def cases(org: Any, register: Any) -> Any:
    years = dt.timedelta(days=365 * 6)
    return {
        "old_closed": case(org, register, ended=NOW - years, title="旧的已办结"),
        "old_withdrawn": case(
            org,
            register,
            ended=NOW - years,
            status=Status.WITHDRAWN,
            title="旧的已撤回",
            channel="visit",
            proxy=ProxyInput(name="代理人李四", relation="子女", consent="委托书", phone="13700137000"),
        ),
        "recent_closed": case(org, register, ended=NOW - dt.timedelta(days=30), title="近期办结"),
        "old_open": case(org, register, ended=None, title="仍在办理"),
    }


def test_the_purge_clears_the_personal_data_of_long_ended_cases(
    cases: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = cases["old_closed"]
    files = [a.file.name for a in old.attachments.all()]
    assert files and all(default_storage.exists(name) for name in files)

    # files are deleted once the database change has committed
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        report = purge(days=5 * 365)

    assert sorted(report.cases) == sorted([old.pk, cases["old_withdrawn"].pk])
    old.refresh_from_db()
    assert (old.title, old.request, old.facts, old.address) == ("—", "", "", "")
    person = Petitioner.objects.get(petition=old)
    assert (person.name, person.id_number, person.phone, person.address) == ("", "", "", "")
    assert (person.id_number_hash, person.phone_hash) == ("", "")
    assert not Attachment.objects.filter(petition=old).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert all(e.note == "" and e.changes == {} for e in PetitionEvent.objects.filter(petition=old))
    assert RevealLog.objects.get(petition=old).detail == ""
    proxy = Petition.objects.get(pk=cases["old_withdrawn"].pk)
    assert (proxy.proxy_name, proxy.proxy_phone, proxy.proxy_consent) == ("", "", "—")
    assert not Petitioner.objects.filter(id_number_hash__gt="", petition__purge__isnull=False).exists()


def test_cases_still_open_or_recently_ended_keep_everything(cases: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        purge(days=5 * 365)
    for name in ("recent_closed", "old_open"):
        petition = Petition.objects.get(pk=cases[name].pk)
        assert petition.facts == "更正后的事实：张三家门口"
        assert petition.petitioners.get().id_number == VALID_ID
        assert petition.attachments.count() == 1
        assert not PurgedCase.objects.filter(petition=petition).exists()


def test_statistics_and_the_audit_chain_survive(cases: Any) -> None:
    before = statistics()
    audit_before = AuditRecord.objects.count()
    with time_machine.travel(NOW, tick=False):
        purge(days=5 * 365)
    assert statistics() == before
    assert audit_verify().ok
    assert AuditRecord.objects.count() > audit_before  # nothing removed from the chain, rows added


def test_the_purge_is_itself_audited(cases: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        purge(days=5 * 365)
    old = cases["old_closed"]
    row = AuditRecord.objects.get(action="petition.purge", object_id=str(old.pk))
    assert row.data == {"attachments": 1, "retention_days": 5 * 365}
    assert PurgedCase.objects.get(petition=old).audit_seq == row.seq
    summary = AuditRecord.objects.get(action="retention.purge")
    assert summary.data["cases"] == 2 and summary.data["cutoff"] == "2021-11-02"
    assert old.events.filter(action="purge").exists()


def test_a_second_run_finds_nothing_more(cases: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        purge(days=5 * 365)
        assert purge(days=5 * 365).cases == []


def test_a_dry_run_changes_nothing(cases: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        report = purge(days=5 * 365, dry_run=True)
    assert len(report.cases) == 2
    assert not PurgedCase.objects.exists()
    assert Petition.objects.get(pk=cases["old_closed"].pk).petitioners.get().id_number == VALID_ID


def test_expired_exports_lose_their_file_but_keep_their_record(
    org: Any, register: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from minsheng.petitions.selectors import PetitionFilters
    from minsheng.privacy.services import petitions_export

    register(org.units.a)
    export = petitions_export(actor=Actor.staff(org.registrar_a), filters=PetitionFilters(q="油烟"))
    name = export.file.name
    later = timezone.now() + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert purge().exports == 1
    export.refresh_from_db()
    assert export.removed_at is not None and not export.file and export.params == {}
    assert not default_storage.exists(name)
    assert AuditRecord.objects.filter(action="export.remove", object_id=str(export.pk)).exists()
    assert Export.objects.count() == 1


def test_the_command_reports_and_verifies(cases: Any, capsys: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("purge", "--days", str(5 * 365))
    out = capsys.readouterr().out
    assert "2 case(s) that ended before 2021-11-02 cleared" in out
    assert "audit chain OK" in out
