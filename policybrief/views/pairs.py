"""The compared pair, shown: its closest passages and what the two documents share and do not."""

from __future__ import annotations

import numpy as np
import pandas as pd

import policybrief.views.present as present
from policybrief.analyses.actors.measures import ActorAnalysis
from policybrief.analyses.compare.comparison import Comparison, items_in
from policybrief.analyses.compare.keyness import distinctive_terms
from policybrief.analyses.compare.matrix import TermMatrix, matrix_subset
from policybrief.analyses.compare.similarity import similar_passages
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus, short_title

__all__ = ["pair_quotes", "side_by_side", "side_by_side_display"]


def pair_quotes(corpus: Corpus, comparison: Comparison, count: int = 3):
    if not comparison.pair:
        return present.paragraph("There is no pair of documents to compare.")
    docs = {d.doc_id: d for d in corpus.documents}
    a, b = (docs[d] for d in comparison.pair)
    items: list[tuple[str, list[tuple[int, int]], str]] = []
    for passage in similar_passages(corpus, comparison.pair, count):
        items.append(
            (passage["a"], [], f"{short_title(a, 60)} — cosine {passage['score']:.2f} with the next quote")
        )
        items.append((passage["b"], [], f"{short_title(b, 60)}"))
    return present.quotes([(f"Closest passages of “{short_title(a, 50)}” and “{short_title(b, 50)}”", items)])


def side_by_side(
    corpus: Corpus,
    pair: tuple[str, str],
    matrix: TermMatrix,
    theme_coverage: pd.DataFrame,
    theme_labels: dict[str, str],
    actor_mentions: pd.DataFrame,
    actor_names: dict[str, str],
    terms: int = 8,
) -> pd.DataFrame:
    """Shared and distinctive themes, actors and terms of two documents, one row per aspect."""
    a, b = pair
    rows = []
    present_themes = theme_coverage[theme_coverage["present"]]
    for kind, table, key, labels in (
        ("Themes", present_themes, "theme", theme_labels),
        ("Actors", actor_mentions, "actor", actor_names),
    ):
        in_a, in_b = items_in(table, key, a), items_in(table, key, b)
        for aspect, items in (
            ("shared", in_a & in_b),
            ("only in the first", in_a - in_b),
            ("only in the second", in_b - in_a),
        ):
            rows.append(
                {
                    "What": kind,
                    "Where": aspect,
                    "Items": ", ".join(sorted(labels.get(i, i) for i in items)) or "—",
                }
            )
    keyness = distinctive_terms(
        matrix_subset(matrix, [a, b]), {a: "first", b: "second"}, top=terms, min_count=2
    )
    index = {d: i for i, d in enumerate(matrix.doc_ids)}
    both = matrix.tfidf[index[a]].minimum(matrix.tfidf[index[b]]).toarray().ravel()
    shared_terms = [matrix.terms[i] for i in np.lexsort((matrix.terms, -both))[:terms] if both[i] > 0]
    rows.append({"What": "Terms", "Where": "shared", "Items": ", ".join(shared_terms) or "—"})
    for which, _aspect in (("first", "only in the first"), ("second", "only in the second")):
        listed = keyness.loc[keyness["group"] == which, "term"].tolist()
        rows.append(
            {"What": "Terms", "Where": f"distinctive of the {which}", "Items": ", ".join(listed) or "—"}
        )
    return pd.DataFrame(rows)


def side_by_side_display(
    corpus: Corpus, comparison: Comparison, theme_analysis: ThemeAnalysis, actor_analysis: ActorAnalysis
) -> pd.DataFrame:
    """The side-by-side table of the comparison's pair (empty when there is no pair)."""
    if comparison.pair is None:
        return pd.DataFrame(columns=["What", "Where", "Items"])
    theme_labels = {t: theme_analysis.lexicon.short(t) for t in theme_analysis.lexicon.themes}
    actor_names = {a: actor_analysis.actors.name(a) for a in actor_analysis.per_document["actor"].unique()}
    return side_by_side(
        corpus,
        comparison.pair,
        comparison.matrix,
        theme_analysis.coverage,
        theme_labels,
        actor_analysis.per_document,
        actor_names,
    )
