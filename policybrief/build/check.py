"""``policybrief check FOLDER``: the settings, lexicons and metadata of a topic checked before a build, each
problem one line naming the file, the line and what to write instead. The build runs the lexicon part first
too, so a typo stops it in a second rather than after the documents are read."""

from __future__ import annotations

from policybrief.analyses.actors import load_actors
from policybrief.analyses.themes import load_themes
from policybrief.config import schema_problems
from policybrief.corpus.metadata import read_metadata
from policybrief.corpus.reading import discover
from policybrief.errors import BriefingError
from policybrief.options import Options
from policybrief.topic import SCHEMA_DIR, SETTINGS_FILE


def lexicon_problems(options: Options) -> list[str]:
    """Every problem of the theme dictionary and the actor list: first against their schemas (with lines),
    then, when the shape is right, what only reading them shows (a term that is not a word, a name two actors
    claim)."""
    problems = []
    topic = options.corpus.parent.resolve()
    for path, schema, load in (
        (options.themes_file, "themes.schema.json", load_themes),
        (options.actors_file, "actors.schema.json", load_actors),
    ):
        if not path.is_file():
            problems.append(f"{path}: not found")
            continue
        inside = path.resolve().is_relative_to(topic)  # a topic's own file is named from its folder
        shape = schema_problems(
            path, SCHEMA_DIR / schema, str(path.resolve().relative_to(topic)) if inside else None
        )
        problems.extend(shape)
        if not shape:
            try:
                load(path)
            except BriefingError as problem:
                problems.append(str(problem))
    return problems


def check_topic(options: Options) -> tuple[list[str], list[str]]:
    """(problems that stop a build, notes worth reading) for the options of a topic folder."""
    problems = []
    settings = options.corpus.parent / SETTINGS_FILE
    if settings.is_file():
        problems += schema_problems(settings, SCHEMA_DIR / "briefing.schema.json", SETTINGS_FILE)
    problems += lexicon_problems(options)
    notes: list[str] = []
    if not options.corpus.is_dir():
        problems.append(f"{options.corpus}: corpus folder not found")
        return problems, notes
    try:
        _, metadata_notes = read_metadata(options.corpus)
        notes += [f"{note.file}: {note.problem}" for note in metadata_notes]
    except BriefingError as problem:
        problems.append(str(problem))
    documents = discover(options.corpus)
    if not documents:
        problems.append(
            f"{options.corpus}: no documents yet (put PDF, Word, HTML, text or Markdown files here)"
        )
    else:
        notes.append(f"{options.corpus}: {len(documents)} documents to read")
    return problems, notes
