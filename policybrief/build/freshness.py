"""Is the last briefing still current? One digest of every input of a build, checked before any work.

Standard library only, so that ``make report`` with nothing changed answers in well under a second:
no pandas, no notebooks, no Chromium.
"""

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from policybrief import paths
from policybrief.options import Options

OUTPUTS = ("briefing.html", "briefing.pdf", "manifest.json", "tables")
# Tools beside the runtime package: their code changes no briefing.
_NOT_RUNTIME = ("bench.py", "validation/")


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob(pattern)
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def code_files() -> list[Path]:
    """The package's runtime code and templates, in a fixed order."""
    package = paths.PACKAGE_DIR
    return [
        p for p in _files(package, "*.py") if not p.relative_to(package).as_posix().startswith(_NOT_RUNTIME)
    ] + _files(paths.TEMPLATES_DIR, "*")


def build_key(options: Options, notebooks: Path = paths.NOTEBOOKS_DIR) -> str:
    """Digest of the options, every file of the corpus folder, the lexicons, the notebooks, the code, the
    pinned requirements and the Chromium binary: if none changed, the briefing would come out the same."""
    # every option but the output folder (a briefing built elsewhere from the same inputs is the same
    # briefing), with paths resolved, and the cache folder the tables are read from
    parameters = {**options.record(), **options.table_record(), "cache": str(paths.cache_dir())}
    del parameters["out"]
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode())
    groups = [
        ("corpus", options.corpus, _files(options.corpus, "*")),
        ("notebooks", notebooks, _files(notebooks, "*.ipynb")),
        ("code", paths.PACKAGE_DIR, code_files()),
    ]
    for name, root, files in groups:
        for path in files:
            digest.update(f"{name}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    config_files = [options.themes_file, options.actors_file, paths.CLEANING_FILE]
    for path in [*(p.resolve() for p in config_files), paths.PROJECT_DIR / "requirements.txt"]:
        digest.update(f"file:{path}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    chromium = shutil.which(os.environ.get("CHROMIUM") or "chromium") or ""
    digest.update(f"chromium:{chromium}:{os.stat(chromium).st_mtime_ns if chromium else ''}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def up_to_date(out: Path, key: str) -> bool:
    """True when ``out`` holds a complete briefing built from exactly these inputs."""
    try:
        record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record.get("build_key") == key and all((out / name).exists() for name in OUTPUTS)
