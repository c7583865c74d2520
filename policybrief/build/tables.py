"""Writing the CSV tables: byte for byte what pandas writes, faster for the large evidence tables,
and a folder swapped in whole so that a reader never sees half of it.
"""

import csv
import functools
import io
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from policybrief.workers import run_forked

# Above this many rows in all, the CSV files are written by several processes at once.
PARALLEL_ROWS = 200_000


def _quote_triggers() -> str:
    """The characters that make the csv module (which pandas writes with) quote a field, asked of the module
    itself: Python versions differ on the carriage return."""

    def quoted(char: str) -> bool:
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow([f"a{char}b", "c"])
        return line.getvalue().startswith('"')

    return "".join(char for char in ',"\r\n' if quoted(char))


_NEEDS_QUOTES = re.compile(f"[{re.escape(_quote_triggers())}]")


_ROWS_AT_ONCE = 50_000  # rows formatted and written at a time by write_csv


def _quoted(field: str) -> str:
    """A field as the csv module writes it with minimal quoting."""
    return '"' + field.replace('"', '""') + '"' if _NEEDS_QUOTES.search(field) else field


def _formatted_here(column: pd.Series) -> bool:
    """Is this a column of text categories or of integers (the columns write_csv formats itself)?

    Plain text columns are left to pandas: formatting them here takes a reference to every string, and in a
    forked writer that copies every page of the parent's text (100 MB more memory for sentences.csv)."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return all(isinstance(value, str) for value in dtype.categories)
    return isinstance(dtype, np.dtype) and dtype.kind in "iu"


def _field_maker(column: pd.Series):
    """A function from a slice of rows to the column's CSV fields for those rows (categories quoted once,
    here)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        fields = np.array(
            [*map(_quoted, column.cat.categories), ""], dtype=object
        )  # code -1 (missing): empty
        codes = column.cat.codes.to_numpy()
        return lambda rows: fields[codes[rows]].tolist()
    values = column.to_numpy()
    return lambda rows: list(map(str, values[rows].tolist()))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame.to_csv(path, index=False)``, byte for byte, at about twice its speed for the large evidence
    tables: categories and integers are formatted by C loops (each category quoted once), a batch of rows at
    a time; pandas writes any other table."""
    if len(frame.columns) < 2 or not all(_formatted_here(frame[name]) for name in frame.columns):
        frame.to_csv(path, index=False, lineterminator="\n")
        return
    makers = [_field_maker(frame[name]) for name in frame.columns]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(_quoted(str(name)) for name in frame.columns) + "\n")
        for begin in range(0, len(frame), _ROWS_AT_ONCE):
            rows = slice(begin, begin + _ROWS_AT_ONCE)
            columns = [make(rows) for make in makers]
            out.write("\n".join(map(",".join, zip(*columns, strict=True))) + "\n")


def _write(tables: dict[str, pd.DataFrame], names: list[str], folder: Path) -> None:
    for name in names:
        write_csv(tables[name], folder / name)


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """Every table as ``folder/<name>``; large ones shared out among forked workers, largest first, each to
    the least loaded (the workers read the tables the parent holds, without a copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    workers = min(os.cpu_count() or 1, len(tables))
    if sum(len(frame) for frame in tables.values()) < PARALLEL_ROWS or workers < 2:
        _write(tables, list(tables), folder)
        return
    shares: list[list[str]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for name in sorted(tables, key=lambda n: -tables[n].size):
        least = loads.index(min(loads))
        shares[least].append(name)
        loads[least] += tables[name].size
    run_forked([functools.partial(_write, tables, share, folder) for share in shares if share])


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, so that a reader never sees a half-written folder."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
