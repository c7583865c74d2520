"""Running the analysis notebooks with papermill, each with the build's ``Options``.

Every notebook gets every option (its parameter cell declares the ones a reader is likely to change; the
rest keep their defaults when it runs alone). A parameter a notebook declares that ``Options`` does not know
is an error naming it, so a misspelt parameter never silently keeps its default.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.options import Options
from policybrief.workers import process_pool


def notebook_paths(folder: Path) -> list[Path]:
    paths = sorted(p for p in folder.glob("[0-9]*.ipynb"))
    if not paths:
        raise BriefingError(f"{folder}: no notebooks (expected files like 00_corpus.ipynb)")
    return paths


def declared_parameters(path: Path) -> list[str]:
    """The names a notebook's parameters cell assigns, in order."""
    import papermill

    return list(papermill.inspect_notebook(str(path)))


def check_parameters(paths: list[Path]) -> None:
    """Every parameter a notebook declares must be an option."""
    known = set(Options.names())
    for path in paths:
        unknown = [name for name in declared_parameters(path) if name not in known]
        if unknown:
            raise BriefingError(
                f"notebook {path.name}: parameter {unknown[0]!r} is not an option of the build "
                f"(policybrief/options.py); rename it or add it to Options"
            )


def _silence_stderr() -> None:
    """Point this worker's standard error, which the kernels it starts inherit, at /dev/null: what goes wrong
    comes back as one line, and after Ctrl-C a stopped worker or a kernel left running must not print after
    the build's last line (once one did: "OSError: [Errno 9] Bad file descriptor" below "error:
    interrupted")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _execute_notebook(path: Path, output: Path, parameters: dict[str, Any]) -> str | None:
    """Run one notebook with the build's options; the error as one line, or None."""
    import papermill  # notebook machinery is imported only when a briefing is built, not for `make tables`

    # papermill warns about each option a notebook does not declare: every notebook gets all of them, on
    # purpose
    logging.getLogger("papermill").setLevel(logging.ERROR)
    _silence_stderr()
    try:
        papermill.execute_notebook(
            str(path),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            language="python",
            cwd=str(path.parent),
            progress_bar=False,
            log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except papermill.PapermillExecutionError as exc:
        detail = exc.evalue.strip().splitlines()[-1] if exc.evalue.strip() else exc.ename
        return f"notebook {path.name} failed in {_failed_cell(output)}: {exc.ename}: {detail}"
    except Exception as exc:  # kernel died, bad notebook JSON, missing kernel
        return f"notebook {path.name} could not be run: {type(exc).__name__}: {exc}"
    return None


def notebook_parameters(options: Options) -> dict[str, Any]:
    """The options as a notebook receives them: plain values, paths absolute."""
    record = options.record()
    for name in ("corpus", "out", "themes_file", "actors_file"):
        record[name] = str(Path(getattr(options, name)).resolve())
    return record


def run_notebooks(options: Options, folder: Path, target: Path) -> list:
    """Execute the notebooks of ``folder``, several at once on a multi-core machine (each is independent and
    reads the cached analyses); a failure names the notebook and cell."""
    import nbformat

    target.mkdir(parents=True, exist_ok=True)
    paths = notebook_paths(folder)
    check_parameters(paths)
    parameters = notebook_parameters(options)
    at_once = max(1, min(len(paths), os.cpu_count() or 1))
    logger.info("running %d notebooks, %d at a time", len(paths), at_once)
    errors = {}
    with process_pool(at_once) as pool:
        running = {
            pool.submit(_execute_notebook, path, target / path.name, parameters): path for path in paths
        }
        for done, future in enumerate(as_completed(running), start=1):
            path = running[future]
            error = future.result()
            if error:
                errors[path] = error
            logger.info("  [%d/%d] %s %s", done, len(paths), path.name, "failed" if error else "done")
    if errors:
        raise BriefingError(errors[min(errors)])
    return [(path, nbformat.read(target / path.name, as_version=4)) for path in paths]


def _failed_cell(executed_path: Path) -> str:
    """Where a notebook failed, counted as in the notebook the user wrote (papermill's injected cell
    skipped)."""
    import nbformat

    notebook = nbformat.read(executed_path, as_version=4)
    code_cells = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    for number, cell in enumerate(code_cells, start=1):
        if any(o.output_type == "error" for o in cell.get("outputs", [])):
            first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            return f"code cell {number} ({first_line[:60]!r})"
    return "a code cell"
