"""The CSV tables a user can reuse: one row per document, sentence, cleaning step and data note.

Offsets (``start``, ``end``) are character positions in the document's cleaned text; every later
evidence table uses the same offsets.
"""

import os
import shutil
from pathlib import Path

import pandas as pd

from policybrief.corpus import Corpus
from policybrief.text import excerpt

DOCUMENT_COLUMNS = ["doc_id", "file", "title", "source", "author", "date", "date_precision", "date_basis", "url",
                    "words_raw", "words", "sentences", "format", "sha256"]


def documents_table(corpus: Corpus) -> pd.DataFrame:
    rows = []
    for doc in corpus.documents:
        row = {column: getattr(doc, column) for column in DOCUMENT_COLUMNS if column != "sentences"}
        row["sentences"] = len(doc.sentence_spans)
        row.update({column: doc.extra.get(column, "") for column in corpus.extra_columns})
        rows.append(row)
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS + corpus.extra_columns)


def sentences_table(corpus: Corpus) -> pd.DataFrame:
    rows = [
        (doc.doc_id, index, start, end, doc.text[start:end])
        for doc in corpus.documents
        for index, (start, end) in enumerate(doc.sentence_spans)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sentence_index", "start", "end", "text"])


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


def corpus_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    return {
        "documents.csv": documents_table(corpus),
        "sentences.csv": sentences_table(corpus),
        "cleaning_log.csv": cleaning_table(corpus),
        "data_quality.csv": quality_table(corpus),
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / name, index=False, lineterminator="\n")


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, so that a reader never sees a half-written folder."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
