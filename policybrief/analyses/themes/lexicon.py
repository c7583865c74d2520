"""The theme dictionary (``config/themes.yaml``): read, checked and compiled into one matcher."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policybrief import paths
from policybrief.config import check_mapping, load_yaml
from policybrief.errors import BriefingError
from policybrief.text.lexicon import LexiconError, Matcher, parse_term

DEFAULT_THEMES_PATH = paths.THEMES_FILE


_THEME_KEYS = {"label", "short", "definition", "terms", "exclude"}


EXCLUDE_PREFIX = "exclude:"


@dataclass(frozen=True)
class Theme:
    theme_id: str
    label: str
    short: str
    definition: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass
class ThemeLexicon:
    path: Path
    themes: dict[str, Theme]
    matcher: Matcher

    def label(self, theme_id: str) -> str:
        return self.themes[theme_id].label

    def short(self, theme_id: str) -> str:
        return self.themes[theme_id].short


def load_themes(path: str | Path = DEFAULT_THEMES_PATH) -> ThemeLexicon:
    """Read and check the theme dictionary; every problem names the theme and the term."""
    path = Path(path)
    data = load_yaml(path, {"themes"})
    entries = data.get("themes")
    if not isinstance(entries, dict) or not entries:
        raise BriefingError(f"{path}: 'themes' must map theme ids to their label, definition and terms")
    themes, compiled = {}, []
    for theme_id, entry in entries.items():
        where = f"{path}: theme '{theme_id}'"
        check_mapping(entry, _THEME_KEYS, where, "label, definition and terms")
        terms, exclude = entry.get("terms") or [], entry.get("exclude") or []
        if not isinstance(terms, list) or not terms:
            raise BriefingError(f"{where}: has no terms")
        if not isinstance(exclude, list):
            raise BriefingError(f"{where}: 'exclude' must be a list of phrases")
        seen: dict[tuple, str] = {}
        for group, sources in ((str(theme_id), terms), (EXCLUDE_PREFIX + str(theme_id), exclude)):
            for source in sources:
                try:
                    parsed = parse_term(source, group)
                except LexiconError as exc:
                    raise BriefingError(f"{where}, term {source!r}: {exc}") from None
                key = (group, parsed[0].words)
                if key in seen:
                    raise BriefingError(f"{where}, term {source!r}: duplicates the term {seen[key]!r}")
                seen[key] = source
                compiled.extend(parsed)
        label = str(entry.get("label") or theme_id)
        themes[str(theme_id)] = Theme(
            str(theme_id),
            label,
            str(entry.get("short") or label),
            str(entry.get("definition") or ""),
            tuple(str(t) for t in terms),
            tuple(str(t) for t in exclude),
        )
    return ThemeLexicon(path, themes, Matcher(compiled))
