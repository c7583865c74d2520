from pathlib import Path

import pytest

from policybrief.corpus.formats import decode, read_source
from policybrief.corpus.load import load_corpus
from policybrief.corpus.metadata import inside, read_metadata
from policybrief.corpus.reading import discover
from policybrief.errors import BriefingError

HTML_PAGE = """<!DOCTYPE html><html><head><title>Alliance Under Strain | Example Review</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2025-03-02">
<meta property="og:site_name" content="Example Review"></head>
<body><nav><a href="/">Home</a> | <a href="/about">About us</a> | <a href="/subscribe">Subscribe</a></nav>
<article><h1>Alliance Under Strain</h1>
<p>The alliance between Seoul and Washington faces its greatest test in decades, as both governments \
disagree about cost-sharing.</p>
<p>Analysts expect difficult negotiations throughout the coming year, with tariffs and troop levels on the \
table.</p>
<p>North Korea has rejected every offer of dialogue since 2019, and its ties with Russia have deepened.</p>
</article>
<footer>Copyright 2025 Example Review. All rights reserved. Privacy policy. Terms of use.</footer>\
</body></html>"""


def test_html_keeps_the_article_and_drops_menus_and_footers():
    source, problem = read_source(Path("page.html"), HTML_PAGE.encode())
    assert problem is None
    assert source.text.split("\n") == [
        "Alliance Under Strain",
        (
            "The alliance between Seoul and Washington faces its greatest test in decades, as both "
            "governments disagree about cost-sharing."
        ),
        (
            "Analysts expect difficult negotiations throughout the coming year, with tariffs and troop "
            "levels on the table."
        ),
        (
            "North Korea has rejected every offer of dialogue since 2019, and its ties with Russia have "
            "deepened."
        ),
    ]
    assert source.found == {
        "title": "Alliance Under Strain",
        "author": "Jane Doe",
        "date": "2025-03-02",
        "source": "Example Review",
    }


def test_markdown_becomes_paragraphs_with_front_matter_as_metadata():
    raw = (
        b"---\ntitle: A Note\ndate: 2025-02-03\n---\n# Heading\n\n"
        b"Some *text* with a [link](http://x.org) and\na soft break.\n\n- item one\n- item two\n"
    )
    source, _ = read_source(Path("note.md"), raw)
    assert source.text == "Heading\n\nSome text with a link and a soft break.\n\nitem one\n\nitem two"
    assert source.found == {"title": "A Note", "date": "2025-02-03"}


def test_front_matter_is_loaded_safely():
    raw = b"---\ntitle: !!python/object/apply:os.system ['echo owned']\n---\nBody text.\n"
    source, _ = read_source(Path("evil.md"), raw)
    assert source.text == "Body text."
    assert source.found == {}
    assert source.notes == ["front matter is not valid YAML: ignored"]


def test_windows_1252_and_bom_files_decode():
    text = "Caf\u00e9 politics: the r\u00e9gime\u2019s na\u00efve critics."
    assert decode(text.encode("cp1252")) == (text, "Windows-1252")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, None)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file (binary content)"),
    ],
)
def test_unusable_files_say_why(data, reason):
    assert read_source(Path("x.txt"), data) == (None, reason)


def test_discover_finds_documents_recursively_and_skips_hidden_and_other_files(corpus_dir):
    folder = corpus_dir(
        {
            "b.txt": "b",
            "a.md": "a",
            "sub/c.html": "<p>c</p>",
            ".hidden/d.txt": "d",
            ".e.txt": "e",
            "notes.rtf": "x",
            "metadata.csv": "file\n",
        }
    )
    assert [p.relative_to(folder).as_posix() for p in discover(folder)] == ["a.md", "b.txt", "sub/c.html"]


def test_paths_may_not_leave_the_corpus_folder(tmp_path):
    assert inside(tmp_path, "a.txt") == (tmp_path / "a.txt").resolve()
    assert inside(tmp_path, "sub/../a.txt") == (tmp_path / "a.txt").resolve()
    for escape in ("../../etc/passwd", "/etc/passwd", "sub/../../x.txt", "C:\\Windows\\win.ini", ""):
        assert inside(tmp_path, escape) is None


def test_metadata_rows_are_checked_one_by_one(corpus_dir):
    folder = corpus_dir(
        {
            "a.txt": "A.",
            "b.txt": "B.",
            "metadata.csv": "\ufefffile;title;date;region\n"
            "a.txt;Title A;2025-13-45;Asia\n"
            "a.txt;Again;2025-01-01;\n"
            "b.txt;Title B;16 Jan 2025;Europe\n"
            "../../etc/passwd;x;;\n"
            "missing.txt;y;;\n",
        }
    )
    rows, notes = read_metadata(folder)
    assert rows == {
        "a.txt": {"title": "Title A", "date": "", "region": "Asia"},
        "b.txt": {"title": "Title B", "date": "16 Jan 2025", "region": "Europe"},
    }
    assert [(n.file, n.problem) for n in notes] == [
        ("a.txt", "metadata.csv line 2: date '2025-13-45' is not a valid date: ignored"),
        ("metadata.csv", "line 3: a second row for a.txt: ignored (the first row is used)"),
        ("metadata.csv", "line 5: path '../../etc/passwd' points outside the corpus folder: row ignored"),
        ("metadata.csv", "line 6: row for 'missing.txt', which is not in the corpus folder: ignored"),
    ]


def test_metadata_columns_named_like_computed_ones_are_renamed_not_fatal(corpus_dir, tmp_path):
    from policybrief.analyses.overview import DOCUMENT_COLUMNS, documents_table
    from policybrief.corpus.metadata import COMPUTED_COLUMNS, STANDARD_COLUMNS

    assert set(DOCUMENT_COLUMNS) == {"file", *STANDARD_COLUMNS, *COMPUTED_COLUMNS}
    folder = corpus_dir(
        {
            "a.txt": "The alliance held. Talks resumed.",
            "metadata.csv": "file,doc_id,words,Sentences,region\na.txt,X-17,twelve,3,Asia\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    table = documents_table(corpus)
    assert list(table.columns) == [
        *DOCUMENT_COLUMNS,
        "metadata_doc_id",
        "metadata_sentences",
        "metadata_words",
        "region",
    ]
    row = table.iloc[0]
    assert (row["doc_id"], row["words"], row["sentences"]) == ("a", 5, 2)
    assert (row["metadata_doc_id"], row["metadata_words"], row["metadata_sentences"]) == (
        "X-17",
        "twelve",
        "3",
    )
    assert [n.problem for n in corpus.notes if n.file == "metadata.csv"] == [
        "column 'doc_id' is one the documents table computes: read as 'metadata_doc_id'",
        "column 'words' is one the documents table computes: read as 'metadata_words'",
        "column 'sentences' is one the documents table computes: read as 'metadata_sentences'",
    ]


def test_metadata_without_a_header_is_an_error(corpus_dir):
    folder = corpus_dir({"a.txt": "A.", "metadata.csv": "a.txt,Title A,2025-01-01\n"})
    with pytest.raises(BriefingError, match=r"metadata.csv: line 1 must be a header .* 'file' column"):
        read_metadata(folder)


def test_mojibake_is_repaired_when_read_and_clean_text_is_left_alone(corpus_dir, tmp_path):
    # UTF-8 bytes once read as Windows-1252 and saved again as UTF-8: "’" -> "â€™", "—" -> "â€”", "é" -> "Ã©"
    garbled = "Kim Jong Un’s envoy met Lee Jae-myung — at the café in Seoul.".encode().decode("cp1252")
    assert "â€™" in garbled and "Ã©" in garbled
    source, _ = read_source(Path("a.txt"), garbled.encode())
    assert source is not None
    assert source.text == "Kim Jong Un’s envoy met Lee Jae-myung — at the café in Seoul."
    assert source.notes == ["mis-decoded characters (mojibake such as 'â€™' for '’') repaired"]
    clean = "The café’s owner — Mr. Lee — said “no”. Ünal agreed."
    source, _ = read_source(Path("b.txt"), clean.encode())
    assert source is not None and source.text == clean and source.notes == []
    corpus = load_corpus(corpus_dir({"a.txt": garbled}), cache_dir=tmp_path / "cache")
    # (cleaning then makes the apostrophe straight)
    assert corpus.with_text(corpus.documents[0]).full_text == (
        "Kim Jong Un's envoy met Lee Jae-myung — at the café in Seoul."
    )
    assert "mis-decoded characters (mojibake such as 'â€™' for '’') repaired" in [
        n.problem for n in corpus.notes if n.file == "a.txt"
    ]
