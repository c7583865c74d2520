"""Corpus overview: what is in the corpus, where it comes from, and what cleaning removed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from policybrief.present import alt
from policybrief.corpus import Corpus, Document
from policybrief.tables import cleaning_table, quality_table
from policybrief.text import excerpt, plural

# Above this many documents the timeline shows documents per month instead of one mark per document.
TIMELINE_MAX_POINTS = 40
# A chart or list with one entry per document shows at most this many; the CSV tables have them all.
DOCUMENTS_SHOWN = 30
REMOVAL_STEPS = ["web residue", "page header", "page footer", "author bio", "repeated passage"]


def short_title(doc: Document, limit: int = 48) -> str:
    """The title cut at a word boundary, for chart labels and narrow table columns."""
    if len(doc.title) <= limit:
        return doc.title
    return doc.title[: limit - 1].rsplit(" ", 1)[0].rstrip(" :,;") + "…"


def doc_label(doc: Document) -> str:
    """A document on a chart axis: month of publication and short title."""
    return f"{doc.date[:7] or 'undated'} · {short_title(doc, 30)}"


def citation(doc: Document) -> str:
    """A quoted sentence's source: title, source and date."""
    return f"{short_title(doc, 60)} — {doc.source or 'unknown source'}, {long_date(doc.date) if doc.date else 'undated'}"


def long_date(iso: str) -> str:
    parts = iso.split("-")
    day = dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return {3: f"{day.day} {day:%B %Y}", 2: f"{day:%B %Y}", 1: parts[0]}[len(parts)]


def summary(corpus: Corpus) -> dict:
    dated = sorted((d.sort_date, d.date) for d in corpus.documents if d.sort_date)
    return {
        "documents": len(corpus.documents),
        "sources": len({d.source for d in corpus.documents if d.source}),
        "words": sum(d.words for d in corpus.documents),
        "words_raw": sum(d.words_raw for d in corpus.documents),
        "sentences": sum(len(d.sentence_spans) for d in corpus.documents),
        "first_date": dated[0][1] if dated else "",
        "last_date": dated[-1][1] if dated else "",
        "undated": sum(1 for d in corpus.documents if not d.date),
        "outside_window": len(corpus.outside_window),
    }


def narrative(corpus: Corpus) -> str:
    """A paragraph generated from the numbers: size, span, provenance of dates, what cleaning did."""
    s = summary(corpus)
    parts = [
        f"The corpus holds {plural(s['documents'], 'document')} from {plural(s['sources'], 'source')}: "
        f"{s['words']:,} words in {s['sentences']:,} sentences after cleaning."
    ]
    if s["first_date"]:
        parts.append(f"They were published between {long_date(s['first_date'])} and {long_date(s['last_date'])}.")
    inferred = [d for d in corpus.documents if "inferred" in d.date_basis.lower()]
    if inferred:
        parts.append(f"The date of {plural(len(inferred), 'document')} is inferred rather than printed "
                     "(see the data-quality notes).")
    if s["undated"]:
        parts.append(f"{plural(s['undated'], 'document')} without a known date {'is' if s['undated'] == 1 else 'are'} "
                     "counted everywhere except in time charts.")
    if s["outside_window"]:
        parts.append(f"{plural(s['outside_window'], 'further document')} outside the chosen date window "
                     f"{'is' if s['outside_window'] == 1 else 'are'} left out.")
    removed = s["words_raw"] - s["words"]
    if s["words_raw"]:
        parts.append(f"Cleaning removed {removed:,} of {s['words_raw']:,} words ({removed / s['words_raw']:.0%}) "
                     "that were not article text.")
    biggest = max(
        ((r["words"], doc, r) for doc in corpus.documents for r in doc.removals if r["words"]),
        key=lambda item: (item[0], item[1].doc_id),
        default=None,
    )
    if biggest:
        words, doc, removal = biggest
        parts.append(f"The largest single removal was a {removal['step']} of {words:,} words in “{short_title(doc)}” "
                     f"({removal['reason']}).")
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
    removed = log.pivot_table(index="doc_id", columns="step", values="words_removed", aggfunc="sum", fill_value=0)
    rows = []
    for doc in corpus.documents:
        row = {"Document": short_title(doc, 40), "Words as read": doc.words_raw}
        for step in REMOVAL_STEPS:
            row[step.capitalize()] = int(removed.at[doc.doc_id, step]) if doc.doc_id in removed.index and step in removed.columns else 0
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
    log = log[log["step"] != "line break repaired"].sort_values(["words_removed", "doc_id"], ascending=[False, True])
    return pd.DataFrame({
        "Document": log["doc_id"].map(titles),
        "Step": log["step"],
        "Why": log["reason"],
        "Words": log["words_removed"],
        "What was removed (start)": log["removed_text"].map(lambda text: excerpt(text, 90)),
    })


def quality_display(corpus: Corpus) -> pd.DataFrame:
    notes = quality_table(corpus)
    return notes.rename(columns={"file": "File", "severity": "Severity", "problem": "Note"})


def timeline_chart(corpus: Corpus, max_points: int = TIMELINE_MAX_POINTS) -> alt.Chart:
    """Publication dates: one mark per document on a small corpus, documents per month on a large one."""
    dated = sorted((d for d in corpus.documents if d.sort_date), key=lambda d: (d.sort_date, d.doc_id))
    if len(dated) <= max_points:
        frame = pd.DataFrame({
            "date": [d.sort_date.isoformat() for d in dated],
            "document": [short_title(d, 56) for d in dated],
            "source": [d.source or "unknown source" for d in dated],
            "words": [d.words for d in dated],
            "label": [f"{d.words:,} words" for d in dated],
        })
        pad = dt.timedelta(days=max(15, (dated[-1].sort_date - dated[0].sort_date).days // 12))
        domain = [(dated[0].sort_date - pad).isoformat(), (dated[-1].sort_date + pad).isoformat()]
        base = alt.Chart(frame).encode(
            x=alt.X("date:T", title="Publication date", scale=alt.Scale(domain=domain),
                    axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            y=alt.Y("document:N", sort=frame["document"].tolist(), title=None),
            tooltip=["document", "source", "date:T", "words"],
        )
        points = base.mark_circle(size=110, opacity=1, color="#1f4e79")
        labels = base.mark_text(align="left", dx=9, fontSize=10, color="#404040").encode(text="label")
        return (points + labels).properties(width=380, height=max(120, 30 * len(frame)),
                                           title="Publication timeline (one mark per document)")
    months = pd.Series([d.sort_date.replace(day=1) for d in dated])
    full = pd.date_range(months.min(), months.max(), freq="MS").date
    counts = months.value_counts().reindex(full, fill_value=0)
    frame = pd.DataFrame({"month": [m.isoformat() for m in counts.index], "documents": counts.values})
    return alt.Chart(frame).mark_bar(color="#1f4e79").encode(
        x=alt.X("month:T", title="Month of publication", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("documents:Q", title="Documents"),
        tooltip=["month:T", "documents"],
    ).properties(width=560, height=220, title="Documents published per month")


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
