"""Reading the hand-labelled gold of a validation set; a malformed file stops with one line naming it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from policybrief.errors import BriefingError

# Each gold file and the columns it must have (validation/README.md says what they mean).
GOLD_COLUMNS = {
    "persons": ["file", "person", "mentions"],
    "themes": ["file", "theme", "present"],
    "residue": ["file", "line"],
    "not_actors": ["file", "text", "why"],
    "unlisted_people": ["file", "name"],
}
NOT_ACTOR_REASONS = {"dateline", "masthead", "place", "inside_name"}


@dataclass(frozen=True)
class Gold:
    """One validation set's gold: a frame per file in ``GOLD_COLUMNS``."""

    persons: pd.DataFrame
    themes: pd.DataFrame
    residue: pd.DataFrame
    not_actors: pd.DataFrame
    unlisted_people: pd.DataFrame


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise BriefingError(f"{path}: gold file missing")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise BriefingError(f"{path}: not a readable CSV ({str(error).splitlines()[0]})") from None
    missing = [column for column in GOLD_COLUMNS[name] if column not in frame.columns]
    if missing:
        raise BriefingError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame[GOLD_COLUMNS[name]]
    empty = frame[(frame == "").any(axis=1)]
    if len(empty):
        raise BriefingError(f"{path}: row {empty.index[0] + 2} has an empty field")
    return frame


def _integers(frame: pd.DataFrame, column: str, path: Path, allowed: set[int] | None = None) -> pd.DataFrame:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() | (values < 0) | (values.round() != values)
    if allowed is not None:
        bad |= ~values.isin(allowed)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise BriefingError(f"{path}: row {row + 2}: {column} {frame[column].iloc[row]!r} is not valid")
    return frame.assign(**{column: values.astype(int)})


def read_gold(folder: Path, corpus: Path, themes: set[str], persons: set[str]) -> Gold:
    """The gold in ``folder``, checked against the corpus' files and the lexicons' ids."""
    frames = {name: _read(folder, name) for name in GOLD_COLUMNS}
    frames["persons"] = _integers(frames["persons"], "mentions", folder / "persons.csv")
    frames["themes"] = _integers(frames["themes"], "present", folder / "themes.csv", {0, 1})
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        absent = sorted(set(frame["file"]) - {p.relative_to(corpus).as_posix() for p in corpus.rglob("*")})
        if absent:
            raise BriefingError(f"{path}: {absent[0]!r} is not a file of {corpus}")
    checks = [
        ("persons", "person", persons, "a person of the actor list"),
        ("themes", "theme", themes, "a theme of the theme dictionary"),
        ("not_actors", "why", NOT_ACTOR_REASONS, "one of " + ", ".join(sorted(NOT_ACTOR_REASONS))),
    ]
    for name, column, known, what in checks:
        unknown = sorted(set(frames[name][column]) - known)
        if unknown:
            raise BriefingError(f"{folder / (name + '.csv')}: {unknown[0]!r} is not {what}")
    per_document = frames["themes"].groupby("file")["theme"].nunique()
    incomplete = per_document[per_document != len(themes)]
    if len(incomplete):
        raise BriefingError(
            f"{folder / 'themes.csv'}: {incomplete.index[0]!r} has {incomplete.iloc[0]} of "
            f"{len(themes)} themes"
        )
    return Gold(**frames)


QUANTITY_COLUMNS = ["file", "kind", "value", "unit", "subject", "year", "text"]
QUANTITY_KINDS = {"percent", "money", "count"}


def read_quantities(folder: Path, corpus: Path) -> pd.DataFrame | None:
    """The stated quantities of a set's documents (``quantities.csv``; optional: a set without it is not
    scored on them). Subject and year may be empty."""
    path = folder / "quantities.csv"
    if not path.is_file():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in QUANTITY_COLUMNS if column not in frame.columns]
    if missing:
        raise BriefingError(f"{path}: missing column(s) {', '.join(missing)}")
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = values.isna() | ~frame["kind"].isin(QUANTITY_KINDS) | (frame["unit"] == "")
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise BriefingError(f"{path}: row {row + 2}: kind, value or unit is not valid")
    absent = sorted(set(frame["file"]) - {p.relative_to(corpus).as_posix() for p in corpus.rglob("*")})
    if absent:
        raise BriefingError(f"{path}: {absent[0]!r} is not a file of {corpus}")
    return frame.assign(value=values)
