"""PDF input: text by page, running headers and footers out, words broken at line ends rejoined, two columns
in reading order, evidence that cites its page, and a one-line note for each PDF that cannot be read."""

import io
from pathlib import Path

import docx
import pytest
from pdf_maker import make_pdf, report_pages
from pypdf import PdfReader, PdfWriter

from policybrief.analyses import actors, themes
from policybrief.analyses.actors.measures import find_mentions
from policybrief.analyses.themes.measures import find_evidence
from policybrief.corpus.formats import read_source
from policybrief.corpus.load import load_corpus
from policybrief.corpus.model import citation
from policybrief.corpus.pages import cleaned_page_starts, page_at
from policybrief.views.appendix import sources_html

HEADER = "Center for Peninsula Studies | Alliance Brief 7"
BODIES = [
    ["The alliance met in Washington in March.", "Both sides discussed the cost of US forces."],
    ["On the second page Kim Jong Un is named.", "Seoul weighed the sanctions on Pyongyang."],
    [
        "The last page opens here.",
        "It has a second line.",
        "It closes the re-",
        "port with a note on Jae-",
        "myung and a footnote.",
        "3",
        "The note says where the figures come from.",
        "A last line.",
        "The end.",
    ],
]


def three_pages(**info) -> bytes:
    return make_pdf(report_pages(BODIES, header=HEADER), info or None)


def test_a_pdf_is_read_page_by_page_without_its_running_header_and_footer():
    source, problem = read_source(Path("brief.pdf"), three_pages())
    assert problem is None and source.fmt == "pdf"
    pages = [
        source.text[a:b] for a, b in zip(source.page_starts, [*source.page_starts[1:], None], strict=True)
    ]
    assert [page.strip().split("\n")[0] for page in pages] == [
        BODIES[0][0],
        BODIES[1][0],
        "The last page opens here.",
    ]
    assert "It closes the report with a note on Jae-myung and a footnote.\nThe note says" in source.text
    assert HEADER not in source.text and "Page 2 of 3" not in source.text
    # a word broken at a line end is joined when the joined word is a word, and keeps a compound's hyphen
    assert [reason for reason, _ in source.removed].count("footnote marker") == 1
    assert [text for _, text in source.removed if text.startswith("Page")] == [
        f"Page {n} of 3" for n in (1, 2, 3)
    ]


def test_title_author_and_date_come_from_the_pdf_metadata_when_plausible():
    read = lambda **info: read_source(Path("a.pdf"), three_pages(**info))[0].found  # noqa: E731
    assert read(Title="Alliance Brief", Author="Jane Roe", CreationDate="D:20250304120000Z") == {
        "title": "Alliance Brief",
        "author": "Jane Roe",
        "date": "2025-03-04",
    }
    # what tools write when nobody gave one: a file name, "anonymous", reportlab's fixed 1 January 2000
    assert read(Title="draft_v3", Author="(anonymous)", CreationDate="D:20000101000000+00'00'") == {}
    assert read(Title="Microsoft Word - memo.docx", CreationDate="D:20991231") == {}


@pytest.fixture
def pdf_corpus(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            "brief.pdf": three_pages(Title="Alliance Brief", CreationDate="D:20250304120000Z"),
            "note.txt": "Kim Jong Un spoke in Pyongyang on Monday about sanctions.\n",
        }
    )
    return load_corpus(folder, cache_dir=tmp_path / "cache")


def test_evidence_from_a_pdf_carries_its_page(pdf_corpus, tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text(
        "actors:\n  kim_jong_un: {name: Kim Jong Un, type: person, short: [Kim]}\n", encoding="utf-8"
    )
    mentions = find_mentions(pdf_corpus, actors.load_actors(path))[0].frame()
    assert mentions["doc_id"].astype(str).tolist() == ["brief", "note"]
    assert mentions["surface"].tolist() == ["Kim Jong Un", "Kim Jong Un"]
    assert mentions["page"].iloc[0] == 2 and mentions["page"].isna().iloc[1]
    lexicon = tmp_path / "themes.yaml"
    lexicon.write_text(
        "themes:\n  pressure:\n    label: Pressure\n    terms: [sanction*]\n", encoding="utf-8"
    )
    evidence = find_evidence(pdf_corpus, themes.load_themes(lexicon)).frame()
    assert evidence[evidence["doc_id"] == "brief"][["matched", "page"]].values.tolist() == [["sanctions", 2]]


def test_the_briefing_cites_the_page_and_lists_the_page_count(pdf_corpus):
    brief = pdf_corpus.with_text(next(d for d in pdf_corpus.documents if d.doc_id == "brief"))
    second = brief.full_text.index("On the second page")
    assert citation(brief, second) == "Alliance Brief — unknown source, 4 March 2025, p. 2"
    assert citation(brief, 0).endswith("2025, p. 1") and not citation(brief).endswith("p. 1")
    listed = sources_html(pdf_corpus)
    assert "File brief.pdf, 3 pages, " in listed and "File note.txt, " in listed
    removed = [r for r in brief.removals if r["step"] == "PDF page header or footer"]
    assert len(removed) == 7 and {r["text"] for r in removed} >= {HEADER, "Page 3 of 3", "3"}


def test_two_columns_written_row_by_row_are_read_column_by_column():
    left = [f"Left column line {n} about the alliance and its cost." for n in range(1, 13)]
    right = [f"Right column line {n} about talks with Pyongyang." for n in range(1, 13)]
    rows = [(40, 780, "A Two-Column Monitor, Issue 3")]
    for n, (a, b) in enumerate(zip(left, right, strict=True)):  # the stream runs across both columns
        rows += [(40, 740 - 14 * n, a), (310, 740 - 14 * n, b)]
    source, _ = read_source(Path("c.pdf"), make_pdf([rows], size=9))
    lines = source.text.split("\n")
    assert lines.index(left[-1]) < lines.index(right[0])
    assert [line for line in lines if line.startswith(("Left", "Right"))] == left + right


def _encrypted(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")  # AES needs cryptography
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdfs_that_cannot_be_read_are_one_line_notes_and_the_build_goes_on(corpus_dir, tmp_path):
    good = three_pages()
    folder = corpus_dir(
        {
            "scanned.pdf": make_pdf([[], []], scanned=True),
            "locked.pdf": _encrypted(good),
            "cut.pdf": good[: len(good) // 3],
            "forbidden.pdf": "<html><body>403 Forbidden</body></html>",
            "empty.pdf": b"",
            "fine.pdf": good,
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert [d.file for d in corpus.documents] == ["fine.pdf"]
    notes = {n.file: n.problem for n in corpus.notes if n.problem.startswith("skipped")}
    assert notes == {
        "scanned.pdf": "skipped: no text layer (scanned?): run OCR first, e.g. ocrmypdf in.pdf out.pdf",
        "locked.pdf": "skipped: password-protected PDF: save a copy without the password",
        "cut.pdf": notes["cut.pdf"],
        "forbidden.pdf": (
            "skipped: not a PDF file (no %PDF- header): perhaps a web page saved under a .pdf name"
        ),
        "empty.pdf": "skipped: empty file",
    }
    assert (
        notes["cut.pdf"]
        == "skipped: damaged PDF (data format error): open and save it again, or print it to PDF"
    )


def test_a_pdf_with_some_scanned_pages_is_read_with_a_note(corpus_dir, tmp_path):
    text_page = report_pages([BODIES[0]], footer="")[0]
    scanned = make_pdf([[], text_page], scanned=True)
    corpus = load_corpus(corpus_dir({"mixed.pdf": scanned}), cache_dir=tmp_path / "cache")
    assert corpus.documents[0].notes[0] == "pages without a text layer (scanned?), not read: 1"
    assert corpus.documents[0].page_starts == [0, 0]  # page 1 left no text: page 2 starts the text


def test_a_folder_mixing_pdf_word_html_and_text_builds_one_corpus(corpus_dir, tmp_path):
    word = docx.Document()
    word.add_paragraph("Seoul and Tokyo met the Foreign Minister to discuss sanctions on Pyongyang.")
    word.core_properties.title = "Memo on sanctions"
    saved = io.BytesIO()
    word.save(saved)
    page = (
        '<html><head><meta property="og:title" content="Talks resume"></head><body><article>'
        "<p>Negotiations with Pyongyang resumed in Panmunjom after a long pause in the talks.</p>"
        "<p>The envoys agreed to meet again before the end of the year to continue the talks.</p>"
        "</article></body></html>"
    )
    folder = corpus_dir(
        {
            "brief.pdf": three_pages(Title="Alliance Brief"),
            "memo.docx": saved.getvalue(),
            "page.html": page,
            "note.txt": "Kim Jong Un spoke in Pyongyang on Monday about sanctions.\n",
        }
    )
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert {d.file: (d.format, d.title, d.pages) for d in corpus.documents} == {
        "brief.pdf": ("pdf", "Alliance Brief", 3),
        "memo.docx": ("docx", "Memo on sanctions", 0),
        "page.html": ("html", "Talks resume", 0),
        "note.txt": ("txt", "note", 0),
    }


def test_pages_are_found_in_the_cleaned_text_when_a_repeated_passage_was_removed():
    passage = " ".join(f"word{i} of the passage" for i in range(600))  # 2,400 words, printed twice
    pages = [f"Opening page. {passage}", f"{passage}", "The closing page says what the report found."]
    source, starts = "", []
    for page in pages:
        starts.append(len(source))
        source += page + "\n\n"
    cleaned = f"Opening page. {passage}\n\nThe closing page says what the report found."  # the copy removed
    found = cleaned_page_starts(source, tuple(starts), cleaned)
    closing = cleaned.index("The closing")
    assert found == (0, closing, closing)  # page 2 left no words: it starts where page 3 does
    assert [page_at(found, at) for at in (0, closing - 5, closing)] == [1, 1, 3]
    assert page_at((), 10) is None  # a source without pages


def test_mojibake_is_repaired_in_pdf_and_word_text(corpus_dir, tmp_path):
    garbled = "Seoulâ€™s envoy met the Presidentâ€™s team in MÃ¼nchen."  # UTF-8 read as Windows-1252
    word = docx.Document()
    word.add_paragraph(garbled)
    saved = io.BytesIO()
    word.save(saved)
    folder = corpus_dir({"a.pdf": make_pdf([[(72, 700, garbled)]]), "b.docx": saved.getvalue()})
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache")
    for doc in map(corpus.with_text, corpus.documents):
        assert doc.full_text.startswith("Seoul's envoy met the President's team in München."), (
            doc.file
        )  # quotes normalised
        assert "mis-decoded characters (mojibake such as 'â€™' for '’') repaired" in doc.notes
