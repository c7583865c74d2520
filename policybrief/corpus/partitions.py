"""Partitions: the unit of per-document work, of caching and of a task on the cluster.

Documents are split into partitions by their paths' hashes, not by position: a boundary falls after each
path whose hash is 0 modulo the target size. Adding, removing or changing a document then changes only its
own partition (a split by position would shift every later partition and rebuild them all), so a rebuild
after one edit redoes one partition's cleaning and scanning, then the corpus-wide measures.
"""

from __future__ import annotations

import hashlib

PARTITION_DOCUMENTS = 200  # documents per partition on average: a few MB of text, a few seconds of work
_LONGEST = 4  # a partition ends after this many times the average, whatever the hashes say


def _ends_partition(relative: str, size: int) -> bool:
    return int.from_bytes(hashlib.sha1(relative.encode()).digest()[:8], "big") % size == 0


def partition_bounds(relatives: list[str], size: int = PARTITION_DOCUMENTS) -> list[range]:
    """Consecutive ranges of ``relatives`` (sorted paths), one per partition."""
    bounds: list[range] = []
    start = 0
    for index, relative in enumerate(relatives):
        if _ends_partition(relative, size) or index + 1 - start >= _LONGEST * size:
            bounds.append(range(start, index + 1))
            start = index + 1
    if start < len(relatives):
        bounds.append(range(start, len(relatives)))
    return bounds
