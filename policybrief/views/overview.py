"""Corpus overview, shown: narrative, document list, cleaning summaries and the publication timeline."""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd

from policybrief.analyses.overview import REMOVAL_STEPS, cleaning_table, quality_table, summary
from policybrief.corpus.model import Corpus, short_title
from policybrief.text.dates import long_date
from policybrief.text.words import excerpt, plural

# What the notebooks call: the declared API of this module.
__all__ = [
    "cleaning_summary",
    "documents_display",
    "narrative",
    "quality_display",
    "removals_display",
    "timeline_chart",
]

# Above this many documents the timeline shows documents per month instead of one mark per document.
TIMELINE_MAX_POINTS = 40


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeio" else "a"


def narrative(corpus: Corpus) -> str:
    """A paragraph generated from the numbers: size, span, provenance of dates, what cleaning did."""
    s = summary(corpus)
    unsourced = sum(1 for d in corpus.documents if not d.source)
    origin = f"from {plural(s['sources'], 'source')}" if s["sources"] else "whose sources are not given"
    if s["sources"] and unsourced:
        origin += f" ({plural(unsourced, 'document')} without one)"
    parts = [
        f"The corpus holds {plural(s['documents'], 'document')} {origin}: "
        f"{s['words']:,} words in {s['sentences']:,} sentences after cleaning."
    ]
    if s["first_date"]:
        parts.append(
            f"They were published between {long_date(s['first_date'], s['first_precision'])} and "
            f"{long_date(s['last_date'], s['last_precision'])}."
        )
    inferred = [d for d in corpus.documents if "inferred" in d.date_basis.lower()]
    if inferred:
        parts.append(
            f"The date of {plural(len(inferred), 'document')} is inferred rather than printed "
            "(see the data-quality notes)."
        )
    if s["undated"]:
        parts.append(
            f"{plural(s['undated'], 'document')} without a known date {'is' if s['undated'] == 1 else 'are'} "
            "counted everywhere except in time charts."
        )
    if s["outside_window"]:
        parts.append(
            f"{plural(s['outside_window'], 'further document')} outside the chosen date window "
            f"{'is' if s['outside_window'] == 1 else 'are'} left out."
        )
    removed = s["words_raw"] - s["words"]
    if s["words_raw"]:
        parts.append(
            f"Cleaning removed {removed:,} of {s['words_raw']:,} words ({removed / s['words_raw']:.0%}) "
            "that were not article text."
        )
    biggest = max(
        ((r["words"], doc, r) for doc in corpus.documents for r in doc.removals if r["words"]),
        key=lambda item: (item[0], item[1].doc_id),
        default=None,
    )
    if biggest:
        words, doc, removal = biggest
        parts.append(
            f"The largest single removal was {_article(removal['step'])} {removal['step']} "
            f"of {words:,} words in “{short_title(doc)}” "
            f"({removal['reason']})."
        )
    return " ".join(parts)


def documents_display(corpus: Corpus) -> pd.DataFrame:
    """The documents in date order, with how each date is known."""
    docs = sorted(corpus.documents, key=lambda d: (d.sort_date or dt.date.max, d.doc_id))
    return pd.DataFrame(
        [
            {
                "Date": d.date or "undated",
                "Title": d.title,
                "Source": d.source,
                "Author": d.author or "—",
                "Date known from": d.date_basis or "—",
                "Words": d.words,
                "Words as read": d.words_raw,
            }
            for d in docs
        ]
    )


def cleaning_summary(corpus: Corpus) -> pd.DataFrame:
    """Words removed per document and cleaning step."""
    log = cleaning_table(corpus)
    removed = log.pivot_table(
        index="doc_id", columns="step", values="words_removed", aggfunc="sum", fill_value=0
    )
    rows = []
    for doc in corpus.documents:
        row = {"Document": short_title(doc, 40), "Words as read": doc.words_raw}
        for step in REMOVAL_STEPS:
            row[step.capitalize()] = (
                int(removed.at[doc.doc_id, step])
                if doc.doc_id in removed.index and step in removed.columns
                else 0
            )
        row["Line breaks repaired"] = sum(1 for r in doc.removals if r["step"] == "line break repaired")
        row["Words counted"] = doc.words
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    removed_words = frame["Words as read"] - frame["Words counted"]
    return frame.iloc[np.argsort(-removed_words.to_numpy(), kind="stable")].reset_index(drop=True)


def removals_display(corpus: Corpus) -> pd.DataFrame:
    log = cleaning_table(corpus)
    titles = {d.doc_id: short_title(d, 32) for d in corpus.documents}
    log = log[log["step"] != "line break repaired"].sort_values(
        ["words_removed", "doc_id"], ascending=[False, True]
    )
    return pd.DataFrame(
        {
            "Document": log["doc_id"].map(titles),
            "Step": log["step"],
            "Why": log["reason"],
            "Words": log["words_removed"],
            "What was removed (start)": log["removed_text"].map(lambda text: excerpt(text, 90)),
        }
    )


def quality_display(corpus: Corpus) -> pd.DataFrame:
    notes = quality_table(corpus)
    return notes.rename(columns={"file": "File", "severity": "Severity", "problem": "Note"})


def timeline_chart(corpus: Corpus, max_points: int = TIMELINE_MAX_POINTS) -> alt.Chart:
    """Publication dates: one mark per document on a small corpus, documents per month on a large one."""
    dated = corpus.dated()
    if len(dated) <= max_points:
        frame = pd.DataFrame(
            {
                "date": [when.isoformat() for when, _ in dated],
                "document": [short_title(d, 44) for _, d in dated],
                "source": [d.source or "unknown source" for _, d in dated],
                "words": [d.words for _, d in dated],
                "label": [f"{d.words:,} words" for _, d in dated],
            }
        )
        first, last = dated[0][0], dated[-1][0]
        pad = dt.timedelta(days=max(15, (last - first).days // 12))
        domain = [(first - pad).isoformat(), (last + pad).isoformat()]
        base = alt.Chart(frame).encode(
            x=alt.X(
                "date:T",
                title="Publication date",
                scale=alt.Scale(domain=domain),
                axis=alt.Axis(format="%b %Y", labelAngle=-40),
            ),
            y=alt.Y("document:N", sort=frame["document"].tolist(), title=None),
            tooltip=["document", "source", "date:T", "words"],
        )
        points = base.mark_circle(size=110, opacity=1, color="#1f4e79")
        labels = base.mark_text(align="left", dx=9, fontSize=10, color="#404040").encode(text="label")
        return (points + labels).properties(
            width=300, height=max(120, 30 * len(frame)), title="Publication timeline (one mark per document)"
        )
    months = pd.Series([when.replace(day=1) for when, _ in dated])
    full = pd.date_range(months.min(), months.max(), freq="MS").date
    counts = months.value_counts().reindex(full, fill_value=0)
    frame = pd.DataFrame({"month": [m.isoformat() for m in counts.index], "documents": counts.values})
    return (
        alt.Chart(frame)
        .mark_bar(color="#1f4e79")
        .encode(
            x=alt.X("month:T", title="Month of publication", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("documents:Q", title="Documents"),
            tooltip=["month:T", "documents"],
        )
        .properties(width=560, height=220, title="Documents published per month")
    )
