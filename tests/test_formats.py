"""Document formats beyond plain text: Word files, the metadata a web page gives about itself, and what a
file no reader knows is said to be."""

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from policybrief.corpus.formats import READERS, read_source
from policybrief.corpus.formats.word import OLE_SIGNATURE
from policybrief.corpus.load import load_corpus
from policybrief.corpus.reading import describe_file

ARTICLE = (
    "The alliance between Seoul and Washington faces its greatest test in decades. Both governments disagree "
    "about cost-sharing and the role of US forces in the region. Analysts expect difficult negotiations.\n"
)
FIRST = "The alliance between Seoul and Washington faces its greatest test in decades."
SECOND = "Analysts expect difficult negotiations over cost-sharing and troop levels this year."


def word_file(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def briefing_document() -> WordDocument:
    """A heading, two paragraphs with an empty one between them, a table of two rows (the second with a cell
    spanning two columns), and title, author and creation date in the core properties."""
    document = docx.Document()
    document.add_heading("Alliance Under Strain", level=1)
    document.add_paragraph(FIRST)
    document.add_paragraph("")
    document.add_paragraph(SECOND)
    table = document.add_table(rows=2, cols=3)
    for (row, column), value in {
        (0, 0): "Measure",
        (0, 1): "2024",
        (0, 2): "2025",
        (1, 0): "US troops",
    }.items():
        table.cell(row, column).text = value
    table.cell(1, 1).merge(table.cell(1, 2)).text = "28,500"
    properties = document.core_properties
    properties.title = "Alliance Under Strain"
    properties.author = "Jane Doe"
    properties.created = dt.datetime(2025, 3, 2, 9, 30)
    return document


# --- Word ----------------------------------------------------------------------------------------------


def test_a_word_file_gives_its_blocks_in_order_and_its_core_properties():
    source, problem = read_source(Path("brief.docx"), word_file(briefing_document()))
    assert problem is None
    # the empty paragraph is left out; the merged cell is given once, not once per column it spans
    assert source.text == (
        f"Alliance Under Strain\n\n{FIRST}\n\n{SECOND}\n\nMeasure | 2024 | 2025\nUS troops | 28,500"
    )
    assert (source.fmt, source.notes) == ("docx", [])
    assert source.found == {"title": "Alliance Under Strain", "author": "Jane Doe", "date": "2025-03-02"}


def test_a_word_file_loads_with_its_title_author_and_date(corpus_dir, tmp_path):
    folder = corpus_dir({"brief.docx": word_file(briefing_document())})
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    [document] = corpus.documents
    assert (document.file, document.format) == ("brief.docx", "docx")
    assert (document.title, document.author, document.date) == (
        "Alliance Under Strain",
        "Jane Doe",
        "2025-03-02",
    )
    assert document.date_basis == "the Word file's document properties"
    # the heading repeats the title, so cleaning drops it as a headline; each table row is a paragraph
    assert corpus.with_text(document).full_text.split("\n\n") == [
        FIRST,
        SECOND,
        "Measure | 2024 | 2025",
        "US troops | 28,500",
    ]
    assert [(r["reason"], r["text"]) for r in document.removals] == [
        ("the title printed above the article", "Alliance Under Strain")
    ]


def test_a_cell_merged_down_is_read_once_in_its_first_row():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "US troops"
    table.cell(0, 1).text = "28,500 in 2024"
    table.cell(1, 1).text = "28,500 in 2025"
    assert [cell.text for cell in table.rows[1].cells] == ["US troops", "28,500 in 2025"]  # python-docx's
    source, _ = read_source(Path("troops.docx"), word_file(document))
    assert source.text == "US troops | 28,500 in 2024\n28,500 in 2025"


def test_tracked_insertions_are_text_and_tracked_deletions_are_not():
    document = docx.Document()
    paragraph = document.add_paragraph("Seoul and Washington ")
    w = nsdecls("w")
    paragraph._p.append(
        parse_xml(f'<w:del {w} w:id="1" w:author="A"><w:r><w:delText>rejected </w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins {w} w:id="2" w:author="A"><w:r><w:t xml:space="preserve">agreed </w:t></w:r></w:ins>'
        )
    )
    paragraph.add_run("on a cost-sharing deal.")
    assert paragraph.text == "Seoul and Washington on a cost-sharing deal."  # python-docx's own reading
    source, _ = read_source(Path("draft.docx"), word_file(document))
    assert source.text == "Seoul and Washington agreed on a cost-sharing deal."


def test_a_placeholder_or_future_creation_date_is_not_the_documents_date():
    document = docx.Document()
    document.add_paragraph(FIRST)
    document.core_properties.author = "  "
    document.core_properties.created = dt.datetime(1899, 12, 30)
    source, _ = read_source(Path("old.docx"), word_file(document))
    assert source.found == {}  # no blank author, no 1899 date
    document.core_properties.created = dt.datetime.now() + dt.timedelta(days=400)
    source, _ = read_source(Path("later.docx"), word_file(document))
    assert "date" not in source.found


def rewritten(data: bytes, part: str, edit) -> bytes:
    """A copy of a zip with one member's bytes changed by ``edit``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member, edit(content) if member.filename == part else content)
    return buffer.getvalue()


def test_an_empty_creation_date_element_is_no_date_rather_than_a_crash():
    """python-docx raises TypeError reading ``<dcterms:created/>``; the file is still read."""
    data = rewritten(
        word_file(briefing_document()),
        "docProps/core.xml",
        lambda xml: re.sub(rb"(<dcterms:created[^>]*>)[^<]*", rb"\1", xml),
    )
    source, _ = read_source(Path("brief.docx"), data)
    assert source.found == {"title": "Alliance Under Strain", "author": "Jane Doe"}


def damaged_deflate(data: bytes) -> bytes:
    """The Word file with bytes in the middle of its compressed document part overwritten."""
    member = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    middle = start + member.compress_size // 2
    return data[:middle] + b"\xff" * 8 + data[middle + 8 :]


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda good: b"", "empty file"),
        (lambda good: good[: len(good) // 2], "not a valid Word file (not a zip archive, or a damaged one)"),
        (damaged_deflate, "not a valid Word file (not a zip archive, or a damaged one)"),
        (
            lambda good: rewritten(good, "word/document.xml", lambda xml: xml[:-20]),
            "not a valid Word file (damaged XML)",
        ),
        (lambda good: zip_archive(), "not a valid Word file (a zip archive without a Word document in it)"),
        (
            lambda good: excel_workbook(),
            "not a valid Word file (another Office format, or a macro-enabled document)",
        ),
    ],
    ids=["empty", "truncated", "damaged-deflate", "damaged-xml", "plain-zip", "spreadsheet"],
)
def test_a_damaged_word_file_says_why(make, reason):
    assert read_source(Path("x.docx"), make(word_file(briefing_document()))) == (None, reason)


# --- files that cannot be used -------------------------------------------------------------------------


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inside.txt", ARTICLE)
    return buffer.getvalue()


def excel_workbook() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


NOISE = random.Random(19).randbytes(2048)  # neither a zip nor an OLE file
OLE_FILE = OLE_SIGNATURE + bytes(504)


def test_each_unusable_file_is_one_note_naming_it_and_the_build_goes_on(corpus_dir, tmp_path):
    expected = {
        "empty.docx": "skipped: Word file with no text",
        "corrupt.docx": "skipped: not a valid Word file (not a zip archive, or a damaged one)",
        "protected.docx": (
            "skipped: password-protected or old-format Word file (.doc): save it as .docx without a password"
        ),
        "archive.zip": "skipped: a zip archive",
        "chart.png": "skipped: an image (PNG)",
        "blob.bin": "skipped: a binary file",
        "old.doc": "skipped: an old-format Word file (.doc): save it as .docx",
        "figures.xlsx": "skipped: an Excel file",
        "notes.xyz": "skipped: a file of a type the corpus does not read (.xyz)",
    }
    folder = corpus_dir(
        {
            "good.txt": ARTICLE,
            "empty.docx": word_file(docx.Document()),
            "corrupt.docx": NOISE,
            "protected.docx": OLE_FILE,
            "archive.zip": zip_archive(),
            "chart.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32),
            "blob.bin": bytes(range(256)),
            "old.doc": OLE_FILE,
            "figures.xlsx": excel_workbook(),
            "notes.xyz": "Meeting notes, not an article.",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert [document.file for document in corpus.documents] == ["good.txt"]
    for name, note in expected.items():
        assert [n.problem for n in corpus.notes if n.file == name] == [note], name


@pytest.mark.parametrize(
    "name, data, description",
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "an image (JPEG)"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00", "an image (GIF)"),
        ("scan.tif", b"II*\x00\x08\x00\x00\x00", "an image (TIFF)"),
        ("scan-mac.tiff", b"MM\x00*\x00\x00\x00\x08", "an image (TIFF)"),
        ("banner.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "an image (WebP)"),
        ("budget.xls", OLE_FILE, "an Excel file"),
        ("slides.ppt", OLE_FILE, "an old-format PowerPoint file (.ppt)"),
        ("template.dot", OLE_FILE, "an old-format Word file (.doc): save it as .docx"),
        ("mail.msg", OLE_FILE, "an old-format Office file (Word, Excel or PowerPoint)"),
        ("renamed.dat", zip_archive(), "a zip archive"),
        ("README", b"Notes for the team.", "a file of a type the corpus does not read (no extension)"),
        ("sheet.bak", excel_workbook(), "an Excel file"),
    ],
)
def test_a_file_no_reader_knows_is_named_for_what_it_is(tmp_path, name, data, description):
    path = tmp_path / name
    path.write_bytes(data)
    assert describe_file(path) == description


def test_a_pdf_is_named_as_such_only_while_no_reader_takes_pdfs(tmp_path, monkeypatch):
    path = tmp_path / "report.pdf.bak"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    monkeypatch.delitem(READERS, ".pdf", raising=False)
    assert describe_file(path) == "a PDF"
    monkeypatch.setitem(READERS, ".pdf", READERS[".txt"])
    assert describe_file(path) == "a file of a type the corpus does not read (.bak)"


# --- what a web page says about itself -----------------------------------------------------------------

PAGE_BODY = f"""<body><nav><a href="/">Home</a> | <a href="/about">About us</a></nav>
<article><h1>Talks Resume in Geneva</h1><p>{FIRST}</p><p>{SECOND}</p>
<p>North Korea has rejected every offer of dialogue since the summit of March 3, 2024.</p></article>
<footer>Copyright 2025 Example Review. All rights reserved.</footer></body></html>"""
META_PAGE = f"""<!DOCTYPE html><html><head><title>Page 4 | Example Review</title>
<meta property="og:title" content="Talks Resume in Geneva">
<meta property="article:published_time" content="2025-04-07T09:30:00+09:00">
<meta name="author" content="Kim Min-jun"></head>{PAGE_BODY}"""
JSON_LD_PAGE = f"""<!DOCTYPE html><html><head><script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Sanctions Tighten on Pyongyang",
"datePublished": "2025-05-12", "author": {{"@type": "Person", "name": "Jane Park"}},
"publisher": {{"@type": "Organization", "name": "Korea Policy Review"}}}}
</script></head>{PAGE_BODY}"""


def test_a_page_gives_its_og_title_published_time_and_author_meta():
    source, _ = read_source(Path("page.html"), META_PAGE.encode())
    assert source.found == {"title": "Talks Resume in Geneva", "author": "Kim Min-jun", "date": "2025-04-07"}


def test_a_page_gives_its_json_ld_headline_date_author_and_publisher():
    source, _ = read_source(Path("page.html"), JSON_LD_PAGE.encode())
    assert source.found == {
        "title": "Sanctions Tighten on Pyongyang",
        "author": "Jane Park",
        "date": "2025-05-12",
        "source": "Korea Policy Review",
    }


def test_a_date_in_the_running_text_is_not_the_pages_date():
    page = META_PAGE.replace(
        '<meta property="article:published_time" content="2025-04-07T09:30:00+09:00">', ""
    )
    source, _ = read_source(Path("page.html"), page.encode())
    assert "March 3, 2024" in source.text
    assert source.found == {"title": "Talks Resume in Geneva", "author": "Kim Min-jun"}


def test_metadata_csv_wins_over_what_the_page_says(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            "meta.html": META_PAGE,
            "json-ld.html": JSON_LD_PAGE.replace(FIRST, FIRST.replace("decades", "years")),
            "metadata.csv": "file,title,author,date,source\n"
            "meta.html,Geneva Talks,Lee Soo-ah,2025-04-09,Policy Desk\n"
            "json-ld.html,Sanctions,Park Ji-ho,2025-05-20,Desk Two\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    found = {d.file: (d.title, d.author, d.date, d.source, d.date_basis) for d in corpus.documents}
    assert found == {
        "meta.html": ("Geneva Talks", "Lee Soo-ah", "2025-04-09", "Policy Desk", "metadata.csv"),
        "json-ld.html": ("Sanctions", "Park Ji-ho", "2025-05-20", "Desk Two", "metadata.csv"),
    }
