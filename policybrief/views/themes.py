"""Theme coverage, shown: narrative, charts, figures with captions and evidence quotes."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

import policybrief.views.present as present
from policybrief.analyses.evidence import theme_key
from policybrief.analyses.stats import wilson
from policybrief.analyses.themes.measures import ThemeAnalysis, telling_sentences
from policybrief.corpus.model import Corpus, doc_label
from policybrief.text.dates import long_date
from policybrief.text.words import plural
from policybrief.views.present import documents_shown, shown_note

# What the notebooks call: the declared API of this module.
__all__ = [
    "cooccurrence_chart",
    "cooccurrence_figure",
    "coverage_chart",
    "counts_table",
    "coverage_figure",
    "evidence_quotes",
    "heatmap_chart",
    "heatmap_figure",
    "narrative",
    "over_time_chart",
    "over_time_figure",
    "unmatched_display",
]


def _dated_order(corpus: Corpus) -> list[str]:
    return [d.doc_id for _, d in corpus.dated()]


def narrative(corpus: Corpus, analysis: ThemeAnalysis) -> str:
    """A paragraph from the numbers: what dominates, what is early or late, and how far five documents go."""
    cc = analysis.corpus_coverage
    n = len(corpus.documents)
    parts = []
    top = cc.head(3)
    described = [
        f"{row.label} ({row.documents_covering} of {row.documents} documents)" for row in top.itertuples()
    ]
    parts.append(
        f"The most widely covered themes are {', '.join(described[:-1])} and {described[-1]}."
        if len(described) > 1
        else f"The most widely covered theme is {described[0]}."
    )
    everywhere = cc[cc["documents_covering"] == n]["label"].tolist()
    if everywhere and n > 1:
        parts.append(
            f"{plural(len(everywhere), 'theme')} appear{'s' if len(everywhere) == 1 else ''} in every "
            "document."
        )
    densest = cc.sort_values(["per_1k_words", "theme"], ascending=[False, True]).iloc[0]
    parts.append(
        f"By density, {densest['label']} leads with {densest['per_1k_words']:.1f} hits per 1,000 words."
    )
    absent = cc[cc["documents_covering"] == 0]["label"].tolist()
    if absent:
        parts.append(f"No document touches {', '.join(absent)}.")
    order = _dated_order(corpus)
    present = analysis.coverage[analysis.coverage["present"]].groupby("theme")["doc_id"].apply(set)
    threshold = max(2, math.ceil(len(order) / 3))
    late, early = [], []
    dates = {d.doc_id: d.date for d in corpus.documents}
    for theme_id, docs in present.items():
        positions = [i for i, doc_id in enumerate(order) if doc_id in docs]
        if not positions or len(order) < 3:
            continue
        if positions[0] >= threshold:
            late.append(
                f"{analysis.lexicon.label(theme_id)} (from {long_date(dates[order[positions[0]]][:7])})"
            )
        elif len(order) - 1 - positions[-1] >= threshold:
            early.append(
                f"{analysis.lexicon.label(theme_id)} (until {long_date(dates[order[positions[-1]]][:7])})"
            )
    if late:
        parts.append(f"Appearing only in the later documents: {'; '.join(sorted(late))}.")
    if early:
        parts.append(f"Found only in the earlier documents: {'; '.join(sorted(early))}.")
    example = math.ceil(n / 2)
    low, high = wilson(example, n)
    parts.append(
        f"These are statements about {plural(n, 'document')}, not about the whole debate: with so few, "
        f"a theme found in {example} of {n} documents has a 95% interval of {low:.0%}–{high:.0%}."
    )
    return " ".join(parts)


def heatmap_chart(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.LayerChart:
    """Document (rows) × theme (columns): colour is hits per 1,000 words, the number in each cell the hits."""
    frame = analysis.coverage[analysis.coverage["theme"].isin(show or analysis.lexicon.themes)].copy()
    density = frame.groupby("doc_id")["per_1k_words"].sum().to_dict()
    docs = documents_shown(corpus, density)
    labels = {d.doc_id: doc_label(d) for d in docs}
    frame = frame[frame["doc_id"].isin(labels)]
    frame["document"] = frame["doc_id"].map(labels)
    frame["short"] = frame["theme"].map(analysis.lexicon.short)
    doc_order = [labels[d.doc_id] for d in docs]
    theme_order = [
        analysis.lexicon.short(t) for t in analysis.corpus_coverage["theme"] if t in set(frame["theme"])
    ]
    tooltip = [
        alt.Tooltip("label:N", title="Theme"),
        alt.Tooltip("document:N"),
        alt.Tooltip("hits:Q", title="Hits"),
        alt.Tooltip("per_1k_words:Q", title="Per 1,000 words", format=".1f"),
        alt.Tooltip("words:Q", title="Words"),
    ]
    return present.matrix(  # documents down the side, where their titles are written flat
        frame,
        "short",
        "document",
        "per_1k_words",
        "hits",
        theme_order,
        doc_order,
        "Theme hits by document (number = hits; shade = hits per 1,000 words)",
        "Hits per 1,000 words",
        tooltip=tooltip,
    )


def coverage_chart(analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.Chart:
    """Share of documents covering each theme, with its 95% Wilson interval and the count."""
    frame = analysis.corpus_coverage[
        analysis.corpus_coverage["theme"].isin(show or analysis.lexicon.themes)
    ].copy()
    frame["count"] = [
        f"{k:,} of {n:,}" for k, n in zip(frame["documents_covering"], frame["documents"], strict=True)
    ]
    frame["short"] = frame["theme"].map(analysis.lexicon.short)
    order = frame["short"].tolist()
    base = alt.Chart(frame).encode(y=alt.Y("short:N", sort=order, title=None))
    bars = base.mark_bar(color="#9dbad5").encode(
        x=alt.X(
            "share:Q",
            title="Share of documents covering the theme (95% Wilson interval)",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        tooltip=[
            "label",
            "count",
            alt.Tooltip("ci_low:Q", format=".0%"),
            alt.Tooltip("ci_high:Q", format=".0%"),
        ],
    )
    interval = base.mark_rule(color="#1a1a1a", strokeWidth=1.5).encode(x="ci_low:Q", x2="ci_high:Q")
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#1a1a1a").encode(
        x=alt.value(0), text="count:N"
    )
    return (bars + interval + text).properties(
        width=420, height=14 * len(order), title="How many documents cover each theme"
    )


def over_time_chart(analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.Chart:
    """Theme × period: shade is the share of that period's documents covering the theme; text is k/n."""
    frame = analysis.over_time[analysis.over_time["theme"].isin(show or analysis.lexicon.themes)].copy()
    frame["count"] = [
        f"{k}/{n}" if n else "–" for k, n in zip(frame["documents_covering"], frame["documents"], strict=True)
    ]
    frame["shown_share"] = [s if n else None for s, n in zip(frame["share"], frame["documents"], strict=True)]
    frame["short"] = frame["theme"].map(analysis.lexicon.short)
    periods = list(dict.fromkeys(frame["period"]))
    order = [analysis.lexicon.short(t) for t in analysis.corpus_coverage["theme"] if t in set(frame["theme"])]
    cell = max(8, min(56, present.PLOT_WIDTH // max(1, len(periods))))
    title = f"Publication {analysis.time_bin}"
    base = alt.Chart(frame).encode(
        x=alt.X("period:N", sort=periods, axis=present.period_axis(periods, cell, title)),
        y=alt.Y("short:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "shown_share:Q",
            title="Share of documents",
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(format="%", gradientLength=120, orient="top", direction="horizontal"),
        ),
        tooltip=["label", "period", "count", "hits"],
    )
    empty = base.transform_filter("datum.documents == 0").mark_rect(color="#eeeeee", stroke="white")
    text = base.mark_text(fontSize=10).encode(
        text="count:N",
        color=alt.condition(
            alt.datum.share > present.WHITE_TEXT_FROM["blues"], alt.value("white"), alt.value("black")
        ),
    )
    # the k/n in each cell when it fits (10 px DejaVu Sans: about 6.2 px a character), else the shade alone
    fits = cell >= 6.2 * max((len(c) for c in frame["count"]), default=0) + 4
    return (cells + empty + text if fits else cells + empty).properties(
        width=cell * len(periods),
        height=16 * len(order),
        title="Coverage over time (k/n = documents covering / documents in the period)"
        if fits
        else "Coverage over time (share of the period's documents covering the theme)",
    )


def cooccurrence_chart(analysis: ThemeAnalysis, show: list[str] | None = None) -> alt.LayerChart:
    """Pairs of themes: how many sentences mention both (lower triangle; diagonal = sentences per theme)."""
    keep = set(show or analysis.lexicon.themes)
    frame = analysis.cooccurrence[
        analysis.cooccurrence["theme_a"].isin(keep) & analysis.cooccurrence["theme_b"].isin(keep)
    ].copy()
    order = [t for t in analysis.corpus_coverage["theme"] if t in keep]
    rank = {t: i for i, t in enumerate(order)}
    swap = frame["theme_a"].map(rank) < frame["theme_b"].map(rank)
    frame.loc[swap, ["theme_a", "theme_b"]] = frame.loc[swap, ["theme_b", "theme_a"]].values
    frame["a"] = frame["theme_a"].map(analysis.lexicon.short)
    frame["b"] = frame["theme_b"].map(analysis.lexicon.short)
    frame["pair"] = frame["sentences"].where(frame["theme_a"] != frame["theme_b"])
    labels = [analysis.lexicon.short(t) for t in order]
    return present.matrix(
        frame,
        "b",
        "a",
        "pair",
        "sentences",
        labels,
        labels,
        "Themes meeting in one sentence (diagonal: sentences touching the theme)",
        "Sentences with both",
        scheme="greys",
        tooltip=["a", "b", "sentences"],
        cell=(24, present.MATRIX_ROW),
        label_angle=-40,
        hide_zero=True,
    )


def _rule(analysis: ThemeAnalysis) -> str:
    return (
        f"A hit is one match of a theme's term (longest match wins; a span counts once per theme). "
        f"A document covers a theme with at least {plural(analysis.min_hits, 'hit')}."
    )


def heatmap_figure(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None):
    return present.figure(
        heatmap_chart(corpus, analysis, show),
        f"Theme hits per document. {_rule(analysis)} Shading divides the hits by the document's "
        f"words after cleaning (per 1,000).{shown_note(corpus, 'theme hits per 1,000 words')} "
        f"Full table: tables/theme_coverage.csv.",
    )


def coverage_figure(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None):
    return present.figure(
        coverage_chart(analysis, show),
        f"Share of the {plural(len(corpus.documents), 'document')} that cover each theme; the line is "
        f"the 95% Wilson interval. {_rule(analysis)} Table: tables/theme_corpus_coverage.csv.",
    )


def over_time_figure(corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None):
    undated = sum(1 for d in corpus.documents if not d.date)
    note = f" {plural(undated, 'undated document')} left out." if undated else ""
    return present.figure(
        over_time_chart(analysis, show),
        f"Documents covering each theme per {analysis.time_bin} of publication, out of the documents "
        f"published in that {analysis.time_bin} (every {analysis.time_bin} from the first to the last "
        f"publication); grey columns had no documents.{note} "
        f"Table: tables/theme_over_time.csv.",
    )


def cooccurrence_figure(analysis: ThemeAnalysis, show: list[str] | None = None):
    return present.figure(
        cooccurrence_chart(analysis, show),
        "Number of sentences in which two themes both have a hit; the diagonal counts the sentences "
        "touching each theme. Table: tables/theme_cooccurrence.csv.",
    )


def evidence_quotes(
    corpus: Corpus, analysis: ThemeAnalysis, show: list[str] | None = None, per_theme: int = 3
):
    """The most telling sentences of each theme, matched words marked, with document and date."""
    groups, numbers = [], []
    for row in analysis.corpus_coverage.itertuples():
        if (show and row.theme not in show) or row.hits == 0:
            continue
        chosen = telling_sentences(corpus, analysis.evidence, row.theme, per_theme)
        heading = (
            f"{row.label} — {row.documents_covering} of {row.documents} documents, {plural(row.hits, 'hit')}"
        )
        groups.append((heading, [(c["text"], c["spans"], c["citation"]) for c in chosen]))
        numbers.append(
            [
                (" — ", str(row.documents_covering), theme_key(row.theme, "documents")),
                ("documents, ", f"{row.hits:,}", theme_key(row.theme)),
            ]
        )
    return present.quotes(groups, numbers)


def unmatched_display(analysis: ThemeAnalysis) -> pd.DataFrame:
    grouped = analysis.unmatched.groupby("label", sort=False)["term"].apply(lambda t: ", ".join(t))
    return pd.DataFrame({"Theme": grouped.index, "Terms with no match in this corpus": grouped.values})


def counts_table(analysis: ThemeAnalysis, show: list[str] | None = None):
    """Each theme's documents, share of documents and hits, each number a link to the sentences it counts."""
    cc = analysis.corpus_coverage[analysis.corpus_coverage["theme"].isin(show or analysis.lexicon.themes)]
    frame = pd.DataFrame(
        {
            "Theme": cc["label"],
            "Documents covering": cc["documents_covering"].astype(int),
            "Share of documents": [f"{share:.0%}" for share in cc["share"]],
            "Hits": cc["hits"].astype(int),
            "documents key": [theme_key(t, "documents") for t in cc["theme"]],
            "hits key": [theme_key(t) for t in cc["theme"]],
        }
    )
    return present.table(
        frame,
        f"Theme counts: documents covering each theme (at least {plural(analysis.min_hits, 'hit')}) and its "
        "hits. Click a number for the sentences it counts.",
        full_table="theme_corpus_coverage",
        links={
            "Documents covering": "documents key",
            "Share of documents": "documents key",
            "Hits": "hits key",
        },
    )
