"""Benchmark: synthetic corpora of 1,000 and 10,000 documents, ``make tables`` on each, and a baseline.

The corpora recombine sentences of the seed corpus (deterministically, from a seed) with dates spread
over two years. The baseline does the same counting the straightforward way — one regular
expression per term for themes and actors, scikit-learn's TfidfVectorizer and cosine — so that our
time can be reported as a ratio of it, which is steadier than seconds on a shared machine.
"""

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from policybrief.log import logger
from policybrief.paths import CACHE_VARIABLE, PROJECT_DIR

SENTENCES_PER_DOCUMENT = (20, 80)
FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 730


def generate(seed_folder: Path, target: Path, documents: int, seed: int = 7) -> Path:
    """Write ``documents`` synthetic documents and their metadata.csv into ``target`` (reused if complete)."""
    from policybrief.corpus import load_corpus

    marker = target / ".complete"
    if marker.is_file() and marker.read_text() == f"{documents} {seed}":
        return target
    corpus = load_corpus(seed_folder, cache_dir=None)
    sentences = [
        d.full_text[s:e]
        for d in corpus.documents
        for s, e in d.sentence_spans
        if len(d.full_text[s:e].split()) >= 6
    ]
    sources = sorted({d.source for d in corpus.documents if d.source})
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    rows = ["file,title,source,date"]
    for number in range(documents):
        count = rng.randint(*SENTENCES_PER_DOCUMENT)
        picked = [rng.choice(sentences) for _ in range(count)]
        paragraphs = [" ".join(picked[i : i + 4]) for i in range(0, count, 4)]
        name = f"doc{number:05d}.txt"
        (target / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        rows.append(f'{name},"Synthetic document {number}","{rng.choice(sources)}",{day.isoformat()}')
    (target / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    marker.write_text(f"{documents} {seed}")
    return target


def corpus_size(folder: Path) -> tuple[int, float]:
    files = [p for p in folder.glob("*.txt")]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def _tree_memory(root: int) -> int:
    """Memory (bytes) of a process and all its descendants, read from /proc.

    Each process counts its proportional set size (PSS): a page shared by forked workers is divided
    among them, not counted once per process as summed RSS would.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            continue
    return total


def time_tables(
    folder: Path, out: Path, cache: Path, scheduler: str | None = None, workers: tuple[int, ...] = ()
) -> dict:
    """Run ``python -m policybrief tables`` in a child process: wall time and peak memory (PSS) of the process
    tree — the main process and its workers, and the ``workers`` processes of a cluster — sampled every
    0.5 s."""
    env = {**os.environ, CACHE_VARIABLE: str(cache)}
    env.pop("DASK_SCHEDULER_ADDRESS", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "policybrief", "tables", "--corpus", str(folder), "--out", str(out)]
        + (["--scheduler", scheduler] if scheduler else []),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_DIR,
    )
    peak = 0
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(process.stderr or ()), daemon=True)
    reader.start()
    while process.poll() is None:
        peak = max(peak, sum(_tree_memory(pid) for pid in (process.pid, *workers)))
        time.sleep(0.5)
    wall = time.perf_counter() - start
    reader.join()
    if process.returncode != 0:
        raise SystemExit(f"make tables failed on {folder}: {(stderr or ['no output'])[-1].strip()}")
    return {"wall_s": round(wall, 2), "peak_mib": round(peak / 2**20, 1)}


# Above this many documents the baseline runs on the first this-many and its time is scaled to the corpus:
# at 100,000 documents it would take hours (its cosine is quadratic; the scaling is linear, so the ratio
# printed flatters the baseline, not us).
BASELINE_MAX_DOCUMENTS = 10_000


def baseline(folder: Path, limit: int = BASELINE_MAX_DOCUMENTS) -> tuple[float, bool]:
    """The straightforward way: one regex per term, TfidfVectorizer, cosine. Returns seconds, and whether
    they are scaled up from the first ``limit`` documents."""
    import yaml
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    start = time.perf_counter()
    files = sorted(folder.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files[:limit]]
    themes = yaml.safe_load((PROJECT_DIR / "config" / "themes.yaml").read_text())["themes"]
    actors = yaml.safe_load((PROJECT_DIR / "config" / "actors.yaml").read_text())["actors"]
    terms = [t for theme in themes.values() for t in theme["terms"]]
    terms += [
        n
        for actor in actors.values()
        for n in [actor["name"], *actor.get("aliases", []), *actor.get("short", [])]
    ]
    patterns = [re.compile(r"\b" + re.escape(t).replace(r"\*", r"\w*") + r"\b", re.I) for t in terms]
    counts = [[len(p.findall(text)) for p in patterns] for text in texts]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2)).fit_transform(texts)
    if len(texts) <= 2000:
        cosine_similarity(matrix)
    else:  # the full matrix would not fit; the same work in row blocks
        for begin in range(0, len(texts), 1000):
            cosine_similarity(matrix[begin : begin + 1000], matrix)
    assert len(counts) == len(texts)
    return (time.perf_counter() - start) * len(files) / max(1, len(texts)), len(files) > len(texts)


def run_bench(sizes: list[int], out: Path, work: Path = PROJECT_DIR / "bench") -> list[dict]:
    """``policybrief bench``: for each size, a synthetic corpus, ``policybrief tables`` on it, and the
    baseline; the figures are logged and written to ``out/bench.json``."""
    results = []
    for size in sizes:
        folder = generate(PROJECT_DIR / "data", work / f"corpus-{size}", size)
        documents, megabytes = corpus_size(folder)
        logger.info("bench: %s documents, %.1f MB — running policybrief tables", f"{documents:,}", megabytes)
        ours = time_tables(folder, work / f"out-{size}", work / f"cache-{size}-{time.time_ns()}")
        base, scaled = baseline(folder)
        row = {
            "documents": documents,
            "megabytes": round(megabytes, 2),
            **ours,
            "documents_per_s": round(documents / ours["wall_s"], 1),
            "mb_per_s": round(megabytes / ours["wall_s"], 2),
            "baseline_s": round(base, 2),
            "baseline_scaled_from": BASELINE_MAX_DOCUMENTS if scaled else None,
            "ratio_to_baseline": round(ours["wall_s"] / base, 2),
        }
        results.append(row)
        logger.info(
            f"{documents:>7,} docs  {ours['wall_s']:>7.2f} s  {row['documents_per_s']:>8.1f} docs/s  "
            f"{row['mb_per_s']:>6.2f} MB/s  peak {ours['peak_mib']:>7.1f} MiB  baseline {base:>7.2f} s"
            f"{f' (scaled from {BASELINE_MAX_DOCUMENTS:,} documents)' if scaled else ''}  "
            f"ratio {row['ratio_to_baseline']:.2f}"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps({"results": results, "cpus": os.cpu_count()}, indent=2) + "\n")
    return results


@contextmanager
def local_dask_cluster(folder: Path, workers: int = 2) -> Iterator[tuple[str, str, tuple[int, ...]]]:
    """A scheduler and ``workers`` single-threaded worker processes on 127.0.0.1 only, started with the
    ``dask`` command as the README tells a user to: yields (scheduler address, dashboard address, pids of the
    scheduler and worker processes), and stops them after."""
    folder.mkdir(parents=True, exist_ok=True)
    contact = folder / "scheduler.json"
    contact.unlink(missing_ok=True)
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"}
    dask = [sys.executable, "-m", "dask"]
    logs = open(folder / "cluster.log", "w")  # closed below, after the processes
    processes = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", "0"]
            + ["--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(contact)],
            env=env,
            stdout=logs,
            stderr=logs,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not contact.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        if not contact.is_file():
            raise SystemExit(f"bench: the Dask scheduler did not start (see {folder / 'cluster.log'})")
        details = json.loads(contact.read_text())
        address, dashboard = details["address"], details.get("services", {}).get("dashboard")
        processes.append(
            subprocess.Popen(
                [*dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1"]
                + ["--host", "127.0.0.1", "--no-dashboard"],
                env=env,
                stdout=logs,
                stderr=logs,
            )
        )
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        yield (
            address,
            f"http://127.0.0.1:{dashboard}/status" if dashboard else "none",
            tuple(process.pid for process in processes),
        )
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        logs.close()


def run_cluster_bench(size: int, out: Path, work: Path = PROJECT_DIR / "bench") -> dict:
    """``policybrief bench --cluster``: ``tables`` on a corpus of ``size`` documents in the embedded engine,
    then on a scheduler and two worker processes on 127.0.0.1; every table must be the same."""
    from policybrief.build.differences import table_differences

    folder = generate(PROJECT_DIR / "data", work / f"corpus-{size}", size)
    logger.info("bench: %s documents — embedded engine", f"{size:,}")
    embedded = time_tables(folder, work / f"out-{size}", work / f"cache-{size}-{time.time_ns()}")
    with local_dask_cluster(work / "cluster") as (address, dashboard, pids):
        logger.info("bench: Dask cluster at %s, dashboard %s", address, dashboard)
        cluster = time_tables(
            folder, work / f"out-{size}-cluster", work / f"cache-{size}-{time.time_ns()}", address, pids
        )
    differences = table_differences(work / f"out-{size}" / "tables", work / f"out-{size}-cluster" / "tables")
    row = {"documents": size, "embedded": embedded, "cluster": cluster, "scheduler": address}
    row["dashboard"], row["tables_differ"] = dashboard, differences
    logger.info(
        f"{size:>7,} docs  embedded {embedded['wall_s']:.2f} s, peak {embedded['peak_mib']:.1f} MiB; "
        f"cluster of 2 workers {cluster['wall_s']:.2f} s, peak {cluster['peak_mib']:.1f} MiB (scheduler and "
        f"workers included); tables: {'the same' if not differences else f'{len(differences)} differences'}"
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-cluster.json").write_text(json.dumps(row, indent=2) + "\n")
    if differences:
        raise SystemExit(
            "bench: the cluster's tables differ from the embedded run's:\n" + "\n".join(differences)
        )
    return row
