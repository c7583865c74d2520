import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from policybrief.analyses.registry import all_tables, run_analyses
from policybrief.analyses.schemas import SCHEMAS, TEXT, Streamed, whole
from policybrief.build import tables
from policybrief.build.differences import table_differences
from policybrief.build.tables import SCHEMA_KEY, arrow_table, read_table, write_tables
from policybrief.corpus.load import load_corpus
from policybrief.errors import BriefingError
from policybrief.options import Options

TEXT_A = (
    "The alliance between Seoul and Washington faces its greatest test in decades. Both governments disagree "
    "about cost sharing and the role of American forces in South Korea. Donald Trump wants more money.\n"
    "Share this article\n"
    "Pyongyang watches closely and tests new missiles near the border, while Kim Jong Un praises his army. "
    "Analyst Margaret Whitfield expects hard talks, and Margaret Whitfield has seen many."
)
TEXT_B = (
    "Sanctions against North Korea tightened after the missile tests. Lee Jae-myung called for dialogue "
    "with Pyongyang. Trump said the alliance was expensive. Tariffs on Korean steel rose sharply in March; "
    "steel makers and steel unions protested the steel tariffs."
)
FILES = {
    "a.txt": TEXT_A,
    "a-copy.txt": TEXT_A + " Seoul disagreed.",  # a near-duplicate of a.txt
    "b.txt": TEXT_B,
    "empty.txt": "",  # a data-quality note
    "metadata.csv": (
        "file,title,source,date,desk\n"
        'a.txt,"Alliance, tested",Daily One,2024-11-03,"Foreign ""news"""\n'
        "a-copy.txt,Alliance again,Daily One,2024-11-04,\n"
        "b.txt,Sanctions,Weekly Two,2025-03-01,\n"
    ),
}
LONG = [name for name, schema in SCHEMAS.items() if schema.long]


def analysed_and_written(root: Path, files: dict[str, str]):
    """The tables of a corpus of ``files``, and the folder they are written to with csv_max_rows=2."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    options = Options(corpus=corpus, out=root / "out", csv_max_rows=2)
    tables = all_tables(run_analyses(load_corpus(corpus, cache_dir=root / "cache"), options))
    write_tables(tables, root / "tables", options)
    return whole(tables), root / "tables", options


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every table of a three-document corpus (with an extra metadata column) holds rows."""
    return analysed_and_written(tmp_path_factory.mktemp("tables"), FILES)


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """Most tables of a one-document corpus that names no theme and no actor are empty."""
    return analysed_and_written(tmp_path_factory.mktemp("bare"), {"a.txt": "Nothing to see here today."})


@pytest.mark.parametrize("corpus", ["built", "bare"])
def test_every_table_has_a_schema_and_is_written_with_exactly_it(corpus, request):
    frames, folder, _ = request.getfixturevalue(corpus)
    stems = [Path(name).stem for name in frames]
    undeclared = sorted(set(stems) - set(SCHEMAS))
    assert not undeclared, (
        f"tables without a schema, declare them in policybrief/analyses/schemas.py: {undeclared}"
    )
    assert sorted(SCHEMAS) == sorted(stems), "a schema is declared for a table no analysis makes"
    for stem in stems:
        written = pq.read_schema(folder / f"{stem}.parquet")
        declared = list(SCHEMAS[stem].columns)
        if stem == "documents" and corpus == "built":  # then the extra metadata column, as text
            declared.append(("desk", TEXT))
        assert [(field.name, field.type) for field in written] == declared, stem


def test_a_frame_that_does_not_fit_its_schema_is_refused_by_name():
    frame = pd.DataFrame({"theme_a": ["x"], "sentences": [1], "surprise": [2]})
    with pytest.raises(
        ValueError, match=r"theme_cooccurrence.*missing columns \['theme_b'\].*\['surprise'\]"
    ):
        arrow_table("theme_cooccurrence.csv", frame)
    with pytest.raises(ValueError, match="theme_cooccurrence, column sentences: not int64"):
        arrow_table(
            "theme_cooccurrence", pd.DataFrame({"theme_a": ["x"], "theme_b": ["y"], "sentences": [0.5]})
        )
    with pytest.raises(KeyError, match="declare it in policybrief/analyses/schemas.py"):
        arrow_table("new_table.csv", frame)


def test_each_file_names_its_schema_and_is_written_the_same_twice(built, tmp_path):
    frames, folder, options = built
    for stem in SCHEMAS:
        assert pq.read_schema(folder / f"{stem}.parquet").metadata[SCHEMA_KEY] == SCHEMAS[stem].tag.encode()
    write_tables(frames, tmp_path / "again", options)
    for path in sorted(folder.iterdir()):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name
    evidence = read_table(folder, "theme_evidence")
    assert len(evidence) == len(frames["theme_evidence.csv"]) and evidence["start"].dtype == np.int64


def test_a_file_written_under_another_schema_is_refused(tmp_path):
    table = pa.table({"theme_a": ["x"], "theme_b": ["y"], "sentences": [3]})
    pq.write_table(
        table.replace_schema_metadata({SCHEMA_KEY: b"theme_cooccurrence/0"}),
        tmp_path / "theme_cooccurrence.parquet",
    )
    with pytest.raises(
        BriefingError,
        match="written with schema theme_cooccurrence/0, this version reads theme_cooccurrence/1: rebuild",
    ):
        read_table(tmp_path, "theme_cooccurrence")
    pq.write_table(table, tmp_path / "theme_cooccurrence.parquet")
    with pytest.raises(BriefingError, match="theme_cooccurrence.parquet: written without a schema"):
        read_table(tmp_path, "theme_cooccurrence")


def test_long_tables_above_the_row_limit_are_parquet_only(built):
    frames, folder, _ = built
    for name, frame in frames.items():
        stem = Path(name).stem
        assert (folder / f"{stem}.parquet").is_file()
        over = stem in LONG and len(frame) > 2
        assert (folder / f"{stem}.csv").is_file() is not over, stem
    assert len(frames["theme_evidence.csv"]) > 2 and len(frames["sentences.csv"]) > 2
    assert len(frames["theme_coverage.csv"]) > 2 and (folder / "theme_coverage.csv").is_file()


def test_one_line_says_a_table_is_parquet_only(tmp_path, caplog):
    frame = pd.DataFrame(
        {"doc_id": ["a"] * 3, "sentence_index": [0, 1, 2], "start": 0, "end": 1, "text": "x", "page": None}
    )
    with caplog.at_level("INFO", logger="policybrief"):
        write_tables({"sentences.csv": frame}, tmp_path, Options(csv_max_rows=2))
    assert [r.getMessage() for r in caplog.records] == [
        "sentences: 3 rows, more than csv_max_rows=2: written as Parquet only"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sentences.parquet"]


AWKWARD = [
    "plain",
    "a, comma",
    'a "quote"',
    "two\nlines",
    "carriage\rreturn",
    "",
    None,
    " lead",
    "Über ünï €",
    '"',
]


def test_csv_and_parquet_hold_the_same_values(tmp_path):
    n = len(AWKWARD)
    frame = pd.DataFrame(
        {
            "doc_id": pd.Categorical(["b", "a,1"] * (n // 2)),
            "date": AWKWARD,
            "theme": "t",
            "label": AWKWARD[::-1],
            "hits": np.arange(n, dtype=np.int64) - 3,
            "words": 10**12,
            "per_1k_words": [0.1, 1 / 3, math.nan, 2.5e-7, 1e20, -0.0, 0.5, 7.25, 1234.5678, 2 / 3],
            "sentences_with_theme": 1,
            "sentences": 2,
            "sentence_share": 0.5,
            "present": [True, False] * (n // 2),
        }
    )
    write_tables({"theme_coverage.csv": frame}, tmp_path, Options())
    parquet = pq.read_table(tmp_path / "theme_coverage.parquet")
    # pyarrow tells an empty string ("") from a missing one (nothing) in the CSV
    csv = pa_csv.read_csv(
        tmp_path / "theme_coverage.csv",
        convert_options=pa_csv.ConvertOptions(
            column_types=parquet.schema, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    assert csv.equals(parquet.replace_schema_metadata(None))
    assert parquet.column("date").to_pylist() == AWKWARD
    # pandas reads both as missing, and the rest as it reads the Parquet file
    from_csv = pd.read_csv(tmp_path / "theme_coverage.csv")
    from_parquet = pd.read_parquet(tmp_path / "theme_coverage.parquet").replace("", np.nan)
    pd.testing.assert_frame_equal(from_csv, from_parquet, check_dtype=False)
    assert from_csv["present"].dtype == bool and from_csv["per_1k_words"].dtype == np.float64


def test_blanks_in_number_columns_are_missing_values(tmp_path):
    frame = pd.DataFrame(
        [
            ("across documents", "a", "b", 0.5, 1.0, 12, "", ""),
            ("within a document", "a", "a", 1.0, 1.0, "", 40, "x"),
        ],
        columns=[name for name, _ in SCHEMAS["near_duplicates"].columns],
    )
    write_tables({"near_duplicates.csv": frame}, tmp_path, Options())
    table = pq.read_table(tmp_path / "near_duplicates.parquet")
    assert table.column("shared").to_pylist() == [12, None] and table.column("words").to_pylist() == [
        None,
        40,
    ]


def test_a_failure_on_a_writer_thread_is_raised(tmp_path, monkeypatch):
    def full_disk(table, path, **options):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(tables, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(tables.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(tables.pq, "write_table", full_disk)
    frame = pd.DataFrame({"file": ["x"], "severity": ["info"], "problem": ["p"]})
    with pytest.raises(OSError, match="No space left on device"):
        write_tables({"data_quality.csv": frame, "cleaning_log.csv": frame}, tmp_path, Options())


def _copy_with(source: Path, target: Path, stem: str, change) -> None:
    shutil.copytree(source, target)
    table = pq.read_table(source / f"{stem}.parquet")
    pq.write_table(change(table), target / f"{stem}.parquet")


def test_table_differences(built, tmp_path):
    _, folder, _ = built
    assert table_differences(folder, folder) == []

    def reversed_rows(table):
        return table.take(np.arange(table.num_rows)[::-1])

    _copy_with(folder, tmp_path / "reordered", "theme_evidence", reversed_rows)
    assert table_differences(folder, tmp_path / "reordered") == []

    def nudged(table, by=1e-12):
        share = table.column("share").to_numpy() * (1 + by)
        return table.set_column(table.schema.get_field_index("share"), "share", pa.array(share))

    _copy_with(folder, tmp_path / "nudged", "theme_corpus_coverage", nudged)
    assert table_differences(folder, tmp_path / "nudged") == []
    _copy_with(
        folder, tmp_path / "changed", "theme_corpus_coverage", lambda t: reversed_rows(nudged(t, 1e-3))
    )
    [line] = table_differences(folder, tmp_path / "changed")
    assert line.startswith("theme_corpus_coverage: ") and "share: " in line and " vs " in line
    _copy_with(folder, tmp_path / "shorter", "sentences", lambda t: t.slice(1))
    rows = len(pq.read_table(folder / "sentences.parquet"))
    assert table_differences(folder, tmp_path / "shorter") == [f"sentences: {rows} rows vs {rows - 1}"]
    shutil.copytree(folder, tmp_path / "fewer")
    (tmp_path / "fewer" / "document_map.parquet").unlink()
    assert table_differences(folder, tmp_path / "fewer") == [f"document_map: only in {folder}"]


@pytest.mark.parametrize("limit", [6, 5])
def test_a_streamed_table_is_written_batch_by_batch_with_its_csv_up_to_the_limit(tmp_path, limit):
    def batches():
        for doc, count in (("a", 2), ("b", 0), ("c", 4)):
            yield pd.DataFrame(
                {
                    "doc_id": [doc] * count,
                    "sentence_index": list(range(count)),
                    "start": [10 * i for i in range(count)],
                    "end": [10 * i + 9 for i in range(count)],
                    "text": [f'{doc} {i}, "quoted"' for i in range(count)],
                    "page": [i // 2 + 1 for i in range(count)],
                }
            )

    streamed = Streamed(batches)
    write_tables(
        {
            "sentences.csv": streamed,
            "data_quality.csv": pd.DataFrame({"file": ["x"], "severity": ["info"], "problem": ["p"]}),
        },
        tmp_path,
        Options(csv_max_rows=limit),
    )
    written = read_table(tmp_path, "sentences")
    assert written["doc_id"].tolist() == ["a", "a", "c", "c", "c", "c"]
    assert written["end"].tolist() == [9, 19, 9, 19, 29, 39]
    pd.testing.assert_frame_equal(written, streamed.frame(), check_dtype=False)
    assert (tmp_path / "sentences.csv").is_file() is (limit == 6)
    if limit == 6:
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "sentences.csv"), written)


def test_a_streamed_table_known_to_pass_the_limit_never_starts_its_csv(tmp_path):
    seen = []

    def batches():
        for doc in ("a", "b"):
            seen.append((tmp_path / "sentences.csv").exists())
            yield pd.DataFrame(
                {"doc_id": [doc] * 2, "sentence_index": [0, 1], "start": [0, 10], "end": [9, 19]}
                | {"text": ["x", "y"], "page": [1, 1]}
            )

    write_tables({"sentences.csv": Streamed(batches, rows=4)}, tmp_path, Options(csv_max_rows=3))
    assert seen == [False, False]
    assert not (tmp_path / "sentences.csv").exists()
    assert read_table(tmp_path, "sentences")["doc_id"].tolist() == ["a", "a", "b", "b"]


def test_an_empty_streamed_table_is_written_with_its_columns(tmp_path):
    write_tables({"sentences.csv": Streamed(lambda: iter(()))}, tmp_path, Options())
    assert read_table(tmp_path, "sentences").columns.tolist() == [
        "doc_id",
        "sentence_index",
        "start",
        "end",
        "text",
        "page",
    ]
    assert pd.read_csv(tmp_path / "sentences.csv").empty


def test_a_long_table_is_converted_and_written_a_slice_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "ROWS_AT_ONCE", 2)
    frame = pd.DataFrame(
        {
            "doc_id": pd.Categorical(["b", "a", "b", "c", "a"], ordered=True),
            "sentence_index": [0, 1, 2, 3, 4],
            "start": [0, 5, 9, 14, 20],
            "end": [4, 8, 13, 19, 30],
            "text": ["one", "two", "three", "four", "five"],
            "page": [1, 1, 2, 2, 3],
        }
    )
    write_tables({"sentences.csv": frame}, tmp_path, Options())
    assert pq.ParquetFile(tmp_path / "sentences.parquet").metadata.num_row_groups == 3
    written = read_table(tmp_path, "sentences")
    assert written["doc_id"].tolist() == ["b", "a", "b", "c", "a"] and written["end"].tolist() == [
        4,
        8,
        13,
        19,
        30,
    ]
    assert pd.read_csv(tmp_path / "sentences.csv")["text"].tolist() == ["one", "two", "three", "four", "five"]
