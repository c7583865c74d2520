"""The per-document pass: each analysis reads a document's words once, in worker processes, cached on disk.

Everything an analysis needs from one document alone (theme hits, actor mentions, candidate names,
term counts, shingles) is a *part*. A part's result depends only on the document's cleaned text and
sentences and on the part's key (its lexicon, its options, its code), so it is cached per document:
a rebuild after one document changed rescans that document only. The corpus-level measures are then
aggregates of these results.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from policybrief import lexicon
from policybrief.corpus import Corpus, Document
from policybrief.store import store_in
from policybrief.workers import process_pool, worth_parallel

_CHUNK = 128  # documents per task sent to a worker, at most: at least eight tasks per worker keep the ends even


@dataclass(frozen=True)
class Part:
    """One analysis's work on one document: ``function(doc, tokens)``, identified by ``key``."""

    name: str
    key: str  # digest of everything besides the document that the result depends on
    function: Callable[[Document, lexicon.Tokens], Any]


def fingerprint(*items: Any) -> str:
    """A digest of code files, configuration files and options (paths are read, other values repr'd)."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(Path(item).read_bytes() if isinstance(item, Path) else repr(item).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:24]


# Results already computed in this process, by (part key, document key).
_memory: dict[tuple[str, str], Any] = {}
_worker: dict[str, Any] = {}


def _init_worker(parts: list[Part]) -> None:
    _worker.update(parts=parts)


def _scan_chunk(jobs: list[tuple[Document, list[int]]]) -> list[list[bytes]]:
    """In a worker: tokenise each document once and run the parts it still needs, part by part over the
    chunk (one part's code and lexicon stay in the processor's caches: a tenth faster than document by document).

    Results travel back pickled, as the cache stores them, so that they are pickled once, here.
    """
    parts = _worker["parts"]
    tokens = [lexicon.tokenize(doc.text) for doc, _ in jobs]
    results: list[list[bytes]] = [[] for _ in jobs]
    for p, part in enumerate(parts):
        for (doc, wanted), doc_tokens, pickled in zip(jobs, tokens, results):
            if p in wanted:
                pickled.append(pickle.dumps(part.function(doc, doc_tokens), protocol=pickle.HIGHEST_PROTOCOL))
    return results


def _run(jobs: list[tuple[Document, list[int]]], parts: list[Part], progress):
    """Pickled results for each chunk of jobs, in order; on every core when there are many documents."""
    total = len(jobs)
    if not worth_parallel(total):
        _init_worker(parts)
        for done, job in enumerate(jobs, start=1):
            yield [job], _scan_chunk([job])
            if progress:
                progress(done, total)
        return
    size = min(_CHUNK, max(1, total // (8 * (os.cpu_count() or 1))))
    chunks = [jobs[i:i + size] for i in range(0, total, size)]
    done = 0
    with process_pool(initializer=_init_worker, initargs=(parts,)) as executor:
        for chunk, results in zip(chunks, executor.map(_scan_chunk, chunks)):
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
    missing = {doc.content_key for doc in corpus.documents for part in parts if (part.key, doc.content_key) not in _memory}
    stored = store.scans(sorted(missing)) if store is not None and missing else {}
    jobs, places = [], []
    for index, doc in enumerate(corpus.documents):
        doc_key = doc.content_key
        wanted = []
        for p, part in enumerate(parts):
            memory_key = (part.key, doc_key)
            if memory_key in _memory:
                found[part.name][index] = _memory[memory_key]
                continue
            key, data = stored.get(doc_key, {}).get(part.name, (None, None))
            if key == part.key:
                found[part.name][index] = _memory[memory_key] = pickle.loads(data)
            else:
                wanted.append(p)
        if wanted:
            jobs.append((doc, wanted))
            places.append(index)
    del stored  # the stored results are unpickled: free their bytes before the scan
    place = iter(places)  # the corpus position of each job, in job order
    for chunk, results in _run(jobs, parts, progress):
        rows = []
        for (doc, wanted), pickled, index in zip(chunk, results, place):
            for p, data in zip(wanted, pickled):
                found[parts[p].name][index] = _memory[(parts[p].key, doc.content_key)] = pickle.loads(data)
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
    for column in labels if len(frame) else []:  # ordered as text is, so sorting and comparing work as on text
        frame[column] = pd.Categorical(frame[column], ordered=True)
    return frame


def forget(parts: list[Part] | None = None) -> None:
    """Drop the per-document results of ``parts`` (default: all) kept in memory (the disk cache keeps them),
    once the analyses that aggregate them are built: the memory they free serves the next stages."""
    if parts is None:
        _memory.clear()
        return
    keys = {part.key for part in parts}
    for memory_key in [k for k in _memory if k[0] in keys]:
        del _memory[memory_key]


def corpus_key(corpus: Corpus) -> str:
    """A digest of everything the analyses read from the corpus: each document's metadata and content key."""
    cached = getattr(corpus, "_key", None)
    if cached is None:
        digest = hashlib.sha256()
        for doc in corpus.documents:
            digest.update(repr((doc.content_key, doc.file, doc.title, doc.source, doc.author, doc.date,
                                doc.date_precision, doc.url, doc.words, sorted(doc.extra.items()))).encode())
        cached = corpus._key = digest.hexdigest()[:32]
    return cached


def remembered(corpus: Corpus, name: str, key: str, compute: Callable[[], Any]) -> Any:
    """A corpus-level result computed once and kept on disk, so that the notebooks of a build read what the
    tables stage computed instead of recomputing it; ``key`` must cover every input besides the corpus."""
    if corpus.cache_dir is None:
        return compute()
    file = corpus.cache_dir / "analyses" / f"{name}-{fingerprint(corpus_key(corpus), key)}.pickle"
    if file.is_file():
        try:
            return pickle.loads(file.read_bytes())
        except Exception:  # a cache written by another version of a library: recompute
            pass
    result = compute()
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(f".{os.getpid()}.tmp")  # whole or not at all: a build stopped mid-write leaves no torn file
    tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, file)
    return result
