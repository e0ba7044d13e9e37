"""Backup and restore of the whole instance: the database and the uploaded files.

A backup is one `.tar.gz` holding `manifest.json`, the database (`database.sqlite3`, made with
SQLite's online backup API, or `database.pgdump`, PostgreSQL's custom format from pg_dump) and
`media/` (attachments, exports). The manifest records, from the same snapshot as the dump, the row
count of every table and the head of the audit chain, plus SHA-256 sums of every file and
fingerprints of the data keys the personal data needs. Restore checks all of that before touching
anything, replaces the database in one transaction, then the files, and checks again: the same row
counts and a verifying audit chain, or it says what differs.

The keys are never in a backup (MINSHENG_DATA_KEYS, MINSHENG_LOOKUP_KEY, SECRET_KEY): without them
the resident IDs, phones and addresses in it cannot be read. Keep them apart from the backups.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from minsheng.core.audit import GENESIS, audit_verify
from minsheng.core.crypto import key_versions_in_use

FORMAT = 1
DB_SQLITE = "database.sqlite3"
DB_PG = "database.pgdump"


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    audit_message: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprints() -> dict[str, str]:
    """A short hash of each configured data key: enough to tell keys apart, useless to an attacker."""
    spec: str = settings.MINSHENG_DATA_KEYS
    prints: dict[str, str] = {}
    for item in spec.replace("\n", ",").split(","):
        version, _, b64 = item.strip().partition(":")
        if b64:
            prints[version] = hashlib.sha256(b"minsheng-key-fingerprint" + base64.b64decode(b64)).hexdigest()[:16]
    return prints


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "LANG", "LC_ALL", "HOME"}}
    env |= {
        "PGHOST": str(db.get("HOST") or "127.0.0.1"),
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": str(db.get("USER") or ""),
        "PGDATABASE": str(db["NAME"]),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: on Debian/Ubuntu `apt-get install postgresql-client` "
            "(its major version must be at least the server's)"
        )
    result = subprocess.run(command, capture_output=True, env=_pg_env(), check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    return result


def _counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        # table names come from the database's own catalogue, quoted
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _head(cursor: Any) -> dict[str, Any]:
    cursor.execute("SELECT seq, hash FROM core_audithead WHERE id = 1")
    row = cursor.fetchone()
    return {"seq": int(row[0]), "hash": row[1]} if row else {"seq": 0, "hash": GENESIS}


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy is a consistent snapshot even while others write.
        connection.connection.backup(destination)
        cursor = destination.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return _counts(cursor, tables), _head(cursor)
    finally:
        destination.close()


def _dump_postgres(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    # pg_dump reads the snapshot this transaction exports, so the counts and the audit head in the
    # manifest describe exactly the data in the dump, however busy the site is.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)]
        )
        tables = connection.introspection.table_names(cursor)
        return _counts(cursor, tables), _head(cursor)


def backup(*, output: Path) -> dict[str, Any]:
    """Write a backup archive to `output`; return its manifest."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups of {vendor} databases are not supported")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as tmp:
        db_name = DB_SQLITE if vendor == "sqlite" else DB_PG
        db_file = Path(tmp) / db_name
        counts, head = _dump_sqlite(db_file) if vendor == "sqlite" else _dump_postgres(db_file)
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "database": {"file": db_name, "sha256": _sha256(db_file)},
            "tables": counts,
            "audit_head": head,
            "data_keys": {
                "fingerprints": key_fingerprints(),
                "versions_in_use": sorted({str(v) for usage in key_versions_in_use().values() for v in usage}, key=int),
            },
            "media": {str(p.relative_to(media)): _sha256(p) for p in media_files},
        }
        manifest_file = Path(tmp) / "manifest.json"
        manifest_file.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_file, arcname="manifest.json")
            archive.add(db_file, arcname=db_name)
            for path in media_files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
        partial.chmod(0o600)  # personal data (sealed) and names: owner only
        os.replace(partial, output)
    return manifest


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError(f"{archive} has no manifest.json: not a Minsheng backup")
        manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is backup format {manifest.get('format')}, this version reads {FORMAT}")
    return manifest


def _check_keys(manifest: dict[str, Any]) -> None:
    have = key_fingerprints()
    needed = manifest["data_keys"]["versions_in_use"]
    wrong = [v for v in needed if have.get(v) != manifest["data_keys"]["fingerprints"].get(v)]
    if wrong:
        raise BackupError(
            "the personal data in this backup is sealed with data key version(s) "
            f"{', '.join('v' + v for v in wrong)}, which MINSHENG_DATA_KEYS here lacks or holds a different key for: "
            "set the keys of the instance that made the backup first"
        )


def _restore_sqlite(db_file: Path) -> None:
    source = sqlite3.connect(db_file)
    try:
        connection.ensure_connection()
        # Page by page into the live database, as one write transaction: readers see the old or
        # the new database, never a mixture.
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgres(db_file: Path) -> None:
    script = _run(["pg_restore", "--no-owner", "--no-privileges", "-f", "-", str(db_file)]).stdout
    # One transaction: the schema is emptied and refilled together, or not at all.
    _run(
        ["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "--single-transaction"],
        input=b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" + script,
    )


def _swap_media(extracted: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    old = media.with_name(f".{media.name}.before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media.exists():
        media.rename(old)
    if extracted.is_dir():
        shutil.move(str(extracted), str(media))
    else:
        media.mkdir()
    if old.exists():
        shutil.rmtree(old)


def restore(*, archive: Path) -> RestoreReport:
    """Replace the database and uploaded files with the backup's; verify counts and the chain."""
    manifest = read_manifest(archive)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"this backup is of a {manifest['vendor']} database and this instance uses {connection.vendor}: "
            "restore it into the same kind of database"
        )
    _check_keys(manifest)
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")  # refuses absolute paths, "..", devices and links out
        db_file = Path(tmp) / manifest["database"]["file"]
        if _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError("the database file in the backup does not match its checksum: the archive is damaged")
        for name, digest in manifest["media"].items():
            path = Path(tmp) / "media" / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"the file media/{name} in the backup is missing or damaged")
        connections.close_all()
        if manifest["vendor"] == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgres(db_file)
        connections.close_all()
        _swap_media(Path(tmp) / "media")
    with connection.cursor() as cursor:
        counts = _counts(cursor, connection.introspection.table_names(cursor))
        head = _head(cursor)
    if counts != manifest["tables"]:
        differ = sorted(t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"after the restore these tables do not hold the backed-up row counts: {', '.join(differ)}")
    result = audit_verify()
    if not result.ok or head != manifest["audit_head"]:
        raise BackupError(f"after the restore the audit chain does not verify: {result.message}")
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), audit_message=result.message)
