"""How analyses appear in the briefing: numbered figures and tables with captions, as HTML.

Everything that comes from a document is escaped here. Charts are rendered to SVG by vl-convert
in the kernel (vector in HTML and PDF, no JavaScript, no CDN) with the DejaVu Sans font, which is
also the font the PDF uses, so chart labels are measured and drawn with the same glyphs.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import numbers
import re
from typing import Any, cast

import altair as alt
import pandas as pd
import vl_convert

from policybrief.analyses.schemas import schema_of
from policybrief.corpus.model import Corpus, Document
from policybrief.views.screen import ev_link, interactive, linked, script_json, title_of

# What the notebooks call: the declared API of this module.
__all__ = [
    "HTML",
    "briefing_theme",
    "chart_html",
    "chart_svg",
    "documents_shown",
    "esc",
    "figure",
    "marked",
    "matrix",
    "paragraph",
    "period_axis",
    "quotes",
    "shown_note",
    "table",
    "table_html",
]

# A chart or list with one entry per document shows at most this many; the CSV tables have them all.
DOCUMENTS_SHOWN = 30


def documents_shown(corpus: Corpus, score: dict[str, float], limit: int = DOCUMENTS_SHOWN) -> list[Document]:
    """The documents a per-document chart shows, in date order: all of them, or the ``limit`` with the highest
    ``score`` (ties by document id) when there are more."""
    docs = corpus.documents
    if len(docs) > limit:
        docs = sorted(docs, key=lambda d: (-score.get(d.doc_id, 0.0), d.doc_id))[:limit]
    return sorted(docs, key=lambda d: (d.date or "9999", d.doc_id))


def shown_note(corpus: Corpus, what: str, limit: int = DOCUMENTS_SHOWN) -> str:
    """The caption's sentence saying which documents a per-document chart leaves out."""
    n = len(corpus.documents)
    return f" Showing the {limit} of {n:,} documents with the most {what}." if n > limit else ""


def HTML(data: str):  # noqa: N802 - the IPython name, imported when a notebook displays something
    from IPython.display import HTML as IPythonHTML

    return IPythonHTML(data)


FONT = "DejaVu Sans"


# Values such as dates ("2025-01-16") that must not wrap inside a table cell.
_SHORT_CODE = r"\d{4}(?:-\d\d){0,2}|undated|—"


PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a50021", "#595959"]


def briefing_theme() -> dict:
    """Altair theme: legible in print and in greyscale (dark, distinct hues; no light fills)."""
    text = {"font": FONT, "labelFont": FONT, "titleFont": FONT}
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 260},
            "title": {"font": FONT, "fontSize": 14, "anchor": "start", "fontWeight": "bold"},
            "axis": {
                **text,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelLimit": 360,
                "gridColor": "#e0e0e0",
            },
            "legend": {**text, "labelFontSize": 11, "titleFontSize": 12, "labelLimit": 320},
            "header": {**text, "labelFontSize": 11, "titleFontSize": 12},
            "range": {"category": PALETTE},
            "text": {"font": FONT, "fontSize": 11},
        }
    }


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_SVG_ID_REF = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _scope_ids(svg: str) -> str:
    """Prefix the SVG's ids (gradients, clip paths) so that charts inlined in one page never share one.

    Browsers resolve a repeated id to its first definition, so without this a chart's legend or clipping
    would silently come from another chart. The prefix is a hash of the SVG: deterministic.
    """
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:10] + "-"
    return _SVG_ID_REF.sub(
        lambda m: m.group(1) + prefix + m.group(2) if m.group(2) in ids else m.group(0), svg
    )


_MARK_WITH_LABEL = re.compile(
    r'(<(?:path|text|g)\b[^>]*?aria-label="([^"]*)"[^>]*?'
    r'aria-roledescription="(?:rect mark|bar|circle|point|rule mark|text mark|symbol mark)"[^>]*>)'
)


def _tooltips(svg: str) -> str:
    """Give each data mark a <title> (its data, as Vega describes it): a tooltip on hover, offline, no
    script."""
    return _MARK_WITH_LABEL.sub(lambda m: f"{m.group(1)}<title>{m.group(2)}</title>", svg)


def _with_theme(spec: dict, theme: dict) -> dict:
    """``theme`` under ``spec``: the chart's own settings win, as with an Altair theme (applied per chart
    here, not registered globally, so that rendering has no hidden state)."""
    merged = dict(theme)
    for key, value in spec.items():
        merged[key] = (
            _with_theme(value, merged[key])
            if isinstance(value, dict) and isinstance(merged.get(key), dict)
            else value
        )
    return merged


def _spec(chart: alt.TopLevelMixin) -> dict:
    return _with_theme(chart.to_dict(validate=True), briefing_theme())


def _svg(spec: dict) -> str:
    return _scope_ids(_tooltips(vl_convert.vegalite_to_svg(json.dumps(spec))))


# The printed page is 180 mm wide, 680 CSS px: a wider chart is shrunk to fit, and its text with it. A
# chart's plotting area keeps within PLOT_WIDTH so that, with its labels and legend, it is printed at full
# size and its smallest text (10 px) at 7.5 pt.
PLOT_WIDTH = 400
MATRIX_ROW = 18  # px: a row holds its 10 px number
MATRIX_ROW_MANY = 14  # px, above MATRIX_MANY rows
MATRIX_MANY = 12
# Above this many rows (30 documents, say) rows are 10 px with 10 px labels and show the shade alone, the
# legend standing at the side: so that the grid and a section's opening fit one page. The numbers are in the
# table the caption names.
MATRIX_CROWDED = 20
MATRIX_ROW_CROWDED = 10
# DejaVu Sans digits are 0.62 em wide: at 10 px, a number of k characters needs 6.2 k px and a margin.
_DIGIT_WIDTH = 6.2


def _number_width(values: pd.Series, number_format: str) -> float:
    """The width the widest printed number of ``values`` needs in a cell, in px."""
    shown = values.dropna()
    if number_format.endswith("f"):
        digits = int(number_format.strip(".f") or 0)
        widest = max((len(f"{v:.{digits}f}") for v in shown), default=1)
    else:
        widest = max((len(f"{v:g}") for v in shown), default=1)
    return _DIGIT_WIDTH * widest + 6


def chart_svg(chart: alt.TopLevelMixin) -> str:
    return _svg(_spec(chart))


def chart_html(chart: alt.TopLevelMixin, caption: str) -> str:
    """A chart as the briefing shows it: the static SVG (print, and the page without script), the spec that
    the page's script renders live on screen, and a text alternative saying what it shows."""
    spec = _spec(chart)
    title = title_of(spec)
    alt_text = f"Chart: {title}. {caption}" if title else f"Chart: {caption}"
    return (
        f'<div class="chart-static" role="img" aria-label="{esc(alt_text)}">{_svg(spec)}</div>'
        f'<div class="chart-live" role="group" aria-label="{esc(alt_text)}"></div>'
        '<script type="application/json" class="chart-spec">'
        f"{script_json(interactive(spec, alt_text))}</script>"
    )


# Where a shaded cell's number turns from black to white, as a share of its scale: where the shade's luminance
# crosses 0.18, so that the number has at least 4.5:1 contrast either side (WCAG AA for small text; computed
# from the schemes' colour ramps in Vega).
WHITE_TEXT_FROM = {"blues": 0.74, "greys": 0.6}


def matrix(
    frame: pd.DataFrame,
    x: str,
    y: str,
    shade: str,
    number: str,
    x_order: list[str],
    y_order: list[str],
    title: str,
    legend: str,
    scheme: str = "blues",
    tooltip: list | None = None,
    cell: tuple[int, int] = (64, MATRIX_ROW),
    label_angle: int = -35,
    hide_zero: bool = False,
    number_format: str = "",
):
    """A grid of cells: shade from one column, a number printed in each cell (white on dark cells).

    Sized for the printed page: a long list (documents) belongs on ``y``, where labels are written flat;
    columns narrow to fit PLOT_WIDTH, and a cell too narrow for its number shows only the shade. The legend
    lies flat above the grid, where it costs height instead of width, except on a crowded grid.
    """
    crowded = len(y_order) > MATRIX_CROWDED
    # a crowded grid's legend at the side takes 100 px of the plotting width
    width = max(12, min(cell[0], (PLOT_WIDTH - 100 * crowded) // max(1, len(x_order))))
    height = (
        MATRIX_ROW_CROWDED
        if crowded
        else cell[1]
        if len(y_order) <= MATRIX_MANY
        else min(cell[1], MATRIX_ROW_MANY)
    )
    legend_box = (
        alt.Legend(gradientLength=120, titleLimit=300)
        if crowded
        else alt.Legend(orient="top", direction="horizontal", gradientLength=120, titleLimit=300)
    )
    high = float(frame[shade].max()) if len(frame) and frame[shade].notna().any() else 1.0
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:N", sort=x_order, title=None, axis=alt.Axis(labelAngle=label_angle, labelLimit=300)),
        y=alt.Y(
            f"{y}:N",
            sort=y_order,
            title=None,
            axis=alt.Axis(labelLimit=300, labelFontSize=10 if crowded else 12),
        ),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            f"{shade}:Q",
            title=legend,
            scale=alt.Scale(scheme=cast(Any, scheme), domainMin=0),  # a Vega scheme name, e.g. "blues"
            legend=legend_box,
        ),
        tooltip=tooltip or [x, y, number],
    )
    if crowded or width < _number_width(frame[number], number_format):
        # shade only: a title's "(number = …; shade = …)" loses its first part
        shade_only = re.sub(r"\(number = [^;)]*; ", "(", title)
        return cells.properties(width=width * len(x_order), height=height * len(y_order), title=shade_only)
    numbers = base.transform_filter(f"datum['{number}'] > 0") if hide_zero else base
    text = numbers.mark_text(fontSize=10).encode(
        text=alt.Text(f"{number}:Q", format=number_format),
        color=alt.condition(
            f"datum['{shade}'] > {high * WHITE_TEXT_FROM[scheme]}", alt.value("white"), alt.value("black")
        ),
    )
    return (cells + text).properties(width=width * len(x_order), height=height * len(y_order), title=title)


def period_axis(periods: list[str], cell: float, title: str | None = None, font_size: int = 10) -> alt.Axis:
    """An axis of even time bins ``cell`` px wide: every k-th period labelled, flat, so that labels neither
    overlap nor need turning however many bins there are (empty bins keep their place)."""
    widest = max((len(p) for p in periods), default=0) * font_size * 0.62 + 8  # DejaVu Sans digits: 0.62 em
    step = max(1, math.ceil(widest / max(cell, 1.0)))
    return alt.Axis(values=periods[::step], labelAngle=0, labelFontSize=font_size, title=title)


def figure(chart, caption: str):
    """A chart with its caption; the figure number comes from the briefing's CSS counter."""
    return HTML(
        f'<figure class="briefing-figure">{chart_html(chart, caption)}<figcaption>{esc(caption)}</figcaption>'
        "</figure>"
    )


def _format(value, numeric: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if numeric and isinstance(value, numbers.Integral):
        return f"{value:,}"
    if numeric and isinstance(value, numbers.Real):
        return f"{value:,.2f}"
    return esc(value)


def table_html(frame: pd.DataFrame, links: dict[str, str] | None = None) -> str:
    """The frame as an HTML table, every value escaped, numbers right-aligned with separators; each column of
    ``links`` (shown column -> column of evidence keys, not shown) links its numbers to their evidence."""
    links = links or {}
    keys = {column: frame[key].tolist() for column, key in links.items()}
    frame = frame.drop(columns=list(set(links.values())))
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    classes = [
        "num" if n else "txt nowrap" if frame[c].astype(str).str.fullmatch(_SHORT_CODE).all() else "txt"
        for c, n in zip(frame.columns, numeric, strict=True)
    ]
    head = "".join(
        f'<th class="{"num" if n else "txt"}">{esc(c)}</th>'
        for c, n in zip(frame.columns, numeric, strict=True)
    )

    def cell(value, is_number: bool, column: str, row: int) -> str:
        shown = _format(value, is_number)
        key = keys[column][row] if column in keys else ""
        return ev_link(html.unescape(shown), key) if key else shown

    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="{k}">{cell(v, n, c, i)}</td>'
            for v, n, k, c in zip(row, numeric, classes, frame.columns, strict=True)
        )
        + "</tr>"
        for i, row in enumerate(frame.itertuples(index=False, name=None))
    )
    return f'<table class="briefing-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _table_file(name: str) -> str:
    """Where a table's rows are, as a caption names them: a small table's CSV; a long table's Parquet file,
    which is always written (its CSV only up to the row limit, csv_max_rows)."""
    if schema_of(name).long:
        return f"tables/{name}.parquet (.csv too when under the row limit)"
    return f"tables/{name}.csv"


def table(
    frame: pd.DataFrame,
    caption: str,
    full_table: str | None = None,
    top: int | None = None,
    empty: str = "No rows.",
    links: dict[str, str] | None = None,
):
    """A table with its caption; long tables show the top rows and say which file of ``tables/`` holds
    the ``full_table`` (its name: ``"cleaning_log"``); ``links`` as in ``table_html``."""
    if frame.empty:
        return HTML(
            f'<div class="briefing-table-wrap"><p class="table-caption">{esc(caption)}</p>'
            f'<p class="table-note">{esc(empty)}</p></div>'
        )
    shown = frame if top is None else frame.head(top)
    note = f"Showing {top} of {len(frame):,} rows. " if top is not None and len(frame) > top else ""
    if full_table:
        note += f"Full table: {_table_file(full_table)}."
    footer = f'<p class="table-note">{esc(note)}</p>' if note else ""
    return HTML(
        f'<div class="briefing-table-wrap"><p class="table-caption">{esc(caption)}</p>'
        f"{table_html(shown, links)}{footer}</div>"
    )


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, with the character ``spans`` (relative to it) wrapped in <mark>."""
    pieces, position = [], 0
    for start, end in sorted(set(spans)):
        if start < position:
            continue
        pieces.append(esc(text[position:start]) + f"<mark>{esc(text[start:end])}</mark>")
        position = end
    return "".join(pieces) + esc(text[position:])


Quote = tuple[str, list[tuple[int, int]], str]  # text, matched spans, citation


def quotes(groups: list[tuple[str, list[Quote]]], numbers: list[list[tuple[str, str, str]]] | None = None):
    """Evidence sentences: for each heading, quotes with their matched words marked and a citation; each
    heading's ``numbers`` (as in ``linked``) link to their evidence. The PDF prints the first of each
    heading's quotes, the HTML all of them."""
    blocks = []
    for index, (heading, items) in enumerate(groups):
        title = linked(heading, numbers[index]) if numbers else esc(heading)
        rows = "".join(
            f'<blockquote class="evidence{" screen-only" if index else ""}">'
            f"“{marked(text, spans)}”<cite>{esc(citation)}</cite></blockquote>"
            for index, (text, spans, citation) in enumerate(items)
        )
        blocks.append(f'<div class="evidence-group"><h3>{title}</h3>{rows}</div>')
    return HTML("".join(blocks))


def paragraph(text: str):
    """Generated narrative: plain text, escaped."""
    return HTML(f'<p class="narrative">{esc(text)}</p>')
