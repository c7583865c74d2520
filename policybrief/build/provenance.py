"""What makes a briefing what it is: input hashes, parameters, versions (``manifest.json``)."""

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from policybrief import __version__
from policybrief.analyses.overview import summary
from policybrief.build.freshness import code_files
from policybrief.corpus.metadata import metadata_path
from policybrief.corpus.model import Corpus
from policybrief.options import Options
from policybrief.paths import CLEANING_FILE, PROJECT_DIR

PACKAGES = [
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "statsmodels",
    "altair",
    "vl-convert-python",
    "papermill",
    "nbconvert",
    "nbformat",
    "trafilatura",
    "wordfreq",
    "rapidfuzz",
    "pypdf",
    "pyyaml",
]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", ""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(path.relative_to(PROJECT_DIR).as_posix().encode() + path.read_bytes())
    return (
        f"git {commit[:12]}{' (with uncommitted changes)' if dirty else ''}; " if commit else ""
    ) + f"policybrief {__version__}, source sha256 {digest.hexdigest()[:16]}"


def _portable(value: object) -> object:
    """A path inside the project relative to it (``config/themes.yaml``); any other value as it is."""
    if isinstance(value, str) and Path(value).is_absolute() and Path(value).is_relative_to(PROJECT_DIR):
        return Path(value).relative_to(PROJECT_DIR).as_posix()
    return value


def manifest(corpus: Corpus, options: Options, chromium_version: str) -> dict:
    """Inputs with their hashes, the parameters, the versions: what makes this briefing what it is."""
    inputs = [{"file": d.file, "sha256": d.sha256} for d in sorted(corpus.documents, key=lambda d: d.file)]
    metadata_file = metadata_path(Path(options.corpus))
    lexicons = {
        name: {"path": str(path), "sha256": _sha256(Path(path))}
        for name, path in (
            ("cleaning", CLEANING_FILE),
            ("themes", options.themes_file),
            ("actors", options.actors_file),
        )
    }
    versions = {"python": platform.python_version(), "chromium": chromium_version}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "corpus": {
            "folder": str(options.corpus),
            "documents": inputs,
            "metadata_file": metadata_file.name if metadata_file else None,
            "metadata_sha256": _sha256(metadata_file) if metadata_file else None,
            "skipped_or_outside_window": sorted(d.file for d in corpus.outside_window),
        },
        "lexicons": lexicons,
        # where the briefing is written is not one of its inputs: two builds to two folders are the same
        # briefing; paths inside the project are given relative to it, so two checkouts agree too
        "parameters": {name: _portable(value) for name, value in options.record().items() if name != "out"},
        "policybrief": __version__,
        "versions": versions,
        "code": _code_version(),
        "summary": summary(corpus),
    }
