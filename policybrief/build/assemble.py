"""Assembling the briefing: cover and contents, the executed notebooks as numbered sections with their code
dropped, front and back matter, all merged into one notebook and converted once to self-contained HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from policybrief import __version__
from policybrief.analyses.overview import summary
from policybrief.corpus.model import Corpus
from policybrief.errors import BriefingError
from policybrief.options import Options
from policybrief.paths import TEMPLATES_DIR
from policybrief.text.dates import long_date

_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import)""",
    re.I,
)
_DROPPED_TAGS = {"parameters", "injected-parameters", "remove"}
APPENDICES = [
    ("appendix-method", "Appendix A. Method and data"),
    ("appendix-sources", "Appendix B. Sources"),
    ("appendix-provenance", "Appendix C. Provenance"),
]
# The class of the contents' page numbers, left empty in the HTML; the PDF step fills them in (export.py).
TOC_PAGE = "toc-page"


def _css_string(text: str) -> str:
    """``text`` as a CSS string that is safe inside a <style> element: every character but letters, digits and
    spaces as a six-digit CSS escape (the space after it ends it and is dropped), so that a title with quotes,
    backslashes or "</style>" cannot break out."""
    escaped = "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):06x} " for c in text)
    return f'"{escaped}"'


def page_styles(title: str, sections: list[tuple[str, str]]) -> str:
    """The PDF's running header, "Title · section", one named page per chapter (CSS ``page``; each chapter's
    cells carry the tag ``page-<name>``, see ``merge``). The cover has none."""
    pages = [("front", "Summary and key findings"), *sections, *APPENDICES]
    rules = "".join(
        f".jp-Cell:has(.celltag_page-{name}), .celltag_page-{name} {{ page: {name}; }}"
        f"@page {name} {{ @top-left {{ content: {_css_string(f'{title} · {label}')}; }} }}"
        for name, label in pages
    )
    return f'<style class="page-styles">{rules}</style>'


def _section_title(notebook, path: Path) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            if first.startswith("# "):
                return first[2:].strip()
    return path.stem.split("_", 1)[-1].replace("_", " ").capitalize()


def cover_html(corpus: Corpus, options: Options, sections: list[str], stamp: str) -> str:
    s = summary(corpus)
    span = (
        f"{long_date(s['first_date'], s['first_precision'])} – "
        f"{long_date(s['last_date'], s['last_precision'])}"
        if s["first_date"]
        else "no dated documents"
    )
    window = (
        " – ".join(x or "…" for x in (options.start, options.end))
        if (options.start or options.end)
        else "all dates"
    )
    facts = [
        ("Documents", f"{s['documents']:,}" + (f" ({s['undated']} undated)" if s["undated"] else "")),
        ("Sources", f"{s['sources']:,}"),
        ("Words (after cleaning)", f"{s['words']:,}"),
        ("Published", span),
        ("Date window", window),
        ("Corpus folder", options.corpus.name or str(options.corpus)),
    ]
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in facts)
    entries = [
        ("summary", "Summary"),
        ("key-findings", "Key findings"),
        *((f"section-{i}", f"{i}. {t}") for i, t in enumerate(sections, 1)),
        *APPENDICES,
    ]
    contents = "".join(
        f'<li><a href="#{anchor}"><span class="toc-title">{html.escape(title)}</span>'
        f'<span class="{TOC_PAGE}" data-anchor="{anchor}"></span></a></li>'
        for anchor, title in entries
    )
    # the search over the evidence is the HTML's own: no entry in the PDF's contents
    contents += (
        f'<li class="{SCREEN_ONLY}"><a href="#read-the-evidence">'
        '<span class="toc-title">Read the evidence</span></a></li>'
    )
    return (
        page_styles(options.title, [(f"section-{i}", f"{i}. {t}") for i, t in enumerate(sections, 1)])
        + '<section class="cover"><p class="kicker">Corpus briefing</p>'
        f'<h1 class="cover-title" id="cover">{html.escape(options.title)}</h1>'
        + (f'<p class="cover-subtitle">{html.escape(options.subtitle)}</p>' if options.subtitle else "")
        + f'<table class="cover-facts">{rows}</table>'
        f'<p class="stamp">Built {html.escape(stamp)} · policybrief {__version__}</p></section>'
        f'<nav class="contents"><h2>Contents</h2><ul>{contents}</ul></nav>'
    )


# The notebook cell tag of what the HTML shows and the PDF leaves out (method notes, diagnostic tables): the
# PDF is the brief, the HTML the full record.
SCREEN_ONLY = "screen-only"


def merge(executed: list, corpus: Corpus, options: Options, stamp: str, front: list[str], back: list[str]):
    """One notebook: cover and contents, ``front`` (key findings), each notebook as a numbered section with
    its code dropped, then ``back`` (appendices).

    Cells get fixed ids, because nbconvert writes them into the HTML.
    """
    import nbformat

    titles = [_section_title(nb, path) for path, nb in executed]
    cells = [nbformat.v4.new_markdown_cell(cover_html(corpus, options, titles, stamp))]
    front_page = {"tags": ["page-front"]}
    cells += [nbformat.v4.new_markdown_cell(part, metadata=front_page) for part in front]
    for number, ((_, notebook), title) in enumerate(zip(executed, titles, strict=True), start=1):
        page = f"page-section-{number}"  # the chapter's named page: its running header
        cells.append(
            nbformat.v4.new_markdown_cell(
                f'<h1 class="section-title" id="section-{number}">{number}. {html.escape(title)}</h1>',
                metadata={"tags": [page]},
            )
        )
        title_dropped = False
        for cell in notebook.cells:
            if _DROPPED_TAGS & set(cell.metadata.get("tags", [])):
                continue
            # a SCREEN_ONLY cell stays in the HTML and is left out of the PDF (the class its tag becomes)
            kept = {"tags": [page, SCREEN_ONLY] if SCREEN_ONLY in cell.metadata.get("tags", []) else [page]}
            if cell.cell_type == "markdown":
                if not title_dropped and cell.source.lstrip().startswith("# "):
                    title_dropped = True
                    rest = cell.source.lstrip().split("\n", 1)[1] if "\n" in cell.source.strip() else ""
                    if rest.strip():
                        cells.append(nbformat.v4.new_markdown_cell(rest.strip(), metadata={"tags": [page]}))
                    continue
                cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=kept))
            elif cell.cell_type == "code":
                outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
                if outputs:
                    cells.append(nbformat.v4.new_code_cell("", outputs=outputs, metadata=kept))
    # the back matter is the appendices, in the order of APPENDICES
    names = [f"page-{anchor}" for anchor, _ in APPENDICES] if len(back) == len(APPENDICES) else []
    cells += [
        nbformat.v4.new_markdown_cell(part, metadata={"tags": names[i : i + 1]})
        for i, part in enumerate(back)
    ]
    merged = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "title": options.title,
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    for index, cell in enumerate(merged.cells):
        cell.id = f"cell-{index:04d}"
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = None
                output.metadata = {}
    return merged


def page_text(notebook) -> str:
    """The HTML the cells of ``notebook`` put in the page (markdown and HTML outputs), to find what its
    numbers link to."""
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(str(output.get("data", {}).get("text/html", "")))
    return "\n".join(parts)


# What the page's script calls: vegaEmbed.
_VEGA_GLOBALS = "window.vegaEmbed = vegaEmbed;"


def export_html(notebook, paper: str, evidence: str = "") -> str:
    """The page; ``evidence`` is the blob its numbers open (``views.evidence``). The Vega bundle of the
    installed vl-convert is inlined once, for the charts on screen."""
    import vl_convert
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="briefing",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    vega = vl_convert.javascript_bundle(_VEGA_GLOBALS)
    resources = {"briefing": {"paper": paper, "evidence": evidence, "vega": vega}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    # the bundle's code names URLs it never loads here (it is given every spec and renders to SVG); the
    # browser test checks that the page makes no request
    external = _EXTERNAL.search(body.replace(vega, ""))
    if external:
        context = body[max(0, external.start() - 40) : external.end() + 40].replace("\n", " ")
        raise BriefingError(f"briefing.html would load something from the network: …{context}…")
    return body
