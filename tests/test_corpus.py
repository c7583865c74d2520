import functools

import pyarrow.parquet as pq
import pytest

from policybrief.analyses.overview import corpus_tables
from policybrief.corpus import load, partitions
from policybrief.corpus.load import load_corpus
from policybrief.errors import BriefingError

ARTICLE = (
    "The alliance between Seoul and Washington faces its greatest test in decades.\n"
    "Both governments disagree about cost-sharing and the role of US forces in the region.\n"
    "Analysts expect difficult negotiations throughout the coming year.\n"
)


def by_id(corpus):
    return {d.doc_id: d for d in corpus.documents}


def test_documents_without_a_row_take_title_date_and_author_from_the_text(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            # the same article under three headers (a last line apiece: identical texts would be duplicates)
            "dated.txt": "Engagement vs. Alliance\n\nJanuary 16, 2025 Topic: Security Region: Asia\n\n"
            "Engagement vs. Alliance\n\n" + ARTICLE + "Dated.\n",
            "byline.txt": "Author: Jane Doe\nPublished December 15, 2025\n" + ARTICLE + "Byline.\n",
            "weekday.txt": "Friday, July 4, 2025\n\nRecalibrating US Strategy\n\n" + ARTICLE + "Weekday.\n",
            "undated.txt": ARTICLE + "This one has no date.\n",
        }
    )
    docs = by_id(load_corpus(folder, cache_dir=tmp_path / "cache"))
    assert (docs["dated"].title, docs["dated"].date, docs["dated"].date_precision) == (
        "Engagement vs. Alliance",
        "2025-01-16",
        "day",
    )
    assert docs["dated"].date_basis == "printed in the text: 'January 16, 2025 Topic: Security Region: Asia'"
    assert (docs["byline"].author, docs["byline"].date) == ("Jane Doe", "2025-12-15")
    assert (docs["weekday"].title, docs["weekday"].date) == ("Recalibrating US Strategy", "2025-07-04")
    assert (docs["undated"].title, docs["undated"].date, docs["undated"].date_basis) == ("undated", "", "")
    assert docs["undated"].notes == ["no date found: kept, but left out of time charts"]


def test_metadata_wins_over_the_text_and_extra_columns_are_kept(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            "a.txt": "Published December 15, 2025\n" + ARTICLE,
            "metadata.csv": "file,title,date,date_basis,region\na.txt,Curated,2025-12-01,curated,Asia\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    doc = corpus.documents[0]
    assert (doc.title, doc.date, doc.date_basis, doc.extra) == (
        "Curated",
        "2025-12-01",
        "curated",
        {"region": "Asia"},
    )
    documents = corpus_tables(corpus)["documents.csv"]
    assert list(documents.columns[-1:]) == ["region"] and documents.at[0, "region"] == "Asia"


def test_unreadable_files_are_skipped_with_a_note(corpus_dir, tmp_path):
    folder = corpus_dir({"good.txt": ARTICLE, "empty.txt": "", "image.txt": b"\x89PNG\x00\x00\x01"})
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert [d.doc_id for d in corpus.documents] == ["good"]
    problems = {(n.file, n.problem) for n in corpus.notes}
    assert ("empty.txt", "skipped: empty file") in problems
    assert ("image.txt", "skipped: not a text file (binary content)") in problems


def test_the_cache_rebuilds_only_the_partition_that_changed(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=4))
    names = [f"doc{i:02d}.txt" for i in range(24)]
    metadata = "file,title\n" + "".join(f"{name},Title {i}\n" for i, name in enumerate(names))
    folder = corpus_dir(
        {**{name: ARTICLE + f"Document {i}.\n" for i, name in enumerate(names)}, "metadata.csv": metadata}
    )
    bounds = partitions.partition_bounds(names, size=4)
    assert 3 <= len(bounds) <= 12  # several partitions, so that one change leaves the others cached
    cache = tmp_path / "cache"
    first = load_corpus(folder, cache_dir=cache)
    assert (first.cached, first.built) == (0, 24)
    again = load_corpus(folder, cache_dir=cache)
    assert (again.cached, again.built) == (24, 0)
    assert [again.with_text(d).text for d in again.documents] == [
        first.with_text(d).text for d in first.documents
    ]
    changed_partition = next(b for b in bounds if 7 in b)
    (folder / names[7]).write_text(ARTICLE + "Changed.\n", encoding="utf-8")
    changed = load_corpus(folder, cache_dir=cache)
    assert (changed.cached, changed.built) == (24 - len(changed_partition), len(changed_partition))
    assert changed.with_text(by_id(changed)["doc07"]).text.endswith("Changed.")
    (folder / "metadata.csv").write_text(metadata.replace("Title 0\n", "Retitled\n"), encoding="utf-8")
    retitled = load_corpus(folder, cache_dir=cache)
    assert retitled.built == len(bounds[0])
    assert by_id(retitled)["doc00"].title == "Retitled"


def test_a_cached_partition_of_another_schema_version_is_rebuilt(corpus_dir, tmp_path):
    folder = corpus_dir({"a.txt": ARTICLE})
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache)
    [cached] = (cache / "documents").glob("*.parquet")
    table = pq.read_table(cached)
    pq.write_table(table.replace_schema_metadata({b"policybrief.schema": b"documents/0"}), cached)
    again = load_corpus(folder, cache_dir=cache)
    assert (again.cached, again.built) == (0, 1)
    cached.write_bytes(b"not parquet")
    assert load_corpus(folder, cache_dir=cache).built == 1


def test_the_date_window_is_inclusive_and_keeps_undated_documents(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            **{f"{name}.txt": ARTICLE + f"Document {name}.\n" for name in "abcd"},
            "metadata.csv": "file,date\na.txt,2024-12-31\nb.txt,2025-01-01\nc.txt,2025-06-30\n",
        }
    )
    corpus = load_corpus(folder, start="2025-01-01", end="2025-06-30", cache_dir=tmp_path / "cache")
    assert [d.doc_id for d in corpus.documents] == ["b", "c", "d"]
    assert [d.doc_id for d in corpus.outside_window] == ["a"]
    assert ("d.txt", "undated: kept although a date window is set") in {
        (n.file, n.problem) for n in corpus.notes
    }


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("2025-06-01", "2025-01-01", "END=2025-01-01 is before START=2025-06-01"),
        ("2025-13-01", None, "START='2025-13-01' is not a date"),
        ("2030-01-01", None, "no documents dated between START=2030-01-01 and END=…"),
    ],
)
def test_bad_windows_are_errors(corpus_dir, tmp_path, start, end, message):
    folder = corpus_dir({"a.txt": ARTICLE, "metadata.csv": "file,date\na.txt,2025-03-01\n"})
    with pytest.raises(BriefingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_corpus(folder, start=start, end=end, cache_dir=tmp_path / "cache")


def test_missing_and_empty_folders_are_errors(tmp_path):
    with pytest.raises(BriefingError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope", cache_dir=None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        BriefingError, match=r"no documents \(.txt, .md, .markdown, .html, .htm, .docx, .pdf\)"
    ):
        load_corpus(tmp_path / "empty", cache_dir=None)


# --- the seed corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds():
    from conftest import SEED_DIR

    return by_id(load_corpus(SEED_DIR, cache_dir=None))


def test_seed_003_printed_twice_is_counted_once(seeds):
    doc = seeds["003_86b13bae0f6db5ab"]
    assert 0.40 < doc.words / doc.words_raw < 0.55
    assert doc.text.count("Amid rising tensions in Northeast Asia") == 1
    assert doc.text.count("None of this will be easy.") == 1
    for residue in (
        "Columbus",
        "Source link",
        "Leave a Reply",
        "Unlock left",
        "Download",
        "Read the full report",
    ):
        assert residue not in doc.text


def test_seed_004_header_and_journal_description_are_not_article_text(seeds):
    doc = seeds["004_d611fd63cadb8634"]
    for boilerplate in (
        "premier journal",
        "open-source academic journal",
        "Author:",
        "Theme:",
        "Published December",
        "Download PDF",
    ):
        assert boilerplate not in doc.text
    assert doc.text.startswith("The U.S.-South Korea partnership is being challenged")


def test_seed_001_line_breaks_are_repaired(seeds):
    text = seeds["001_a43f3a8157d82af0"].text
    assert "emphasized avoiding direct diplomacy" in text
    assert "Washington's overtures." in text and "o\nvertures" not in text


def test_seed_002_bio_and_image_credit_are_removed(seeds):
    text = seeds["002_043df5c1dd551209"].text
    assert "Dylan Motin holds" not in text and "Image Credit" not in text and "Topic:" not in text
    assert text.endswith("reinforcing the regional U.S. position against China.")


def test_seed_sentence_offsets_point_into_the_cleaned_text(seeds):
    for doc in seeds.values():
        assert doc.sentence_spans, doc.doc_id
        for start, end in doc.sentence_spans:
            sentence = doc.text[start:end]
            assert sentence == sentence.strip() and "\n" not in sentence


def test_seeds_without_metadata_get_their_printed_dates(seed_copy, tmp_path):
    docs = by_id(load_corpus(seed_copy(with_metadata=False), cache_dir=tmp_path / "cache"))
    assert docs["002_043df5c1dd551209"].date == "2025-01-16"
    assert (
        docs["002_043df5c1dd551209"].title
        == "Engagement vs. Alliance: Trump's Dilemma on the Korean Peninsula"
    )
    assert docs["003_86b13bae0f6db5ab"].date == "2025-07-04"
    assert (docs["004_d611fd63cadb8634"].date, docs["004_d611fd63cadb8634"].author) == (
        "2025-12-15",
        "Bruce Klingner",
    )
    assert docs["000_005d3045ef98edaa"].date == ""


def test_inferred_dates_are_flagged(seeds):
    assert seeds["001_a43f3a8157d82af0"].notes == [
        "date 2024-11-03 is inferred, not printed: inferred from the text: "
        '"two days before the U.S. presidential election" of 2024-11-05'
    ]
    assert seeds["004_d611fd63cadb8634"].notes == []
