"""Shingles of one document: hashes of its 5-word runs and their MinHash signature, the per-document half
of near-duplicate detection (``duplicates`` compares them across documents)."""

from __future__ import annotations

import functools
import hashlib

import numpy as np

SHINGLE_WORDS = 5
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
LSH_BANDS, LSH_ROWS = (
    16,
    4,
)  # 64 hashes; a pair at Jaccard 0.5 becomes a candidate with probability 0.65, at 0.7 0.99


@functools.cache
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(words: list[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique 64-bit hashes of the 5-word shingles of ``words`` (stable across runs: no Python
    hash)."""
    if len(words) < size:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    hashes = np.zeros(len(words) - size + 1, dtype=np.uint64)
    for k in range(size):  # a polynomial over the word hashes; wrap-around arithmetic is deterministic
        hashes = hashes * _HASH_MULTIPLIER + ids[k : len(words) - size + 1 + k]
    return np.unique(hashes)


def _minhash_coefficients(hashes: int, seed: int = 20241105) -> tuple[np.ndarray, np.ndarray]:
    """The fixed odd multipliers and offsets of the MinHash functions (the same in every run)."""
    rng = np.random.default_rng(seed)
    multipliers = rng.integers(1, 2**63, hashes, dtype=np.uint64) | np.uint64(1)
    return multipliers, rng.integers(0, 2**63, hashes, dtype=np.uint64)


_MINHASH_A, _MINHASH_B = _minhash_coefficients(LSH_BANDS * LSH_ROWS)


def minhash_signature(shingles: np.ndarray) -> np.ndarray:
    if not len(shingles):
        return shingles
    return (shingles[None, :] * _MINHASH_A[:, None] + _MINHASH_B[:, None]).min(axis=1)
