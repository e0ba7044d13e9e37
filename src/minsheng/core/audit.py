"""The tamper-evident audit trail: append, verify.

Every state change, reveal and export calls `audit_append` inside the transaction of the change,
so if the audit row cannot be written the change rolls back with it. Appending locks the single
`AuditHead` row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction is already
exclusive, see settings `transaction_mode`), so concurrent writers queue and never fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from minsheng.core.actors import Actor
from minsheng.core.models import AuditHead, AuditRecord

GENESIS = "0" * 64


def _canonical(
    *,
    seq: int,
    at: dt.datetime,
    actor_kind: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    data: dict[str, Any],
    prev_hash: str,
) -> bytes:
    body = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_kind": actor_kind,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "outcome": outcome,
        "data": data,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _row_hash(record: AuditRecord) -> str:
    return hashlib.sha256(
        _canonical(
            seq=record.seq,
            at=record.at,
            actor_kind=record.actor_kind,
            actor_id=record.actor_id,
            actor_label=record.actor_label,
            action=record.action,
            object_type=record.object_type,
            object_id=record.object_id,
            outcome=record.outcome,
            data=record.data,
            prev_hash=record.prev_hash,
        )
    ).hexdigest()


def _locked_head() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(pk=1)
    except AuditHead.DoesNotExist:
        try:
            with transaction.atomic():
                return AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        except IntegrityError:  # another writer created it first
            return AuditHead.objects.select_for_update().get(pk=1)


def audit_append(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    outcome: str = "ok",
    data: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one row. `data` holds ids, codes and dates only — never names, IDs or text."""
    with transaction.atomic():
        head = _locked_head()
        record = AuditRecord(
            seq=head.seq + 1,
            # Truncated to the microsecond both databases keep, so the hash re-computes.
            at=timezone.now(),
            actor_kind=actor.kind,
            actor_id=actor.user_id,
            actor_label=actor.label[:100],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome,
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=head.hash,
        )
        record.hash = _row_hash(record)
        record.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(seq=record.seq, hash=record.hash)
    return record


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    message: str


def audit_verify(*, batch: int = 5000) -> VerifyResult:
    """Walk the chain in sequence order; name the first row whose content, link or position is wrong.

    Each row's hash covers its content and the previous row's hash, so an altered row breaks its
    own hash, a deleted row leaves a gap in the sequence, a re-hashed forgery breaks the link of
    the row after it, and cutting rows off the end disagrees with the locked head row.
    """
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    while True:
        rows = list(AuditRecord.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch])
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return VerifyResult(
                    False,
                    count,
                    f"audit chain BROKEN at seq {expected_seq}: row missing (the next row is seq {row.seq}, id {row.id})",
                )
            if row.prev_hash != expected_prev:
                return VerifyResult(
                    False,
                    count,
                    f"audit chain BROKEN at seq {row.seq} (id {row.id}): link to the previous row does not match",
                )
            if _row_hash(row) != row.hash:
                return VerifyResult(
                    False, count, f"audit chain BROKEN at seq {row.seq} (id {row.id}): row content was altered"
                )
            expected_prev = row.hash
            expected_seq += 1
            count += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    if head_seq != count or head_hash != expected_prev:
        return VerifyResult(
            False,
            count,
            f"audit chain BROKEN after seq {count}: the head names seq {head_seq}; rows after seq {count} are missing",
        )
    return VerifyResult(True, count, f"audit chain OK ({count} events)")
