"""What shares a sentence, counted on integers: the sentences of an evidence table as 64-bit keys, the
distinct items (themes, actors) of each, the pairs of items in one sentence, and the items of another table
found in the same sentences.

Joining evidence tables on their document and sentence columns made every row's strings and pandas' hash
tables at once: at 100,000 documents that was +0.8 to +1.2 GB for each of the co-occurrence measures, the
build's peak. Sorted integer arrays give the same counts with a few arrays of one value per row.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


def sentence_keys(frame: pd.DataFrame, documents: pd.Index) -> np.ndarray:
    """One 64-bit integer per row of an evidence frame (``doc_id`` a category) naming its sentence: the
    position of its document in ``documents`` (sorted ids, a superset of the frame's), then its sentence
    number. Keys sort as (document, sentence) do."""
    codes = frame["doc_id"].cat.set_categories(documents).cat.codes.to_numpy().astype(np.int64)
    return (codes << 32) | frame["sentence_index"].to_numpy().astype(np.int64)


def sentence_items(frame: pd.DataFrame, documents: pd.Index, column: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (sentence key, item code) pairs of an evidence frame, sorted by sentence, then item
    (codes of the ``column`` category, which order as its text does)."""
    keys = sentence_keys(frame, documents)
    codes = frame[column].cat.codes.to_numpy().astype(np.int64)
    order = np.lexsort((codes, keys))
    keys, codes = keys[order], codes[order]
    distinct = np.ones(len(keys), dtype=bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (codes[1:] != codes[:-1])
    return keys[distinct], codes[distinct]


def pairs_in_sentences(keys: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Item codes (a, b), a < b, of every two items named in one sentence, from ``sentence_items``: the
    items of a sentence lie side by side, so the pairs at each distance are one comparison of two slices."""
    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for gap in itertools.count(1):
        same = keys[gap:] == keys[:-gap]
        if not same.any():  # no sentence holds gap + 1 items, so none holds more
            break
        firsts.append(codes[:-gap][same])
        seconds.append(codes[gap:][same])
    return np.concatenate(firsts), np.concatenate(seconds)


def items_beside(
    keys: np.ndarray, codes: np.ndarray, other_keys: np.ndarray, other_codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each item of one ``sentence_items`` and each item of another in the same sentence: its code, the
    other's code and the sentence key, in sentence order."""
    low = np.searchsorted(other_keys, keys, side="left")
    counts = np.searchsorted(other_keys, keys, side="right") - low
    rows = np.repeat(np.arange(len(keys)), counts)
    others = np.repeat(low - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
    return codes[rows], other_codes[others], keys[rows]


def counted_pairs(
    first: np.ndarray, second: np.ndarray, kinds: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (first, second) code pairs, in order, how often each occurs, and the row where each
    first occurs (codes < ``kinds``)."""
    cells, rows, counts = np.unique(first * kinds + second, return_index=True, return_counts=True)
    return cells // kinds, cells % kinds, counts, rows
