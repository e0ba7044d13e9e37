"""Must show 4: backup -> wipe -> restore reproduces every table's row count, the files and a
verifying audit chain, on SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore)."""

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from conftest import VALID_ID
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_verify
from minsheng.core.backup import BackupError, _counts, backup, restore
from minsheng.core.models import AuditRecord
from minsheng.petitions.models import Attachment, Petitioner
from minsheng.petitions.selectors import PetitionFilters
from minsheng.petitions.services import UploadInput, petition_register
from minsheng.privacy.services import petitioner_reveal, petitions_export

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def instance(transactional_org: Any, media: Path) -> Any:
    from conftest import petition_data

    org = transactional_org
    for n in range(3):
        registration = petition_register(
            actor=Actor.staff(org.registrar_a),
            unit=org.units.a,
            data=petition_data(
                title=f"事项{n}", attachments=[UploadInput(name=f"{n}.txt", content=f"证据{n}".encode())]
            ),
        )
        petitioner_reveal(
            actor=Actor.staff(org.registrar_a), petitioner=registration.petition.petitioners.get(), reason="contact"
        )
    petitions_export(actor=Actor.staff(org.registrar_a), filters=PetitionFilters())
    return org


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _counts(cursor, connection.introspection.table_names(cursor))


def wipe(media: Path) -> None:
    """Lose everything: every table and every uploaded file."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert connection.introspection.table_names() == []


def test_backup_wipe_restore_reproduces_counts_files_and_the_chain(
    instance: Any, media: Path, tmp_path: Path, capsys: Any
) -> None:
    counts = table_counts()
    files = {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert counts["core_auditrecord"] > 10 and counts["petitions_attachment"] == 3 and len(files) == 4

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    assert "backup written" in capsys.readouterr().out
    assert archive.stat().st_mode & 0o777 == 0o600

    wipe(media)
    call_command("restore", str(archive), "--yes")
    out = capsys.readouterr().out
    assert f"restored {len(counts)} tables, {sum(counts.values())} rows" in out
    assert f"audit chain OK ({counts['core_auditrecord']} events)" in out

    assert table_counts() == counts
    assert {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()} == files
    assert {p.id_number for p in Petitioner.objects.all()} == {VALID_ID}
    assert Attachment.objects.first().file.read().decode().startswith("证据")
    assert audit_verify().ok
    with pytest.raises(DatabaseError), transaction.atomic():  # the append-only guard came back too
        AuditRecord.objects.update(action="tampered")


def test_the_manifest_describes_the_dump(instance: Any, tmp_path: Path) -> None:
    manifest = backup(output=tmp_path / "b.tar.gz")
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == table_counts()
    assert manifest["audit_head"]["seq"] == audit_verify().count
    assert manifest["data_keys"]["versions_in_use"] == ["1"]


def _rewrite(archive: Path, change: Any) -> Path:
    """A copy of the archive with one member changed by `change(name, bytes) -> bytes`."""
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else b""
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return damaged


def test_a_damaged_archive_is_refused_before_anything_changes(instance: Any, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    backup(output=archive)
    counts = table_counts()
    damaged = _rewrite(archive, lambda name, data: data + b"x" if name.startswith("media/attachments") else data)
    with pytest.raises(BackupError, match="missing or damaged"):
        restore(archive=damaged)
    assert table_counts() == counts


def test_a_backup_from_another_kind_of_database_is_refused(instance: Any, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    backup(output=archive)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["vendor"] = other
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError, match=f"backup is of a {other} database"):
        restore(archive=_rewrite(archive, relabel))


def test_without_the_data_keys_of_the_backup_it_is_refused(instance: Any, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    backup(output=archive)
    with (
        override_settings(MINSHENG_DATA_KEYS="1:" + "A" * 43 + "="),
        pytest.raises(BackupError, match="data key version\\(s\\) v1"),
    ):
        restore(archive=archive)


def test_restore_asks_before_replacing_everything(instance: Any, tmp_path: Path, monkeypatch: Any) -> None:
    archive = tmp_path / "b.tar.gz"
    backup(output=archive)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(SystemExit):
        call_command("restore", str(archive))
