"""Building the briefing: tables, executed notebooks, one merged HTML, one PDF.

Everything is built in a temporary folder inside the output folder and moved into place only
when every step has succeeded, so a failed build never touches the last good briefing.
"""

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from policybrief import DEFAULT_TITLE, __version__
from policybrief.config import PROJECT_DIR
from policybrief.corpus import Corpus, load_corpus
from policybrief.dates import parse_date
from policybrief.errors import BriefingError
from policybrief.overview import long_date, summary
from policybrief.scan import forget, scan
from policybrief.workers import process_pool
from policybrief.tables import corpus_tables, replace_folder, write_tables
from policybrief import actors, briefing, compare, themes

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
_EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import)""", re.I)
_DROPPED_TAGS = {"parameters", "injected-parameters", "remove"}
APPENDICES = [("appendix-method", "Appendix A. Method and data"), ("appendix-sources", "Appendix B. Sources"),
              ("appendix-provenance", "Appendix C. Provenance")]


@dataclass
class BuildOptions:
    corpus: Path
    out: Path
    start: str | None = None
    end: str | None = None
    title: str = DEFAULT_TITLE
    stamp: str | None = None  # fixed build stamp for reproducible builds; default: now, in UTC
    paper: str = "A4"
    notebooks: Path = NOTEBOOKS_DIR
    themes_path: Path = themes.DEFAULT_THEMES_PATH
    actors_path: Path = actors.DEFAULT_ACTORS_PATH
    build_key: str | None = None  # digest of every input (policybrief.freshness): a rebuild with the same key is skipped


_STARTED = time.monotonic()


def say(message: str) -> None:
    """Progress on stderr, with the seconds since the build started."""
    print(f"policybrief: {message} [{time.monotonic() - _STARTED:.0f} s]", file=sys.stderr, flush=True)


def progress(verb: str):
    """A progress callback that reports every tenth of a long step."""
    reported = set()

    def report(done: int, total: int) -> None:
        tenth = 10 * done // total if total else 10
        if total >= 200 and tenth and tenth not in reported:
            reported.add(tenth)
            say(f"  {verb} {done:,}/{total:,} documents")
    return report


def load(options: BuildOptions) -> Corpus:
    say(f"loading corpus {options.corpus}")
    corpus = load_corpus(options.corpus, options.start, options.end, progress=progress("cleaned"))
    say(f"  {len(corpus.documents)} documents ({corpus.cached} from cache, {corpus.built} cleaned now), "
        f"{len(corpus.notes)} data-quality notes")
    return corpus


@dataclass
class Analyses:
    themes: "themes.ThemeAnalysis"
    actors: "actors.ActorAnalysis"
    comparison: "compare.Comparison"
    findings: list


def run_analyses(corpus: Corpus, options: BuildOptions) -> Analyses:
    """Every analysis with its default options, as the notebooks run them; lexicon errors stop here."""
    theme_lexicon, actor_list = themes.load_themes(options.themes_path), actors.load_actors(options.actors_path)
    say("scanning documents for themes, actors and terms")
    measured_parts = [themes.scan_part(theme_lexicon), actors.scan_part(actor_list)]
    scan(corpus, [*measured_parts, compare.scan_part()], progress=progress("scanned"))
    say("measuring themes and actors")
    theme_analysis = themes.analyse(corpus, theme_lexicon)
    actor_analysis = actors.analyse(corpus, actor_list, theme_analysis)
    forget(measured_parts)
    say("comparing documents")
    comparison = compare.analyse(corpus, theme_analysis, actor_analysis)
    forget()
    say("choosing key findings")
    return Analyses(theme_analysis, actor_analysis, comparison,
                    briefing.key_findings(corpus, theme_analysis, actor_analysis, comparison))


def all_tables(corpus: Corpus, analyses: Analyses) -> dict:
    """Every CSV table."""
    return {**corpus_tables(corpus), **themes.tables(analyses.themes), **actors.tables(analyses.actors),
            **compare.tables(analyses.comparison), "key_findings.csv": briefing.findings_table(analyses.findings)}


def build_tables_only(options: BuildOptions) -> None:
    corpus = load(options)
    options.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tables-", dir=options.out))
    try:
        analyses = run_analyses(corpus, options)
        say("writing tables")
        write_tables(all_tables(corpus, analyses), work)
        replace_folder(work, options.out / "tables")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"tables written to {options.out / 'tables'}")


def notebook_paths(folder: Path) -> list[Path]:
    paths = sorted(p for p in folder.glob("[0-9]*.ipynb"))
    if not paths:
        raise BriefingError(f"{folder}: no notebooks (expected files like 00_corpus.ipynb)")
    return paths


def _execute_notebook(path: Path, output: Path, build_parameters: dict) -> str | None:
    """Run one notebook with the build's parameters it declares; the error as one line, or None."""
    import papermill  # notebook machinery is imported only when a briefing is built, not for `make tables`

    declared = papermill.inspect_notebook(str(path))
    parameters = {name: value for name, value in build_parameters.items() if name in declared}
    try:
        papermill.execute_notebook(
            str(path), str(output), parameters=parameters, kernel_name="python3",
            language="python", cwd=str(path.parent), progress_bar=False, log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except papermill.PapermillExecutionError as exc:
        detail = exc.evalue.strip().splitlines()[-1] if exc.evalue.strip() else exc.ename
        return f"notebook {path.name} failed in {_failed_cell(output)}: {exc.ename}: {detail}"
    except Exception as exc:  # kernel died, bad notebook JSON, missing kernel
        return f"notebook {path.name} could not be run: {type(exc).__name__}: {exc}"
    return None


def run_notebooks(options: BuildOptions, target: Path) -> list:
    """Execute the notebooks, several at once on a multi-core machine (each is independent and reads the
    cached analyses); a failure names the notebook and cell."""
    import nbformat
    from concurrent.futures import as_completed

    target.mkdir(parents=True, exist_ok=True)
    build_parameters = {
        "corpus": str(options.corpus.resolve()),
        "out": str(options.out.resolve()),
        "start": options.start or None,
        "end": options.end or None,
        "themes_file": str(Path(options.themes_path).resolve()),
        "actors_file": str(Path(options.actors_path).resolve()),
    }
    paths = notebook_paths(options.notebooks)
    at_once = max(1, min(len(paths), os.cpu_count() or 1))
    say(f"running {len(paths)} notebooks, {at_once} at a time")
    errors = {}
    with process_pool(at_once) as pool:
        running = {pool.submit(_execute_notebook, path, target / path.name, build_parameters): path for path in paths}
        for done, future in enumerate(as_completed(running), start=1):
            path = running[future]
            error = future.result()
            if error:
                errors[path] = error
            say(f"  [{done}/{len(paths)}] {path.name} {'failed' if error else 'done'}")
    if errors:
        raise BriefingError(errors[min(errors)])
    return [(path, nbformat.read(target / path.name, as_version=4)) for path in paths]


def _failed_cell(executed_path: Path) -> str:
    """Where a notebook failed, counted as in the notebook the user wrote (papermill's injected cell skipped)."""
    import nbformat
    notebook = nbformat.read(executed_path, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]
    for number, cell in enumerate(code_cells, start=1):
        if any(o.output_type == "error" for o in cell.get("outputs", [])):
            first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            return f"code cell {number} ({first_line[:60]!r})"
    return "a code cell"


def _section_title(notebook, path: Path) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            if first.startswith("# "):
                return first[2:].strip()
    return path.stem.split("_", 1)[-1].replace("_", " ").capitalize()


def cover_html(corpus: Corpus, options: BuildOptions, sections: list[str], stamp: str) -> str:
    s = summary(corpus)
    span = f"{long_date(s['first_date'])} – {long_date(s['last_date'])}" if s["first_date"] else "no dated documents"
    window = " – ".join(x or "…" for x in (options.start, options.end)) if (options.start or options.end) else "all dates"
    facts = [
        ("Documents", f"{s['documents']:,}" + (f" ({s['undated']} undated)" if s["undated"] else "")),
        ("Sources", f"{s['sources']:,}"),
        ("Words (after cleaning)", f"{s['words']:,}"),
        ("Published", span),
        ("Date window", window),
        ("Corpus folder", options.corpus.name or str(options.corpus)),
    ]
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in facts)
    numbered = "".join(f'<li><a href="#section-{i}">{i}. {html.escape(t)}</a></li>' for i, t in enumerate(sections, 1))
    appendices = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in APPENDICES)
    contents = f'<li><a href="#key-findings">Key findings</a></li>{numbered}{appendices}'
    return (
        '<section class="cover"><p class="kicker">Corpus briefing</p>'
        f'<h1 class="cover-title" id="cover">{html.escape(options.title)}</h1>'
        f'<table class="cover-facts">{rows}</table>'
        f'<p class="stamp">Built {html.escape(stamp)} · policybrief {__version__}</p></section>'
        f'<nav class="contents"><h2>Contents</h2><ul>{contents}</ul></nav>'
    )


def merge(executed: list, corpus: Corpus, options: BuildOptions, stamp: str, front: list[str], back: list[str]):
    """One notebook: cover and contents, ``front`` (key findings), each notebook as a numbered section with
    its code dropped, then ``back`` (appendices).

    Cells get fixed ids, because nbconvert writes them into the HTML.
    """
    import nbformat

    titles = [_section_title(nb, path) for path, nb in executed]
    cells = [nbformat.v4.new_markdown_cell(cover_html(corpus, options, titles, stamp))]
    cells += [nbformat.v4.new_markdown_cell(part) for part in front]
    for number, ((path, notebook), title) in enumerate(zip(executed, titles), start=1):
        cells.append(nbformat.v4.new_markdown_cell(f'<h1 class="section-title" id="section-{number}">{number}. {html.escape(title)}</h1>'))
        title_dropped = False
        for cell in notebook.cells:
            if _DROPPED_TAGS & set(cell.metadata.get("tags", [])):
                continue
            if cell.cell_type == "markdown":
                if not title_dropped and cell.source.lstrip().startswith("# "):
                    title_dropped = True
                    rest = cell.source.lstrip().split("\n", 1)[1] if "\n" in cell.source.strip() else ""
                    if rest.strip():
                        cells.append(nbformat.v4.new_markdown_cell(rest.strip()))
                    continue
                cells.append(nbformat.v4.new_markdown_cell(cell.source))
            elif cell.cell_type == "code":
                outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
                if outputs:
                    new = nbformat.v4.new_code_cell("", outputs=outputs)
                    cells.append(new)
    cells += [nbformat.v4.new_markdown_cell(part) for part in back]
    merged = nbformat.v4.new_notebook(cells=cells, metadata={
        "title": options.title,
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    for index, cell in enumerate(merged.cells):
        cell.id = f"cell-{index:04d}"
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = None
                output.metadata = {}
    return merged


def export_html(notebook, paper: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="briefing",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"briefing": {"paper": paper}})
    external = _EXTERNAL.search(body)
    if external:
        context = body[max(0, external.start() - 40): external.end() + 40].replace("\n", " ")
        raise BriefingError(f"briefing.html would load something from the network: …{context}…")
    return body


def find_chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    raise BriefingError("no headless Chromium found for the PDF: run `make setup` or `sudo apt-get install chromium`")


def chromium_version() -> str:
    try:
        result = subprocess.run([find_chromium(), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "unknown"


def print_pdf(html_path: Path, pdf_path: Path, stamp_date: dt.datetime, title: str) -> None:
    """Print the HTML to PDF with headless Chromium, then fix its dates so rebuilds compare equal."""
    from pypdf import PdfReader, PdfWriter

    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [
            find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri(),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise BriefingError("PDF step failed: Chromium did not finish within 5 minutes") from None
    if result.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BriefingError(f"PDF step failed: Chromium exited with status {result.returncode}: {last}")
    writer = PdfWriter(clone_from=PdfReader(pdf_path))
    pdf_date = stamp_date.strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/CreationDate": pdf_date, "/ModDate": pdf_date, "/Title": title})
    with open(pdf_path, "wb") as handle:
        writer.write(handle)


def _pdf_time(stamp: str | None, now: dt.datetime) -> dt.datetime:
    """The PDF's creation date: the build time, or the fixed stamp's date so that rebuilds compare equal."""
    if not stamp:
        return now
    parsed = parse_date(stamp[:10])
    return dt.datetime.combine(parsed.sort_key, dt.time()) if parsed else dt.datetime(2000, 1, 1)


def build_report(options: BuildOptions) -> None:
    paper = PAPER_SIZES.get(options.paper.lower())
    if paper is None:
        raise BriefingError(f"PAPER={options.paper!r} is not supported (use A4 or Letter)")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamp = options.stamp or now.strftime("%Y-%m-%d %H:%M UTC")
    corpus = load(options)
    options.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=options.out))
    try:
        analyses = run_analyses(corpus, options)
        say("writing tables")
        write_tables(all_tables(corpus, analyses), work / "tables")
        record = briefing.manifest(corpus, options, chromium_version())
        if options.build_key:
            record["build_key"] = options.build_key
        (work / "manifest.json").write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
        executed = run_notebooks(options, work / "notebooks")
        say("assembling briefing.html")
        front = [briefing.findings_html(analyses.findings)]
        back = [briefing.method_html(corpus, analyses.themes, analyses.actors), briefing.sources_html(corpus),
                briefing.provenance_html(record)]
        merged = merge(executed, corpus, options, stamp, front, back)
        (work / "briefing.html").write_text(export_html(merged, paper), encoding="utf-8")
        say("printing briefing.pdf")
        print_pdf(work / "briefing.html", work / "briefing.pdf", _pdf_time(options.stamp, now), options.title)
        replace_folder(work / "tables", options.out / "tables")
        replace_folder(work / "notebooks", options.out / "notebooks")
        for name in ("manifest.json", "briefing.html", "briefing.pdf"):
            os.replace(work / name, options.out / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"briefing written: {options.out / 'briefing.html'} and {options.out / 'briefing.pdf'}")
