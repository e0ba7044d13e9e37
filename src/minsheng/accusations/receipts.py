"""Receipt codes of accusations: a public locator to find the record, a secret to prove it.

    7KQ2M9XD · 4TRW8HBN5G3CVZ1P6YJ0AEFS2KQM   (shown as 9 groups of 4)
    locator    secret: 28 Crockford base32 characters = 140 bits, stored only as an Argon2id hash

The locator lets the record be found without storing anything that verifies the secret quickly;
Argon2id makes each guess of a stolen hash cost memory and time, and 140 bits leave nothing to guess.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
LOCATOR_LENGTH = 8
SECRET_LENGTH = 28  # 28 x 5 bits = 140 bits of randomness (at least 128 required)
_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


@dataclass(frozen=True)
class ReceiptCode:
    locator: str
    secret: str

    def __str__(self) -> str:
        raw = self.locator + self.secret
        return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_receipt() -> ReceiptCode:
    return ReceiptCode(locator=_random(LOCATOR_LENGTH), secret=_random(SECRET_LENGTH))


def new_locator() -> str:
    return _random(LOCATOR_LENGTH)


def parse_receipt(text: str) -> ReceiptCode | None:
    """Read a typed code: case, spaces and dashes do not matter; O/I/L read as 0/1/1."""
    raw = (text or "").upper().replace("-", "").replace(" ", "")
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(raw) != LOCATOR_LENGTH + SECRET_LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return ReceiptCode(locator=raw[:LOCATOR_LENGTH], secret=raw[LOCATOR_LENGTH:])


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


@functools.cache
def _decoy_hash() -> str:
    return _hasher.hash(_random(SECRET_LENGTH))


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """Constant work whether or not the locator matched a record (a decoy hash is checked instead)."""
    try:
        return _hasher.verify(stored_hash or _decoy_hash(), secret) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False
