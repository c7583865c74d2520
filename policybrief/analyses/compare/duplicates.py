"""Near-duplicates and repeated passages: Jaccard overlap of 5-word shingles (Broder 1997), exact on a
small corpus, MinHash with LSH banding to find candidate pairs on a large one.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from policybrief.analyses.compare.shingles import LSH_BANDS, LSH_ROWS
from policybrief.analyses.compare.terms import scan_part
from policybrief.analyses.parts import PartRecords, list_rows
from policybrief.analyses.scan import scan
from policybrief.corpus.model import Corpus

MAX_BUCKET = 50  # documents sharing one band, above which the band is boilerplate


# A pair is compared exactly when its signatures agree on at least this much less than the threshold:
# with 64 hashes the estimate's standard error is at most 0.0625, so 0.25 is four of them.
_ESTIMATE_MARGIN = 0.25


# Candidate pairs whose signatures are compared at once: two copies of 64 hashes per pair, 100 MB at most
# (a corpus of articles that share sentences makes tens of millions of candidates).
_PAIRS_AT_ONCE = 100_000


def _likely_pairs(signatures: list[np.ndarray], threshold: float) -> list[tuple[int, int]]:
    """Pairs worth an exact comparison, in order: their MinHash signatures agree on a whole band
    (locality-sensitive hashing) and on nearly the threshold's share of all hashes.

    A band shared by more than MAX_BUCKET documents is boilerplate (a standard sentence, a disclaimer),
    not evidence that they copy each other; it proposes no pairs, which keeps the work linear.
    """
    present = np.array([i for i, signature in enumerate(signatures) if len(signature)], dtype=np.int64)
    if len(present) < 2:
        return []
    stacked = np.stack([signatures[i] for i in present])
    n = len(signatures)
    found = []
    for band in range(LSH_BANDS):
        keys = np.ascontiguousarray(stacked[:, band * LSH_ROWS : (band + 1) * LSH_ROWS]).view(
            np.dtype((np.void, 8 * LSH_ROWS))
        )
        _, bucket, sizes = np.unique(keys.ravel(), return_inverse=True, return_counts=True)
        order = np.argsort(bucket, kind="stable")  # documents bucket by bucket, in corpus order within each
        starts = np.concatenate([[0], np.cumsum(sizes)])
        for size in np.unique(
            sizes[(sizes >= 2) & (sizes <= MAX_BUCKET)]
        ).tolist():  # all buckets of one size at once
            members = present[order[starts[np.flatnonzero(sizes == size), None] + np.arange(size)]]
            first, second = np.triu_indices(size, 1)
            found.append((members[:, first] * n + members[:, second]).ravel())
    if not found:
        return []
    codes = np.unique(np.concatenate(found))  # each pair once, in order
    kept: list[tuple[int, int]] = []
    for begin in range(0, len(codes), _PAIRS_AT_ONCE):
        ordered = codes[begin : begin + _PAIRS_AT_ONCE]
        ordered = np.stack([ordered // n, ordered % n], axis=1)
        agreement = (
            stacked[np.searchsorted(present, ordered[:, 0])]
            == stacked[np.searchsorted(present, ordered[:, 1])]
        ).mean(axis=1)
        kept.extend(tuple(pair) for pair in ordered[agreement >= threshold - _ESTIMATE_MARGIN].tolist())
    return kept


# Documents whose shingles are held at once while candidate pairs are compared exactly (8 bytes a shingle:
# about 80 MB for articles of 1,000 words). Above it the candidates' shingles wait in a scratch file: held
# at once, they took 2.5 GB at 100,000 documents, with the rest of each document's profile.
_DOCS_AT_ONCE = 10_000


def _pair_blocks(pairs: np.ndarray, documents: int) -> list[tuple[int, int]]:
    """Consecutive ranges of ``pairs`` that name at most ``documents`` documents each (at least one pair)."""
    blocks: list[tuple[int, int]] = []
    begin, seen = 0, set[int]()
    for row, (a, b) in enumerate(pairs.tolist()):
        new = {a, b} - seen
        if len(seen) + len(new) > documents and row > begin:
            blocks.append((begin, row))
            begin, seen = row, set()
            new = {a, b}
        seen |= new
    if begin < len(pairs):
        blocks.append((begin, len(pairs)))
    return blocks


def _read_shingles(scratch: IO[bytes], offset: int, count: int) -> np.ndarray:
    return np.frombuffer(os.pread(scratch.fileno(), 8 * count, offset), dtype=np.uint64)


def _pair_overlaps(profiles: PartRecords, pairs: np.ndarray, folder: Path | None) -> np.ndarray:
    """How many shingles each candidate pair shares. The candidates' shingles are read in one pass over the
    partitions; past ``_DOCS_AT_ONCE`` documents they go to a scratch file in ``folder`` and come back a block
    of pairs at a time, so memory holds one block's documents, not every candidate's."""
    wanted = set(pairs.ravel().tolist())
    chosen = (
        (i, hashes)
        for indexes, table in profiles.partitions(["shingles"], wanted)
        for i, hashes in zip(indexes, list_rows(table, "shingles"), strict=True)
    )
    if len(wanted) <= _DOCS_AT_ONCE:
        return _shared_counts(dict(chosen), pairs)
    shared = np.zeros(len(pairs), dtype=np.int64)
    with tempfile.TemporaryFile(dir=folder, prefix="shingles-") as scratch:
        where = {}
        for i, hashes in chosen:
            where[i] = (scratch.tell(), len(hashes))
            scratch.write(np.ascontiguousarray(hashes, dtype=np.uint64).tobytes())
        scratch.flush()
        for begin, end in _pair_blocks(pairs, _DOCS_AT_ONCE):
            block = pairs[begin:end]
            sets = {i: _read_shingles(scratch, *where[i]) for i in np.unique(block).tolist()}
            shared[begin:end] = _shared_counts(sets, block)
    return shared


def _shared_counts(sets: dict[int, np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """How many values the two sorted arrays of distinct values of each pair ``(a, b)`` share. Adjacent pairs
    with the same ``a`` (candidates come sorted) share one search of ``a`` for all their values (no merged
    copy to sort)."""
    counts = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return counts
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(pairs[:, 0])) + 1, [len(pairs)]]).tolist()
    for begin, end in itertools.pairwise(bounds):
        a = sets[pairs[begin, 0]]
        partners = [sets[b] for b in pairs[begin:end, 1].tolist()]
        values = np.concatenate(partners)
        hits = a[np.minimum(np.searchsorted(a, values), len(a) - 1)] == values
        counts[begin:end] = np.add.reduceat(hits, np.cumsum([0] + [len(p) for p in partners[:-1]]))
    return counts


def near_duplicates(
    corpus: Corpus,
    threshold: float = 0.5,
    exact_up_to: int = 300,
    profiles: PartRecords | None = None,
) -> pd.DataFrame:
    """Pairs of documents sharing many 5-word shingles (Jaccard ≥ threshold), and passages repeated inside a
    document that cleaning removed — so the analyst knows what was counted once.

    Up to ``exact_up_to`` documents every pair is compared; above, MinHash signatures with banding pick
    the candidate pairs (see ``_likely_pairs``), whose Jaccard is then computed exactly, a block of pairs at a
    time (see ``_pair_overlaps``).
    """
    columns = ["kind", "doc_a", "doc_b", "similarity", "containment", "shared", "words", "excerpt"]
    docs = corpus.documents
    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    signatures: list[np.ndarray] = []
    counted: list[int] = []
    for _, table in profiles.partitions(["shingle_count", "signature"]):
        signatures.extend(list_rows(table, "signature"))
        counted.extend(table.column("shingle_count").to_pylist())
    if len(docs) <= exact_up_to:
        candidates = [(a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))]
    else:
        candidates = _likely_pairs(signatures, threshold)
    sizes = np.array(counted, dtype=np.int64)
    pairs = np.array(candidates, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[(sizes[pairs[:, 0]] > 0) & (sizes[pairs[:, 1]] > 0)]
    folder = corpus.cache_dir if corpus.cache_dir is not None and corpus.cache_dir.is_dir() else None
    shared = _pair_overlaps(profiles, pairs, folder)
    size = sizes.tolist()
    rows = []
    for (a, b), common in zip(pairs.tolist(), shared.tolist(), strict=True):
        union = size[a] + size[b] - common
        if common and common / union >= threshold:
            rows.append(
                {
                    "kind": "across documents",
                    "doc_a": docs[a].doc_id,
                    "doc_b": docs[b].doc_id,
                    "similarity": round(common / union, 4),
                    "containment": round(common / min(size[a], size[b]), 4),
                    "shared": common,
                    "words": "",
                    "excerpt": "",
                }
            )
    for doc in docs:
        for removal in doc.removals:
            if removal["step"] == "repeated passage":
                rows.append(
                    {
                        "kind": "within a document",
                        "doc_a": doc.doc_id,
                        "doc_b": doc.doc_id,
                        "similarity": 1.0,
                        "containment": 1.0,
                        "shared": "",
                        "words": removal["words"],
                        "excerpt": " ".join(removal["text"].split())[:160],
                    }
                )
    return pd.DataFrame(rows, columns=columns)
