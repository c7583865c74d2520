"""Cache keys hash only what a result depends on: editing a chart or a caption rescans nothing; editing the
theme dictionary reruns the theme part only.

The package and its config are copied into a scratch folder and edited there; a child process scans a small
corpus twice with one cache, and the scan's debug log says how many documents each part scanned.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from policybrief.paths import PROJECT_DIR

SCRIPT = """
import logging, sys
import policybrief
from policybrief.analyses.registry import run_analyses
from policybrief.corpus import load_corpus
from policybrief.log import logger
from policybrief.options import Options
assert policybrief.__file__.startswith(sys.argv[2]), policybrief.__file__
logger.addHandler(logging.StreamHandler(sys.stdout))
logger.setLevel(logging.DEBUG)
options = Options(corpus=sys.argv[1])
run_analyses(load_corpus(options.corpus, cache_dir=sys.argv[3]), options, ["comparison"], scan_first=True)
"""
ARTICLE = (
    "President Yoon met Kim Jong Un's envoys in Seoul. Sanctions and the alliance with Washington were "
    "discussed at length, and North Korea's missile tests were condemned by the ministers.\n"
)


def _scanned(copy: Path, corpus: Path, cache: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(corpus), str(copy), str(cache)],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, int] = {}  # the first scan of each part (the analyses' own scans then find it in memory)
    for part, count in re.findall(r"scan: part (\w+): (\d+) of \d+ documents to scan", result.stdout):
        found.setdefault(part, int(count))
    return found


def test_editing_a_view_rescans_nothing_and_a_lexicon_only_its_part(tmp_path, corpus_dir):
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT_DIR / "policybrief", copy / "policybrief", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(PROJECT_DIR / "config", copy / "config")
    corpus = corpus_dir({f"doc{i}.txt": f"Report {i}\n\n" + ARTICLE * (i + 1) for i in range(3)})
    cache = tmp_path / "cache"
    assert _scanned(copy, corpus, cache) == {"themes": 3, "actors": 3, "terms": 3}  # a cold cache: everything
    assert _scanned(copy, corpus, cache) == {"themes": 0, "actors": 0, "terms": 0}

    view = copy / "policybrief" / "views" / "themes.py"
    view.write_text(view.read_text().replace("Theme hits per document.", "Theme hits in each document."))
    present = copy / "policybrief" / "views" / "present.py"
    present.write_text(present.read_text() + "\n# an edited chart helper\n")
    assert _scanned(copy, corpus, cache) == {"themes": 0, "actors": 0, "terms": 0}

    themes = copy / "config" / "themes.yaml"
    themes.write_text(
        themes.read_text().replace("terms: [alliance,", "terms: [summit diplomacy, alliance,", 1)
    )
    assert _scanned(copy, corpus, cache) == {"themes": 3, "actors": 0, "terms": 0}
