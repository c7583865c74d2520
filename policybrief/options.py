"""The one parameter contract of a build: ``Options``.

Every parameter is declared here once, with its default, its help text, its command-line flag and its
``make`` variable. The CLI builds its arguments from these fields, the Makefile forwards the variables
listed in ``OPTION_VARS`` (a test checks the two agree), the notebooks' parameter cells declare a subset
of them (a notebook parameter that is not a field is an error), and the manifest and the build digest
record all of them. Analyses and views read their settings from an ``Options``, so the key findings,
the tables and the notebooks always use the same values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from policybrief import paths
from policybrief.errors import BriefingError


def _option(default: Any, help: str, make: str = "", table: bool = True) -> Any:
    """A field of ``Options``: ``make`` is its make variable (default: the name in capitals), and its flag is
    that variable in ``--kebab-case`` (``THEMES`` -> ``--themes``, ``SPLIT_DATE`` -> ``--split-date``);
    ``table`` says whether the tables depend on it (False: only what the notebooks show)."""
    metadata = {"help": help, "make": make, "table": table}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Options:
    """Everything a build, a notebook or an analysis can be told."""

    # What to read and where to write
    corpus: Path = _option(Path("data"), "corpus folder: documents and an optional metadata.csv")
    out: Path = _option(Path("reports"), "output folder of the briefing; its tables go to OUT/tables")
    start: str | None = _option(None, "first publication date to include (YYYY-MM-DD)")
    end: str | None = _option(None, "last publication date to include (YYYY-MM-DD)")
    themes_file: Path = _option(paths.THEMES_FILE, "theme dictionary (YAML)", make="THEMES")
    actors_file: Path = _option(paths.ACTORS_FILE, "actor list (YAML)", make="ACTORS")
    # The briefing
    title: str = _option(
        "US Policy toward the Korean Peninsula: Corpus Briefing", "briefing title", table=False
    )
    subtitle: str = _option("", "a line under the title on the cover (what the corpus is)", table=False)
    stamp: str | None = _option(
        None, "fixed build stamp, for byte-identical rebuilds (default: now, UTC)", table=False
    )
    paper: str = _option("A4", "paper size of the PDF: A4 or Letter", table=False)
    # Themes
    min_hits: int = _option(1, "hits a document needs to count as covering a theme")
    theme_time_bin: str = _option(
        "auto",
        "time bin of coverage over time: auto (month, quarter or year by the span), month, quarter, year",
    )
    # Actors
    metonyms: bool = _option(True, 'count capitals standing for their state ("Pyongyang said")')
    actor_time_bin: str = _option(
        "auto",
        "time bin of mentions over time: auto (as for themes), document, month, quarter, year",
    )
    # Comparison
    split_date: str = _option("2025-01-20", "period comparisons split here (default: the US inauguration)")
    group_column: str | None = _option(
        "source", "metadata column whose groups get their own distinctive terms"
    )
    terms_per_document: int = _option(8, "distinctive terms listed per document")
    near_duplicate_threshold: float = _option(
        0.5, "Jaccard overlap of 5-word shingles that makes a near-duplicate"
    )
    max_pairs_docs: int = _option(300, "up to this many documents, similarity.csv holds every pair")
    k_neighbours: int = _option(5, "above max_pairs_docs, each document's k nearest neighbours")
    pair: list[str] | None = _option(
        None, "two doc_ids to compare side by side (default: the most similar pair)"
    )
    # Tables
    csv_max_rows: int = _option(
        1_000_000,
        "evidence and sentence tables longer than this are written as Parquet only, not also as CSV "
        "(a spreadsheet opens at most 1,048,576 rows)",
    )
    # Where the work runs (the results do not depend on it)
    scheduler: str | None = _option(
        None,
        "address of a Dask scheduler to run on (tcp://host:8786); default: DASK_SCHEDULER_ADDRESS if set, "
        "else this machine",
        table=False,
    )
    # What the notebooks show (the tables do not depend on these)
    timeline_max_points: int = _option(
        40, "above this many documents the timeline counts documents per month", table=False
    )
    show_themes: list[str] | None = _option(None, "theme ids to show (default: all)", table=False)
    quotes_per_theme: int = _option(3, "evidence sentences quoted per theme", table=False)
    evidence_per_number: int = _option(
        50,
        "HTML: matches listed behind each number, and per theme term and name form in its concordance (the "
        "page says how many there are in all; tables/concordance.parquet has every one)",
        table=False,
    )
    show_actors: list[str] | None = _option(
        None, "actor ids to chart (default: the most mentioned)", table=False
    )
    top_n: int = _option(8, "actors charted when show_actors is not given", table=False)
    measures: list[str] = _option(
        ["cosine_tfidf", "js_distance_themes", "weighted_jaccard_actors"],
        "similarity measures to show",
        table=False,
    )

    def __post_init__(self) -> None:
        for name in ("corpus", "out", "themes_file", "actors_file"):
            object.__setattr__(self, name, Path(getattr(self, name)))
        try:
            dt.date.fromisoformat(self.split_date)
        except (TypeError, ValueError):
            raise BriefingError(f"SPLIT_DATE={self.split_date!r} is not a date (use YYYY-MM-DD)") from None
        if self.pair is not None and len(self.pair) != 2:
            raise BriefingError(f"pair={self.pair!r}: give exactly two doc_ids")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_namespace(cls, namespace: dict[str, Any]) -> Options:
        """The options a notebook set: every field found in its namespace (its parameter cell, or all of them
        when the build injected them), the defaults for the rest."""
        return cls(**{name: namespace[name] for name in cls.names() if name in namespace})

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **changes)

    def record(self) -> dict[str, Any]:
        """Every option as plain JSON values (paths as text), for the manifest and the notebooks."""
        return {name: str(value) if isinstance(value, Path) else value for name, value in self._items()}

    def table_record(self) -> dict[str, Any]:
        """The options the tables depend on (paths resolved): what the build digest of the tables covers."""
        table_fields = {f.name for f in fields(self) if f.metadata["table"]}
        return {
            name: str(value.resolve()) if isinstance(value, Path) else value
            for name, value in self._items()
            if name in table_fields
        }

    def _items(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in self.names()]


def make_variable(option: dataclasses.Field) -> str:
    return option.metadata["make"] or option.name.upper()


def flag(option: dataclasses.Field) -> str:
    return "--" + make_variable(option).lower().replace("_", "-")


def value_kind(option: dataclasses.Field) -> type:
    """The base type of a field (``str | None`` -> str, ``list[str] | None`` -> list)."""
    hint = typing.get_type_hints(Options)[option.name]
    args = (
        [a for a in typing.get_args(hint) if a is not type(None)]
        if isinstance(hint, types.UnionType)
        else [hint]
    )
    kind = args[0]
    return typing.get_origin(kind) or kind


def parse_value(option: dataclasses.Field, text: str) -> Any:
    """A field's value from text, as given on the command line or in a make variable ("" means the
    default)."""
    kind = value_kind(option)
    try:
        if kind is bool:
            lowered = text.strip().lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError("expected true or false")
            return lowered in ("1", "true", "yes")
        if kind is list:
            return [item.strip() for item in text.split(",") if item.strip()]
        return kind(text)
    except ValueError as exc:
        raise BriefingError(f"{flag(option)}={text!r}: {exc}") from None


def option_fields() -> tuple[dataclasses.Field, ...]:
    return fields(Options)
