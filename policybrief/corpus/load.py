"""Loading a corpus folder: every document read, cleaned, dated and split into sentences.

Cleaning a document is cached on disk, keyed by the file's bytes, its metadata row, the cleaning
code and the cleaning rules, so a rebuild only redoes the documents whose inputs changed.
"""

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import policybrief.corpus.cleaning as cleaning
import policybrief.corpus.model as model
import policybrief.corpus.reading as loading
import policybrief.corpus.rules as rules_code
import policybrief.corpus.sentences as sentences
import policybrief.text.dates as dates
import policybrief.text.words as text
from policybrief import paths
from policybrief.corpus.model import DOCUMENT_FIELDS, Corpus, Document
from policybrief.corpus.reading import STANDARD_COLUMNS
from policybrief.corpus.rules import CleaningRules
from policybrief.corpus.store import store_in
from policybrief.errors import BriefingError, Note
from policybrief.text.dates import ParsedDate, parse_date
from policybrief.workers import process_pool, worth_parallel

# The code a cleaned document depends on: editing any of these files re-cleans every document.
_CODE_FILES = tuple(
    Path(module.__file__ or "") for module in (cleaning, rules_code, dates, loading, sentences, text, model)
) + (Path(__file__),)


def _fingerprint(rules_path: Path) -> str:
    digest = hashlib.sha256()
    for path in _CODE_FILES:
        digest.update(path.read_bytes())
    digest.update(rules_path.read_bytes())
    return digest.hexdigest()


def _doc_id(relative: str, taken: set[str]) -> str:
    stem = relative.rsplit(".", 1)[0]
    return relative if stem in taken else stem


def _choose_date(row: dict, header: cleaning.HeaderInfo, found: dict) -> tuple[ParsedDate | None, str]:
    if row.get("date"):
        parsed = parse_date(row["date"])
        return parsed, row.get("date_basis") or "metadata.csv"
    if header.date:
        return header.date, f"printed in the text: '{header.date_line}'"
    if found.get("date") and (parsed := parse_date(found["date"])):
        return parsed, "the file's own metadata (HTML or front matter)"
    return None, ""


def build_document(
    relative: str, doc_id: str, data: bytes, row: dict, rules: CleaningRules
) -> Document | str:
    """Read, clean and segment one document; a string return is the reason it was skipped."""
    source, problem = loading.read_source(Path(relative), data)
    if source is None:
        return problem or "could not be read"
    known_authors = [a for a in (row.get("author"), source.found.get("author")) if a]
    cleaned = cleaning.clean(source.text, rules, known_authors)
    if not cleaned.text.strip():
        return "no article text left after cleaning"
    header, found = cleaned.header, source.found
    date, basis = _choose_date(row, header, found)
    notes = list(source.notes)
    if date is None:
        notes.append("no date found: kept, but left out of time charts")
    elif "inferred" in basis.lower():
        notes.append(f"date {date.iso} is inferred, not printed: {basis}")
    elif date.sort_key > dt.date.today():
        notes.append(f"date {date.iso} is in the future")
    extra = {k: v for k, v in row.items() if k not in STANDARD_COLUMNS}
    return Document(
        doc_id=doc_id,
        file=relative,
        format=source.fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        title=row.get("title") or header.title or found.get("title") or Path(relative).stem,
        source=row.get("source") or found.get("source") or "",
        author=row.get("author") or header.author or found.get("author") or "",
        date=date.iso if date else "",
        date_precision=(row.get("date_precision") if row.get("date") else "")
        or (date.precision if date else ""),
        date_basis=basis,
        url=row.get("url") or found.get("url") or "",
        text=cleaned.text,
        words_raw=text.count_words(source.text),
        words=text.count_words(cleaned.text),
        sentence_spans=sentences.split_sentences(cleaned.text, rules),
        removals=[
            {"step": r.step, "reason": r.reason, "text": r.text, "words": r.words} for r in cleaned.removals
        ],
        replaced_characters=cleaned.replaced_characters,
        notes=notes,
        extra=extra,
    )


_STORE_BATCH = 256  # cleaned documents stored per transaction


def _load_one(
    rules: CleaningRules, fingerprint: str, cache_dir: Path | None, job: tuple
) -> tuple[str, dict, bytes | None]:
    """Read one file and return its cache key, its cleaned document (from the cache or cleaned now) and,
    when cleaned now, the document's form to store. Runs in a worker, so that the first document is
    cleaned at once, not after the main process has read and hashed every file."""
    path, relative, doc_id, row = job
    data = path.read_bytes()
    key = hashlib.sha256(json.dumps([fingerprint, doc_id, row], sort_keys=True).encode() + data).hexdigest()
    store = store_in(cache_dir) if cache_dir is not None else None
    stored = store.document(key) if store is not None else None
    if stored is not None:
        return key, json.loads(stored), None
    document = build_document(relative, doc_id, data, row, rules)
    result = (
        {name: getattr(document, name) for name in DOCUMENT_FIELDS}
        if isinstance(document, Document)
        else {"skipped": document}
    )
    return key, result, json.dumps(result).encode("utf-8")


def _load_all(
    jobs: list[tuple], rules: CleaningRules, fingerprint: str, cache_dir: Path | None
) -> Iterator[tuple]:
    """Each job's ``(cache key, result, form to store or None)``, in order; on every core when there are many
    documents (the rules travel with each task of 16 documents: unpickling them costs far less than a
    document)."""
    load_one = functools.partial(_load_one, rules, fingerprint, cache_dir)
    if not worth_parallel(len(jobs)):
        yield from map(load_one, jobs)
        return
    with process_pool() as executor:
        yield from executor.map(load_one, jobs, chunksize=16)


def _parse_bound(value: str | None, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    parsed = parse_date(str(value))
    if parsed is None:
        raise BriefingError(f"{name}={value!r} is not a date (use YYYY-MM-DD)")
    return parsed.sort_key


def _clean_all(
    jobs: list[tuple], rules: CleaningRules, fingerprint: str, cache_dir: Path | None, progress
) -> tuple[dict[str, dict], int]:
    """Each job's cleaned document (or why it was skipped), by relative path, and how many were cleaned now
    rather than read from the cache; what is cleaned is stored as cleaning goes, so that a build stopped
    halfway keeps what it cleaned."""
    store = store_in(cache_dir) if cache_dir is not None else None
    results: dict[str, dict] = {}
    to_store: list[tuple[str, bytes]] = []
    built = 0
    cleaned = _load_all(jobs, rules, fingerprint, cache_dir)
    for done, (job, (key, result, stored_form)) in enumerate(zip(jobs, cleaned, strict=True), start=1):
        results[job[1]] = result
        if stored_form is not None:
            built += 1
            to_store.append((key, stored_form))
        if store is not None and (len(to_store) >= _STORE_BATCH or done == len(jobs)):
            store.put_documents(to_store)
            to_store = []
        if progress:
            progress(done, len(jobs))
    return results, built


def _documents(relatives: list[str], results: dict[str, dict], notes: list[Note]) -> list[Document]:
    """The documents that could be read, each text once; a note for every file left out."""
    documents: list[Document] = []
    first_with_text: dict[str, str] = {}
    for relative in relatives:
        result = results[relative]
        if "skipped" in result:
            notes.append(Note(relative, f"skipped: {result['skipped']}"))
            continue
        same = hashlib.sha256(result["text"].encode()).hexdigest()
        if same in first_with_text:  # the same article under two names is counted once
            notes.append(Note(relative, f"skipped: same text as {first_with_text[same]} (counted once)"))
            continue
        first_with_text[same] = relative
        result["sentence_spans"] = [tuple(span) for span in result["sentence_spans"]]
        documents.append(Document(**result))
    return documents


def _metadata_notes(folder: Path, rows: dict[str, dict], documents: list[Document]) -> list[Note]:
    """Where titles, dates and authors came from the texts, and each document's own notes."""
    notes = []
    has_metadata = (folder / loading.METADATA_FILE).is_file()
    if not has_metadata:
        notes.append(
            Note(
                loading.METADATA_FILE,
                "no metadata.csv: titles, dates and authors taken from the texts",
                "info",
            )
        )
    for doc in documents:
        if has_metadata and doc.file not in rows:
            notes.append(
                Note(doc.file, "no row in metadata.csv: title, date and author taken from the text", "info")
            )
        notes.extend(Note(doc.file, note) for note in doc.notes)
    return notes


def _in_window(
    documents: list[Document], start: dt.date | None, end: dt.date | None, notes: list[Note]
) -> tuple[list[Document], list[Document]]:
    """The documents inside ``[start, end]`` (undated ones included, with a note) and those outside."""
    inside, outside = [], []
    for doc in documents:
        when = doc.sort_date
        if when is not None and ((start and when < start) or (end and when > end)):
            outside.append(doc)
        else:
            inside.append(doc)
            if when is None and (start or end):
                notes.append(Note(doc.file, "undated: kept although a date window is set", "info"))
    return inside, outside


def load_corpus(
    folder: str | Path,
    start: str | None = None,
    end: str | None = None,
    cache_dir: str | Path | None = "default",
    rules_path: Path = paths.CLEANING_FILE,
    progress=None,
) -> Corpus:
    """Load, clean and date every document of ``folder``; keep those inside ``[start, end]``.

    ``progress`` is called as ``progress(done, total)`` while documents are processed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BriefingError(f"{folder}: corpus folder not found")
    start_date, end_date = _parse_bound(start, "START"), _parse_bound(end, "END")
    if start_date and end_date and end_date < start_date:
        raise BriefingError(f"END={end} is before START={start}")
    cache = (
        paths.cache_dir() if cache_dir == "default" else Path(cache_dir) if cache_dir is not None else None
    )
    rules = CleaningRules.load(rules_path)
    rows, notes = loading.read_metadata(folder)
    files = loading.discover(folder)
    if not files:
        raise BriefingError(f"{folder}: no documents (.txt, .md, .html) in the corpus folder")
    taken: set[str] = set()
    jobs = []  # (path, relative, doc_id, metadata row)
    for path in files:
        relative = path.relative_to(folder).as_posix()
        doc_id = _doc_id(relative, taken)
        taken.add(doc_id)
        jobs.append((path, relative, doc_id, rows.get(relative, {})))
    results, built = _clean_all(jobs, rules, _fingerprint(rules_path), cache, progress)
    documents = _documents([job[1] for job in jobs], results, notes)
    notes.extend(_metadata_notes(folder, rows, documents))
    if not documents:
        reasons = sorted({n.problem for n in notes if n.problem.startswith("skipped")})
        raise BriefingError(
            f"{folder}: none of the {len(files)} document files could be read ({'; '.join(reasons)})"
        )
    inside, outside = _in_window(documents, start_date, end_date, notes)
    if not inside:
        raise BriefingError(
            f"no documents dated between START={start or '…'} and END={end or '…'} "
            f"({len(outside)} outside the window)"
        )
    return Corpus(folder, inside, outside, notes, start_date, end_date, len(jobs) - built, built, cache)
