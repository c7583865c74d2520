"""What every table of the analyses holds: its columns in order with their Arrow types, its size class and
its schema version.

Declared here, beside the analyses that make the tables, so that what a table holds does not depend on the
corpus: an empty evidence table, a column of whole numbers, a category column or a number column with
gaps all become the same columns with the same types. Readers (notebooks, pandas, DuckDB, a spreadsheet)
can rely on them, and a file written under another version is refused instead of misread. Change a
table's columns or their meaning here, and add one to its version.

A *small* table is human-sized (a row per theme, actor, period, pair or document) and is written as CSV
too. A *long* table has a row per sentence, hit or mention; it grows with the text of the corpus, and is
written as CSV only up to ``Options.csv_max_rows`` rows (a spreadsheet opens at most 1,048,576).

A number column may hold missing values (Parquet nulls); in the frames the analyses make, an empty string
in a number column is one (``near_duplicates.shared`` of a passage repeated within a document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

import pandas as pd
import pyarrow as pa

TEXT, INTEGER, NUMBER, FLAG = pa.string(), pa.int64(), pa.float64(), pa.bool_()


@dataclass(frozen=True)
class TableSchema:
    """One table: ``columns`` in order; ``extra_text_columns``: other columns may follow, as text (the
    metadata columns of ``documents``, which depend on the corpus's metadata.csv)."""

    name: str
    version: int
    size: Literal["small", "long"]
    columns: tuple[tuple[str, pa.DataType], ...]
    extra_text_columns: bool = False

    @property
    def tag(self) -> str:
        """How a written file names its schema: ``theme_evidence/1``."""
        return f"{self.name}/{self.version}"

    @property
    def long(self) -> bool:
        return self.size == "long"

    @property
    def declared(self) -> pa.Schema:
        """The declared columns as an Arrow schema: the scan's stage tables of evidence use it too, so that
        an evidence table and the stage files it is made of have the same columns."""
        return pa.schema(list(self.columns))

    def arrow(self, column_names: list[str]) -> pa.Schema:
        """The Arrow schema of a frame with these columns (the declared ones, then any extra text columns)."""
        declared = dict(self.columns)
        return pa.schema([(name, declared.get(name, TEXT)) for name in column_names])

    def column_problems(self, column_names: list[str]) -> str:
        """What is wrong with a frame's columns ("" when they fit): missing, extra or out of order."""
        declared = [name for name, _ in self.columns]
        missing = [name for name in declared if name not in column_names]
        extra = [name for name in column_names if name not in declared]
        if missing or (extra and not self.extra_text_columns):
            return (
                f"missing columns {missing or 'none'}, "
                f"extra columns {extra if not self.extra_text_columns else 'allowed'}"
            )
        if column_names[: len(declared)] != declared:
            return f"columns out of order: {column_names}, declared {declared}"
        return ""


@dataclass(frozen=True)
class Streamed:
    """A long table made a batch of documents at a time, and written the same way, so that it is never whole
    in memory: the sentence table of 100,000 documents holds all their text (several GiB as a frame)."""

    # each call starts again from the first batch; a batch already in Arrow is written as it is
    batches: Callable[[], Iterator[pd.DataFrame | pa.Table]]
    # its rows, when known before it is made: a table known to pass the CSV row limit is written as Parquet
    # only from the start (writing a million CSV rows of the concordance, to delete them, took seconds)
    rows: int | None = None

    def frame(self) -> pd.DataFrame:
        """The whole table (for a small corpus, or a test)."""
        return pd.concat(
            [b.to_pandas() if isinstance(b, pa.Table) else b for b in self.batches()], ignore_index=True
        )


Table: TypeAlias = pd.DataFrame | Streamed  # what an analysis gives for each of its tables


def whole(tables: dict[str, Table]) -> dict[str, pd.DataFrame]:
    """Every table as one frame, streamed ones read through (for a small corpus, or a test)."""
    return {name: table.frame() if isinstance(table, Streamed) else table for name, table in tables.items()}


def _schema(
    name: str,
    size: Literal["small", "long"],
    *columns: tuple[str, pa.DataType],
    extra_text_columns: bool = False,
    version: int = 1,
) -> TableSchema:
    return TableSchema(name, version, size, columns, extra_text_columns)


_SPAN = (("sentence_index", INTEGER), ("start", INTEGER), ("end", INTEGER))
# the page of a paged source (a PDF) where the span starts; empty for other sources (version 2 of each table)
_PAGE = ("page", INTEGER)
_PERIOD = (("period", TEXT), ("period_start", TEXT))
_INTERVAL = (("ci_low", NUMBER), ("ci_high", NUMBER))
# a theme and the documents covering it, of how many
_THEME_SHARE = (
    ("theme", TEXT),
    ("label", TEXT),
    ("documents", INTEGER),
    ("documents_covering", INTEGER),
    ("share", NUMBER),
)
_KEYNESS = (("term", TEXT), ("count", INTEGER), ("count_rest", INTEGER))
_SCORES = (("score", NUMBER), ("log_odds", NUMBER), ("log_ratio", NUMBER))
_RESOLUTION_COUNTS = tuple(
    (name, INTEGER)
    for name in (
        *("full_name", "name_order", "middle_initial", "alias", "typo", "short_form", "title_short_form"),
        *("unique_short_form", "title_role", "administration", "metonym"),
    )
)

SCHEMAS: dict[str, TableSchema] = {
    schema.name: schema
    for schema in (
        # The corpus (analyses/overview.py)
        _schema(
            "documents",
            "small",
            *((name, TEXT) for name in ("doc_id", "file", "title", "source", "author", "date")),
            *((name, TEXT) for name in ("date_precision", "date_basis", "url")),
            *((name, INTEGER) for name in ("words_raw", "words", "sentences")),
            ("format", TEXT),
            ("sha256", TEXT),
            ("pages", INTEGER),  # of a PDF; empty for a source without pages
            extra_text_columns=True,
            version=2,  # 2: pages
        ),
        _schema("sentences", "long", ("doc_id", TEXT), *_SPAN, ("text", TEXT), _PAGE, version=2),
        _schema(
            "cleaning_log",
            "small",
            ("doc_id", TEXT),
            ("step", TEXT),
            ("reason", TEXT),
            ("words_removed", INTEGER),
            ("removed_text", TEXT),
        ),
        _schema("data_quality", "small", ("file", TEXT), ("severity", TEXT), ("problem", TEXT)),
        # Themes (analyses/themes/measures.py)
        _schema(
            "theme_evidence",
            "long",
            ("doc_id", TEXT),
            ("theme", TEXT),
            *_SPAN,
            ("term", TEXT),
            ("matched", TEXT),
            _PAGE,
            version=2,
        ),
        _schema(
            "theme_coverage",
            "small",
            *((name, TEXT) for name in ("doc_id", "date", "theme", "label")),
            ("hits", INTEGER),
            ("words", INTEGER),
            ("per_1k_words", NUMBER),
            ("sentences_with_theme", INTEGER),
            ("sentences", INTEGER),
            ("sentence_share", NUMBER),
            ("present", FLAG),
        ),
        _schema(
            "theme_corpus_coverage",
            "small",
            *_THEME_SHARE,
            *_INTERVAL,
            ("hits", INTEGER),
            ("per_1k_words", NUMBER),
        ),
        _schema(
            "theme_over_time",
            "small",
            *_PERIOD,
            *_THEME_SHARE,
            ("hits", INTEGER),
            ("words", INTEGER),
            ("per_1k_words", NUMBER),
        ),
        _schema("theme_cooccurrence", "small", ("theme_a", TEXT), ("theme_b", TEXT), ("sentences", INTEGER)),
        _schema("theme_unmatched_terms", "small", ("theme", TEXT), ("label", TEXT), ("term", TEXT)),
        # Quantities the documents state (analyses/quantities/)
        _schema(
            "stated_quantities",
            "long",
            ("doc_id", TEXT),
            *_SPAN,
            ("kind", TEXT),  # percent, money, count
            ("value", NUMBER),  # as stated, scales applied: "$350 billion" is 350000000000
            ("unit", TEXT),  # %, a currency code, the counted thing
            ("subject", TEXT),  # what it is about: "of gdp", "tariffs", "troops"; empty when unsaid
            ("year", INTEGER),  # the year the sentence ties it to ("by 2027"); empty when none
            ("matched", TEXT),
            _PAGE,
        ),
        _schema(
            "quantities_compared",
            "small",
            *((name, TEXT) for name in ("kind", "unit", "subject")),
            ("documents", INTEGER),
            ("values", INTEGER),
            ("minimum", NUMBER),
            ("maximum", NUMBER),
            *((name, TEXT) for name in ("first_date", "first_doc", "first_stated")),
            *((name, TEXT) for name in ("last_date", "last_doc", "last_stated")),
        ),
        # Actors (analyses/actors/measures.py)
        _schema(
            "actor_evidence",
            "long",
            *((name, TEXT) for name in ("doc_id", "actor", "actor_type", "surface", "resolution")),
            *_SPAN,
            _PAGE,
            version=2,
        ),
        _schema(
            "actor_unresolved",
            "long",
            *((name, TEXT) for name in ("doc_id", "surface", "candidates", "reason")),
            *_SPAN,
            _PAGE,
            version=2,
        ),
        _schema(
            "actor_mentions",
            "small",
            *((name, TEXT) for name in ("doc_id", "date", "actor", "name", "actor_type")),
            ("mentions", INTEGER),
            ("words", INTEGER),
            ("per_1k_words", NUMBER),
            *_RESOLUTION_COUNTS,
            version=2,  # 2: the resolutions name_order, middle_initial, unique_short_form, title_role
        ),
        _schema(
            "actor_over_time",
            "small",
            *_PERIOD,
            ("actor", TEXT),
            ("name", TEXT),
            ("documents", INTEGER),
            ("documents_mentioning", INTEGER),
            ("share", NUMBER),
            *_INTERVAL,
            ("mentions", INTEGER),
            ("words", INTEGER),
            ("per_1k_words", NUMBER),
        ),
        _schema(
            "actor_appearances",
            "small",
            ("actor", TEXT),
            ("name", TEXT),
            ("documents", INTEGER),
            ("mentions", INTEGER),
            *((name, TEXT) for name in ("first_date", "first_doc", "last_date", "last_doc")),
            *((name, INTEGER) for name in ("documents_before", "mentioning_before")),
            *((name, INTEGER) for name in ("documents_after", "mentioning_after")),
            ("change", TEXT),
        ),
        _schema("actor_cooccurrence", "small", ("actor_a", TEXT), ("actor_b", TEXT), ("sentences", INTEGER)),
        _schema(
            "actor_theme",
            "small",
            ("actor", TEXT),
            ("theme", TEXT),
            ("label", TEXT),
            ("actor_sentences", INTEGER),
            ("sentences", INTEGER),
            ("share", NUMBER),
            *_INTERVAL,
            ("example_doc_id", TEXT),
            ("example_sentence_index", INTEGER),
        ),
        _schema(
            "unlisted_names",
            "small",
            ("name", TEXT),
            ("mentions", INTEGER),
            ("documents", INTEGER),
            ("example_doc_id", TEXT),
            ("example_sentence", TEXT),
        ),
        # Comparison (analyses/compare/)
        _schema(
            "similarity", "small", ("doc_a", TEXT), ("doc_b", TEXT), ("measure", TEXT), ("value", NUMBER)
        ),
        _schema("distinctive_terms", "small", ("doc_id", TEXT), *_KEYNESS, *_SCORES),
        _schema("group_distinctive_terms", "small", ("group", TEXT), *_KEYNESS, *_SCORES),
        _schema(
            "period_change",
            "small",
            *((name, TEXT) for name in ("kind", "item", "label", "measure")),
            *((name, NUMBER) for name in ("before", "after", "change")),
            *((name, INTEGER) for name in ("before_count", "before_docs", "after_count", "after_docs")),
            *_INTERVAL,
            ("score", NUMBER),
        ),
        _schema(
            "near_duplicates",
            "small",
            ("kind", TEXT),
            ("doc_a", TEXT),
            ("doc_b", TEXT),
            ("similarity", NUMBER),
            ("containment", NUMBER),
            ("shared", INTEGER),  # missing for a passage repeated within a document
            ("words", INTEGER),  # missing for a pair of documents
            ("excerpt", TEXT),
        ),
        _schema("document_map", "small", ("doc_id", TEXT), ("x", NUMBER), ("y", NUMBER)),
        # The concordance (analyses/evidence.py): every theme hit and actor mention in its context
        _schema(
            "concordance",
            "long",
            *((name, TEXT) for name in ("kind", "item", "label", "term", "doc_id", "title", "date")),
            _PAGE,
            *_SPAN,
            *((name, TEXT) for name in ("left", "match", "right")),
        ),
        # Key findings (analyses/findings.py)
        _schema(
            "key_findings",
            "small",
            ("number", INTEGER),
            ("statement", TEXT),
            ("caveat", TEXT),
            ("documents", INTEGER),
            ("checks", TEXT),
            ("evidence_doc_id", TEXT),
            ("evidence_sentence_index", INTEGER),  # missing when the finding quotes no sentence
        ),
    )
}


def schema_of(table: str) -> TableSchema:
    """The schema of a table, by its name (``theme_evidence`` or ``theme_evidence.csv``)."""
    name = table.removesuffix(".csv")
    if name not in SCHEMAS:
        raise KeyError(f"table {name!r} has no schema: declare it in policybrief/analyses/schemas.py")
    return SCHEMAS[name]
