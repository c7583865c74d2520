"""Actor mentions, computed: who is talked about, when, with whom and about what.

Every number here is an aggregate of the evidence table: one row per mention, with its document,
sentence, character span and the rule that resolved it. The table stays in the scan's partitions
(``PartRows``) and each measure is summed over them a partition at a time: a document's rows are all in one
partition (and its theme hits in the same one), so the sums are exact and the build never holds the corpus's
mentions at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from policybrief.analyses.actors.cooccurrence import actor_theme, co_mentions
from policybrief.analyses.actors.lexicon import ActorList
from policybrief.analyses.actors.resolve import RESOLUTIONS, scan_part
from policybrief.analyses.parts import PartRows
from policybrief.analyses.scan import fingerprint, remembered, scan
from policybrief.analyses.schemas import Table
from policybrief.analyses.stats import wilson
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus
from policybrief.errors import BriefingError
from policybrief.text.dates import parse_date
from policybrief.text.periods import all_periods, even_bin, period_label, period_start

TIME_BINS = ("auto", "document", "month", "quarter", "year")


def find_mentions(
    corpus: Corpus, actors: ActorList, metonyms: bool = True
) -> tuple[PartRows, pd.DataFrame, pd.DataFrame]:
    """The mentions (kept as the scan's partitions: ``.frame()`` is the whole table), unresolved short forms
    and unlisted-name candidates (doc_id, name, sentence_index) of the corpus."""
    mentions, unresolved, names = scan(corpus, [scan_part(actors, metonyms)])["actors"]
    return mentions, unresolved.arrow().to_pandas(), names.arrow().to_pandas()


_UNLISTED_MIN_MENTIONS = 2


def unlisted_names(corpus: Corpus, actors: ActorList, candidates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Person-like names no actor covers, with mentions, documents and the first example sentence.

    ``candidates`` (from ``find_mentions``) saves matching the names a second time.
    """
    if candidates is None:
        candidates = find_mentions(corpus, actors)[2]
    columns = ["name", "mentions", "documents", "example_doc_id", "example_sentence"]
    if candidates.empty:
        return pd.DataFrame(columns=columns)
    grouped = candidates.groupby("name", sort=False).agg(
        mentions=("doc_id", "size"),
        documents=("doc_id", "nunique"),
        example_doc_id=("doc_id", "first"),
        index=("sentence_index", "first"),
        context=("context", "any"),
    )
    # A person's name comes with a title, a role or a speech verb somewhere, or recurs; a capitalised run
    # that does neither is more often a place, an event or a thing ("Camp David", "Freedom Shield").
    grouped = grouped[grouped["context"] | (grouped["mentions"] >= _UNLISTED_MIN_MENTIONS)]
    if grouped.empty:
        return pd.DataFrame(columns=columns)
    grouped["example_sentence"] = corpus.sentence_texts(
        list(zip(grouped["example_doc_id"], grouped["index"].tolist(), strict=True))
    )
    result = grouped.reset_index()[columns]
    return result.sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)


def _codes(column: pd.Series, index: dict[str, int]) -> np.ndarray:
    """Each row's place in ``index``: the category's few values looked up once, then its codes."""
    return np.array([index[str(value)] for value in column.cat.categories], dtype=np.int64)[
        column.cat.codes.to_numpy()
    ]


def _resolution_counts(corpus: Corpus, evidence: PartRows, actor_ids: list[str]) -> tuple[np.ndarray, ...]:
    """Mentions per (document, actor) and resolution, summed partition by partition as integer keys:
    document places, actor places (in ``actor_ids``) and a documents-actors × resolutions array."""
    places = {d.doc_id: i for i, d in enumerate(corpus.documents)}
    actor_places = {a: i for i, a in enumerate(actor_ids)}
    resolution_places = {r: i for i, r in enumerate(RESOLUTIONS)}
    keys, counts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for rows in evidence.batches(["doc_id", "actor", "resolution"]):
        pair = _codes(rows["doc_id"], places) * len(actor_ids) + _codes(rows["actor"], actor_places)
        key = pair * len(RESOLUTIONS) + _codes(rows["resolution"], resolution_places)
        found, n = np.unique(key, return_counts=True)  # a document is in one partition: keys do not repeat
        keys.append(found)
        counts.append(n)
    key, count = np.concatenate(keys), np.concatenate(counts)
    pairs, row = np.unique(key // len(RESOLUTIONS), return_inverse=True)
    table = np.bincount(
        row * len(RESOLUTIONS) + key % len(RESOLUTIONS),
        weights=count,
        minlength=len(pairs) * len(RESOLUTIONS),
    ).reshape(len(pairs), len(RESOLUTIONS))
    return pairs // len(actor_ids), pairs % len(actor_ids), table.astype(np.int64)


def _labels(values: list[str], places: np.ndarray) -> pd.Categorical:
    """``values[place]`` for each row, as a category of the values used, ordered as text (as the evidence
    frames hold their labels): a table of a row per document and actor stays small."""
    used, codes = np.unique(places, return_inverse=True)
    names = np.array(values, dtype=object)[used]
    order = np.argsort(names)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return pd.Categorical.from_codes(rank[codes], categories=names[order], ordered=True)


def mentions_per_document(corpus: Corpus, evidence: PartRows, actors: ActorList) -> pd.DataFrame:
    """Per document and actor mentioned: mentions, per 1,000 words, and how each mention was resolved."""
    resolutions = [r.replace(" + ", "_").replace(" ", "_") for r in RESOLUTIONS]
    columns = ["doc_id", "date", "actor", "name", "actor_type", "mentions", "words", "per_1k_words"]
    columns += resolutions
    actor_ids = sorted(actors.actors)
    doc_places, actor_places, table = _resolution_counts(corpus, evidence, actor_ids)
    if not len(table):
        return pd.DataFrame(columns=columns)
    documents = corpus.documents
    frame = pd.DataFrame(
        {
            "doc_id": _labels([d.doc_id for d in documents], doc_places),
            "actor": _labels(actor_ids, actor_places),
            "mentions": table.sum(axis=1),
            **dict(zip(resolutions, table.T, strict=True)),
        }
    )
    # mapped on the categories: a value per document or actor, not per row
    frame["date"] = frame["doc_id"].map({d.doc_id: d.date for d in documents})
    frame["words"] = frame["doc_id"].map({d.doc_id: d.words for d in documents})
    frame["name"] = frame["actor"].map(actors.name)
    frame["actor_type"] = frame["actor"].map(lambda a: actors.actors[a].type)
    frame["per_1k_words"] = [
        round(1000 * int(m) / int(w), 3) if w else 0.0
        for m, w in zip(frame["mentions"], frame["words"], strict=True)
    ]
    return (
        frame[columns]
        .sort_values(["doc_id", "mentions", "actor"], ascending=[True, False, True])
        .reset_index(drop=True)
    )


def resolve_bin(time_bin: str, corpus: Corpus) -> str:
    if time_bin not in TIME_BINS:
        raise BriefingError(f"time_bin={time_bin!r} is not one of {', '.join(TIME_BINS)}")
    if time_bin != "auto":
        return time_bin
    dates = [when for when, _ in corpus.dated()]
    # even bins (month, quarter or year, from the span), empty ones shown: a bar per document would space
    # the documents evenly whatever the time between them
    return even_bin(min(dates), max(dates)) if dates else "quarter"


def _bins(corpus: Corpus, time_bin: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each dated document's bin, and every bin in order as (label, start date), empty ones included."""
    dated = corpus.dated()
    if not dated:
        return {}, []
    if time_bin == "document":
        labels: dict[str, str] = {}
        taken: defaultdict[str, int] = defaultdict(int)
        for _, d in dated:  # one bar per document, labelled by its date ("2025-01-16", then "2025-01-16 #2")
            taken[d.date] += 1
            labels[d.doc_id] = d.date if taken[d.date] == 1 else f"{d.date} #{taken[d.date]}"
        return labels, [(labels[d.doc_id], when.isoformat()) for when, d in dated]
    starts = {d.doc_id: period_start(when, time_bin) for when, d in dated}
    periods = all_periods(min(starts.values()), max(starts.values()), time_bin)
    return (
        {doc_id: period_label(start, time_bin) for doc_id, start in starts.items()},
        [(period_label(p, time_bin), p.isoformat()) for p in periods],
    )


def mentions_over_time(corpus: Corpus, per_doc: pd.DataFrame, time_bin: str) -> pd.DataFrame:
    """Per bin and actor: documents, documents mentioning (with a Wilson interval), mentions and rate."""
    columns = [
        "period",
        "period_start",
        "actor",
        "name",
        "documents",
        "documents_mentioning",
        "share",
        "ci_low",
        "ci_high",
        "mentions",
        "words",
        "per_1k_words",
    ]
    doc_bin, bins = _bins(corpus, time_bin)
    if not bins or per_doc.empty:
        return pd.DataFrame(columns=columns)
    docs_in = defaultdict(list)
    for doc in corpus.documents:
        if doc.doc_id in doc_bin:
            docs_in[doc_bin[doc.doc_id]].append(doc)
    by_doc = per_doc.set_index(["doc_id", "actor"])["mentions"].to_dict()
    names = dict(zip(per_doc["actor"], per_doc["name"], strict=True))
    rows = []
    for label, start in bins:
        members = docs_in.get(label, [])
        words = sum(d.words for d in members)
        for actor_id in sorted(names):
            counts = [by_doc.get((d.doc_id, actor_id), 0) for d in members]
            mentioning = sum(1 for c in counts if c)
            low, high = wilson(mentioning, len(members))
            rows.append(
                {
                    "period": label,
                    "period_start": start,
                    "actor": actor_id,
                    "name": names[actor_id],
                    "documents": len(members),
                    "documents_mentioning": mentioning,
                    "share": round(mentioning / len(members), 4) if members else 0.0,
                    "ci_low": round(low, 4),
                    "ci_high": round(high, 4),
                    "mentions": sum(counts),
                    "words": words,
                    "per_1k_words": round(1000 * sum(counts) / words, 3) if words else 0.0,
                }
            )
    return pd.DataFrame(rows, columns=columns)


# About 60 lines: one row per actor, with its first and last appearance and the change across the split.
def appearances(corpus: Corpus, per_doc: pd.DataFrame, split_date: str | None) -> pd.DataFrame:
    """First and last appearance of each actor, and its share of documents before and after the split."""
    columns = [
        "actor",
        "name",
        "documents",
        "mentions",
        "first_date",
        "first_doc",
        "last_date",
        "last_doc",
        "documents_before",
        "mentioning_before",
        "documents_after",
        "mentioning_after",
        "change",
    ]
    if per_doc.empty:
        return pd.DataFrame(columns=columns)
    parsed = parse_date(split_date) if split_date else None
    split = parsed.sort_key if parsed else None
    dated = {d.doc_id: when for when, d in corpus.dated()}
    before = {i for i, when in dated.items() if split and when < split}
    after = {i for i, when in dated.items() if split and when >= split}
    rows = []
    for actor_id, group in per_doc.groupby("actor"):
        in_docs = sorted((dated[i], i) for i in group["doc_id"] if i in dated)
        docs_with = set(group["doc_id"])
        b, a = len(docs_with & before), len(docs_with & after)
        change = (
            ""
            if not split
            else "new after the split"
            if b == 0 and a > 0
            else "gone after the split"
            if a == 0 and b > 0 and after
            else "in both periods"
            if a and b
            else ""
        )
        rows.append(
            {
                "actor": actor_id,
                "name": group["name"].iloc[0],
                "documents": group["doc_id"].nunique(),
                "mentions": int(group["mentions"].sum()),
                "first_date": in_docs[0][0].isoformat() if in_docs else "",
                "first_doc": in_docs[0][1] if in_docs else "",
                "last_date": in_docs[-1][0].isoformat() if in_docs else "",
                "last_doc": in_docs[-1][1] if in_docs else "",
                "documents_before": len(before),
                "mentioning_before": b,
                "documents_after": len(after),
                "mentioning_after": a,
                "change": change,
            }
        )
    return (
        pd.DataFrame(rows, columns=columns)
        .sort_values(["mentions", "actor"], ascending=[False, True])
        .reset_index(drop=True)
    )


@dataclass
class ActorAnalysis:
    actors: ActorList
    evidence: PartRows  # the mentions, in the scan's partitions: ``.frame()`` for the whole table
    unresolved: pd.DataFrame
    per_document: pd.DataFrame
    over_time: pd.DataFrame
    appearances: pd.DataFrame
    co_mentions: pd.DataFrame
    actor_theme: pd.DataFrame
    unlisted: pd.DataFrame
    time_bin: str
    split_date: str | None
    metonyms: bool
    key: str = ""  # what this analysis was computed from (besides the corpus), for the analyses built on it


def analyse(
    corpus: Corpus,
    actor_list: ActorList,
    theme_analysis: ThemeAnalysis,
    metonyms: bool = True,
    time_bin: str = "auto",
    split_date: str | None = "2025-01-20",
) -> ActorAnalysis:
    """Every actor measure, from one pass of name matching over the corpus; computed once per corpus and
    options, then read from the cache."""
    key = fingerprint(
        scan_part(actor_list, metonyms).key, Path(__file__), theme_analysis.key, time_bin, split_date
    )

    def compute() -> ActorAnalysis:
        evidence, unresolved, candidates = find_mentions(corpus, actor_list, metonyms)
        per_doc = mentions_per_document(corpus, evidence, actor_list)
        resolved_bin = resolve_bin(time_bin, corpus)
        labels = {t: theme_analysis.lexicon.short(t) for t in theme_analysis.lexicon.themes}
        return ActorAnalysis(
            actor_list,
            evidence,
            unresolved,
            per_doc,
            mentions_over_time(corpus, per_doc, resolved_bin),
            appearances(corpus, per_doc, split_date),
            co_mentions(evidence),
            actor_theme(evidence, theme_analysis.evidence, labels),
            unlisted_names(corpus, actor_list, candidates),
            resolved_bin,
            split_date,
            metonyms,
            key,
        )

    return remembered(corpus, "actors", key, compute)


def tables(analysis: ActorAnalysis) -> dict[str, Table]:
    return {
        "actor_evidence.csv": analysis.evidence.streamed(),
        "actor_unresolved.csv": analysis.unresolved,
        "actor_mentions.csv": analysis.per_document,
        "actor_over_time.csv": analysis.over_time,
        "actor_appearances.csv": analysis.appearances,
        "actor_cooccurrence.csv": analysis.co_mentions,
        "actor_theme.csv": analysis.actor_theme,
        "unlisted_names.csv": analysis.unlisted,
    }


def main_actors(analysis: ActorAnalysis, count: int = 8, show: list[str] | None = None) -> list[str]:
    """The actors to chart: those asked for, else the most widely mentioned (documents, then mentions)."""
    if show:
        return [a for a in show if a in analysis.actors.actors]
    ranked = analysis.appearances.sort_values(
        ["documents", "mentions", "actor"], ascending=[False, False, True]
    )
    return ranked["actor"].head(count).tolist()
