"""Similarity of documents on three measures — wording (cosine of tf-idf), substance (Jensen–Shannon
distance of theme profiles) and actors (weighted Jaccard) — every pair on a small corpus, each
document's nearest neighbours on a large one.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import entr
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.manifold import MDS

from policybrief.analyses.compare.matrix import TermMatrix, matrix_subset
from policybrief.analyses.compare.neighbours import EXACT_SEARCH_MAX, approximate_table
from policybrief.analyses.compare.terms import terms_of
from policybrief.corpus.model import Corpus
from policybrief.text.lexicon import tokenize

MEASURES = {  # name: (description, higher means more alike)
    "cosine_tfidf": ("wording: cosine of tf-idf vectors", True),
    "js_distance_themes": ("substance: Jensen–Shannon distance between theme profiles", False),
    "weighted_jaccard_actors": ("actors: weighted Jaccard overlap of mention rates", True),
}


HEATMAP_MAX_DOCS = 30  # documents in a similarity heatmap


def theme_profiles(theme_coverage: pd.DataFrame, doc_ids: list[str], smoothing: float = 0.5) -> np.ndarray:
    """Each document's shares of theme hits, with ``smoothing`` added to every theme first."""
    hits = theme_coverage.pivot_table(
        index="doc_id", columns="theme", values="hits", aggfunc="sum", fill_value=0
    )
    matrix = hits.reindex(doc_ids, fill_value=0).to_numpy(dtype=float) + smoothing
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)


def actor_rates(actor_mentions: pd.DataFrame, doc_ids: list[str]) -> np.ndarray:
    """Mentions per 1,000 words of each actor in each document."""
    if actor_mentions.empty:
        return np.zeros((len(doc_ids), 1))
    rates = actor_mentions.pivot_table(
        index="doc_id", columns="actor", values="per_1k_words", aggfunc="sum", fill_value=0
    )
    return rates.reindex(doc_ids, fill_value=0).to_numpy(dtype=float)


def _entropy(p: np.ndarray) -> np.ndarray:
    """Shannon entropy in nats along the last axis (0 log 0 = 0)."""
    return entr(p).sum(axis=-1)


def js_distance(p: np.ndarray, q: np.ndarray, entropy_p=None, entropy_q=None) -> np.ndarray:
    """Jensen–Shannon distance (base 2, in [0, 1]) between profiles along the last axis (broadcasting).

    JSD = H((p + q) / 2) − (H(p) + H(q)) / 2: one pass over the pairs, the profiles' own entropies
    computed once (pass them when comparing many pairs).
    """
    entropy_p = _entropy(p) if entropy_p is None else entropy_p
    entropy_q = _entropy(q) if entropy_q is None else entropy_q
    divergence = _entropy((p + q) / 2) - (entropy_p + entropy_q) / 2
    return np.sqrt(np.clip(divergence / math.log(2), 0.0, 1.0))


def weighted_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Σ min / Σ max of non-negative vectors along the last axis (0 when both are empty)."""
    high = np.maximum(a, b).sum(axis=-1)
    low = np.minimum(a, b).sum(axis=-1)
    return np.divide(low, high, out=np.zeros_like(low), where=high > 0)


class _Measures:
    """The three measures between documents, exactly for given pairs and, for kNN search, as cheap bounds.

    Each gets a cheap estimate for whole row blocks — cosine in single precision (the most frequent terms
    as a dense float32 product, the rest sparse and exact), the Hellinger distance for Jensen–Shannon,
    an L1 form for weighted Jaccard — and exact values only for the pairs the estimate cannot rule out.
    """

    DENSE_TERMS = 3000
    # The Hellinger bound of the Jensen–Shannon distance is about 1.2 times too low for close profiles, so
    # the ball it must search holds more documents than the k nearest: try 20 × k per document at once.
    JS_FIRST_ROUND = 20

    def __init__(self, matrix: TermMatrix, profiles: np.ndarray, rates: np.ndarray):
        self.matrix, self.profiles, self.rates = matrix, profiles, rates
        self._dense: np.ndarray | None = None  # the frequent terms, dense, float32 (set by split_vocabulary)
        self._sparse: sparse.csr_matrix | None = None  # the other terms
        self.cosine_margin = 0.0  # set with the dense matrix
        self._root_profiles = np.sqrt(profiles)
        self._profile_totals = profiles.sum(axis=1)
        self._entropies = _entropy(profiles)
        self._rate_totals = rates.sum(axis=1)

    def split_vocabulary(self) -> None:
        """The most frequent terms as a dense float32 matrix, the rest sparse (once, before threads share
        them).

        float32 halves the cost of the dense product, the largest cost of the search; its error is bounded
        (``cosine_margin``), so it only chooses which pairs get an exact value.
        """
        if self._dense is not None:
            return
        tfidf = self.matrix.tfidf
        df = np.bincount(tfidf.indices, minlength=tfidf.shape[1])
        frequent = np.sort(np.argsort(-df, kind="stable")[: self.DENSE_TERMS])
        frequent = frequent[df[frequent] > 1]
        rare = np.setdiff1d(np.arange(tfidf.shape[1]), frequent)
        self._dense = tfidf[:, frequent].toarray().astype(np.float32)
        self._sparse = tfidf[:, rare].tocsr().astype(np.float64)
        self.matrix.release()
        # Rows are unit vectors, so |float32 dot − exact dot| ≤ (d + 2)·u for d dense terms and u = 2⁻²⁴:
        # d products summed (γ_d, in any order BLAS chooses) and each factor rounded to float32 (2u).
        self.cosine_margin = (len(frequent) + 3) * 2.0**-24

    def cosine_estimate(self, rows: np.ndarray) -> np.ndarray:
        """Cosine of ``rows`` against every document, within ``cosine_margin`` of the exact value."""
        self.split_vocabulary()
        dense, rest = self._dense, self._sparse
        assert dense is not None and rest is not None  # split_vocabulary set them
        estimate = dense[rows] @ dense.T
        if rest.shape[1]:
            estimate = estimate + (rest[rows] @ rest.T).toarray()
        return estimate

    # Pairs whose rows are copied out of the tf-idf matrix at once: many documents tied with a row (copies of
    # one press release) make many candidate pairs, and each copied row holds all of its document's terms.
    PAIRS_AT_ONCE = 20_000

    def cosine_pairs(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Exact (float64) cosine of each (row, column) pair."""
        tfidf = self.matrix.tfidf
        return np.concatenate(
            [
                np.asarray(
                    tfidf[rows[i : i + self.PAIRS_AT_ONCE]]
                    .astype(np.float64)
                    .multiply(tfidf[columns[i : i + self.PAIRS_AT_ONCE]].astype(np.float64))
                    .sum(axis=1)
                ).ravel()
                for i in range(0, len(rows), self.PAIRS_AT_ONCE)
            ]
            or [np.zeros(0)]
        )

    def js_pairs(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        return js_distance(
            self.profiles[rows][:, None, :],
            self.profiles[columns],
            self._entropies[rows][:, None],
            self._entropies[columns],
        )

    def js_lower_bound(self, rows: np.ndarray) -> np.ndarray:
        """JSD (bits) ≥ ½ Σ (√p − √q)², i.e. 1 − Σ√(pq) (the squared Hellinger distance) for distributions.

        Term by term: ½[p ln(2p/(p+q)) + q ln(2q/(p+q))] ≥ (ln 2 / 2)(√p − √q)². Both sides scale with
        (p, q), and their ratio falls from ½ at p = q to ln 2 / 2 when one of them is 0.
        """
        totals = self._profile_totals
        half_squares = (totals[rows][:, None] + totals[None, :]) / 2 - self._root_profiles[
            rows
        ] @ self._root_profiles.T
        return np.sqrt(np.clip(half_squares - 1e-9, 0.0, 1.0))

    def jaccard_pairs(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        return weighted_jaccard(self.rates[rows][:, None, :], self.rates[columns])

    def jaccard_upper_bound(self, rows: np.ndarray) -> np.ndarray:
        """Σ min = (Σa + Σb − L1) / 2 and Σ max = (Σa + Σb + L1) / 2: the same value from one L1 distance
        computation in C, plus a margin for rounding, so that only near-ties need the exact formula."""
        from scipy.spatial.distance import cdist

        total = self._rate_totals[rows][:, None] + self._rate_totals[None, :]
        l1 = cdist(self.rates[rows], self.rates, "cityblock")
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(total + l1 > 0, (total - l1) / (total + l1), 0.0)
        return value + 1e-9


def _ranking_keys(values: np.ndarray, columns: np.ndarray, n: int, higher: bool) -> np.ndarray:
    """Integer keys that sort pairs best first, values rounded to 6 decimals, ties by document order."""
    scaled = np.rint(values * 1e6).astype(np.int64)
    return (-scaled if higher else scaled) * n + columns


def _nearest_cosine(rows: np.ndarray, n: int, k: int, measures: _Measures):
    """The k most similar columns of each row by exact cosine: every column whose float32 estimate comes
    within twice the error margin (and a rounding step) of the row's k-th best estimate gets an exact
    value."""
    estimate = measures.cosine_estimate(rows)
    estimate[np.arange(len(rows)), rows] = -np.inf
    kth = np.partition(estimate, n - k, axis=1)[:, n - k]
    # The true k best all lie above kth − 2 × margin; 1e-6 keeps their ties after rounding to 6 decimals.
    pair_rows, columns = np.nonzero(estimate >= (kth - 2 * measures.cosine_margin - 1e-6)[:, None])
    values = measures.cosine_pairs(rows[pair_rows], columns)
    keys = _ranking_keys(values, columns, n, higher=True)
    order = np.lexsort((keys, pair_rows))  # row by row, best first
    rank = np.arange(len(order)) - np.searchsorted(pair_rows[order], pair_rows[order])
    chosen = order[rank < k]
    return columns[chosen].reshape(len(rows), k), values[chosen].reshape(len(rows), k)


def _nearest_bounded(
    rows: np.ndarray, n: int, k: int, optimistic: np.ndarray, exact, higher: bool, first: int = 8
):
    """Filter and refine: the k best columns of each row, exact values computed only where the optimistic
    bound (an upper bound of the value when higher is closer, else a lower bound) leaves it possible."""
    sign = -1.0 if higher else 1.0
    # A lower bound of each pair's ranking key, document order included, so that ties are settled here too
    # (documents with identical profiles are common: every one without a theme hit has the same).
    bound_keys = np.rint(sign * optimistic * 1e6).astype(np.int64) * n + np.arange(n)
    bound_keys[np.arange(len(rows)), rows] = np.iinfo(np.int64).max
    best = np.zeros((len(rows), k), dtype=np.int64)
    values = np.zeros((len(rows), k))
    pending = np.arange(len(rows))
    size = min(n - 1, first * k)
    while len(pending):
        keys_here = bound_keys[pending]
        if size < n - 1:
            candidates = np.argpartition(keys_here, size, axis=1)
            outside = np.take_along_axis(keys_here, candidates[:, size : size + 1], axis=1)[:, 0]
            candidates = candidates[:, :size]
        else:
            candidates = np.broadcast_to(np.arange(n), (len(pending), n))
            outside = np.full(len(pending), np.iinfo(np.int64).max)
        exact_values = exact(rows[pending], candidates)
        keys = _ranking_keys(exact_values, candidates, n, higher)
        keys[candidates == rows[pending][:, None]] = np.iinfo(np.int64).max
        order = np.argsort(keys, axis=1)[:, :k]
        kth = np.take_along_axis(keys, order[:, -1:], axis=1)[:, 0]
        done = outside > kth
        chosen = np.take_along_axis(candidates, order, axis=1)
        best[pending[done]] = chosen[done]
        values[pending[done]] = np.take_along_axis(exact_values, order, axis=1)[done]
        pending = pending[~done]
        size = min(n - 1, size * 4)
    return best, values


# Pairs in one row block of the similarity search: 10 MB per float64 temporary, and each thread holds a few.
# Cosine blocks are four times taller: their temporaries are float32, and a taller block spreads the cost of
# packing the whole dense matrix for the product over more rows (a third faster at 10,000 documents).
_BLOCK_PAIRS = 1_250_000


_COSINE_BLOCK_FACTOR = 4


# Long because its row-block worker is a closure over the shared search state (the threads share one
# _Measures and its float32 matrix); the measures themselves live in _Measures.
def similarity_table(
    matrix: TermMatrix,
    profiles: np.ndarray,
    rates: np.ndarray,
    max_docs: int = 300,
    neighbours: int = 5,
    chunk: int | None = None,
    exact_max: int = EXACT_SEARCH_MAX,
) -> pd.DataFrame:
    """``doc_a, doc_b, measure, value``: every ordered pair up to ``max_docs`` documents, else each
    document's ``neighbours`` nearest — exact (ties by document order) up to ``exact_max`` documents, in
    row blocks so that memory stays linear in the corpus; above, among candidates (neighbours.py)."""
    n = len(matrix.doc_ids)
    ids = np.array(matrix.doc_ids)
    columns = ["doc_a", "doc_b", "measure", "value"]
    if n < 2:
        return pd.DataFrame(columns=columns)
    measures = _Measures(matrix, profiles, rates)
    k = min(neighbours, n - 1)
    if n > max(max_docs, exact_max):
        return approximate_table(measures, ids, k)
    chunk = chunk or max(16, _BLOCK_PAIRS // n)
    if n > max_docs:
        measures.split_vocabulary()

    def block(job: tuple[str, bool, int, int]) -> pd.DataFrame:
        measure, higher, begin, size = job
        rows = np.arange(begin, min(n, begin + size))
        if n <= max_docs:  # every pair
            if measure == "cosine_tfidf":
                values = (matrix.tfidf[rows].astype(np.float64) @ matrix.tfidf.T.astype(np.float64)).toarray()
            elif measure == "js_distance_themes":
                values = measures.js_pairs(rows, np.arange(n)[None, :])
            else:
                values = measures.jaccard_pairs(rows, np.arange(n)[None, :])
            a, b = np.nonzero(np.arange(n)[None, :] != rows[:, None])
            return pd.DataFrame(
                {
                    "doc_a": ids[rows[a]],
                    "doc_b": ids[b],
                    "measure": measure,
                    "value": np.round(values[a, b], 6),
                }
            )
        if measure == "cosine_tfidf":
            best, values = _nearest_cosine(rows, n, k, measures)
        elif measure == "js_distance_themes":
            best, values = _nearest_bounded(
                rows,
                n,
                k,
                measures.js_lower_bound(rows),
                measures.js_pairs,
                higher,
                first=measures.JS_FIRST_ROUND,
            )
        else:
            best, values = _nearest_bounded(
                rows, n, k, measures.jaccard_upper_bound(rows), measures.jaccard_pairs, higher
            )
        return pd.DataFrame(
            {
                "doc_a": np.repeat(ids[rows], k),
                "doc_b": ids[best.ravel()],
                "measure": measure,
                "value": np.round(values.ravel(), 6),
            }
        )

    jobs: list[tuple[str, bool, int, int]] = []
    for measure, (_, higher) in MEASURES.items():
        size = chunk * _COSINE_BLOCK_FACTOR if measure == "cosine_tfidf" and n > max_docs else chunk
        jobs.extend((measure, higher, begin, size) for begin in range(0, n, size))
    if len(jobs) == 1 or n <= max_docs:
        frames = [block(job) for job in jobs]
    else:  # NumPy and SciPy release the GIL in these loops: row blocks run on every core, BLAS on one each
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        with threadpool_limits(1), ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            frames = list(pool.map(block, jobs))
    matrix.release()
    return pd.concat(frames, ignore_index=True)


def document_map(matrix: TermMatrix, seed: int = 0) -> pd.DataFrame:
    """2-D coordinates of the documents from their tf-idf cosine distances (metric MDS, fixed seed)."""
    if len(matrix.doc_ids) < 3:
        return pd.DataFrame({"doc_id": matrix.doc_ids, "x": 0.0, "y": 0.0})
    tfidf = matrix.tfidf.astype(np.float64)  # a few hundred documents
    distances = np.clip(1.0 - (tfidf @ tfidf.T).toarray(), 0.0, None)
    np.fill_diagonal(distances, 0.0)
    coords = MDS(
        n_components=2, metric="precomputed", random_state=seed, n_init=4, init="random"
    ).fit_transform(distances)
    coords = coords * np.sign(
        coords[0, :] + 1e-12
    )  # fix the arbitrary reflection so reruns draw the same map
    return pd.DataFrame(
        {"doc_id": matrix.doc_ids, "x": np.round(coords[:, 0], 4), "y": np.round(coords[:, 1], 4)}
    )


def most_similar_pair(similarity: pd.DataFrame) -> tuple[str, str] | None:
    cosine = similarity[similarity["measure"] == "cosine_tfidf"]
    if cosine.empty:
        return None
    best = cosine.sort_values(["value", "doc_a", "doc_b"], ascending=[False, True, True]).iloc[0]
    return str(best["doc_a"]), str(best["doc_b"])


def similar_passages(corpus: Corpus, pair: tuple[str, str], count: int = 3) -> list[dict]:
    """The sentence pairs of two documents whose wording is closest (tf-idf cosine over their sentences)."""
    docs = {d.doc_id: d for d in corpus.documents}
    a, b = corpus.with_text(docs[pair[0]]), corpus.with_text(docs[pair[1]])
    sentences = [
        (doc, i, doc.full_text[s:e]) for doc in (a, b) for i, (s, e) in enumerate(doc.sentence_spans)
    ]
    vectorizer = CountVectorizer(
        analyzer=lambda text: terms_of(text, tokenize(text), [(0, len(text))]), lowercase=False
    )
    counts = vectorizer.fit_transform([text for _, _, text in sentences])
    if counts.shape[1] == 0:
        return []
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    split = len(a.sentence_spans)
    scores = (tfidf[:split] @ tfidf[split:].T).toarray()
    best = sorted(
        (-scores[i, j], i, j)
        for i in range(scores.shape[0])
        for j in range(scores.shape[1])
        if scores[i, j] > 0
    )
    return [
        {"score": round(-score, 3), "a": sentences[i][2], "b": sentences[split + j][2]}
        for score, i, j in best[:count]
    ]


def heatmap_pairs(
    similarity: pd.DataFrame,
    matrix: TermMatrix,
    profiles: np.ndarray,
    rates: np.ndarray,
    limit: int = HEATMAP_MAX_DOCS,
) -> pd.DataFrame:
    """For each measure, every ordered pair among the documents its heatmap shows: all documents up to
    ``limit``, else the ``limit`` closest on average to their neighbours in the similarity table."""
    ids = matrix.doc_ids
    frames = []
    for measure, (_, higher) in MEASURES.items():
        rows = list(range(len(ids)))
        if len(ids) > limit:
            table = similarity[similarity["measure"] == measure]
            mean = table.groupby("doc_a")["value"].mean()
            central = set(mean.sort_values(ascending=not higher, kind="stable").head(limit).index)
            rows = [i for i, d in enumerate(ids) if d in central]
        sub = similarity_table(
            matrix_subset(matrix, [ids[i] for i in rows]), profiles[rows], rates[rows], max_docs=len(rows) + 1
        )
        frames.append(sub[sub["measure"] == measure])
    return pd.concat(frames, ignore_index=True)
