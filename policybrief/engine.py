"""Where the per-document work runs: in this process, on a Dask ``LocalCluster`` sized to this machine, or on
an existing Dask cluster (``--scheduler`` / ``SCHEDULER=`` / ``DASK_SCHEDULER_ADDRESS``).

Every per-document stage is a function over one partition of documents. The engine maps it over the
partitions and hands back each partition's result in partition order, whatever order they finished in, so
a build gives the same tables in-process and on a cluster. Retries after a lost worker, the progress bar
and the dashboard are Dask's.

Below ``LOCAL_CLUSTER_FROM`` documents, starting worker processes costs more than they save (measured: see
the README's "Running on a cluster"), so the work runs here.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyarrow as pa

from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.memory import many_objects

LOCAL_CLUSTER_FROM = 4_000  # documents

# Arrow's default allocator (mimalloc) keeps the pages of every freed partition table for reuse; the
# system allocator returns them. Measured at 10,000 documents: each worker 500 -> 390 MiB, the whole
# process tree 2,008-2,070 -> 1,785 MiB, at the same speed.
ARROW_POOL = "system"

LOGGED_FROM = 50  # partitions: a stage over fewer says only when it starts and ends
CONNECT_TIMEOUT = 5  # seconds to reach a scheduler: an unreachable one fails the build in under 10 s


def scheduler_address(scheduler: str | None) -> str | None:
    """The scheduler to use: the option, else ``DASK_SCHEDULER_ADDRESS``, else none (this machine)."""
    return scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


def _cores() -> int:
    """The cores this process may use: its CPU affinity where the system has one (a container's limit)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _quiet_dask_logs() -> None:
    """Dask logs every worker start and stop at INFO; the build's own log says what matters."""
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.ERROR)


class Engine:
    """Runs partition tasks. Use as a context manager: a cluster it started is stopped on exit, and a client
    of a remote cluster is closed (the cluster itself is left running)."""

    def __init__(
        self,
        scheduler: str | None = None,
        local_from: int | None = None,
        workers: int | None = None,
    ):
        self.address = scheduler_address(scheduler)
        self.local_from = LOCAL_CLUSTER_FROM if local_from is None else local_from
        self.workers = workers or _cores()
        self._client: Any = None
        self._cluster: Any = None
        pa.set_memory_pool(pa.system_memory_pool())  # as ARROW_POOL for the workers

    @classmethod
    def in_process(cls) -> Engine:
        """An engine that runs every task in this process, whatever the size or the environment (a notebook,
        a step called on its own)."""
        engine = cls(local_from=sys.maxsize)
        engine.address = None
        return engine

    def __enter__(self) -> Engine:
        if self.address:
            self._connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stop_local_cluster(self) -> None:
        """Stop the local cluster, if this engine started one, once the per-document work is done: its worker
        processes' memory serves the corpus-wide measures (a later map starts it again)."""
        if self._cluster is not None:
            self.close()

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    @property
    def client(self) -> Any:
        """The Dask client, once the engine uses a cluster (None while the work runs in this process)."""
        return self._client

    def _connect(self) -> None:
        from distributed import Client

        _quiet_dask_logs()
        try:
            self._client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, ValueError, TimeoutError) as error:
            raise BriefingError(
                f"cannot reach the Dask scheduler at {self.address}: {_first_line(error)}"
            ) from None
        logger.info("running on the Dask cluster at %s (dashboard: %s)", self.address, self.dashboard)

    def _start_local(self) -> None:
        from distributed import Client, LocalCluster

        _quiet_dask_logs()
        self._cluster = LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,  # the per-document work is pure Python: one task per process
            processes=True,
            dashboard_address=":0",  # any free port: 8787 may be a cluster of the user's own
            silence_logs=logging.ERROR,
            env={"ARROW_DEFAULT_MEMORY_POOL": ARROW_POOL},
        )
        self._client = Client(self._cluster, set_as_default=False)
        logger.info("  started a local Dask cluster of %d worker processes", self.workers)

    @property
    def dashboard(self) -> str:
        if self._client is None:
            return "none (running in this process)"
        return self._client.dashboard_link or "none (install bokeh on the scheduler for one)"

    def uses_cluster(self, documents: int) -> bool:
        """Does a stage over this many documents run on a cluster (starting the local one if need be)?"""
        if self._client is None and not self.address and documents >= self.local_from and self.workers > 1:
            self._start_local()
        return self._client is not None

    def map(
        self,
        function: Callable[..., Any],
        items: Iterable[Any],
        *,
        documents: int,
        name: str,
        sizes: list[int] | None = None,
        **shared: Any,
    ) -> Iterator[Any]:
        """``function(item, **shared)`` for each item, in item order. ``shared`` values (rules, lexicons) go
        to each worker once, not with every task; ``name`` labels the tasks on the dashboard. On a cluster
        the items with the largest ``sizes`` (documents in a partition) run first, see ``_map_on_cluster``.
        """
        items = list(items)
        if not self.uses_cluster(documents):
            for item in items:
                yield function(item, **shared)
            return
        yield from self._map_on_cluster(function, items, name, shared, sizes or [1] * len(items))

    def _map_on_cluster(
        self,
        function: Callable[..., Any],
        items: list[Any],
        name: str,
        shared: dict[str, Any],
        sizes: list[int],
    ) -> Iterator[Any]:
        """The tasks, largest first: partitions range from a few documents to four times the average, and a
        large one started last would leave the other workers idle at the end of the stage (longest
        processing time first). Results still come back in item order."""
        from distributed import KilledWorker, as_completed
        from distributed.client import FutureCancelledError
        from distributed.comm.core import CommClosedError

        client = self._client
        run = uuid.uuid4().hex
        # shared values as tasks, not scattered data: a task's result lost with a killed worker is computed
        # again, scattered data is lost for good and cancels every task that needs it
        sent = {
            key: client.submit(_shared, value, key=f"{name}-{key}-{run}", pure=False)
            for key, value in shared.items()
        }
        with warnings.catch_warnings():
            # the graph is the tasks' paths and metadata rows, sent once: its size is expected
            warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
            futures = [
                client.submit(
                    _task, function, item, key=f"{name}-{run}-{i}", priority=size, pure=False, **sent
                )
                for i, (item, size) in enumerate(zip(items, sizes, strict=True))
            ]
        bar = _show_progress(futures)
        place = {future.key: index for index, future in enumerate(futures)}
        finished: dict[int, Any] = {}  # results that came before an earlier partition's
        next_index = 0
        tenths: set[int] = set()
        try:
            for done, future in enumerate(as_completed(futures, loop=client.loop), start=1):
                index = place[future.key]
                try:
                    finished[index] = future.result()
                except KilledWorker as error:
                    raise BriefingError(
                        f"{name}: Dask workers died running partition {index} ({_first_line(error)})"
                    ) from None
                except CommClosedError as error:  # the connection to the scheduler was lost
                    raise BriefingError(f"{name}: lost the Dask cluster ({_first_line(error)})") from None
                except FutureCancelledError as error:  # the cluster gave up on the task
                    raise BriefingError(
                        f"{name}: the Dask cluster cancelled partition {index} ({_first_line(error)})"
                    ) from None
                futures[index] = None  # the cluster may forget it
                future.release()
                tenth = 10 * done // len(futures)
                if not bar and len(futures) >= LOGGED_FROM and tenth not in tenths:
                    tenths.add(tenth)  # a line per tenth where no bar is drawn (make's log, CI)
                    logger.info("  %s: %d of %d partitions", name, done, len(futures))
                while next_index in finished:  # handed back in partition order
                    yield finished.pop(next_index)
                    next_index += 1
        finally:  # stopped early (an error, Ctrl-C): the cluster drops what is left
            if client.status == "running":
                client.cancel([future for future in futures if future is not None] + list(sent.values()))


def _task(function: Callable[..., Any], item: Any, **shared: Any) -> Any:
    """One task on a worker, with the collector's thresholds raised as in the build's own process."""
    with many_objects():
        return function(item, **shared)


def _shared(value: Any) -> Any:
    """A value every task of a map needs, held by the cluster as the result of this task."""
    return value


def _show_progress(futures: list[Any]) -> bool:
    """Dask's own progress bar on a terminal (in a thread: it blocks until the futures are done); False
    elsewhere (CI, make's log), where the bar would be hundreds of carriage returns."""
    if not (sys.stdout.isatty() and logger.isEnabledFor(logging.INFO)):
        return False
    from distributed import progress

    threading.Thread(
        target=progress, args=(futures,), kwargs={"multi": False, "notebook": False}, daemon=True
    ).start()
    return True
