"""The per-document cache: one SQLite file per cache folder, not one file per document.

Creating a file costs far more than writing its bytes (0.4 ms of CPU each on the benchmark machine's
ext4: the 20,000 cache files of a cold 10,000-document build cost 8 s of CPU), while a row in a
SQLite table costs a few microseconds. SQLite also gives what the files gave: a batch of rows is
written whole or not at all (a build stopped mid-write leaves no torn entry), and several processes
may read while one writes (workers look documents up while the main process stores results).

It is a cache: a damaged database is deleted and started afresh, and a failed write (a full disk)
costs only the rebuild it would have saved, with one warning.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from policybrief.log import logger

_FILE = "per-document.sqlite"


_TABLES = (
    "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS scans (doc_key TEXT NOT NULL, part TEXT NOT NULL, part_key TEXT NOT NULL, "
    "value BLOB NOT NULL, PRIMARY KEY (doc_key, part))",
)


_BATCH = 500  # keys per SELECT: SQLite limits the number of parameters of one statement


class Store:
    """Cached per-document results in ``folder``; each process opens its own connection (SQLite
    connections must not cross a fork)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / _FILE
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._warned = False

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = self._open()
            self._pid = os.getpid()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        try:
            return self._open_once()
        except (
            sqlite3.OperationalError
        ):  # locked by another build for minutes, or cannot be opened: not damaged
            raise
        except sqlite3.DatabaseError:  # not a database, or a damaged one: start afresh
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._open_once()

    def _open_once(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=120, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        connection.execute("PRAGMA synchronous=NORMAL")  # a cache: no flush to disk per batch
        for statement in _TABLES:
            connection.execute(statement)
        return connection

    def document(self, key: str) -> bytes | None:
        """A cleaned document's stored form, or None."""
        try:
            row = self._connect().execute("SELECT value FROM documents WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def put_documents(self, items: Iterable[tuple[str, bytes]]) -> None:
        self._write("INSERT OR REPLACE INTO documents (key, value) VALUES (?, ?)", items)

    def scans(self, doc_keys: list[str]) -> dict[str, dict[str, tuple[str, bytes]]]:
        """``{doc key: {part name: (part key, pickled result)}}`` for the documents that have any."""
        found: dict[str, dict[str, tuple[str, bytes]]] = {}
        try:
            connection = self._connect()
            for begin in range(0, len(doc_keys), _BATCH):
                batch = doc_keys[begin : begin + _BATCH]
                marks = ",".join("?" * len(batch))
                for doc_key, part, part_key, value in connection.execute(
                    f"SELECT doc_key, part, part_key, value FROM scans WHERE doc_key IN ({marks})", batch
                ):
                    found.setdefault(doc_key, {})[part] = (part_key, value)
        except sqlite3.DatabaseError:
            return {}
        return found

    def put_scans(self, items: Iterable[tuple[str, str, str, bytes]]) -> None:
        """``(doc key, part name, part key, pickled result)`` rows; a part run with other options replaces
        the document's old result for that part."""
        self._write(
            "INSERT OR REPLACE INTO scans (doc_key, part, part_key, value) VALUES (?, ?, ?, ?)", items
        )

    def _write(self, statement: str, items: Iterable[tuple]) -> None:
        """One transaction: all rows or none. Nothing to write takes no lock (builds may run side by side)."""
        items = list(items)
        if not items:
            return
        try:
            connection = self._connect()
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.executemany(statement, items)
        except sqlite3.DatabaseError as error:
            if not self._warned:
                self._warned = True
                logger.warning(
                    "warning: cache %s not written (%s); the next build redoes this work", self.path, error
                )


@functools.cache
def store_in(folder: Path) -> Store:
    """The one Store of a cache folder in this program, so that its connection is opened once per process."""
    return Store(folder)
