"""Theme coverage, computed: which policy themes each document covers, how much, since when.

Every number here is an aggregate of the evidence table: one row per term match, with its
document, sentence and character span in the cleaned text. The table stays in the scan's partitions
(``PartRows``) and each measure is summed over them a partition at a time: a document's rows are all in
one partition, so the sums are exact and the build never holds the corpus's hits at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from policybrief.analyses.cooccurrence import counted_pairs, pairs_in_sentences, sentence_items
from policybrief.analyses.parts import PartRows
from policybrief.analyses.scan import fingerprint, remembered, scan
from policybrief.analyses.schemas import Table
from policybrief.analyses.stats import wilson
from policybrief.analyses.themes.lexicon import ThemeLexicon
from policybrief.analyses.themes.scan import scan_part
from policybrief.corpus.model import Corpus, citation
from policybrief.errors import BriefingError
from policybrief.text.dates import date_key
from policybrief.text.periods import all_periods, check_bin, period_label, period_start, resolve_bin


def find_evidence(corpus: Corpus, lexicon: ThemeLexicon) -> PartRows:
    """One row per theme hit: document, sentence, span in the cleaned text, term and matched text; kept as
    the scan's partitions (``.frame()`` is the whole table)."""
    [hits] = scan(corpus, [scan_part(lexicon)])["themes"]
    return hits


def _document_counts(
    corpus: Corpus, evidence: PartRows, theme_ids: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Hits and sentences with a hit, as documents × themes arrays (corpus order, ``theme_ids`` order)."""
    place = {d.doc_id: i for i, d in enumerate(corpus.documents)}
    theme_place = {t: j for j, t in enumerate(theme_ids)}
    hits = np.zeros((len(place), len(theme_ids)), dtype=np.int64)
    touched = np.zeros_like(hits)
    for rows in evidence.batches(["doc_id", "theme", "sentence_index"]):
        counts = rows.groupby(["doc_id", "theme"], observed=True)["sentence_index"].agg(["size", "nunique"])
        # each level's few values looked up once, then its codes (a dict mapped per row, or a Series made of
        # the corpus's ids per partition, took 27 s at 100,000 documents)
        (docs, themes), (doc_codes, theme_codes) = counts.index.levels, counts.index.codes
        doc_at = np.array([place[str(d)] for d in docs], dtype=np.int64)[doc_codes]
        theme_at = np.array([theme_place.get(str(t), -1) for t in themes], dtype=np.int64)[theme_codes]
        listed = theme_at >= 0  # a theme no longer in the lexicon is not counted
        at = (doc_at[listed], theme_at[listed])
        hits[at] += counts["size"].to_numpy()[listed]
        touched[at] += counts["nunique"].to_numpy()[listed]
    return hits, touched


def coverage(corpus: Corpus, evidence: PartRows, lexicon: ThemeLexicon, min_hits: int = 1) -> pd.DataFrame:
    """Per document and theme (zeros included): hits, hits per 1,000 words, share of sentences, presence."""
    docs, theme_ids = corpus.documents, list(lexicon.themes)
    cells = pd.MultiIndex.from_product([[d.doc_id for d in docs], theme_ids])
    hits, touched = (counts.ravel() for counts in _document_counts(corpus, evidence, theme_ids))
    words = np.repeat([d.words for d in docs], len(theme_ids))
    sentences = np.repeat([d.sentences for d in docs], len(theme_ids))
    return pd.DataFrame(
        {
            "doc_id": cells.get_level_values(0),
            "date": np.repeat([d.date for d in docs], len(theme_ids)),
            "theme": cells.get_level_values(1),
            "label": [lexicon.label(t) for t in theme_ids] * len(docs),
            "hits": hits.astype(np.int64),
            "words": words.astype(np.int64),
            "per_1k_words": [
                round(1000 * int(n) / int(w), 3) if w else 0.0 for n, w in zip(hits, words, strict=True)
            ],
            "sentences_with_theme": touched.astype(np.int64),
            "sentences": sentences.astype(np.int64),
            "sentence_share": [
                round(int(t) / int(n), 4) if n else 0.0 for t, n in zip(touched, sentences, strict=True)
            ],
            "present": hits >= min_hits,
        }
    )


def corpus_coverage(cov: pd.DataFrame) -> pd.DataFrame:
    """Per theme: how many documents cover it, with a 95% Wilson interval, and its overall rate."""
    rows = []
    for theme_id, group in cov.groupby("theme", sort=False):
        covering, documents = int(group["present"].sum()), len(group)
        low, high = wilson(covering, documents)
        words = int(group["words"].sum())
        rows.append(
            {
                "theme": theme_id,
                "label": group["label"].iloc[0],
                "documents": documents,
                "documents_covering": covering,
                "share": round(covering / documents, 4) if documents else 0.0,
                "ci_low": round(low, 4),
                "ci_high": round(high, 4),
                "hits": int(group["hits"].sum()),
                "per_1k_words": round(1000 * group["hits"].sum() / words, 3) if words else 0.0,
            }
        )
    return (
        pd.DataFrame(rows)
        .sort_values(["documents_covering", "hits", "theme"], ascending=[False, False, True])
        .reset_index(drop=True)
    )


def coverage_over_time(cov: pd.DataFrame, time_bin: str = "quarter") -> pd.DataFrame:
    """Per period and theme: documents, documents covering, share and rate; periods without documents are
    zero."""
    check_bin(time_bin)
    dated = cov[cov["date"].astype(bool)].copy()
    columns = [
        "period",
        "period_start",
        "theme",
        "label",
        "documents",
        "documents_covering",
        "share",
        "hits",
        "words",
        "per_1k_words",
    ]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    starts = {d: period_start(date_key(d), time_bin) for d in dated["date"].unique()}
    dated["period_start"] = dated["date"].map(starts)
    periods = all_periods(dated["period_start"].min(), dated["period_start"].max(), time_bin)
    labels = dict(zip(cov["theme"], cov["label"], strict=True))
    sums = dated.groupby(["period_start", "theme"]).agg(
        documents=("doc_id", "size"),
        covering=("present", "sum"),
        hits=("hits", "sum"),
        words=("words", "sum"),
    )
    rows = []
    for start in periods:
        for theme_id, label in labels.items():
            documents, covering, hits, words = (
                (int(v) for v in sums.loc[(start, theme_id)])
                if (start, theme_id) in sums.index
                else (0, 0, 0, 0)
            )
            rows.append(
                {
                    "period": period_label(start, time_bin),
                    "period_start": start.isoformat(),
                    "theme": theme_id,
                    "label": label,
                    "documents": documents,
                    "documents_covering": covering,
                    "share": round(covering / documents, 4) if documents else 0.0,
                    "hits": hits,
                    "words": words,
                    "per_1k_words": round(1000 * hits / words, 3) if words else 0.0,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def cooccurrence(evidence: PartRows, lexicon: ThemeLexicon) -> pd.DataFrame:
    """How many sentences each pair of themes shares (the diagonal: sentences touching the theme)."""
    counts: Counter[tuple[str, str]] = Counter()
    for rows in evidence.batches(["doc_id", "theme", "sentence_index"]):
        keys, codes = sentence_items(rows, rows["doc_id"].cat.categories, "theme")
        themes = rows["theme"].cat.categories  # ordered as text: a's before b's
        a, b, sentences, _ = counted_pairs(*pairs_in_sentences(keys, codes), len(themes))
        for theme_a, theme_b, n in zip(a.tolist(), b.tolist(), sentences.tolist(), strict=True):
            counts[themes[theme_a], themes[theme_b]] += n
        for theme, n in enumerate(np.bincount(codes, minlength=len(themes)).tolist()):
            counts[themes[theme], themes[theme]] += n  # the diagonal: sentences touching the theme
    ids = list(lexicon.themes)
    rows = [
        {"theme_a": a, "theme_b": b, "sentences": counts.get((min(a, b), max(a, b)), 0)}
        for i, a in enumerate(ids)
        for b in ids[i:]
    ]
    return pd.DataFrame(rows, columns=["theme_a", "theme_b", "sentences"])


def unmatched_terms(evidence: PartRows, lexicon: ThemeLexicon) -> pd.DataFrame:
    """Terms that matched nowhere in the corpus, for pruning the lexicon."""
    used = {
        (str(theme), str(term))
        for rows in evidence.batches(["theme", "term"])
        for theme, term in rows.drop_duplicates().itertuples(index=False, name=None)
    }
    rows = [
        (t.theme_id, t.label, term)
        for t in lexicon.themes.values()
        for term in t.terms
        if (t.theme_id, term) not in used
    ]
    return pd.DataFrame(rows, columns=["theme", "label", "term"])


def telling_sentences(corpus: Corpus, evidence: PartRows, theme_id: str, count: int = 3) -> list[dict]:
    """The sentences that show a theme best: most distinct terms, then most hits, one per document first."""
    rows = evidence.where("theme", [theme_id])
    if rows.empty:
        return []
    docs = {d.doc_id: d for d in corpus.documents}
    scored = (
        rows.groupby(["doc_id", "sentence_index"])
        .agg(terms=("term", "nunique"), hits=("term", "size"))
        .reset_index()
    )
    spans = [
        docs[d].sentence_spans[i] for d, i in zip(scored["doc_id"], scored["sentence_index"], strict=True)
    ]
    scored["length"] = [int(end - start) for start, end in spans]
    scored["date"] = [docs[d].date or "9999" for d in scored["doc_id"]]
    scored = scored.sort_values(
        ["terms", "hits", "length", "date", "doc_id", "sentence_index"],
        ascending=[False, False, True, True, True, True],
    )
    first_of_document = scored.drop_duplicates("doc_id")
    picked = pd.concat([first_of_document, scored.drop(first_of_document.index)]).head(count)
    chosen = []
    for doc_id, index in zip(picked["doc_id"], picked["sentence_index"], strict=True):
        doc = corpus.with_text(docs[doc_id])
        start, end = (int(offset) for offset in doc.sentence_spans[index])
        hits = rows[(rows["doc_id"] == doc_id) & (rows["sentence_index"] == index)]
        chosen.append(
            {
                "doc_id": doc_id,
                "sentence_index": int(index),
                "text": doc.full_text[start:end],
                "spans": [(s - start, e - start) for s, e in zip(hits["start"], hits["end"], strict=True)],
                "citation": citation(doc, int(start)),
            }
        )
    return chosen


@dataclass
class ThemeAnalysis:
    lexicon: ThemeLexicon
    evidence: PartRows  # the hits, in the scan's partitions: ``.frame()`` for the whole table
    coverage: pd.DataFrame
    corpus_coverage: pd.DataFrame
    over_time: pd.DataFrame
    cooccurrence: pd.DataFrame
    unmatched: pd.DataFrame
    time_bin: str
    min_hits: int
    key: str = ""  # what this analysis was computed from (besides the corpus), for the analyses built on it


def analyse(
    corpus: Corpus, lexicon: ThemeLexicon, min_hits: int = 1, time_bin: str = "auto"
) -> ThemeAnalysis:
    """Every theme measure; computed once per corpus and options, then read from the cache. ``time_bin``
    "auto" picks month, quarter or year from the span of the publication dates."""
    key = fingerprint(scan_part(lexicon).key, Path(__file__), min_hits, time_bin)

    def compute() -> ThemeAnalysis:
        evidence = find_evidence(corpus, lexicon)
        cov = coverage(corpus, evidence, lexicon, min_hits)
        try:
            bin_ = resolve_bin(time_bin, [when for when, _ in corpus.dated()])
        except ValueError as error:
            raise BriefingError(f"theme_time_bin: {error}") from None
        return ThemeAnalysis(
            lexicon,
            evidence,
            cov,
            corpus_coverage(cov),
            coverage_over_time(cov, bin_),
            cooccurrence(evidence, lexicon),
            unmatched_terms(evidence, lexicon),
            bin_,
            min_hits,
            key,
        )

    return remembered(corpus, "themes", key, compute)


def tables(analysis: ThemeAnalysis) -> dict[str, Table]:
    return {
        "theme_evidence.csv": analysis.evidence.streamed(),
        "theme_coverage.csv": analysis.coverage,
        "theme_corpus_coverage.csv": analysis.corpus_coverage,
        "theme_over_time.csv": analysis.over_time,
        "theme_cooccurrence.csv": analysis.cooccurrence,
        "theme_unmatched_terms.csv": analysis.unmatched,
    }
