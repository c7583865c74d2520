import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policybrief.corpus.rules import CleaningRules
from policybrief.paths import PROJECT_DIR

SEED_DIR = PROJECT_DIR / "data"
STAMP = "2026-01-01 00:00 UTC"


def build(out: Path, *extra: str) -> subprocess.CompletedProcess:
    """``policybrief build`` of the seed corpus into ``out``, with a fixed stamp, as `make report` runs it."""
    command = [
        sys.executable,
        "-m",
        "policybrief",
        "build",
        "--corpus",
        str(SEED_DIR),
        "--out",
        str(out),
        "--stamp",
        STAMP,
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_DIR, timeout=600)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The seed briefing, built once for the end-to-end tests (test_report, test_browser)."""
    out = tmp_path_factory.mktemp("report")
    result = build(out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def rules() -> CleaningRules:
    return CleaningRules.load()


@pytest.fixture
def corpus_dir(tmp_path: Path):
    """Write a small corpus: ``corpus_dir({"a.txt": "text", "metadata.csv": "file,date\\n…"})``."""
    folder = tmp_path / "corpus"
    folder.mkdir()

    def write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def seed_copy(tmp_path: Path):
    """A copy of the seed corpus, optionally without metadata.csv."""

    def copy(with_metadata: bool = True) -> Path:
        target = tmp_path / "seeds"
        shutil.copytree(SEED_DIR, target)
        if not with_metadata:
            (target / "metadata.csv").unlink()
        return target

    return copy


@pytest.fixture
def evidence_frame():
    """An evidence frame from (document, sentence, item) rows, labels as text-ordered categories, as the
    analyses hold their evidence (``table_frame``)."""
    import pandas as pd

    def make(rows: list[tuple[str, int, str]], column: str) -> pd.DataFrame:
        doc_ids, sentences, items = zip(*rows, strict=True)
        return pd.DataFrame(
            {
                "doc_id": pd.Categorical(doc_ids, categories=sorted(set(doc_ids)), ordered=True),
                "sentence_index": sentences,
                column: pd.Categorical(items, categories=sorted(set(items)), ordered=True),
            }
        )

    return make


@pytest.fixture
def evidence_rows():
    """Evidence as the analyses hold it (``PartRows``): (document, sentence, item) rows, split into partitions
    of the given documents (lists of ids, in order)."""
    import pyarrow as pa

    from policybrief.analyses.parts import PartRows

    def make(rows: list[tuple[str, int, str]], column: str, partitions: list[list[str]]) -> PartRows:
        schema = pa.schema([("doc_id", pa.string()), ("sentence_index", pa.int64()), (column, pa.string())])
        tables = [
            [
                pa.Table.from_pylist(
                    [dict(zip(schema.names, row, strict=True)) for row in rows if row[0] in docs], schema
                )
            ]
            for docs in partitions
        ]
        return PartRows(tables, 0, schema, ["doc_id", column])

    return make
