"""The engine: the same tables in this process and on a LocalCluster of two worker processes, a worker killed
mid-build, a task that keeps killing its workers, and an unreachable scheduler."""

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from policybrief.analyses.registry import all_tables, run_analyses
from policybrief.analyses.schemas import whole
from policybrief.bench import generate
from policybrief.corpus import load, partitions
from policybrief.corpus.load import load_corpus
from policybrief.engine import Engine
from policybrief.errors import BriefingError
from policybrief.options import Options
from policybrief.paths import PROJECT_DIR

DOCUMENTS = 24


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory):
    return generate(PROJECT_DIR / "data", tmp_path_factory.mktemp("corpus") / "c", DOCUMENTS)


@pytest.fixture
def small_partitions(monkeypatch):
    """Partitions of about three documents, so that a small corpus makes several tasks."""
    monkeypatch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=3))


def _tables(folder, cache, engine=None) -> dict[str, pd.DataFrame]:
    corpus = load_corpus(folder, cache_dir=cache, engine=engine)
    assert len(corpus.partitions) >= 4
    return whole(all_tables(run_analyses(corpus, Options(corpus=folder), scan_first=True, engine=engine)))


@pytest.fixture(scope="module")
def in_process(corpus_folder, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "partition_bounds", functools.partial(partitions.partition_bounds, size=3))
        return _tables(corpus_folder, tmp_path_factory.mktemp("cache"))


def _assert_same(tables: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert sorted(tables) == sorted(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(tables[name], frame, obj=name)


def _kill(engine: Engine, address: str) -> str:
    """Kill a worker process of the local cluster, as the kernel's out-of-memory killer would."""
    os.kill(engine.client.run(os.getpid, workers=[address])[address], signal.SIGKILL)
    return address


def _cluster_engine() -> Engine:
    engine = Engine(local_from=0, workers=2)
    assert engine.uses_cluster(1)  # starts the local cluster: two worker processes
    assert len(engine.client.scheduler_info()["workers"]) == 2
    return engine


def test_a_local_cluster_gives_the_tables_of_the_in_process_run(
    corpus_folder, in_process, small_partitions, tmp_path
):
    with _cluster_engine() as engine:
        tables = _tables(corpus_folder, tmp_path / "cache", engine)
    _assert_same(tables, in_process)
    assert len(in_process["documents.csv"]) == DOCUMENTS


def test_a_worker_killed_mid_build_costs_its_work_not_the_build(
    corpus_folder, in_process, small_partitions, tmp_path, monkeypatch
):
    killed = []
    on_cluster = Engine._map_on_cluster

    def kill_after_first_result(self, *args):
        """Kill a worker once the first partition is back: the others' results, done or not, held by that
        worker are lost and Dask computes them again."""
        results = on_cluster(self, *args)
        yield next(results)
        if not killed:
            killed.append(_kill(self, sorted(self.client.scheduler_info()["workers"])[0]))
        yield from results

    monkeypatch.setattr(Engine, "_map_on_cluster", kill_after_first_result)
    with _cluster_engine() as engine:
        tables = _tables(corpus_folder, tmp_path / "cache", engine)
    assert killed
    _assert_same(tables, in_process)


def test_a_task_whose_workers_keep_dying_fails_the_build_in_one_line():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with _cluster_engine() as engine:
            outcome: list[BaseException] = []

            def run() -> None:
                try:
                    list(engine.map(time.sleep, [5, 5], documents=2, name="sleepy"))
                except BaseException as error:
                    outcome.append(error)

            thread = threading.Thread(target=run)
            thread.start()
            deadline = time.monotonic() + 20
            while not any(engine.client.processing().values()) and time.monotonic() < deadline:
                time.sleep(0.05)
            busy = next(address for address, keys in engine.client.processing().items() if keys)
            _kill(engine, busy)
            thread.join(timeout=30)
    [failure] = outcome
    assert isinstance(failure, BriefingError)
    message = str(failure)
    assert message.startswith("sleepy: Dask workers died running partition ") and "\n" not in message


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_an_unreachable_scheduler_is_one_line_within_ten_seconds(tmp_path, how):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "previous.csv").write_text("kept\n")
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    command = [sys.executable, "-m", "policybrief", "tables", "--corpus", str(PROJECT_DIR / "data")]
    command += ["--out", str(out)] + (["--scheduler", address] if how == "flag" else [])
    env = {**os.environ, **({"DASK_SCHEDULER_ADDRESS": address} if how == "environment" else {})}
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert time.monotonic() - started < 10
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: cannot reach the Dask scheduler at {address}: "), result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "tables" / "previous.csv").read_text() == "kept\n"


def test_freed_heap_pages_go_back_to_the_system():
    """Many small objects freed leave their pages in the heap; release_memory returns them (glibc)."""
    from policybrief.memory import _malloc_trim, release_memory

    if _malloc_trim() is None:
        pytest.skip("this C library has no malloc_trim")

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    held = [bytearray(1000) for _ in range(200_000)]  # 200 MB in small blocks, all in the heap
    del held[:-1]  # the last one keeps the top of the heap in use: only a trim reaches the pages below it
    before = resident()
    release_memory()
    assert before - resident() > 100 * 2**20


def test_a_task_runs_with_the_collectors_thresholds_raised_and_restores_them():
    import gc

    from policybrief import engine

    before = gc.get_threshold()
    seen = engine._task(lambda item, offset: (item + offset, gc.get_threshold()), 2, offset=3)
    assert seen == (5, (100_000, 50, 100))
    assert gc.get_threshold() == before
