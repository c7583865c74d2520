"""How two folders of tables differ, as sets of rows: the check that a change of engine, of scheduler or of
code left the results alone.

Rows are compared in sorted order, so that the order in which workers delivered them does not count, and
numbers with a relative tolerance (1e-9), so that sums taken in another order do not either. Text and
integer columns sort first: they identify a row, and a number a hair's breadth apart cannot reorder rows.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policybrief.build.tables import SCHEMA_KEY

RELATIVE_TOLERANCE = 1e-9


def _sorted(table: pa.Table) -> pa.Table:
    """The rows in the order of every column, numbers last (nulls last in each column)."""
    keys = sorted(table.column_names, key=lambda name: pa.types.is_floating(table.schema.field(name).type))
    return table.sort_by([(name, "ascending") for name in keys]) if keys else table


def _differing(a: pa.ChunkedArray, b: pa.ChunkedArray) -> np.ndarray:
    """For each row, do the two columns differ? Missing equals missing; numbers within the tolerance."""
    if pa.types.is_floating(a.type) and pa.types.is_floating(b.type):
        x = a.to_numpy(zero_copy_only=False).astype(np.float64)
        y = b.to_numpy(zero_copy_only=False).astype(np.float64)
        with np.errstate(invalid="ignore"):
            close = (x == y) | (np.abs(x - y) <= RELATIVE_TOLERANCE * np.maximum(np.abs(x), np.abs(y)))
        return ~(close | (np.isnan(x) & np.isnan(y)))
    same = pc.fill_null(pc.equal(a, b), False)
    both_missing = pc.and_(pc.is_null(a), pc.is_null(b))
    return ~pc.or_(same, both_missing).to_numpy(zero_copy_only=False)


def _first_differing_row(name: str, a: pa.Table, b: pa.Table) -> str:
    """ "" when the tables hold the same rows; else how many rows differ and the first of them."""
    a, b = _sorted(a), _sorted(b)
    columns = a.column_names
    differing = {column: _differing(a.column(column), b.column(column)) for column in columns}
    rows = np.logical_or.reduce(list(differing.values())) if columns else np.zeros(0, dtype=bool)
    if not rows.any():
        return ""
    row = int(np.argmax(rows))
    values = "; ".join(
        f"{column}: {a.column(column)[row].as_py()!r} vs {b.column(column)[row].as_py()!r}"
        for column in columns
        if differing[column][row]
    )
    return (
        f"{name}: {int(rows.sum())} of {a.num_rows} rows differ; the first (sorted by every column) "
        f"is row {row + 1}: {values}"
    )


def _columns(schema: pa.Schema) -> str:
    return "(" + ", ".join(f"{field.name} {field.type}" for field in schema) + ")"


def _table_difference(name: str, path_a: Path, path_b: Path) -> str:
    """ "" when the two files hold the same table, else one line saying how they differ."""
    a, b = pq.ParquetFile(path_a).read(), pq.ParquetFile(path_b).read()
    tags = [(table.schema.metadata or {}).get(SCHEMA_KEY, b"no schema").decode() for table in (a, b)]
    if tags[0] != tags[1]:
        return f"{name}: written with schema {tags[0]} in one folder, {tags[1]} in the other"
    if a.schema.remove_metadata() != b.schema.remove_metadata():
        return f"{name}: different columns: {_columns(a.schema)} vs {_columns(b.schema)}"
    if a.num_rows != b.num_rows:
        return f"{name}: {a.num_rows} rows vs {b.num_rows}"
    if a.equals(b):  # the same rows in the same order: no sorting needed
        return ""
    return _first_differing_row(name, a, b)


def table_differences(folder_a: Path, folder_b: Path) -> list[str]:
    """One line per difference between the Parquet tables of two folders: a table in one only, different
    columns, a different number of rows, or the first row that differs; none when they hold the same."""
    files_a = {path.stem: path for path in Path(folder_a).glob("*.parquet")}
    files_b = {path.stem: path for path in Path(folder_b).glob("*.parquet")}
    names = sorted(files_a.keys() | files_b.keys())
    found = [
        f"{name}: only in {folder_a if name in files_a else folder_b}"
        for name in names
        if name not in files_a or name not in files_b
    ]
    both = [name for name in names if name in files_a and name in files_b]
    with ThreadPoolExecutor(min(len(both), os.cpu_count() or 1) or 1) as pool:  # Arrow releases the GIL
        lines = pool.map(lambda name: _table_difference(name, files_a[name], files_b[name]), both)
        found += [line for line in lines if line]
    return found
