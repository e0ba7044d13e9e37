"""MinHash signatures and LSH band keys of a petition's text (pure functions, no database).

The parameters were chosen by measurement (bench/bench_neardup.py): 3-character shingles, 96
permutations read as 24 bands of 4 rows, and a match threshold of Jaccard ≥ 0.6. A pair with
Jaccard J shares at least one band with probability 1 − (1 − J⁴)²⁴: 0.96 at J = 0.6, 0.999 at
J = 0.7, 0.03 at J = 0.3 — so true matches are almost always candidates and unrelated texts
rarely are; every candidate is then verified by exact Jaccard, so no false match is shown.

Each band is stored as one signed 32-bit integer (a keyed-free hash of the band's four values):
4 bytes instead of 8 halves the index, and a chance collision between two different bands
(about one in 4·10⁹ per pair of bands) only adds a candidate that exact verification drops.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from minsheng.intel.text import shingles

NUM_PERM = 96
BANDS = 24
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.6
SEED = 1
# datasketch 2's 32-bit affine permutations (a bijection, uint32 values); changing it changes every
# key, so the index must then be rebuilt (`minsheng neardup-rebuild`).
SCHEME = "affine32"
BAND_FIELDS = tuple(f"b{i:02d}" for i in range(BANDS))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # Immutable after creation; building them costs more than hashing a short petition.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations  # type: ignore[no-any-return]


def petition_text(title: str, request: str, facts: str) -> str:
    """The text a petition is compared by: what it is about, what it asks and why."""
    parts = [title or ""]
    if request and request != title:  # imported messages repeat the title as the request
        parts.append(request)
    parts.append(facts or "")
    return "\n".join(parts)


def signature(shingle_set: Iterable[str]) -> np.ndarray:
    """The 96 MinHash values of a shingle set (datasketch, fixed seed: stable across processes)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingle_set])
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def _signed32(value: int) -> int:
    return value - (1 << 32) if value >= (1 << 31) else value


def band_keys(hashvalues: np.ndarray) -> list[int]:
    """One signed 32-bit key per band (fits PostgreSQL's `integer`)."""
    rows = hashvalues.astype("<u4").reshape(BANDS, ROWS)
    return [_signed32(int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=4).digest(), "little")) for row in rows]


def text_keys(text: str) -> tuple[set[str], list[int] | None]:
    """The shingles of a text and its band keys (None for a text with nothing to compare)."""
    grams = shingles(text)
    if not grams:
        return grams, None
    return grams, band_keys(signature(grams))
