import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from minsheng.core import triggers
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append, audit_verify
from minsheng.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _append(n: int) -> list[AuditRecord]:
    return [
        audit_append(actor=Actor.system("test"), action="test.write", object_type="thing", object_id=i)
        for i in range(n)
    ]


def test_an_intact_chain_verifies_and_counts_its_rows(capsys: pytest.CaptureFixture[str]) -> None:
    _append(5)
    call_command("audit-verify")
    assert capsys.readouterr().out.strip() == "audit chain OK (5 events)"


def test_each_row_holds_the_hash_of_the_row_before() -> None:
    rows = _append(3)
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash


def test_the_database_refuses_to_update_or_delete_audit_rows() -> None:
    row = _append(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=row.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=row.pk).delete()


def test_verify_names_the_row_whose_content_was_altered() -> None:
    rows = _append(4)
    triggers.uninstall(connection)
    AuditRecord.objects.filter(pk=rows[2].pk).update(object_id="999")
    result = audit_verify()
    assert not result.ok
    assert f"seq {rows[2].seq}" in result.message and "altered" in result.message


def test_verify_names_the_gap_where_a_row_was_deleted() -> None:
    rows = _append(4)
    triggers.uninstall(connection)
    AuditRecord.objects.filter(pk=rows[1].pk).delete()
    result = audit_verify()
    assert not result.ok
    assert f"seq {rows[1].seq}" in result.message and "missing" in result.message


def test_verify_notices_when_the_last_rows_were_cut_off() -> None:
    rows = _append(3)
    triggers.uninstall(connection)
    AuditRecord.objects.filter(pk=rows[2].pk).delete()
    result = audit_verify()
    assert not result.ok and "after seq 2" in result.message


def test_an_audit_row_rolls_back_with_the_change_it_records() -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_append(actor=Actor.system("test"), action="test.write", object_type="thing")
        raise RuntimeError("the change failed")
    assert AuditRecord.objects.count() == before
    assert audit_verify().ok
