"""Command line: ``policybrief build|tables|bench|validate`` (what ``make report``, ``make tables``, ``make
bench`` and ``make validate`` run), and ``init|check|suggest`` for a topic folder of one's own.

The options of ``build`` and ``tables`` are generated from ``Options``: one flag per field. A problem with the
input ends the run with one line naming the file and the problem and a non-zero status; the full traceback
is logged only with ``--verbose``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

from policybrief import __version__
from policybrief.build.scaffold import init_topic
from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.options import Options, flag, make_variable, option_fields, parse_value
from policybrief.paths import PROJECT_DIR
from policybrief.topic import topic_options

EXIT_INPUT_ERROR = 2
EXIT_FAILURE = 1


class _OneLineParser(argparse.ArgumentParser):
    """Command-line mistakes get the same one-line error as everything else."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INPUT_ERROR, f"error: {message} (see {self.prog} --help)\n")


def _add_options(command: argparse.ArgumentParser) -> None:
    """One flag per option (``tables`` takes them all too, so that ``make`` passes one list to both); an empty
    value means the default."""
    defaults = Options()
    for option in option_fields():
        default = getattr(defaults, option.name)
        if isinstance(default, Path) and default.is_relative_to(PROJECT_DIR):
            default = default.relative_to(PROJECT_DIR)
        shown = (
            ""
            if default is None
            else f" (default: {','.join(default) if isinstance(default, list) else default})"
        )
        command.add_argument(
            flag(option),
            dest=option.name,
            metavar=make_variable(option),
            help=option.metadata["help"] + shown,
        )


def parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="policybrief", description="Build tables and briefings from a folder of policy documents."
    )
    parser.add_argument("--version", action="version", version=f"policybrief {__version__}")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="more detail, and tracebacks of failures"
    )
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    for name, help_text in (
        ("build", "tables, notebooks, briefing.html and briefing.pdf"),
        ("tables", "only the tables (no notebooks, no PDF)"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("topic", nargs="?", metavar="FOLDER", help=_TOPIC_HELP)
        _add_options(command)
    init = sub.add_parser("init", help="a new topic folder: data/, config/ lexicons, briefing.yaml, README")
    init.add_argument("topic", metavar="FOLDER")
    init.add_argument("--title", required=True, help="the briefing's title")
    check = sub.add_parser("check", help="check a topic's settings, lexicons and metadata (file, line, fix)")
    check.add_argument("topic", nargs="?", metavar="FOLDER", help=_TOPIC_HELP)
    _add_options(check)
    suggest = sub.add_parser(
        "suggest",
        help="people and phrases of a topic's documents to add to its lexicons (config/suggested.yaml)",
    )
    suggest.add_argument("topic", metavar="FOLDER")
    suggest.add_argument(
        "--clusters", type=int, help="document clusters to find phrases for (default: by size)"
    )
    bench = sub.add_parser("bench", help="time `tables` on synthetic corpora against a baseline")
    bench.add_argument(
        "--sizes", default="1000,10000", help="corpus sizes, comma-separated (default: 1000,10000)"
    )
    bench.add_argument("--out", default="reports", help="folder for bench.json (default: reports)")
    bench.add_argument(
        "--cluster",
        action="store_true",
        help="run the largest size on a local Dask scheduler and two workers too, and compare the tables",
    )
    validate = sub.add_parser(
        "validate", help="score the counts against the hand-labelled gold (validation/)"
    )
    validate.add_argument("--out", help="folder for validation.json (default: reports)")
    validate.add_argument(
        "--record", action="store_true", help="make today's figures the floor tests/test_validation.py guards"
    )
    return parser


_TOPIC_HELP = (
    "a topic folder (data/, config/, briefing.yaml: see policybrief init); default: this project's data/ and "
    "config/"
)


def options_from(args: argparse.Namespace) -> Options:
    """The ``Options`` of a command line: given values parsed by their field's type; the rest from the topic
    folder when one is given, else the defaults."""
    values: dict[str, Any] = {}
    for option in option_fields():
        text = getattr(args, option.name, None)
        if text not in (None, ""):
            values[option.name] = parse_value(option, text)
    topic = getattr(args, "topic", None)
    if not topic:
        return Options(**values)
    return topic_options(Path(topic), values, settings=args.command != "check")


class _Formatter(logging.Formatter):
    """Progress as ``policybrief: [time] message`` (the time only when the output is not a terminal: CI, make,
    a log file); an error as the one line ``error: ...`` the user acts on."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno >= logging.ERROR and not record.exc_info:
            return record.getMessage()
        return super().format(record)


def configure_logging(verbose: bool, quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    stamp = "" if sys.stderr.isatty() else "[%(asctime)s] "
    handler.setFormatter(_Formatter(f"policybrief: {stamp}%(message)s", datefmt="%H:%M:%S"))
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)


def _run(args: argparse.Namespace) -> None:
    if args.command == "bench":
        from policybrief.bench import run_bench, run_cluster_bench

        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        if args.cluster:
            run_cluster_bench(max(sizes), Path(args.out))
        else:
            run_bench(sizes, Path(args.out))
        return
    if args.command == "init":
        init_topic(Path(args.topic), args.title)
        return
    if args.command == "suggest":
        from policybrief.build.suggesting import suggest_for_topic

        suggest_for_topic(topic_options(Path(args.topic)), args.clusters)
        return
    options = options_from(args)
    if args.command == "check":
        _check(options)
        return
    if args.command == "validate":
        from policybrief.validation.run import validate

        validate(options, record=args.record)
        return
    if args.command == "tables":
        from policybrief.build.pipeline import build_tables

        build_tables(options)
        return
    from policybrief.build.freshness import build_key, up_to_date

    key = build_key(options) if options.corpus.is_dir() else None
    if key and up_to_date(options.out, key):
        logger.info(
            "%s is up to date: no input, parameter or code changed since it was built",
            options.out / "briefing.pdf",
        )
        return
    from policybrief.build.report import build_report

    build_report(options, key)


def _check(options: Options) -> None:
    from policybrief.build.check import check_topic

    problems, notes = check_topic(options)
    for note in notes:
        logger.info("%s", note)
    for problem in problems:
        logger.error("error: %s", problem)
    if problems:
        raise BriefingError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} to fix before a build"
        )
    logger.info("ready to build: policybrief build %s", options.corpus.parent)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging(args.verbose, args.quiet)
    try:
        _run(args)
    except BriefingError as exc:
        logger.error("error: %s", exc)
        return EXIT_INPUT_ERROR
    except OSError as exc:  # disk full, permission denied: the file and the reason, not a traceback
        logger.debug("traceback", exc_info=True)
        where = f"{exc.filename}: " if exc.filename else ""
        logger.error(
            "error: could not write or read %s%s; the previous briefing is unchanged",
            where,
            exc.strerror or exc,
        )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        logger.error("error: interrupted; the previous briefing and tables are unchanged")
        return 130
    except Exception as exc:  # a bug, not bad input: still one line unless asked for more
        logger.debug("traceback", exc_info=True)
        logger.error(
            "error: unexpected failure: %s: %s (run with --verbose for the traceback)",
            type(exc).__name__,
            exc,
        )
        return EXIT_FAILURE
    return 0
