"""The evidence behind a number: which matches of the evidence tables a count in the briefing aggregates, and
the concordance (every match in its context).

A number is named by an evidence key, ``theme:<id>:matches`` or ``actor:<id>:documents:after``: what is
counted (a theme's hits or an actor's mentions), in which unit (each match, or each document with a match,
shown by its first match) and in which period of the split date. The key is all a view needs to link a
number to its sentences, and ``key_rows`` gives back as many rows as the number says.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from policybrief.analyses.actors.measures import ActorAnalysis
from policybrief.analyses.compare.periods import split_groups
from policybrief.analyses.parts import joined, table_frame
from policybrief.analyses.schemas import Streamed, schema_of
from policybrief.analyses.themes.measures import ThemeAnalysis
from policybrief.corpus.model import Corpus

KINDS = ("theme", "actor")
UNITS = ("matches", "documents")
PERIODS = ("", "before", "after")
CONTEXT = 80  # characters of context either side of a match in the concordance
# The columns of each kind's evidence table naming its item (theme, actor) and what matched (term, name form)
COLUMNS = {"theme": ("theme", "term"), "actor": ("actor", "surface")}


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

    def _item_rows(self, kind: str) -> Iterator[tuple[str, pd.DataFrame]]:
        """Each theme's or actor's matches in each batch of partitions (``PartRows.batches``), oldest document
        first: doc_id, sentence_index, start, end, page, what (the term or name as written), rank (the
        document's place in date order, to merge batches by)."""
        column, what = COLUMNS[kind]
        evidence = self.themes.evidence if kind == "theme" else self.actors.evidence
        for batch in evidence.batches():
            ranks = batch["doc_id"].map(self.order).to_numpy()
            for item, rows in batch.groupby(column, sort=False, observed=True).indices.items():
                frame = pd.DataFrame(
                    {
                        "doc_id": batch["doc_id"].take(rows).astype(str).to_numpy(),
                        **{
                            c: batch[c].to_numpy()[rows].astype(np.int64)
                            for c in ("sentence_index", "start", "end")
                        },
                        "page": batch["page"].to_numpy()[rows] if "page" in batch else None,
                        "what": batch[what].take(rows).astype(str).to_numpy(),
                        "rank": ranks[rows],
                    }
                )
                yield str(item), frame.sort_values(_ORDER, ignore_index=True)

    def _counted(self, rows: pd.DataFrame, key: EvidenceKey) -> pd.DataFrame:
        """Of one item's matches (whole documents), those a number with ``key`` counts."""
        if key.period:
            rows = rows[rows["doc_id"].map(self.periods) == key.period]
        if key.unit == "documents":
            if key.kind == "theme":  # a document covers a theme with at least min_hits hits
                hits = rows.groupby("doc_id")["doc_id"].transform("size")
                rows = rows[hits >= self.themes.min_hits]
            rows = rows.drop_duplicates("doc_id")
        return rows

    def selected(
        self, keys: list[EvidenceKey], limit: int | None = None
    ) -> dict[EvidenceKey, tuple[int, pd.DataFrame]]:
        """For each key, how many rows its number counts, and the first ``limit`` of them (all: None), oldest
        document first. One pass over the evidence, a batch of partitions at a time: only the rows kept are
        ever held, never a theme's million matches at 100,000 documents."""
        wanted: dict[tuple[str, str], list[EvidenceKey]] = {}
        for key in keys:
            wanted.setdefault((key.kind, key.item), []).append(key)
        totals: Counter[EvidenceKey] = Counter()
        kept: dict[EvidenceKey, list[pd.DataFrame]] = {key: [] for key in keys}
        for kind in KINDS:
            if not any(k == kind for k, _ in wanted):
                continue
            for item, rows in self._item_rows(kind):
                for key in wanted.get((kind, item), []):
                    counted = self._counted(rows, key)
                    totals[key] += len(counted)
                    kept[key].append(counted if limit is None else counted.head(limit))
        return {key: (totals[key], _first(kept[key], limit)) for key in keys}

    def key_rows(self, key: str | EvidenceKey) -> pd.DataFrame:
        """The rows a number with this key counts: as many as the number says."""
        key = EvidenceKey.parse(key) if isinstance(key, str) else key
        return self.selected([key])[key][1]

    def by_what(self, limit: int) -> dict[tuple[str, str], tuple[int, dict[str, pd.DataFrame]]]:
        """For each theme and actor: its matches, and the first ``limit`` of each term (name form) matched."""
        totals: Counter[tuple[str, str]] = Counter()
        kept: dict[tuple[str, str], dict[str, list[pd.DataFrame]]] = {}
        for kind in KINDS:
            for item, rows in self._item_rows(kind):
                totals[kind, item] += len(rows)
                for what, group in rows.groupby("what", sort=False).indices.items():
                    kept.setdefault((kind, item), {}).setdefault(what, []).append(rows.take(group[:limit]))
        return {
            item: (totals[item], {what: _first(frames, limit) for what, frames in sorted(whats.items())})
            for item, whats in kept.items()
        }


_ORDER = ["rank", "doc_id", "start", "end"]


def _first(frames: list[pd.DataFrame], limit: int | None) -> pd.DataFrame:
    """The first ``limit`` rows (all: None) of batches' rows, in date order, without the rank."""
    if not frames:
        return pd.DataFrame(columns=["doc_id", "sentence_index", "start", "end", "page", "what"])
    rows = pd.concat(frames, ignore_index=True).sort_values(_ORDER, ignore_index=True)
    return (rows if limit is None else rows.head(limit)).drop(columns="rank")


def _by_place(place: dict[str, int], table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's document place (corpus order), and the row order that sorts the table by it (stable)."""
    ids = table["doc_id"].astype("category")
    places = np.array([place[d] for d in ids.cat.categories], dtype=np.int64)[ids.cat.codes.to_numpy()]
    order = np.argsort(places, kind="stable")
    return places[order], order


def _contexts(
    text: str, spans: np.ndarray, sentence: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[list[str], list[str], list[str]]:
    """Left context, match and right context of one document's matches, each inside its sentence."""
    left = np.maximum(spans[sentence, 0], start - CONTEXT).tolist()
    right = np.minimum(spans[sentence, 1], end + CONTEXT).tolist()
    starts, ends = start.tolist(), end.tolist()
    return (
        [text[a:b] for a, b in zip(left, starts, strict=True)],
        [text[a:b] for a, b in zip(starts, ends, strict=True)],
        [text[a:b] for a, b in zip(ends, right, strict=True)],
    )


def _vocabulary(columns: list[pd.Series]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The values of ``columns`` (categories, as the evidence holds them) as one sorted vocabulary, and each
    column's rows as codes into it: rows then sort and travel as integers, in the order their text sorts."""
    texts = [column.cat.categories.astype(str).to_numpy(dtype=object) for column in columns]
    vocabulary = np.array(sorted(set().union(*texts)), dtype=object)
    return vocabulary, [
        np.searchsorted(vocabulary, text)[column.cat.codes.to_numpy()]
        for text, column in zip(texts, columns, strict=True)
    ]


def _compact(codes: np.ndarray, vocabulary: np.ndarray) -> pd.Categorical:
    """Rows' codes into ``vocabulary`` as a category of only the values they use."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(vocabulary)))  # counted, not sorted: linear
    renumbered = np.zeros(len(vocabulary), dtype=np.int64)
    renumbered[used] = np.arange(len(used))
    return pd.Categorical.from_codes(renumbered[codes], categories=pd.Index(vocabulary[used], dtype=object))


def _sorted_rows(place: dict[str, int], frames: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """A partition's theme hits and actor mentions together, in document and text order: kinds, items and
    matched words as integer codes sorted as their text sorts (``kinds``, ``items``, ``terms`` the
    vocabularies)."""
    kinds = sorted(frames)
    items, item_codes = _vocabulary([frames[kind][COLUMNS[kind][0]] for kind in kinds])
    terms, term_codes = _vocabulary([frames[kind][COLUMNS[kind][1]] for kind in kinds])
    parts: dict[str, list[np.ndarray]] = {}
    for code, (kind, item, term) in enumerate(zip(kinds, item_codes, term_codes, strict=True)):
        table = frames[kind]
        places, order = _by_place(place, table)
        found = {
            "place": places,
            "kind": np.full(len(table), code),
            "item": item[order],
            "term": term[order],
            "page": table["page"].to_numpy()[order],
            **{c: table[c].to_numpy()[order].astype(np.int64) for c in ("sentence_index", "start", "end")},
        }
        for column, values in found.items():
            parts.setdefault(column, []).append(values)
    both = {column: np.concatenate(values) for column, values in parts.items()}
    # stable, as the rows of one kind are already in document order
    order = np.lexsort([both[c] for c in ("item", "kind", "end", "start", "place")])
    rows = {column: values[order] for column, values in both.items()}
    rows.update(kinds=np.array(kinds, dtype=object), items=items, terms=terms)
    return rows


# Theme hits whose partitions make one batch of the concordance (with their actor mentions, about 150,000
# rows and their contexts): a partition a batch paid the batch's fixed costs 500 times at 100,000 documents.
_THEME_ROWS_AT_ONCE = 60_000


def concordance_table(corpus: Corpus, themes: ThemeAnalysis, actors: ActorAnalysis) -> Streamed:
    """Every theme hit and actor mention with its left context, match and right context (``CONTEXT``
    characters each, inside its sentence), a partition of documents at a time, documents in corpus order,
    then by position.

    16 million rows at 100,000 documents: a batch is a few partitions' evidence, read as the analyses left it
    (``PartRows``); kinds, items and matched words travel as integer codes and become categories only in the
    batch, as do the text columns its rows share (labels, titles, dates)."""
    labels = {t: themes.lexicon.label(t) for t in themes.lexicon.themes}
    labels.update({a: actor.name for a, actor in actors.actors.actors.items()})
    documents = corpus.documents
    place = {doc.doc_id: i for i, doc in enumerate(documents)}

    def batch(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        rows = _sorted_rows(place, frames)
        at, sentence, start, end = (rows[c] for c in ("place", "sentence_index", "start", "end"))
        left: list[str] = []
        match: list[str] = []
        right: list[str] = []
        # its documents, and each row's among them (the rows are in document order)
        in_batch = at[np.flatnonzero(np.diff(at, prepend=-1))]
        codes = np.cumsum(np.diff(at, prepend=at[:1]) != 0)
        for doc_place in in_batch.tolist():
            doc = corpus.with_text(documents[doc_place])
            spans = np.asarray(doc.sentence_spans, dtype=np.int64).reshape(-1, 2)
            first, last = np.searchsorted(at, [doc_place, doc_place + 1])
            pieces = _contexts(doc.full_text, spans, sentence[first:last], start[first:last], end[first:last])
            for found, piece in zip((left, match, right), pieces, strict=True):
                found.extend(piece)
        shown = [documents[p] for p in in_batch.tolist()]
        return pd.DataFrame(
            {
                "kind": _compact(rows["kind"], rows["kinds"]),
                "item": _compact(rows["item"], rows["items"]),
                "label": _category([labels.get(item, item) for item in rows["items"]], rows["item"]),
                "term": _compact(rows["term"], rows["terms"]),
                "doc_id": _category([d.doc_id for d in shown], codes),
                "title": _category([d.title for d in shown], codes),
                "date": _category([d.date for d in shown], codes),
                "page": rows["page"],
                "sentence_index": sentence,
                "start": start,
                "end": end,
                # object columns: pandas would first make each a column of its own string type
                **{
                    name: pd.Series(values, dtype=object)
                    for name, values in (("left", left), ("match", match), ("right", right))
                },
            },
            columns=CONCORDANCE_COLUMNS,
        )

    def batches() -> Iterator[pd.DataFrame]:
        # the two tables' partitions are the corpus's, in the same order
        pairs = zip(themes.evidence.tables(), actors.evidence.tables(), strict=True)
        for theme_rows, actor_rows in joined(pairs, _THEME_ROWS_AT_ONCE):
            frames = {
                kind: table_frame(rows, evidence.labels)
                for kind, rows, evidence in (
                    ("theme", theme_rows, themes.evidence),
                    ("actor", actor_rows, actors.evidence),
                )
                if rows.num_rows
            }
            if frames:
                yield batch(frames)
        if not len(themes.evidence) + len(actors.evidence):
            yield pd.DataFrame(columns=CONCORDANCE_COLUMNS)

    return Streamed(batches, len(themes.evidence) + len(actors.evidence))


def _category(values: list[str], codes: np.ndarray) -> pd.Categorical:
    """``values[code]`` for each row as a category: one string per distinct value (a title, a date), not one
    per row."""
    value_codes, distinct = pd.factorize(pd.Series(values, dtype=object))
    return pd.Categorical.from_codes(value_codes[codes], categories=distinct)


CONCORDANCE_COLUMNS = [name for name, _ in schema_of("concordance").columns]
