"""Counting what shares a sentence on integer keys, checked on evidence frames written by hand."""

import numpy as np
import pandas as pd

from policybrief.analyses.cooccurrence import (
    counted_pairs,
    items_beside,
    pairs_in_sentences,
    sentence_items,
    sentence_keys,
)


def test_sentence_keys_order_as_document_then_sentence_and_keep_documents_apart(evidence_frame):
    evidence = evidence_frame([("b", 0, "x"), ("a", 7, "x"), ("a", 0, "y")], "item")
    keys = sentence_keys(evidence, pd.Index(["a", "b", "c"]))
    assert keys.tolist() == [(1 << 32) | 0, 7, 0]
    # positions in the list given, not in the frame's own categories
    assert sentence_keys(evidence, pd.Index(["0", "a", "b"])).tolist() == [(2 << 32), (1 << 32) | 7, 1 << 32]


def test_items_are_counted_once_a_sentence_and_paired_within_it_only(evidence_frame):
    # a/0 names x, y, z (x twice), a/1 names x, b/0 names y and z: sentence 0 of b is not sentence 0 of a
    evidence = evidence_frame(
        [
            ("a", 0, "x"),
            ("a", 0, "z"),
            ("a", 0, "x"),
            ("a", 0, "y"),
            ("a", 1, "x"),
            ("b", 0, "z"),
            ("b", 0, "y"),
        ],
        "item",
    )
    keys, codes = sentence_items(evidence, evidence["doc_id"].cat.categories, "item")
    assert list(zip(keys.tolist(), codes.tolist(), strict=True)) == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1 << 32, 1),
        (1 << 32, 2),
    ]
    first, second = pairs_in_sentences(keys, codes)
    # three items in a/0 make three pairs, one of them two apart (x, z); b/0 makes (y, z) again
    a, b, counts, rows = counted_pairs(first, second, 3)
    assert list(zip(a.tolist(), b.tolist(), counts.tolist(), strict=True)) == [
        (0, 1, 1),
        (0, 2, 1),
        (1, 2, 2),
    ]
    # the row where each pair first occurs
    assert [(int(first[r]), int(second[r])) for r in rows.tolist()] == [(0, 1), (0, 2), (1, 2)]
    assert rows.tolist() == [
        int(np.flatnonzero((first == x) & (second == y))[0]) for x, y in [(0, 1), (0, 2), (1, 2)]
    ]
    empty = pairs_in_sentences(keys[:1], codes[:1])
    assert [len(side) for side in empty] == [0, 0]


def test_items_beside_are_those_of_the_same_sentence_in_sentence_order():
    keys, codes = np.array([0, 0, 5, 9]), np.array([0, 1, 0, 1])
    other_keys, other_codes = np.array([0, 5, 5, 7]), np.array([3, 1, 2, 0])
    mine, theirs, where = items_beside(keys, codes, other_keys, other_codes)
    assert (
        mine.tolist() == [0, 1, 0, 0] and theirs.tolist() == [3, 3, 1, 2] and where.tolist() == [0, 0, 5, 5]
    )
