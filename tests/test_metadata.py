import datetime as dt
import io

import openpyxl
import pytest

from policybrief.corpus.load import load_corpus
from policybrief.corpus.metadata import METADATA_FILES, read_metadata
from policybrief.errors import BriefingError

FIRST_DOCUMENT = "The alliance held. Talks resumed."


def _problems(notes):
    return [(n.file, n.problem, n.severity) for n in notes]


def _workbook(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def test_both_metadata_files_are_named():
    assert METADATA_FILES == ("metadata.csv", "metadata.xlsx")


def test_a_row_with_an_unquoted_comma_or_a_missing_field_is_reported_not_shifted(corpus_dir):
    folder = corpus_dir(
        {
            "a.txt": "A.",
            "b.txt": "B.",
            "c.txt": "C.",
            "metadata.csv": "file,title,date\n"
            "a.txt,Seoul, Tokyo and Beijing,2024-03-05\n"
            "b.txt,Fine,2024-03-06\n"
            "c.txt,Short\n",
        }
    )
    rows, notes = read_metadata(folder)
    assert rows == {"b.txt": {"title": "Fine", "date": "2024-03-06"}}
    assert _problems(notes) == [
        (
            "metadata.csv",
            "line 2: 4 fields where the header has 3 (a comma inside an unquoted title?): row ignored",
            "warning",
        ),
        ("metadata.csv", "line 4: 2 fields where the header has 3: row ignored", "warning"),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_are_where_a_row_starts_after_quoted_lines(corpus_dir, newline):
    lines = [
        "file;title;date",
        'a.txt;"A title',  # lines 2-3: one row
        'over two lines";2024-03-05',
        "b.txt;bad;2024-03-06;extra",  # line 4
        'c.txt;"Three',  # lines 5-7
        "line",
        'title";2024-01-01',
        "",  # line 8: blank, skipped
        "d.txt;short",  # line 9
    ]
    folder = corpus_dir(
        {name: name for name in ("a.txt", "b.txt", "c.txt", "d.txt")}
        | {"metadata.csv": newline.join(lines) + newline}
    )
    rows, notes = read_metadata(folder)
    assert rows == {
        "a.txt": {"title": f"A title{newline}over two lines", "date": "2024-03-05"},
        "c.txt": {"title": f"Three{newline}line{newline}title", "date": "2024-01-01"},
    }
    assert [n.problem for n in notes] == [
        "line 4: 4 fields where the header has 3 (a semicolon inside an unquoted title?): row ignored",
        "line 9: 2 fields where the header has 3: row ignored",
    ]


def test_columns_named_alike_stop_the_build_naming_them(corpus_dir):
    folder = corpus_dir({"a.txt": "A.", "metadata.csv": "file,Title,date,title ,words,metadata_words\n"})
    with pytest.raises(BriefingError) as error:
        read_metadata(folder)
    assert str(error.value) == (
        f"{folder / 'metadata.csv'}: line 1 names a column more than once ('Title' and 'title '; "
        "'words' and 'metadata_words'): each column needs its own name"
    )


def test_a_column_without_a_name_is_ignored_with_one_note(corpus_dir):
    folder = corpus_dir(
        {"a.txt": "A.", "b.txt": "B.", "metadata.csv": "file,,title,\na.txt,x,Title A,\nb.txt,y,Title B,\n"}
    )
    rows, notes = read_metadata(folder)
    assert rows == {"a.txt": {"title": "Title A"}, "b.txt": {"title": "Title B"}}
    assert _problems(notes) == [
        ("metadata.csv", "column 2 has no name in the header: ignored, with the 2 values in it", "warning"),
        ("metadata.csv", "column 4 has no name in the header and no values: ignored", "info"),
    ]


def test_a_day_first_column_settles_its_ambiguous_dates(corpus_dir):
    folder = corpus_dir(
        {
            "a.txt": "A.",
            "b.txt": "B.",
            "c.txt": "C.",
            "metadata.csv": "file,date\na.txt,05/03/2024\nb.txt,25/03/2024\nc.txt,07/04/2024\n",
        }
    )
    rows, notes = read_metadata(folder)
    assert rows == {
        "a.txt": {"date": "2024-03-05"},
        "b.txt": {"date": "25/03/2024"},
        "c.txt": {"date": "2024-04-07"},
    }
    assert _problems(notes) == [
        (
            "metadata.csv",
            "2 dates like 05/03/2024 read day first, as the column writes them (line 3 has '25/03/2024')",
            "info",
        )
    ]


def test_a_month_first_column_reads_its_ambiguous_dates_month_first(corpus_dir):
    folder = corpus_dir(
        {"a.txt": "A.", "b.txt": "B.", "metadata.csv": "file,date\na.txt,05/03/2024\nb.txt,03/25/2024\n"}
    )
    rows, notes = read_metadata(folder)
    assert rows == {"a.txt": {"date": "2024-05-03"}, "b.txt": {"date": "03/25/2024"}}
    assert [n.problem for n in notes] == [
        "1 date like 05/03/2024 read month first, as the column writes them (line 3 has '03/25/2024')"
    ]


def test_ambiguous_dates_are_refused_when_no_value_shows_the_order(corpus_dir):
    folder = corpus_dir(
        {"a.txt": "A.", "b.txt": "B.", "metadata.csv": "file,date\na.txt,05/03/2024\nb.txt,06/04/2024\n"}
    )
    rows, notes = read_metadata(folder)
    assert rows == {"a.txt": {"date": ""}, "b.txt": {"date": ""}}
    assert [(n.file, n.problem) for n in notes] == [
        ("a.txt", "metadata.csv line 2: date '05/03/2024' could be 5 March or 3 May: write 2024-03-05"),
        ("b.txt", "metadata.csv line 3: date '06/04/2024' could be 6 April or 4 June: write 2024-04-06"),
    ]


def test_an_ambiguous_date_is_refused_when_the_column_shows_both_orders(corpus_dir):
    folder = corpus_dir(
        {
            "a.txt": "A.",
            "b.txt": "B.",
            "c.txt": "C.",
            "metadata.csv": "file,date\na.txt,25/03/2024\nb.txt,03/25/2024\nc.txt,05/03/2024\n",
        }
    )
    rows, notes = read_metadata(folder)
    assert rows == {"a.txt": {"date": "25/03/2024"}, "b.txt": {"date": "03/25/2024"}, "c.txt": {"date": ""}}
    assert [(n.file, n.problem) for n in notes] == [
        ("c.txt", "metadata.csv line 4: date '05/03/2024' could be 5 March or 3 May: write 2024-03-05")
    ]


def test_a_fiscal_year_is_refused_with_a_note_and_no_date(corpus_dir):
    folder = corpus_dir({"a.txt": "A.", "metadata.csv": "file,title,date\na.txt,Budget,FY2025\n"})
    rows, notes = read_metadata(folder)
    assert rows == {"a.txt": {"title": "Budget", "date": ""}}
    assert _problems(notes) == [
        (
            "a.txt",
            "metadata.csv line 2: date 'FY2025' is a fiscal year, which differs by country: "
            "give a calendar date",
            "warning",
        )
    ]


def test_a_settled_date_and_a_season_reach_the_documents(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            "a.txt": FIRST_DOCUMENT,
            "b.txt": "The summit ended. Both sides left.",
            "c.txt": "Trade talks stalled. Tariffs rose.",
            "metadata.csv": "file,date\na.txt,05/03/2024\nb.txt,25/03/2024\nc.txt,Spring 2024\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert sorted((d.file, d.date, d.date_precision) for d in corpus.documents) == [
        ("a.txt", "2024-03-05", "day"),
        ("b.txt", "2024-03-25", "day"),
        ("c.txt", "2024-04", "season"),
    ]


def test_a_workbook_is_read_with_excel_dates_and_row_numbers(corpus_dir):
    folder = corpus_dir(
        {
            "a.txt": "A.",
            "b.txt": "B.",
            "c.txt": "C.",
            "metadata.xlsx": _workbook(
                [
                    ["File", "Title", "Date", "Words"],
                    ["a.txt", "Title A", dt.datetime(2024, 3, 5), 1200, None, "stray"],
                    [],
                    ["b.txt", "Title B", "FY2025", 3.0],
                    ["c.txt", "Title C", "Spring 2024", None],
                    ["missing.txt", "Gone", None, None],
                ]
            ),
        }
    )
    rows, notes = read_metadata(folder)
    assert rows == {
        "a.txt": {"title": "Title A", "date": "2024-03-05", "metadata_words": "1200"},
        "b.txt": {"title": "Title B", "date": "", "metadata_words": "3"},
        "c.txt": {"title": "Title C", "date": "Spring 2024", "metadata_words": ""},
    }
    assert _problems(notes) == [
        (
            "metadata.xlsx",
            "column 'words' is one the documents table computes: read as 'metadata_words'",
            "info",
        ),
        ("metadata.xlsx", "column E has no name in the header and no values: ignored", "info"),
        ("metadata.xlsx", "column F has no name in the header: ignored, with the 1 value in it", "warning"),
        (
            "b.txt",
            "metadata.xlsx row 4: date 'FY2025' is a fiscal year, which differs by country: "
            "give a calendar date",
            "warning",
        ),
        (
            "metadata.xlsx",
            "row 6: row for 'missing.txt', which is not in the corpus folder: ignored",
            "warning",
        ),
    ]


def test_an_excel_date_cell_is_a_day_precision_date(corpus_dir):
    from policybrief.text.dates import parse_date

    folder = corpus_dir(
        {"a.txt": "A.", "metadata.xlsx": _workbook([["file", "date"], ["a.txt", dt.date(2024, 3, 5)]])}
    )
    rows, _ = read_metadata(folder)
    parsed = parse_date(rows["a.txt"]["date"])
    assert (parsed.iso, parsed.precision) == ("2024-03-05", "day")


@pytest.mark.parametrize(
    "content, message",
    [
        (
            _workbook([["title", "date"], ["a.txt", "2024"]]),
            r"metadata.xlsx: row 1 must be a header .* 'file' column",
        ),
        (
            _workbook([["file", "Date", "date"]]),
            r"metadata.xlsx: row 1 names a column more than once \('Date' and 'date'\)",
        ),
        (b"not a zip file", r"metadata.xlsx: not an Excel workbook that can be read"),
    ],
)
def test_an_unusable_workbook_is_an_error_naming_it(corpus_dir, content, message):
    folder = corpus_dir({"a.txt": "A.", "metadata.xlsx": content})
    with pytest.raises(BriefingError, match=message):
        read_metadata(folder)


def test_both_a_csv_and_a_workbook_is_an_error_naming_both(corpus_dir):
    folder = corpus_dir(
        {"a.txt": "A.", "metadata.csv": "file\na.txt\n", "metadata.xlsx": _workbook([["file"], ["a.txt"]])}
    )
    with pytest.raises(BriefingError) as error:
        read_metadata(folder)
    assert str(error.value) == f"{folder}: both metadata.csv and metadata.xlsx: keep only one of them"
