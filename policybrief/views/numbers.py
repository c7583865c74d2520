"""What the documents say in numbers, shown: the figures stated with different values in different
documents, first and last by date, each as the document wrote it."""

from __future__ import annotations

import pandas as pd

from policybrief.analyses.quantities import QuantityAnalysis
from policybrief.corpus.model import Corpus, short_title
from policybrief.text.dates import long_date
from policybrief.text.words import plural

__all__ = ["compared_display", "narrative"]


def _figure(row) -> str:
    """What the figure is: "% of gdp", "USD investment", "troops"."""
    if row.kind == "count":
        return str(row.unit)
    return f"{row.unit} {row.subject}".strip() if row.kind == "money" else f"% {row.subject}".strip()


def _amount(value: float, kind: str, unit: str) -> str:
    """A value as a reader writes it: "2.5%", "350 billion USD", "28,500"."""
    if kind == "percent":
        return f"{value:g}%"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if kind == "money" and abs(value) >= size:
            return f"{value / size:g} {word} {unit}"
    return f"{value:,.0f} {unit}" if kind == "money" else f"{value:,g}"


def compared_display(corpus: Corpus, analysis: QuantityAnalysis) -> pd.DataFrame:
    docs = {d.doc_id: d for d in corpus.documents}

    def stated(value: str, doc_id: str, date: str) -> str:
        when = long_date(date, docs[doc_id].date_precision) if date else "undated"
        return f"{value} ({short_title(docs[doc_id], 36)}, {when})"

    frame = analysis.compared
    return pd.DataFrame(
        {
            "Figure": [_figure(r) for r in frame.itertuples()],
            "First stated": [stated(r.first_stated, r.first_doc, r.first_date) for r in frame.itertuples()],
            "Last stated": [stated(r.last_stated, r.last_doc, r.last_date) for r in frame.itertuples()],
            "Range": [
                f"{_amount(r.minimum, r.kind, r.unit)} – {_amount(r.maximum, r.kind, r.unit)}"
                for r in frame.itertuples()
            ],
            "Documents": frame["documents"].astype(int),
            "Different values": frame["values"].astype(int),
        }
    )


def narrative(analysis: QuantityAnalysis) -> str:
    stated, compared = analysis.stated, analysis.compared
    if stated.empty:
        return "The documents state no percentages, sums of money or counts of the listed things."
    kinds = stated["kind"].astype(str).value_counts()
    parts = [
        f"The documents state {plural(len(stated), 'figure')}: "
        f"{plural(kinds.get('percent', 0), 'percentage')}, "
        f"{plural(kinds.get('money', 0), 'sum')} of money and {plural(kinds.get('count', 0), 'count')} "
        f"(every one, with its sentence, in tables/stated_quantities.csv)."
    ]
    if len(compared):
        parts.append(
            f"{plural(len(compared), 'figure')} about the same thing {'is' if len(compared) == 1 else 'are'} "
            "stated with different values in different documents: the table gives the first and the last, as "
            "written."
        )
    return " ".join(parts)
