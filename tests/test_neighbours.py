"""The approximate nearest-neighbour search of a large corpus's similarity table, on vectors made for the test
(the approximate path is forced by lowering ``exact_max``)."""

import os

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from policybrief.analyses.compare import neighbours
from policybrief.analyses.compare.matrix import TermMatrix
from policybrief.analyses.compare.similarity import MEASURES, _Measures, similarity_table


def _corpus(topics: int, per_topic: int, seed: int, vocabulary: int = 600):
    """Documents drawn from topics: each topic has its own terms, theme profile and actors, each document
    mostly its topic's with some noise. Neighbours are then mostly within a topic, as in a real corpus."""
    rng = np.random.default_rng(seed)
    n = topics * per_topic
    topic = np.repeat(np.arange(topics), per_topic)
    term_weights = rng.dirichlet(np.full(vocabulary, 0.05), topics)
    counts = np.stack([rng.multinomial(60, 0.8 * term_weights[t] + 0.2 / vocabulary) for t in topic])
    matrix = sparse.csr_matrix(counts.astype(np.int64))
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).tocsr()
    profiles = np.stack([rng.dirichlet(rng.dirichlet(np.ones(14)) * 30 + 0.5) for _ in range(topics)])[topic]
    profiles = 0.7 * profiles + 0.3 * rng.dirichlet(np.ones(14), n)
    actor_means = rng.random((topics, 30)) * (rng.random((topics, 30)) < 0.3)
    rates = actor_means[topic] * rng.gamma(4.0, 0.25, (n, 30))
    ids = [f"d{i:05d}" for i in range(n)]
    terms = np.array([f"t{j:04d}" for j in range(vocabulary)])
    return TermMatrix(ids, terms, matrix, tfidf), profiles, rates


def _recall(approximate: pd.DataFrame, exact: pd.DataFrame, k: int) -> dict[str, float]:
    """Share of the exact k nearest found per measure (a neighbour tied with the exact k-th counts)."""
    found = {}
    for measure, (_, higher) in MEASURES.items():
        got = approximate[approximate["measure"] == measure]["value"].to_numpy().reshape(-1, k)
        kth = exact[exact["measure"] == measure]["value"].to_numpy().reshape(-1, k)[:, -1:]
        good = got >= kth if higher else got <= kth
        found[measure] = float(good.mean())
    return found


def test_with_every_list_probed_the_search_is_exact():
    """On a corpus of a few lists each document probes all of them: the only approximation left is the
    estimate that picks which candidates get an exact value, and it must not lose a neighbour here."""
    matrix, profiles, rates = _corpus(topics=6, per_topic=30, seed=1)
    exact = similarity_table(matrix, profiles, rates, max_docs=10)
    approximate = similarity_table(matrix, profiles, rates, max_docs=10, exact_max=10)
    assert len(approximate) == len(exact) == 3 * 180 * 5
    assert approximate[["doc_a", "measure"]].equals(exact[["doc_a", "measure"]])
    assert _recall(approximate, exact, 5) == {measure: 1.0 for measure in MEASURES}


def test_planted_neighbours_are_found_from_a_few_lists():
    """Five close copies of each of 40 documents among 1,000 others: each original's five nearest are its
    copies on every measure, found while probing only 3 of 37 lists."""
    matrix, profiles, rates = _corpus(topics=20, per_topic=60, seed=2)
    n, originals = matrix.tfidf.shape[0], np.arange(0, 1200, 30)
    rng = np.random.default_rng(3)
    copies = np.repeat(originals, 5)
    noise = sparse.csr_matrix((rng.random((len(copies), matrix.counts.shape[1])) < 0.005).astype(np.int64))
    counts = sparse.vstack([matrix.counts, matrix.counts[copies] + noise]).tocsr()
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    profiles = np.vstack([profiles, profiles[copies] * rng.uniform(0.98, 1.02, (len(copies), 14))])
    profiles /= profiles.sum(axis=1, keepdims=True)
    rates = np.vstack([rates, rates[copies] * rng.uniform(0.98, 1.02, (len(copies), 30))])
    ids = [f"d{i:05d}" for i in range(len(profiles))]
    measures = _Measures(TermMatrix(ids, matrix.terms, counts, tfidf), profiles, rates)
    planted = n + np.arange(len(copies)).reshape(-1, 5)
    for name, search in neighbours.searches(measures).items():
        best, values = neighbours.nearest(search, 5, nprobe=3, rounds=0)
        assert (np.sort(best[originals], axis=1) == planted).all(), name
        steps = np.diff(values, axis=1) * (1 if search.higher else -1)
        assert (steps <= 1e-12).all(), name  # best first


def test_recall_against_the_exact_search_on_topical_documents():
    """3,000 documents in 60 topics, each probing 24 of 55 lists and then neighbours of neighbours: at least
    99% of the exact five nearest found on every measure (measured: all of them)."""
    matrix, profiles, rates = _corpus(topics=60, per_topic=50, seed=4)
    exact = similarity_table(matrix, profiles, rates)
    approximate = similarity_table(matrix, profiles, rates, exact_max=1000)
    recall = _recall(approximate, exact, 5)
    assert min(recall.values()) >= 0.99, recall
    both = approximate.merge(exact, on=["doc_a", "doc_b", "measure"])
    assert (both["value_x"] == both["value_y"]).all()  # exact values for the pairs found


def test_same_result_whatever_the_number_of_cores(monkeypatch):
    matrix, profiles, rates = _corpus(topics=8, per_topic=40, seed=5)
    first = similarity_table(matrix, profiles, rates, exact_max=100)
    assert similarity_table(matrix, profiles, rates, exact_max=100).equals(first)
    for cores in (1, 3):
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        assert similarity_table(matrix, profiles, rates, exact_max=100).equals(first)


def test_exact_cosine_of_pairs_equals_the_sparse_product():
    matrix, _, _ = _corpus(topics=3, per_topic=40, seed=6)
    rows, columns = np.repeat(np.arange(120), 7), np.random.default_rng(7).integers(0, 120, 840)
    expected = (matrix.tfidf @ matrix.tfidf.T).toarray()[rows, columns]
    assert neighbours.cosine_pairs(matrix.tfidf, rows, columns) == pytest.approx(expected, abs=1e-15)
