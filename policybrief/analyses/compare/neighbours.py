"""Approximate nearest neighbours for the similarity table of a large corpus: an inverted-file index, then
neighbours of neighbours.

Above ``EXACT_SEARCH_MAX`` documents the exact search, which estimates every pair, costs n² (500-750 s and a
1.2 GB float32 matrix at 100,000 documents). Here each measure's vectors are clustered by k-means into about
√n lists, as in FAISS's IVF index; each document looks at the members of its ``nprobe`` nearest lists and
keeps the ``shortlist`` best by a cheap estimate. Neighbours are not always in nearby lists when documents
have no topical structure, so each round then offers every document its shortlist's shortlists and the
documents that shortlisted it (NN-descent), which finds most of the rest. Only the final shortlist gets
exact values. Work is n × (nprobe × √n + rounds × shortlist × fanout) estimates and n × shortlist exact
values; memory is n × shortlist.

Results do not depend on the number of cores: the documents are cut into blocks of a fixed size, each block
is searched in a fixed order on one BLAS thread, and k-means and the SVD run on one thread from a fixed
seed.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from policybrief.log import logger

if TYPE_CHECKING:
    from policybrief.analyses.compare.similarity import _Measures

# Documents above which similarity_table searches approximately: where this search gets cheaper than the
# exact one. Measured on the synthetic bench corpora, CPU seconds exact against approximate: 5.1 and 7.6 at
# 5,000 documents, 13.5 and 12.3 at 10,000, 54.6 and 25.5 at 20,000.
EXACT_SEARCH_MAX = 10_000

NPROBE = 24  # lists each document searches
SHORTLIST = 24  # candidates kept per document, by estimate: those that get an exact value
ROUNDS = 2  # neighbours-of-neighbours rounds
FANOUT = 16  # of each candidate's shortlist, the best this many are offered to the document in a round
COSINE_DIMENSIONS = 256  # tf-idf rows are clustered and estimated in this many SVD dimensions
_SAMPLE_PER_LIST = 48  # k-means is fitted on this many documents per list (at most), not on all
_SVD_SAMPLE = 5_000  # documents the SVD is fitted on (at most)
_SVD_ITERATIONS = 2  # power iterations of the randomized SVD (sklearn's default 5 found no more neighbours)
_BLOCK = 2_048  # documents searched together (a fixed size, so that results ignore the core count)
_PAIRS_BLOCK = (
    64  # documents whose candidates' candidates are estimated at once (rows × shortlist × fanout × d)
)


@dataclass
class Search:
    """One measure's search: the vectors clustered and probed, a cheap estimate (higher is closer) of rows
    against columns — every column when ``columns`` is 1-D, each row's own when it is rows × m — and the exact
    value of given (row, column) pairs."""

    vectors: np.ndarray
    estimate: Callable[[np.ndarray, np.ndarray], np.ndarray]
    exact: Callable[[np.ndarray, np.ndarray], np.ndarray]
    higher: bool  # whether a higher exact value is closer


def nearest(
    search: Search,
    k: int,
    nprobe: int = NPROBE,
    shortlist: int = SHORTLIST,
    rounds: int = ROUNDS,
    fanout: int = FANOUT,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Each document's ``k`` nearest found among its candidates: columns and exact values, n × k, best first
    (ties by document order)."""
    n = len(search.vectors)
    lists = max(1, round(math.sqrt(n)))
    with threadpool_limits(1):
        centroids = _centroids(search.vectors, lists, seed)
        probed = _probes(search.vectors, centroids, min(nprobe, lists))
    members = _members(probed[:, 0], lists)
    blocks = [np.arange(begin, min(n, begin + _BLOCK)) for begin in range(0, n, _BLOCK)]
    with threadpool_limits(1), ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found = list(pool.map(lambda rows: _scan_lists(search, rows, probed, members, shortlist), blocks))
        for _ in range(rounds):
            short = np.concatenate([best for best, _ in found])
            reverse = _reverse(short, fanout)
            found = list(pool.map(_widen, repeat(search), blocks, repeat(short), repeat(reverse)))
        best = np.concatenate([best for best, _ in found])
        found = list(pool.map(lambda rows: _refine(search, rows, best[rows], k), blocks))
    return np.concatenate([best for best, _ in found]), np.concatenate([values for _, values in found])


def _centroids(vectors: np.ndarray, lists: int, seed: int) -> np.ndarray:
    """k-means centroids (fixed seed; fitted on a fixed sample of the documents when there are many)."""
    n, sample = len(vectors), _SAMPLE_PER_LIST * lists
    fitted = vectors
    if n > sample:
        fitted = vectors[np.sort(np.random.default_rng(seed).choice(n, sample, replace=False))]
    with warnings.catch_warnings():  # fewer distinct vectors than lists (documents without any actor) is fine
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(n_clusters=lists, n_init=1, max_iter=25, random_state=seed).fit(fitted)
    return model.cluster_centers_.astype(np.float64)


def _probes(vectors: np.ndarray, centroids: np.ndarray, nprobe: int) -> np.ndarray:
    """Each document's ``nprobe`` nearest lists, nearest first (ties by list number)."""
    squares = (centroids**2).sum(axis=1)
    out = np.empty((len(vectors), nprobe), dtype=np.int64)
    for begin in range(0, len(vectors), _BLOCK):
        block = vectors[begin : begin + _BLOCK].astype(np.float64)
        distances = squares[None, :] - 2 * block @ centroids.T
        out[begin : begin + len(block)] = np.argsort(distances, axis=1, kind="stable")[:, :nprobe]
    return out


def _members(assigned: np.ndarray, lists: int) -> list[np.ndarray]:
    """The documents of each list, in document order."""
    order = np.argsort(assigned, kind="stable")
    return np.split(order, np.searchsorted(assigned[order], np.arange(1, lists)))


def _best(scores: np.ndarray, columns: np.ndarray, shortlist: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``shortlist`` columns of highest score, best first, and their scores (column −1 where the
    score is −inf: none)."""
    if scores.shape[1] > shortlist:
        keep = np.argpartition(-scores, shortlist - 1, axis=1)[:, :shortlist]
        scores, columns = np.take_along_axis(scores, keep, axis=1), np.take_along_axis(columns, keep, axis=1)
    order = np.argsort(-scores, axis=1, kind="stable")
    scores, columns = np.take_along_axis(scores, order, axis=1), np.take_along_axis(columns, order, axis=1)
    return np.where(np.isfinite(scores), columns, -1), scores


def _scan_lists(
    search: Search, rows: np.ndarray, probed: np.ndarray, members: list[np.ndarray], shortlist: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``shortlist`` best candidates of each row by the estimate, over the lists it probes."""
    best = np.full((len(rows), shortlist), -1, dtype=np.int64)
    scores = np.full((len(rows), shortlist), -np.inf, dtype=np.float32)
    mine = probed[rows]
    for number in np.unique(mine):
        where = np.nonzero((mine == number).any(axis=1))[0]
        columns = members[number]
        if not len(columns):
            continue
        estimate = search.estimate(rows[where], columns)
        estimate[rows[where][:, None] == columns[None, :]] = -np.inf
        merged = np.concatenate([best[where], np.broadcast_to(columns, estimate.shape)], axis=1)
        best[where], scores[where] = _best(
            np.concatenate([scores[where], estimate], axis=1), merged, shortlist
        )
    return best, scores


def _scores(search: Search, rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's columns (rows × m, −1 for none) sorted, a repeated one replaced by −1, and their estimate:
    −inf for none and for the row itself."""
    columns = np.sort(columns, axis=1)
    columns[:, 1:][columns[:, 1:] == columns[:, :-1]] = -1
    scores = search.estimate(rows, np.maximum(columns, 0))
    scores[(columns < 0) | (columns == rows[:, None])] = -np.inf
    return columns, scores


def _reverse(short: np.ndarray, fanout: int) -> np.ndarray:
    """Each document's reverse neighbours (n × fanout, −1 padded): the documents whose best ``fanout``
    candidates include it, the first ``fanout`` of them in document order. Offered to it in the next round,
    as in NN-descent, they find a quarter of the neighbours the forward lists miss (bench corpus, 10,000
    documents: recall of cosine 0.86 without them, 0.91 with them)."""
    n = len(short)
    sources, targets = np.repeat(np.arange(n), fanout), short[:, :fanout].ravel()
    order = np.argsort(targets, kind="stable")
    sources, targets = sources[order], targets[order]
    rank = np.arange(len(targets)) - np.searchsorted(targets, targets)
    reverse = np.full((n, fanout), -1, dtype=np.int64)
    chosen = (rank < fanout) & (targets >= 0)
    reverse[targets[chosen], rank[chosen]] = sources[chosen]
    return reverse


def _widen(
    search: Search, rows: np.ndarray, short: np.ndarray, reverse: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A round of neighbours of neighbours: each row's shortlist, the best of its members' shortlists and the
    documents that list it (``reverse``), the best kept."""
    fanout = reverse.shape[1]
    out = np.empty((len(rows), short.shape[1]), dtype=np.int64)
    scores = np.empty(out.shape, dtype=np.float32)
    for begin in range(0, len(rows), _PAIRS_BLOCK):
        mine = short[rows[begin : begin + _PAIRS_BLOCK]]
        theirs = short[np.maximum(mine, 0), :fanout]
        theirs = np.where(mine[:, :, None] >= 0, theirs, -1).reshape(len(mine), -1)
        merged = np.concatenate([mine, theirs, reverse[rows[begin : begin + _PAIRS_BLOCK]]], axis=1)
        here = rows[begin : begin + _PAIRS_BLOCK]
        columns, estimate = _scores(search, here, merged)
        out[begin : begin + len(mine)], scores[begin : begin + len(mine)] = _best(
            estimate, columns, short.shape[1]
        )
    return out, scores


def _refine(
    search: Search, rows: np.ndarray, candidates: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact values for the candidates, and each row's k best of them (ties by document order); a row with
    fewer than k candidates (lists too small) is compared with every document."""
    n = len(search.vectors)
    short = (candidates >= 0).sum(axis=1) < k
    if short.any():  # only in a corpus of a few documents per list
        candidates = np.where(short[:, None], -1, candidates)
        every = np.broadcast_to(np.arange(n), (len(rows), n))
        candidates = np.concatenate([candidates, np.where(short[:, None], every, -1)], axis=1)
    local, slots = np.nonzero((candidates >= 0) & (candidates != rows[:, None]))
    columns = candidates[local, slots]
    values = search.exact(rows[local], columns)
    scaled = np.rint(values * 1e6).astype(np.int64)
    keys = (-scaled if search.higher else scaled) * n + columns
    order = np.lexsort((keys, local))
    local, columns, values = local[order], columns[order], values[order]
    chosen = np.arange(len(local)) - np.searchsorted(local, local) < k
    return columns[chosen].reshape(len(rows), k), values[chosen].reshape(len(rows), k)


_DENSE_ROWS = 4  # query rows made dense at once in the exact cosine (at most 2 million cells)


def cosine_pairs(
    tfidf: sparse.csr_matrix,
    rows: np.ndarray,
    columns: np.ndarray,
    release: Callable[[], None] = lambda: None,
) -> np.ndarray:
    """Exact (float64) cosine of each (row, column) pair, ``rows`` sorted: a few rows at a time are made
    dense and multiplied by all of their pairs' columns. Computing that many unneeded products in one C
    loop is still faster than multiplying sparse rows pair by pair (both rows of each pair copied).
    ``release`` drops the pages of the rows read (a memory-mapped matrix) at the end."""
    values = np.zeros(len(rows))
    step = int(np.clip(2_000_000 // max(1, tfidf.shape[1]), 1, _DENSE_ROWS))
    starts = np.searchsorted(rows, np.unique(rows))
    for at in range(0, len(starts), step):
        begin, end = starts[at], starts[at + step] if at + step < len(starts) else len(rows)
        here = np.unique(rows[begin:end])
        products = tfidf[columns[begin:end]].astype(np.float64) @ tfidf[here].toarray().T.astype(np.float64)
        values[begin:end] = products[np.arange(end - begin), np.searchsorted(here, rows[begin:end])]
    release()
    return values


def _reduced(tfidf: sparse.csr_matrix, dimensions: int, release: Callable[[], None]) -> np.ndarray:
    """The tf-idf rows in ``dimensions`` SVD dimensions (fitted on a fixed sample), normalised again, float32;
    projected in row blocks on every core, the largest cost of the search after the neighbours. ``release``
    drops the pages of the rows read (a memory-mapped matrix) after each block."""
    dimensions = min(dimensions, tfidf.shape[1] - 1)
    if dimensions < 1:  # one term: every tf-idf row is 0 or 1
        return tfidf.toarray().astype(np.float32)
    fitted = tfidf
    if tfidf.shape[0] > _SVD_SAMPLE:
        fitted = tfidf[np.sort(np.random.default_rng(0).choice(tfidf.shape[0], _SVD_SAMPLE, replace=False))]
    fitted = fitted.astype(np.float64)
    release()

    def project(begin: int) -> None:
        # a row's normalised projection depends on that row only: each block is written in place, never a
        # float64 copy of all of them (half a GB at 100,000 documents)
        reduced[begin : begin + _BLOCK] = normalize(
            svd.transform(tfidf[begin : begin + _BLOCK].astype(np.float64))
        )
        release()

    with threadpool_limits(1), ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        svd = TruncatedSVD(dimensions, n_iter=_SVD_ITERATIONS, random_state=0).fit(fitted)
        # as many dimensions as the SVD found: fewer than asked on a sample of fewer documents
        reduced = np.empty((tfidf.shape[0], svd.components_.shape[0]), dtype=np.float32)
        list(pool.map(project, range(0, tfidf.shape[0], _BLOCK)))
    return reduced


def searches(measures: _Measures, dimensions: int = COSINE_DIMENSIONS) -> dict[str, Search]:
    """The search of each measure, its estimates in float32 (they only choose candidates): cosine on tf-idf
    rows reduced by SVD (fitted on a fixed sample) and normalised again; Jensen–Shannon on square roots of
    the profiles (their distance is the Hellinger distance, a lower bound of it); weighted Jaccard itself."""
    tfidf, release = measures.matrix.tfidf, measures.matrix.release
    reduced = _reduced(tfidf, dimensions, release)
    roots = np.sqrt(measures.profiles).astype(np.float32)
    totals = measures.profiles.sum(axis=1).astype(np.float32)
    rates = measures.rates.astype(np.float32)
    rate_totals = rates.sum(axis=1)
    by_actor = np.ascontiguousarray(rates.T)

    def dot(vectors: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        if columns.ndim == 1:
            return vectors[rows] @ vectors[columns].T
        return np.einsum("id,imd->im", vectors[rows], vectors[columns])

    def hellinger(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        return dot(roots, rows, columns) - (totals[rows][:, None] + _by_row(totals, columns)) / 2

    def jaccard(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        total = rate_totals[rows][:, None] + _by_row(rate_totals, columns)
        if columns.ndim == 1:  # Σ min = (Σa + Σb − L1) / 2, the L1 distances in one C loop
            low = ((total - cdist(rates[rows], rates[columns], "cityblock")) / 2).astype(np.float32)
        else:  # actor by actor: a sum along a short last axis is several times slower
            low = np.zeros(columns.shape, dtype=np.float32)
            for actor in by_actor:
                low += np.minimum(actor[rows][:, None], actor[columns])
        high = total - low
        return np.divide(low, high, out=np.zeros_like(low), where=high > 0)

    return {
        "cosine_tfidf": Search(
            reduced,
            lambda rows, columns: dot(reduced, rows, columns),
            lambda rows, columns: cosine_pairs(tfidf, rows, columns, release),
            True,
        ),
        "js_distance_themes": Search(
            roots, hellinger, lambda rows, columns: measures.js_pairs(rows, columns[:, None])[:, 0], False
        ),
        "weighted_jaccard_actors": Search(
            rates,
            jaccard,
            lambda rows, columns: measures.jaccard_pairs(rows, columns[:, None])[:, 0],
            True,
        ),
    }


def _by_row(values: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``values`` of the columns, shaped to broadcast against rows: columns × … for every row (1-D
    ``columns``), else rows × m × …."""
    return values[columns][None] if columns.ndim == 1 else values[columns]


def approximate_table(measures: _Measures, ids: np.ndarray, k: int) -> pd.DataFrame:
    """The similarity table's rows from the approximate search: each document's k nearest per measure."""
    logger.debug("similarity: nearest neighbours of %d documents from candidates", len(ids))
    frames = []
    for name, search in searches(measures).items():
        best, values = nearest(search, k)
        frames.append(
            pd.DataFrame(
                {
                    "doc_a": np.repeat(ids, k),
                    "doc_b": ids[best.ravel()],
                    "measure": name,
                    "value": np.round(values.ravel(), 6),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
