"""The terms of a document and the per-document part of comparison (``matrix.py`` assembles them).

Terms are the words of the cleaned text (possessives and periods dropped, acronyms kept in capitals so
that "US" is not the pronoun "us"), English stop words out, unigrams and the bigrams of adjacent
non-stop words inside one sentence.
"""

from __future__ import annotations

import functools
from collections import Counter
from itertools import compress
from operator import and_
from pathlib import Path

import numpy as np
import pyarrow as pa

import policybrief.analyses.compare.shingles as shingles
import policybrief.text.lexicon as lexicon_module
from policybrief.analyses.compare.shingles import minhash_signature, shingle_hashes
from policybrief.analyses.scan import Part, fingerprint
from policybrief.corpus.model import Document, Spans
from policybrief.text.lexicon import GAPS, Tokens, tokenize


@functools.cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, imported here rather than with the module: a worker that scans
    documents gets them with its task and so never imports scikit-learn (0.7 s a worker)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def document_terms(doc: Document, tokens: Tokens | None = None) -> list[str]:
    """Unigrams, then in-sentence bigrams, of non-stop words."""
    return terms_of(doc.full_text, tokenize(doc.full_text) if tokens is None else tokens, doc.sentence_spans)


def terms_of(
    text: str, tokens: Tokens, sentence_spans: Spans, stop_words: frozenset[str] | None = None
) -> list[str]:
    """The terms of any text whose tokens and sentences are known (a document, or one sentence): its
    unigrams, then the bigrams of adjacent words in one sentence with only a gap of GAPS between them (a space
    or hyphen, after an optional period or possessive). ``stop_words`` default to English ones."""
    if not len(tokens):
        return []
    stop_words = english_stop_words() if stop_words is None else stop_words
    starts, ends = tokens.starts, tokens.ends
    # Sentences start after white space, and the only white space a gap in GAPS holds is its last character:
    # two words joined by such a gap are in one sentence unless the second one starts a sentence.
    sentence_starts = {start for start, _ in sentence_spans}
    keys = [c if len(c) > 1 and c.isupper() else k for c, k in zip(tokens.cased, tokens.lower, strict=True)]
    keep = [k not in stop_words and not k.isdigit() for k in tokens.lower]
    bigrams = [
        f"{keys[i]} {keys[i + 1]}"
        for i in compress(range(len(keys) - 1), map(and_, keep, keep[1:]))
        if starts[i + 1] not in sentence_starts and text[ends[i] : starts[i + 1]] in GAPS
    ]
    return list(compress(keys, keep)) + bigrams


# What comparison needs from one document, one row per document: its term counts and its shingles.
PROFILE = pa.schema(
    [
        # distinct terms, sorted, one per line (one string, not thousands: split in Arrow when read)
        ("terms", pa.string()),
        ("counts", pa.list_(pa.int32())),  # uses of each term
        ("shingle_count", pa.int32()),  # how many shingles, read without them
        ("shingles", pa.list_(pa.uint64())),  # sorted distinct hashes of 5-word shingles
        ("signature", pa.list_(pa.uint64())),  # MinHash signature of the shingles (empty when there are none)
    ]
)


def document_profile(
    doc: Document, tokens: Tokens, stop_words: frozenset[str] | None = None
) -> tuple[str, np.ndarray, int, np.ndarray, np.ndarray]:
    """A document's row of ``PROFILE``."""
    counted = Counter(terms_of(doc.full_text, tokens, doc.sentence_spans, stop_words))
    terms = sorted(counted)
    shingles = shingle_hashes(tokens.lower)
    return (
        "\n".join(terms),
        np.array([counted[t] for t in terms], dtype=np.int32),
        len(shingles),
        shingles,
        minhash_signature(shingles),
    )


def scan_part() -> Part:
    """Terms and shingles as a per-document part of the scan (cached per partition, a record per document)."""
    return Part(
        "terms",
        fingerprint(Path(__file__), shingles, lexicon_module),
        functools.partial(document_profile, stop_words=english_stop_words()),
        record=PROFILE,
    )
