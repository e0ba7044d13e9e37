"""Encryption at rest of personal data (resident ID, phone, address) and keyed lookup hashes.

AES-256-GCM with a random 96-bit nonce per value; the column's name is bound as associated data,
so a ciphertext copied into another column does not decrypt. Each value records the key version
it was sealed with (`v2$...`), so keys rotate without a flag day: new writes use the newest key,
old rows keep decrypting, and `minsheng rotate-keys` re-seals them.

Exact-match search (same resident ID seen before?) uses an HMAC-SHA256 of the normalised value
under a separate lookup key: the database never holds anything that can be reversed or
brute-forced without that key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection, models, transaction
from django.dispatch import receiver

PREFIX = "v"


@functools.cache
def _keys() -> dict[int, AESGCM]:
    spec: str = settings.MINSHENG_DATA_KEYS
    keys: dict[int, AESGCM] = {}
    for item in spec.replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        version, _, b64 = item.partition(":")
        raw = base64.b64decode(b64)
        if len(raw) != 32:
            raise ImproperlyConfigured("each MINSHENG_DATA_KEYS key must be 32 bytes, base64-encoded")
        keys[int(version)] = AESGCM(raw)
    if not keys:
        raise ImproperlyConfigured("MINSHENG_DATA_KEYS is empty: run `minsheng init-secrets`")
    return keys


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "MINSHENG_DATA_KEYS":
        _keys.cache_clear()


def current_key_version() -> int:
    return max(_keys())


def encrypt(plaintext: str, *, context: str) -> str:
    version = current_key_version()
    nonce = os.urandom(12)
    sealed = _keys()[version].encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{PREFIX}{version}${base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, *, context: str) -> str:
    head, _, body = token.partition("$")
    if not head.startswith(PREFIX) or not body:
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(body)
    version = int(head[len(PREFIX) :])
    key = _keys().get(version)
    if key is None:
        raise ImproperlyConfigured(f"a value is sealed with data key v{version}, which MINSHENG_DATA_KEYS lacks")
    return key.decrypt(raw[:12], raw[12:], context.encode("utf-8")).decode("utf-8")


def key_version_of(token: str) -> int:
    return int(token.partition("$")[0][len(PREFIX) :])


def lookup_hash(kind: str, value: str) -> str:
    """Keyed hash for exact-match lookup; `kind` separates the spaces of IDs, phones, codes."""
    key = base64.b64decode(settings.MINSHENG_LOOKUP_KEY)
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text column stored sealed; the Python value is the plaintext ("" stays "")."""

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self._context = f"{cls._meta.app_label}.{cls.__name__}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, context=self._context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self._context)


# --- Key rotation -------------------------------------------------------------------------------


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def _qn(name: str | None) -> str:
    assert name is not None
    return str(connection.ops.quote_name(name))


def key_versions_in_use() -> dict[str, dict[int, int]]:
    """For each encrypted column, how many values each key version seals."""
    usage: dict[str, dict[int, int]] = {}
    # The SQL here names our own models' tables and columns, quoted; values go as parameters.
    for model, field in encrypted_columns():
        counts: dict[int, int] = {}
        table, column = _qn(model._meta.db_table), _qn(field.column)
        sql = f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608  # nosec B608
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for (token,) in cursor.fetchall():
                version = key_version_of(token)
                counts[version] = counts.get(version, 0) + 1
        usage[field._context] = counts
    return usage


def reseal_with_newest_key(*, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every value sealed with an older key version under the newest one.

    Works in batches, each its own transaction, and writes each value only if it is still the
    one that was read (compare-and-set), so it can run while the site is in use. Returns how many
    values of each column were re-sealed. A value whose key is no longer configured raises.
    """
    current = current_key_version()
    done: dict[str, int] = {}
    for model, field in encrypted_columns():
        table, column, pk = _qn(model._meta.db_table), _qn(field.column), _qn(model._meta.pk.column)
        select = f"SELECT {pk}, {column} FROM {table} WHERE {column} <> '' AND {column} NOT LIKE %s AND {pk} > %s"  # noqa: S608  # nosec B608
        select += f" ORDER BY {pk} LIMIT %s"
        update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608  # nosec B608
        count, last = 0, 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(select, [f"{PREFIX}{current}$%", last, batch])
                rows = cursor.fetchall()
                for row_id, token in rows:
                    fresh = encrypt(decrypt(token, context=field._context), context=field._context)
                    cursor.execute(update, [fresh, row_id, token])
                    count += cursor.rowcount
            if len(rows) < batch:
                break
            last = rows[-1][0]
        done[field._context] = count
    return done
