"""The Parquet files between stages: one per partition and stage, with a fixed schema named and versioned in
the file's metadata.

A file is written whole or not at all (a temporary name, then a rename), so a build stopped mid-write or a
worker killed mid-task leaves no torn file. A file written with another schema version, or damaged, reads as
missing: its partition is rebuilt, never misread.
"""

from __future__ import annotations

import itertools
import json
import os
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from policybrief.corpus.model import Document
from policybrief.errors import BriefingError

SCHEMA_KEY = b"policybrief.schema"  # Parquet key-value metadata: b"documents/2", b"theme_evidence/1"

DOCUMENTS_VERSION = "documents/3"
DOCUMENTS_SCHEMA = pa.schema(
    [
        ("file", pa.string()),  # the path inside the corpus folder
        ("skipped", pa.string()),  # why the file is not a document (null for a document)
        ("doc_id", pa.string()),
        ("format", pa.string()),
        ("sha256", pa.string()),
        ("title", pa.string()),
        ("source", pa.string()),
        ("author", pa.string()),
        ("date", pa.string()),
        ("date_precision", pa.string()),
        ("date_basis", pa.string()),
        ("url", pa.string()),
        ("text", pa.large_string()),  # the cleaned text: every offset of every table points into it
        ("words_raw", pa.int64()),
        ("words", pa.int64()),
        ("sentence_starts", pa.list_(pa.int32())),
        ("sentence_ends", pa.list_(pa.int32())),
        ("sentences", pa.int64()),
        ("text_digest", pa.string()),
        ("content_key", pa.string()),
        ("removals", pa.string()),  # JSON: [{step, reason, text, words}]
        ("replaced_characters", pa.string()),  # JSON: {character: count}
        ("notes", pa.list_(pa.string())),
        ("extra", pa.string()),  # JSON: the metadata row's other columns
        ("page_starts", pa.list_(pa.int32())),  # where each page starts in the text (empty: no pages)
    ]
)

# What the build's process reads of a documents file: all but the text (Corpus.with_text reads it).
WITHOUT_TEXT = [name for name in DOCUMENTS_SCHEMA.names if name != "text"]


def write_stage_file(table: pa.Table, path: Path, version: str) -> None:
    """``table`` (already of its schema) as ``path``, tagged with ``version``, atomically."""
    tagged = table.replace_schema_metadata({SCHEMA_KEY: version.encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(tagged, temporary, compression="zstd")
    os.replace(temporary, path)


def documents_file(cache_dir: Path, partition_key: str) -> Path:
    """Where a partition's cleaned documents are kept."""
    return cache_dir / "documents" / f"{partition_key}.parquet"


def read_stage_file(path: Path, version: str, columns: list[str] | None = None) -> pa.Table | None:
    """The table in ``path`` (only ``columns``, when given), or None when there is none, it is damaged or it
    has another schema version."""
    try:
        table = pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException):
        return None
    if (table.schema.metadata or {}).get(SCHEMA_KEY) != version.encode():
        return None
    return table.replace_schema_metadata(None)


def documents_table(rows: list[dict]) -> pa.Table:
    """A partition's cleaned documents (or why each file was skipped) as a table of ``DOCUMENTS_SCHEMA``."""
    columns: dict[str, list] = {name: [] for name in DOCUMENTS_SCHEMA.names}
    for row in rows:
        spans = row.get("sentence_spans") or []
        flat = {
            **row,
            "sentence_starts": [start for start, _ in spans],
            "sentence_ends": [end for _, end in spans],
            "removals": json.dumps(row.get("removals", [])),
            "replaced_characters": json.dumps(row.get("replaced_characters", {}), sort_keys=True),
            "extra": json.dumps(row.get("extra", {}), sort_keys=True),
            "notes": row.get("notes", []),
            "page_starts": list(row.get("page_starts") or []),
        }
        for name, values in columns.items():
            values.append(flat.get(name))
    return pa.table(columns, schema=DOCUMENTS_SCHEMA)


def _compact_spans(table: pa.Table) -> list[np.ndarray]:
    """Each row's sentences as an (n, 2) array of int32 start and end offsets: views into one array, 8 bytes
    a sentence (a list of tuples of Python ints takes about 110)."""
    starts, ends = (table.column(name).combine_chunks() for name in ("sentence_starts", "sentence_ends"))
    flat = np.stack([starts.flatten().to_numpy(), ends.flatten().to_numpy()], axis=1)
    offsets = starts.offsets.to_numpy()
    offsets = offsets - offsets[0]
    return [flat[begin:end] for begin, end in itertools.pairwise(offsets.tolist())]


def document_rows(table: pa.Table) -> list[dict]:
    """Each row of a documents table: ``{"file", "skipped"}`` for a skipped file, else
    ``{"file", "document"}``. A table of only the ``WITHOUT_TEXT`` columns gives documents without their text,
    their sentences as a compact array (``_compact_spans``)."""
    with_text = "text" in table.column_names
    compact = [] if with_text else _compact_spans(table)
    if not with_text:
        table = table.drop_columns(["sentence_starts", "sentence_ends"])
    rows = []
    for index, row in enumerate(table.to_pylist()):
        if row["skipped"] is not None:
            rows.append({"file": row["file"], "skipped": row["skipped"]})
            continue
        row.pop("skipped")
        if with_text:
            starts, ends = row.pop("sentence_starts"), row.pop("sentence_ends")
            row["sentence_spans"] = list(zip(starts, ends, strict=True))
        else:
            row["text"], row["sentence_spans"] = None, compact[index]
        for name in ("removals", "replaced_characters", "extra"):
            row[name] = json.loads(row[name])
        rows.append({"file": row["file"], "document": Document(**row)})
    return rows


def read_documents(path: Path) -> list[Document]:
    """A partition's documents with their text, from its stage file."""
    table = read_stage_file(path, DOCUMENTS_VERSION)
    if table is None:
        raise BriefingError(f"{path}: the partition's cleaned documents are not readable here")
    return [row["document"] for row in document_rows(table) if "document" in row]
