"""MinHash signatures and LSH band keys of a petition's text (pure functions, no database).

The parameters were chosen by measurement (bench/bench_neardup.py): 3-character shingles, 96
permutations read as 24 bands of 4 rows, and a match threshold of Jaccard ≥ 0.6. A pair with
Jaccard J shares at least one band with probability 1 − (1 − J⁴)²⁴: 0.96 at J = 0.6, 0.999 at
J = 0.7, 0.03 at J = 0.3 — so true matches are almost always candidates and unrelated texts
rarely are; every candidate is then verified by exact Jaccard, so no false match is shown.

Beside the band keys each row keeps a 96-byte sketch: the lowest 8 bits of each MinHash value
(b-bit minwise hashing, Li & König 2010). Two sketches agree in a position with probability
J + (1 − J)/256, so their agreement estimates the Jaccard similarity to about ±0.05. Candidates whose
estimate is far below the threshold are dropped before the exact check, which costs ~0.1 ms per
candidate (normalising and shingling its text): a query with hundreds of band collisions then
verifies only the few that can match. A true match at J = 0.6 falls below the cut (0.4) with
probability ~3·10⁻⁵ (binomial, 96 trials), so recall is kept.

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
# Candidates whose sketch estimate is below THRESHOLD − PREFILTER_MARGIN are not verified.
PREFILTER_MARGIN = 0.2


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


def sketch(hashvalues: np.ndarray) -> bytes:
    """The lowest byte of each MinHash value (96 bytes): the b-bit sketch of the text."""
    return (hashvalues & 0xFF).astype(np.uint8).tobytes()


def sketch_estimates(query: bytes, sketches: list[bytes]) -> np.ndarray:
    """Estimated Jaccard of the query against each sketch (b = 8 bits: corrected for chance
    agreement, 1/256); an empty sketch (a row indexed before sketches) estimates 1, so it is kept."""
    if not sketches:
        return np.zeros(0)
    q = np.frombuffer(query, dtype=np.uint8)
    rows = np.stack(
        [np.frombuffer(s, dtype=np.uint8) if len(s) == NUM_PERM else np.zeros(NUM_PERM, np.uint8) for s in sketches]
    )
    agree = (rows == q).mean(axis=1)
    estimate = (agree - 1 / 256) / (1 - 1 / 256)
    empty = np.array([len(s) != NUM_PERM for s in sketches])
    return np.where(empty, 1.0, estimate)


def text_keys(text: str) -> tuple[set[str], list[int] | None, bytes]:
    """The shingles of a text, its band keys (None for a text with nothing to compare) and sketch."""
    grams = shingles(text)
    if not grams:
        return grams, None, b""
    values = signature(grams)
    return grams, band_keys(values), sketch(values)
