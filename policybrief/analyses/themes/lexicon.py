"""The theme dictionary (``config/themes.yaml``): read, checked and compiled into one matcher."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from policybrief import paths
from policybrief.config import check_mapping, load_yaml
from policybrief.errors import BriefingError
from policybrief.text.lexicon import LexiconError, Matcher, parse_term

DEFAULT_THEMES_PATH = paths.THEMES_FILE


_THEME_KEYS = {
    "label",
    "short",
    "definition",
    "terms",
    "exclude",
    "needs_in_paragraph",
    "not_in_sentence_with",
}


EXCLUDE_PREFIX = "exclude:"
# Scope rules: a hit counts only in a paragraph that also holds one of the theme's ``needs_in_paragraph``
# terms, and never in a sentence holding one of its ``not_in_sentence_with`` terms.
NEEDS_PREFIX = "needs:"
NOT_WITH_PREFIX = "not-with:"
# A hit right after one of the ``absent_after`` phrases says the theme is absent ("made no mention of").
ABSENT_GROUP = "absent:"
CONTEXT_PREFIXES = (EXCLUDE_PREFIX, NEEDS_PREFIX, NOT_WITH_PREFIX, ABSENT_GROUP)
# words that may stand between an absence phrase and the hit ("made no mention of the alliance")
ABSENT_FILLERS = frozenset({"the", "any"})


@dataclass(frozen=True)
class Theme:
    theme_id: str
    label: str
    short: str
    definition: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    needs_in_paragraph: tuple[str, ...] = ()
    not_in_sentence_with: tuple[str, ...] = ()


@dataclass
class ThemeLexicon:
    path: Path
    themes: dict[str, Theme]
    matcher: Matcher
    # the phrases after which a hit says the theme is absent (matched as the group ``ABSENT_GROUP``)
    absent_after: tuple[str, ...] = ()
    # a scope list's group (``needs:<theme>``) -> the group whose matches stand for it: themes sharing one
    # list (a YAML anchor) share one group, so a context phrase is one match, not one per theme
    scope_groups: dict[str, str] = field(default_factory=dict)

    def label(self, theme_id: str) -> str:
        return self.themes[theme_id].label

    @functools.cached_property
    def scoped(self) -> frozenset[str]:
        """The themes with scope rules."""
        return frozenset(
            t for t, theme in self.themes.items() if theme.needs_in_paragraph or theme.not_in_sentence_with
        )

    def short(self, theme_id: str) -> str:
        return self.themes[theme_id].short


def load_themes(path: str | Path = DEFAULT_THEMES_PATH) -> ThemeLexicon:
    """Read and check the theme dictionary; every problem names the theme and the term."""
    path = Path(path)
    data = load_yaml(path, {"themes", "absent_after"})
    entries = data.get("themes")
    if not isinstance(entries, dict) or not entries:
        raise BriefingError(f"{path}: 'themes' must map theme ids to their label, definition and terms")
    themes, compiled = {}, []
    scope_lists: dict[tuple[str, tuple[str, ...]], str] = {}
    scope_groups: dict[str, str] = {}
    for theme_id, entry in entries.items():
        where = f"{path}: theme '{theme_id}'"
        check_mapping(entry, _THEME_KEYS, where, "label, definition and terms")
        terms = entry.get("terms") or []
        if not isinstance(terms, list) or not terms:
            raise BriefingError(f"{where}: has no terms")
        lists: dict[str, list] = {}
        for name in ("exclude", "needs_in_paragraph", "not_in_sentence_with"):
            lists[name] = entry.get(name) or []
            if not isinstance(lists[name], list):
                raise BriefingError(f"{where}: '{name}' must be a list of phrases")
        seen: dict[tuple, str] = {}
        for group, sources in (
            (str(theme_id), terms),
            (EXCLUDE_PREFIX + str(theme_id), lists["exclude"]),
            (NEEDS_PREFIX + str(theme_id), lists["needs_in_paragraph"]),
            (NOT_WITH_PREFIX + str(theme_id), lists["not_in_sentence_with"]),
        ):
            if group.startswith((NEEDS_PREFIX, NOT_WITH_PREFIX)) and sources:
                prefix = group.split(":")[0] + ":"
                shared = scope_lists.setdefault((prefix, tuple(map(str, sources))), group)
                scope_groups[group] = shared
                if shared != group:
                    continue  # the same list as an earlier theme's: its matches serve both
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
            tuple(str(t) for t in lists["exclude"]),
            tuple(str(t) for t in lists["needs_in_paragraph"]),
            tuple(str(t) for t in lists["not_in_sentence_with"]),
        )
    absent = data.get("absent_after") or []
    if not isinstance(absent, list) or not all(isinstance(a, str) and a.strip() for a in absent):
        raise BriefingError(f"{path}: 'absent_after' must be a list of phrases")
    for phrase in absent:
        try:
            compiled.extend(parse_term(phrase.lower(), ABSENT_GROUP))
        except LexiconError as exc:
            raise BriefingError(f"{path}: absent_after phrase {phrase!r}: {exc}") from None
    return ThemeLexicon(path, themes, Matcher(compiled), tuple(absent), scope_groups)
