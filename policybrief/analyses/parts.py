"""A scan part's results over the corpus, held as the partitions they were computed in: read from the cache
a partition at a time, and only the columns asked for, so that a corpus-wide measure is a reduction over
partitions and the build's process never holds every document's rows at once.

``PartRows`` is a part's row table (theme hits, actor mentions: 16 million rows at 100,000 documents);
``PartRecords`` a part's one record per document (term profiles). Both pickle as where their partitions
are, not as their rows: an analysis kept on disk (``scan.remembered``) holding them is a few kilobytes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policybrief.analyses.schemas import Streamed
from policybrief.corpus.stage_files import read_stage_file
from policybrief.errors import BriefingError


@dataclass(frozen=True)
class CachedTables:
    """Where a partition's tables of a part are in the cache (one file per output), and how to read them."""

    files: tuple[Path, ...]
    version: str

    def __call__(self, columns: list[str] | None = None) -> list[pa.Table] | None:
        tables = [read_stage_file(file, self.version, columns) for file in self.files]
        return None if any(table is None for table in tables) else tables  # type: ignore[return-value]

    def available(self) -> bool:
        return all(file.is_file() for file in self.files)


# A partition's tables of a part: at hand, or where they are in the cache
Reader = list[pa.Table] | CachedTables


def read_tables(tables: Reader, columns: list[str] | None = None) -> list[pa.Table]:
    """A partition's tables of a part (only ``columns``, when given), read from the cache if they are not at
    hand."""
    if isinstance(tables, CachedTables):
        read = tables(columns=columns)
    else:
        read = tables if columns is None else [table.select(columns) for table in tables]
    if read is None:
        raise BriefingError("a scan result left the cache while the build read it: build again")
    return read


def table_frame(table: pa.Table, labels: list[str]) -> pd.DataFrame:
    """A frame of a part's row table. ``labels`` (document ids, theme and actor ids, matched words: few
    distinct values over many rows) are stored as categories, ordered as text is (so sorting and comparing
    work as on text), so that a large corpus's evidence is small in memory and quick to group."""
    if not table.num_rows:
        return table.to_pandas()
    # encoded in Arrow, so that no column of a Python string per row is ever made (gigabytes at 100,000
    # documents), then their categories ordered as text
    encoded = table
    for column in labels:
        index = encoded.schema.get_field_index(column)
        encoded = encoded.set_column(index, column, encoded.column(column).dictionary_encode())
    frame = encoded.to_pandas()
    for column in labels:
        categories = frame[column].cat.categories
        frame[column] = frame[column].cat.reorder_categories(sorted(categories), ordered=True)
    # sentence numbers and character offsets in 32 bits while they fit (the tables keep their declared 64):
    # 12 bytes less a row, 190 MB of 16 million evidence rows at 100,000 documents
    for column in frame.columns[(frame.dtypes == "int64").to_numpy()]:
        if frame[column].between(-(2**31), 2**31 - 1).all():
            frame[column] = frame[column].astype("int32")
    return frame


# Rows a corpus-wide measure takes at once: consecutive whole partitions are joined up to this many rows. A
# frame per partition (200 documents) paid pandas' fixed costs 500 times a pass at 100,000 documents, 2.5 s
# a pass; a million rows of evidence are 30 to 50 MB as a frame.
ROWS_AT_ONCE = 1_000_000
# Rows of an evidence table written at once (a row group of its Parquet file): the tables are written on
# threads side by side; a partition a batch made 500 small row groups at 100,000 documents.
WRITTEN_AT_ONCE = 200_000


def joined(
    partitions: Iterable[tuple[pa.Table, ...]], rows_at_once: int | None = None
) -> Iterator[tuple[pa.Table, ...]]:
    """Consecutive partitions' tables (each item: tables of the same partition) joined until the first table
    holds ``rows_at_once`` rows (default ``ROWS_AT_ONCE``); a partition is never split."""
    limit = ROWS_AT_ONCE if rows_at_once is None else rows_at_once
    waiting: list[tuple[pa.Table, ...]] = []
    rows = 0
    for tables in partitions:
        waiting.append(tables)
        rows += tables[0].num_rows
        if rows >= limit:
            yield tuple(pa.concat_tables(same) for same in zip(*waiting, strict=True))
            waiting, rows = [], 0
    if waiting:
        yield tuple(pa.concat_tables(same) for same in zip(*waiting, strict=True))


class PartRows:
    """One output table of a part over the corpus (its rows in corpus order), kept as its partitions.

    The corpus-wide measures go through ``batches()``, a few partitions' frame at a time; a view takes one
    item's rows with ``where``; ``frame()`` is the whole table, for a small corpus or a test; ``streamed()``
    writes it a partition at a time. ``labels`` are the columns its frames hold as categories.
    """

    def __init__(self, pieces: list[Reader], output: int, schema: pa.Schema, labels: list[str]):
        self._pieces = pieces  # each partition's tables of the part, in corpus order
        self._output = output  # which of them is this table
        self.schema = schema
        self.labels = labels
        self._rows: int | None = None

    def __len__(self) -> int:
        """Its rows, counted from the files' footers (nothing read) or the tables at hand."""
        if self._rows is None:
            self._rows = sum(
                pq.ParquetFile(piece.files[self._output]).metadata.num_rows
                if isinstance(piece, CachedTables)
                else read_tables(piece)[self._output].num_rows
                for piece in self._pieces
            )
        return self._rows

    def available(self) -> bool:
        """Whether every partition it names is still in the cache."""
        return all(piece.available() for piece in self._pieces if isinstance(piece, CachedTables))

    def tables(self, columns: list[str] | None = None) -> Iterator[pa.Table]:
        """Each partition's rows as Arrow (only ``columns``, when given), empty ones included, in corpus
        order: the partitions of two parts' tables line up."""
        for piece in self._pieces:
            if isinstance(piece, CachedTables):  # only this output's file
                table = read_stage_file(piece.files[self._output], piece.version, columns)
                if table is None:
                    raise BriefingError("a scan result left the cache while the build read it: build again")
                yield table
            else:
                table = read_tables(piece)[self._output]
                yield table if columns is None else table.select(columns)

    def batches(self, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """Its rows as frames (labels as categories) of whole consecutive partitions, up to ``ROWS_AT_ONCE``
        rows each, in corpus order: a document's rows are all in one frame."""
        for (table,) in joined((table,) for table in self.tables(columns)):
            if table.num_rows:
                yield table_frame(table, [c for c in self.labels if c in table.column_names])

    def frame(self) -> pd.DataFrame:
        """The whole table as one frame: for a small corpus, or a test."""
        return table_frame(self.arrow(), self.labels)

    def arrow(self) -> pa.Table:
        """The whole table as Arrow (for a short table: unresolved short forms, name candidates)."""
        return self._concatenated(self.tables())

    def where(self, column: str, values: list[str]) -> pd.DataFrame:
        """The rows whose ``column`` is one of ``values`` (one theme's hits, one actor's mentions), each
        partition filtered as it is read."""
        wanted = pa.array(values, type=self.schema.field(column).type)
        return table_frame(
            self._concatenated(t.filter(pc.is_in(t.column(column), wanted)) for t in self.tables()),
            self.labels,
        )

    def _concatenated(self, tables: Iterator[pa.Table]) -> pa.Table:
        found = [table for table in tables if table.num_rows]
        return pa.concat_tables(found) if found else self.schema.empty_table()

    def streamed(self) -> Streamed:
        """The table as Arrow, a few partitions at a time (``WRITTEN_AT_ONCE`` rows), for writing it as it is
        stored: no frame is made, nor any text column of a frame."""

        def batches() -> Iterator[pa.Table]:
            if not len(self):
                yield self.schema.empty_table()
            for (table,) in joined(((table,) for table in self.tables()), WRITTEN_AT_ONCE):
                if table.num_rows:
                    yield table

        return Streamed(batches, len(self))


class PartRecords:
    """A per-document part's records over the corpus, in corpus order, read a partition at a time and only
    the columns asked for: a corpus-wide measure goes through them without every document's record in
    memory, and without reading what it does not use (shingles are five sixths of the term profiles)."""

    def __init__(self, pieces: list[tuple[list[int], Reader]], documents: int):
        self._pieces = pieces  # (corpus positions of a partition's documents, its records), in order
        self._documents = documents

    def __len__(self) -> int:
        return self._documents

    def partitions(
        self, columns: list[str], wanted: set[int] | None = None
    ) -> Iterator[tuple[list[int], pa.Table]]:
        """Each partition's (document positions, records of ``columns``); only those holding a position in
        ``wanted``, when given, and only those positions' records."""
        for indexes, read in self._pieces:
            chosen = [row for row, i in enumerate(indexes) if wanted is None or i in wanted]
            if not chosen:
                continue
            table = read_tables(read, columns)[0]
            yield (
                [indexes[row] for row in chosen],
                table if len(chosen) == len(indexes) else table.take(chosen),
            )


def list_rows(table: pa.Table, column: str) -> list[np.ndarray]:
    """Each row's list of a list column of ``table``, as NumPy views of one array (nothing copied per row)."""
    array = table.column(column).combine_chunks()
    lengths = pc.list_value_length(array).to_numpy(zero_copy_only=False)
    values = array.flatten().to_numpy()
    return [values[a:b] for a, b in itertools.pairwise(np.concatenate([[0], np.cumsum(lengths)]).tolist())]
