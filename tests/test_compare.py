"""Document comparison pinned on corpora written for the test, and on the seeds."""

import math

import numpy as np
import pytest

from policybrief.analyses import actors, themes
from policybrief.analyses.compare import comparison, duplicates, keyness
from policybrief.analyses.compare import matrix as matrix_module
from policybrief.analyses.compare.duplicates import _pair_blocks, _shared_counts, near_duplicates
from policybrief.analyses.compare.keyness import MIN_Z, distinctive_terms, log_odds
from policybrief.analyses.compare.matrix import TermMatrix, term_matrix
from policybrief.analyses.compare.similarity import (
    MEASURES,
    _Measures,
    document_map,
    js_distance,
    similarity_table,
    theme_profiles,
)
from policybrief.analyses.compare.terms import document_terms, terms_of
from policybrief.corpus.load import load_corpus
from policybrief.corpus.sentences import split_sentences
from policybrief.text.lexicon import tokenize

TEXT = (
    "The alliance between Seoul and Washington faces its greatest test in decades. Both governments disagree "
    "about cost sharing and the role of American forces. Analysts expect difficult negotiations throughout "
    "the coming year, while Pyongyang watches closely and tests new missiles near the border."
)


def analysed(corpus_dir, tmp_path, files: dict, **options):
    corpus = load_corpus(corpus_dir(files), cache_dir=tmp_path / "cache")
    theme_analysis = themes.analyse(corpus, themes.load_themes())
    actor_analysis = actors.analyse(corpus, actors.load_actors(), theme_analysis)
    return corpus, comparison.analyse(corpus, theme_analysis, actor_analysis, **options)


def pair_value(comparison, a, b, measure):
    table = comparison.similarity
    return table[(table.doc_a == a) & (table.doc_b == b) & (table.measure == measure)]["value"].item()


def test_identical_texts_are_alike_on_every_measure(corpus_dir, tmp_path):
    # the same words (a copy identical to the byte would be counted once, see test_bad_input)
    _, comparison = analysed(
        corpus_dir, tmp_path, {"a.txt": TEXT, "b.txt": TEXT + " …", "c.txt": "Tariffs on steel rose sharply."}
    )
    assert pair_value(comparison, "a", "b", "cosine_tfidf") == pytest.approx(1.0)
    assert pair_value(comparison, "a", "b", "js_distance_themes") == pytest.approx(0.0)
    assert pair_value(comparison, "a", "b", "weighted_jaccard_actors") == pytest.approx(1.0)


def test_disjoint_texts_share_nothing(corpus_dir, tmp_path):
    corpus, comparison = analysed(
        corpus_dir,
        tmp_path,
        {
            "a.txt": "Sanctions against Pyongyang tightened after missile tests.",
            "b.txt": "Tariffs on Japan hurt trade.",
        },
    )
    assert pair_value(comparison, "a", "b", "cosine_tfidf") == pytest.approx(0.0)
    assert pair_value(comparison, "a", "b", "weighted_jaccard_actors") == pytest.approx(0.0)
    theme_analysis = themes.analyse(corpus, themes.load_themes())
    profiles = theme_profiles(theme_analysis.coverage, ["a", "b"], smoothing=0.0)
    assert js_distance(profiles[0], profiles[1]) == pytest.approx(1.0)


def test_every_ordered_pair_then_nearest_neighbours(corpus_dir, tmp_path):
    files = {f"{name}.txt": f"{TEXT} Extra {name} words about {name}." for name in "abcd"}
    _, small = analysed(corpus_dir, tmp_path, files)
    assert len(small.similarity) == 3 * 4 * 3  # measures × ordered pairs
    _, large = analysed(corpus_dir, tmp_path, files, max_docs=2, neighbours=1)
    assert len(large.similarity) == 3 * 4 * 1
    assert large.map.empty


def test_log_odds_with_informative_prior_matches_the_hand_worked_values(corpus_dir, tmp_path):
    # counts: A alpha 3 beta 1; B alpha 1 beta 3; C alpha 2 beta 2.
    # Prior = corpus counts: a_alpha = a_beta = 6, a0 = 12.
    # A vs rest: delta_alpha = log(9/7) - log(9/11) = log(11/7) = 0.4519851; var = 1/9 + 1/9
    #              -> z = 0.4519851 / 0.4714045 = 0.958805
    #            delta_beta  = log(7/9) - log(11/9) = log(7/11);  var = 1/7 + 1/11
    #              -> z = -0.4519851 / 0.4834938 = -0.934831
    corpus = load_corpus(
        corpus_dir(
            {
                "A.txt": "Alpha. Alpha. Alpha. Beta.",
                "B.txt": "Alpha. Beta. Beta. Beta.",
                "C.txt": "Alpha. Alpha. Beta. Beta.",
            }
        ),
        cache_dir=tmp_path / "cache",
    )
    matrix = term_matrix(corpus)
    assert list(matrix.terms) == ["alpha", "beta"]
    counts = matrix.counts.toarray().astype(float)
    delta, z = log_odds(counts[0], counts[1] + counts[2], counts.sum(axis=0))
    assert delta == pytest.approx([math.log(11 / 7), math.log(7 / 11)])
    assert z == pytest.approx([0.958805, -0.934831], abs=1e-6)
    table = distinctive_terms(matrix, {"A": "A", "B": "B", "C": "C"}, min_count=1, min_z=0)
    assert table[["group", "term", "count", "count_rest"]].values.tolist() == [
        ["A", "alpha", 3, 3],
        ["B", "beta", 3, 3],
    ]
    assert table["score"].tolist() == [0.959, 0.959]


ARTICLE = (
    TEXT
    + " The new government in Seoul has promised to keep the joint exercises, but it also wants to reopen "
    "talks with the North and to avoid a trade war with its largest partner. In Washington, officials ask "
    "for higher payments for the troops stationed on the peninsula and for a clearer role in a Taiwan "
    "contingency. Neither side expects a quick agreement, and both will watch the elections due next spring."
)


def test_near_duplicates_are_found_and_unrelated_texts_are_not(corpus_dir, tmp_path):
    edited = (
        ARTICLE.replace("greatest", "biggest").replace("difficult", "hard").replace("closely", "carefully")
    )
    corpus = load_corpus(
        corpus_dir(
            {
                "a.txt": ARTICLE,
                "b.txt": edited,
                "c.txt": "Tariffs on Japanese steel rose "
                "sharply this spring, and exporters in Osaka asked for relief from the duties.",
            }
        ),
        cache_dir=tmp_path / "cache",
    )
    found = near_duplicates(corpus, threshold=0.5)
    across = found[found["kind"] == "across documents"]
    assert across[["doc_a", "doc_b"]].values.tolist() == [["a", "b"]]
    assert 0.5 <= across["similarity"].item() < 1.0


def test_terms_are_kept_words_then_bigrams_inside_one_sentence(rules):
    text = (
        "Missile tests alarmed Seoul. Talks resumed.\n"
        "NATO envoys met the IAEA team, again. In 2024 cost-sharing talks rose.\n"
    )
    terms = terms_of(text, tokenize(text), split_sentences(text, rules))
    # Stop words ("the", "again", "in") and numbers are dropped; capitals keep their case; a hyphen joins.
    assert terms == [
        "missile",
        "tests",
        "alarmed",
        "seoul",
        "talks",
        "resumed",
        "NATO",
        "envoys",
        "met",
        "IAEA",
        "team",
        "cost",
        "sharing",
        "talks",
        "rose",
        "missile tests",
        "tests alarmed",
        "alarmed seoul",
        "talks resumed",
        "NATO envoys",
        "envoys met",
        "IAEA team",
        "cost sharing",
        "sharing talks",
        "talks rose",
    ]


def test_shared_counts_count_common_values_pair_by_pair():
    sets = [np.array([1, 3, 5, 7]), np.array([3, 4, 5]), np.array([7, 8]), np.array([9]), np.array([1, 9])]
    pairs = np.array(
        [[0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [3, 4]]
    )  # 0 against four partners in one search
    assert _shared_counts(sets, pairs).tolist() == [2, 1, 0, 1, 0, 1]
    assert _shared_counts(sets, np.zeros((0, 2), dtype=np.int64)).tolist() == []


def test_minhash_candidates_find_the_same_near_duplicates(corpus_dir, tmp_path):
    edited = ARTICLE.replace("greatest", "biggest").replace("difficult", "hard")
    corpus = load_corpus(
        corpus_dir(
            {
                "a.txt": ARTICLE,
                "b.txt": edited,
                "c.txt": TEXT.upper(),
                "d.txt": "Tariffs on Japanese steel rose sharply this spring in Osaka and Kobe.",
            }
        ),
        cache_dir=tmp_path / "cache",
    )
    exact = near_duplicates(corpus, threshold=0.5, exact_up_to=300)
    hashed = near_duplicates(corpus, threshold=0.5, exact_up_to=0)
    assert hashed.equals(exact)
    assert hashed[hashed["kind"] == "across documents"][["doc_a", "doc_b"]].values.tolist() == [["a", "b"]]


def test_minhash_candidates_checked_a_few_pairs_at_a_time_are_the_same(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(duplicates, "_PAIRS_AT_ONCE", 1)
    files = {
        "a.txt": ARTICLE,
        "b.txt": ARTICLE.replace("greatest", "biggest"),
        "e.txt": ARTICLE.replace("difficult", "hard"),
        "d.txt": "Tariffs on Japanese steel rose sharply this spring in Osaka and Kobe.",
    }
    corpus = load_corpus(corpus_dir(files), cache_dir=tmp_path / "cache")
    exact = near_duplicates(corpus, threshold=0.5, exact_up_to=300)
    hashed = near_duplicates(corpus, threshold=0.5, exact_up_to=0)
    assert hashed.equals(exact)
    pairs = hashed[hashed["kind"] == "across documents"][["doc_a", "doc_b"]].values.tolist()
    assert pairs == [["a", "b"], ["a", "e"], ["b", "e"]]


def test_tfidf_weights_are_sublinear_smoothed_idf_rows_of_unit_length_computed_in_blocks(
    corpus_dir, tmp_path, monkeypatch
):
    # A: alpha ×3, beta ×1; B: beta ×3; C: gamma. Smoothed idf (n = 3): alpha and gamma ln(4/2) + 1,
    # beta ln(4/3) + 1
    files = {"A.txt": "Alpha. Alpha. Alpha. Beta.", "B.txt": "Beta. Beta. Beta.", "C.txt": "Gamma."}
    corpus = load_corpus(corpus_dir(files), cache_dir=tmp_path / "cache")
    monkeypatch.setattr(matrix_module, "ROWS_AT_ONCE", 2)  # rows A and B in one block, C in the next
    matrix = term_matrix(corpus)
    assert list(matrix.terms) == ["alpha", "beta", "gamma"] and matrix.tfidf.dtype == np.float32
    alpha, beta = (1 + math.log(3)) * (math.log(2) + 1), 1 * (math.log(4 / 3) + 1)
    expected = [[alpha, beta, 0], [0, 1, 0], [0, 0, 1]]
    expected[0] = [v / math.hypot(alpha, beta) for v in expected[0]]
    assert matrix.tfidf.toarray() == pytest.approx(np.array(expected), abs=1e-7)
    assert matrix.tfidf.indices is matrix.counts.indices or np.shares_memory(
        matrix.tfidf.indices, matrix.counts.indices
    )


def test_pair_blocks_name_at_most_so_many_documents_each():
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2], [4, 5], [4, 6]])
    # {0,1,2}, then 3 would make four: [0,3] starts a block; {0,3} plus 1 and 2 would be four again: [1,2]
    # starts one; {1,2} plus 4 and 5 too; {4,5,6} fits. A single pair is a block even above the limit.
    assert _pair_blocks(pairs, 3) == [(0, 2), (2, 3), (3, 4), (4, 6)]
    assert _pair_blocks(pairs, 7) == [(0, 6)]
    assert _pair_blocks(pairs, 1) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]
    assert _pair_blocks(np.zeros((0, 2), dtype=np.int64), 3) == []


def test_candidates_compared_through_the_scratch_file_give_the_same_pairs(corpus_dir, tmp_path, monkeypatch):
    files = {
        "a.txt": ARTICLE,
        "b.txt": ARTICLE.replace("greatest", "biggest"),
        "e.txt": ARTICLE.replace("difficult", "hard"),
        "f.txt": TEXT + " Officials in Tokyo said little.",
        "g.txt": TEXT + " Officials in Beijing said nothing.",
        "d.txt": "Tariffs on Japanese steel rose sharply this spring in Osaka and Kobe.",
    }
    corpus = load_corpus(corpus_dir(files), cache_dir=tmp_path / "cache")
    exact = near_duplicates(corpus, threshold=0.5, exact_up_to=300)
    monkeypatch.setattr(duplicates, "_DOCS_AT_ONCE", 2)  # every block of pairs read back from the file
    hashed = near_duplicates(corpus, threshold=0.5, exact_up_to=0)
    assert hashed.equals(exact)
    pairs = hashed[hashed["kind"] == "across documents"][["doc_a", "doc_b"]].values.tolist()
    assert pairs == [["a", "b"], ["a", "e"], ["b", "e"], ["f", "g"]]
    assert not list((tmp_path / "cache").glob("shingles-*"))  # the scratch file is gone


def test_the_document_map_is_the_same_on_every_run(corpus_dir, tmp_path):
    files = {f"{name}.txt": f"{TEXT} Extra {name} words about {name} {name}." for name in "abcd"}
    corpus = load_corpus(corpus_dir(files), cache_dir=tmp_path / "cache")
    matrix = term_matrix(corpus)
    assert document_map(matrix).equals(document_map(matrix))


@pytest.fixture(scope="module")
def seeds():
    from conftest import SEED_DIR

    corpus = load_corpus(SEED_DIR, cache_dir=None)
    theme_analysis = themes.analyse(corpus, themes.load_themes())
    actor_analysis = actors.analyse(corpus, actors.load_actors(), theme_analysis)
    return corpus, comparison.analyse(corpus, theme_analysis, actor_analysis)


def test_seed_distinctive_terms_occur_in_their_document(seeds):
    corpus, comparison = seeds
    terms = {d.doc_id: set(document_terms(d)) for d in corpus.documents}
    # five documents of about 1,000 words: three have terms that reach z >= 1.96
    assert set(comparison.distinctive["doc_id"]) == {
        "000_005d3045ef98edaa",
        "002_043df5c1dd551209",
        "004_d611fd63cadb8634",
    }
    for row in comparison.distinctive.itertuples():
        assert row.term in terms[row.doc_id] and row.count >= 2 and row.score >= MIN_Z


def test_distinctive_terms_scored_a_block_of_groups_at_a_time_are_those_scored_at_once(seeds, monkeypatch):
    corpus, _ = seeds
    matrix = term_matrix(corpus)
    per_document = {d: d for d in matrix.doc_ids}
    by_source = {d.doc_id: d.source for d in corpus.documents}
    at_once = [distinctive_terms(matrix, groups, top=6, min_z=0) for groups in (per_document, by_source)]
    monkeypatch.setattr(keyness, "GROUPS_AT_ONCE", 2)
    in_blocks = [distinctive_terms(matrix, groups, top=6, min_z=0) for groups in (per_document, by_source)]
    assert len(at_once[0]) == 6 * len(matrix.doc_ids) and at_once[0]["group"].nunique() == 5
    for whole, blocked in zip(at_once, in_blocks, strict=True):
        assert whole.equals(blocked)


def test_seed_periods_show_harris_before_the_inauguration_only(seeds):
    _, comparison = seeds
    harris = comparison.period.set_index(["kind", "item"]).loc[("actor", "harris")]
    assert harris[["before_count", "before_docs", "after_count", "after_docs"]].tolist() == [2, 3, 0, 2]
    assert (harris["before"], harris["after"], harris["change"]) == (0.6667, 0.0, -0.6667)
    assert harris["ci_low"] < harris["change"] < harris["ci_high"]
    term = comparison.period.set_index(["kind", "item"]).loc[("term", "harris")]
    assert (term["before_count"], term["after_count"]) == (23, 0) and term["score"] < 0


def test_seed_003_repetition_is_listed_as_counted_once(seeds):
    _, comparison = seeds
    within = comparison.near_duplicates[comparison.near_duplicates["kind"] == "within a document"]
    assert within[["doc_a", "words"]].values.tolist() == [["003_86b13bae0f6db5ab", 369]]


def _random_matrix(n: int, seed: int):
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(seed)
    dense = rng.integers(1, 5, (n, 400)) * (rng.random((n, 400)) < 0.05)
    dense[n - 1] = dense[0]  # two identical documents: a tie
    counts = sparse.csr_matrix(dense.astype(np.int64))
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    profiles = rng.dirichlet(np.ones(14) * 0.3, n)
    profiles[5] = profiles[6]  # ties for the bound-based search
    rates = rng.random((n, 30)) * (rng.random((n, 30)) < 0.2)
    rates[7] = rates[8]
    return (
        TermMatrix([f"d{i:03d}" for i in range(n)], np.array([f"t{j}" for j in range(400)]), counts, tfidf),
        profiles,
        rates,
    )


def test_nearest_neighbours_found_with_bounds_equal_brute_force():
    """Above max_docs the table keeps each document's nearest; the bounds must never change which."""
    n, k = 120, 5
    matrix, profiles, rates = _random_matrix(n, seed=3)
    table = similarity_table(matrix, profiles, rates, max_docs=10, neighbours=k, chunk=50)
    full = similarity_table(matrix, profiles, rates, max_docs=n, chunk=50)
    for measure, (_, higher) in MEASURES.items():
        expected = (
            full[full["measure"] == measure]
            .assign(key=lambda f: -f["value"] if higher else f["value"])
            .sort_values(["doc_a", "key", "doc_b"])
            .groupby("doc_a")
            .head(k)
        )
        got = table[table["measure"] == measure]
        assert got[["doc_a", "doc_b"]].values.tolist() == expected[["doc_a", "doc_b"]].values.tolist(), (
            measure
        )
        assert np.allclose(got["value"].to_numpy(), expected["value"].to_numpy(), atol=1e-6)
    cosine = table[table["measure"] == "cosine_tfidf"].merge(full, on=["doc_a", "doc_b", "measure"])
    assert (cosine["value_x"] == cosine["value_y"]).all()  # exact values, not the float32 estimates


def test_cosine_estimate_stays_within_its_error_margin():
    """The float32 product only chooses candidates; it must never be further from the exact cosine than the
    margin that decides which pairs get an exact value."""
    matrix, profiles, rates = _random_matrix(80, seed=11)
    measures = _Measures(matrix, profiles, rates)
    rows = np.arange(80)
    exact = (matrix.tfidf @ matrix.tfidf.T).toarray()
    error = np.abs(measures.cosine_estimate(rows) - exact)
    assert 0 < error.max() <= measures.cosine_margin
    shared_terms = int(
        ((matrix.counts > 0).sum(axis=0) > 1).sum()
    )  # dense: the terms of at least two documents
    assert measures.cosine_margin == pytest.approx((shared_terms + 3) * 2.0**-24)


def test_similarity_bounds_hold():
    matrix, profiles, rates = _random_matrix(60, seed=5)
    measures = _Measures(matrix, profiles, rates)
    rows, every = np.arange(60), np.arange(60)[None, :]
    assert (measures.js_lower_bound(rows) <= measures.js_pairs(rows, every) + 1e-12).all()
    assert (measures.jaccard_upper_bound(rows) >= measures.jaccard_pairs(rows, every) - 1e-12).all()


def test_jensen_shannon_bound_holds_at_the_extremes():
    """One-hot, empty and near-identical profiles: where the Hellinger bound is tightest (a 0 against a share,
    term by term exactly ln 2 / 2) and where it is loosest."""
    profiles = np.array(
        [[1.0, 0, 0], [0, 1.0, 0], [0.5, 0.5, 0], [0, 0, 0], [0.34, 0.33, 0.33], [0.33, 0.34, 0.33]]
    )
    matrix, _, rates = _random_matrix(12, seed=1)  # only the profiles matter here
    measures = _Measures(matrix, profiles, rates[: len(profiles)])
    rows, every = np.arange(len(profiles)), np.arange(len(profiles))[None, :]
    bound, exact = measures.js_lower_bound(rows), measures.js_pairs(rows, every)
    assert (bound <= exact + 1e-12).all()
    assert exact[0, 1] == pytest.approx(1.0) and bound[0, 1] == pytest.approx(
        1.0
    )  # disjoint: JSD 1 bit, H² 1
    assert exact[0, 3] == pytest.approx(np.sqrt(0.5)) and bound[0, 3] == pytest.approx(
        np.sqrt(0.5)
    )  # against nothing


def test_exact_cosine_of_pairs_in_pieces_equals_the_full_product(monkeypatch):
    """Candidate pairs are scored a bounded number at a time (copies of one text tie with each other)."""
    matrix, profiles, rates = _random_matrix(50, seed=7)
    measures = _Measures(matrix, profiles, rates)
    monkeypatch.setattr(measures, "PAIRS_AT_ONCE", 333)
    rows, columns = np.divmod(np.arange(50 * 50), 50)
    full = (matrix.tfidf @ matrix.tfidf.T).toarray()
    assert np.allclose(measures.cosine_pairs(rows, columns), full[rows, columns], rtol=0, atol=1e-12)
    assert measures.cosine_pairs(rows[:0], columns[:0]).shape == (0,)


def test_the_period_note_counts_each_side_and_warns_only_when_a_side_is_small(seeds):
    import dataclasses

    from policybrief.views.compare import period_note

    _, comparison = seeds
    assert period_note(comparison) == (
        "3 dated documents before 20 January 2025 and 2 from it on. With so few on a side, read these "
        "changes as leads to check in the texts, not as trends."
    )
    large = dataclasses.replace(
        comparison, period=comparison.period.assign(before_docs=52849, after_docs=47151)
    )
    assert period_note(large) == "52,849 dated documents before 20 January 2025 and 47,151 from it on."


def test_the_distinctive_terms_figure_says_how_many_documents_have_none(seeds):
    import dataclasses

    from policybrief.views import compare as compare_views

    corpus, comparison = seeds
    html = compare_views.distinctive_figure(corpus, comparison).data
    assert "z \u2265 1.96" in html and "2 documents have no such term." in html
    empty = dataclasses.replace(comparison, distinctive=comparison.distinctive.iloc[:0])
    assert "No document has a term that sets it apart" in compare_views.distinctive_figure(corpus, empty).data


def test_the_document_matrix_gives_way_to_the_closest_pairs_above_twelve_documents(corpus_dir, tmp_path):
    """13 documents: a ranked list, closest first, each pair once; 12: the matrix."""
    import dataclasses

    from policybrief.views import compare as compare_views

    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()
    files = {f"{w}.txt": f"{TEXT} The {w} report adds {w} notes on {w} matters." for w in words}
    files["alpha.txt"] += " Reactor inspections stalled at Yongbyon while envoys met in Geneva."
    files["bravo.txt"] += " Reactor inspections stalled at Yongbyon while envoys met in Geneva."
    corpus, comparison = analysed(corpus_dir, tmp_path, files)
    assert len(corpus.documents) == 13
    html = compare_views.similarity_figure(corpus, comparison).data
    assert "<svg" not in html and "The closest pairs of documents" in html
    ranked = compare_views.closest_pairs_display(corpus, comparison)
    assert len(ranked) == compare_views.CLOSEST_PAIRS == 15  # of 13 × 12 / 2 = 78 pairs
    assert ranked["Rank"].tolist() == list(range(1, 16))
    assert ranked["Similarity"].is_monotonic_decreasing
    assert {ranked.iloc[0]["Document"][:5], ranked.iloc[0]["And"][:5]} == {"alpha", "bravo"}
    assert ranked.iloc[0]["Similarity"] == round(pair_value(comparison, "alpha", "bravo", "cosine_tfidf"), 3)
    assert not ranked[["Document", "And"]].apply(frozenset, axis=1).duplicated().any()
    twelve = dataclasses.replace(corpus, documents=corpus.documents[:12])
    assert "<svg" in compare_views.similarity_figure(twelve, comparison).data


def test_counts_are_summed_in_their_own_32_bits_unless_the_corpus_could_overflow_them():
    from scipy import sparse

    def matrix_of(data):
        counts = sparse.csr_matrix((np.array(data, dtype=np.int32), np.arange(len(data)), [0, len(data)]))
        return TermMatrix(["d"], np.array([f"t{j}" for j in range(len(data))]), counts, counts)

    assert matrix_module.sum_type(matrix_of([3, 4])) is np.int32
    assert matrix_module.sum_type(matrix_of([2**30, 2**30])) is np.int64  # 2^31 in all: a sum could overflow
    # distinctive terms of two groups count exactly what a 64-bit sum gives
    counts = sparse.csr_matrix(np.array([[5, 0, 1], [0, 7, 1], [2, 2, 2]], dtype=np.int32))
    small = TermMatrix(["a", "b", "c"], np.array(["x", "y", "z"]), counts, counts.astype(np.float32))
    found = distinctive_terms(small, {"a": "g1", "b": "g2", "c": "g2"}, top=3, min_z=-100)
    by_term = found[found["group"] == "g2"].set_index("term")
    assert by_term.loc["y", "count"] == 9 and by_term.loc["y", "count_rest"] == 0


def test_the_term_matrix_lives_in_unlinked_mapped_files_and_is_summed_a_block_of_documents_at_a_time(
    corpus_dir, tmp_path, monkeypatch
):
    from scipy import sparse

    # A: alpha ×3, beta ×1; B: beta ×3; C: gamma ×2, alpha ×1
    files = {
        "A.txt": "Alpha. Alpha. Alpha. Beta.",
        "B.txt": "Beta. Beta. Beta.",
        "C.txt": "Gamma. Gamma. Alpha.",
    }
    cache = tmp_path / "cache"
    corpus = load_corpus(corpus_dir(files), cache_dir=cache)
    monkeypatch.setattr(matrix_module, "ROWS_AT_ONCE", 2)  # rows A and B in one block, C in the next
    matrix = term_matrix(corpus)
    # the cells are views of memory maps, not copies in the heap; the files are gone already
    assert len(matrix.maps) == 3
    for cells in (matrix.counts.data, matrix.counts.indices, matrix.tfidf.data):
        assert any(np.shares_memory(cells, np.frombuffer(m, dtype=cells.dtype)) for m in matrix.maps)
    assert sorted(p.name for p in cache.iterdir()) == ["documents", "scans"]
    assert matrix.counts.toarray().tolist() == [[3, 1, 0], [0, 3, 0], [1, 0, 2]]
    assert [(begin, block.shape[0]) for begin, block in matrix.row_blocks()] == [(0, 2), (2, 1)]
    assert [(begin, block.toarray().tolist()) for begin, block in matrix.row_blocks(among=np.array([2]))] == [
        (2, [[1, 0, 2]])
    ]
    matrix.release()  # pages dropped: the cells read back the same
    assert matrix.counts.toarray().tolist() == [[3, 1, 0], [0, 3, 0], [1, 0, 2]]
    # group sums over both blocks: {A, C} and {B}, and every document
    membership = sparse.csr_matrix(np.array([[1, 0, 1], [0, 1, 0], [1, 1, 1]], dtype=np.int8))
    sums = matrix_module.group_sums(matrix, membership)
    assert sums.dtype == np.int32 and sums.toarray().tolist() == [[4, 1, 2], [0, 3, 0], [4, 4, 2]]
    assert matrix.uses == 10
    subset = matrix_module.matrix_subset(matrix, ["C"])
    assert subset.maps == () and subset.counts.toarray().tolist() == [[1, 0, 2]]
