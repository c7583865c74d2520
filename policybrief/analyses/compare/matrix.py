"""The corpus's term matrix: documents × terms counts and tf-idf, assembled from the per-document term
profiles of the scan (``terms.py``). Kept apart from them, so that editing how the matrix is built recomputes
the comparison, never the scan.

The matrix's cells live in files, memory-mapped, not in this process's heap: a corpus-wide pass reads them a
block of rows at a time and drops the block's pages afterwards (``TermMatrix.release``), so the build's memory
is set by the block, not by the corpus (the cells were 730 MB of heap at 100,000 documents, and grow with the
corpus). The files are unlinked as soon as they are mapped: nothing is left behind, even by a killed build.
"""

from __future__ import annotations

import functools
import mmap
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow.compute as pc
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from policybrief.analyses.compare.terms import scan_part
from policybrief.analyses.parts import PartRecords
from policybrief.analyses.scan import scan
from policybrief.corpus.model import Corpus

ROWS_AT_ONCE = 5_000  # documents a corpus-wide pass over the matrix reads at once
_CELLS_AT_ONCE = 10_000_000  # cells whose term codes are renumbered at once


@dataclass
class TermMatrix:
    doc_ids: list[str]
    terms: np.ndarray  # vocabulary, sorted
    counts: sparse.csr_matrix  # documents × terms
    tfidf: sparse.csr_matrix  # rows L2-normalised, float32 (multiply in float64 for exact values)
    # the memory maps the arrays above are views of (none for a matrix held in memory, such as a subset)
    maps: tuple[mmap.mmap, ...] = field(default=(), repr=False)

    def release(self) -> None:
        """Drop the mapped cells' pages from this process (they stay in the page cache, read again on use)."""
        for mapped in self.maps:
            mapped.madvise(mmap.MADV_DONTNEED)

    def row_blocks(
        self, rows: int | None = None, among: np.ndarray | None = None
    ) -> Iterator[tuple[int, sparse.csr_matrix]]:
        """(first row, counts of ``rows`` documents, default ``ROWS_AT_ONCE``) in document order, views of the
        matrix's cells; only the blocks holding one of the rows ``among``, when given. The block's pages are
        released once the caller is done with it."""
        indptr, rows = self.counts.indptr, rows or ROWS_AT_ONCE
        starts = range(0, self.counts.shape[0], rows) if among is None else np.unique(among // rows) * rows
        for begin in starts:
            end = min(begin + rows, self.counts.shape[0])
            first, last = indptr[begin], indptr[end]
            yield (
                begin,
                sparse.csr_matrix(
                    (
                        self.counts.data[first:last],
                        self.counts.indices[first:last],
                        indptr[begin : end + 1] - first,
                    ),
                    shape=(end - begin, self.counts.shape[1]),
                    copy=False,
                ),
            )
            self.release()

    @functools.cached_property
    def uses(self) -> int:
        """Uses of all terms in the corpus."""
        return sum(int(block.data.sum(dtype=np.int64)) for _, block in self.row_blocks())


def group_sums(matrix: TermMatrix, membership: sparse.spmatrix) -> sparse.csr_matrix:
    """``membership @ counts`` (groups × documents, times documents × terms) a block of documents at a
    time, in the integer type of ``sum_type``: what any sum of counts over documents is built from."""
    exact = sum_type(matrix)
    membership = sparse.csc_matrix(membership, dtype=exact)
    total = sparse.csr_matrix((membership.shape[0], matrix.counts.shape[1]), dtype=exact)
    members = np.flatnonzero(np.diff(membership.indptr))  # the documents in any group
    for begin, block in matrix.row_blocks(among=members):
        total = total + membership[:, begin : begin + block.shape[0]].tocsr() @ block
    return total


def sum_type(matrix: TermMatrix) -> type:
    """The integer type for products that sum the counts (over a group's documents, a period's): the counts'
    own 32 bits while all of the corpus's counts together fit, so that no sum can overflow; a product with
    another type first converts the whole counts array (460 MB more at 100,000 documents)."""
    return np.int32 if matrix.uses < 2**31 else np.int64


def term_matrix(corpus: Corpus, profiles: PartRecords | None = None) -> TermMatrix:
    """Documents × terms counts and tf-idf, assembled from the per-document term counts a partition at a
    time (a string object per use of every term at once would be gigabytes), in files beside the cache."""
    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    with tempfile.TemporaryDirectory(prefix="term-matrix-", dir=corpus.cache_dir) as folder:
        return _built(corpus, profiles, Path(folder))


def _built(corpus: Corpus, profiles: PartRecords, folder: Path) -> TermMatrix:
    vocabulary: dict[str, int] = {}
    lengths: list[np.ndarray] = []
    with (folder / "codes").open("wb") as codes_file, (folder / "counts").open("wb") as counts_file:
        for _, table in profiles.partitions(["terms", "counts"]):
            counts_column = table.column("counts").combine_chunks()
            lengths.append(pc.list_value_length(counts_column).to_numpy(zero_copy_only=False))
            counts_column.flatten().to_numpy().astype(np.int32, copy=False).tofile(counts_file)
            # each use of a term in the partition, as a code into the vocabulary in first-seen order
            texts = table.column("terms").combine_chunks()
            words = (
                pc.split_pattern(texts.filter(pc.not_equal(texts, "")), "\n").flatten().dictionary_encode()
            )
            uniques = words.dictionary.to_pylist()
            ids = np.fromiter(
                (vocabulary.setdefault(t, len(vocabulary)) for t in uniques),
                dtype=np.int32,
                count=len(uniques),
            )
            ids[words.indices.to_numpy()].tofile(codes_file)
    first_seen = np.array(list(vocabulary), dtype=object)
    order = np.argsort(first_seen, kind="stable")
    terms = first_seen[order]
    # 32-bit offsets and codes while they fit: half the bytes of the 64-bit defaults, the same values
    row_lengths = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
    cells = int(row_lengths.sum())
    index_type = np.int32 if cells < 2**31 and len(terms) < 2**31 else np.int64
    rank = np.empty(len(order), dtype=index_type)
    rank[order] = np.arange(len(order), dtype=index_type)
    indptr = np.concatenate([[0], np.cumsum(row_lengths)]).astype(index_type)
    codes, codes_map = _mapped(folder / "codes", np.int32)
    indices, indices_map = _mapped(folder / "indices", index_type, cells)
    for begin in range(0, cells, _CELLS_AT_ONCE):  # first-seen codes to vocabulary ranks
        indices[begin : begin + _CELLS_AT_ONCE] = rank[codes[begin : begin + _CELLS_AT_ONCE]]
        for mapped in filter(None, (codes_map, indices_map)):
            mapped.madvise(mmap.MADV_DONTNEED)
    del codes
    data, data_map = _mapped(folder / "counts", np.int32)
    weights, weights_map = _mapped(folder / "weights", np.float32, cells)
    shape = (len(row_lengths), len(terms))
    counts = sparse.csr_matrix((data, indices, indptr), shape=shape, copy=False)
    matrix = TermMatrix(
        [d.doc_id for d in corpus.documents],
        terms,
        counts,
        sparse.csr_matrix((weights, indices, indptr), shape=shape, copy=False),
        tuple(m for m in (indices_map, data_map, weights_map) if m is not None),
    )
    # A row's terms are sorted in its profile, and so are their ranks; sorted here all the same, a block at
    # a time, in place, should a profile ever not be.
    document_frequency = np.zeros(len(terms), dtype=np.int64)
    for _, block in matrix.row_blocks():
        block.sort_indices()
        document_frequency += np.bincount(block.indices, minlength=len(terms))
    counts.has_sorted_indices = True
    # The weights are held in 32 bits (the exact measures multiply them in 64: a cosine is within 1e-7 of the
    # 64-bit weights' one), and tf-idf has the counts' non-zero cells, so it shares their index arrays: 12
    # bytes a cell (count, index, weight) instead of 20. They are computed a block of rows at a time: a row's
    # weights depend only on its counts and the idf, so a block's are the whole matrix's.
    if len(terms):
        transformer = _tfidf_transformer(document_frequency, len(row_lengths))
        for begin, block in matrix.row_blocks():
            weights[indptr[begin] : indptr[begin] + block.nnz] = transformer.transform(block).data
    matrix.tfidf.has_sorted_indices = True
    return matrix


def _tfidf_transformer(document_frequency: np.ndarray, documents: int) -> TfidfTransformer:
    """scikit-learn's sublinear tf-idf with the idf it would fit on the whole matrix (the same formula, on the
    document frequencies counted a block at a time: fitting reads every cell at once)."""
    transformer = TfidfTransformer(sublinear_tf=True).fit(sparse.csr_matrix((1, len(document_frequency))))
    df = document_frequency.astype(np.float64) + 1.0  # smooth_idf, as TfidfTransformer.fit
    idf = np.full_like(df, fill_value=documents + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    transformer.idf_ = idf
    return transformer


def _mapped(path: Path, dtype: type, length: int | None = None) -> tuple[np.ndarray, mmap.mmap | None]:
    """The array in ``path`` (``length`` values of ``dtype``: a new file), memory-mapped for reading and
    writing; an empty array has no map (an empty file cannot be mapped)."""
    size = np.dtype(dtype).itemsize
    stream: BinaryIO
    with path.open("r+b" if length is None else "w+b") as stream:
        if length is not None:
            stream.truncate(length * size)
        stream.seek(0, 2)
        if not stream.tell():
            return np.zeros(0, dtype=dtype), None
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_WRITE)
    return np.frombuffer(mapped, dtype=dtype), mapped


def matrix_subset(matrix: TermMatrix, doc_ids: list[str]) -> TermMatrix:
    """The rows of ``doc_ids``, copied into memory."""
    rows = [matrix.doc_ids.index(d) for d in doc_ids]
    subset = TermMatrix(doc_ids, matrix.terms, matrix.counts[rows], matrix.tfidf[rows])
    matrix.release()
    return subset
