"""The per-document pass: each analysis reads a document's words once, in worker processes, cached on disk.

Everything an analysis needs from one document alone (theme hits, actor mentions, candidate names,
term counts, shingles) is a *part*. A part's result depends only on the document's cleaned text and
sentences and on the part's key (its lexicon, its options, its code), so it is cached per document:
a rebuild after one document changed rescans that document only. The corpus-level measures are then
aggregates of these results.

Results already computed are kept on the corpus itself (``Corpus.scanned``), not in module state, and
workers get the parts with each chunk of documents they scan.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import policybrief.text.lexicon as lexicon
from policybrief.corpus.model import Corpus, Document
from policybrief.corpus.store import store_in
from policybrief.log import logger
from policybrief.workers import process_pool, worth_parallel

# Documents per task sent to a worker, at most: at least eight tasks per worker keep the ends even.
_CHUNK = 128


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


def _scan_chunk(parts: list[Part], jobs: list[tuple[Document, list[int]]]) -> list[list[bytes]]:
    """In a worker: tokenise each document once and run the parts it still needs, part by part over the chunk
    (one part's code and lexicon stay in the processor's caches: a tenth faster than document by document).

    Results travel back pickled, as the cache stores them, so that they are pickled once, here.
    """
    tokens = [lexicon.tokenize(doc.text) for doc, _ in jobs]
    results: list[list[bytes]] = [[] for _ in jobs]
    for p, part in enumerate(parts):
        for (doc, wanted), doc_tokens, pickled in zip(jobs, tokens, results, strict=True):
            if p in wanted:
                pickled.append(pickle.dumps(part.function(doc, doc_tokens), protocol=pickle.HIGHEST_PROTOCOL))
    return results


@functools.lru_cache(maxsize=2)
def _unpickled(parts: bytes) -> list[Part]:
    """The parts a worker was sent, unpickled once per worker process: the parts travel pickled with every
    chunk (no module state crosses the fork), and unpickling the lexicons' matchers costs ~8 ms each time."""
    return pickle.loads(parts)


def _scan_pickled_chunk(parts: bytes, jobs: list[tuple[Document, list[int]]]) -> list[list[bytes]]:
    return _scan_chunk(_unpickled(parts), jobs)


def _run(jobs: list[tuple[Document, list[int]]], parts: list[Part], progress):
    """Pickled results for each chunk of jobs, in order; on every core when there are many documents."""
    total = len(jobs)
    if not worth_parallel(total):
        for done, job in enumerate(jobs, start=1):
            yield [job], _scan_chunk(parts, [job])
            if progress:
                progress(done, total)
        return
    size = min(_CHUNK, max(1, total // (8 * (os.cpu_count() or 1))))
    chunks = [jobs[i : i + size] for i in range(0, total, size)]
    done = 0
    with process_pool() as executor:
        for chunk, results in zip(
            chunks,
            executor.map(functools.partial(_scan_pickled_chunk, pickle.dumps(parts)), chunks),
            strict=True,
        ):
            yield chunk, results
            done += len(chunk)
            if progress:
                progress(done, total)


def scan(corpus: Corpus, parts: list[Part], progress=None) -> dict[str, list]:
    """Each part's result for every document of the corpus, in corpus order: ``{part name: [result, ...]}``.

    Results come from this process's memory, then from the cache, and only then are computed — all
    missing parts of a document in one pass over its words — and stored in the cache as they arrive.
    The cache is the corpus's own (none when the corpus was loaded without one).
    """
    store = store_in(corpus.cache_dir) if corpus.cache_dir is not None else None
    found: dict[str, list] = {part.name: [None] * len(corpus.documents) for part in parts}
    memory = corpus.scanned
    missing = {
        doc.content_key
        for doc in corpus.documents
        for part in parts
        if (part.key, doc.content_key) not in memory
    }
    stored = store.scans(sorted(missing)) if store is not None and missing else {}
    jobs, places = [], []
    for index, doc in enumerate(corpus.documents):
        doc_key = doc.content_key
        wanted = []
        for p, part in enumerate(parts):
            memory_key = (part.key, doc_key)
            if memory_key in memory:
                found[part.name][index] = memory[memory_key]
                continue
            key, data = stored.get(doc_key, {}).get(part.name, (None, None))
            if key == part.key and data is not None:
                found[part.name][index] = memory[memory_key] = pickle.loads(data)
            else:
                wanted.append(p)
        if wanted:
            jobs.append((doc, wanted))
            places.append(index)
    del stored  # the stored results are unpickled: free their bytes before the scan
    for p, part in enumerate(parts):
        logger.debug(
            "scan: part %s: %d of %d documents to scan, the rest from memory or cache",
            part.name,
            sum(1 for _, wanted in jobs if p in wanted),
            len(corpus.documents),
        )
    place = iter(places)  # the corpus position of each job, in job order
    for chunk, results in _run(jobs, parts, progress):
        rows = []
        for (doc, wanted), pickled in zip(chunk, results, strict=True):
            index = next(place)
            for p, data in zip(wanted, pickled, strict=True):
                found[parts[p].name][index] = memory[(parts[p].key, doc.content_key)] = pickle.loads(data)
                rows.append((doc.content_key, parts[p].name, parts[p].key, data))
        if store is not None:
            store.put_scans(rows)
    return found


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
