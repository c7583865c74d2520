"""The per-document pass: each analysis reads a document's words once, partition by partition on the engine,
cached on disk.

Everything an analysis needs from one document alone (theme hits, actor mentions, candidate names,
term counts, shingles) is a *part*. A part's result depends only on the document's cleaned text and
sentences and on the part's key (its lexicon, its options, its code), so it is cached per partition and
part (a Parquet file of the results table schema): a rebuild after one document changed rescans that
document's partition only. The corpus-level measures are then aggregates of these results.

With a cache, results are read from it a partition at a time when an analysis asks for them, and only the
columns it asks for (``parts.PartRows``, ``parts.PartRecords``), so that the build's process holds only
the partition at hand and what the analysis sums (at 100,000 documents the scan's results are 1.3 GiB of
evidence rows and 1.6 GiB of term profiles). Without one they are kept on the corpus itself
(``Corpus.scanned``), not in module state. The parts go to each worker once per scan, and a task reads its
partition's documents from the cache.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import policybrief.text.lexicon as lexicon
from policybrief.analyses.parts import CachedTables, PartRecords, PartRows, Reader
from policybrief.corpus.model import Corpus, Document
from policybrief.corpus.stage_files import (
    SCHEMA_KEY,
    documents_file,
    read_documents,
    write_stage_file,
)
from policybrief.engine import Engine
from policybrief.log import logger
from policybrief.memory import release_memory


@dataclass(frozen=True)
class Part:
    """One analysis's work on one document: ``function(doc, tokens)``, identified by ``key``.

    A part with ``outputs`` returns, for each document, one list of rows per output schema; its result is
    then one table per output, over the whole corpus in corpus order, built on the workers and kept columnar
    (evidence rows as Python tuples take about ten times the memory). A part with a ``record`` schema returns
    one row (a tuple; NumPy arrays for its list columns) per document, and its result is those rows in
    corpus order, read a partition at a time and only the columns asked for (``PartRecords``).
    """

    name: str
    key: str  # digest of everything besides the document that the result depends on (its schemas included)
    function: Callable[[Document, lexicon.Tokens], Any]
    outputs: tuple[pa.Schema, ...] = ()
    record: pa.Schema | None = None
    # for each output, the columns its frames hold as categories (``parts.table_frame``)
    labels: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if bool(self.outputs) == (self.record is not None):
            raise ValueError(f"scan part {self.name}: give either outputs or a record schema")

    @property
    def version(self) -> str:
        return ROWS_VERSION if self.outputs else RECORDS_VERSION

    def files(self, base: Path) -> list[Path]:
        """Where a partition's results of this part are cached, ``base`` naming the partition's scan."""
        if not self.outputs:
            return [base.with_name(base.name + ".parquet")]
        return [base.with_name(f"{base.name}.{i}.parquet") for i in range(len(self.outputs))]


def fingerprint(*items: Any) -> str:
    """A digest of code, configuration files and options: a module's source file and a path are read, other
    values repr'd."""
    digest = hashlib.sha256()
    for item in items:
        if isinstance(item, types.ModuleType):
            item = Path(item.__file__ or "")
        digest.update(item.read_bytes() if isinstance(item, Path) else repr(item).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:24]


# The cached tables of a part: their columns are the part's own schemas (its outputs or its record)
ROWS_VERSION = "rows/1"
RECORDS_VERSION = "records/1"


def _array(values: tuple, type_: pa.DataType) -> pa.Array:
    """A column of rows as Arrow; a list column of NumPy arrays is joined end to end in one copy, not
    converted a value at a time."""
    if pa.types.is_list(type_) and values and all(isinstance(value, np.ndarray) for value in values):
        offsets = np.concatenate([[0], np.cumsum([len(value) for value in values])]).astype(np.int32)
        flat = pa.array(np.concatenate(values).astype(type_.value_type.to_pandas_dtype()), type_.value_type)
        return pa.ListArray.from_arrays(pa.array(offsets), flat, type=type_)
    return pa.array(values, type=type_)


def _rows_table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table(
        [_array(column, field.type) for column, field in zip(columns, schema, strict=True)], schema=schema
    )


def _run_part(part: Part, documents: list[Document], tokens: list[lexicon.Tokens]) -> list[pa.Table]:
    if part.record is not None:
        found = [part.function(doc, doc_tokens) for doc, doc_tokens in zip(documents, tokens, strict=True)]
        return [_rows_table(found, part.record)]
    rows: list[list[tuple]] = [[] for _ in part.outputs]
    for doc, doc_tokens in zip(documents, tokens, strict=True):
        for found_rows, doc_rows in zip(rows, part.function(doc, doc_tokens), strict=True):
            found_rows.extend(doc_rows)
    return [_rows_table(found_rows, schema) for found_rows, schema in zip(rows, part.outputs, strict=True)]


def scan_partition(
    job: tuple[str | list[Document], list[str], list[int], list[str | None]],
    parts: list[Part],
    send_back: bool = True,
) -> list[list[pa.Table]]:
    """On a worker: one partition's documents, each tokenised once, then the wanted parts run part by part
    (one part's code and lexicon stay in the processor's caches: a tenth faster than document by document).

    ``job`` is (the partition's documents file, or its documents; the document ids to scan; the wanted
    part indexes; where to cache each wanted part's results, None for nowhere). Each wanted part's results
    come back as tables: its row tables, or its table of records (none when they were cached and
    ``send_back`` is false: the build's process reads them from the cache when it needs them).
    """
    source, doc_ids, wanted, targets = job
    documents = source if isinstance(source, list) else read_documents(Path(source))
    chosen = set(doc_ids)
    documents = [doc for doc in documents if doc.doc_id in chosen]
    tokens = [lexicon.tokenize(doc.full_text) for doc in documents]
    found = []
    for p, target in zip(wanted, targets, strict=True):
        tables = _run_part(parts[p], documents, tokens)
        if target is not None:
            for table, file in zip(tables, parts[p].files(Path(target)), strict=True):
                write_stage_file(table, file, parts[p].version)
        found.append(tables if send_back or target is None else [])
    return found


def _in_cache(part: Part, base: Path | None) -> bool:
    """Whether a part's results are in the cache, of this version (their schemas read, not their rows)."""
    if base is None:
        return False
    version = part.version.encode()
    try:
        return all(
            (pq.read_schema(file).metadata or {}).get(SCHEMA_KEY) == version for file in part.files(base)
        )
    except (OSError, pa.ArrowException):
        return False


def _partitions(corpus: Corpus) -> list[tuple[str, list[int]]]:
    """The corpus's partitions as (partition key, indexes of its documents in the corpus), leaving out those
    with no document in the corpus (outside the date window, skipped)."""
    place = {doc.file: index for index, doc in enumerate(corpus.documents)}
    found = []
    for key, files in corpus.partitions:
        indexes = [place[file] for file in files if file in place]
        if indexes:
            found.append((key, indexes))
    return found


def scan(
    corpus: Corpus, parts: list[Part], engine: Engine | None = None, results: bool = True
) -> dict[str, Any]:
    """Each part's result for the corpus: ``{part name: result}``, a list of per-document values in corpus
    order, or for a part with outputs one table per output with its rows in corpus order.

    Results come from the cache (files per partition and part) or, without one, this process's memory, and
    only then are computed on ``engine`` (default: this process) — all missing parts of a partition in one
    task, one pass over each document's words — and cached by the task that computes them. Without
    ``results`` the parts are only brought up to date (a build scanning once for every analysis): nothing
    is assembled or read back.
    """
    memory, documents, cache = corpus.scanned, corpus.documents, corpus.cache_dir
    # (part index, scan key) -> tables, or how to read them from the cache
    found: dict[tuple[int, str], Reader] = {}
    order: list[tuple[str, list[int]]] = []  # (scan key, document indexes), in partition order
    jobs, waiting = [], []
    for key, indexes in _partitions(corpus):
        doc_ids = [documents[i].doc_id for i in indexes]
        scan_key = fingerprint(key, doc_ids)
        order.append((scan_key, indexes))
        wanted, targets = [], []
        for p, part in enumerate(parts):
            base = (
                cache / "scans" / part.name / fingerprint(scan_key, part.key) if cache is not None else None
            )
            if base is not None and _in_cache(part, base):  # read when its values are read
                found[(p, scan_key)] = CachedTables(tuple(part.files(base)), part.version)
            elif (tables := memory.get((part.key, scan_key))) is not None:
                found[(p, scan_key)] = tables
            else:
                wanted.append(p)
                targets.append(str(base) if base is not None else None)
        if wanted:
            stored = documents_file(cache, key) if cache is not None else None
            source = (
                str(stored) if stored is not None and stored.is_file() else [documents[i] for i in indexes]
            )
            jobs.append((source, doc_ids, wanted, targets))
            waiting.append((scan_key, len(indexes)))
    for p, part in enumerate(parts):
        logger.debug(
            "scan: part %s: %d of %d documents to scan, the rest from memory or cache",
            part.name,
            sum(size for job, (_, size) in zip(jobs, waiting, strict=True) if p in job[2]),
            len(documents),
        )
    to_scan = sum(size for _, size in waiting)
    engine = engine or Engine.in_process()
    computed = engine.map(
        scan_partition,
        jobs,
        documents=to_scan,
        name="scan-documents",
        sizes=[size for _, size in waiting],
        parts=parts,
        # with a cache the tasks' results are read from it like any cached ones: an analysis computed right
        # after a scan then also names its rows' files rather than holding (and keeping on disk) the rows
        send_back=results and cache is None,
    )
    for job, (scan_key, _), tables in zip(jobs, waiting, computed, strict=True):
        for p, target, part_tables in zip(job[2], job[3], tables, strict=True):
            if target is not None:
                found[(p, scan_key)] = CachedTables(tuple(parts[p].files(Path(target))), parts[p].version)
            else:
                found[(p, scan_key)] = memory[(parts[p].key, scan_key)] = part_tables
    if not results:
        return {}
    return {part.name: _assembled(corpus, part, p, order, found) for p, part in enumerate(parts)}


def _assembled(corpus: Corpus, part: Part, p: int, order: list[tuple[str, list[int]]], found: dict) -> Any:
    """A part's result over the corpus, as its partitions: their tables at hand or where they are cached."""
    if part.record is not None:
        pieces = [(indexes, found.pop((p, scan_key))) for scan_key, indexes in order]
        return PartRecords(pieces, len(corpus.documents))
    # the partitions hold the corpus's documents in corpus order (file order), so their tables follow on
    tables = [found.pop((p, scan_key)) for scan_key, _ in order]
    return [
        PartRows(tables, i, schema, list(labels))
        for i, (schema, labels) in enumerate(itertools.zip_longest(part.outputs, part.labels, fillvalue=()))
    ]


def forget(corpus: Corpus, parts: list[Part] | None = None) -> None:
    """Drop the per-document results of ``parts`` (default: all) kept on the corpus (the disk cache keeps
    them), once the analyses that aggregate them are built: the memory they free serves the next stages."""
    if parts is None:
        corpus.scanned.clear()
        return
    keys = {part.key for part in parts}
    for memory_key in [k for k in corpus.scanned if k[0] in keys]:
        del corpus.scanned[memory_key]


def remembered(corpus: Corpus, name: str, key: str, compute: Callable[[], Any]) -> Any:
    """A corpus-level result computed once and kept on disk, so that the notebooks of a build read what the
    tables stage computed instead of recomputing it; ``key`` must cover every input besides the corpus."""
    if corpus.cache_dir is None:
        return compute()
    file = corpus.cache_dir / "analyses" / f"{name}-{fingerprint(corpus.analysis_key, key)}.pickle"
    if file.is_file():
        try:
            with file.open("rb") as stream:  # read as a stream, not whole first
                kept = pickle.load(stream)
            if _still_readable(kept):
                return kept
        except Exception:  # a cache written by another version of a library: recompute
            pass
    result = compute()
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(
        f".{os.getpid()}.tmp"
    )  # whole or not at all: a build stopped mid-write leaves no torn file
    with tmp.open("wb") as stream:  # written as pickled, never whole in memory as bytes
        pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, file)
    del result
    release_memory()
    with file.open("rb") as stream:
        return pickle.load(stream)


def _still_readable(result: Any) -> bool:
    """Whether the scan results a kept analysis names are all still in the cache (someone may have emptied
    its scans folder): otherwise it is computed again, not read and then failed on."""
    fields = vars(result).values() if hasattr(result, "__dict__") else ()
    return all(value.available() for value in fields if isinstance(value, PartRows))
