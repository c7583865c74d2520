"""``policybrief init FOLDER --title "..."``: a new topic folder, ready for documents (see ``topic.py``).

The starter lexicons are valid as they stand, so the folder builds at once; their comments show every rule.
The actor list's word lists (titles, words that are never names, speech verbs...) are copied from the shipped
list: they are about English, not about the default corpus's topic.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from policybrief import paths
from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.topic import TopicLayout

STARTERS = paths.TEMPLATES_DIR / "topic"
METADATA_COLUMNS = "file,title,source,author,date,url\n"


def _word_lists() -> str:
    """The shipped actor list up to its ``actors:`` section: the comments and the general word lists."""
    lines = paths.ACTORS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("actors:")), len(lines))
    return "".join(lines[:start])


def init_topic(folder: Path, title: str) -> TopicLayout:
    """Write the topic folder's files; an existing topic folder is left alone."""
    layout = TopicLayout(folder)
    if layout.settings.exists() or layout.themes.exists() or layout.actors.exists():
        raise BriefingError(
            f"{folder}: already holds a topic ({layout.settings.name} or config/): nothing written"
        )
    if not title.strip():
        raise BriefingError('init: give the briefing a title (--title "...")')
    layout.data.mkdir(parents=True, exist_ok=True)
    layout.config.mkdir(parents=True, exist_ok=True)
    quoted = json.dumps(title.strip(), ensure_ascii=False)  # a JSON string is a YAML string, any characters
    split = f"{dt.date.today().year}-01-01"
    settings = (STARTERS / "briefing.yaml").read_text(encoding="utf-8")
    layout.settings.write_text(
        settings.replace("__TITLE__", quoted).replace("__SPLIT_DATE__", split), "utf-8"
    )
    layout.themes.write_text((STARTERS / "themes.yaml").read_text(encoding="utf-8"), "utf-8")
    starter_actors = (STARTERS / "actors_starter.yaml").read_text(encoding="utf-8")
    layout.actors.write_text(_word_lists() + starter_actors, "utf-8")
    readme = (STARTERS / "README.md").read_text(encoding="utf-8")
    (folder / "README.md").write_text(
        readme.replace("__TITLE__", title.strip()).replace("__PROJECT__", str(paths.PROJECT_DIR)), "utf-8"
    )
    metadata = layout.data / "metadata.csv"
    if not metadata.exists():
        metadata.write_text(METADATA_COLUMNS, "utf-8")
    logger.info(
        "topic folder written: %s (next: put documents in %s, then policybrief build %s)",
        folder,
        layout.data,
        folder,
    )
    return layout
