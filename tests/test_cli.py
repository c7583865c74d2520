import subprocess
import sys

from policybrief.paths import PROJECT_DIR


def run(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "policybrief", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**__import__("os").environ, **env},
    )


def test_missing_corpus_is_one_line_and_status_2(tmp_path):
    result = run("tables", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"error: {tmp_path / 'nope'}: corpus folder not found"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_end_before_start_is_an_error(tmp_path):
    result = run("tables", "--out", str(tmp_path / "out"), "--start", "2025-06-01", "--end", "2025-01-01")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "error: END=2025-01-01 is before START=2025-06-01"


TABLES = [
    "actor_appearances",
    "actor_cooccurrence",
    "actor_evidence",
    "actor_mentions",
    "actor_over_time",
    "actor_theme",
    "actor_unresolved",
    "cleaning_log",
    "concordance",
    "data_quality",
    "distinctive_terms",
    "document_map",
    "documents",
    "group_distinctive_terms",
    "key_findings",
    "near_duplicates",
    "period_change",
    "quantities_compared",
    "sentences",
    "stated_quantities",
    "similarity",
    "theme_cooccurrence",
    "theme_corpus_coverage",
    "theme_coverage",
    "theme_evidence",
    "theme_over_time",
    "theme_unmatched_terms",
    "unlisted_names",
]


def test_tables_are_written(tmp_path):
    """Every table as Parquet, and as CSV but for the long ones above --csv-max-rows (the seed corpus has 191
    sentences, 256 theme hits, 357 actor mentions and no unresolved short form)."""
    result = run("tables", "--out", str(tmp_path / "out"), "--csv-max-rows", "10")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out" / "tables").iterdir())
    parquet_only = {"sentences", "theme_evidence", "actor_evidence", "concordance"}
    assert names == sorted(
        f"{table}.{kind}"
        for table in TABLES
        for kind in ("parquet", "csv")
        if kind == "parquet" or table not in parquet_only
    )
    assert "sentences: 191 rows, more than csv_max_rows=10: written as Parquet only" in result.stderr


def test_a_broken_theme_file_is_one_line(tmp_path):
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  a:\n    label: A\n    terms: [war, War]\n", encoding="utf-8")
    result = run("tables", "--out", str(tmp_path / "out"), "--themes", str(bad))
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == f"error: {bad}: theme 'a', term 'War': duplicates the term 'war'"
    )
