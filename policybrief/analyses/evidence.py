"""The evidence behind a number: which matches of the evidence tables a count in the briefing aggregates, and
the concordance (every match in its context).

A number is named by an evidence key, ``theme:<id>:matches`` or ``actor:<id>:documents:after``: what is
counted (a theme's hits or an actor's mentions), in which unit (each match, or each document with a match,
shown by its first match) and in which period of the split date. The key is all a view needs to link a
number to its sentences, and ``key_rows`` gives back as many rows as the number says.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from policybrief.analyses.actors.measures import ActorAnalysis
from policybrief.analyses.compare.periods import split_groups
from policybrief.analyses.schemas import Streamed
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus

KINDS = ("theme", "actor")
UNITS = ("matches", "documents")
PERIODS = ("", "before", "after")
CONTEXT = 80  # characters of context either side of a match in the concordance
ROW_COLUMNS = ["doc_id", "sentence_index", "start", "end", "page", "what"]


@dataclass(frozen=True)
class EvidenceKey:
    kind: str  # theme, actor
    item: str  # the theme or actor id
    unit: str = "matches"  # matches: every match; documents: each document with the item, by its first match
    period: str = ""  # "", before, after (the split date)

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.unit not in UNITS or self.period not in PERIODS:
            raise ValueError(f"not an evidence key: {self}")

    def __str__(self) -> str:
        return ":".join(p for p in (self.kind, self.item, self.unit, self.period) if p)

    @classmethod
    def parse(cls, text: str) -> EvidenceKey:
        kind, item, *rest = text.split(":")
        return cls(kind, item, *rest)


def theme_key(theme: str, unit: str = "matches", period: str = "") -> str:
    return str(EvidenceKey("theme", theme, unit, period))


def actor_key(actor: str, unit: str = "matches", period: str = "") -> str:
    return str(EvidenceKey("actor", actor, unit, period))


@dataclass(frozen=True)
class Evidence:
    """The evidence tables of one build, and what selecting from them needs."""

    corpus: Corpus
    themes: ThemeAnalysis
    actors: ActorAnalysis
    split_date: str

    @functools.cached_property
    def order(self) -> dict[str, int]:
        """Each document's place in date order (undated last): evidence is listed oldest first."""
        ranked = sorted(self.corpus.documents, key=lambda d: (d.date or "9999", d.doc_id))
        return {d.doc_id: i for i, d in enumerate(ranked)}

    @functools.cached_property
    def periods(self) -> dict[str, str]:
        return split_groups(self.corpus, self.split_date)

    @functools.cached_property
    def positions(self) -> dict[tuple[str, str], np.ndarray]:
        """Where each theme's and actor's rows are in its evidence table: grouped once, not filtered per
        number (a million rows at 10,000 documents)."""
        found = {}
        for kind, table, column in (
            ("theme", self.themes.evidence, "theme"),
            ("actor", self.actors.evidence, "actor"),
        ):
            for item, rows in table.groupby(column, sort=False, observed=True).indices.items():
                found[kind, str(item)] = rows
        return found

    def matches(self, kind: str, item: str) -> pd.DataFrame:
        """Every match of a theme or actor, oldest document first, with the columns of ``ROW_COLUMNS``."""
        table = self.themes.evidence if kind == "theme" else self.actors.evidence
        rows = table.take(self.positions.get((kind, item), np.array([], dtype=np.int64)))
        what = rows["term" if kind == "theme" else "surface"].astype(str)
        frame = pd.DataFrame(
            {
                "doc_id": rows["doc_id"].astype(str),
                "sentence_index": rows["sentence_index"].astype(np.int64),
                "start": rows["start"].astype(np.int64),
                "end": rows["end"].astype(np.int64),
                "page": rows["page"] if "page" in rows else None,
                "what": what,
                "rank": rows["doc_id"].map(self.order),
            }
        )
        return (
            frame.sort_values(["rank", "doc_id", "start", "end"]).drop(columns="rank").reset_index(drop=True)
        )

    def key_rows(self, key: str | EvidenceKey) -> pd.DataFrame:
        """The rows a number with this key counts: as many as the number says."""
        key = EvidenceKey.parse(key) if isinstance(key, str) else key
        rows = self.matches(key.kind, key.item)
        if key.period:
            rows = rows[rows["doc_id"].map(self.periods) == key.period]
        if key.unit == "documents":
            if key.kind == "theme":  # a document covers a theme with at least min_hits hits
                hits = rows.groupby("doc_id")["doc_id"].transform("size")
                rows = rows[hits >= self.themes.min_hits]
            rows = rows.drop_duplicates("doc_id")
        return rows.reset_index(drop=True)


def _all_matches(corpus: Corpus, themes: ThemeAnalysis, actors: ActorAnalysis) -> pd.DataFrame:
    """Theme hits and actor mentions in one frame, in corpus order of their documents, then by position."""
    columns = ["doc_id", "kind", "item", "what", "sentence_index", "start", "end", "page"]
    parts = [
        table.assign(kind=kind, item=table[item], what=table[what])[columns]
        for kind, table, item, what in (
            ("theme", themes.evidence, "theme", "term"),
            ("actor", actors.evidence, "actor", "surface"),
        )
    ]
    both = pd.concat(parts, ignore_index=True)
    place = {doc.doc_id: i for i, doc in enumerate(corpus.documents)}
    both["place"] = both["doc_id"].map(place).astype(np.int64)
    return both.sort_values(["place", "start", "end", "kind", "item"], kind="stable").reset_index(drop=True)


def concordance_table(
    corpus: Corpus, themes: ThemeAnalysis, actors: ActorAnalysis, batch: int = 1_000
) -> Streamed:
    """Every theme hit and actor mention with its left context, match and right context (``CONTEXT``
    characters each, inside its sentence), a batch of documents at a time, documents in corpus order.

    Built column by column from plain lists (a million and a half rows at 10,000 documents): the only work
    per row is cutting the three pieces of text."""
    both = _all_matches(corpus, themes, actors)
    labels = {t: themes.lexicon.label(t) for t in themes.lexicon.themes}
    labels.update({a: actor.name for a, actor in actors.actors.actors.items()})
    places = both["place"].to_numpy()

    def batches() -> Iterator[pd.DataFrame]:
        documents = corpus.documents
        for begin in range(0, max(len(documents), 1), batch):
            low, high = np.searchsorted(places, [begin, begin + batch])
            rows = both.iloc[low:high]
            texts = {}
            for place in np.unique(rows["place"].to_numpy()):
                doc = corpus.with_text(documents[place])
                texts[place] = (doc.full_text, np.asarray(doc.sentence_spans, dtype=np.int64).reshape(-1, 2))
            left, match, right = [], [], []
            for place, index, start, end in zip(
                rows["place"].tolist(),
                rows["sentence_index"].tolist(),
                rows["start"].tolist(),
                rows["end"].tolist(),
                strict=True,
            ):
                text, spans = texts[place]
                left.append(text[max(int(spans[index, 0]), start - CONTEXT) : start])
                match.append(text[start:end])
                right.append(text[end : min(int(spans[index, 1]), end + CONTEXT)])
            docs = [documents[p] for p in rows["place"].tolist()]
            yield pd.DataFrame(
                {
                    "kind": rows["kind"].to_numpy(),
                    "item": rows["item"].astype(str).to_numpy(),
                    "label": rows["item"].astype(str).map(lambda i: labels.get(i, i)).to_numpy(),
                    "term": rows["what"].astype(str).to_numpy(),
                    "doc_id": rows["doc_id"].astype(str).to_numpy(),
                    "title": [d.title for d in docs],
                    "date": [d.date for d in docs],
                    "page": rows["page"].to_numpy(),
                    "sentence_index": rows["sentence_index"].to_numpy(),
                    "start": rows["start"].to_numpy(),
                    "end": rows["end"].to_numpy(),
                    "left": left,
                    "match": match,
                    "right": right,
                },
                columns=CONCORDANCE_COLUMNS,
            )

    return Streamed(batches, len(both))


CONCORDANCE_COLUMNS = [
    "kind",
    "item",
    "label",
    "term",
    "doc_id",
    "title",
    "date",
    "page",
    "sentence_index",
    "start",
    "end",
    "left",
    "match",
    "right",
]
