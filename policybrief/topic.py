"""A topic folder: an analyst's own corpus, lexicons and settings in one place, built with
``policybrief build FOLDER``.

    FOLDER/briefing.yaml          title, subtitle, split date, presence rule, paper size
    FOLDER/data/                  the documents, and metadata.csv or metadata.xlsx
    FOLDER/config/themes.yaml     the theme dictionary
    FOLDER/config/actors.yaml     the actor list
    FOLDER/config/suggested.yaml  what ``policybrief suggest`` proposes (never read by a build)
    FOLDER/reports/               the briefing and its tables

Settings come from ``briefing.yaml``; the command line and make variables override each. A topic's briefing
never falls back on the default corpus's title: without one, it is named after the folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policybrief import paths
from policybrief.config import load_checked
from policybrief.errors import BriefingError
from policybrief.options import Options

SETTINGS_FILE = "briefing.yaml"
SCHEMA_DIR = paths.CONFIG_DIR / "schema"


@dataclass(frozen=True)
class TopicLayout:
    """Where each part of a topic folder is."""

    folder: Path

    @property
    def settings(self) -> Path:
        return self.folder / SETTINGS_FILE

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def config(self) -> Path:
        return self.folder / "config"

    @property
    def themes(self) -> Path:
        return self.config / "themes.yaml"

    @property
    def actors(self) -> Path:
        return self.config / "actors.yaml"

    @property
    def suggested(self) -> Path:
        return self.config / "suggested.yaml"

    @property
    def out(self) -> Path:
        return self.folder / "reports"


def settings_of(layout: TopicLayout) -> dict[str, Any]:
    """The settings in the topic's ``briefing.yaml`` (none when there is no such file); a file that does not
    match its schema stops here with every problem, each naming its line."""
    if not layout.settings.is_file():
        return {}
    return load_checked(layout.settings, SCHEMA_DIR / "briefing.schema.json")


def topic_options(folder: Path, given: dict[str, Any] | None = None, settings: bool = True) -> Options:
    """The options of a build of ``folder``: its layout's paths, then its settings (unless ``settings`` is
    false: ``check`` reads them itself, to report every problem), then ``given`` (the command line's), each
    overriding the one before."""
    if not folder.is_dir():
        raise BriefingError(f"{folder}: topic folder not found (make one with: policybrief init {folder})")
    layout = TopicLayout(folder)
    values: dict[str, Any] = {
        "corpus": layout.data,
        "out": layout.out,
        "themes_file": layout.themes,
        "actors_file": layout.actors,
        "title": f"{folder.resolve().name.replace('_', ' ').replace('-', ' ').title()}: Corpus Briefing",
    }
    if settings:
        values.update(settings_of(layout))
    values.update(given or {})
    return Options(**values)
