"""Actors named together in one sentence, and actors named in a sentence with a theme: sentence counts
summed over the scan's partitions (a document's mentions and theme hits are in the same one)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from policybrief.analyses.cooccurrence import counted_pairs, items_beside, pairs_in_sentences, sentence_items
from policybrief.analyses.parts import PartRows, joined, table_frame
from policybrief.analyses.stats import wilson


def co_mentions(evidence: PartRows) -> pd.DataFrame:
    """Pairs of actors named in the same sentence: how many sentences."""
    counts: Counter[tuple[str, str]] = Counter()
    for rows in evidence.batches(["doc_id", "actor", "sentence_index"]):
        actors = rows["actor"].cat.categories  # ordered as text: a's before b's
        first, second = pairs_in_sentences(*sentence_items(rows, rows["doc_id"].cat.categories, "actor"))
        a, b, sentences, _ = counted_pairs(first, second, len(actors))
        for actor_a, actor_b, n in zip(a.tolist(), b.tolist(), sentences.tolist(), strict=True):
            counts[actors[actor_a], actors[actor_b]] += n
    return pd.DataFrame(
        [(a, b, counts[a, b]) for a, b in sorted(counts)], columns=["actor_a", "actor_b", "sentences"]
    )


def _actor_theme_cells(
    mentions: pd.DataFrame, hits: pd.DataFrame | None
) -> tuple[dict[str, int], dict[tuple[str, str], tuple[int, str, int]]]:
    """One partition's sentences naming each actor, and its (actor, theme) cells: sentences naming both, and
    the first of them (document, sentence number). Items travel as codes; only the few distinct actors,
    themes and cells become text."""
    documents = sorted(
        set(mentions["doc_id"].cat.categories) | set([] if hits is None else hits["doc_id"].cat.categories)
    )
    index = pd.Index(documents)
    actors = mentions["actor"].cat.categories
    actor_keys, actor_codes = sentence_items(mentions, index, "actor")
    totals = dict(zip(actors, np.bincount(actor_codes, minlength=len(actors)).tolist(), strict=True))
    if hits is None:
        return totals, {}
    themes = hits["theme"].cat.categories
    actor_of, theme_of, sentence = items_beside(
        actor_keys, actor_codes, *sentence_items(hits, index, "theme")
    )
    a, t, found, row = counted_pairs(actor_of, theme_of, len(themes))
    keys = sentence[row]
    doc_ids = np.array(documents, dtype=object)[keys >> 32]
    cells = {
        (actors[i], themes[j]): (n, doc_id, sentence_index)
        for i, j, n, doc_id, sentence_index in zip(
            a.tolist(),
            t.tolist(),
            found.tolist(),
            doc_ids.tolist(),
            (keys & 0xFFFFFFFF).tolist(),
            strict=True,
        )
    }
    return totals, cells


def actor_theme(evidence: PartRows, theme_evidence: PartRows, theme_labels: dict[str, str]) -> pd.DataFrame:
    """P(theme | a sentence naming the actor), with a Wilson interval and the first sentence as evidence."""
    columns = [
        "actor",
        "theme",
        "label",
        "actor_sentences",
        "sentences",
        "share",
        "ci_low",
        "ci_high",
        "example_doc_id",
        "example_sentence_index",
    ]
    totals: Counter[str] = Counter()
    sizes: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], tuple[str, int]] = {}
    # a document's mentions and theme hits are in the same partition; the partitions come in corpus order,
    # so a cell's first sentence is the one found in the first batch of partitions holding it
    pairs = zip(
        evidence.tables(["doc_id", "actor", "sentence_index"]),
        theme_evidence.tables(["doc_id", "theme", "sentence_index"]),
        strict=True,
    )
    for mention_rows, hit_rows in joined(pairs):
        if not mention_rows.num_rows:
            continue
        hits = table_frame(hit_rows, ["doc_id", "theme"]) if hit_rows.num_rows else None
        named, cells = _actor_theme_cells(table_frame(mention_rows, ["doc_id", "actor"]), hits)
        totals.update(named)
        for cell, (n, doc_id, sentence) in cells.items():
            sizes[cell] += n
            first.setdefault(cell, (doc_id, sentence))
    rows = []
    for actor_id, theme_id in sorted(sizes):  # actor, then theme order
        n, k = totals[actor_id], sizes[actor_id, theme_id]
        low, high = wilson(k, n)
        example_doc, example_sentence = first[actor_id, theme_id]
        rows.append(
            {
                "actor": actor_id,
                "theme": theme_id,
                "label": theme_labels.get(theme_id, theme_id),
                "actor_sentences": n,
                "sentences": k,
                "share": round(k / n, 4),
                "ci_low": round(low, 4),
                "ci_high": round(high, 4),
                "example_doc_id": example_doc,
                "example_sentence_index": example_sentence,
            }
        )
    return pd.DataFrame(rows, columns=columns)
