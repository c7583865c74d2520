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


def test_tables_are_written(tmp_path):
    result = run("tables", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out" / "tables").iterdir())
    assert names == [
        "actor_appearances.csv",
        "actor_cooccurrence.csv",
        "actor_evidence.csv",
        "actor_mentions.csv",
        "actor_over_time.csv",
        "actor_theme.csv",
        "actor_unresolved.csv",
        "cleaning_log.csv",
        "data_quality.csv",
        "distinctive_terms.csv",
        "document_map.csv",
        "documents.csv",
        "group_distinctive_terms.csv",
        "key_findings.csv",
        "near_duplicates.csv",
        "period_change.csv",
        "sentences.csv",
        "similarity.csv",
        "theme_cooccurrence.csv",
        "theme_corpus_coverage.csv",
        "theme_coverage.csv",
        "theme_evidence.csv",
        "theme_over_time.csv",
        "theme_unmatched_terms.csv",
        "unlisted_names.csv",
    ]


def test_a_broken_theme_file_is_one_line(tmp_path):
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  a:\n    label: A\n    terms: [war, War]\n", encoding="utf-8")
    result = run("tables", "--out", str(tmp_path / "out"), "--themes", str(bad))
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == f"error: {bad}: theme 'a', term 'War': duplicates the term 'war'"
    )
