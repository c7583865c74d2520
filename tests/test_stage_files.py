"""The Parquet files between stages: a cleaned document survives the round trip field for field, and a stage
file of another schema version, or a damaged one, is computed again rather than read."""

import functools

import pandas as pd
import pyarrow.parquet as pq
import pytest

import policybrief.analyses.parts as parts_module
import policybrief.analyses.scan as scan_module
from policybrief.analyses.compare import terms
from policybrief.analyses.themes.lexicon import load_themes
from policybrief.analyses.themes.measures import find_evidence
from policybrief.corpus import load, partitions
from policybrief.corpus.load import load_corpus
from policybrief.corpus.model import Document, text_keys
from policybrief.corpus.stage_files import SCHEMA_KEY, WITHOUT_TEXT, document_rows, documents_table

ARTICLE = (
    "The alliance faced sanctions on North Korea. Denuclearization talks with Pyongyang resumed in March.\n"
)


def test_a_cleaned_document_survives_its_table_field_for_field():
    text_digest, content_key = text_keys("a", "Één zin. Another one.", [(0, 8), (9, 21)])
    document = Document(
        doc_id="a",
        file="sub/a.txt",
        format="txt",
        sha256="0" * 64,
        title='A "title", with commas',
        source="Yonhap",
        author="",
        date="2025-03",
        date_precision="month",
        date_basis="metadata.csv",
        url="",
        text="Één zin. Another one.",
        words_raw=7,
        words=4,
        sentence_spans=[(0, 8), (9, 21)],
        sentences=2,
        text_digest=text_digest,
        content_key=content_key,
        removals=[{"step": "boilerplate", "reason": "share bar", "text": "Share", "words": 1}],
        replaced_characters={"\u00a0": 2},
        notes=["date 2025-03 is inferred"],
        extra={"region": "Asia"},
    )
    table = documents_table(
        [
            {name: getattr(document, name) for name in document.__dataclass_fields__},
            {"file": "b.bin", "skipped": "binary"},
        ]
    )
    [read, skipped] = document_rows(table)
    assert read == {"file": "sub/a.txt", "document": document}
    assert skipped == {"file": "b.bin", "skipped": "binary"}
    # without the text, as the build's process holds documents: the same fields, the sentences compact
    [light, skipped] = document_rows(table.select(WITHOUT_TEXT))
    held = light["document"]
    assert held.text is None and held.sentence_spans.tolist() == [[0, 8], [9, 21]]
    assert {**vars(held), "text": document.text, "sentence_spans": document.sentence_spans} == vars(document)
    assert skipped == {"file": "b.bin", "skipped": "binary"}


def test_a_corpus_held_without_text_quotes_each_sentence_reading_each_partition_once(
    corpus_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=2))
    folder = corpus_dir({f"d{i}.txt": f"Sentence one of {i}. Sentence two of {i}.\n" for i in range(12)})
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert len(corpus.partitions) >= 3
    full = load_corpus(folder, cache_dir=None)
    assert all(doc.text is None for doc in corpus.documents)
    assert all(doc.text is not None for doc in full.documents)
    read = []
    original = corpus.read_partition
    corpus.read_partition = lambda key: read.append(key) or original(key)
    wanted = [("d9", 1), ("d0", 0), ("d3", 1), ("d0", 1), ("d11", 0)]
    assert corpus.sentence_texts(wanted) == [
        "Sentence two of 9.",
        "Sentence one of 0.",
        "Sentence two of 3.",
        "Sentence two of 0.",
        "Sentence one of 11.",
    ]
    assert len(read) == len(set(read)) == len({corpus.partition_of[f"d{i}.txt"] for i in (0, 3, 9, 11)}) > 1
    assert [corpus.with_text(doc) for doc in corpus.documents] == full.documents


def test_a_scan_file_of_another_version_or_damaged_is_scanned_again(corpus_dir, tmp_path, monkeypatch):
    folder = corpus_dir({"a.txt": ARTICLE, "b.txt": ARTICLE + "The alliance held.\n"})
    cache = tmp_path / "cache"
    lexicon = load_themes()
    first = find_evidence(load_corpus(folder, cache_dir=cache), lexicon).frame()
    assert len(first) >= 4
    scanned = []
    original = scan_module.scan_partition

    def counting(job, parts, **options):
        scanned.append(job[1])
        return original(job, parts, **options)

    monkeypatch.setattr(scan_module, "scan_partition", counting)
    pd.testing.assert_frame_equal(find_evidence(load_corpus(folder, cache_dir=cache), lexicon).frame(), first)
    assert scanned == []  # from the cache
    [stage_file] = (cache / "scans" / "themes").glob("*.parquet")
    table = pq.read_table(stage_file)
    pq.write_table(table.replace_schema_metadata({SCHEMA_KEY: b"rows/0"}), stage_file)
    pd.testing.assert_frame_equal(find_evidence(load_corpus(folder, cache_dir=cache), lexicon).frame(), first)
    assert scanned == [["a", "b"]]
    stage_file.write_bytes(b"PAR1 torn")
    pd.testing.assert_frame_equal(find_evidence(load_corpus(folder, cache_dir=cache), lexicon).frame(), first)
    assert scanned == [["a", "b"], ["a", "b"]]


def test_records_stay_in_the_cache_and_are_read_a_partition_and_the_asked_columns_at_a_time(
    corpus_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=2))
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima".split()
    folder = corpus_dir(
        {f"d{i:02d}.txt": f"The alliance held in {w}. Talks resumed.\n" for i, w in enumerate(words)}
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    part = terms.scan_part()
    reads = []
    original = parts_module.CachedTables.__call__
    monkeypatch.setattr(
        parts_module.CachedTables,
        "__call__",
        lambda self, columns=None: reads.append((self.files, columns)) or original(self, columns),
    )
    assert scan_module.scan(corpus, [part], results=False) == {}  # a build's scan: computed and cached
    assert not any(key == part.key for key, _ in corpus.scanned)  # not held in memory
    reads.clear()
    records = scan_module.scan(corpus, [part])["terms"]
    assert reads == [] and len(records) == 12  # nothing read until the records are
    tables = [table for _, table in records.partitions(["terms", "shingle_count"])]
    assert len(reads) == len(corpus.partitions) >= 3
    assert all(columns == ["terms", "shingle_count"] for _, columns in reads)  # only those columns read
    assert all(table.column_names == ["terms", "shingle_count"] for table in tables)
    found = [text for table in tables for text in table.column("terms").to_pylist()]
    assert [word in text.split("\n") for text, word in zip(found, words, strict=True)] == [True] * 12
    # "The alliance held in alpha. Talks resumed.": 7 words, so 3 five-word shingles, all distinct
    assert [n for table in tables for n in table.column("shingle_count").to_pylist()] == [3] * 12
    reads.clear()
    some = {
        i: text
        for indexes, table in records.partitions(["terms"], {0, 11})
        for i, text in zip(indexes, table.column("terms").to_pylist(), strict=True)
    }
    assert sorted(some) == [0, 11] and some[11] == found[11]
    assert len(reads) == 2  # the first and the last partition only


def test_list_rows_gives_each_rows_list_after_a_take():
    import pyarrow as pa

    table = pa.table({"v": pa.array([[1, 2], [], [3, 4, 5]], type=pa.list_(pa.uint64()))}).take([2, 0, 1])
    rows = parts_module.list_rows(table, "v")
    assert [row.tolist() for row in rows] == [[3, 4, 5], [1, 2], []]
    assert all(row.dtype == "uint64" for row in rows)


def test_evidence_frames_hold_offsets_in_32_bits_and_labels_as_ordered_categories():
    import pyarrow as pa

    table = pa.table(
        {
            "doc_id": ["b", "a", "b"],
            "sentence_index": pa.array([0, 3, 7], pa.int64()),
            "start": pa.array([5, 2**31 - 1, 40], pa.int64()),
            "end": pa.array([9, 2**31 + 4, 47], pa.int64()),  # past 32 bits: stays 64
        }
    )
    frame = parts_module.table_frame(table, ["doc_id"])
    assert frame.dtypes.astype(str).tolist() == ["category", "int32", "int32", "int64"]
    assert frame["start"].tolist() == [5, 2**31 - 1, 40] and frame["end"].tolist() == [9, 2**31 + 4, 47]
    assert list(frame["doc_id"].cat.categories) == ["a", "b"] and frame["doc_id"].cat.ordered


def test_a_scan_part_has_either_outputs_or_a_record():
    import pyarrow as pa

    from policybrief.analyses.scan import Part

    schema = pa.schema([("n", pa.int32())])
    assert Part("a", "k", len, outputs=(schema,)).version == "rows/1"
    assert Part("b", "k", len, record=schema).version == "records/1"
    for wrong in ({}, {"outputs": (schema,), "record": schema}):
        with pytest.raises(ValueError, match="either outputs or a record"):
            Part("c", "k", len, **wrong)
