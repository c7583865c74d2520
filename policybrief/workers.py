"""Worker processes for the notebooks and the table writers (the per-document stages run on the engine).

Ctrl-C is left to the main process: workers ignore it, and the main process stops them at once, so
the user sees one line, not a traceback from every worker.

Workers are forked (as Linux has always done; Python 3.14 changes the default): the table writers read
the tables the main process holds instead of receiving a copy of each.
"""

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def process_pool(workers: int | None = None) -> Iterator[ProcessPoolExecutor]:
    """Forked worker processes that leave Ctrl-C to the main process; stopped at once if the caller fails."""
    pool = ProcessPoolExecutor(
        max_workers=workers or os.cpu_count(),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_ignore_ctrl_c,
    )
    try:
        yield pool
    except BaseException:
        for process in list((pool._processes or {}).values()):  # no public way to stop running workers
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _run_task(task: Callable[[], None], report: Connection) -> None:
    _ignore_ctrl_c()
    try:
        task()
        report.send(None)
    except BaseException as exc:  # sent to the parent, which raises it
        try:
            report.send(exc)
        except Exception:  # an exception that cannot be pickled: its text
            report.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        report.close()


def run_forked(tasks: list[Callable[[], None]]) -> None:
    """Run each task in its own forked child process, all at once, and wait for them.

    The children see the parent's memory (the tables being written) without a copy and without pickling:
    the task and what it refers to are inherited by the fork, not passed through module state. The first
    failure is raised here; Ctrl-C stops every child.
    """
    context = multiprocessing.get_context("fork")
    children, reports = [], []
    for task in tasks:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_run_task, args=(task, sender), daemon=True)
        child.start()
        sender.close()
        children.append(child)
        reports.append(receiver)
    try:
        outcomes = []
        for child, receiver in zip(children, reports, strict=True):
            try:
                outcomes.append(receiver.recv())
            except EOFError:  # killed before it could say anything
                child.join()
                outcomes.append(RuntimeError(f"a worker process died (exit status {child.exitcode})"))
    except BaseException:
        for child in children:
            child.terminate()
        raise
    finally:
        for child in children:
            child.join()
    failure = next((outcome for outcome in outcomes if outcome is not None), None)
    if failure is not None:
        raise failure
