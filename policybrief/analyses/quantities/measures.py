"""The quantities stated, and those that change between documents: the same kind of figure about the same
thing ("% of GDP", "troops") given as different values in different documents, first and last by date."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from policybrief.analyses.quantities.extract import scan_part
from policybrief.analyses.quantities.rules import QuantityRules
from policybrief.analyses.scan import scan
from policybrief.corpus.model import Corpus

COMPARED_COLUMNS = [
    "kind",
    "unit",
    "subject",
    "documents",
    "values",
    "minimum",
    "maximum",
    "first_date",
    "first_doc",
    "first_stated",
    "last_date",
    "last_doc",
    "last_stated",
]


@dataclass
class QuantityAnalysis:
    rules: QuantityRules
    stated: pd.DataFrame
    compared: pd.DataFrame


def stated_quantities(corpus: Corpus, rules: QuantityRules) -> pd.DataFrame:
    (rows,) = scan(corpus, [scan_part(rules)])["quantities"]
    return rows.frame()


def compared(corpus: Corpus, stated: pd.DataFrame) -> pd.DataFrame:
    """One row per figure stated with different values in two or more documents, most documents first."""
    known = stated[stated["subject"].astype(str) != ""]
    if known.empty:
        return pd.DataFrame(columns=COMPARED_COLUMNS)
    dates = {d.doc_id: d.date for d in corpus.documents}
    known = known.assign(date=known["doc_id"].astype(str).map(dates)).sort_values(["date", "doc_id", "start"])
    rows = []
    for (kind, unit, subject), group in known.groupby(["kind", "unit", "subject"], observed=True, sort=True):
        if group["doc_id"].nunique() < 2 or group["value"].nunique() < 2:
            continue
        dated = group[group["date"].astype(bool)]
        first, last = (dated.iloc[0], dated.iloc[-1]) if len(dated) else (group.iloc[0], group.iloc[-1])
        rows.append(
            (
                kind,
                unit,
                subject,
                group["doc_id"].nunique(),
                group["value"].nunique(),
                group["value"].min(),
                group["value"].max(),
                first["date"],
                first["doc_id"],
                first["matched"],
                last["date"],
                last["doc_id"],
                last["matched"],
            )
        )
    frame = pd.DataFrame(rows, columns=COMPARED_COLUMNS)
    return frame.sort_values(
        ["documents", "values", "kind", "subject"], ascending=[False, False, True, True]
    ).reset_index(drop=True)


def analyse(corpus: Corpus, rules: QuantityRules) -> QuantityAnalysis:
    stated = stated_quantities(corpus, rules)
    return QuantityAnalysis(rules, stated, compared(corpus, stated))


def tables(analysis: QuantityAnalysis) -> dict[str, pd.DataFrame]:
    return {"stated_quantities.csv": analysis.stated, "quantities_compared.csv": analysis.compared}
