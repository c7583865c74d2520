"""Document comparison, computed: every comparison measure of a corpus, and its tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import policybrief.analyses.compare.duplicates as duplicates_code
import policybrief.analyses.compare.keyness as keyness_code
import policybrief.analyses.compare.matrix as matrix_code
import policybrief.analyses.compare.neighbours as neighbours_code
import policybrief.analyses.compare.periods as periods_code
import policybrief.analyses.compare.similarity as similarity_code
from policybrief.analyses.actors.measures import ActorAnalysis
from policybrief.analyses.compare.duplicates import near_duplicates
from policybrief.analyses.compare.keyness import distinctive_terms
from policybrief.analyses.compare.matrix import TermMatrix, matrix_subset, term_matrix
from policybrief.analyses.compare.periods import period_change
from policybrief.analyses.compare.similarity import (
    actor_rates,
    document_map,
    heatmap_pairs,
    most_similar_pair,
    similarity_table,
    theme_profiles,
)
from policybrief.analyses.compare.terms import scan_part
from policybrief.analyses.scan import fingerprint, remembered, scan
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus

# The corpus-level comparison code: editing it recomputes the comparison, never the per-document scan.
_CODE = (
    duplicates_code,
    keyness_code,
    matrix_code,
    neighbours_code,
    periods_code,
    similarity_code,
    Path(__file__),
)


def items_in(table: pd.DataFrame, key: str, doc_id: str) -> set[str]:
    """The themes (or actors) a document has, from a per-document table such as theme_coverage."""
    return set(table.loc[table["doc_id"] == doc_id, key])


@dataclass
class Comparison:
    # the term matrix's rows of the compared pair only: what the side-by-side view reads (the whole matrix
    # would be kept with the result, gigabytes at 100,000 documents)
    matrix: TermMatrix
    similarity: pd.DataFrame
    distinctive: pd.DataFrame
    group_distinctive: pd.DataFrame
    group_column: str | None
    period: pd.DataFrame
    split_date: str
    near_duplicates: pd.DataFrame
    map: pd.DataFrame
    pair: tuple[str, str] | None
    heatmap_pairs: pd.DataFrame | None = None  # every pair among the documents the heatmaps show


# Long only by its argument list and the result it assembles: each measure is one call.
def analyse(
    corpus: Corpus,
    theme_analysis: ThemeAnalysis,
    actor_analysis: ActorAnalysis,
    split_date: str = "2025-01-20",
    group_column: str | None = "source",
    terms_per_document: int = 8,
    threshold: float = 0.5,
    max_docs: int = 300,
    neighbours: int = 5,
    pair: tuple[str, str] | None = None,
) -> Comparison:
    """Every comparison measure; computed once per corpus and options, then read from the cache."""
    options = (split_date, group_column, terms_per_document, threshold, max_docs, neighbours, pair)
    key = fingerprint(scan_part().key, *_CODE, theme_analysis.key, actor_analysis.key, options)

    def compute() -> Comparison:
        profiles = scan(corpus, [scan_part()])["terms"]
        matrix = term_matrix(corpus, profiles)
        ids = matrix.doc_ids
        profiles_by_theme, rates = (
            theme_profiles(theme_analysis.coverage, ids),
            actor_rates(actor_analysis.per_document, ids),
        )
        similarity = similarity_table(matrix, profiles_by_theme, rates, max_docs, neighbours)
        distinctive = distinctive_terms(matrix, {d: d for d in ids}, top=terms_per_document)
        distinctive = distinctive.rename(columns={"group": "doc_id"})
        groups = _group_of(corpus, group_column)
        group_distinctive = (
            distinctive_terms(matrix, groups, top=terms_per_document)
            if len(set(groups.values())) > 1
            else pd.DataFrame(
                columns=["group", "term", "count", "count_rest", "score", "log_odds", "log_ratio"]
            )
        )
        theme_labels = {t: theme_analysis.lexicon.label(t) for t in theme_analysis.lexicon.themes}
        actor_names = {
            a: actor_analysis.actors.name(a) for a in sorted(actor_analysis.per_document["actor"].unique())
        }
        period = period_change(
            corpus,
            matrix,
            theme_analysis.coverage,
            theme_labels,
            actor_analysis.per_document,
            actor_names,
            split_date,
        )
        chosen = (pair[0], pair[1]) if pair else most_similar_pair(similarity)
        doc_map = document_map(matrix) if len(ids) <= max_docs else pd.DataFrame(columns=["doc_id", "x", "y"])
        return Comparison(
            matrix_subset(matrix, list(chosen) if chosen else []),
            similarity,
            distinctive,
            group_distinctive,
            group_column,
            period,
            split_date,
            near_duplicates(corpus, threshold, max_docs, profiles),
            doc_map,
            chosen,
            heatmap_pairs(similarity, matrix, profiles_by_theme, rates),
        )

    return remembered(corpus, "comparison", key, compute)


def _group_of(corpus: Corpus, column: str | None) -> dict[str, str]:
    """Each document's value of a metadata column ("source", "author", or an extra column)."""
    if not column:
        return {}
    groups = {}
    for doc in corpus.documents:
        value = (
            getattr(doc, column, None) if column in ("source", "author", "format") else doc.extra.get(column)
        )
        if value:
            groups[doc.doc_id] = str(value)
    return groups


def tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    return {
        "similarity.csv": comparison.similarity,
        "distinctive_terms.csv": comparison.distinctive,
        "group_distinctive_terms.csv": comparison.group_distinctive,
        "period_change.csv": comparison.period,
        "near_duplicates.csv": comparison.near_duplicates,
        "document_map.csv": comparison.map,
    }
