"""Command line: ``python -m policybrief tables|report`` (what ``make tables`` and ``make report`` run).

A problem with the input ends the run with one line naming the file and the problem and a
non-zero status; the full traceback is printed only when VERBOSE=1.
"""

import argparse
import gc
import os
import sys
import traceback
from pathlib import Path

from policybrief import DEFAULT_TITLE
from policybrief.errors import BriefingError
from policybrief.freshness import PROJECT_DIR, build_key, up_to_date

EXIT_INPUT_ERROR = 2
EXIT_FAILURE = 1


class _OneLineParser(argparse.ArgumentParser):
    """Command-line mistakes get the same one-line error as everything else."""

    def error(self, message: str):
        self.exit(EXIT_INPUT_ERROR, f"error: {message} (see python -m {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="policybrief", description="Build tables and briefings from a corpus of policy documents.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    for name, help_text in (("tables", "write only the CSV tables"), ("report", "build tables, notebooks, briefing.html and briefing.pdf")):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--corpus", default="data", help="corpus folder (default: data)")
        command.add_argument("--out", default="reports", help="output folder (default: reports)")
        command.add_argument("--start", default="", help="first publication date to include (YYYY-MM-DD)")
        command.add_argument("--end", default="", help="last publication date to include (YYYY-MM-DD)")
        command.add_argument("--themes", default="", help="theme dictionary (default: config/themes.yaml)")
        command.add_argument("--actors", default="", help="actor list (default: config/actors.yaml)")
        if name == "report":
            command.add_argument("--title", default="", help=f"briefing title (default: {DEFAULT_TITLE!r})")
            command.add_argument("--stamp", default="", help="fixed build stamp, for reproducible builds")
            command.add_argument("--paper", default="A4", help="A4 (default) or Letter")
    return parser


def _build_key(args) -> str | None:
    """The digest of everything this build reads (None when it cannot be computed: the build will say why)."""
    config = PROJECT_DIR / "config"
    lexicons = [Path(args.themes or config / "themes.yaml"), Path(args.actors or config / "actors.yaml"), config / "cleaning.yaml"]
    parameters = {"corpus": str(Path(args.corpus).resolve()), "start": args.start, "end": args.end,
                  "lexicons": [str(p.resolve()) for p in lexicons], "title": args.title, "stamp": args.stamp,
                  "paper": args.paper.lower(), "cache": os.environ.get("POLICYBRIEF_CACHE", "")}
    try:
        return build_key(parameters, Path(args.corpus), lexicons, PROJECT_DIR / "notebooks") if Path(args.corpus).is_dir() else None
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        key = None
        if args.command == "report":
            key = _build_key(args)
            if key and up_to_date(Path(args.out), key):
                print(f"policybrief: {Path(args.out) / 'briefing.pdf'} is up to date: no input, parameter or code "
                      "changed since it was built", file=sys.stderr)
                return 0
        # A build keeps millions of small objects alive (evidence rows, term lists). With Python's default
        # thresholds the cyclic collector walks all of them again and again: a tenth of the time at 10,000
        # documents. Reference counting still frees them; the rare cycles wait for a later, larger collection.
        gc.set_threshold(100_000, 50, 100)
        from policybrief.report import BuildOptions, build_report, build_tables_only

        options = BuildOptions(corpus=Path(args.corpus), out=Path(args.out), start=args.start or None, end=args.end or None)
        if args.themes:
            options.themes_path = Path(args.themes)
        if args.actors:
            options.actors_path = Path(args.actors)
        if args.command == "tables":
            build_tables_only(options)
        else:
            options.title = args.title or DEFAULT_TITLE
            options.stamp = args.stamp or None
            options.paper = args.paper
            options.build_key = key
            build_report(options)
    except BriefingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except OSError as exc:  # disk full, permission denied: the file and the reason, not a traceback
        if os.environ.get("VERBOSE") == "1":
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: could not write or read {where}{exc.strerror or exc}; the previous briefing is unchanged",
              file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("error: interrupted; the previous briefing and tables are unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: still one line unless asked for more
        if os.environ.get("VERBOSE") == "1":
            traceback.print_exc()
        print(f"error: unexpected failure: {type(exc).__name__}: {exc} (run with VERBOSE=1 for the traceback)", file=sys.stderr)
        return EXIT_FAILURE
    return 0
