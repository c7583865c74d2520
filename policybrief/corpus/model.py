"""The corpus model: a cleaned ``Document`` and the ``Corpus`` of them, with the labels that cite them.

A corpus loaded with a cache holds its documents *without their text*, and their sentences' offsets as
compact arrays: the cleaned text of each stays in its partition's stage file, and ``Corpus.with_text``
reads it back for the few sentences a briefing quotes. The text of 100,000 documents and their sentence
offsets as Python objects would otherwise take about 1.5 GiB in the build's process, which needs none
of it: the per-document pass runs on the workers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np

from policybrief.corpus.pages import page_at
from policybrief.errors import Note
from policybrief.text.dates import long_date, parse_date

Spans: TypeAlias = list[tuple[int, int]] | np.ndarray  # (start, end) of each sentence


@dataclass
class Document:
    doc_id: str
    file: str
    format: str
    sha256: str
    title: str
    source: str
    author: str
    date: str  # ISO, as precise as known ("" when undated)
    date_precision: str
    date_basis: str
    url: str
    text: str | None  # the cleaned text, every offset in every table pointing into it; None: see with_text
    words_raw: int
    words: int
    # the sentences as (start, end): a list of tuples, or in a document held without its text an (n, 2) array
    sentence_spans: Spans
    sentences: int
    text_digest: str  # of the cleaned text: two files with the same text are one document
    content_key: str  # of the id, text and sentences: what every per-document result depends on
    removals: list[dict]  # step, reason, text, words
    replaced_characters: dict[str, int]
    notes: list[str]
    extra: dict[str, str] = field(default_factory=dict)
    # where each page starts in the cleaned text (a PDF; empty for a source without pages): ``pages.page_at``
    page_starts: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    @property
    def full_text(self) -> str:
        """The cleaned text, for code that reads it: a document held without it raises here rather than
        pass None on."""
        if self.text is None:
            raise ValueError(f"{self.file}: held without its text (read it with Corpus.with_text)")
        return self.text

    @functools.cached_property
    def sort_date(self) -> dt.date | None:
        parsed = parse_date(self.date) if self.date else None
        return parsed.sort_key if parsed else None


DOCUMENT_FIELDS = [f.name for f in fields(Document)]


def text_keys(
    doc_id: str,
    text: str,
    sentence_spans: list[tuple[int, int]],
    date: str = "",
    page_starts: tuple[int, ...] | list[int] = (),
) -> tuple[str, str]:
    """A cleaned text's digest, and the content key of a document of that id, text, sentences, date and pages
    (results carry the id, so a renamed document is a new one; the date decides who holds an office when a
    title names it: "President Lee" in 2025; evidence carries its page)."""
    text_digest = hashlib.sha256(text.encode()).hexdigest()
    pages = f"\0{list(page_starts)!r}" if len(page_starts) else ""  # unpaged documents keep their keys
    key = hashlib.sha256(f"{doc_id}\0{text_digest}\0{sentence_spans!r}\0{date}{pages}".encode()).hexdigest()[
        :32
    ]
    return text_digest, key


@dataclass
class Corpus:
    folder: Path
    documents: list[Document]  # inside the date window, in file order (sorted paths)
    outside_window: list[Document]
    notes: list[Note]
    start: dt.date | None = None
    end: dt.date | None = None
    cached: int = 0
    built: int = 0
    cache_dir: Path | None = None  # where per-document results are cached (None: not cached)
    # the partitions the documents were cleaned in, as (partition key, files), in file order: the scan runs
    # over the same partitions
    partitions: list[tuple[str, list[str]]] = field(default_factory=list, repr=False)
    # per-document scan results computed in this process, by (part key, document content key)
    scanned: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)
    # a partition's documents with their text, by partition key: set when documents are held without it
    read_partition: Callable[[str], list[Document]] | None = field(default=None, repr=False, compare=False)
    # the documents with their text of the partition read last by with_text: (partition key, by id)
    read_last: tuple[str, dict[str, Document]] = field(
        default_factory=lambda: ("", {}), repr=False, compare=False
    )

    @functools.cached_property
    def analysis_key(self) -> str:
        """A digest of everything the analyses read from the corpus: each document's metadata and content
        key."""
        digest = hashlib.sha256()
        for doc in self.documents:
            digest.update(
                repr(
                    (
                        doc.content_key,
                        doc.file,
                        doc.title,
                        doc.source,
                        doc.author,
                        doc.date,
                        doc.date_precision,
                        doc.url,
                        doc.words,
                        sorted(doc.extra.items()),
                    )
                ).encode()
            )
        return digest.hexdigest()[:32]

    def dated(self) -> list[tuple[dt.date, Document]]:
        """The dated documents with their sort dates, in date order (ties by document id)."""
        pairs = [(when, d) for d in self.documents if (when := d.sort_date) is not None]
        return sorted(pairs, key=lambda pair: (pair[0], pair[1].doc_id))

    @functools.cached_property
    def partition_of(self) -> dict[str, str]:
        """Each document file's partition key."""
        return {file: key for key, files in self.partitions for file in files}

    def with_text(self, doc: Document) -> Document:
        """``doc`` with its text: itself when it holds it, else as read from its partition's
        stage file (the partition read last is kept, so reading documents in corpus order reads each file
        once)."""
        if doc.text is not None:
            return doc
        key = self.partition_of[doc.file]
        if self.read_last[0] != key:
            if self.read_partition is None:
                raise ValueError(f"{doc.file}: held without its text, and the corpus cannot read it")
            self.read_last = (key, {d.doc_id: d for d in self.read_partition(key)})
        return self.read_last[1][doc.doc_id]

    @functools.cached_property
    def by_id(self) -> dict[str, Document]:
        return {doc.doc_id: doc for doc in self.documents}

    def sentence_texts(self, wanted: list[tuple[str, int]]) -> list[str]:
        """The text of each (document id, sentence index), reading each partition at most once."""
        place = {doc_id: i for i, doc_id in enumerate(self.by_id)}
        texts = [""] * len(wanted)
        for i in sorted(range(len(wanted)), key=lambda i: (place[wanted[i][0]], wanted[i][1])):
            doc = self.with_text(self.by_id[wanted[i][0]])
            start, end = doc.sentence_spans[wanted[i][1]]
            texts[i] = doc.full_text[start:end]
        return texts

    @property
    def extra_columns(self) -> list[str]:
        return sorted({key for doc in self.documents for key in doc.extra})


def short_title(doc: Document, limit: int = 48) -> str:
    """The title cut at a word boundary, for chart labels and narrow table columns."""
    if len(doc.title) <= limit:
        return doc.title
    return doc.title[: limit - 1].rsplit(" ", 1)[0].rstrip(" :,;") + "…"


def doc_label(doc: Document) -> str:
    """A document on a chart axis: month of publication and short title."""
    return f"{doc.date[:7] or 'undated'} · {short_title(doc, 30)}"


def citation(doc: Document, offset: int | None = None) -> str:
    """A quoted sentence's source: title, source and date, and the page of a PDF where ``offset`` (the
    sentence's start) is."""
    page = page_at(doc.page_starts, offset) if offset is not None else None
    date = long_date(doc.date, doc.date_precision) if doc.date else "undated"
    return (
        f"{short_title(doc, 60)} — {doc.source or 'unknown source'}, {date}{f', p. {page}' if page else ''}"
    )
