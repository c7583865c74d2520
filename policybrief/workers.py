"""Worker processes for running the notebooks side by side (the per-document stages run on the engine).

Ctrl-C is left to the main process: workers ignore it, and the main process stops them at once, so
the user sees one line, not a traceback from every worker.

Workers are forked (as Linux has always done; Python 3.14 changes the default).
"""

import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


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
        # Wait for the pool's manager thread to see them gone: left running, it raced Python's exit hook on
        # CPython 3.11 and printed "OSError: [Errno 9] Bad file descriptor" below the build's last line.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
