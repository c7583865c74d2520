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
from policybrief.workers import process_pool

DOCUMENT_COLUMNS = ["doc_id", "file", "title", "source", "author", "date", "date_precision", "date_basis", "url",
                    "words_raw", "words", "sentences", "format", "sha256"]


def documents_table(corpus: Corpus) -> pd.DataFrame:
    extra = corpus.extra_columns  # computed over every document: once, not per row
    rows = []
    for doc in corpus.documents:
        row = {column: getattr(doc, column) for column in DOCUMENT_COLUMNS if column != "sentences"}
        row["sentences"] = len(doc.sentence_spans)
        row.update({column: doc.extra.get(column, "") for column in extra})
        rows.append(row)
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS + extra)


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


# Above this many rows in all, the CSV files are written by several processes at once.
PARALLEL_ROWS = 200_000
_pending: dict[str, pd.DataFrame] = {}  # the tables being written, inherited by forked workers


def _write(names: list[str], folder: Path) -> None:
    for name in names:
        _pending[name].to_csv(folder / name, index=False, lineterminator="\n")


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    workers = min(os.cpu_count() or 1, len(tables))
    _pending.update(tables)
    try:
        if sum(len(frame) for frame in tables.values()) < PARALLEL_ROWS or workers < 2:
            _write(list(tables), folder)
            return
        shares: list[list[str]] = [[] for _ in range(workers)]
        loads = [0] * workers
        for name in sorted(tables, key=lambda n: -tables[n].size):  # largest first, each to the least loaded worker
            least = loads.index(min(loads))
            shares[least].append(name)
            loads[least] += tables[name].size
        with process_pool(workers) as pool:  # workers are forked: they see the tables without copying them
            list(pool.map(_write, shares, [folder] * workers))
    finally:
        _pending.clear()


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, so that a reader never sees a half-written folder."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
