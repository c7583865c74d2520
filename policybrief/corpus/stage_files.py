"""The Parquet files between stages: one per partition and stage, with a fixed schema named and versioned in
the file's metadata.

A file is written whole or not at all (a temporary name, then a rename), so a build stopped mid-write or a
worker killed mid-task leaves no torn file. A file written with another schema version, or damaged, reads as
missing: its partition is rebuilt, never misread.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from policybrief.corpus.model import Document

SCHEMA_KEY = b"policybrief.schema"  # Parquet key-value metadata: b"documents/1", b"theme_evidence/1"

DOCUMENTS_VERSION = "documents/1"
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
        ("removals", pa.string()),  # JSON: [{step, reason, text, words}]
        ("replaced_characters", pa.string()),  # JSON: {character: count}
        ("notes", pa.list_(pa.string())),
        ("extra", pa.string()),  # JSON: the metadata row's other columns
    ]
)

RESULTS_VERSION = "results/1"
RESULTS_SCHEMA = pa.schema(
    [
        ("content_key", pa.string()),  # Document.content_key of the document scanned
        ("value", pa.large_binary()),  # the part's result for it, pickled
    ]
)


def write_stage_file(table: pa.Table, path: Path, version: str) -> None:
    """``table`` (already of its schema) as ``path``, tagged with ``version``, atomically."""
    tagged = table.replace_schema_metadata({SCHEMA_KEY: version.encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(tagged, temporary, compression="zstd")
    os.replace(temporary, path)


def read_stage_file(path: Path, version: str) -> pa.Table | None:
    """The table in ``path``, or None when there is none, it is damaged or it has another schema version."""
    try:
        table = pq.read_table(path)
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
        }
        for name, values in columns.items():
            values.append(flat.get(name))
    return pa.table(columns, schema=DOCUMENTS_SCHEMA)


def document_rows(table: pa.Table) -> list[dict]:
    """Each row of a documents table: ``{"file", "skipped"}`` for a skipped file, else
    ``{"file", "document"}``."""
    rows = []
    for row in table.to_pylist():
        if row["skipped"] is not None:
            rows.append({"file": row["file"], "skipped": row["skipped"]})
            continue
        starts, ends = row.pop("sentence_starts"), row.pop("sentence_ends")
        row.pop("skipped")
        row["sentence_spans"] = list(zip(starts, ends, strict=True))
        for name in ("removals", "replaced_characters", "extra"):
            row[name] = json.loads(row[name])
        rows.append({"file": row["file"], "document": Document(**row)})
    return rows
