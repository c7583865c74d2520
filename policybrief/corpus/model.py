"""The corpus model: a cleaned ``Document`` and the ``Corpus`` of them, with the labels that cite them."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from policybrief.errors import Note
from policybrief.text.dates import long_date, parse_date


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
    text: str  # the cleaned text: every offset in every table points into it
    words_raw: int
    words: int
    sentence_spans: list[tuple[int, int]]
    removals: list[dict]  # step, reason, text, words
    replaced_characters: dict[str, int]
    notes: list[str]
    extra: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def content_key(self) -> str:
        """Digest of the id, cleaned text and sentences: what every per-document result depends on
        (results carry the id, so a renamed document is a new one)."""
        digest = hashlib.sha256(f"{self.doc_id}\0{self.sentence_spans!r}\0".encode())
        digest.update(self.text.encode())
        return digest.hexdigest()[:32]

    @functools.cached_property
    def sort_date(self) -> dt.date | None:
        parsed = parse_date(self.date) if self.date else None
        return parsed.sort_key if parsed else None


DOCUMENT_FIELDS = [f.name for f in fields(Document)]


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


def citation(doc: Document) -> str:
    """A quoted sentence's source: title, source and date."""
    return (
        f"{short_title(doc, 60)} — {doc.source or 'unknown source'}, "
        f"{long_date(doc.date) if doc.date else 'undated'}"
    )
