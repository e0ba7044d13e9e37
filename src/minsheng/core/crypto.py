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
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

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
    key = _keys()[int(head[len(PREFIX) :])]
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
