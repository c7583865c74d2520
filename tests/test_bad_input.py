"""Bad input, faults and hostile documents: what the user sees, and that nothing is lost or run.

Fatal problems: one line naming the file and the problem, a non-zero status, no traceback.
Recoverable problems: the build goes on and the data-quality notes say what happened.
"""

import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import SEED_DIR

from policybrief import cli
from policybrief.build import pipeline
from policybrief.build.report import build_report
from policybrief.corpus.formats import READERS
from policybrief.errors import BriefingError
from policybrief.options import Options
from policybrief.paths import PROJECT_DIR

KNOWN = ", ".join(READERS)  # the suffixes the corpus reads, as the error lists them

ARTICLE = (
    "The alliance between Seoul and Washington faces its greatest test in decades. Both governments disagree "
    "about cost-sharing and the role of US forces in the region. Analysts expect difficult negotiations.\n"
)


def tables(folder: Path, out: Path, *extra: str) -> tuple[int, list[str], pd.DataFrame | None]:
    result = subprocess.run(
        [sys.executable, "-m", "policybrief", "tables", "--corpus", str(folder), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "POLICYBRIEF_CACHE": str(out / ".c")},
    )
    notes = out / "tables" / "data_quality.csv"
    lines = [line for line in result.stderr.splitlines() if not line.startswith("policybrief:")]
    return (
        result.returncode,
        lines,
        pd.read_csv(notes) if result.returncode == 0 and notes.is_file() else None,
    )


def notes_of(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["file"], frame["problem"], strict=True))


# --- corpus ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "files, message",
    [
        (None, "corpus folder not found"),
        ({}, f"no documents ({KNOWN}) in the corpus folder"),
        (
            {"notes.rtf": "x", "image.png": "x"},
            f"no documents ({KNOWN}) in the corpus folder (found 2 other files: .png, .rtf)",
        ),
        ({"empty.txt": ""}, "none of the 1 document files could be read (skipped: empty file)"),
    ],
)
def test_fatal_corpus_problems_are_one_line(tmp_path, files, message):
    folder = tmp_path / "corpus"
    if files is not None:
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text)
    status, lines, _ = tables(folder, tmp_path / "out")
    assert status == 2
    assert lines == [f"error: {folder}: {message}"]
    assert not (tmp_path / "out" / "tables").exists()


def test_recoverable_corpus_problems_become_notes(corpus_dir, tmp_path):
    text = "Café politics in Seoul: the régime’s naïve critics disagree about the détente. " * 3
    folder = corpus_dir(
        {
            "good.txt": ARTICLE,
            "empty.txt": "",
            "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "latin1.txt": text.replace("’", "'").replace("Seoul", "Busan").encode("latin-1"),
            "cp1252.txt": text.encode("cp1252"),
            "bom.txt": b"\xef\xbb\xbf" + ARTICLE.replace("decades", "years").encode(),
            "windows.txt": ARTICLE.replace("Analysts", "Observers").replace("\n", "\r\n").encode(),
            "copy-of-good.txt": ARTICLE,
            "reports/white-paper.pdf": b"%PDF-1.7\n",
            "README": "notes for the team",
        }
    )
    status, lines, notes = tables(folder, tmp_path / "out")
    assert status == 0 and lines == []
    found = notes_of(notes)
    # a file of another type is listed, never silently left out
    assert (
        "reports/white-paper.pdf",
        "skipped: damaged PDF (data format error): open and save it again, or print it to PDF",
    ) in found
    assert ("README", "skipped: a file of a type the corpus does not read (no extension)") in found
    assert ("empty.txt", "skipped: empty file") in found
    assert ("image.txt", "skipped: not a text file (binary content)") in found
    assert ("latin1.txt", "not UTF-8: read as Windows-1252 (guessed)") in found
    assert ("cp1252.txt", "not UTF-8: read as Windows-1252 (guessed)") in found
    assert ("good.txt", "skipped: same text as copy-of-good.txt (counted once)") in found
    documents = pd.read_csv(tmp_path / "out" / "tables" / "documents.csv")
    assert sorted(documents["file"]) == [
        "bom.txt",
        "copy-of-good.txt",
        "cp1252.txt",
        "latin1.txt",
        "windows.txt",
    ]
    sentences = pd.read_csv(tmp_path / "out" / "tables" / "sentences.csv")
    assert (
        not sentences["text"].str.contains("\r").any() and not sentences["text"].str.contains("\ufeff").any()
    )
    assert sentences["text"].str.contains("Café politics").any()


def test_a_50_megabyte_document_and_a_document_of_one_long_line(corpus_dir, tmp_path):
    """Reading and cleaning stay linear: a 50 MB document and a 1 MB single line load without trouble."""
    from policybrief.corpus.load import load_corpus

    paragraph = ARTICLE.strip()
    big = "\n".join(f"{paragraph} Paragraph {i}." for i in range(50_000_000 // (len(paragraph) + 14)))
    folder = corpus_dir(
        {"big.txt": big, "line.txt": " ".join(f"{paragraph} Point {i}." for i in range(2000))}
    )
    documents = {d.file: d for d in load_corpus(folder, cache_dir=None).documents}
    assert documents["big.txt"].words == documents["big.txt"].words_raw > 7_000_000
    assert len(documents["line.txt"].sentence_spans) == 2000 * 4


# --- metadata ----------------------------------------------------------------------------------


def test_metadata_problems_become_notes(corpus_dir, tmp_path):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    folder = corpus_dir(
        {
            "a.txt": ARTICLE,
            "b.txt": ARTICLE.replace("test", "trial"),
            "c.txt": ARTICLE.replace("role", "place"),
            "d.txt": ARTICLE.replace("region", "world"),
            "e.txt": ARTICLE.replace("Both", "The two"),
            "metadata.csv": "\ufefffile;title;date;desk\n"
            "a.txt;A;2025-13-45;Asia\n"
            "a.txt;A again;2025-01-01;\n"
            f"b.txt;B;{future};\n"
            "c.txt;C;16 Jan 2025;\n"
            "d.txt;D;2025.01.16;\n"
            "../../etc/passwd;x;;\n"
            "/etc/passwd;x;;\n"
            "missing.txt;y;;\n",
        }
    )
    status, lines, notes = tables(folder, tmp_path / "out")
    assert status == 0 and lines == []
    found = notes_of(notes)
    assert ("a.txt", "metadata.csv line 2: date '2025-13-45' is not a valid date: ignored") in found
    assert ("metadata.csv", "line 3: a second row for a.txt: ignored (the first row is used)") in found
    assert ("b.txt", f"date {future} is in the future") in found
    assert (
        "metadata.csv",
        "line 7: path '../../etc/passwd' points outside the corpus folder: row ignored",
    ) in found
    assert (
        "metadata.csv",
        "line 8: path '/etc/passwd' points outside the corpus folder: row ignored",
    ) in found
    assert (
        "metadata.csv",
        "line 9: row for 'missing.txt', which is not in the corpus folder: ignored",
    ) in found
    assert ("e.txt", "no row in metadata.csv: title, date and author taken from the text") in found
    documents = pd.read_csv(tmp_path / "out" / "tables" / "documents.csv", keep_default_na=False).set_index(
        "file"
    )
    assert documents.loc["c.txt", "date"] == documents.loc["d.txt", "date"] == "2025-01-16"
    assert documents.loc["a.txt", "desk"] == "Asia"


def test_metadata_without_a_header_is_fatal(corpus_dir, tmp_path):
    folder = corpus_dir({"a.txt": ARTICLE, "metadata.csv": "a.txt,A,2025-01-01\n"})
    status, lines, _ = tables(folder, tmp_path / "out")
    assert status == 2
    assert lines == [
        f"error: {folder / 'metadata.csv'}: line 1 must be a header naming the columns, with a 'file' "
        "column (found: 'a.txt,A,2025-01-01')"
    ]


# --- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option, text, message",
    [
        ("--themes", "themes:\n  a:\n    label: A\n    terms: [war\n", "not valid YAML"),
        (
            "--themes",
            "themes:\n  a:\n    label: A\n    terms: [war]\n    colour: red\n",
            "line 5: unknown key 'colour' (allowed: label, short, definition, terms",
        ),
        ("--themes", "themes:\n  a:\n    label: A\n    terms: []\n", "line 4: 'terms' must not be empty"),
        ("--themes", "themes:\n  a:\n    label: A\n    terms: ['war(']\n", "theme 'a', term 'war(': "),
        (
            "--themes",
            "themes: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n",
            "not valid YAML",
        ),
        ("--actors", "actors:\n  a: {name: A, type: person\n", "not valid YAML"),
        (
            "--actors",
            "actors: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n",
            "not valid YAML",
        ),
        (
            "--actors",
            "actors:\n  a: {name: A B, type: robot}\n",
            "line 2: 'type' must be one of person, state, organisation",
        ),
    ],
)
def test_broken_lexicons_are_one_line_and_never_build_objects(tmp_path, option, text, message):
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    Path("/tmp/pwned-by-yaml").unlink(missing_ok=True)
    status, lines, _ = tables(SEED_DIR, tmp_path / "out", option, str(path))
    assert status == 2 and len(lines) == 1
    assert lines[0].startswith(f"error: {path}") and message in lines[0]
    assert not Path("/tmp/pwned-by-yaml").exists()


# --- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            ["--start", "2025-06-01", "--end", "2025-01-01"],
            "error: END=2025-01-01 is before START=2025-06-01",
        ),
        (
            ["--start", "2030-01-01"],
            "error: no documents dated between START=2030-01-01 and END=… (5 outside the window)",
        ),
        (["--start", "June"], "error: START='June' is not a date (use YYYY-MM-DD)"),
        (["--colour", "red"], "error: unrecognized arguments: --colour (see policybrief --help)"),
    ],
)
def test_bad_parameters_are_one_line(tmp_path, extra, message):
    status, lines, _ = tables(SEED_DIR, tmp_path / "out", *extra)
    assert status == 2
    assert lines == [message]


# --- hostile content ---------------------------------------------------------------------------

HOSTILE_TITLE = (
    "<script>document.title='PWNED'</script> **bold** [x](http://evil.example) </td></table><h1>broken"
)
HOSTILE_TEXT = (
    "North Korea tested missiles. <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> "
    "Seoul protested the tests. Sanctions were discussed by Washington and Tokyo.\n"
)


def test_hostile_titles_and_text_show_as_text_and_never_run(corpus_dir, tmp_path):
    folder = corpus_dir(
        {
            "hostile.txt": HOSTILE_TEXT + ARTICLE,
            "plain.txt": ARTICLE.replace("test", "trial"),
            "metadata.csv": "file,title,date,url\n"
            f'hostile.txt,"{HOSTILE_TITLE}",2025-02-01,"javascript:document.title=\'PWNED\'"\n'
            "plain.txt,Plain,2025-03-01,\n",
        }
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "policybrief", "build", "--corpus", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    page = (out / "briefing.html").read_text(encoding="utf-8")
    # the page's own scripts (the Vega bundle, the briefing's script) and JSON data, escaped: no other script,
    # and the payloads are text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert len([body for attributes, body in scripts if "application/json" not in attributes]) == 2
    assert all("<" not in body for attributes, body in scripts if "application/json" in attributes)
    html = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "<script" not in html.replace('<script type="application/json"', "").replace(
        '<script class="chart-spec" type="application/json"', ""
    ).replace('<script id="evidence-data" type="application/json"', "")
    assert "<img" not in html
    assert "&lt;script&gt;document.title=" in html and "&lt;img src=x onerror=" in html
    assert "**bold** [x](http://evil.example)" in html and "<h1>broken" not in html
    assert 'href="javascript:' not in html
    dom = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            (out / "briefing.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert "<title>US Policy toward the Korean Peninsula: Corpus Briefing</title>" in dom
    assert "data-pwned" not in dom.replace("setAttribute('data-pwned'", "").replace(
        "setAttribute(&#39;data-pwned&#39;", ""
    )
    assert "PWNED</title>" not in dom


# --- faults ------------------------------------------------------------------------------------


@pytest.fixture
def previous_briefing(tmp_path):
    """An output folder holding a previous briefing, and a function telling whether it is intact."""
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    for name in ("briefing.html", "briefing.pdf", "tables/documents.csv"):
        (out / name).write_text(f"previous {name}")

    def intact() -> bool:
        return all(
            (out / n).read_text() == f"previous {n}"
            for n in ("briefing.html", "briefing.pdf", "tables/documents.csv")
        ) and not list(out.glob(".build-*"))

    return out, intact


def quick_notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
        cells=[
            nbformat.v4.new_markdown_cell("# Quick"),
            nbformat.v4.new_code_cell("corpus = out = start = end = None", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("1 + 1"),
        ],
    )
    nbformat.write(notebook, folder / "00_quick.ipynb")
    return folder


def test_a_failing_pdf_step_keeps_the_previous_briefing(tmp_path, previous_briefing, monkeypatch, capsys):
    out, intact = previous_briefing
    monkeypatch.setenv("CHROMIUM", "/bin/false")
    options = Options(corpus=SEED_DIR, out=out)
    with pytest.raises(BriefingError, match="PDF step failed: Chromium exited with status 1"):
        build_report(options, notebooks=quick_notebooks(tmp_path))
    assert intact()


def test_a_full_disk_is_one_line_and_keeps_the_previous_briefing(previous_briefing, monkeypatch, capsys):
    out, intact = previous_briefing

    def full_disk(tables, folder, options):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "documents.csv"))

    monkeypatch.setattr(pipeline, "write_tables", full_disk)
    status = cli.main(["build", "--corpus", str(SEED_DIR), "--out", str(out)])
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("policybrief:")]
    assert status == 1 and len(lines) == 1
    assert (
        "No space left on device" in lines[0] and "documents.csv" in lines[0] and "Traceback" not in lines[0]
    )
    assert intact()


def test_ctrl_c_stops_the_build_and_keeps_the_previous_briefing(previous_briefing):
    out, intact = previous_briefing
    # A shell starts background jobs with Ctrl-C ignored, and Python keeps it ignored: give the build the
    # default, as a terminal would, or the test fails whenever the suite itself runs in the background.
    process = subprocess.Popen(
        [sys.executable, "-m", "policybrief", "build", "--corpus", str(SEED_DIR), "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_DIR,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 120
    for line in process.stderr:
        if "notebooks," in line or time.time() > deadline:
            break
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    rest = process.communicate(timeout=120)[1]
    assert process.returncode == 130
    assert (
        rest.strip().splitlines()[-1] == "error: interrupted; the previous briefing and tables are unchanged"
    ), rest
    assert intact()


def test_the_corpus_folder_is_never_modified(corpus_dir, tmp_path):
    folder = corpus_dir(
        {"a.txt": ARTICLE, "b.md": "# Title\n\n" + ARTICLE, "metadata.csv": "file,date\na.txt,2025-01-01\n"}
    )

    def tree() -> dict:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            + str(p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))
        }

    before = tree()
    status, _, _ = tables(folder, tmp_path / "out")
    assert status == 0 and tree() == before
    shutil.rmtree(tmp_path / "out")
