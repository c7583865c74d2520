"""The corpus's term matrix: documents × terms counts and tf-idf, assembled from the per-document term
profiles of the scan (``terms.py``). Kept apart from them, so that editing how the matrix is built recomputes
the comparison, never the scan."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from policybrief.analyses.compare.terms import scan_part
from policybrief.analyses.scan import PartValues, scan
from policybrief.corpus.model import Corpus

_ROWS_AT_ONCE = 5_000  # documents whose tf-idf weights are computed in 64 bits at once


@dataclass
class TermMatrix:
    doc_ids: list[str]
    terms: np.ndarray  # vocabulary, sorted
    counts: sparse.csr_matrix  # documents × terms
    tfidf: sparse.csr_matrix  # rows L2-normalised, float32 (multiply in float64 for exact values)


def term_matrix(corpus: Corpus, profiles: PartValues | None = None) -> TermMatrix:
    """Documents × terms counts and tf-idf, assembled from the per-document term counts a partition at a
    time (a string object per use of every term at once would be gigabytes)."""
    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    vocabulary: dict[str, int] = {}
    lengths: list[int] = []
    codes: list[np.ndarray] = []
    counts_of: list[np.ndarray] = []
    for _, values in profiles.partitions():
        joined = "\n".join(p.terms for p in values if p.terms)
        local, uniques = pd.factorize(np.array(joined.split("\n") if joined else [], dtype=object))
        ids = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in uniques), dtype=np.int64, count=len(uniques)
        )
        codes.append(ids[local])
        lengths.extend(p.terms.count("\n") + 1 if p.terms else 0 for p in values)
        counts_of.extend(p.counts for p in values)
    first_seen = np.array(list(vocabulary), dtype=object)
    order = np.argsort(first_seen, kind="stable")
    terms = first_seen[order]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    # 32-bit offsets and counts while they fit: half the memory of the 64-bit defaults (1 GiB at 100,000
    # documents), and the same values
    index_type = np.int32 if sum(lengths) < 2**31 and len(terms) < 2**31 else np.int64
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(index_type)
    indices = (rank[np.concatenate(codes)] if codes else np.zeros(0)).astype(index_type)
    data = np.concatenate(counts_of) if counts_of else np.zeros(0, dtype=np.int32)
    counts = sparse.csr_matrix((data.astype(np.int32), indices, indptr), shape=(len(lengths), len(terms)))
    counts.sort_indices()
    # The weights are held in 32 bits (the exact measures multiply them in 64: a cosine is within 1e-7 of the
    # 64-bit weights' one), and tf-idf has the counts' non-zero cells, so it shares their index arrays: the
    # matrix holds 12 bytes a cell (count, index, weight) instead of 20, 1 GB less at 100,000 documents.
    # They are computed a block of rows at a time: a row's weights depend only on its counts and the idf, so a
    # block's are the whole matrix's, without a 64-bit copy of the whole (the build's peak at 100,000).
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    weights = np.concatenate(
        [
            transformer.transform(counts[begin : begin + _ROWS_AT_ONCE]).data.astype(np.float32)
            for begin in range(0, counts.shape[0], _ROWS_AT_ONCE)
        ]
        or [np.zeros(0, dtype=np.float32)]
    )
    tfidf = sparse.csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)
    return TermMatrix([d.doc_id for d in corpus.documents], terms, counts, tfidf)


def matrix_subset(matrix: TermMatrix, doc_ids: list[str]) -> TermMatrix:
    rows = [matrix.doc_ids.index(d) for d in doc_ids]
    return TermMatrix(doc_ids, matrix.terms, matrix.counts[rows], matrix.tfidf[rows])
