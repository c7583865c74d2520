"""Document comparison, shown: narrative, charts, figures with captions and display tables."""

from __future__ import annotations

import altair as alt
import pandas as pd

import policybrief.views.present as present
from policybrief.analyses.compare.comparison import Comparison
from policybrief.analyses.compare.keyness import MIN_Z
from policybrief.analyses.compare.similarity import MEASURES
from policybrief.corpus.model import Corpus, Document, short_title
from policybrief.text.dates import long_date
from policybrief.text.words import plural
from policybrief.views.present import documents_shown, shown_note

# What the notebooks call: the declared API of this module.
__all__ = [
    "distinctive_chart",
    "distinctive_figure",
    "group_terms_display",
    "map_chart",
    "map_figure",
    "closest_pairs_display",
    "narrative",
    "near_duplicates_display",
    "period_chart",
    "period_figure",
    "period_note",
    "period_terms_display",
    "similarity_chart",
    "similarity_figure",
]

DISTINCTIVE_SHOWN = 10  # panels of the distinctive-terms chart


def _label(doc: Document) -> str:
    return f"{short_title(doc, 28)} ({doc.date[:7] or 'undated'})"


def similarity_chart(corpus: Corpus, comparison: Comparison, measure: str = "cosine_tfidf") -> alt.LayerChart:
    """Document × document on one measure (similarity_figure draws it up to MATRIX_MAX_DOCS documents)."""
    description, higher = MEASURES[measure]
    pairs = comparison.heatmap_pairs
    assert pairs is not None  # set by every analyse() since heatmaps exist
    table = pairs[pairs["measure"] == measure]
    shown = set(table["doc_a"])
    docs = [
        d for d in sorted(corpus.documents, key=lambda d: (d.date or "9999", d.doc_id)) if d.doc_id in shown
    ]
    labels = {d.doc_id: _label(d) for d in docs}
    frame = table[table["doc_a"].isin(labels) & table["doc_b"].isin(labels)].copy()
    frame["a"], frame["b"] = frame["doc_a"].map(labels), frame["doc_b"].map(labels)
    frame["shade"] = frame["value"] if higher else 1 - frame["value"]
    order = [labels[d.doc_id] for d in docs]
    return present.matrix(
        frame,
        "b",
        "a",
        "shade",
        "value",
        order,
        order,
        f"Document similarity — {description}",
        "Alike" if higher else "1 − distance",
        cell=(70, present.MATRIX_ROW),
        label_angle=-30,
        number_format=".2f",
        tooltip=["a", "b", alt.Tooltip("value:Q", format=".3f")],
    )


def map_chart(corpus: Corpus, comparison: Comparison) -> alt.LayerChart:
    docs = {d.doc_id: d for d in corpus.documents}
    frame = comparison.map.copy()
    frame["label"] = frame["doc_id"].map(lambda d: _label(docs[d]))
    base = alt.Chart(frame).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(padding=60)),
        y=alt.Y("y:Q", axis=None, scale=alt.Scale(padding=30)),
    )
    points = base.mark_circle(size=120, color="#1f4e79", opacity=1).encode(tooltip=["label"])
    text = base.mark_text(dy=-12, fontSize=10, color="#1a1a1a").encode(text="label:N")
    return (points + text).properties(
        width=520, height=300, title="Map of the documents by wording (closer = more alike)"
    )


def distinctive_chart(corpus: Corpus, comparison: Comparison, per_document: int = 8) -> alt.Chart:
    docs = {d.doc_id: d for d in corpus.documents}
    strongest = comparison.distinctive.groupby("doc_id")["score"].max().to_dict()
    keep = {d.doc_id for d in documents_shown(corpus, strongest, DISTINCTIVE_SHOWN)}
    frame = comparison.distinctive[comparison.distinctive["doc_id"].isin(keep)]
    frame = frame.groupby("doc_id", group_keys=False).head(per_document).copy()
    frame["document"] = frame["doc_id"].map(lambda d: _label(docs[d]))
    frame["term_in_doc"] = frame["doc_id"] + "|" + frame["term"]
    order = [
        _label(d)
        for d in sorted(corpus.documents, key=lambda d: (d.date or "9999", d.doc_id))
        if d.doc_id in set(frame["doc_id"])
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#548235")
        .encode(
            x=alt.X("score:Q", title="z-score"),
            y=alt.Y("term:N", sort="-x", title=None, axis=alt.Axis(labelLimit=160)),
            tooltip=["document", "term", "count", "count_rest", alt.Tooltip("score:Q", format=".2f")],
        )
    )
    counts = bars.mark_text(align="left", dx=3, fontSize=10, color="#1a1a1a").encode(text="count:Q")
    return (
        (bars + counts)
        .properties(width=170, height=16 * per_document)
        .facet(
            facet=alt.Facet(
                "document:N",
                sort=order,
                title=None,
                header=alt.Header(labelFontSize=10, labelFontWeight="bold"),
            ),
            columns=2,
        )
        .resolve_scale(y="independent")
        .properties(title="What sets each document apart (number = uses in the document)")
    )


def period_chart(comparison: Comparison, kind: str, count: int = 12) -> alt.LayerChart:
    """Before and after the split: share of documents, for the items that changed most."""
    frame = comparison.period[comparison.period["kind"] == kind].copy()
    frame = frame.reindex(frame["change"].abs().sort_values(ascending=False, kind="mergesort").index).head(
        count
    )
    first = frame.iloc[0] if len(frame) else None
    n_before, n_after = (int(first["before_docs"]), int(first["after_docs"])) if first is not None else (0, 0)
    split = long_date(comparison.split_date)
    long = frame.melt(
        id_vars=["label", "change", "before_count", "after_count"],
        value_vars=["before", "after"],
        var_name="period",
        value_name="share",
    )
    long["period"] = long["period"].map(
        {"before": f"before {split} (n={n_before})", "after": f"from {split} on (n={n_after})"}
    )
    long["count"] = [
        f"{b if p.startswith('before') else a}"
        for b, a, p in zip(long["before_count"], long["after_count"], long["period"], strict=True)
    ]
    order = frame.sort_values("change", ascending=False)["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=230))
    rule = alt.Chart(frame).mark_rule(color="#999999").encode(y=y, x="before:Q", x2="after:Q")
    dots = (
        alt.Chart(long)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            y=y,
            x=alt.X(
                "share:Q",
                title="Share of documents",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            shape=alt.Shape("period:N", title=None, legend=alt.Legend(orient="bottom")),
            color=alt.Color("period:N", title=None, scale=alt.Scale(range=["#999999", "#1f4e79"])),
            tooltip=["label", "period", "count", alt.Tooltip("share:Q", format=".0%")],
        )
    )
    title = {"theme": "Themes", "actor": "Actors"}[kind]
    return (rule + dots).properties(
        width=380, height=20 * len(order), title=f"{title} that changed most across {split}"
    )


def narrative(corpus: Corpus, comparison: Comparison) -> str:
    parts = []
    cosine = comparison.similarity[comparison.similarity["measure"] == "cosine_tfidf"]
    docs = {d.doc_id: d for d in corpus.documents}
    if len(cosine):
        ordered = cosine[cosine["doc_a"] < cosine["doc_b"]].sort_values(
            ["value", "doc_a"], ascending=[False, True]
        )
        if len(ordered):
            top, low = ordered.iloc[0], ordered.iloc[-1]
            parts.append(
                f"By wording, the closest pair is “{short_title(docs[top.doc_a], 50)}” and "
                f"“{short_title(docs[top.doc_b], 50)}” "
                f"(cosine {top.value:.2f}); the furthest apart are “{short_title(docs[low.doc_a], 50)}” and "
                f"“{short_title(docs[low.doc_b], 50)}” ({low.value:.2f}). Values this low are usual between "
                "distinct articles on one topic: they share the subject, not the text."
            )
    period = comparison.period
    split = long_date(comparison.split_date)
    sides = period.iloc[0] if len(period) else None
    if sides is not None:
        parts.append(
            f"The period comparison splits at {split}: {plural(int(sides['before_docs']), 'document')} "
            f"before, {plural(int(sides['after_docs']), 'document')} from then on — too few for any change "
            "to be statistically solid, so each is shown with its counts and a 95% Newcombe interval."
        )
        actors = period[period["kind"] == "actor"]
        for direction, rows in (
            ("fell", actors.sort_values(["change", "item"]).head(2)),
            ("rose", actors.sort_values(["change", "item"], ascending=[False, True]).head(2)),
        ):
            for row in rows.itertuples():
                if (direction == "fell" and row.change < 0) or (direction == "rose" and row.change > 0):
                    parts.append(
                        f"{row.label} is named in {row.before_count} of {row.before_docs} documents before "
                        f"and {row.after_count} of {row.after_docs} after."
                    )
    across = comparison.near_duplicates[comparison.near_duplicates["kind"] == "across documents"]
    within = comparison.near_duplicates[comparison.near_duplicates["kind"] == "within a document"]
    parts.append(
        f"{plural(len(across), 'pair')} of near-duplicate documents; "
        f"{plural(len(within), 'passage')} repeated inside a document, counted once."
    )
    return " ".join(parts)


# Above this many documents a document × document matrix is a wall of cells: the closest pairs are listed.
MATRIX_MAX_DOCS = 12
CLOSEST_PAIRS = 15


def closest_pairs_display(
    corpus: Corpus, comparison: Comparison, measure: str = "cosine_tfidf"
) -> pd.DataFrame:
    """The CLOSEST_PAIRS most alike pairs of documents on ``measure``, each pair once, closest first."""
    _, higher = MEASURES[measure]
    table = comparison.similarity[comparison.similarity["measure"] == measure]
    first, second = table[["doc_a", "doc_b"]].min(axis=1), table[["doc_a", "doc_b"]].max(axis=1)
    pairs = pd.DataFrame({"doc_a": first, "doc_b": second, "value": table["value"]})
    pairs = pairs[pairs["doc_a"] != pairs["doc_b"]].drop_duplicates(["doc_a", "doc_b"])
    pairs = pairs.sort_values(["value", "doc_a", "doc_b"], ascending=[not higher, True, True]).head(
        CLOSEST_PAIRS
    )
    labels = {d.doc_id: _label(d) for d in corpus.documents}
    return pd.DataFrame(
        {
            "Rank": range(1, len(pairs) + 1),
            "Document": pairs["doc_a"].map(labels).tolist(),
            "And": pairs["doc_b"].map(labels).tolist(),
            "Similarity" if higher else "Distance": pairs["value"].round(3).tolist(),
        }
    )


_SIMILARITY_CAPTIONS = {
    "cosine_tfidf": (
        "Cosine similarity of the documents' tf-idf vectors (sublinear term frequency, English stop "
        "words removed, words and two-word phrases): 1 = the same wording, 0 = no word in common."
    ),
    "js_distance_themes": (
        "Jensen–Shannon distance between the documents' theme profiles (shares of theme hits, "
        "0.5 added to every theme): 0 = the same mix of themes, 1 = nothing in common."
    ),
    "weighted_jaccard_actors": (
        "Weighted Jaccard overlap of actor mention rates per 1,000 words: 1 = the same actors "
        "at the same rates, 0 = no actor in common."
    ),
}


def similarity_figure(corpus: Corpus, comparison: Comparison, measure: str = "cosine_tfidf"):
    """The document × document matrix on ``measure`` up to MATRIX_MAX_DOCS documents; the closest pairs
    above (a matrix of 30 documents is 900 cells nobody reads)."""
    if len(corpus.documents) > MATRIX_MAX_DOCS:
        description = MEASURES[measure][0]
        return present.table(
            closest_pairs_display(corpus, comparison, measure),
            f"The closest pairs of documents — {description}",
            full_table="similarity",
            empty="No pair of documents was compared.",
        )
    return present.figure(
        similarity_chart(corpus, comparison, measure),
        _SIMILARITY_CAPTIONS[measure] + " Table: tables/similarity.csv.",
    )


def map_figure(corpus: Corpus, comparison: Comparison):
    if comparison.map.empty:
        return present.paragraph(
            f"No map of the documents: it is drawn only when every pair of documents is compared "
            f"(max_docs), and with {len(corpus.documents):,} documents each is compared with its "
            "nearest neighbours instead (tables/similarity.csv)."
        )
    return present.figure(
        map_chart(corpus, comparison),
        "Documents placed so that distances approximate 1 − cosine similarity of their wording "
        "(metric multidimensional scaling, fixed seed); the axes have no meaning of their own.",
    )


def distinctive_figure(corpus: Corpus, comparison: Comparison, per_document: int = 8):
    rule = (
        "z-score of the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; "
        f"the prior is the corpus's own counts); only terms used at least twice with z \u2265 {MIN_Z} are "
        "listed, the level a chance excess reaches one time in twenty"
    )
    with_terms = comparison.distinctive["doc_id"].nunique()
    if not with_terms:
        return present.paragraph(
            f"No document has a term that sets it apart from the rest of the corpus ({rule}). With few or "
            "short documents this is the usual outcome: their differences are in the themes and actors above."
        )
    without = len(corpus.documents) - with_terms
    none = (
        f" {plural(without, 'document')} {'has' if without == 1 else 'have'} no such term." if without else ""
    )
    return present.figure(
        distinctive_chart(corpus, comparison, per_document),
        f"Terms used more in the document than in the rest of the corpus: {rule}.{none}"
        f"{shown_note(corpus, 'distinctive top term', DISTINCTIVE_SHOWN)} "
        "Table: tables/distinctive_terms.csv.",
    )


FEW_PER_PERIOD = 30  # documents on a side of the split below which its changes are leads, not trends


def period_note(comparison: Comparison) -> str:
    """How many documents each side of the split date holds, and, when a side holds few, how to read the
    changes (a fixed "a handful of documents" would be wrong for 100,000)."""
    period = comparison.period
    if period.empty:
        return "No change to show: one side of the split date holds no dated document."
    before, after = int(period["before_docs"].max()), int(period["after_docs"].max())
    split = long_date(comparison.split_date)
    text = f"{plural(before, 'dated document')} before {split} and {after:,} from it on."
    if min(before, after) < FEW_PER_PERIOD:
        text += " With so few on a side, read these changes as leads to check in the texts, not as trends."
    return text


def period_figure(comparison: Comparison, kind: str):
    return present.figure(
        period_chart(comparison, kind),
        "Share of the documents on each side of the split that name the actor or cover the theme; "
        "n = documents on each side. Table with counts and 95% Newcombe intervals for each change: "
        "tables/period_change.csv.",
    )


def group_terms_display(comparison: Comparison) -> pd.DataFrame:
    frame = comparison.group_distinctive
    return pd.DataFrame(
        {
            (comparison.group_column or "group").capitalize(): frame["group"],
            "Term": frame["term"],
            "Uses": frame["count"],
            "Uses elsewhere": frame["count_rest"],
            "z": frame["score"],
            "Log ratio": frame["log_ratio"],
        }
    )


def period_terms_display(comparison: Comparison, count: int = 10) -> pd.DataFrame:
    terms = comparison.period[comparison.period["kind"] == "term"].sort_values(
        ["score", "item"], ascending=[False, True]
    )
    shown = pd.concat([terms.head(count // 2), terms[terms["score"] < 0].tail(count // 2)]).drop_duplicates(
        "item"
    )
    return pd.DataFrame(
        {
            "Term": shown["item"],
            "Before (uses)": shown["before_count"],
            "After (uses)": shown["after_count"],
            "Before per 1,000 words": shown["before"],
            "After per 1,000 words": shown["after"],
            "z": shown["score"],
        }
    )


def near_duplicates_display(corpus: Corpus, comparison: Comparison) -> pd.DataFrame:
    titles = {d.doc_id: short_title(d, 34) for d in corpus.documents}
    frame = comparison.near_duplicates
    return pd.DataFrame(
        {
            "Kind": frame["kind"],
            "Document": frame["doc_a"].map(titles),
            "And": frame["doc_b"].map(titles),
            "Similarity": frame["similarity"],
            "Words": frame["words"],
            "Passage": frame["excerpt"],
        }
    )
