"""The terms of a document, the per-document part of comparison, and the corpus's term matrix.

Terms are the words of the cleaned text (possessives and periods dropped, acronyms kept in capitals so
that "US" is not the pronoun "us"), English stop words out, unigrams and the bigrams of adjacent
non-stop words inside one sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import compress
from operator import and_
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer

import policybrief.analyses.compare.shingles as shingles
import policybrief.text.lexicon as lexicon_module
from policybrief.analyses.compare.shingles import minhash_signature, shingle_hashes
from policybrief.analyses.scan import Part, PartValues, fingerprint, scan
from policybrief.corpus.model import Corpus, Document, Spans
from policybrief.text.lexicon import GAPS, Tokens, tokenize


def document_terms(doc: Document, tokens: Tokens | None = None) -> list[str]:
    """Unigrams, then in-sentence bigrams, of non-stop words."""
    return terms_of(doc.full_text, tokenize(doc.full_text) if tokens is None else tokens, doc.sentence_spans)


def terms_of(text: str, tokens: Tokens, sentence_spans: Spans) -> list[str]:
    """The terms of any text whose tokens and sentences are known (a document, or one sentence): its
    unigrams, then the bigrams of adjacent words in one sentence with only a gap of GAPS between them (a space
    or hyphen, after an optional period or possessive)."""
    if not len(tokens):
        return []
    starts, ends = tokens.starts, tokens.ends
    # Sentences start after white space, and the only white space a gap in GAPS holds is its last character:
    # two words joined by such a gap are in one sentence unless the second one starts a sentence.
    sentence_starts = {start for start, _ in sentence_spans}
    keys = [c if len(c) > 1 and c.isupper() else k for c, k in zip(tokens.cased, tokens.lower, strict=True)]
    keep = [k not in ENGLISH_STOP_WORDS and not k.isdigit() for k in tokens.lower]
    bigrams = [
        f"{keys[i]} {keys[i + 1]}"
        for i in compress(range(len(keys) - 1), map(and_, keep, keep[1:]))
        if starts[i + 1] not in sentence_starts and text[ends[i] : starts[i + 1]] in GAPS
    ]
    return list(compress(keys, keep)) + bigrams


@dataclass
class DocumentProfile:
    """What comparison needs from one document: its term counts and its shingles."""

    # distinct terms, sorted, one per line (one string, not thousands: corpora of 10,000 documents fit in
    # memory)
    terms: str
    counts: np.ndarray  # uses of each term
    shingles: np.ndarray  # sorted distinct hashes of 5-word shingles
    signature: np.ndarray  # MinHash signature of the shingles (empty when there are none)


def document_profile(doc: Document, tokens: Tokens) -> DocumentProfile:
    counted = Counter(terms_of(doc.full_text, tokens, doc.sentence_spans))
    terms = sorted(counted)
    shingles = shingle_hashes(tokens.lower)
    return DocumentProfile(
        "\n".join(terms),
        np.array([counted[t] for t in terms], dtype=np.int32),
        shingles,
        minhash_signature(shingles),
    )


def scan_part() -> Part:
    """Terms and shingles as a per-document part of the scan (cached per document)."""
    return Part("terms", fingerprint(Path(__file__), shingles, lexicon_module), document_profile)


@dataclass
class TermMatrix:
    doc_ids: list[str]
    terms: np.ndarray  # vocabulary, sorted
    counts: sparse.csr_matrix  # documents × terms
    tfidf: sparse.csr_matrix  # rows L2-normalised


def term_matrix(corpus: Corpus, profiles: PartValues | None = None) -> TermMatrix:
    """Documents × terms counts and tf-idf, assembled from the per-document term counts a partition at a
    time (a string object per use of every term at once would be gigabytes)."""
    profiles = scan(corpus, [scan_part()])["terms"] if profiles is None else profiles
    vocabulary: dict[str, int] = {}
    lengths: list[int] = []
    codes: list[np.ndarray] = []
    counts_of: list[np.ndarray] = []
    for _, values in profiles.partitions():
        joined = "\n".join(p.terms for p in values if p.terms)
        local, uniques = pd.factorize(np.array(joined.split("\n") if joined else [], dtype=object))
        ids = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in uniques), dtype=np.int64, count=len(uniques)
        )
        codes.append(ids[local])
        lengths.extend(p.terms.count("\n") + 1 if p.terms else 0 for p in values)
        counts_of.extend(p.counts for p in values)
    first_seen = np.array(list(vocabulary), dtype=object)
    order = np.argsort(first_seen, kind="stable")
    terms = first_seen[order]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    # 32-bit offsets and counts while they fit: half the memory of the 64-bit defaults (1 GiB at 100,000
    # documents), and the same values
    index_type = np.int32 if sum(lengths) < 2**31 and len(terms) < 2**31 else np.int64
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(index_type)
    indices = (rank[np.concatenate(codes)] if codes else np.zeros(0)).astype(index_type)
    data = np.concatenate(counts_of) if counts_of else np.zeros(0, dtype=np.int32)
    counts = sparse.csr_matrix((data.astype(np.int32), indices, indptr), shape=(len(lengths), len(terms)))
    counts.sort_indices()
    weights = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr().data
    # tf-idf has the counts' non-zero cells: it shares their index arrays instead of holding a copy (400 MB at
    # 100,000 documents)
    tfidf = sparse.csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)
    return TermMatrix([d.doc_id for d in corpus.documents], terms, counts, tfidf)


def matrix_subset(matrix: TermMatrix, doc_ids: list[str]) -> TermMatrix:
    rows = [matrix.doc_ids.index(d) for d in doc_ids]
    return TermMatrix(doc_ids, matrix.terms, matrix.counts[rows], matrix.tfidf[rows])
