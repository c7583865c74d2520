"""Distinctive terms: log-odds ratio with an informative Dirichlet prior, z-scored (Monroe, Colaresi &
Quinn 2008), with Log Ratio as the effect size (Hardie 2014).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from policybrief.analyses.compare.matrix import TermMatrix, group_sums


def log_odds(target: np.ndarray, rest: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with an informative Dirichlet prior, and its z-score (Monroe, Colaresi & Quinn 2008).

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var(delta_w) ~ 1 / (y_iw + a_w) + 1 / (y_jw + a_w);  z_w = delta_w / sqrt(var)
    """
    a0, n_i, n_j = prior.sum(), target.sum(), rest.sum()
    with np.errstate(divide="ignore", invalid="ignore"):  # a term unused on both sides has no score (nan)
        delta = np.log((target + prior) / (n_i + a0 - target - prior)) - np.log(
            (rest + prior) / (n_j + a0 - rest - prior)
        )
        variance = 1.0 / (target + prior) + 1.0 / (rest + prior)
        return delta, delta / np.sqrt(variance)


def top_without_parts_of_phrases(
    group: np.ndarray, term: np.ndarray, count: np.ndarray, vocabulary: np.ndarray, top: int
) -> np.ndarray:
    """Positions of the first ``top`` entries of each group (entries come best first within each group),
    leaving out a word listed beside a phrase of the same group that accounts for all its uses ("united"
    beside "united states"). Whole arrays at once: keyness lists terms for every document."""
    entries = pd.DataFrame({"group": group, "term": term, "count": count})
    phrases = np.unique(term)
    phrases = phrases[np.fromiter((" " in t for t in vocabulary[phrases]), dtype=bool, count=len(phrases))]
    keep = np.ones(len(entries), dtype=bool)
    if len(phrases):  # each distinct phrase split once, then joined to the entries that list it
        pieces = [
            (p, w) for p, text in zip(phrases, vocabulary[phrases], strict=True) for w in text.split(" ")
        ]
        words = np.array([w for _, w in pieces], dtype=object)
        where = np.minimum(np.searchsorted(vocabulary, words), len(vocabulary) - 1)
        word_of = pd.DataFrame({"phrase": [p for p, _ in pieces], "word": where})[vocabulary[where] == words]
        listed = entries[entries["term"].isin(phrases)].merge(word_of, left_on="term", right_on="phrase")
        redundant = entries.reset_index().merge(
            listed[["group", "word", "count"]].drop_duplicates(),
            left_on=["group", "term", "count"],
            right_on=["group", "word", "count"],
        )
        keep[redundant["index"].to_numpy()] = False
    positions = np.flatnonzero(keep)
    rank = entries.iloc[positions].groupby("group", sort=False).cumcount().to_numpy()
    return positions[rank < top]


# A term is listed as distinctive only when its z-score reaches this (the two-sided 5% level): below it a
# term's excess in the group is what chance gives, and lists of such terms read as noise.
MIN_Z = 1.96

GROUPS_AT_ONCE = 2_000  # groups scored at once: every document is a group for per-document keyness, and a
# whole corpus at once needs a dozen arrays of one value per (document, term) (gigabytes at 100,000 documents)


def distinctive_terms(
    matrix: TermMatrix,
    groups: dict[str, str],
    top: int = 10,
    prior_scale: float = 1.0,
    min_count: int = 2,
    min_z: float = MIN_Z,
) -> pd.DataFrame:
    """Terms that set each group (a document, a source, a period) apart from the rest of the corpus.

    The prior is the corpus's own term counts times ``prior_scale``. A term is listed when it occurs at
    least ``min_count`` times in the group and its z-score reaches ``min_z``, best first (ties: the more
    used first). Groups are scored a
    block at a time, so memory does not grow with the number of groups.
    """
    from scipy import sparse

    columns = ["group", "term", "count", "count_rest", "score", "log_odds", "log_ratio"]
    labels = [groups.get(d) for d in matrix.doc_ids]
    names = sorted({g for g in labels if g is not None})
    rank = {g: i for i, g in enumerate(names)}
    members = [(rank[g], i) for i, g in enumerate(labels) if g is not None]
    if not names:
        return pd.DataFrame(columns=columns)
    group_rows, doc_rows = zip(*members, strict=True)
    membership = sparse.csr_matrix(
        (np.ones(len(members), dtype=np.int8), (group_rows, doc_rows)), shape=(len(names), len(labels))
    )
    sizes = np.bincount(group_rows, minlength=len(names))
    totals = group_sums(matrix, sparse.csr_matrix(np.ones((1, len(labels)), dtype=np.int8))).toarray()[0]
    totals = totals.astype(float)
    corpus = _Corpus(totals, totals * prior_scale, len(labels), top, min_count, min_z, matrix.terms)
    frames = [
        _block_terms(group_sums(matrix, membership[begin : begin + GROUPS_AT_ONCE]), begin, sizes, corpus)
        for begin in range(0, len(names), GROUPS_AT_ONCE)
    ]
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return pd.DataFrame(columns=columns)
    found = pd.concat(frames, ignore_index=True)
    found["group"] = [names[g] for g in found["group"]]
    return found


class _Corpus(NamedTuple):
    totals: np.ndarray  # uses of each term in the corpus
    prior: np.ndarray
    documents: int
    top: int
    min_count: int
    min_z: float
    terms: np.ndarray


def _block_terms(by_group, first: int, sizes: np.ndarray, corpus: _Corpus) -> pd.DataFrame:
    """The listed terms of a block of groups (``by_group``: its groups × terms counts, the first of them
    group number ``first``), with group numbers."""
    by_group = by_group.tocsr()
    by_group.sort_indices()
    totals, prior = corpus.totals, corpus.prior
    a0, everything = prior.sum(), totals.sum()
    group_of = np.repeat(np.arange(by_group.shape[0]), np.diff(by_group.indptr))
    frequent = by_group.data >= corpus.min_count  # the only candidates: the rest are never listed or scored
    group_of, term, target = (
        group_of[frequent],
        by_group.indices[frequent],
        by_group.data[frequent].astype(float),
    )
    rest = totals[term] - target
    n_i = np.asarray(by_group.sum(axis=1)).ravel().astype(float)[group_of]
    n_j = everything - n_i
    alpha = prior[term]
    delta = np.log((target + alpha) / (n_i + a0 - target - alpha)) - np.log(
        (rest + alpha) / (n_j + a0 - rest - alpha)
    )
    z = delta / np.sqrt(1.0 / (target + alpha) + 1.0 / (rest + alpha))
    log_ratio = np.log2(((target + 0.5) / (n_i + 0.5)) / ((rest + 0.5) / (n_j + 0.5)))
    whole = sizes[first + group_of] == corpus.documents  # a group holding every document has no "rest"
    kept = np.where((z >= corpus.min_z) & (z > 0) & ~whole)[0]
    kept = kept[np.lexsort((term[kept], -target[kept], -z[kept], group_of[kept]))]
    chosen = kept[
        top_without_parts_of_phrases(group_of[kept], term[kept], target[kept], corpus.terms, corpus.top)
    ]
    return pd.DataFrame(
        {
            "group": first + group_of[chosen],
            "term": corpus.terms[term[chosen]],
            "count": target[chosen].astype(int),
            "count_rest": rest[chosen].astype(int),
            "score": np.round(z[chosen], 3),
            "log_odds": np.round(delta[chosen], 4),
            "log_ratio": np.round(log_ratio[chosen], 3),
        }
    )
