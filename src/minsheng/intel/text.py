"""Text normalisation shared by near-duplicates, routing and hot topics.

One function decides what "the same text" means everywhere: traditional characters become
simplified (opencc), full-width forms become half-width, letters are lower-cased, and all
whitespace (including the portal's `\\n\\t` padding) is removed, since Chinese has no word
spaces and the padding carries no meaning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

SHINGLE_SIZE = 3  # characters per shingle: the size measured best for Chinese near-duplicates

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    # an immutable converter, built once per process (the dictionary load takes ~50 ms)
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplified, half-width, lower-case, without whitespace: the comparable form of a text."""
    if not text:
        return ""
    # NFKC maps full-width letters, digits and punctuation (Ａ１，) to their half-width forms
    text = unicodedata.normalize("NFKC", text)
    text = _WHITESPACE.sub("", text).lower()
    return str(_t2s().convert(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """The set of overlapping `size`-character pieces of the normalised text.

    A text shorter than `size` is its own single shingle, so short texts still compare.
    """
    norm = normalise(text)
    if len(norm) <= size:
        return {norm} if norm else set()
    return {norm[i : i + size] for i in range(len(norm) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets (0 when both are empty)."""
    if not a and not b:
        return 0.0
    # |A ∪ B| = |A| + |B| − |A ∩ B|: one set operation instead of two (this runs per candidate)
    common = len(a & b) if len(a) <= len(b) else len(b & a)
    return common / (len(a) + len(b) - common)
