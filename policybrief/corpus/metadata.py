"""metadata.csv: the curated title, source, author, date and address of each document, and any extra columns
(group columns). Everything in it is untrusted: a path may not leave the corpus folder, and a problem with
one row is a note, not a stopped build."""

import csv
import io
import re
from pathlib import Path

from policybrief.corpus.formats import decode
from policybrief.errors import BriefingError, Note
from policybrief.text.dates import parse_date

METADATA_FILE = "metadata.csv"


STANDARD_COLUMNS = ["title", "source", "author", "date", "date_precision", "date_basis", "url"]
# What the documents table computes itself: a metadata column of one of these names is read as
# "metadata_<name>" (in the table beside the computed one, two columns of one name stopped the build).
COMPUTED_COLUMNS = ["doc_id", "words_raw", "words", "sentences", "format", "sha256"]


def inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if that path stays inside ``folder``, else ``None``."""
    if not relative or Path(relative).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", relative):
        return None
    candidate = (folder / relative).resolve()
    root = folder.resolve()
    return candidate if candidate == root or root in candidate.parents else None


def read_metadata(folder: Path) -> tuple[dict[str, dict], list[Note]]:
    """Rows of ``metadata.csv`` keyed by the document's path relative to the corpus folder.

    A comma, semicolon or tab separated file with a header row naming at least ``file``.
    Problems with single rows are notes; a file without a usable header is an error.
    """
    path = folder / METADATA_FILE
    if not path.is_file():
        return {}, []
    data = path.read_bytes()
    text, guessed = decode(data)
    if text is None:
        raise BriefingError(f"{path}: not a text file")
    notes = [Note(METADATA_FILE, f"not UTF-8: read as {guessed} (guessed)", "info")] if guessed else []
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    if "file" not in header:
        raise BriefingError(
            f"{path}: line 1 must be a header naming the columns, with a 'file' column "
            f"(found: {first_line.strip()[:60]!r})"
        )
    for name in [h for h in header if h in COMPUTED_COLUMNS]:
        notes.append(
            Note(
                METADATA_FILE,
                f"column {name!r} is one the documents table computes: read as 'metadata_{name}'",
                "info",
            )
        )
    header = [f"metadata_{h}" if h in COMPUTED_COLUMNS else h for h in header]
    rows: dict[str, dict] = {}
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header) if h}
        name = row.pop("file")
        where = f"line {line_number}"
        target = inside(folder, name)
        if target is None:
            notes.append(
                Note(METADATA_FILE, f"{where}: path {name!r} points outside the corpus folder: row ignored")
            )
            continue
        key = target.relative_to(folder.resolve()).as_posix()
        if key in rows:
            notes.append(
                Note(METADATA_FILE, f"{where}: a second row for {key}: ignored (the first row is used)")
            )
            continue
        if not target.is_file():
            notes.append(
                Note(METADATA_FILE, f"{where}: row for {name!r}, which is not in the corpus folder: ignored")
            )
            continue
        if row.get("date") and parse_date(row["date"]) is None:
            notes.append(
                Note(key, f"metadata.csv {where}: date {row['date']!r} is not a valid date: ignored")
            )
            row["date"] = ""
        rows[key] = row
    return rows, notes
