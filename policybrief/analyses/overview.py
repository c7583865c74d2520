"""Corpus overview, computed: the corpus in numbers and its tables (documents, sentences, cleaning, notes).

Offsets (``start``, ``end``) are character positions in the document's cleaned text; every later
evidence table uses the same offsets.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from policybrief.analyses.schemas import Streamed
from policybrief.corpus.model import Corpus
from policybrief.corpus.pages import page_at
from policybrief.text.words import excerpt


def summary(corpus: Corpus) -> dict:
    dated = [(when, d.date, d.date_precision) for when, d in corpus.dated()]
    return {
        "documents": len(corpus.documents),
        "sources": len({d.source for d in corpus.documents if d.source}),
        "words": sum(d.words for d in corpus.documents),
        "words_raw": sum(d.words_raw for d in corpus.documents),
        "sentences": sum(d.sentences for d in corpus.documents),
        "first_date": dated[0][1] if dated else "",
        "last_date": dated[-1][1] if dated else "",
        # "season" and "quarter" dates print as such ("Spring 2024"), not as their middle month
        "first_precision": dated[0][2] if dated else "",
        "last_precision": dated[-1][2] if dated else "",
        "undated": sum(1 for d in corpus.documents if not d.date),
        "outside_window": len(corpus.outside_window),
    }


REMOVAL_STEPS = ["web residue", "page header", "page footer", "author bio", "repeated passage"]


DOCUMENT_COLUMNS = [
    "doc_id",
    "file",
    "title",
    "source",
    "author",
    "date",
    "date_precision",
    "date_basis",
    "url",
    "words_raw",
    "words",
    "sentences",
    "format",
    "sha256",
    "pages",
]


def documents_table(corpus: Corpus) -> pd.DataFrame:
    extra = corpus.extra_columns  # computed over every document: once, not per row
    rows = []
    for doc in corpus.documents:
        row = {column: getattr(doc, column) for column in DOCUMENT_COLUMNS}
        row["pages"] = doc.pages or None  # empty for a source without pages
        row.update({column: doc.extra.get(column, "") for column in extra})
        rows.append(row)
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS + extra)


SENTENCE_BATCH = 1_000  # documents per batch of the sentence table


def sentences_table(corpus: Corpus) -> Streamed:
    """Every sentence with its offsets and text, a batch of documents at a time (each partition's text read
    once, in corpus order)."""

    def batches() -> Iterator[pd.DataFrame]:
        documents = corpus.documents
        for begin in range(0, len(documents), SENTENCE_BATCH):
            rows = [
                (
                    doc.doc_id,
                    index,
                    int(start),
                    int(end),
                    doc.full_text[start:end],
                    page_at(doc.page_starts, start),
                )
                for doc in map(corpus.with_text, documents[begin : begin + SENTENCE_BATCH])
                for index, (start, end) in enumerate(doc.sentence_spans)
            ]
            yield pd.DataFrame(rows, columns=["doc_id", "sentence_index", "start", "end", "text", "page"])

    return Streamed(batches, sum(len(doc.sentence_spans) for doc in corpus.documents))


def cleaning_table(corpus: Corpus) -> pd.DataFrame:
    """What cleaning removed or repaired in each document, and why."""
    rows = [
        (doc.doc_id, r["step"], r["reason"], r["words"], excerpt(r["text"], 200))
        for doc in corpus.documents
        for r in doc.removals
    ]
    return pd.DataFrame(rows, columns=["doc_id", "step", "reason", "words_removed", "removed_text"])


def quality_table(corpus: Corpus) -> pd.DataFrame:
    rows = sorted({(n.file, n.severity, n.problem) for n in corpus.notes})
    return pd.DataFrame(rows, columns=["file", "severity", "problem"])


def corpus_tables(corpus: Corpus) -> dict[str, pd.DataFrame | Streamed]:
    return {
        "documents.csv": documents_table(corpus),
        "sentences.csv": sentences_table(corpus),
        "cleaning_log.csv": cleaning_table(corpus),
        "data_quality.csv": quality_table(corpus),
    }
