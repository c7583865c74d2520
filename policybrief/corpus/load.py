"""Loading a corpus folder: every document read, cleaned, dated and split into sentences.

Documents are cleaned by partition (``partitions.py``), each partition a task on the engine, and each
cleaned partition is cached as a Parquet file keyed by its files' bytes, their metadata rows, the cleaning
code and the cleaning rules, so a rebuild only redoes the partitions whose inputs changed.
"""

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path

import pyarrow as pa

import policybrief.corpus.cleaning as cleaning
import policybrief.corpus.formats as formats
import policybrief.corpus.metadata as metadata
import policybrief.corpus.model as model
import policybrief.corpus.pages as pages
import policybrief.corpus.reading as reading
import policybrief.corpus.rules as rules_code
import policybrief.corpus.sentences as sentences
import policybrief.corpus.stage_files as stage_files
import policybrief.text.dates as dates
import policybrief.text.words as text
from policybrief import paths
from policybrief.corpus.metadata import STANDARD_COLUMNS
from policybrief.corpus.model import DOCUMENT_FIELDS, Corpus, Document
from policybrief.corpus.partitions import partition_bounds
from policybrief.corpus.rules import CleaningRules
from policybrief.corpus.stage_files import (
    DOCUMENTS_VERSION,
    WITHOUT_TEXT,
    document_rows,
    documents_file,
    documents_table,
    read_documents,
    read_stage_file,
    write_stage_file,
)
from policybrief.engine import Engine
from policybrief.errors import BriefingError, Note
from policybrief.log import logger
from policybrief.text.dates import ParsedDate, parse_date

# The code a cleaned document depends on: editing any of these files re-cleans every document.
_CODE_FILES = (
    tuple(
        Path(module.__file__ or "")
        for module in (cleaning, rules_code, dates, metadata, pages, sentences, text, model, stage_files)
    )
    + tuple(sorted(Path(formats.__file__ or "").parent.glob("*.py")))  # every reader
    + (Path(__file__),)
)


def _fingerprint(rules_path: Path) -> str:
    digest = hashlib.sha256()
    for path in _CODE_FILES:
        digest.update(path.read_bytes())
    digest.update(rules_path.read_bytes())
    return digest.hexdigest()


def _doc_id(relative: str, taken: set[str]) -> str:
    stem = relative.rsplit(".", 1)[0]
    return relative if stem in taken else stem


# where a format's own date comes from, for the documents table's date_basis
_OWN_METADATA = {
    "pdf": "the PDF's document properties",
    "docx": "the Word file's document properties",
    "html": "the page's metadata (meta tags, JSON-LD)",
    "md": "the file's front matter",
}


def _choose_date(
    row: dict, header: cleaning.HeaderInfo, found: dict, fmt: str
) -> tuple[ParsedDate | None, str]:
    if row.get("date"):
        parsed = parse_date(row["date"])
        return parsed, row["date_basis"]  # the metadata file's name, unless the row says otherwise
    if header.date:
        return header.date, f"printed in the text: '{header.date_line}'"
    if found.get("date") and (parsed := parse_date(found["date"])):
        return parsed, _OWN_METADATA.get(fmt, "the file's own metadata")
    return None, ""


def build_document(
    relative: str, doc_id: str, data: bytes, row: dict, rules: CleaningRules
) -> Document | str:
    """Read, clean and segment one document; a string return is the reason it was skipped."""
    source, problem = formats.read_source(Path(relative), data)
    if source is None:
        return problem or "could not be read"
    known_authors = [a for a in (row.get("author"), source.found.get("author")) if a]
    known_titles = [t for t in (row.get("title"), source.found.get("title")) if t]
    cleaned = cleaning.clean(source.text, rules, known_authors, known_titles)
    if not cleaned.text.strip():
        return "no article text left after cleaning"
    header, found = cleaned.header, source.found
    date, basis = _choose_date(row, header, found, source.fmt)
    notes = list(source.notes)
    if date is None:
        notes.append("no date found: kept, but left out of time charts")
    elif "inferred" in basis.lower():
        notes.append(f"date {date.iso} is inferred, not printed: {basis}")
    elif date.sort_key > dt.date.today():
        notes.append(f"date {date.iso} is in the future")
    extra = {k: v for k, v in row.items() if k not in STANDARD_COLUMNS}
    spans = sentences.split_sentences(cleaned.text, rules)
    page_starts = pages.cleaned_page_starts(source.text, source.page_starts, cleaned.text)
    text_digest, content_key = model.text_keys(
        doc_id, cleaned.text, spans, date.iso if date else "", page_starts
    )
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
        words_raw=text.count_words(source.text)
        + sum(text.count_words(removed) for _, removed in source.removed),
        words=text.count_words(cleaned.text),
        sentence_spans=spans,
        sentences=len(spans),
        text_digest=text_digest,
        content_key=content_key,
        removals=[
            {
                "step": "PDF page header or footer",
                "reason": reason,
                "text": removed,
                "words": text.count_words(removed),
            }
            for reason, removed in source.removed
        ]
        + [{"step": r.step, "reason": r.reason, "text": r.text, "words": r.words} for r in cleaned.removals],
        replaced_characters=cleaned.replaced_characters,
        notes=notes,
        extra=extra,
        page_starts=list(page_starts),
    )


def clean_partition(
    job: tuple[list[tuple[str, str, str, dict]], str | None], rules: CleaningRules
) -> pa.Table:
    """One partition's files read, cleaned and segmented (or why each was skipped), as a documents table. When
    the build keeps a cache, the table is written to ``target`` and returned without the text (the build's
    process holds documents without it). Runs on a worker: it reads the files itself, so only paths travel
    to it."""
    members, target = job
    rows = []
    for path, relative, doc_id, row in members:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            rows.append({"file": relative, "skipped": f"cannot be read ({error.strerror or error})"})
            continue
        document = build_document(relative, doc_id, data, row, rules)
        if isinstance(document, str):
            rows.append({"file": relative, "skipped": document})
        else:
            rows.append({name: getattr(document, name) for name in DOCUMENT_FIELDS})
    table = documents_table(rows)
    if target is None:
        return table
    write_stage_file(table, Path(target), DOCUMENTS_VERSION)
    return table.select(WITHOUT_TEXT)


def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as error:  # the worker reports it; the key changes once the file can be read
        return f"unreadable: {error}"


def _partition_key(fingerprint: str, members: list[tuple]) -> str:
    """What a partition's cleaned documents depend on: the code and rules, and each file's path, id, metadata
    row and bytes."""
    digest = hashlib.sha256(fingerprint.encode())
    for path, relative, doc_id, row in members:
        digest.update(json.dumps([relative, doc_id, row, _file_digest(path)], sort_keys=True).encode())
    return digest.hexdigest()[:32]


def _clean_all(
    jobs: list[tuple], rules: CleaningRules, fingerprint: str, cache_dir: Path | None, engine: Engine
) -> tuple[list[dict], list[tuple[str, list[str]]], int]:
    """Each job's row of the documents tables, in job order; the partitions (key, relative paths); and how
    many documents were cleaned now rather than read from the cache. Only partitions whose key is not in the
    cache are cleaned, on the engine."""
    partitions = []
    for bounds in partition_bounds([job[1] for job in jobs]):
        members = [(str(jobs[i][0]), *jobs[i][1:]) for i in bounds]
        partitions.append((_partition_key(fingerprint, members), members))
    tables: dict[str, pa.Table] = {}
    missing = []
    for key, members in partitions:
        cached = (
            read_stage_file(documents_file(cache_dir, key), DOCUMENTS_VERSION, WITHOUT_TEXT)
            if cache_dir is not None
            else None
        )
        if cached is not None and cached.num_rows == len(members):
            tables[key] = cached
        else:
            missing.append((key, members))
    built = sum(len(members) for _, members in missing)
    if missing:
        logger.info("  cleaning %d of %d documents (%d partitions)", built, len(jobs), len(missing))
    jobs_out = [
        (members, str(documents_file(cache_dir, key)) if cache_dir is not None else None)
        for key, members in missing
    ]
    cleaned = engine.map(
        clean_partition,
        jobs_out,
        documents=built,
        name="clean-documents",
        sizes=[len(members) for _, members in missing],
        rules=rules,
    )
    for (key, _), table in zip(missing, cleaned, strict=True):
        tables[key] = table
    rows = [row for key, _ in partitions for row in document_rows(tables.pop(key))]
    return rows, [(key, [member[1] for member in members]) for key, members in partitions], built


def _documents(rows: list[dict], notes: list[Note]) -> list[Document]:
    """The documents that could be read, each text once; a note for every file left out."""
    documents: list[Document] = []
    first_with_text: dict[str, str] = {}
    for row in rows:
        if "skipped" in row:
            notes.append(Note(row["file"], f"skipped: {row['skipped']}"))
            continue
        document = row["document"]
        same = document.text_digest
        if same in first_with_text:  # the same article under two names is counted once
            notes.append(Note(document.file, f"skipped: same text as {first_with_text[same]} (counted once)"))
            continue
        first_with_text[same] = document.file
        documents.append(document)
    return documents


def _partition_documents(cache_dir: Path, partition_key: str) -> list[Document]:
    return read_documents(documents_file(cache_dir, partition_key))


def _parse_bound(value: str | None, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    parsed = parse_date(str(value))
    if parsed is None:
        raise BriefingError(f"{name}={value!r} is not a date (use YYYY-MM-DD)")
    return parsed.sort_key


def _metadata_notes(folder: Path, rows: dict[str, dict], documents: list[Document]) -> list[Note]:
    """Where titles, dates and authors came from the texts, and each document's own notes."""
    notes = []
    found = metadata.metadata_path(folder)
    if found is None:
        notes.append(
            Note(
                metadata.METADATA_FILE,
                "no metadata.csv or metadata.xlsx: titles, dates and authors taken from the texts",
                "info",
            )
        )
    for doc in documents:
        if found is not None and doc.file not in rows:
            notes.append(
                Note(doc.file, f"no row in {found.name}: title, date and author taken from the text", "info")
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
    engine: Engine | None = None,
) -> Corpus:
    """Load, clean and date every document of ``folder``; keep those inside ``[start, end]``.

    The partitions not in the cache are cleaned on ``engine`` (default: in this process).
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
    rows, notes = metadata.read_metadata(folder)
    source = metadata.metadata_path(folder)
    for row in rows.values():  # a date from the metadata file says which file it came from
        if row.get("date") and not row.get("date_basis") and source is not None:
            row["date_basis"] = source.name
    files = reading.discover(folder)
    others = reading.other_files(folder)
    kinds = ", ".join(sorted({p.suffix.lower() or "no extension" for p in others}))
    if not files:
        found = (
            f" (found {len(others)} other file{'s' if len(others) != 1 else ''}: {kinds})" if others else ""
        )
        raise BriefingError(
            f"{folder}: no documents ({', '.join(formats.READERS)}) in the corpus folder{found}"
        )
    notes.extend(
        Note(
            path.relative_to(folder).as_posix(),
            f"skipped: {reading.describe_file(path)}",
        )
        for path in others
    )
    taken: set[str] = set()
    jobs = []  # (path, relative, doc_id, metadata row)
    for path in files:
        relative = path.relative_to(folder).as_posix()
        doc_id = _doc_id(relative, taken)
        taken.add(doc_id)
        jobs.append((path, relative, doc_id, rows.get(relative, {})))
    results, partitions, built = _clean_all(
        jobs, rules, _fingerprint(rules_path), cache, engine or Engine.in_process()
    )
    documents = _documents(results, notes)
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
    return Corpus(
        folder,
        inside,
        outside,
        notes,
        start_date,
        end_date,
        len(jobs) - built,
        built,
        cache,
        partitions,
        read_partition=functools.partial(_partition_documents, cache) if cache is not None else None,
    )
