"""The evidence stays in the scan's partitions: read a partition and the asked columns at a time, pickled as
where it is, and every measure summed over partitions equals the same measure over one partition."""

import functools
import pickle

import pandas as pd
import pytest

import policybrief.analyses.parts as parts_module
from policybrief.analyses import actors, themes
from policybrief.analyses.actors.measures import find_mentions
from policybrief.analyses.evidence import concordance_table
from policybrief.analyses.themes.measures import find_evidence
from policybrief.corpus import load, partitions
from policybrief.corpus.load import load_corpus

# Four documents; by hand, with the default lexicons: a and c share a sentence of sanctions and North Korea,
# d names nothing, b's Trump and Kim meet in one sentence.
FILES = {
    "a.txt": "Sanctions on North Korea were tightened. The alliance with Seoul held.\n",
    "b.txt": "Donald Trump met Kim Jong Un in Singapore. Trump praised the alliance.\n",
    "c.txt": "New sanctions on North Korea followed. Kim Jong Un tested a missile.\n",
    "d.txt": "Nothing of note happened on the weather front today.\n",
}


def _corpus(corpus_dir, tmp_path, size: int, name: str):
    """The corpus of ``FILES`` cut into partitions of ``size`` (1: a partition per document)."""
    folder = corpus_dir(FILES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=size))
        return load_corpus(folder, cache_dir=tmp_path / name)


@pytest.fixture
def both(corpus_dir, tmp_path):
    """The theme and actor analyses of one corpus, in one partition and in a partition per document."""
    found = {}
    for size, name in ((10_000, "whole"), (1, "apart")):
        corpus = _corpus(corpus_dir, tmp_path, size, name)
        with pytest.MonkeyPatch.context() as patch:  # apart: each partition summed on its own
            patch.setattr(parts_module, "ROWS_AT_ONCE", 1 if name == "apart" else 10**9)
            theme_analysis = themes.analyse(corpus, themes.load_themes())
            actor_analysis = actors.analyse(corpus, actors.load_actors(), theme_analysis)
        found[name] = (corpus, theme_analysis, actor_analysis)
    assert len(found["whole"][0].partitions) == 1 and len(found["apart"][0].partitions) == 4
    return found


def test_measures_summed_over_partitions_equal_those_of_one_partition(both):
    (_, themes_whole, actors_whole), (_, themes_apart, actors_apart) = both["whole"], both["apart"]
    assert themes_apart.corpus_coverage["hits"].sum() >= 4 and len(actors_apart.co_mentions) >= 1
    for name in ("coverage", "corpus_coverage", "over_time", "cooccurrence", "unmatched"):
        pd.testing.assert_frame_equal(getattr(themes_apart, name), getattr(themes_whole, name), obj=name)
    for name in ("per_document", "over_time", "appearances", "co_mentions", "actor_theme"):
        pd.testing.assert_frame_equal(getattr(actors_apart, name), getattr(actors_whole, name), obj=name)
    for apart, whole in ((themes_apart, themes_whole), (actors_apart, actors_whole)):
        pd.testing.assert_frame_equal(apart.evidence.frame(), whole.evidence.frame())


def test_the_counts_by_hand(both):
    _, theme_analysis, actor_analysis = both["apart"]
    coverage = theme_analysis.corpus_coverage.set_index("theme")
    assert coverage.loc["sanctions_pressure", ["documents_covering", "hits"]].tolist() == [2, 2]
    pairs = actor_analysis.co_mentions.values.tolist()
    assert ["kim_jong_un", "trump", 1] in pairs
    per_doc = actor_analysis.per_document.set_index(["doc_id", "actor"])["mentions"]
    assert per_doc.loc[("b", "trump")] == 2 and per_doc.loc[("c", "kim_jong_un")] == 1
    assert "d" not in set(per_doc.index.get_level_values(0))


def test_the_concordance_goes_a_few_partitions_at_a_time_in_corpus_order(both, monkeypatch):
    from policybrief.analyses import evidence

    corpus, theme_analysis, actor_analysis = both["apart"]
    streamed = concordance_table(corpus, theme_analysis, actor_analysis)
    assert [set(batch["doc_id"]) for batch in streamed.batches()] == [{"a", "b", "c"}]  # d has no match
    monkeypatch.setattr(evidence, "_THEME_ROWS_AT_ONCE", 1)  # a partition (here a document) a batch
    assert [set(batch["doc_id"]) for batch in streamed.batches()] == [{"a"}, {"b"}, {"c"}]
    whole = both["whole"]
    # the same rows; a batch's text columns are categories of its own values, so only their types differ
    pd.testing.assert_frame_equal(
        streamed.frame().astype(str), concordance_table(*whole).frame().astype(str), check_dtype=False
    )
    assert streamed.rows == len(theme_analysis.evidence) + len(actor_analysis.evidence)


def test_rows_are_read_a_partition_and_the_asked_columns_at_a_time(corpus_dir, tmp_path, monkeypatch):
    corpus = _corpus(corpus_dir, tmp_path, 1, "cache")
    evidence = find_evidence(corpus, themes.load_themes())  # scanned now, then read from the cache
    reads = []
    original = parts_module.read_stage_file
    monkeypatch.setattr(
        parts_module,
        "read_stage_file",
        lambda file, version, columns=None: reads.append(columns) or original(file, version, columns),
    )
    assert len(evidence) == len(evidence.frame()) >= 4
    reads.clear()
    frames = list(evidence.batches(["doc_id", "theme"]))
    assert reads == [["doc_id", "theme"]] * 4  # one read a partition, only the asked columns
    assert [frame.columns.tolist() for frame in frames] == [["doc_id", "theme"]] * len(frames)
    sanctions = evidence.where("theme", ["sanctions_pressure"])
    assert sorted(sanctions["doc_id"].astype(str)) == ["a", "c"]
    assert set(sanctions["theme"]) == {"sanctions_pressure"}


def test_a_kept_analysis_pickles_as_where_its_rows_are(corpus_dir, tmp_path):
    corpus = _corpus(corpus_dir, tmp_path, 1, "cache")
    evidence = find_mentions(corpus, actors.load_actors())[0]  # scanned now, and named by its cache files
    kept = pickle.loads(pickle.dumps(evidence))
    pd.testing.assert_frame_equal(kept.frame(), evidence.frame())
    assert len(pickle.dumps(evidence)) < 8 * 1024  # paths, not rows
    assert evidence.available()
    next(iter((tmp_path / "cache" / "scans" / "actors").glob("*.0.parquet"))).unlink()
    assert not kept.available()


def test_a_kept_analysis_whose_scan_files_are_gone_is_computed_again(corpus_dir, tmp_path):
    corpus = _corpus(corpus_dir, tmp_path, 1, "cache")
    first = themes.analyse(corpus, themes.load_themes())
    expected = first.evidence.frame()
    for file in (tmp_path / "cache" / "scans" / "themes").glob("*.parquet"):
        file.unlink()
    assert not first.evidence.available()
    again = themes.analyse(_corpus(corpus_dir, tmp_path, 1, "cache"), themes.load_themes())
    pd.testing.assert_frame_equal(again.evidence.frame(), expected)


def test_batches_join_whole_partitions_up_to_the_row_limit(monkeypatch):
    import pyarrow as pa

    monkeypatch.setattr(parts_module, "ROWS_AT_ONCE", 3)
    partition_rows = [2, 2, 5, 0, 1]
    tables = [
        (pa.table({"n": pa.array(range(n), pa.int64())}), pa.table({"m": pa.array([n] * n, pa.int64())}))
        for n in partition_rows
    ]
    joined = list(parts_module.joined(tables))
    # 2 + 2 reach 3; 5 alone; 0 + 1 are what is left
    assert [first.num_rows for first, _ in joined] == [4, 5, 1]
    assert [second.column("m").to_pylist() for _, second in joined] == [[2, 2, 2, 2], [5] * 5, [1]]


def test_a_numbers_first_rows_are_the_oldest_across_batches(corpus_dir, tmp_path, monkeypatch):
    from policybrief.analyses.evidence import Evidence, EvidenceKey

    # corpus order a, b, c; date order c, b, a; a batch per document
    folder = corpus_dir(
        {
            "metadata.csv": "file,date\na.txt,2025-05-01\nb.txt,2024-05-01\nc.txt,2023-05-01\n",
            "a.txt": "Sanctions on North Korea held. More sanctions on North Korea came.\n",
            "b.txt": "Sanctions on North Korea were eased.\n",
            "c.txt": "Sanctions on North Korea began.\n",
        }
    )
    monkeypatch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=1))
    monkeypatch.setattr(parts_module, "ROWS_AT_ONCE", 1)
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    theme_analysis = themes.analyse(corpus, themes.load_themes())
    evidence = Evidence(
        corpus, theme_analysis, actors.analyse(corpus, actors.load_actors(), theme_analysis), "2025-01-01"
    )
    matches, documents, after = (
        EvidenceKey("theme", "sanctions_pressure", unit, period)
        for unit, period in (("matches", ""), ("documents", ""), ("matches", "after"))
    )
    chosen = evidence.selected([matches, documents, after], limit=2)
    assert chosen[matches][0] == 4 and chosen[matches][1]["doc_id"].tolist() == ["c", "b"]
    assert chosen[documents][0] == 3 and chosen[documents][1]["doc_id"].tolist() == ["c", "b"]
    assert chosen[after][0] == 2 and chosen[after][1]["start"].tolist() == [
        0,
        36,
    ]  # "Sanctions on North Korea held. More " is 36 characters
    [(total, by_term)] = [evidence.by_what(limit=1)[("theme", "sanctions_pressure")]]
    assert total == 4 and [rows["doc_id"].tolist() for rows in by_term.values()] == [["c"]] * len(by_term)
