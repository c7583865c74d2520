"""Document comparison: how the documents relate, what sets each apart, and what changed between periods.

Terms are the words of the cleaned text (possessives and periods dropped, acronyms kept in capitals so
that "US" is not the pronoun "us"), English stop words out, unigrams and the bigrams of adjacent
non-stop words inside one sentence.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
from collections import Counter
from itertools import compress
from operator import and_
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import entr
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from sklearn.manifold import MDS

from policybrief import present
from policybrief.present import alt
from policybrief.corpus import Corpus, Document
from policybrief.dates import parse_date
from policybrief import lexicon as lexicon_module
from policybrief.lexicon import GAPS, Tokens, tokenize
from policybrief.scan import Part, fingerprint, remembered, scan
from policybrief.stats import newcombe_difference
from policybrief.overview import documents_shown, long_date, short_title, shown_note
from policybrief.text import plural

MEASURES = {  # name: (description, higher means more alike)
    "cosine_tfidf": ("wording: cosine of tf-idf vectors", True),
    "js_distance_themes": ("substance: Jensen–Shannon distance between theme profiles", False),
    "weighted_jaccard_actors": ("actors: weighted Jaccard overlap of mention rates", True),
}
SHINGLE_WORDS = 5
HEATMAP_MAX_DOCS = 30  # documents in a similarity heatmap


def document_terms(doc: Document, tokens: Tokens | None = None) -> list[str]:
    """Unigrams, then in-sentence bigrams, of non-stop words."""
    return terms_of(doc.text, tokenize(doc.text) if tokens is None else tokens, doc.sentence_spans)


def terms_of(text: str, tokens: Tokens, sentence_spans: list[tuple[int, int]]) -> list[str]:
    """The terms of any text whose tokens and sentences are known (a document, or one sentence): its
    unigrams, then the bigrams of adjacent words in one sentence with only a gap of GAPS between them (a space
    or hyphen, after an optional period or possessive)."""
    if not len(tokens):
        return []
    starts, ends = tokens.starts, tokens.ends
    # Sentences start after white space, and the only white space a gap in GAPS holds is its last character:
    # two words joined by such a gap are in one sentence unless the second one starts a sentence.
    sentence_starts = {start for start, _ in sentence_spans}
    keys = [c if len(c) > 1 and c.isupper() else k for c, k in zip(tokens.cased, tokens.lower)]
    keep = [k not in ENGLISH_STOP_WORDS and not k.isdigit() for k in tokens.lower]
    bigrams = [f"{keys[i]} {keys[i + 1]}" for i in compress(range(len(keys) - 1), map(and_, keep, keep[1:]))
               if starts[i + 1] not in sentence_starts and text[ends[i]:starts[i + 1]] in GAPS]
    return list(compress(keys, keep)) + bigrams


@dataclass
class DocumentProfile:
    """What comparison needs from one document: its term counts and its shingles."""

    terms: str  # distinct terms, sorted, one per line (one string, not thousands: corpora of 10,000 documents fit in memory)
    counts: np.ndarray  # uses of each term
    shingles: np.ndarray  # sorted distinct hashes of 5-word shingles
    signature: np.ndarray  # MinHash signature of the shingles (empty when there are none)


def document_profile(doc: Document, tokens: Tokens) -> DocumentProfile:
    counted = Counter(terms_of(doc.text, tokens, doc.sentence_spans))
    terms = sorted(counted)
    shingles = shingle_hashes(tokens.lower)
    return DocumentProfile("\n".join(terms), np.array([counted[t] for t in terms], dtype=np.int32), shingles,
                           minhash_signature(shingles))


def scan_part() -> Part:
    """Terms and shingles as a per-document part of the scan (cached per document)."""
    return Part("terms", fingerprint(Path(__file__), Path(lexicon_module.__file__)), document_profile)


@dataclass
class TermMatrix:
    doc_ids: list[str]
    terms: np.ndarray  # vocabulary, sorted
    counts: "np.ndarray | object"  # sparse documents × terms
    tfidf: object  # sparse, rows L2-normalised


_TERM_BATCH = 500  # documents whose terms are read into the vocabulary at once


def term_matrix(corpus: Corpus, profiles: list[DocumentProfile] | None = None) -> TermMatrix:
    """Documents × terms counts and tf-idf, assembled from the per-document term counts."""
    from scipy import sparse

    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    lengths = [p.terms.count("\n") + 1 if p.terms else 0 for p in profiles]
    vocabulary: dict[str, int] = {}
    codes = []
    for begin in range(0, len(profiles), _TERM_BATCH):  # in batches: a string object per use of every term at once is gigabytes
        joined = "\n".join(p.terms for p in profiles[begin:begin + _TERM_BATCH] if p.terms)
        local, uniques = pd.factorize(np.array(joined.split("\n") if joined else [], dtype=object))
        ids = np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in uniques), dtype=np.int64, count=len(uniques))
        codes.append(ids[local])
    first_seen = np.array(list(vocabulary), dtype=object)
    order = np.argsort(first_seen, kind="stable")
    terms = first_seen[order]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    indices = rank[np.concatenate(codes)] if codes else np.zeros(0, dtype=np.int64)
    data = np.concatenate([p.counts for p in profiles]) if profiles else np.zeros(0, dtype=np.int32)
    counts = sparse.csr_matrix((data.astype(np.int64), indices, indptr), shape=(len(profiles), len(terms)))
    counts.sort_indices()
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return TermMatrix([d.doc_id for d in corpus.documents], terms, counts, tfidf.tocsr())


def theme_profiles(theme_coverage: pd.DataFrame, doc_ids: list[str], smoothing: float = 0.5) -> np.ndarray:
    """Each document's shares of theme hits, with ``smoothing`` added to every theme first."""
    hits = theme_coverage.pivot_table(index="doc_id", columns="theme", values="hits", aggfunc="sum", fill_value=0)
    matrix = hits.reindex(doc_ids, fill_value=0).to_numpy(dtype=float) + smoothing
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)


def actor_rates(actor_mentions: pd.DataFrame, doc_ids: list[str]) -> np.ndarray:
    """Mentions per 1,000 words of each actor in each document."""
    if actor_mentions.empty:
        return np.zeros((len(doc_ids), 1))
    rates = actor_mentions.pivot_table(index="doc_id", columns="actor", values="per_1k_words", aggfunc="sum", fill_value=0)
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
        self._dense = self._sparse = None
        self.cosine_margin = 0.0  # set with the dense matrix
        self._root_profiles = np.sqrt(profiles)
        self._profile_totals = profiles.sum(axis=1)
        self._entropies = _entropy(profiles)
        self._rate_totals = rates.sum(axis=1)

    def split_vocabulary(self) -> None:
        """The most frequent terms as a dense float32 matrix, the rest sparse (once, before threads share them).

        float32 halves the cost of the dense product, the largest cost of the search; its error is bounded
        (``cosine_margin``), so it only chooses which pairs get an exact value.
        """
        if self._dense is not None:
            return
        tfidf = self.matrix.tfidf
        df = np.bincount(tfidf.indices, minlength=tfidf.shape[1])
        frequent = np.sort(np.argsort(-df, kind="stable")[:self.DENSE_TERMS])
        frequent = frequent[df[frequent] > 1]
        rare = np.setdiff1d(np.arange(tfidf.shape[1]), frequent)
        self._dense = tfidf[:, frequent].toarray().astype(np.float32)
        self._sparse = tfidf[:, rare].tocsr()
        # Rows are unit vectors, so |float32 dot − exact dot| ≤ (d + 2)·u for d dense terms and u = 2⁻²⁴:
        # d products summed (γ_d, in any order BLAS chooses) and each factor rounded to float32 (2u).
        self.cosine_margin = (len(frequent) + 3) * 2.0 ** -24

    def cosine_estimate(self, rows: np.ndarray) -> np.ndarray:
        """Cosine of ``rows`` against every document, within ``cosine_margin`` of the exact value."""
        self.split_vocabulary()
        estimate = self._dense[rows] @ self._dense.T
        if self._sparse.shape[1]:
            estimate = estimate + (self._sparse[rows] @ self._sparse.T).toarray()
        return estimate

    # Pairs whose rows are copied out of the tf-idf matrix at once: many documents tied with a row (copies of
    # one press release) make many candidate pairs, and each copied row holds all of its document's terms.
    PAIRS_AT_ONCE = 20_000

    def cosine_pairs(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Exact (float64) cosine of each (row, column) pair."""
        tfidf = self.matrix.tfidf
        return np.concatenate([np.asarray(tfidf[rows[i:i + self.PAIRS_AT_ONCE]].multiply(
                                   tfidf[columns[i:i + self.PAIRS_AT_ONCE]]).sum(axis=1)).ravel()
                               for i in range(0, len(rows), self.PAIRS_AT_ONCE)] or [np.zeros(0)])

    def js_pairs(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        return js_distance(self.profiles[rows][:, None, :], self.profiles[columns],
                           self._entropies[rows][:, None], self._entropies[columns])

    def js_lower_bound(self, rows: np.ndarray) -> np.ndarray:
        """JSD (bits) ≥ ½ Σ (√p − √q)², i.e. 1 − Σ√(pq) (the squared Hellinger distance) for distributions.

        Term by term: ½[p ln(2p/(p+q)) + q ln(2q/(p+q))] ≥ (ln 2 / 2)(√p − √q)². Both sides scale with
        (p, q), and their ratio falls from ½ at p = q to ln 2 / 2 when one of them is 0.
        """
        totals = self._profile_totals
        half_squares = (totals[rows][:, None] + totals[None, :]) / 2 - self._root_profiles[rows] @ self._root_profiles.T
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
    within twice the error margin (and a rounding step) of the row's k-th best estimate gets an exact value."""
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


def _nearest_bounded(rows: np.ndarray, n: int, k: int, optimistic: np.ndarray, exact, higher: bool, first: int = 8):
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
            outside = np.take_along_axis(keys_here, candidates[:, size:size + 1], axis=1)[:, 0]
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


def similarity_table(matrix: TermMatrix, profiles: np.ndarray, rates: np.ndarray, max_docs: int = 300,
                     neighbours: int = 5, chunk: int | None = None) -> pd.DataFrame:
    """``doc_a, doc_b, measure, value``: every ordered pair up to ``max_docs`` documents, else each
    document's ``neighbours`` nearest (exact, ties by document order), in row blocks so that memory
    stays linear in the corpus."""
    n = len(matrix.doc_ids)
    ids = np.array(matrix.doc_ids)
    columns = ["doc_a", "doc_b", "measure", "value"]
    if n < 2:
        return pd.DataFrame(columns=columns)
    measures = _Measures(matrix, profiles, rates)
    k = min(neighbours, n - 1)
    chunk = chunk or max(16, _BLOCK_PAIRS // n)
    if n > max_docs:
        measures.split_vocabulary()

    def block(job: tuple[str, bool, int, int]) -> pd.DataFrame:
        measure, higher, begin, size = job
        rows = np.arange(begin, min(n, begin + size))
        if n <= max_docs:  # every pair
            if measure == "cosine_tfidf":
                values = (matrix.tfidf[rows] @ matrix.tfidf.T).toarray()
            elif measure == "js_distance_themes":
                values = measures.js_pairs(rows, np.arange(n)[None, :])
            else:
                values = measures.jaccard_pairs(rows, np.arange(n)[None, :])
            a, b = np.nonzero(np.arange(n)[None, :] != rows[:, None])
            return pd.DataFrame({"doc_a": ids[rows[a]], "doc_b": ids[b], "measure": measure,
                                 "value": np.round(values[a, b], 6)})
        if measure == "cosine_tfidf":
            best, values = _nearest_cosine(rows, n, k, measures)
        elif measure == "js_distance_themes":
            best, values = _nearest_bounded(rows, n, k, measures.js_lower_bound(rows), measures.js_pairs, higher,
                                            first=measures.JS_FIRST_ROUND)
        else:
            best, values = _nearest_bounded(rows, n, k, measures.jaccard_upper_bound(rows), measures.jaccard_pairs, higher)
        return pd.DataFrame({"doc_a": np.repeat(ids[rows], k), "doc_b": ids[best.ravel()], "measure": measure,
                             "value": np.round(values.ravel(), 6)})

    jobs = []
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
    return pd.concat(frames, ignore_index=True)


def log_odds(target: np.ndarray, rest: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with an informative Dirichlet prior, and its z-score (Monroe, Colaresi & Quinn 2008).

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var(delta_w) ~ 1 / (y_iw + a_w) + 1 / (y_jw + a_w);  z_w = delta_w / sqrt(var)
    """
    a0, n_i, n_j = prior.sum(), target.sum(), rest.sum()
    delta = (np.log((target + prior) / (n_i + a0 - target - prior))
             - np.log((rest + prior) / (n_j + a0 - rest - prior)))
    variance = 1.0 / (target + prior) + 1.0 / (rest + prior)
    return delta, delta / np.sqrt(variance)


def _top_without_parts_of_phrases(group: np.ndarray, term: np.ndarray, count: np.ndarray, vocabulary: np.ndarray,
                                  top: int) -> np.ndarray:
    """Positions of the first ``top`` entries of each group (entries come best first within each group),
    leaving out a word listed beside a phrase of the same group that accounts for all its uses ("united"
    beside "united states"). Whole arrays at once: keyness lists terms for every document."""
    entries = pd.DataFrame({"group": group, "term": term, "count": count})
    phrases = np.unique(term)
    phrases = phrases[np.fromiter((" " in t for t in vocabulary[phrases]), dtype=bool, count=len(phrases))]
    keep = np.ones(len(entries), dtype=bool)
    if len(phrases):  # each distinct phrase split once, then joined to the entries that list it
        pieces = [(p, w) for p, text in zip(phrases, vocabulary[phrases]) for w in text.split(" ")]
        words = np.array([w for _, w in pieces], dtype=object)
        where = np.minimum(np.searchsorted(vocabulary, words), len(vocabulary) - 1)
        word_of = pd.DataFrame({"phrase": [p for p, _ in pieces], "word": where})[vocabulary[where] == words]
        listed = entries[entries["term"].isin(phrases)].merge(word_of, left_on="term", right_on="phrase")
        redundant = entries.reset_index().merge(listed[["group", "word", "count"]].drop_duplicates(),
                                                left_on=["group", "term", "count"], right_on=["group", "word", "count"])
        keep[redundant["index"].to_numpy()] = False
    positions = np.flatnonzero(keep)
    rank = entries.iloc[positions].groupby("group", sort=False).cumcount().to_numpy()
    return positions[rank < top]


def distinctive_terms(matrix: TermMatrix, groups: dict[str, str], top: int = 10, prior_scale: float = 1.0,
                      min_count: int = 2) -> pd.DataFrame:
    """Terms that set each group (a document, a source, a period) apart from the rest of the corpus.

    The prior is the corpus's own term counts times ``prior_scale``. A term is listed when it occurs at
    least ``min_count`` times in the group and its z-score is positive, best first.
    """
    from scipy import sparse

    columns = ["group", "term", "count", "count_rest", "score", "log_odds", "log_ratio"]
    labels = [groups.get(d) for d in matrix.doc_ids]
    names = sorted({g for g in labels if g is not None})
    rank = {g: i for i, g in enumerate(names)}
    members = [(rank[g], i) for i, g in enumerate(labels) if g is not None]
    if not names:
        return pd.DataFrame(columns=columns)
    group_rows, doc_rows = zip(*members)
    membership = sparse.csr_matrix((np.ones(len(members)), (group_rows, doc_rows)), shape=(len(names), len(labels)))
    sizes = np.bincount(group_rows, minlength=len(names))
    by_group = (membership @ matrix.counts).tocsr()  # groups × terms: every (group, term) with a use
    by_group.sort_indices()
    totals = np.asarray(matrix.counts.sum(axis=0)).ravel().astype(float)
    prior = totals * prior_scale
    a0, everything = prior.sum(), totals.sum()
    group_of = np.repeat(np.arange(len(names)), np.diff(by_group.indptr))
    frequent = by_group.data >= min_count  # the only candidates: the rest are never listed, so never scored
    group_of, term, target = group_of[frequent], by_group.indices[frequent], by_group.data[frequent].astype(float)
    rest = totals[term] - target
    n_i = np.asarray(by_group.sum(axis=1)).ravel().astype(float)[group_of]
    n_j = everything - n_i
    alpha = prior[term]
    delta = np.log((target + alpha) / (n_i + a0 - target - alpha)) - np.log((rest + alpha) / (n_j + a0 - rest - alpha))
    z = delta / np.sqrt(1.0 / (target + alpha) + 1.0 / (rest + alpha))
    log_ratio = np.log2(((target + 0.5) / (n_i + 0.5)) / ((rest + 0.5) / (n_j + 0.5)))
    whole = sizes[group_of] == len(labels)  # a group holding every document has no "rest"
    kept = np.where((z > 0) & ~whole)[0]
    kept = kept[np.lexsort((term[kept], -z[kept], group_of[kept]))]
    chosen = kept[_top_without_parts_of_phrases(group_of[kept], term[kept], target[kept], matrix.terms, top)]
    if not len(chosen):
        return pd.DataFrame(columns=columns)
    group_names = [names[g] for g in group_of[chosen]]
    return pd.DataFrame({"group": group_names, "term": matrix.terms[term[chosen]], "count": target[chosen].astype(int),
                         "count_rest": rest[chosen].astype(int), "score": np.round(z[chosen], 3),
                         "log_odds": np.round(delta[chosen], 4), "log_ratio": np.round(log_ratio[chosen], 3)})


_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_LSH_BANDS, _LSH_ROWS = 16, 4  # 64 hashes; a pair at Jaccard 0.5 becomes a candidate with probability 0.65, at 0.7 0.99


@functools.lru_cache(maxsize=None)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(words: list[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique 64-bit hashes of the 5-word shingles of ``words`` (stable across runs: no Python hash)."""
    if len(words) < size:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    hashes = np.zeros(len(words) - size + 1, dtype=np.uint64)
    for k in range(size):  # a polynomial over the word hashes; wrap-around arithmetic is deterministic
        hashes = hashes * _HASH_MULTIPLIER + ids[k:len(words) - size + 1 + k]
    return np.unique(hashes)


_rng = np.random.default_rng(20241105)
_MINHASH_A = _rng.integers(1, 2**63, _LSH_BANDS * _LSH_ROWS, dtype=np.uint64) | np.uint64(1)
_MINHASH_B = _rng.integers(0, 2**63, _LSH_BANDS * _LSH_ROWS, dtype=np.uint64)
MAX_BUCKET = 50  # documents sharing one band, above which the band is boilerplate


def minhash_signature(shingles: np.ndarray) -> np.ndarray:
    if not len(shingles):
        return shingles
    return (shingles[None, :] * _MINHASH_A[:, None] + _MINHASH_B[:, None]).min(axis=1)


# A pair is compared exactly when its signatures agree on at least this much less than the threshold:
# with 64 hashes the estimate's standard error is at most 0.0625, so 0.25 is four of them.
_ESTIMATE_MARGIN = 0.25


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
    for band in range(_LSH_BANDS):
        keys = np.ascontiguousarray(stacked[:, band * _LSH_ROWS:(band + 1) * _LSH_ROWS]).view(np.dtype((np.void, 8 * _LSH_ROWS)))
        _, bucket, sizes = np.unique(keys.ravel(), return_inverse=True, return_counts=True)
        order = np.argsort(bucket, kind="stable")  # documents bucket by bucket, in corpus order within each
        starts = np.concatenate([[0], np.cumsum(sizes)])
        for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_BUCKET)]).tolist():  # all buckets of one size at once
            members = present[order[starts[np.flatnonzero(sizes == size), None] + np.arange(size)]]
            first, second = np.triu_indices(size, 1)
            found.append((members[:, first] * n + members[:, second]).ravel())
    if not found:
        return []
    codes = np.unique(np.concatenate(found))  # each pair once, in order
    ordered = np.stack([codes // n, codes % n], axis=1)
    agreement = (stacked[np.searchsorted(present, ordered[:, 0])] == stacked[np.searchsorted(present, ordered[:, 1])]).mean(axis=1)
    return [tuple(pair) for pair in ordered[agreement >= threshold - _ESTIMATE_MARGIN].tolist()]


def _shared_counts(sets: list[np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """How many values the two sorted arrays of distinct values of each pair ``(a, b)`` share. Adjacent pairs with
    the same ``a`` (candidates come sorted) share one search of ``a`` for all their values (no merged copy to sort)."""
    counts = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return counts
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(pairs[:, 0])) + 1, [len(pairs)]]).tolist()
    for begin, end in zip(bounds, bounds[1:]):
        a = sets[pairs[begin, 0]]
        partners = [sets[b] for b in pairs[begin:end, 1].tolist()]
        values = np.concatenate(partners)
        hits = a[np.minimum(np.searchsorted(a, values), len(a) - 1)] == values
        counts[begin:end] = np.add.reduceat(hits, np.cumsum([0] + [len(p) for p in partners[:-1]]))
    return counts


def near_duplicates(corpus: Corpus, threshold: float = 0.5, exact_up_to: int = 300,
                    profiles: list[DocumentProfile] | None = None) -> pd.DataFrame:
    """Pairs of documents sharing many 5-word shingles (Jaccard ≥ threshold), and passages repeated inside a
    document that cleaning removed — so the analyst knows what was counted once.

    Up to ``exact_up_to`` documents every pair is compared; above, MinHash signatures with banding pick
    the candidate pairs (see ``_likely_pairs``), whose Jaccard is then computed exactly.
    """
    columns = ["kind", "doc_a", "doc_b", "similarity", "containment", "shared", "words", "excerpt"]
    docs = corpus.documents
    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    sets = [p.shingles for p in profiles]
    if len(docs) <= exact_up_to:
        candidates = [(a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))]
    else:
        candidates = _likely_pairs([p.signature for p in profiles], threshold)
    sizes = np.array([len(shingles) for shingles in sets], dtype=np.int64)
    pairs = np.array(candidates, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[(sizes[pairs[:, 0]] > 0) & (sizes[pairs[:, 1]] > 0)]
    shared = _shared_counts(sets, pairs)
    rows = []
    for (a, b), common in zip(pairs.tolist(), shared.tolist()):
        union = len(sets[a]) + len(sets[b]) - common
        if common and common / union >= threshold:
            rows.append({"kind": "across documents", "doc_a": docs[a].doc_id, "doc_b": docs[b].doc_id,
                         "similarity": round(common / union, 4),
                         "containment": round(common / min(len(sets[a]), len(sets[b])), 4), "shared": common,
                         "words": "", "excerpt": ""})
    for doc in docs:
        for removal in doc.removals:
            if removal["step"] == "repeated passage":
                rows.append({"kind": "within a document", "doc_a": doc.doc_id, "doc_b": doc.doc_id, "similarity": 1.0,
                             "containment": 1.0, "shared": "", "words": removal["words"],
                             "excerpt": " ".join(removal["text"].split())[:160]})
    return pd.DataFrame(rows, columns=columns)


def split_groups(corpus: Corpus, split_date: str) -> dict[str, str]:
    split = parse_date(split_date).sort_key
    return {d.doc_id: ("after" if d.sort_date >= split else "before") for d in corpus.documents if d.sort_date}


def _share_change(kind: str, item: str, label: str, before: tuple[int, int], after: tuple[int, int]) -> dict:
    (k1, n1), (k2, n2) = before, after
    if n1 and n2:
        low, high = newcombe_difference(k2, n2, k1, n1)
        low, high = round(low, 4), round(high, 4)
    else:
        low = high = math.nan
    share1, share2 = (k1 / n1 if n1 else 0.0), (k2 / n2 if n2 else 0.0)
    return {"kind": kind, "item": item, "label": label, "measure": "share of documents", "before": round(share1, 4),
            "after": round(share2, 4), "change": round(share2 - share1, 4), "before_count": k1, "before_docs": n1,
            "after_count": k2, "after_docs": n2, "ci_low": low, "ci_high": high, "score": math.nan}


def period_change(corpus: Corpus, matrix: TermMatrix, theme_coverage: pd.DataFrame, theme_labels: dict[str, str],
                  actor_mentions: pd.DataFrame, actor_names: dict[str, str], split_date: str, terms: int = 15) -> pd.DataFrame:
    """Themes, actors and terms before and after ``split_date``: shares of documents with a Newcombe interval
    for the difference (themes, actors), and log-odds z-scores with per-1,000-word rates (terms)."""
    groups = split_groups(corpus, split_date)
    before = {d for d, g in groups.items() if g == "before"}
    after = {d for d, g in groups.items() if g == "after"}
    rows = []
    present_themes = theme_coverage[theme_coverage["present"]]
    for theme_id, label in theme_labels.items():
        docs = set(present_themes.loc[present_themes["theme"] == theme_id, "doc_id"])
        rows.append(_share_change("theme", theme_id, label, (len(docs & before), len(before)), (len(docs & after), len(after))))
    for actor_id, name in actor_names.items():
        docs = set(actor_mentions.loc[actor_mentions["actor"] == actor_id, "doc_id"])
        rows.append(_share_change("actor", actor_id, name, (len(docs & before), len(before)), (len(docs & after), len(after))))
    if before and after:
        inside = np.array([groups.get(d) == "after" for d in matrix.doc_ids])
        known = np.array([d in groups for d in matrix.doc_ids])
        counts = matrix.counts[known]
        totals = np.asarray(counts.sum(axis=0)).ravel().astype(float)
        target = np.asarray(matrix.counts[inside & known].sum(axis=0)).ravel().astype(float)
        rest = totals - target
        _, z = log_odds(target, rest, totals)
        words_after = sum(d.words for d in corpus.documents if d.doc_id in after)
        words_before = sum(d.words for d in corpus.documents if d.doc_id in before)
        candidates = np.where(totals >= 3)[0]
        order = candidates[np.lexsort((matrix.terms[candidates], -np.abs(z[candidates])))]
        order = order[_top_without_parts_of_phrases(np.zeros(len(order), dtype=np.int64), order, totals[order],
                                                    matrix.terms, terms)]
        for w in order:
            rate1, rate2 = 1000 * rest[w] / words_before, 1000 * target[w] / words_after
            rows.append({"kind": "term", "item": matrix.terms[w], "label": matrix.terms[w], "measure": "per 1,000 words",
                         "before": round(rate1, 3), "after": round(rate2, 3), "change": round(rate2 - rate1, 3),
                         "before_count": int(rest[w]), "before_docs": len(before), "after_count": int(target[w]),
                         "after_docs": len(after), "ci_low": math.nan, "ci_high": math.nan, "score": round(float(z[w]), 3)})
    frame = pd.DataFrame(rows)
    return frame.sort_values(["kind", "change", "item"], ascending=[True, False, True], key=None).reset_index(drop=True)


def document_map(matrix: TermMatrix, seed: int = 0) -> pd.DataFrame:
    """2-D coordinates of the documents from their tf-idf cosine distances (metric MDS, fixed seed)."""
    if len(matrix.doc_ids) < 3:
        return pd.DataFrame({"doc_id": matrix.doc_ids, "x": 0.0, "y": 0.0})
    distances = np.clip(1.0 - (matrix.tfidf @ matrix.tfidf.T).toarray(), 0.0, None)
    np.fill_diagonal(distances, 0.0)
    coords = MDS(n_components=2, metric="precomputed", random_state=seed, n_init=4, init="random").fit_transform(distances)
    coords = coords * np.sign(coords[0, :] + 1e-12)  # fix the arbitrary reflection so reruns draw the same map
    return pd.DataFrame({"doc_id": matrix.doc_ids, "x": np.round(coords[:, 0], 4), "y": np.round(coords[:, 1], 4)})


def most_similar_pair(similarity: pd.DataFrame) -> tuple[str, str] | None:
    cosine = similarity[similarity["measure"] == "cosine_tfidf"]
    if cosine.empty:
        return None
    best = cosine.sort_values(["value", "doc_a", "doc_b"], ascending=[False, True, True]).iloc[0]
    return str(best["doc_a"]), str(best["doc_b"])


def similar_passages(corpus: Corpus, pair: tuple[str, str], count: int = 3) -> list[dict]:
    """The sentence pairs of two documents whose wording is closest (tf-idf cosine over their sentences)."""
    docs = {d.doc_id: d for d in corpus.documents}
    a, b = docs[pair[0]], docs[pair[1]]
    sentences = [(doc, i, doc.text[s:e]) for doc in (a, b) for i, (s, e) in enumerate(doc.sentence_spans)]
    vectorizer = CountVectorizer(analyzer=lambda text: terms_of(text, tokenize(text), [(0, len(text))]), lowercase=False)
    counts = vectorizer.fit_transform([text for _, _, text in sentences])
    if counts.shape[1] == 0:
        return []
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    split = len(a.sentence_spans)
    scores = (tfidf[:split] @ tfidf[split:].T).toarray()
    best = sorted(((-scores[i, j], i, j) for i in range(scores.shape[0]) for j in range(scores.shape[1]) if scores[i, j] > 0))
    return [{"score": round(-score, 3), "a": sentences[i][2], "b": sentences[split + j][2]} for score, i, j in best[:count]]


def items_in(table: pd.DataFrame, key: str, doc_id: str) -> set[str]:
    """The themes (or actors) a document has, from a per-document table such as theme_coverage."""
    return set(table.loc[table["doc_id"] == doc_id, key])


def side_by_side(corpus: Corpus, pair: tuple[str, str], matrix: TermMatrix, theme_coverage: pd.DataFrame,
                 theme_labels: dict[str, str], actor_mentions: pd.DataFrame, actor_names: dict[str, str],
                 terms: int = 8) -> pd.DataFrame:
    """Shared and distinctive themes, actors and terms of two documents, one row per aspect."""
    a, b = pair
    rows = []
    present_themes = theme_coverage[theme_coverage["present"]]
    for kind, table, key, labels in (("Themes", present_themes, "theme", theme_labels),
                                     ("Actors", actor_mentions, "actor", actor_names)):
        in_a, in_b = items_in(table, key, a), items_in(table, key, b)
        for aspect, items in (("shared", in_a & in_b), ("only in the first", in_a - in_b), ("only in the second", in_b - in_a)):
            rows.append({"What": kind, "Where": aspect, "Items": ", ".join(sorted(labels.get(i, i) for i in items)) or "—"})
    keyness = distinctive_terms(matrix_subset(matrix, [a, b]), {a: "first", b: "second"}, top=terms, min_count=2)
    index = {d: i for i, d in enumerate(matrix.doc_ids)}
    both = matrix.tfidf[index[a]].minimum(matrix.tfidf[index[b]]).toarray().ravel()
    shared_terms = [matrix.terms[i] for i in np.lexsort((matrix.terms, -both))[:terms] if both[i] > 0]
    rows.append({"What": "Terms", "Where": "shared", "Items": ", ".join(shared_terms) or "—"})
    for which, aspect in (("first", "only in the first"), ("second", "only in the second")):
        listed = keyness.loc[keyness["group"] == which, "term"].tolist()
        rows.append({"What": "Terms", "Where": f"distinctive of the {which}", "Items": ", ".join(listed) or "—"})
    return pd.DataFrame(rows)


def matrix_subset(matrix: TermMatrix, doc_ids: list[str]) -> TermMatrix:
    rows = [matrix.doc_ids.index(d) for d in doc_ids]
    return TermMatrix(doc_ids, matrix.terms, matrix.counts[rows], matrix.tfidf[rows])


@dataclass
class Comparison:
    matrix: TermMatrix
    similarity: pd.DataFrame
    distinctive: pd.DataFrame
    group_distinctive: pd.DataFrame
    group_column: str | None
    period: pd.DataFrame
    split_date: str
    near_duplicates: pd.DataFrame
    map: pd.DataFrame
    pair: tuple[str, str] | None
    heatmap_pairs: pd.DataFrame | None = None  # every pair among the documents the heatmaps show


def heatmap_pairs(similarity: pd.DataFrame, matrix: TermMatrix, profiles: np.ndarray, rates: np.ndarray,
                  limit: int = HEATMAP_MAX_DOCS) -> pd.DataFrame:
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
        sub = similarity_table(matrix_subset(matrix, [ids[i] for i in rows]), profiles[rows], rates[rows], max_docs=len(rows) + 1)
        frames.append(sub[sub["measure"] == measure])
    return pd.concat(frames, ignore_index=True)


def analyse(corpus: Corpus, theme_analysis, actor_analysis, split_date: str = "2025-01-20", group_column: str | None = "source",
            terms_per_document: int = 8, threshold: float = 0.5, max_docs: int = 300, neighbours: int = 5,
            pair: tuple[str, str] | None = None) -> Comparison:
    """Every comparison measure; computed once per corpus and options, then read from the cache."""
    options = (split_date, group_column, terms_per_document, threshold, max_docs, neighbours, pair)
    key = fingerprint(scan_part().key, theme_analysis.key, actor_analysis.key, options)

    def compute() -> Comparison:
        profiles = scan(corpus, [scan_part()])["terms"]
        matrix = term_matrix(corpus, profiles)
        ids = matrix.doc_ids
        profiles_by_theme, rates = theme_profiles(theme_analysis.coverage, ids), actor_rates(actor_analysis.per_document, ids)
        similarity = similarity_table(matrix, profiles_by_theme, rates, max_docs, neighbours)
        distinctive = distinctive_terms(matrix, {d: d for d in ids}, top=terms_per_document)
        distinctive = distinctive.rename(columns={"group": "doc_id"})
        groups = _group_of(corpus, group_column)
        group_distinctive = distinctive_terms(matrix, groups, top=terms_per_document) if len(set(groups.values())) > 1 else \
            pd.DataFrame(columns=["group", "term", "count", "count_rest", "score", "log_odds", "log_ratio"])
        theme_labels = {t: theme_analysis.lexicon.label(t) for t in theme_analysis.lexicon.themes}
        actor_names = {a: actor_analysis.actors.name(a) for a in sorted(actor_analysis.per_document["actor"].unique())}
        period = period_change(corpus, matrix, theme_analysis.coverage, theme_labels, actor_analysis.per_document,
                               actor_names, split_date)
        chosen = tuple(pair) if pair else most_similar_pair(similarity)
        doc_map = document_map(matrix) if len(ids) <= max_docs else pd.DataFrame(columns=["doc_id", "x", "y"])
        return Comparison(matrix, similarity, distinctive, group_distinctive, group_column, period, split_date,
                          near_duplicates(corpus, threshold, max_docs, profiles), doc_map, chosen,
                          heatmap_pairs(similarity, matrix, profiles_by_theme, rates))
    return remembered(corpus, "comparison", key, compute)


def _group_of(corpus: Corpus, column: str | None) -> dict[str, str]:
    """Each document's value of a metadata column ("source", "author", or an extra column)."""
    if not column:
        return {}
    groups = {}
    for doc in corpus.documents:
        value = getattr(doc, column, None) if column in ("source", "author", "format") else doc.extra.get(column)
        if value:
            groups[doc.doc_id] = str(value)
    return groups


def tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    return {
        "similarity.csv": comparison.similarity,
        "distinctive_terms.csv": comparison.distinctive,
        "group_distinctive_terms.csv": comparison.group_distinctive,
        "period_change.csv": comparison.period,
        "near_duplicates.csv": comparison.near_duplicates,
        "document_map.csv": comparison.map,
    }


# --- charts, narrative and what the notebook shows ---------------------------------------------

DISTINCTIVE_SHOWN = 10  # panels of the distinctive-terms chart


def _label(doc: Document) -> str:
    return f"{short_title(doc, 28)} ({doc.date[:7] or 'undated'})"


def similarity_chart(corpus: Corpus, comparison: Comparison, measure: str = "cosine_tfidf") -> alt.LayerChart:
    """Document × document on one measure; above HEATMAP_MAX_DOCS, the documents nearest to the others."""
    description, higher = MEASURES[measure]
    table = comparison.heatmap_pairs[comparison.heatmap_pairs["measure"] == measure]
    shown = set(table["doc_a"])
    docs = [d for d in sorted(corpus.documents, key=lambda d: (d.date or "9999", d.doc_id)) if d.doc_id in shown]
    labels = {d.doc_id: _label(d) for d in docs}
    frame = table[table["doc_a"].isin(labels) & table["doc_b"].isin(labels)].copy()
    frame["a"], frame["b"] = frame["doc_a"].map(labels), frame["doc_b"].map(labels)
    frame["shade"] = frame["value"] if higher else 1 - frame["value"]
    order = [labels[d.doc_id] for d in docs]
    return present.matrix(frame, "b", "a", "shade", "value", order, order, f"Document similarity — {description}",
                          "Alike" if higher else "1 − distance", cell=(70, 26), label_angle=-30, number_format=".2f",
                          tooltip=["a", "b", alt.Tooltip("value:Q", format=".3f")])


def map_chart(corpus: Corpus, comparison: Comparison) -> alt.LayerChart:
    docs = {d.doc_id: d for d in corpus.documents}
    frame = comparison.map.copy()
    frame["label"] = frame["doc_id"].map(lambda d: _label(docs[d]))
    base = alt.Chart(frame).encode(x=alt.X("x:Q", axis=None, scale=alt.Scale(padding=60)),
                                   y=alt.Y("y:Q", axis=None, scale=alt.Scale(padding=30)))
    points = base.mark_circle(size=120, color="#1f4e79", opacity=1).encode(tooltip=["label"])
    text = base.mark_text(dy=-12, fontSize=10, color="#1a1a1a").encode(text="label:N")
    return (points + text).properties(width=520, height=300, title="Map of the documents by wording (closer = more alike)")


def distinctive_chart(corpus: Corpus, comparison: Comparison, per_document: int = 8) -> alt.Chart:
    docs = {d.doc_id: d for d in corpus.documents}
    strongest = comparison.distinctive.groupby("doc_id")["score"].max().to_dict()
    keep = {d.doc_id for d in documents_shown(corpus, strongest, DISTINCTIVE_SHOWN)}
    frame = comparison.distinctive[comparison.distinctive["doc_id"].isin(keep)]
    frame = frame.groupby("doc_id", group_keys=False).head(per_document).copy()
    frame["document"] = frame["doc_id"].map(lambda d: _label(docs[d]))
    frame["term_in_doc"] = frame["doc_id"] + "|" + frame["term"]
    order = [_label(d) for d in sorted(corpus.documents, key=lambda d: (d.date or "9999", d.doc_id)) if d.doc_id in set(frame["doc_id"])]
    bars = alt.Chart(frame).mark_bar(color="#548235").encode(
        x=alt.X("score:Q", title="z-score"),
        y=alt.Y("term:N", sort="-x", title=None, axis=alt.Axis(labelLimit=160)),
        tooltip=["document", "term", "count", "count_rest", alt.Tooltip("score:Q", format=".2f")],
    )
    counts = bars.mark_text(align="left", dx=3, fontSize=9, color="#1a1a1a").encode(text="count:Q")
    return (bars + counts).properties(width=170, height=16 * per_document).facet(
        facet=alt.Facet("document:N", sort=order, title=None, header=alt.Header(labelFontSize=10, labelFontWeight="bold")),
        columns=2,
    ).resolve_scale(y="independent").properties(title="What sets each document apart (number = uses in the document)")


def period_chart(comparison: Comparison, kind: str, count: int = 12) -> alt.LayerChart:
    """Before and after the split: share of documents, for the items that changed most."""
    frame = comparison.period[comparison.period["kind"] == kind].copy()
    frame = frame.reindex(frame["change"].abs().sort_values(ascending=False, kind="mergesort").index).head(count)
    first = frame.iloc[0] if len(frame) else None
    n_before, n_after = (int(first["before_docs"]), int(first["after_docs"])) if first is not None else (0, 0)
    split = long_date(comparison.split_date)
    long = frame.melt(id_vars=["label", "change", "before_count", "after_count"], value_vars=["before", "after"],
                      var_name="period", value_name="share")
    long["period"] = long["period"].map({"before": f"before {split} (n={n_before})", "after": f"from {split} on (n={n_after})"})
    long["count"] = [f"{b if p.startswith('before') else a}" for b, a, p in zip(long["before_count"], long["after_count"], long["period"])]
    order = frame.sort_values("change", ascending=False)["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=230))
    rule = alt.Chart(frame).mark_rule(color="#999999").encode(y=y, x="before:Q", x2="after:Q")
    dots = alt.Chart(long).mark_point(filled=True, size=90, opacity=1).encode(
        y=y, x=alt.X("share:Q", title="Share of documents", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        shape=alt.Shape("period:N", title=None, legend=alt.Legend(orient="bottom")),
        color=alt.Color("period:N", title=None, scale=alt.Scale(range=["#999999", "#1f4e79"])),
        tooltip=["label", "period", "count", alt.Tooltip("share:Q", format=".0%")],
    )
    title = {"theme": "Themes", "actor": "Actors"}[kind]
    return (rule + dots).properties(width=380, height=20 * len(order), title=f"{title} that changed most across {split}")


def narrative(corpus: Corpus, comparison: Comparison) -> str:
    parts = []
    cosine = comparison.similarity[comparison.similarity["measure"] == "cosine_tfidf"]
    docs = {d.doc_id: d for d in corpus.documents}
    if len(cosine):
        ordered = cosine[cosine["doc_a"] < cosine["doc_b"]].sort_values(["value", "doc_a"], ascending=[False, True])
        if len(ordered):
            top, low = ordered.iloc[0], ordered.iloc[-1]
            parts.append(f"By wording, the closest pair is “{short_title(docs[top.doc_a], 50)}” and “{short_title(docs[top.doc_b], 50)}” "
                         f"(cosine {top.value:.2f}); the furthest apart are “{short_title(docs[low.doc_a], 50)}” and "
                         f"“{short_title(docs[low.doc_b], 50)}” ({low.value:.2f}). Values this low are usual between "
                         "distinct articles on one topic: they share the subject, not the text.")
    period = comparison.period
    split = long_date(comparison.split_date)
    sides = period.iloc[0] if len(period) else None
    if sides is not None:
        parts.append(f"The period comparison splits at {split}: {plural(int(sides['before_docs']), 'document')} before, "
                     f"{plural(int(sides['after_docs']), 'document')} from then on — too few for any change to be "
                     "statistically solid, so each is shown with its counts and a 95% Newcombe interval.")
        actors = period[period["kind"] == "actor"]
        for direction, rows in (("fell", actors.sort_values(["change", "item"]).head(2)),
                                ("rose", actors.sort_values(["change", "item"], ascending=[False, True]).head(2))):
            for row in rows.itertuples():
                if (direction == "fell" and row.change < 0) or (direction == "rose" and row.change > 0):
                    parts.append(f"{row.label} is named in {row.before_count} of {row.before_docs} documents before and "
                                 f"{row.after_count} of {row.after_docs} after.")
    across = comparison.near_duplicates[comparison.near_duplicates["kind"] == "across documents"]
    within = comparison.near_duplicates[comparison.near_duplicates["kind"] == "within a document"]
    parts.append(f"{plural(len(across), 'pair')} of near-duplicate documents; "
                 f"{plural(len(within), 'passage')} repeated inside a document, counted once.")
    return " ".join(parts)


def similarity_figure(corpus: Corpus, comparison: Comparison, measure: str = "cosine_tfidf"):
    captions = {
        "cosine_tfidf": "Cosine similarity of the documents' tf-idf vectors (sublinear term frequency, English stop words "
                        "removed, words and two-word phrases): 1 = the same wording, 0 = no word in common.",
        "js_distance_themes": "Jensen–Shannon distance between the documents' theme profiles (shares of theme hits, "
                              "0.5 added to every theme): 0 = the same mix of themes, 1 = nothing in common.",
        "weighted_jaccard_actors": "Weighted Jaccard overlap of actor mention rates per 1,000 words: 1 = the same actors "
                                   "at the same rates, 0 = no actor in common.",
    }
    extra = (f" Showing the {HEATMAP_MAX_DOCS} documents closest to the rest." if len(corpus.documents) > HEATMAP_MAX_DOCS else "")
    return present.figure(similarity_chart(corpus, comparison, measure), captions[measure] + extra + " Table: tables/similarity.csv.")


def map_figure(corpus: Corpus, comparison: Comparison):
    if comparison.map.empty:
        return present.paragraph(f"No map of the documents: it is drawn only when every pair of documents is compared "
                                 f"(max_docs), and with {len(corpus.documents):,} documents each is compared with its "
                                 "nearest neighbours instead (tables/similarity.csv).")
    return present.figure(map_chart(corpus, comparison),
                          "Documents placed so that distances approximate 1 − cosine similarity of their wording "
                          "(metric multidimensional scaling, fixed seed); the axes have no meaning of their own.")


def distinctive_figure(corpus: Corpus, comparison: Comparison, per_document: int = 8):
    return present.figure(distinctive_chart(corpus, comparison, per_document),
                          "Terms used more in the document than in the rest of the corpus: z-score of the log-odds ratio "
                          "with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; the prior is the corpus's "
                          f"own counts); terms used at least twice.{shown_note(corpus, 'distinctive top term', DISTINCTIVE_SHOWN)} "
                          "Table: tables/distinctive_terms.csv.")


def period_figure(comparison: Comparison, kind: str):
    return present.figure(period_chart(comparison, kind),
                          "Share of the documents on each side of the split that name the actor or cover the theme; "
                          "n = documents on each side. Table with counts and 95% Newcombe intervals for each change: "
                          "tables/period_change.csv.")


def group_terms_display(comparison: Comparison) -> pd.DataFrame:
    frame = comparison.group_distinctive
    return pd.DataFrame({(comparison.group_column or "group").capitalize(): frame["group"], "Term": frame["term"],
                         "Uses": frame["count"], "Uses elsewhere": frame["count_rest"], "z": frame["score"],
                         "Log ratio": frame["log_ratio"]})


def period_terms_display(comparison: Comparison, count: int = 10) -> pd.DataFrame:
    terms = comparison.period[comparison.period["kind"] == "term"].sort_values(["score", "item"], ascending=[False, True])
    shown = pd.concat([terms.head(count // 2), terms[terms["score"] < 0].tail(count // 2)]).drop_duplicates("item")
    return pd.DataFrame({"Term": shown["item"], "Before (uses)": shown["before_count"], "After (uses)": shown["after_count"],
                         "Before per 1,000 words": shown["before"], "After per 1,000 words": shown["after"],
                         "z": shown["score"]})


def near_duplicates_display(corpus: Corpus, comparison: Comparison) -> pd.DataFrame:
    titles = {d.doc_id: short_title(d, 34) for d in corpus.documents}
    frame = comparison.near_duplicates
    return pd.DataFrame({"Kind": frame["kind"], "Document": frame["doc_a"].map(titles), "And": frame["doc_b"].map(titles),
                         "Similarity": frame["similarity"], "Words": frame["words"], "Passage": frame["excerpt"]})


def pair_quotes(corpus: Corpus, comparison: Comparison, count: int = 3):
    if not comparison.pair:
        return present.paragraph("There is no pair of documents to compare.")
    docs = {d.doc_id: d for d in corpus.documents}
    a, b = (docs[d] for d in comparison.pair)
    items = []
    for passage in similar_passages(corpus, comparison.pair, count):
        items.append((passage["a"], [], f"{short_title(a, 60)} — cosine {passage['score']:.2f} with the next quote"))
        items.append((passage["b"], [], f"{short_title(b, 60)}"))
    return present.quotes([(f"Closest passages of “{short_title(a, 50)}” and “{short_title(b, 50)}”", items)])
