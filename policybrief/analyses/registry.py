"""The analyses of a briefing, declared by name: what each scans per document, what it needs, what it
computes and which tables it writes. A new analysis is one more entry in ``ANALYSES``.

The pipeline and the notebooks run analyses through ``run_analyses`` with the same ``Options``, so the
tables, the key findings and the notebooks always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from policybrief.analyses import actors, compare, themes
from policybrief.analyses.findings import Finding, findings_table, key_findings
from policybrief.analyses.overview import corpus_tables
from policybrief.analyses.scan import Part, forget, scan
from policybrief.corpus.model import Corpus
from policybrief.options import Options

Results = dict[str, Any]  # analysis name -> its result object


@dataclass(frozen=True)
class Analysis:
    """One analysis: ``parts`` are its per-document scan parts, ``analyse`` computes its result from the
    corpus and the results of the analyses it ``needs``, ``tables`` turns the result into named tables."""

    name: str
    needs: tuple[str, ...]
    parts: Callable[[Options], list[Part]]
    analyse: Callable[[Corpus, Options, Results], Any]
    tables: Callable[[Any], dict[str, pd.DataFrame]]


def _no_parts(options: Options) -> list[Part]:
    return []


def _themes(corpus: Corpus, options: Options, done: Results) -> themes.ThemeAnalysis:
    return themes.analyse(
        corpus, themes.load_themes(options.themes_file), options.min_hits, options.theme_time_bin
    )


def _actors(corpus: Corpus, options: Options, done: Results) -> actors.ActorAnalysis:
    return actors.analyse(
        corpus,
        actors.load_actors(options.actors_file),
        done["themes"],
        options.metonyms,
        options.actor_time_bin,
        options.split_date,
    )


def _comparison(corpus: Corpus, options: Options, done: Results) -> compare.Comparison:
    pair = (options.pair[0], options.pair[1]) if options.pair else None
    return compare.analyse(
        corpus,
        done["themes"],
        done["actors"],
        options.split_date,
        options.group_column,
        options.terms_per_document,
        options.near_duplicate_threshold,
        options.max_pairs_docs,
        options.k_neighbours,
        pair,
    )


def _theme_parts(options: Options) -> list[Part]:
    return [themes.scan_part(themes.load_themes(options.themes_file))]


def _actor_parts(options: Options) -> list[Part]:
    return [actors.scan_part(actors.load_actors(options.actors_file), options.metonyms)]


def _term_parts(options: Options) -> list[Part]:
    return [compare.scan_part()]


def _findings(corpus: Corpus, options: Options, done: Results) -> list[Finding]:
    return key_findings(corpus, done["themes"], done["actors"], done["comparison"])


def _overview(corpus: Corpus, options: Options, done: Results) -> dict[str, pd.DataFrame]:
    return corpus_tables(corpus)


ANALYSES: dict[str, Analysis] = {
    analysis.name: analysis
    for analysis in (
        Analysis("themes", (), _theme_parts, _themes, themes.tables),
        Analysis("actors", ("themes",), _actor_parts, _actors, actors.tables),
        Analysis("comparison", ("themes", "actors"), _term_parts, _comparison, compare.tables),
        Analysis(
            "findings",
            ("themes", "actors", "comparison"),
            _no_parts,
            _findings,
            lambda findings: {"key_findings.csv": findings_table(findings)},
        ),
        # Last: its sentence table holds the text of every sentence, which need not be in memory while the
        # other analyses run (150 MiB at 10,000 documents).
        Analysis("overview", (), _no_parts, _overview, lambda tables: tables),
    )
}


def _in_order(names: list[str]) -> list[str]:
    """``names`` and everything they need, each after what it needs."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name not in ANALYSES:
            raise KeyError(f"no analysis named {name!r} (known: {', '.join(ANALYSES)})")
        for need in ANALYSES[name].needs:
            visit(need)
        if name not in ordered:
            ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def run_analyses(
    corpus: Corpus,
    options: Options,
    names: list[str] | None = None,
    scan_first: bool = False,
    progress: Callable[[int, int], None] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Results:
    """The results of the ``names`` analyses (default: all) and of those they need.

    With ``scan_first`` every document is read once for all their parts before any analysis runs (a build);
    without it each analysis scans what its cached result does not hold (a notebook). An analysis's
    per-document results are dropped from memory once it is done: the disk cache keeps them.
    """
    order = _in_order(names or list(ANALYSES))
    parts = {name: ANALYSES[name].parts(options) for name in order}
    if scan_first and any(parts.values()):
        if on_step:
            on_step("scanning documents for " + ", ".join(name for name in order if parts[name]))
        scan(corpus, [part for name in order for part in parts[name]], progress=progress)
    done: Results = {}
    for name in order:
        if on_step:
            on_step(f"computing {name}")
        done[name] = ANALYSES[name].analyse(corpus, options, done)
        forget(corpus, parts[name])
    forget(corpus)
    return done


def all_tables(results: Results) -> dict[str, pd.DataFrame]:
    """Every table of the analyses in ``results``, by file name."""
    tables: dict[str, pd.DataFrame] = {}
    for name, result in results.items():
        tables.update(ANALYSES[name].tables(result))
    return tables
