"""The analyses of a briefing, declared by name: what each scans per document, what it needs, what it
computes and which tables it writes. A new analysis is one more entry in ``ANALYSES``.

The pipeline and the notebooks run analyses through ``run_analyses`` with the same ``Options``, so the
tables, the key findings and the notebooks always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from policybrief.analyses import actors, quantities, themes
from policybrief.analyses.compare import comparison, terms
from policybrief.analyses.evidence import concordance_table
from policybrief.analyses.findings import Finding, findings_table, key_findings
from policybrief.analyses.overview import corpus_tables
from policybrief.analyses.scan import Part, forget, scan
from policybrief.analyses.schemas import Table
from policybrief.corpus.model import Corpus
from policybrief.engine import Engine
from policybrief.memory import release_memory
from policybrief.options import Options

Results = dict[str, Any]  # analysis name -> its result object


@dataclass(frozen=True)
class Analysis:
    """One analysis: ``setup`` loads and checks what it is configured with (its lexicon; None when it has
    none), once per run; ``parts`` are its per-document scan parts; ``analyse`` computes its result from the
    corpus and the results of the analyses it ``needs``; ``tables`` turns the result into named tables."""

    name: str
    needs: tuple[str, ...]
    setup: Callable[[Options], Any]
    parts: Callable[[Any, Options], list[Part]]
    analyse: Callable[[Corpus, Any, Options, Results], Any]
    tables: Callable[[Any], dict[str, Table]]


def _nothing(options: Options) -> None:
    return None


def _no_parts(setup: Any, options: Options) -> list[Part]:
    return []


def _themes(
    corpus: Corpus, lexicon: themes.ThemeLexicon, options: Options, done: Results
) -> themes.ThemeAnalysis:
    return themes.analyse(corpus, lexicon, options.min_hits, options.theme_time_bin)


def _actors(
    corpus: Corpus, actor_list: actors.ActorList, options: Options, done: Results
) -> actors.ActorAnalysis:
    return actors.analyse(
        corpus, actor_list, done["themes"], options.metonyms, options.actor_time_bin, options.split_date
    )


def _comparison(corpus: Corpus, setup: None, options: Options, done: Results) -> comparison.Comparison:
    pair = (options.pair[0], options.pair[1]) if options.pair else None
    return comparison.analyse(
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


def _findings(corpus: Corpus, setup: None, options: Options, done: Results) -> list[Finding]:
    return key_findings(corpus, done["themes"], done["actors"], done["comparison"])


def _overview(corpus: Corpus, setup: None, options: Options, done: Results) -> dict[str, Table]:
    return corpus_tables(corpus)


ANALYSES: dict[str, Analysis] = {
    analysis.name: analysis
    for analysis in (
        Analysis(
            "themes",
            (),
            lambda options: themes.load_themes(options.themes_file),
            lambda lexicon, options: [themes.scan_part(lexicon)],
            _themes,
            themes.tables,
        ),
        Analysis(
            "actors",
            ("themes",),
            lambda options: actors.load_actors(options.actors_file),
            lambda actor_list, options: [actors.scan_part(actor_list, options.metonyms)],
            _actors,
            actors.tables,
        ),
        Analysis(
            "comparison",
            ("themes", "actors"),
            _nothing,
            lambda setup, options: [terms.scan_part()],
            _comparison,
            comparison.tables,
        ),
        Analysis(
            "quantities",
            (),
            lambda options: quantities.load_rules(),
            lambda rules, options: [quantities.scan_part(rules)],
            lambda corpus, rules, options, done: quantities.analyse(corpus, rules),
            quantities.tables,
        ),
        Analysis(
            "findings",
            ("themes", "actors", "comparison"),
            _nothing,
            _no_parts,
            _findings,
            lambda findings: {"key_findings.csv": findings_table(findings)},
        ),
        Analysis(
            "concordance",
            ("themes", "actors"),
            _nothing,
            _no_parts,
            lambda corpus, setup, options, done: concordance_table(corpus, done["themes"], done["actors"]),
            lambda streamed: {"concordance.csv": streamed},
        ),
        # Last: its sentence table is streamed from the documents' stage files when the tables are written.
        Analysis("overview", (), _nothing, _no_parts, _overview, lambda tables: tables),
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
    engine: Engine | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Results:
    """The results of the ``names`` analyses (default: all) and of those they need.

    With ``scan_first`` every document is read once for all their parts before any analysis runs (a build);
    without it each analysis scans what its cached result does not hold (a notebook). The scan runs
    on ``engine`` (default: this process); a local cluster it started is stopped once the scan is done. An
    analysis's per-document results are dropped from memory once it is done (the disk cache keeps them), and
    the heap pages they held go back to the system.
    """
    order = _in_order(names or list(ANALYSES))
    setups = {name: ANALYSES[name].setup(options) for name in order}  # lexicon errors stop the run here
    parts = {name: ANALYSES[name].parts(setups[name], options) for name in order}
    if scan_first and any(parts.values()):
        if on_step:
            on_step("scanning documents for " + ", ".join(name for name in order if parts[name]))
        scan(corpus, [part for name in order for part in parts[name]], engine, results=False)
        if engine is not None:
            engine.stop_local_cluster()
    done: Results = {}
    for name in order:
        if on_step:
            on_step(f"computing {name}")
        done[name] = ANALYSES[name].analyse(corpus, setups[name], options, done)
        forget(corpus, parts[name])
        release_memory()
    forget(corpus)
    return done


def all_tables(results: Results) -> dict[str, Table]:
    """Every table of the analyses in ``results``, by file name."""
    tables: dict[str, Table] = {}
    for name, result in results.items():
        tables.update(ANALYSES[name].tables(result))
    return tables
