"""Change between two periods: themes, actors and terms before and after a split date."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse

from policybrief.analyses.compare.keyness import log_odds, top_without_parts_of_phrases
from policybrief.analyses.compare.matrix import TermMatrix, group_sums
from policybrief.analyses.stats import newcombe_difference
from policybrief.corpus.model import Corpus
from policybrief.text.dates import date_key


def split_groups(corpus: Corpus, split_date: str) -> dict[str, str]:
    split = date_key(split_date)
    return {d.doc_id: ("after" if when >= split else "before") for when, d in corpus.dated()}


def _share_change(kind: str, item: str, label: str, before: tuple[int, int], after: tuple[int, int]) -> dict:
    (k1, n1), (k2, n2) = before, after
    if n1 and n2:
        low, high = newcombe_difference(k2, n2, k1, n1)
        low, high = round(low, 4), round(high, 4)
    else:
        low = high = math.nan
    share1, share2 = (k1 / n1 if n1 else 0.0), (k2 / n2 if n2 else 0.0)
    return {
        "kind": kind,
        "item": item,
        "label": label,
        "measure": "share of documents",
        "before": round(share1, 4),
        "after": round(share2, 4),
        "change": round(share2 - share1, 4),
        "before_count": k1,
        "before_docs": n1,
        "after_count": k2,
        "after_docs": n2,
        "ci_low": low,
        "ci_high": high,
        "score": math.nan,
    }


# Three parallel sections (themes, actors, terms), each a few lines, building one table in one column order.
def period_change(
    corpus: Corpus,
    matrix: TermMatrix,
    theme_coverage: pd.DataFrame,
    theme_labels: dict[str, str],
    actor_mentions: pd.DataFrame,
    actor_names: dict[str, str],
    split_date: str,
    terms: int = 15,
) -> pd.DataFrame:
    """Themes, actors and terms before and after ``split_date``: shares of documents with a Newcombe interval
    for the difference (themes, actors), and log-odds z-scores with per-1,000-word rates (terms)."""
    groups = split_groups(corpus, split_date)
    before = {d for d, g in groups.items() if g == "before"}
    after = {d for d, g in groups.items() if g == "after"}
    rows = []
    present_themes = theme_coverage[theme_coverage["present"]]
    for theme_id, label in theme_labels.items():
        docs = set(present_themes.loc[present_themes["theme"] == theme_id, "doc_id"])
        rows.append(
            _share_change(
                "theme", theme_id, label, (len(docs & before), len(before)), (len(docs & after), len(after))
            )
        )
    for actor_id, name in actor_names.items():
        docs = set(actor_mentions.loc[actor_mentions["actor"] == actor_id, "doc_id"])
        rows.append(
            _share_change(
                "actor", actor_id, name, (len(docs & before), len(before)), (len(docs & after), len(after))
            )
        )
    if before and after:
        inside = np.array([groups.get(d) == "after" for d in matrix.doc_ids])
        known = np.array([d in groups for d in matrix.doc_ids])
        # column sums as products with 0/1 rows, a block of documents at a time: no copy of the selected rows
        sums = group_sums(matrix, sparse.csr_matrix(np.array([known, inside & known], dtype=np.int8)))
        totals, target = sums.toarray().astype(float)
        rest = totals - target
        _, z = log_odds(target, rest, totals)
        words_after = sum(d.words for d in corpus.documents if d.doc_id in after)
        words_before = sum(d.words for d in corpus.documents if d.doc_id in before)
        candidates = np.where(totals >= 3)[0]
        order = candidates[np.lexsort((matrix.terms[candidates], -np.abs(z[candidates])))]
        order = order[
            top_without_parts_of_phrases(
                np.zeros(len(order), dtype=np.int64), order, totals[order], matrix.terms, terms
            )
        ]
        for w in order:
            rate1, rate2 = 1000 * rest[w] / words_before, 1000 * target[w] / words_after
            rows.append(
                {
                    "kind": "term",
                    "item": matrix.terms[w],
                    "label": matrix.terms[w],
                    "measure": "per 1,000 words",
                    "before": round(rate1, 3),
                    "after": round(rate2, 3),
                    "change": round(rate2 - rate1, 3),
                    "before_count": int(rest[w]),
                    "before_docs": len(before),
                    "after_count": int(target[w]),
                    "after_docs": len(after),
                    "ci_low": math.nan,
                    "ci_high": math.nan,
                    "score": round(float(z[w]), 3),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["kind", "change", "item"], ascending=[True, False, True], key=None).reset_index(
        drop=True
    )
