"""Theme measures on a corpus written for the test, and the evidence chain on the seeds."""

import pytest

from policybrief.analyses import themes
from policybrief.analyses.themes.measures import coverage, find_evidence
from policybrief.corpus.cleaning import assemble_paragraphs
from policybrief.corpus.load import load_corpus
from policybrief.errors import BriefingError
from policybrief.text.lexicon import longest_per_group
from policybrief.text.words import normalise_unicode

LEXICON = """
themes:
  sanctions:
    label: Sanctions
    terms: [sanction*, maximum pressure]
    exclude: [pressure campaign]
  alliance:
    label: Alliance
    short: Ally
    terms: [alliance, cost-sharing, Special Measures Agreement]
  politics:
    label: Politics
    terms: [campaign*, election]
    exclude: [pressure campaign]
"""


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    return themes.load_themes(path)


@pytest.fixture
def corpus(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            # 10 words, 2 sentences; sanctions 2 hits, alliance 1 hit, in sentence 0 and 1
            "a.txt": "Sanctions and maximum pressure failed. The alliance held together well.\n",
            # 12 words, 3 sentences: alliance 2 (cost-sharing, alliance), politics 1 (election),
            # pressure campaign excluded
            "b.txt": "The election came. A pressure campaign began. The alliance argued over cost-sharing.\n",
            # 4 words, 1 sentence, no theme
            "c.txt": "Nothing to see here.\n",
            "metadata.csv": "file,date\na.txt,2025-01-10\nb.txt,2025-03-05\nc.txt,2025-03-20\n",
        }
    )
    return load_corpus(folder, cache_dir=tmp_path / "cache")


def test_evidence_rows_point_at_the_matched_words(corpus, lexicon):
    evidence = find_evidence(corpus, lexicon).frame()
    assert evidence[["doc_id", "theme", "sentence_index", "term", "matched"]].values.tolist() == [
        ["a", "sanctions", 0, "sanction*", "Sanctions"],
        ["a", "sanctions", 0, "maximum pressure", "maximum pressure"],
        ["a", "alliance", 1, "alliance", "alliance"],
        ["b", "politics", 0, "election", "election"],
        ["b", "alliance", 2, "alliance", "alliance"],
        ["b", "alliance", 2, "cost-sharing", "cost-sharing"],
    ]
    texts = {d.doc_id: corpus.with_text(d).text for d in corpus.documents}
    for row in evidence.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.matched


def test_coverage_per_document_and_theme(corpus, lexicon):
    cov = coverage(corpus, find_evidence(corpus, lexicon), lexicon).set_index(["doc_id", "theme"])
    assert cov.loc[
        ("a", "sanctions"), ["hits", "words", "per_1k_words", "sentence_share", "present"]
    ].tolist() == [2, 10, 200.0, 0.5, True]
    assert cov.loc[
        ("b", "alliance"), ["hits", "per_1k_words", "sentences_with_theme", "sentence_share"]
    ].tolist() == [2, 166.667, 1, 0.3333]
    assert cov.loc[("c", "politics"), ["hits", "present"]].tolist() == [0, False]
    assert len(cov) == 9  # zeros included


def test_min_hits_decides_presence(corpus, lexicon):
    cov = coverage(corpus, find_evidence(corpus, lexicon), lexicon, min_hits=2).set_index(["doc_id", "theme"])
    assert cov["present"].sum() == 2  # a/sanctions and b/alliance


def test_corpus_coverage_has_wilson_intervals(corpus, lexicon):
    analysis = themes.analyse(corpus, lexicon)
    cc = analysis.corpus_coverage.set_index("theme")
    assert cc.loc["alliance", ["documents", "documents_covering", "share", "hits"]].tolist() == [
        3,
        2,
        0.6667,
        3,
    ]
    # Wilson 95% for 2 of 3, worked out from the formula: centre 0.5840, half-width 0.3872
    assert cc.loc["alliance", "ci_low"] == pytest.approx(0.2077, abs=1e-4)
    assert cc.loc["alliance", "ci_high"] == pytest.approx(0.9385, abs=1e-4)
    assert cc.loc["alliance", "per_1k_words"] == pytest.approx(1000 * 3 / 26, abs=1e-3)
    assert list(cc.index) == ["alliance", "sanctions", "politics"]  # by documents, then hits, then id


def test_coverage_over_time_fills_empty_periods_with_zero(corpus, lexicon):
    over = themes.analyse(corpus, lexicon, time_bin="month").over_time
    alliance = over[over["theme"] == "alliance"]
    assert alliance[["period", "documents", "documents_covering", "share", "hits"]].values.tolist() == [
        ["2025-01", 1, 1, 1.0, 1],
        ["2025-02", 0, 0, 0.0, 0],
        ["2025-03", 2, 1, 0.5, 2],
    ]
    quarters = themes.analyse(corpus, lexicon, time_bin="quarter").over_time
    assert quarters[quarters["theme"] == "alliance"][["period", "documents"]].values.tolist() == [
        ["2025-Q1", 3]
    ]


def test_cooccurrence_counts_sentences(corpus_dir, tmp_path, lexicon):
    folder = corpus_dir(
        {
            "a.txt": "The alliance faced sanctions. The alliance held. Sanctions bit during the campaign.\n",
            # sentences 0 and 1 again, in another document: never the same sentences as a's
            "b.txt": "An election came. The alliance met.\n",
        }
    )
    analysis = themes.analyse(load_corpus(folder, cache_dir=tmp_path / "cache"), lexicon)
    pairs = {(r.theme_a, r.theme_b): r.sentences for r in analysis.cooccurrence.itertuples()}
    assert pairs[("sanctions", "alliance")] == 1
    assert pairs[("alliance", "alliance")] == 3
    assert pairs[("politics", "politics")] == 2
    assert pairs[("sanctions", "politics")] == 1
    assert pairs[("alliance", "politics")] == 0


def test_unmatched_terms_are_listed(corpus, lexicon):
    unmatched = themes.analyse(corpus, lexicon).unmatched
    assert unmatched[["theme", "term"]].values.tolist() == [
        ["alliance", "Special Measures Agreement"],
        ["politics", "campaign*"],
    ]


def test_telling_sentences_take_one_per_document_first(corpus, lexicon):
    chosen = themes.telling_sentences(corpus, find_evidence(corpus, lexicon), "alliance", 3)
    assert [(c["doc_id"], c["sentence_index"]) for c in chosen] == [("b", 2), ("a", 1)]
    assert chosen[0]["text"] == "The alliance argued over cost-sharing."
    assert [chosen[0]["text"][s:e] for s, e in chosen[0]["spans"]] == ["alliance", "cost-sharing"]


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("themes:\n  a:\n    label: A\n    terms: []\n", "theme 'a': has no terms"),
        (
            "themes:\n  a:\n    label: A\n    terms: [war, War]\n",
            "theme 'a', term 'War': duplicates the term 'war'",
        ),
        (
            "themes:\n  a:\n    label: A\n    terms: ['sanc*tion']\n",
            "theme 'a', term 'sanc\\*tion': term 'sanc\\*tion': 'sanc\\*tion' is not a word",
        ),
        ("themes:\n  a:\n    label: A\n    terms: [x]\n    colour: red\n", "theme 'a': unknown key 'colour'"),
        ("themes:\n  a: [x]\n", "theme 'a': expected label, definition and terms"),
        ("themes: {}\n", "'themes' must map theme ids"),
        ("themes:\n  a:\n    label: A\n    terms: [x\n", "not valid YAML"),
    ],
)
def test_lexicon_errors_name_theme_and_term(tmp_path, yaml_text, message):
    path = tmp_path / "themes.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(BriefingError, match=message):
        themes.load_themes(path)


def test_the_shipped_lexicon_has_at_least_12_documented_themes():
    lexicon = themes.load_themes()
    assert len(lexicon.themes) >= 12
    assert all(t.label and t.definition and t.terms for t in lexicon.themes.values())


# --- the seed corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_analysis():
    from conftest import SEED_DIR

    corpus = load_corpus(SEED_DIR, cache_dir=None)
    return corpus, themes.analyse(corpus, themes.load_themes())


def test_every_seed_hit_leads_back_to_its_sentence(seed_analysis):
    corpus, analysis = seed_analysis
    docs = {d.doc_id: d for d in corpus.documents}
    assert len(analysis.evidence) > 200
    for row in analysis.evidence.frame().itertuples():
        doc = docs[row.doc_id]
        start, end = doc.sentence_spans[row.sentence_index]
        assert start <= row.start < row.end <= end
        assert doc.text[row.start : row.end] == row.matched


def test_seed_003_is_counted_on_its_deduplicated_text(seed_analysis, rules):
    corpus, analysis = seed_analysis
    cleaned = analysis.coverage.set_index(["doc_id", "theme"]).loc[
        ("003_86b13bae0f6db5ab", "sk_nuclear_option"), "hits"
    ]
    raw = open(corpus.folder / "003_86b13bae0f6db5ab.txt", encoding="utf-8").read()
    paragraphs, _ = assemble_paragraphs(normalise_unicode(raw)[0])
    matches = longest_per_group(themes.load_themes().matcher.find("\n\n".join(paragraphs)))
    raw_hits = sum(1 for m in matches if m.group == "sk_nuclear_option")
    assert (cleaned, raw_hits) == (5, 10)


def _evidence(corpus_dir, tmp_path, lexicon: str, text: str):
    """Theme evidence of one document under a lexicon written for the test."""
    path = tmp_path / "lexicon.yaml"
    path.write_text(lexicon, encoding="utf-8")
    corpus = load_corpus(corpus_dir({"a.txt": text}), cache_dir=tmp_path / "cache")
    return find_evidence(corpus, themes.load_themes(path)).frame()


def test_scope_rules_keep_a_theme_to_its_subject(corpus_dir, tmp_path):
    lexicon = (
        "themes:\n  talks:\n    label: Talks with North Korea\n    terms: [talks, negotiat*]\n"
        "    needs_in_paragraph: [North Korea, Pyongyang]\n    not_in_sentence_with: [tariff*, Iran]\n"
    )
    text = (
        "Pyongyang rejected the offer. The talks stalled.\n\n"  # counts: North Korea in the paragraph
        "The tariff talks with Washington went on.\n\n"  # no North Korea in this paragraph
        "North Korea watched the Iran negotiations. North Korea wants talks.\n"  # Iran cancels one
    )
    evidence = _evidence(corpus_dir, tmp_path, lexicon, text)
    assert evidence[["sentence_index", "matched"]].values.tolist() == [[1, "talks"], [4, "talks"]]


def test_a_needed_term_counts_only_apart_from_the_hit(corpus_dir, tmp_path):
    lexicon = (
        "themes:\n  trade:\n    label: Trade\n    terms: [trade, tariff*]\n"
        "    needs_in_paragraph: [trade, tariff*, investment*]\n"
    )
    evidence = _evidence(
        corpus_dir, tmp_path, lexicon, "That trade makes sense.\n\nTrade and tariffs rose.\n"
    )
    # "trade" alone scopes nothing; "Trade" and "tariffs" scope each other
    assert evidence["matched"].tolist() == ["Trade", "tariffs"]


def test_a_hit_after_an_absence_phrase_is_not_counted(corpus_dir, tmp_path):
    lexicon = (
        "absent_after: [did not mention, made no mention of]\n"
        "themes:\n  japan:\n    label: Japan\n    terms: [Japan, sanction*]\n"
    )
    text = (
        "He did not mention Japan. The text made no mention of the sanctions. Japan spoke. "
        "Made No Mention Of any sanctions. She did not mention it; Japan did.\n"
    )
    # any case, "the" or "any" between; another word between ends the absence
    assert _evidence(corpus_dir, tmp_path, lexicon, text)["sentence_index"].tolist() == [2, 4]


def test_themes_sharing_a_scope_list_are_scoped_apart(corpus_dir, tmp_path):
    lexicon = (
        "themes:\n  talks:\n    label: Talks\n    terms: [talks]\n"
        "    needs_in_paragraph: &nk [North Korea, Pyongyang]\n"
        "  arms:\n    label: Arms\n    terms: [missile*]\n    needs_in_paragraph: *nk\n"
        "    not_in_sentence_with: [Iran]\n"
        "  trade:\n    label: Trade\n    terms: [tariff*]\n    not_in_sentence_with: [Iran]\n"
    )
    text = (
        "Pyongyang fired missiles and wants talks.\n\n"  # both scoped in by the one shared list
        "Talks on missiles went on. Iran bought missiles and paid tariffs.\n\n"  # no North Korea here
        "North Korea sold Iran missiles and talks began. Tariffs rose.\n"  # Iran cancels "missiles" only
    )
    evidence = _evidence(corpus_dir, tmp_path, lexicon, text)
    assert evidence[["theme", "matched"]].values.tolist() == [
        ["arms", "missiles"],
        ["talks", "talks"],
        ["talks", "talks"],
        ["trade", "Tariffs"],
    ]
