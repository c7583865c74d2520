"""The cleaning rules (``config/cleaning.yaml``): read, checked and compiled once per build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policybrief import paths
from policybrief.config import load_yaml
from policybrief.errors import BriefingError

DEFAULT_RULES_PATH = paths.CLEANING_FILE


def _compile(pattern: str, where: str, path: Path, flags: int = re.MULTILINE) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise BriefingError(f"{path}: {where}: pattern must be a non-empty string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise BriefingError(f"{path}: {where}: bad pattern {pattern!r}: {exc}") from None


def _words(section: dict, key: str, where: str, path: Path) -> list[str]:
    """A list of words from the config; YAML turns unquoted no/on/yes into booleans, so say so."""
    values = section.get(key) or []
    for value in values:
        if not isinstance(value, str):
            raise BriefingError(f"{path}: {where}.{key}: entry {value!r} is not text (quote it, e.g. 'no')")
    return values


def _key_alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(keys, key=len, reverse=True))


@dataclass
class CleaningRules:
    """The compiled contents of ``config/cleaning.yaml``."""

    residue: list[tuple[str, re.Pattern]]
    header_max_lines: int
    header_max_share: float
    author_key_re: re.Pattern
    date_key_re: re.Pattern
    other_key_re: re.Pattern
    footer_max_share: float
    footer_markers: list[re.Pattern]
    bio_paragraphs: int
    bio_start_re: re.Pattern
    bio_keywords: list[str]
    repeat_min_words: int
    never_final: frozenset[str]
    before_number: frozenset[str]
    sentence_starters: frozenset[str]
    residue_screen: re.Pattern | None = (
        None  # matches wherever a residue pattern might: see _line_start_screen
    )

    @classmethod
    def load(cls, path: Path = DEFAULT_RULES_PATH) -> CleaningRules:
        data = load_yaml(
            path, {"residue", "sites", "header", "footer", "author_bio", "repeated_passages", "sentences"}
        )
        residue = []
        for i, rule in enumerate(data.get("residue") or []):
            reason = (rule or {}).get("reason") or f"residue rule {i + 1}"
            residue.append((reason, _compile(rule.get("pattern"), f"residue '{reason}'", path)))
        for site in data.get("sites") or []:
            name = site.get("name") or "unnamed site"
            for pattern in site.get("patterns") or []:
                residue.append((f"site boilerplate: {name}", _compile(pattern, f"site '{name}'", path)))
        header, footer = data.get("header") or {}, data.get("footer") or {}
        bio, sentences = data.get("author_bio") or {}, data.get("sentences") or {}
        verbs = _key_alternation(_words(bio, "verbs", "author_bio", path) or ["is"])
        return cls(
            residue=residue,
            header_max_lines=int(header.get("max_lines", 12)),
            header_max_share=float(header.get("max_share", 0.4)),
            author_key_re=re.compile(
                rf"^(?:{_key_alternation(_words(header, 'author_keys', 'header', path) or ['Author'])})"
                r"(?P<colon>\s*:)?\s+(?P<value>\S.*)$",
                re.I,
            ),
            date_key_re=re.compile(
                rf"^(?:{_key_alternation(_words(header, 'date_keys', 'header', path) or ['Published'])})"
                r"(?:\s*:)?\s+(?P<value>\S.*)$",
                re.I,
            ),
            other_key_re=re.compile(
                rf"\b(?:{_key_alternation(_words(header, 'other_keys', 'header', path) or ['Topic'])})\s*:",
                re.I,
            ),
            footer_max_share=float(footer.get("max_share", 0.5)),
            footer_markers=[_compile(p, "footer marker", path, 0) for p in footer.get("markers") or []],
            bio_paragraphs=int(bio.get("last_paragraphs", 2)),
            bio_start_re=re.compile(rf"^(?:(?:Dr\.|Prof\.)\s+)?(?:[A-Z][\w.'-]*\s+){{1,4}}(?:{verbs})\b"),
            bio_keywords=[k.lower() for k in _words(bio, "keywords", "author_bio", path)],
            repeat_min_words=int((data.get("repeated_passages") or {}).get("min_words", 8)),
            never_final=frozenset(w.lower() for w in _words(sentences, "never_final", "sentences", path)),
            before_number=frozenset(w.lower() for w in _words(sentences, "before_number", "sentences", path)),
            sentence_starters=frozenset(_words(sentences, "sentence_starters", "sentences", path)),
            residue_screen=_line_start_screen([pattern for _, pattern in residue]),
        )


_LINE_ANCHOR = re.compile(r"^(?:\(\?([aiLmsux]+)\))?\^")


_NOT_SCREENABLE = re.compile(
    r"\(\?<[=!]|\\A|\\[1-9]|\(\?P=|\(\?\("
)  # look-behind, text start, back-references


def _line_start_screen(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One pattern that finds, in ``"\n" + text``, every place where one of the line-anchored ``patterns``
    matches ``text``: most documents have no residue, and this tells so in one quick pass.

    A pattern that starts with ``^`` is tried by Python's engine at every character; led by a literal
    newline it is tried only at line starts (twenty times faster for the eleven default patterns). None
    when a pattern is not line-anchored, looks behind or at the text's start (which the leading newline
    would change) or refers back to a numbered group (numbers change when patterns are joined); then every
    pattern is applied as it is.
    """
    alternatives = []
    for pattern in patterns:
        anchor = _LINE_ANCHOR.match(pattern.pattern)
        rest = pattern.pattern[anchor.end() :] if anchor else ""
        if (
            not anchor or _NOT_SCREENABLE.search(rest) or "x" in (anchor.group(1) or "")
        ):  # x: a comment would run on
            return None
        alternatives.append(f"(?{anchor.group(1) or ''}:{rest})")
    try:
        return re.compile("\n(?:" + "|".join(alternatives) + ")", re.MULTILINE) if alternatives else None
    except re.error:  # e.g. two patterns naming a group alike
        return None
