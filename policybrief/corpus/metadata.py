"""metadata.csv or metadata.xlsx: the curated title, source, author, date and address of each document, and
any extra columns (group columns). Everything in it is untrusted: a path may not leave the corpus folder, and
a problem with one row is a note naming the file and line, not a stopped build."""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from policybrief.corpus.formats import decode
from policybrief.errors import BriefingError, Note
from policybrief.text.dates import date_problem, parse_date, written_order

METADATA_FILE = "metadata.csv"
# Analysts keep the metadata in Excel as often as in a CSV file: either is read (both at once is an error).
METADATA_FILES = (METADATA_FILE, "metadata.xlsx")


STANDARD_COLUMNS = ["title", "source", "author", "date", "date_precision", "date_basis", "url"]
# What the documents table computes itself: a metadata column of one of these names is read as
# "metadata_<name>" (in the table beside the computed one, two columns of one name stopped the build).
COMPUTED_COLUMNS = ["doc_id", "words_raw", "words", "sentences", "format", "sha256", "pages"]


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class _Table:
    """A metadata file's cells as text: its header, and each row with the number of the line (CSV) or row
    (Excel) where it starts, so that every note points at the place to fix."""

    name: str
    unit: str  # what a place in the file is called: "line" or "row"
    header: list[str]
    column_labels: list[str]  # "3" in a CSV file, "C" in a workbook
    rows: list[tuple[int, list[str]]]  # each as wide as the header


def inside(folder: Path, relative: str, root: Path | None = None) -> Path | None:
    """``folder/relative`` if that path stays inside ``folder``, else ``None``; ``root`` is ``folder``
    resolved, when the caller checks many paths (resolving it again for each of 10,000 rows took a second).
    """
    if not relative or Path(relative).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", relative):
        return None
    candidate = (folder / relative).resolve()
    return candidate if candidate.is_relative_to(root or folder.resolve()) else None


def metadata_path(folder: Path) -> Path | None:
    """The corpus's metadata file, if it has one; with both a CSV and a workbook, which one holds the truth is
    anyone's guess, so that is an error."""
    present = [folder / name for name in METADATA_FILES if (folder / name).is_file()]
    if len(present) > 1:
        raise BriefingError(f"{folder}: both {' and '.join(METADATA_FILES)}: keep only one of them")
    return present[0] if present else None


def _read_csv(path: Path) -> tuple[_Table, list[Note]]:
    """A comma, semicolon or tab separated file; a row with more or fewer fields than the header has lost its
    columns' places, so it is reported and left out rather than read shifted."""
    text, guessed = decode(path.read_bytes())
    if text is None:
        raise BriefingError(f"{path}: not a text file")
    notes = [Note(path.name, f"not UTF-8: read as {guessed} (guessed)", "info")] if guessed else []
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        header = next(reader, [])
        last_line = reader.line_num
        for values in reader:  # a quoted field may span lines: a row starts after the previous one ends
            start, last_line = last_line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                hint = (
                    f" (a {_DELIMITER_NAMES[delimiter]} inside an unquoted title?)"
                    if len(values) > len(header)
                    else ""
                )
                notes.append(
                    Note(
                        path.name,
                        f"line {start}: {len(values)} fields where the header has {len(header)}{hint}: "
                        "row ignored",
                    )
                )
                continue
            rows.append((start, values))
    except csv.Error as error:
        raise BriefingError(f"{path}: line {reader.line_num}: {error}") from error
    return _Table(path.name, "line", header, [str(i + 1) for i in range(len(header))], rows), notes


def _cell_text(value: object) -> str:
    """A cell as a CSV file would hold it; a cell holding an Excel date is an ISO date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> _Table:
    """The first sheet of a workbook, row 1 the header; the values Excel last computed, not formulas."""
    import openpyxl  # slow to import, and only needed for a workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise BriefingError(f"{path}: not an Excel workbook that can be read ({error})") from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs record a wrong used range: read every row there is
        cells = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    width = max((i + 1 for row in cells for i, text in enumerate(row) if text.strip()), default=0)
    cells = [row[:width] + [""] * (width - len(row)) for row in cells] or [[""] * width]
    return _Table(
        path.name,
        "row",
        cells[0],
        [get_column_letter(i + 1) for i in range(width)],
        [(number, row) for number, row in enumerate(cells[1:], start=2) if any(v.strip() for v in row)],
    )


def _column_names(table: _Table, path: Path) -> tuple[list[str], list[Note]]:
    """The name each column is read under ("" for one left out), and the notes on the header. Two columns of
    one name would leave it to chance which value a document gets: that stops the build."""
    lowered = [name.strip().lower() for name in table.header]
    if "file" not in lowered:
        found = ",".join(name.strip() for name in table.header)[:60]
        raise BriefingError(
            f"{path}: {table.unit} 1 must be a header naming the columns, with a 'file' column "
            f"(found: {found!r})"
        )
    names = [f"metadata_{name}" if name in COMPUTED_COLUMNS else name for name in lowered]
    spellings: dict[str, list[str]] = {}
    for name, as_written in zip(names, table.header, strict=True):
        if name:
            spellings.setdefault(name, []).append(as_written)
    repeated = [" and ".join(map(repr, written)) for written in spellings.values() if len(written) > 1]
    if repeated:
        raise BriefingError(
            f"{path}: {table.unit} 1 names a column more than once ({'; '.join(repeated)}): "
            "each column needs its own name"
        )
    notes = [
        Note(
            table.name,
            f"column {name!r} is one the documents table computes: read as 'metadata_{name}'",
            "info",
        )
        for name in lowered
        if name in COMPUTED_COLUMNS
    ]
    for position, name in enumerate(names):
        if not name:
            filled = sum(1 for _, values in table.rows if values[position].strip())
            label = table.column_labels[position]
            if filled:
                problem = f"ignored, with the {filled} value{'s' if filled != 1 else ''} in it"
                notes.append(Note(table.name, f"column {label} has no name in the header: {problem}"))
            else:
                notes.append(
                    Note(
                        table.name, f"column {label} has no name in the header and no values: ignored", "info"
                    )
                )
    return names, notes


def _date_order(table: _Table, names: list[str]) -> tuple[bool | None, str]:
    """Whether the column's numeric dates (05/03/2024) are day first (True) or month first (False), as the
    values that can be read only one way show; ``None`` if none does, or both orders are there. With the
    place that shows it, for the note that says how such dates were read."""
    if "date" not in names:
        return None, ""
    position = names.index("date")
    shown: dict[bool, str] = {}
    for number, values in table.rows:
        order = written_order(values[position])
        if order is not None:
            shown.setdefault(order, f"{table.unit} {number} has {values[position].strip()!r}")
    return next(iter(shown.items())) if len(shown) == 1 else (None, "")


def read_metadata(folder: Path) -> tuple[dict[str, dict], list[Note]]:
    """Rows of ``metadata.csv`` or ``metadata.xlsx`` keyed by the document's path relative to the corpus
    folder.

    A header row naming at least ``file``, then a row per document. Problems with single rows are notes; a
    file without a usable header is an error.
    """
    path = metadata_path(folder)
    if path is None:
        return {}, []
    table, notes = _read_csv(path) if path.suffix == ".csv" else (_read_xlsx(path), [])
    names, header_notes = _column_names(table, path)
    notes.extend(header_notes)
    day_first, shown_by = _date_order(table, names)
    reordered = 0
    rows: dict[str, dict] = {}
    root = folder.resolve()
    for number, values in table.rows:
        row = {name: value.strip() for name, value in zip(names, values, strict=True) if name}
        name = row.pop("file")
        where = f"{table.unit} {number}"
        target = inside(folder, name, root)
        if target is None:
            notes.append(
                Note(table.name, f"{where}: path {name!r} points outside the corpus folder: row ignored")
            )
            continue
        key = target.relative_to(root).as_posix()
        if key in rows:
            notes.append(
                Note(table.name, f"{where}: a second row for {key}: ignored (the first row is used)")
            )
            continue
        if not target.is_file():
            notes.append(
                Note(table.name, f"{where}: row for {name!r}, which is not in the corpus folder: ignored")
            )
            continue
        written = row.get("date", "")
        if written and parse_date(written) is None:
            parsed = parse_date(written, day_first)
            if parsed:  # read in the order the column shows: kept as ISO, so that the row reads alone
                row["date"] = parsed.iso
                reordered += 1
            else:
                problem = date_problem(written) or "is not a valid date: ignored"
                notes.append(Note(key, f"{table.name} {where}: date {written!r} {problem}"))
                row["date"] = ""
        rows[key] = row
    if reordered:
        notes.append(
            Note(
                table.name,
                f"{reordered} date{'s' if reordered != 1 else ''} like 05/03/2024 read "
                f"{'day' if day_first else 'month'} first, as the column writes them ({shown_by})",
                "info",
            )
        )
    return rows, notes
