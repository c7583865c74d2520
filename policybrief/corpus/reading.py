"""Reading a corpus folder: which files are documents, how they decode, what metadata.csv says.

Everything read here is untrusted: paths in metadata.csv may not leave the corpus folder, YAML
front matter is loaded safely, and a file that cannot be read is skipped with a note.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import ftfy
import trafilatura
import yaml
from markdown_it import MarkdownIt

from policybrief.errors import BriefingError, Note
from policybrief.text.dates import parse_date

DOCUMENT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


METADATA_FILE = "metadata.csv"


STANDARD_COLUMNS = ["title", "source", "author", "date", "date_precision", "date_basis", "url"]
# What the documents table computes itself: a metadata column of one of these names is read as
# "metadata_<name>" (in the table beside the computed one, two columns of one name stopped the build).
COMPUTED_COLUMNS = ["doc_id", "words_raw", "words", "sentences", "format", "sha256"]


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)


@dataclass
class SourceText:
    """A document's text as read, before cleaning, and what its format said about it."""

    text: str
    fmt: str
    found: dict = field(default_factory=dict)  # title/author/date/source/url given by the file itself
    notes: list[str] = field(default_factory=list)


def discover(folder: Path) -> list[Path]:
    """Document files under ``folder`` (recursively, hidden files skipped), sorted by path."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in DOCUMENT_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def other_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that are neither documents nor the metadata file (hidden ones aside): a PDF or
    a Word file dropped into the corpus must be listed as skipped, not silently left out."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() not in DOCUMENT_SUFFIXES
        and path.relative_to(folder).as_posix().lower() != METADATA_FILE
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Text of ``data`` and, when it was not UTF-8, the encoding that was guessed."""
    if b"\x00" in data[:8192]:
        return None, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:  # the usual non-UTF-8 encoding of English text; covers Latin-1's printable range
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None, None
    return str(best), best.encoding


def _markdown_text(source: str) -> str:
    """Plain text of Markdown: one paragraph per block, links reduced to their words."""
    blocks = []
    for token in MarkdownIt("commonmark").parse(source):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
            blocks.append("".join(parts))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    return "\n\n".join(b for b in blocks if b.strip())


def _front_matter(source: str) -> tuple[str, dict, list[str]]:
    match = _FRONT_MATTER.match(source)
    if not match:
        return source, {}, []
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return source[match.end() :], {}, ["front matter is not valid YAML: ignored"]
    if not isinstance(data, dict):
        return source[match.end() :], {}, ["front matter is not a mapping: ignored"]
    found = {k: str(data[k]) for k in ("title", "author", "date", "source", "url") if data.get(k) is not None}
    return source[match.end() :], found, []


# Mojibake of UTF-8 read as Windows-1252 or Latin-1 ("â€™" for "’", "Ã©" for "é", "ê°€" for "가"): a UTF-8
# lead byte's character followed by a continuation byte's. Only texts with such a pair go through ftfy, which
# decides (a clean text is left as it is); screening first costs 0.1 ms a document where ftfy costs 2 ms.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_encoding(text: str) -> tuple[str, bool]:
    """``text`` with mis-decoded characters repaired (ftfy), and whether anything was."""
    if not _MOJIBAKE_HINT.search(text):
        return text, False
    repaired = ftfy.fix_encoding(text)
    return repaired, repaired != text


def read_source(path: Path, data: bytes) -> tuple[SourceText | None, str | None]:
    """The document's text, or ``None`` and the reason it cannot be used."""
    if not data.strip():
        return None, "empty file"
    text, guessed = decode(data)
    if text is None:
        return None, "not a text file (binary content)"
    notes = [f"not UTF-8: read as {guessed} (guessed)"] if guessed else []
    text, repaired = repair_encoding(text)
    if repaired:
        notes.append("mis-decoded characters (mojibake such as 'â€™' for '’') repaired")
    fmt = DOCUMENT_SUFFIXES[path.suffix.lower()]
    if fmt == "html":
        extracted = trafilatura.extract(
            text, output_format="txt", include_comments=False, include_tables=True, with_metadata=False
        )
        if not extracted or not extracted.strip():
            return None, "HTML page with no main text found"
        meta = trafilatura.extract_metadata(text)
        found = {}
        if meta is not None:
            for key, attr in (
                ("title", "title"),
                ("author", "author"),
                ("date", "date"),
                ("source", "sitename"),
                ("url", "url"),
            ):
                if getattr(meta, attr, None):
                    found[key] = str(getattr(meta, attr))
        return SourceText(extracted, fmt, found, notes), None
    if fmt == "md":
        body, found, front_notes = _front_matter(text.replace("\r\n", "\n"))
        return SourceText(_markdown_text(body), fmt, found, notes + front_notes), None
    if not text.strip():
        return None, "empty file"
    return SourceText(text, fmt, {}, notes), None


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
