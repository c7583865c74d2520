"""The corpus's term matrix: documents × terms counts and tf-idf, assembled from the per-document term
profiles of the scan (``terms.py``). Kept apart from them, so that editing how the matrix is built recomputes
the comparison, never the scan."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow.compute as pc
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from policybrief.analyses.compare.terms import scan_part
from policybrief.analyses.scan import PartRecords, scan
from policybrief.corpus.model import Corpus

_ROWS_AT_ONCE = 5_000  # documents whose tf-idf weights are computed in 64 bits at once
_CELLS_AT_ONCE = 10_000_000  # cells whose term codes are renumbered at once


@dataclass
class TermMatrix:
    doc_ids: list[str]
    terms: np.ndarray  # vocabulary, sorted
    counts: sparse.csr_matrix  # documents × terms
    tfidf: sparse.csr_matrix  # rows L2-normalised, float32 (multiply in float64 for exact values)


def term_matrix(corpus: Corpus, profiles: PartRecords | None = None) -> TermMatrix:
    """Documents × terms counts and tf-idf, assembled from the per-document term counts a partition at a
    time (a string object per use of every term at once would be gigabytes)."""
    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    vocabulary: dict[str, int] = {}
    lengths: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    counts_of: list[np.ndarray] = []
    for _, table in profiles.partitions(["terms", "counts"]):
        counts_column = table.column("counts").combine_chunks()
        lengths.append(pc.list_value_length(counts_column).to_numpy(zero_copy_only=False))
        counts_of.append(counts_column.flatten().to_numpy())
        # each use of a term in the partition, as a code into the partition's terms in first-seen order
        texts = table.column("terms").combine_chunks()
        words = pc.split_pattern(texts.filter(pc.not_equal(texts, "")), "\n").flatten().dictionary_encode()
        uniques = words.dictionary.to_pylist()
        ids = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in uniques), dtype=np.int64, count=len(uniques)
        )
        codes.append(ids[words.indices.to_numpy()].astype(np.int32 if len(vocabulary) < 2**31 else np.int64))
    first_seen = np.array(list(vocabulary), dtype=object)
    order = np.argsort(first_seen, kind="stable")
    terms = first_seen[order]
    # 32-bit offsets and counts while they fit: half the memory of the 64-bit defaults (1 GiB at 100,000
    # documents), and the same values. Each partition's codes are kept in 32 bits too, and the pieces are
    # joined once into the final arrays: 64-bit codes and their copies made the build's peak at 100,000.
    row_lengths = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
    index_type = np.int32 if row_lengths.sum() < 2**31 and len(terms) < 2**31 else np.int64
    rank = np.empty(len(order), dtype=index_type)
    rank[order] = np.arange(len(order), dtype=index_type)
    indptr = np.concatenate([[0], np.cumsum(row_lengths)]).astype(index_type)
    indices = _joined(codes, index_type)
    for begin in range(0, len(indices), _CELLS_AT_ONCE):  # first-seen codes to vocabulary ranks, in place
        indices[begin : begin + _CELLS_AT_ONCE] = rank[indices[begin : begin + _CELLS_AT_ONCE]]
    data = _joined(counts_of, np.int32)
    counts = sparse.csr_matrix((data, indices, indptr), shape=(len(row_lengths), len(terms)), copy=False)
    counts.sort_indices()
    # The weights are held in 32 bits (the exact measures multiply them in 64: a cosine is within 1e-7 of the
    # 64-bit weights' one), and tf-idf has the counts' non-zero cells, so it shares their index arrays: the
    # matrix holds 12 bytes a cell (count, index, weight) instead of 20, 1 GB less at 100,000 documents.
    # They are computed a block of rows at a time: a row's weights depend only on its counts and the idf, so a
    # block's are the whole matrix's, without a 64-bit copy of the whole (the build's peak at 100,000).
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    weights = np.empty(counts.nnz, dtype=np.float32)
    for begin in range(0, counts.shape[0], _ROWS_AT_ONCE):
        block = transformer.transform(counts[begin : begin + _ROWS_AT_ONCE])
        weights[counts.indptr[begin] : counts.indptr[begin] + block.nnz] = block.data
    tfidf = sparse.csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)
    return TermMatrix([d.doc_id for d in corpus.documents], terms, counts, tfidf)


def sum_type(matrix: TermMatrix) -> type:
    """The integer type for products that sum the counts (over a group's documents, a period's): the counts'
    own 32 bits while all of the corpus's counts together fit, so that no sum can overflow; a product with
    another type first converts the whole counts array (460 MB more at 100,000 documents)."""
    return np.int32 if int(matrix.counts.data.sum(dtype=np.int64)) < 2**31 else np.int64


def _joined(pieces: list[np.ndarray], dtype: type) -> np.ndarray:
    """``pieces`` end to end in one new array of ``dtype``; the list is emptied as it goes, so that each piece
    is freed once copied (a whole second copy of the matrix's cells was the build's peak at 100,000)."""
    joined: np.ndarray = np.empty(sum(len(piece) for piece in pieces), dtype=dtype)
    at = 0
    while pieces:
        piece = pieces.pop(0)
        joined[at : at + len(piece)] = piece
        at += len(piece)
    return joined


def matrix_subset(matrix: TermMatrix, doc_ids: list[str]) -> TermMatrix:
    rows = [matrix.doc_ids.index(d) for d in doc_ids]
    return TermMatrix(doc_ids, matrix.terms, matrix.counts[rows], matrix.tfidf[rows])
