"""The tables stage of a build: load the corpus, run every analysis, write every table.

Tables are written into a temporary folder inside the output folder and swapped in whole, so a failed
build never touches the last good tables.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from policybrief.analyses.registry import Results, all_tables, run_analyses
from policybrief.build.check import lexicon_problems
from policybrief.build.tables import replace_folder, write_tables
from policybrief.corpus.load import load_corpus
from policybrief.corpus.model import Corpus
from policybrief.engine import Engine
from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.memory import many_objects
from policybrief.options import Options


def load(options: Options, engine: Engine) -> Corpus:
    logger.info("loading corpus %s", options.corpus)
    corpus = load_corpus(options.corpus, options.start, options.end, engine=engine)
    logger.info(
        "  %d documents (%d from cache, %d cleaned now), %d data-quality notes",
        len(corpus.documents),
        corpus.cached,
        corpus.built,
        len(corpus.notes),
    )
    return corpus


def analyse(corpus: Corpus, options: Options, engine: Engine) -> Results:
    """Every analysis, as the notebooks run them; lexicon errors stop here."""
    return run_analyses(
        corpus, options, scan_first=True, engine=engine, on_step=lambda step: logger.info(step)
    )


@contextmanager
def staged(options: Options, prefix: str) -> Iterator[tuple[Corpus, Results, Path]]:
    """Load the corpus, run every analysis and write the tables into ``work/tables``, ``work`` being a new
    folder inside OUT; the caller moves into place what it keeps, and the folder goes whatever happens, so a
    failed build never touches the last good output."""
    problems = lexicon_problems(options)  # a typo in a lexicon stops the build before any document is read
    if problems:
        more = f" (and {len(problems) - 1} more: run policybrief check)" if len(problems) > 1 else ""
        raise BriefingError(problems[0] + more)
    with many_objects():
        with Engine(options.scheduler) as engine:  # an unreachable scheduler stops the build here
            corpus = load(options, engine)
            results = analyse(corpus, options, engine)
        options.out.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=prefix, dir=options.out))
        try:
            logger.info("writing tables")
            write_tables(all_tables(results), work / "tables", options)
            yield corpus, results, work
        finally:
            shutil.rmtree(work, ignore_errors=True)


def build_tables(options: Options) -> None:
    """``policybrief tables``: the tables only, no notebooks, no PDF."""
    with staged(options, ".tables-") as (_, _, work):
        replace_folder(work / "tables", options.out / "tables")
    logger.info("tables written to %s", options.out / "tables")
