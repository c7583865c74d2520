"""Writing and reading the tables: each as Parquet under its declared schema (``analyses/schemas.py``), as
CSV too for spreadsheets when it is small or short enough, in a folder swapped in whole so that a reader
never sees half of it.

Parquet keeps the types (a flag is a flag, a missing number is missing, not an empty string) and is a
tenth of the size; each file names its schema and version in its key-value metadata, and ``read_table``
refuses a file written under another. pyarrow writes both formats, about ten times faster than pandas
writes CSV, without holding the GIL: large tables are written on threads.
"""

from __future__ import annotations

import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from policybrief.analyses.schemas import Streamed, Table, schema_of
from policybrief.corpus.stage_files import SCHEMA_KEY  # the same metadata key as the stage files
from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.options import Options

# Below this many rows in all, one thread writes every table: threads would cost more than they save.
PARALLEL_ROWS = 200_000
# Rows of a long table converted to Arrow at once: a whole evidence table of 100,000 documents would be
# about a GiB as Arrow strings beside its frame.
ROWS_AT_ONCE = 500_000


def _slices(frame: pd.DataFrame) -> Streamed:
    return Streamed(
        lambda: (frame.iloc[i : i + ROWS_AT_ONCE] for i in range(0, len(frame), ROWS_AT_ONCE)), len(frame)
    )


def _column(series: pd.Series, type_: pa.DataType) -> pa.Array:
    """A frame's column as ``type_``: categories become their text, NaN and None missing values, and an
    empty string in a number column too (the analyses leave a number blank that way)."""
    numeric = pa.types.is_integer(type_) or pa.types.is_floating(type_)
    if numeric and not pd.api.types.is_numeric_dtype(series.dtype):
        return pa.array([None if value == "" else value for value in series], type=type_, from_pandas=True)
    array = pa.Array.from_pandas(series)
    return array if array.type == type_ else array.cast(type_)


def arrow_table(name: str, frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table with the declared schema of table ``name``, which it names in its
    metadata; a frame whose columns or values do not fit raises an error naming the table."""
    schema = schema_of(name)
    columns = [str(column) for column in frame.columns]
    problems = schema.column_problems(columns)
    if problems:
        raise ValueError(f"table {schema.name} does not match its schema {schema.tag}: {problems}")
    arrow_schema = schema.arrow(columns).with_metadata({SCHEMA_KEY: schema.tag.encode()})
    arrays = []
    for column, field in zip(frame.columns, arrow_schema, strict=True):
        try:
            arrays.append(_column(frame[column], field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
            raise ValueError(f"table {schema.name}, column {field.name}: not {field.type}: {exc}") from exc
    return pa.Table.from_arrays(arrays, schema=arrow_schema)


def _declared(name: str, table: pa.Table) -> pa.Table:
    """An Arrow batch (evidence as the scan stored it) under the declared schema of table ``name``."""
    schema = schema_of(name)
    problems = schema.column_problems(table.column_names)
    if problems:
        raise ValueError(f"table {schema.name} does not match its schema {schema.tag}: {problems}")
    declared = schema.arrow(table.column_names).with_metadata({SCHEMA_KEY: schema.tag.encode()})
    return table.select(declared.names).cast(declared)


_CSV_OPTIONS = pa_csv.WriteOptions(quoting_style="needed")


def _parquet_only(name: str, rows: int, csv_max_rows: int) -> None:
    logger.info("%s: %d rows, more than csv_max_rows=%d: written as Parquet only", name, rows, csv_max_rows)


def _write(name: str, frame: Table, folder: Path, csv_max_rows: int) -> None:
    """One table as Parquet, and as CSV unless it is long and has more than ``csv_max_rows`` rows."""
    schema = schema_of(name)
    if isinstance(frame, Streamed) or (schema.long and len(frame) > ROWS_AT_ONCE):
        _write_streamed(name, frame if isinstance(frame, Streamed) else _slices(frame), folder, csv_max_rows)
        return
    table = arrow_table(name, frame)
    pq.write_table(table, folder / f"{schema.name}.parquet", compression="zstd")
    if schema.long and table.num_rows > csv_max_rows:
        _parquet_only(schema.name, table.num_rows, csv_max_rows)
        return
    pa_csv.write_csv(table, folder / f"{schema.name}.csv", _CSV_OPTIONS)


def _write_streamed(name: str, streamed: Streamed, folder: Path, csv_max_rows: int) -> None:
    """A streamed table batch by batch into one Parquet file (a row group a batch) and one CSV file: none when
    the table says it has more than ``csv_max_rows`` rows, deleted when its rows pass that on the way. Only a
    batch is ever in memory."""
    schema = schema_of(name)
    parquet_file, csv_file = folder / f"{schema.name}.parquet", folder / f"{schema.name}.csv"
    empty = arrow_table(name, pd.DataFrame({column: [] for column, _ in schema.columns}))
    rows = 0
    with ExitStack() as files:
        parquet = files.enter_context(pq.ParquetWriter(parquet_file, empty.schema, compression="zstd"))
        csv = (
            files.enter_context(pa_csv.CSVWriter(csv_file, empty.schema, write_options=_CSV_OPTIONS))
            if streamed.rows is None or streamed.rows <= csv_max_rows
            else None
        )
        for batch in streamed.batches():
            table = arrow_table(name, batch) if isinstance(batch, pd.DataFrame) else _declared(name, batch)
            parquet.write_table(table)
            rows += table.num_rows
            if csv is not None and rows > csv_max_rows:  # more rows than it said: the CSV goes
                csv = None
            elif csv is not None:
                csv.write_table(table)
        if not rows:
            parquet.write_table(empty)
    if rows > csv_max_rows:
        csv_file.unlink(missing_ok=True)
        _parquet_only(schema.name, rows, csv_max_rows)


def _size(table: Table) -> float:
    """Cells, to order the writes: a streamed table (never whole in memory) counts as the largest."""
    return math.inf if isinstance(table, Streamed) else table.size


def _rows(table: Table) -> float:
    return math.inf if isinstance(table, Streamed) else len(table)


def write_tables(tables: dict[str, Table], folder: Path, options: Options) -> None:
    """Every table as ``folder/<name>.parquet``, and as ``<name>.csv`` for a small one or a long one of at
    most ``options.csv_max_rows`` rows; on threads, largest first (streamed ones first), when there are
    many rows."""
    folder.mkdir(parents=True, exist_ok=True)
    largest_first = sorted(tables, key=lambda name: -_size(tables[name]))
    threads = min(os.cpu_count() or 1, len(tables))
    if sum(_rows(table) for table in tables.values()) < PARALLEL_ROWS or threads < 2:
        for name in largest_first:
            _write(name, tables[name], folder, options.csv_max_rows)
        return
    with ThreadPoolExecutor(threads) as pool:
        writes = [
            pool.submit(_write, name, tables[name], folder, options.csv_max_rows) for name in largest_first
        ]
        try:
            for write in writes:
                write.result()  # the first failure is raised here
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the tables not yet begun are not written
            raise


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """Table ``name`` from ``folder/<name>.parquet``, checked to be written under this version's schema: a
    file from another version (or from no version) is refused, not misread."""
    path = Path(folder) / f"{name}.parquet"
    expected = schema_of(name).tag
    file = pq.ParquetFile(path)
    written = (file.schema_arrow.metadata or {}).get(SCHEMA_KEY, b"").decode()
    if written != expected:
        how = f"with schema {written}" if written else "without a schema"
        raise BriefingError(f"{path}: written {how}, this version reads {expected}: rebuild it")
    return file.read().to_pandas()


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, so that a reader never sees a half-written folder."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
