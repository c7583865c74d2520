"""Actor mentions, shown: narrative, charts, figures with captions and display tables."""

from __future__ import annotations

import altair as alt
import pandas as pd

import policybrief.views.present as present
from policybrief.analyses.actors.measures import ActorAnalysis, main_actors
from policybrief.analyses.actors.resolve import RESOLUTIONS
from policybrief.analyses.evidence import actor_key
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus, doc_label, short_title
from policybrief.text.dates import long_date
from policybrief.text.words import plural
from policybrief.views.present import documents_shown, shown_note

# What the notebooks call: the declared API of this module.
__all__ = [
    "actor_theme_chart",
    "actor_theme_figure",
    "co_mention_chart",
    "co_mention_figure",
    "counts_table",
    "document_chart",
    "document_figure",
    "main_actors",
    "narrative",
    "resolution_display",
    "timeline_chart",
    "timeline_figure",
    "unlisted_display",
    "unresolved_display",
]


# About 60 lines: one sentence per kind of statement, each guarded by whether the numbers support it.
def narrative(corpus: Corpus, analysis: ActorAnalysis, count: int = 3) -> str:
    """A paragraph from the numbers: who dominates, who arrives or leaves, what stays unresolved."""
    app = analysis.appearances
    if app.empty:
        return "No listed actor is mentioned in these documents."
    parts = []
    people = app[app["actor"].map(lambda a: analysis.actors.actors[a].type == "person")].head(count)
    if len(people):
        described = [
            (
                f"{r.name} ({plural(r.mentions, 'mention')} in {r.documents} of "
                f"{len(corpus.documents)} documents)"
            )
            for r in people.itertuples()
        ]
        parts.append(
            f"The most mentioned people are {', '.join(described[:-1])} and {described[-1]}."
            if len(described) > 1
            else f"The most mentioned person is {described[0]}."
        )
    states = app[app["actor"].map(lambda a: analysis.actors.actors[a].type == "state")].head(1)
    if len(states):
        parts.append(
            f"Among states, {states.iloc[0]['name']} leads with "
            f"{plural(int(states.iloc[0]['mentions']), 'mention')}."
        )
    if analysis.split_date:
        split = long_date(analysis.split_date)
        for change, wording in (
            ("new after the split", f"Named only from {split} on"),
            ("gone after the split", f"Named only before {split}"),
        ):
            moved = app[app["change"] == change]
            side = "mentioning_after" if change.startswith("new") else "mentioning_before"
            total = "documents_after" if change.startswith("new") else "documents_before"
            several = moved[moved[side] >= 2]
            if len(several):
                listed = [
                    f"{r.name} ({getattr(r, side)} of {getattr(r, total)} documents)"
                    for r in several.itertuples()
                ]
                others = len(moved) - len(several)
                tail = f", and {plural(others, 'actor')} named in a single document" if others else ""
                parts.append(f"{wording}: {', '.join(listed)}{tail}.")
    if analysis.metonyms:
        capitals = analysis.evidence.where("resolution", ["metonym"])["surface"]
        if len(capitals):  # the example is the corpus's own most frequent capital
            example = capitals.astype(str).value_counts().sort_index().idxmax()
            parts.append(
                f"{plural(len(capitals), 'mention')} of a state are capitals standing for its government "
                f"(\u201c{example} said\u2026\u201d), counted as metonyms."
            )
    if len(analysis.unresolved):
        parts.append(
            f"{plural(len(analysis.unresolved), 'short form')} could not be resolved and are not counted "
            f"(listed below)."
        )
    if len(analysis.unlisted):
        names = analysis.unlisted["name"].head(3).tolist()
        more = len(analysis.unlisted) - len(names)
        parts.append(
            f"Named in the texts but not on the actor list: {', '.join(names)}"
            f"{f' and {more} more' if more else ''} (see the list below)."
        )
    return " ".join(parts)


def timeline_chart(analysis: ActorAnalysis, shown: list[str]) -> alt.Chart:
    """Small multiples: each main actor's mentions per 1,000 words by period, on one shared scale."""
    frame = analysis.over_time[analysis.over_time["actor"].isin(shown)].copy()
    periods = list(dict.fromkeys(frame.sort_values("period_start")["period"]))
    names = [analysis.actors.name(a) for a in shown]
    columns = 4
    # four panels side by side fill the page (PLOT_WIDTH and the room the legend of other charts takes)
    panel = (present.PLOT_WIDTH + 160) // columns - 45
    cell = panel / max(1, len(periods))
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#1f4e79")
        .encode(
            x=alt.X("period:N", sort=periods, axis=present.period_axis(periods, cell)),
            y=alt.Y("per_1k_words:Q", title=None, axis=alt.Axis(labelFontSize=10, tickCount=3)),
            tooltip=[
                "name",
                "period",
                "mentions",
                "documents",
                "documents_mentioning",
                alt.Tooltip("per_1k_words:Q", format=".1f"),
            ],
        )
    )
    title = (
        "Mentions of the main actors per 1,000 words, document by document (shared scale)"
        if analysis.time_bin == "document"
        else f"Mentions of the main actors per 1,000 words, by {analysis.time_bin} (shared scale)"
    )
    return (
        bars.properties(width=panel, height=60)
        .facet(
            facet=alt.Facet(
                "name:N", sort=names, title=None, header=alt.Header(labelFontSize=11, labelFontWeight="bold")
            ),
            columns=columns,
            spacing=12,
        )
        .properties(title=title)
    )


def document_chart(corpus: Corpus, analysis: ActorAnalysis, shown: list[str]) -> alt.LayerChart:
    """Document × actor: the number of mentions, shaded per 1,000 words."""
    mentioned = analysis.per_document[analysis.per_document["actor"].isin(shown)]
    docs = documents_shown(corpus, mentioned.groupby("doc_id")["per_1k_words"].sum().to_dict())
    per_doc = analysis.per_document.set_index(["doc_id", "actor"])
    rows = []
    for doc in docs:
        for actor_id in shown:
            mentions = int(per_doc["mentions"].get((doc.doc_id, actor_id), 0))
            rows.append(
                {
                    "document": doc_label(doc),
                    "actor": analysis.actors.name(actor_id),
                    "mentions": mentions,
                    "per_1k_words": round(1000 * mentions / doc.words, 2) if doc.words else 0.0,
                }
            )
    frame = pd.DataFrame(rows)
    return present.matrix(  # documents down the side, where their titles are written flat
        frame,
        "actor",
        "document",
        "per_1k_words",
        "mentions",
        [analysis.actors.name(a) for a in shown],
        [doc_label(d) for d in docs],
        "Actor mentions by document (number = mentions; shade = per 1,000 words)",
        "Per 1,000 words",
        tooltip=["actor", "document", "mentions", "per_1k_words"],
    )


def co_mention_chart(analysis: ActorAnalysis, shown: list[str]) -> alt.LayerChart:
    """Pairs of main actors named in the same sentence."""
    names = [analysis.actors.name(a) for a in shown]
    counts = {(r.actor_a, r.actor_b): r.sentences for r in analysis.co_mentions.itertuples()}
    rows = [
        {
            "a": analysis.actors.name(a),
            "b": analysis.actors.name(b),
            "sentences": counts.get((min(a, b), max(a, b)), 0),
        }
        for i, a in enumerate(shown)
        for b in shown[:i]
    ]
    frame = pd.DataFrame(rows, columns=["a", "b", "sentences"])
    return present.matrix(
        frame,
        "b",
        "a",
        "sentences",
        "sentences",
        names[:-1],
        names[1:],
        "Actors named in the same sentence",
        "Sentences",
        scheme="greys",
        cell=(44, present.MATRIX_ROW),
        label_angle=-40,
        hide_zero=True,
    )


def actor_theme_chart(analysis: ActorAnalysis, shown: list[str], theme_order: list[str]) -> alt.LayerChart:
    """Main actors × themes: sentences naming both; shade = share of the actor's sentences."""
    keep = analysis.actor_theme[analysis.actor_theme["actor"].isin(shown)]
    found = {(r.actor, r.label): (r.sentences, r.share) for r in keep.itertuples()}
    rows = [
        {
            "actor": analysis.actors.name(a),
            "theme": t,
            "sentences": found.get((a, t), (0, 0.0))[0],
            "share": found.get((a, t), (0, 0.0))[1],
        }
        for a in shown
        for t in theme_order
    ]
    frame = pd.DataFrame(rows)
    return present.matrix(
        frame,
        "theme",
        "actor",
        "share",
        "sentences",
        theme_order,
        [analysis.actors.name(a) for a in shown],
        "Themes in the sentences naming each actor",
        "Share",
        cell=(27, present.MATRIX_ROW),
        label_angle=-40,
        hide_zero=True,
        tooltip=["actor", "theme", "sentences", alt.Tooltip("share:Q", format=".0%")],
    )


_RULE = (
    "A mention is a listed name (in either order, with a middle initial), alias or near-miss spelling, a "
    "short form of the person named in full in the same document or of the only listed person with it, "
    "\u201c<name> administration\u201d, or a capital standing for its government (metonym)."
)


def timeline_figure(corpus: Corpus, analysis: ActorAnalysis, shown: list[str]):
    undated = sum(1 for d in corpus.documents if not d.date)
    note = f" {plural(undated, 'undated document')} left out." if undated else ""
    return present.figure(
        timeline_chart(analysis, shown),
        f"Mentions per 1,000 words of the documents in each {analysis.time_bin} (every "
        f"{analysis.time_bin} from the first to the last publication; empty periods are zero).{note} {_RULE} "
        "Table: tables/actor_over_time.csv, with the documents in each period, the share naming each actor "
        "and its 95% Wilson interval.",
    )


def document_figure(corpus: Corpus, analysis: ActorAnalysis, shown: list[str]):
    return present.figure(
        document_chart(corpus, analysis, shown),
        f"Mentions per document; shading divides by the document's words after cleaning. {_RULE}"
        f"{shown_note(corpus, 'mentions of these actors per 1,000 words')} "
        "Table: tables/actor_mentions.csv (with how each mention was resolved).",
    )


def co_mention_figure(analysis: ActorAnalysis, shown: list[str]):
    return present.figure(
        co_mention_chart(analysis, shown),
        "Number of sentences naming both actors. Table: tables/actor_cooccurrence.csv.",
    )


def actor_theme_figure(analysis: ActorAnalysis, shown: list[str], theme_analysis: ThemeAnalysis):
    order = [theme_analysis.lexicon.short(t) for t in theme_analysis.corpus_coverage["theme"]]
    return present.figure(
        actor_theme_chart(analysis, shown, order),
        "Sentences that name the actor and have a hit for the theme; the shade is the share of all "
        "sentences naming the actor (P(theme | actor)). Table with 95% Wilson intervals and an example "
        "sentence for each cell: tables/actor_theme.csv.",
    )


def unlisted_display(analysis: ActorAnalysis) -> pd.DataFrame:
    frame = analysis.unlisted
    return pd.DataFrame(
        {
            "Name": frame["name"],
            "Mentions": frame["mentions"],
            "Documents": frame["documents"],
            "Example": frame["example_sentence"],
        }
    )


def unresolved_display(corpus: Corpus, analysis: ActorAnalysis) -> pd.DataFrame:
    titles = {d.doc_id: short_title(d, 32) for d in corpus.documents}
    frame = analysis.unresolved
    return pd.DataFrame(
        {
            "Document": frame["doc_id"].map(titles),
            "Written": frame["surface"],
            "Could be": frame["candidates"],
            "Why not counted": frame["reason"],
        }
    )


def resolution_display(analysis: ActorAnalysis) -> pd.DataFrame:
    counts = pd.Series(
        [int(analysis.per_document[r.replace(" + ", "_").replace(" ", "_")].sum()) for r in RESOLUTIONS],
        index=RESOLUTIONS,
    )
    return pd.DataFrame({"How the mention was recognised": counts.index, "Mentions": counts.values})


def counts_table(corpus: Corpus, analysis: ActorAnalysis, top: int = 30):
    """Each actor's mentions, documents and share of documents, before and after the split date, each number
    a link to the sentences it counts."""
    app = analysis.appearances
    n = len(corpus.documents)
    frame = pd.DataFrame(
        {
            "Actor": app["name"],
            "Mentions": app["mentions"].astype(int),
            "Documents": app["documents"].astype(int),
            "Share of documents": [f"{d / n:.0%}" if n else "—" for d in app["documents"]],
            "Documents before": app["mentioning_before"].astype(int),
            "Documents after": app["mentioning_after"].astype(int),
            "mentions key": [actor_key(a) for a in app["actor"]],
            "documents key": [actor_key(a, "documents") for a in app["actor"]],
            "before key": [actor_key(a, "documents", "before") for a in app["actor"]],
            "after key": [actor_key(a, "documents", "after") for a in app["actor"]],
        }
    )
    return present.table(
        frame,
        "Actor counts: mentions, documents naming each actor, and documents before and from the split date "
        "on. Click a number for the sentences it counts.",
        full_table="actor_appearances",
        top=top,
        empty="No actor is mentioned.",
        links={
            "Mentions": "mentions key",
            "Documents": "documents key",
            "Share of documents": "documents key",
            "Documents before": "before key",
            "Documents after": "after key",
        },
    )
