"""The per-document pass: each analysis reads a document's words once, partition by partition on the engine,
cached on disk.

Everything an analysis needs from one document alone (theme hits, actor mentions, candidate names,
term counts, shingles) is a *part*. A part's result depends only on the document's cleaned text and
sentences and on the part's key (its lexicon, its options, its code), so it is cached per partition and
part (a Parquet file of the results table schema): a rebuild after one document changed rescans that
document's partition only. The corpus-level measures are then aggregates of these results.

Results already computed are kept on the corpus itself (``Corpus.scanned``), not in module state; the
parts go to each worker once per scan, and a task reads its partition's documents from the cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

import policybrief.text.lexicon as lexicon
from policybrief.corpus.model import Corpus, Document
from policybrief.corpus.stage_files import (
    DOCUMENTS_VERSION,
    RESULTS_SCHEMA,
    RESULTS_VERSION,
    document_rows,
    read_stage_file,
    write_stage_file,
)
from policybrief.engine import Engine
from policybrief.log import logger


@dataclass(frozen=True)
class Part:
    """One analysis's work on one document: ``function(doc, tokens)``, identified by ``key``."""

    name: str
    key: str  # digest of everything besides the document that the result depends on
    function: Callable[[Document, lexicon.Tokens], Any]


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


def scan_partition(
    job: tuple[str | list[Document], list[str], list[int], list[str | None]], parts: list[Part]
) -> list[pa.Table]:
    """On a worker: one partition's documents, each tokenised once, then the wanted parts run part by part
    (one part's code and lexicon stay in the processor's caches: a tenth faster than document by document).

    ``job`` is (the partition's documents file, or its documents; the document ids to scan; the wanted
    part indexes; where to write each wanted part's results, None for nowhere). Each wanted part's results
    come back as a results table: the document's content key and the result, pickled as the cache stores
    it.
    """
    source, doc_ids, wanted, targets = job
    documents = source if isinstance(source, list) else _stored_documents(source)
    chosen = set(doc_ids)
    documents = [doc for doc in documents if doc.doc_id in chosen]
    tokens = [lexicon.tokenize(doc.text) for doc in documents]
    tables = []
    for p, target in zip(wanted, targets, strict=True):
        function = parts[p].function
        values = [
            pickle.dumps(function(doc, doc_tokens), protocol=pickle.HIGHEST_PROTOCOL)
            for doc, doc_tokens in zip(documents, tokens, strict=True)
        ]
        table = pa.table([[doc.content_key for doc in documents], values], schema=RESULTS_SCHEMA)
        if target is not None:
            write_stage_file(table, Path(target), RESULTS_VERSION)
        tables.append(table)
    return tables


def _stored_documents(path: str) -> list[Document]:
    table = read_stage_file(Path(path), DOCUMENTS_VERSION)
    if table is None:
        raise FileNotFoundError(f"{path}: the partition's cleaned documents are not readable here")
    return [row["document"] for row in document_rows(table) if "document" in row]


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


def scan(corpus: Corpus, parts: list[Part], engine: Engine | None = None) -> dict[str, list]:
    """Each part's result for every document of the corpus, in corpus order: ``{part name: [result, ...]}``.

    Results come from this process's memory, then from the cache (one file per partition and part), and only
    then are computed on ``engine`` (default: this process) — all missing parts of a partition in one task,
    one pass over each document's words — and cached by the task that computes them.
    """
    memory = corpus.scanned
    documents = corpus.documents
    found: dict[str, list] = {part.name: [None] * len(documents) for part in parts}
    cache = corpus.cache_dir
    jobs, places = [], []
    for key, indexes in _partitions(corpus):
        wanted, targets = [], []
        doc_ids = [documents[i].doc_id for i in indexes]
        for p, part in enumerate(parts):
            if all((part.key, documents[i].content_key) in memory for i in indexes):
                for i in indexes:
                    found[part.name][i] = memory[(part.key, documents[i].content_key)]
                continue
            target = (
                cache / "scans" / part.name / f"{fingerprint(key, part.key, doc_ids)}.parquet"
                if cache is not None
                else None
            )
            stored = read_stage_file(target, RESULTS_VERSION) if target is not None else None
            if stored is not None and stored.num_rows == len(indexes):
                _keep(corpus, part, indexes, stored, found)
            else:
                wanted.append(p)
                targets.append(str(target) if target is not None else None)
        if wanted:
            stored_documents = cache / "documents" / f"{key}.parquet" if cache is not None else None
            source = (
                str(stored_documents)
                if stored_documents is not None and stored_documents.is_file()
                else [documents[i] for i in indexes]
            )
            jobs.append((source, doc_ids, wanted, targets))
            places.append(indexes)
    for p, part in enumerate(parts):
        logger.debug(
            "scan: part %s: %d of %d documents to scan, the rest from memory or cache",
            part.name,
            sum(len(indexes) for job, indexes in zip(jobs, places, strict=True) if p in job[2]),
            len(documents),
        )
    to_scan = sum(len(indexes) for indexes in places)
    engine = engine or Engine(local_from=to_scan + 1)
    results = engine.map(scan_partition, jobs, documents=to_scan, name="scan-documents", parts=parts)
    for job, indexes, tables in zip(jobs, places, results, strict=True):
        for p, table in zip(job[2], tables, strict=True):
            _keep(corpus, parts[p], indexes, table, found)
    return found


def _keep(corpus: Corpus, part: Part, indexes: list[int], table: pa.Table, found: dict[str, list]) -> None:
    """A partition's results for ``part``, unpickled into ``found`` and the corpus's memory."""
    values = table.column("value").to_pylist()
    for i, data in zip(indexes, values, strict=True):
        found[part.name][i] = corpus.scanned[(part.key, corpus.documents[i].content_key)] = pickle.loads(data)


def rows_frame(rows: list[tuple], columns: list[str], labels: list[str]):
    """A frame of the per-document result rows. ``labels`` (document ids, theme and actor ids, matched words:
    few distinct values over many rows) are stored as categories, so that a large corpus's evidence is small
    in memory, quick to group and quick to cache."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for column in (
        labels if len(frame) else []
    ):  # ordered as text is, so sorting and comparing work as on text
        frame[column] = pd.Categorical(frame[column], ordered=True)
    return frame


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
            return pickle.loads(file.read_bytes())
        except Exception:  # a cache written by another version of a library: recompute
            pass
    result = compute()
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(
        f".{os.getpid()}.tmp"
    )  # whole or not at all: a build stopped mid-write leaves no torn file
    tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, file)
    return result
