import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from conftest import petition_data
from minsheng.core import triggers
from minsheng.core.actors import Actor
from minsheng.core.audit import _row_hash, audit_append, audit_verify
from minsheng.core.models import AuditHead, AuditRecord
from minsheng.core.testing.faults import audit_writes_fail
from minsheng.orgs.roles import Role
from minsheng.orgs.services import user_set_roles
from minsheng.petitions.models import Petition, Petitioner
from minsheng.petitions.services import petition_update

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


def test_the_database_refuses_to_delete_the_head_of_the_chain() -> None:
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.all().delete()


def test_verify_notices_a_row_forged_together_with_its_own_hash() -> None:
    rows = _append(4)
    triggers.uninstall(connection)
    forged = AuditRecord.objects.get(pk=rows[1].pk)
    forged.object_id = "999"
    forged.hash = _row_hash(forged)
    forged.save()
    result = audit_verify()
    assert not result.ok
    assert f"seq {rows[2].seq}" in result.message and "link to the previous row" in result.message


class TestAChangeWhoseAuditRowFailsDoesNotHappen:
    def test_registration(self, org: Any, register: Any) -> None:
        with audit_writes_fail(), pytest.raises(DatabaseError):
            register(org.units.a)
        assert not Petition.objects.exists() and not Petitioner.objects.exists()

    def test_correction_of_a_petition(self, org: Any, register: Any) -> None:
        petition = register(org.units.a).petition
        with audit_writes_fail(), pytest.raises(DatabaseError):
            petition_update(actor=Actor.staff(org.registrar_a), petition=petition, title="新的标题")
        petition.refresh_from_db()
        assert petition.title != "新的标题" and petition.events.count() == 1

    def test_a_change_of_roles(self, org: Any) -> None:
        with audit_writes_fail(), pytest.raises(DatabaseError):
            user_set_roles(actor=Actor.system("test"), user=org.handler_a, roles=[Role.ADMIN])
        assert set(org.handler_a.roles.values_list("role", flat=True)) == {Role.HANDLER}

    def test_a_sign_in(self, client: Client, org: Any) -> None:
        from minsheng.accounts.testing import ensure_totp_device, fresh_totp_code

        ensure_totp_device(org.registrar_a)
        client.post(reverse("login"), {"username": "registrar_a", "password": "correct-horse-battery"})
        code = fresh_totp_code(org.registrar_a)
        client.raise_request_exception = False
        with audit_writes_fail():
            assert client.post(reverse("login_verify"), {"code": code}).status_code == 500
        assert client.get(reverse("workbench:home")).status_code == 302


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under real concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
class TestSixteenConcurrentWriters:
    """Must show 3: 16 threads write at once; the chain does not fork, verifies, and then names
    the row that is altered or deleted behind the trigger's back."""

    THREADS = 16
    EACH = 25

    def _write_concurrently(self, org: Any) -> None:
        from minsheng.core.actors import Actor
        from minsheng.petitions.services import petition_register

        barrier = threading.Barrier(self.THREADS)
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                barrier.wait()
                for i in range(self.EACH):
                    if n % 2:
                        audit_append(actor=Actor.system(f"t{n}"), action="test.write", object_type="thing", object_id=i)
                    else:
                        petition_register(actor=Actor.system(f"t{n}"), unit=org.units.a, data=petition_data())
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(n,)) for n in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

    def test_the_chain_stays_one_chain_and_verifies(self, transactional_org: Any, capsys: Any) -> None:
        before = AuditRecord.objects.count()
        self._write_concurrently(transactional_org)
        total = AuditRecord.objects.count()
        # every write landed (a registration also audits what it sets off, e.g. repeat links)
        assert total >= before + self.THREADS * self.EACH
        seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(seqs[0], seqs[0] + total)), "the sequence has a gap or a duplicate"
        prev_hashes = list(AuditRecord.objects.values_list("prev_hash", flat=True))
        assert len(set(prev_hashes)) == len(prev_hashes), "two rows claim the same predecessor: a fork"
        call_command("audit-verify")
        assert capsys.readouterr().out.strip() == f"audit chain OK ({total} events)"

        victim = AuditRecord.objects.order_by("seq")[total // 2]
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER core_auditrecord_append_only ON core_auditrecord")
            cursor.execute("UPDATE core_auditrecord SET object_id = 'tampered' WHERE id = %s", [victim.pk])
        with pytest.raises(SystemExit):
            call_command("audit-verify")
        assert f"BROKEN at seq {victim.seq} (id {victim.pk}): row content was altered" in capsys.readouterr().err

        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditrecord SET object_id = %s WHERE id = %s", [victim.object_id, victim.pk])
            cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [victim.pk])
        with pytest.raises(SystemExit):
            call_command("audit-verify")
        assert f"BROKEN at seq {victim.seq}: row missing" in capsys.readouterr().err
