"""End to end: build the briefing from the seed corpus, the way `make report` does, and check it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import SEED_DIR, STAMP, build

from policybrief.build.report import build_report
from policybrief.errors import BriefingError
from policybrief.options import Options
from policybrief.paths import PROJECT_DIR


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_html_is_self_contained(built):
    import vl_convert

    html = (built / "briefing.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    code = [body for attributes, body in scripts if "application/json" not in attributes]
    # two scripts: the Vega bundle of the installed vl-convert, once, and the briefing's own
    assert len(code) == 2 and sum(len(body) > 500_000 and "vegaEmbed" in body for body in code) == 1
    assert vl_convert.__version__ and len([a for a, _ in scripts if "chart-spec" in a]) == 16
    assert len([a for a, _ in scripts if 'id="evidence-data"' in a]) == 1
    # the bundle names URLs it never loads, the evidence blob the documents' addresses (test_browser checks
    # that the page requests nothing); the rest of the page names none
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    html = re.sub(r'<span class="source-url">[^<]*</span>', "", html)  # the sources' addresses, shown as text
    without_comments = re.sub(r"/\*.*?\*/", "", html, flags=re.S)
    without_namespaces = re.sub(r'xmlns(?::\w+)?="http://www\.w3\.org/[^"]+"', "", without_comments)
    assert re.findall(r"(?:https?:)?//[\w.-]+\.\w+/", without_namespaces) == []
    assert "<link" not in html


def test_html_has_no_code_and_all_sections(built):
    html = (built / "briefing.html").read_text(encoding="utf-8")
    assert "load_corpus" not in html and "from policybrief" not in html
    assert 'class="highlight' not in html  # no highlighted source code
    assert not re.search(r'<div class="[^"]*jp-InputPrompt', html)
    assert 'corpus = "' not in html
    for text in (
        "US Policy toward the Korean Peninsula: Corpus Briefing",
        "Contents",
        'id="section-1"',
        "1. Corpus overview",
        "Publication timeline",
        "Data-quality notes",
        f"Built {STAMP}",
        'id="section-2"',
        "2. Theme coverage",
        "Evidence: the sentences behind the counts",
        "<mark>",
        'id="section-3"',
        "3. Actor mentions",
        "Names to check",
        "Winston Churchill",
        'id="section-4"',
        "4. Document comparison",
        "What changed between the periods",
        'id="key-findings"',
        'id="summary"',
        'href="#finding-1"',
        'id="finding-1"',
        'href="#source-002_043df5c1dd551209"',
        'id="appendix-method"',
        'id="appendix-sources"',
        'id="appendix-provenance"',
    ):
        assert text in html
    assert html.count('class="briefing-figure"') == 16
    assert html.count('class="briefing-table-wrap"') == 22


def test_pdf_has_sections_chart_titles_and_page_numbers(built):
    text = pdf_text(built / "briefing.pdf")
    for expected in (
        "Corpus Briefing",
        "Contents",
        "1. Corpus overview",
        "Documents",
        "Publication timeline (one mark per document)",
        "Data-quality notes",
        "Page 1 of",
        "2. Theme coverage",
        "Theme hits by document",
        "How many documents cover each theme",
        "Coverage over time",
        "Themes meeting in one sentence",
        "3. Actor mentions",
        "Mentions of the main actors",
        "Actor mentions by document",
        "Actors named in the same sentence",
        "Themes in the sentences naming each actor",
        "4. Document comparison",
        "Document similarity",
        "Map of the documents by wording",
        "What sets each document apart",
        "Actors that changed most across 20 January 2025",
        "Key findings",
        "Appendix A. Method and data",
        "Appendix B. Sources",
        "Appendix C. Provenance",
        "Monroe, Colaresi & Quinn 2008",
    ):
        assert expected in text
    # the method notes and diagnostic tables are in the HTML only: the PDF is the brief
    screen_only_parts = (
        "How themes are counted",
        "How mentions are counted",
        "Terms that never matched",
        "Near-duplicates and repeated passages",
    )
    for screen_only in screen_only_parts:
        assert screen_only not in text
        assert screen_only in (built / "briefing.html").read_text(encoding="utf-8")
    info = subprocess.run(
        ["pdfinfo", str(built / "briefing.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 20 <= pages <= 30
    assert text.count("Document similarity —") == 1  # one document matrix in the PDF
    assert "Title:           US Policy toward the Korean Peninsula: Corpus Briefing" in info
    assert "595." in info or "594.96" in info  # A4 width in points


def test_tables_are_written_beside_the_briefing(built):
    documents = pd.read_csv(built / "tables" / "documents.csv")
    assert documents.columns[:11].tolist() == [
        "doc_id",
        "file",
        "title",
        "source",
        "author",
        "date",
        "date_precision",
        "date_basis",
        "url",
        "words_raw",
        "words",
    ]
    seed_003 = documents.set_index("doc_id").loc["003_86b13bae0f6db5ab"]
    assert 0.40 < seed_003["words"] / seed_003["words_raw"] < 0.55
    sentences = pd.read_csv(built / "tables" / "sentences.csv")
    assert sentences.columns.tolist() == ["doc_id", "sentence_index", "start", "end", "text", "page"]
    assert sentences["page"].isna().all()  # text files have no pages
    assert (
        sentences.groupby("doc_id").size().to_dict() == documents.set_index("doc_id")["sentences"].to_dict()
    )
    evidence = pd.read_csv(built / "tables" / "theme_evidence.csv")
    assert evidence.columns.tolist()[:6] == ["doc_id", "theme", "sentence_index", "start", "end", "term"]
    coverage = pd.read_csv(built / "tables" / "theme_coverage.csv")
    assert {"doc_id", "theme", "hits", "per_1k_words", "sentence_share"} <= set(coverage.columns)
    assert coverage.groupby("doc_id")["hits"].sum().to_dict() == evidence.groupby("doc_id").size().to_dict()
    actor_evidence = pd.read_csv(built / "tables" / "actor_evidence.csv")
    assert actor_evidence.columns.tolist() == [
        "doc_id",
        "actor",
        "actor_type",
        "surface",
        "resolution",
        "sentence_index",
        "start",
        "end",
        "page",
    ]
    mentions = pd.read_csv(built / "tables" / "actor_mentions.csv")
    assert {"doc_id", "date", "actor", "actor_type", "mentions", "per_1k_words"} <= set(mentions.columns)
    assert mentions["mentions"].sum() == len(actor_evidence)
    for name in ("actor_cooccurrence.csv", "actor_theme.csv", "unlisted_names.csv"):
        assert (built / "tables" / name).is_file()
    similarity = pd.read_csv(built / "tables" / "similarity.csv")
    assert (
        similarity.columns.tolist() == ["doc_a", "doc_b", "measure", "value"] and len(similarity) == 3 * 5 * 4
    )
    assert {"doc_id", "term", "count", "score"} <= set(
        pd.read_csv(built / "tables" / "distinctive_terms.csv").columns
    )
    assert {"kind", "item", "before", "after", "change"} <= set(
        pd.read_csv(built / "tables" / "period_change.csv").columns
    )
    assert (built / "tables" / "near_duplicates.csv").is_file()
    executed = sorted(p.name for p in (built / "notebooks").iterdir())
    assert executed == sorted(p.name for p in (PROJECT_DIR / "notebooks").glob("[0-9]*.ipynb"))


def test_a_rebuild_with_the_same_stamp_is_identical(built, tmp_path):
    again = tmp_path / "again"
    result = build(again)
    assert result.returncode == 0, result.stderr
    assert "5 from cache, 0 cleaned now" in result.stderr
    for name in ("briefing.html", "briefing.pdf", "manifest.json"):
        assert (again / name).read_bytes() == (built / name).read_bytes(), name
    for table in sorted(p.name for p in (built / "tables").iterdir()):
        assert (again / "tables" / table).read_bytes() == (built / "tables" / table).read_bytes()


def test_a_failing_notebook_names_itself_and_keeps_the_last_briefing(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {
        name: (out / name).read_bytes() for name in ("briefing.html", "briefing.pdf", "tables/documents.csv")
    }
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    broken = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
        cells=[
            nbformat.v4.new_markdown_cell("# Broken"),
            nbformat.v4.new_code_cell("corpus = out = start = end = None", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise ValueError('half-way failure')"),
        ],
    )
    nbformat.write(broken, notebooks / "00_broken.ipynb")
    options = Options(corpus=SEED_DIR, out=out, stamp=STAMP)
    with pytest.raises(
        BriefingError,
        match=(
            r"notebook 00_broken.ipynb failed in code cell 2 "
            r"\(\"raise ValueError\('half-way failure'\)\"\): ValueError: half-way failure"
        ),
    ):
        build_report(options, notebooks=notebooks)
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not list(out.glob(".build-*"))


def test_bad_input_keeps_the_last_briefing(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = (out / "briefing.pdf").read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policybrief",
            "build",
            "--corpus",
            str(tmp_path / "missing"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].endswith("missing: corpus folder not found")
    assert (out / "briefing.pdf").read_bytes() == before


def test_manifest_records_inputs_parameters_and_versions(built):
    import json

    record = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in record["corpus"]["documents"]] == sorted(
        p.name for p in SEED_DIR.glob("*.txt")
    )
    assert all(len(d["sha256"]) == 64 for d in record["corpus"]["documents"])
    assert set(record["lexicons"]) == {"cleaning", "themes", "actors"}
    assert record["parameters"]["stamp"] == STAMP
    assert record["versions"]["pandas"] == pd.__version__ and "Chromium" in record["versions"]["chromium"]
    assert "policybrief" in record["code"]


def stated(value, column: str) -> str:
    """How a finding writes a value: dates in full, shares to two decimals, counts with separators."""
    from policybrief.text.dates import long_date

    if column.endswith("date"):
        return long_date(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def test_every_key_finding_matches_the_tables_it_cites(built):
    import json

    findings = pd.read_csv(built / "tables" / "key_findings.csv", keep_default_na=False)
    # every short form of the seeds resolves, and one name (Winston Churchill) is not on the list: the finding
    # about the most mentioned person says so
    person = findings[findings["statement"].str.contains("is the most mentioned person")]
    assert person["caveat"].str.startswith("1 name is not on the actor list (see Names to check)").all()
    assert len(person) == 1
    assert 5 <= len(findings) <= 8
    # change over time first; no sentence quoted twice; no mechanics (similarity, cleaning) among them
    assert "across 20 January 2025" in findings.iloc[0]["statement"]
    quoted = findings[findings["evidence_doc_id"] != ""][["evidence_doc_id", "evidence_sentence_index"]]
    assert not quoted.duplicated().any()
    assert not findings["statement"].str.contains("cosine|twice|alike").any()
    html = (built / "briefing.html").read_text(encoding="utf-8")
    sentences = pd.read_csv(built / "tables" / "sentences.csv")
    for finding in findings.itertuples():
        for table, key, values in json.loads(finding.checks):
            frame = pd.read_csv(built / "tables" / table, keep_default_na=False)
            rows = frame
            for column, value in key.items():
                rows = rows[rows[column].astype(str) == str(value)]
            assert len(rows) == 1, (finding.statement, table, key)
            for column, value in values.items():
                cell = rows.iloc[0][column]
                if isinstance(value, float):
                    assert round(float(cell), 2) == value, (finding.statement, column)
                else:
                    assert str(cell) == str(value), (finding.statement, column)
                assert stated(value, column) in finding.statement, (finding.statement, column, value)
        assert (finding.documents < 3) == ("rests on" in finding.caveat)
        if finding.evidence_doc_id:
            assert f'href="#source-{finding.evidence_doc_id}"' in html
            assert (
                (sentences["doc_id"] == finding.evidence_doc_id)
                & (sentences["sentence_index"] == int(finding.evidence_sentence_index))
            ).any()
        assert (
            finding.statement.replace("'", "&#x27;").replace("&", "&amp;")[:40] in html
            or finding.statement[:40] in html
        )


def test_pdf_summarises_the_dictionaries_the_html_lists_them_in_full(built):
    """The full term and alias lists are four printed pages; the PDF names the files and counts instead."""
    html = (built / "briefing.html").read_text(encoding="utf-8")
    text = " ".join(pdf_text(built / "briefing.pdf").split())
    assert "The theme dictionary (config/themes.yaml)" in html
    assert "The theme dictionary (config/themes.yaml)" not in text
    assert "every term is listed in the HTML briefing" in text
    assert "Special Measures Agreement" in html  # one of the alliance theme's terms
    assert "has 54 actors: 12 organisations, 34 people, 8 states" in text


def outline_pages(pdf: Path) -> dict[str, int]:
    """Each bookmark's title and page (from 1), nested ones included."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)

    def walk(outline):
        for item in outline:
            yield from (
                walk(item)
                if isinstance(item, list)
                else [(item.title, reader.get_destination_page_number(item) + 1)]
            )

    return dict(walk(reader.outline))


SECTIONS = ("1. Corpus overview", "2. Theme coverage", "3. Actor mentions", "4. Document comparison")
APPENDICES = ("Appendix A. Method and data", "Appendix B. Sources", "Appendix C. Provenance")


def test_the_pdf_has_bookmarks_for_its_sections(built):
    found = outline_pages(built / "briefing.pdf")
    for entry in ("Summary", "Key findings", *SECTIONS, *APPENDICES):
        assert entry in found
    pages = [found[entry] for entry in ("Summary", *SECTIONS, *APPENDICES)]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)  # in order, each chapter on its own page


def test_the_seed_pdf_is_a_brief(built):
    """Issue 20: the body (summary to the end of section 4) on at most 15 pages, the whole PDF on 25."""
    from pypdf import PdfReader

    found = outline_pages(built / "briefing.pdf")
    body = found["Appendix A. Method and data"] - found["Summary"]
    total = len(PdfReader(built / "briefing.pdf").pages)
    assert found["Summary"] == 2
    assert body <= 15, body
    assert total <= 25, total
    assert total - found["Appendix A. Method and data"] + 1 <= 8  # the appendices summarise


def test_the_contents_give_the_page_of_every_entry(built):
    """The numbers printed in the contents are the pages the bookmarks point at."""
    found = outline_pages(built / "briefing.pdf")
    cover = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(built / "briefing.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = {
        m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", cover, re.M)
    }
    entries = ("Summary", "Key findings", *SECTIONS, *APPENDICES)
    assert {entry: listed.get(entry) for entry in entries} == {entry: found[entry] for entry in entries}
    # the HTML has no page numbers: a screen has no pages
    html = (built / "briefing.html").read_text(encoding="utf-8")
    assert '<span class="toc-page" data-anchor="section-1"></span>' in html


def test_body_pages_have_a_running_header_with_title_and_section(built):
    found = outline_pages(built / "briefing.pdf")
    title = "US Policy toward the Korean Peninsula: Corpus Briefing"

    def page(number: int) -> str:
        return subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(built / "briefing.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert title + " \u00b7 " not in page(1)  # the cover has none
    assert page(2).startswith(f"{title} \u00b7 Summary and key findings")
    second = found["3. Actor mentions"] + 1  # a page inside the section, not its first
    assert second < found["4. Document comparison"]
    assert page(second).startswith(f"{title} \u00b7 3. Actor mentions")
    assert page(found["Appendix B. Sources"]).startswith(f"{title} \u00b7 Appendix B. Sources")


def smallest_text(pdf: Path) -> tuple[float, int, str]:
    """The smallest text in the PDF as printed, in pt: the font size times the scale of the character's
    matrix (a chart's SVG shrunk to the page shrinks its text), with its page and some of its characters."""
    import ctypes
    import math

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    smallest = (1000.0, 0, "")
    matrix = raw.FS_MATRIX()
    for index in range(len(document)):
        text = document[index].get_textpage()
        for k in range(text.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(text, k))
            if char.isspace():
                continue
            raw.FPDFText_GetMatrix(text, k, ctypes.byref(matrix))
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            size = round(raw.FPDFText_GetFontSize(text, k) * scale, 2)
            if size < smallest[0]:
                smallest = (size, index + 1, text.get_text_range(k, 12))
    return smallest


def test_no_text_in_the_pdf_is_smaller_than_7_points(built):
    size, page, sample = smallest_text(built / "briefing.pdf")
    assert size >= 7.0, (size, page, sample)


def test_no_page_is_more_than_half_empty_except_before_a_chapter(built):
    """Content flows: a page ends more than half empty only where the next one opens a chapter (summary,
    section, appendix: the outline's top level) or the briefing ends. Measured on the rendered page: the
    lowest inked row between the header and footer margins."""
    import numpy as np
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    reader = PdfReader(built / "briefing.pdf")
    chapters = {reader.get_destination_page_number(o) + 1 for o in reader.outline if not isinstance(o, list)}
    document = pdfium.PdfDocument(built / "briefing.pdf")
    filled = {}
    for index in range(len(document)):
        pixels = document[index].render(scale=0.5).to_numpy().min(axis=2)  # darkest channel
        top, bottom = round(len(pixels) * 16 / 297), round(len(pixels) * (297 - 18) / 297)  # @page margins
        inked = np.flatnonzero((pixels[top:bottom] < 200).any(axis=1))
        filled[index + 1] = (inked.max() + 1) / (bottom - top) if len(inked) else 0.0
    half_empty = [
        page
        for page, share in filled.items()
        if share < 0.5 and page + 1 not in chapters and page < len(filled)
    ]
    assert half_empty == [], {page: round(filled[page], 2) for page in half_empty}
    blank = [page for page, share in filled.items() if share < 0.05]  # a header and nothing else
    assert blank == [], blank
