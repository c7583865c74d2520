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

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
OUTPUTS = ("briefing.html", "briefing.pdf", "manifest.json", "tables")


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def build_key(parameters: dict, corpus: Path, config_files: list[Path], notebooks: Path) -> str:
    """Digest of the parameters, every file of the corpus folder, the lexicons, the notebooks, the code,
    the pinned requirements and the Chromium binary: if none changed, the briefing would come out the same."""
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode())
    groups = [("corpus", corpus, _files(corpus, "*")), ("notebooks", notebooks, _files(notebooks, "*.ipynb")),
              ("code", PACKAGE_DIR, _files(PACKAGE_DIR, "*.py") + _files(PACKAGE_DIR / "templates", "*"))]
    for name, root, paths in groups:
        for path in paths:
            digest.update(f"{name}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in [*(p.resolve() for p in config_files), PROJECT_DIR / "requirements.txt"]:
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
