"""Every default path in one place: the project's folders, the shipped lexicons and the cache.

Paths are relative to the source checkout (the folder holding ``config/`` and ``notebooks/``); nothing is
read from the environment at import, so importing a module never depends on where it is imported.
"""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
CONFIG_DIR = PROJECT_DIR / "config"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "build" / "templates"
SEED_CORPUS = PROJECT_DIR / "data"
VALIDATION_DIR = PROJECT_DIR / "validation"
README_FILE = PROJECT_DIR / "README.md"

THEMES_FILE = CONFIG_DIR / "themes.yaml"
ACTORS_FILE = CONFIG_DIR / "actors.yaml"
CLEANING_FILE = CONFIG_DIR / "cleaning.yaml"

CACHE_VARIABLE = "POLICYBRIEF_CACHE"


def cache_dir() -> Path:
    """Where per-document results are cached: ``$POLICYBRIEF_CACHE`` when set (read now, not at import),
    else ``.cache`` in the project."""
    return Path(os.environ.get(CACHE_VARIABLE) or PROJECT_DIR / ".cache")
