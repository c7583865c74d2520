"""The theme part of the per-document scan: one document's theme hits."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from pathlib import Path

import policybrief.analyses.schemas as schemas
import policybrief.analyses.themes.lexicon as themes_lexicon
import policybrief.text.lexicon as lexicon_module
from policybrief.analyses.scan import Part, fingerprint
from policybrief.analyses.schemas import schema_of
from policybrief.analyses.themes.lexicon import (
    ABSENT_FILLERS,
    ABSENT_GROUP,
    CONTEXT_PREFIXES,
    EXCLUDE_PREFIX,
    NEEDS_PREFIX,
    NOT_WITH_PREFIX,
    ThemeLexicon,
)
from policybrief.corpus.model import Document
from policybrief.corpus.pages import page_at
from policybrief.text.lexicon import Match, Tokens, longest_per_group, sentence_index


def _paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of the cleaned text starts (paragraphs are separated by a blank line)."""
    return [0] + [found.end() for found in re.finditer(r"\n\s*\n", text)]


def document_evidence(doc: Document, tokens: Tokens, lexicon: ThemeLexicon) -> list[tuple]:
    """One document's theme hits: (theme, sentence index, start, end, term, matched text), each inside its
    theme's scope: a ``needs_in_paragraph`` term elsewhere in its paragraph, no ``not_in_sentence_with`` term
    in its sentence, and not right after an ``absent_after`` phrase."""
    text = doc.full_text
    matches = longest_per_group(lexicon.matcher.find(text, tokens))
    excluded = [m for m in matches if m.group.startswith(EXCLUDE_PREFIX)]
    starts = [start for start, _ in doc.sentence_spans]
    paragraphs = _paragraph_starts(text) if lexicon.scoped else []
    needed: dict[tuple[str, int], list[tuple[int, int]]] = {}  # (scope group, paragraph) -> needed spans
    unwanted: set[tuple[str, int]] = set()  # (scope group, sentence) holding a not_in_sentence_with term
    absent: set[int] = set()  # the first token of a hit that would say its theme is absent
    for match in matches:
        if match.group.startswith(NEEDS_PREFIX):
            key = (match.group, bisect_right(paragraphs, match.start))
            needed.setdefault(key, []).append((match.start, match.end))
        elif match.group.startswith(NOT_WITH_PREFIX):
            unwanted.add((match.group, sentence_index(starts, match.start)))
        elif match.group == ABSENT_GROUP:
            following, end = match.last_token + 1, match.end
            while following < len(tokens.starts) and text[end : tokens.starts[following]].isspace():
                absent.add(following)  # only blank space between: "no mention of. Sanctions" is not absence
                if tokens.lower[following] not in ABSENT_FILLERS:
                    break
                following, end = following + 1, tokens.ends[following]  # "made no mention of the alliance"
    rows = []
    for match in matches:
        if match.group.startswith(CONTEXT_PREFIXES):
            continue
        if excluded and any(
            e.group == EXCLUDE_PREFIX + match.group and e.start < match.end and match.start < e.end
            for e in excluded
        ):
            continue
        if match.first_token in absent:
            continue  # "made no mention of sanctions"
        if match.group in lexicon.scoped and _out_of_scope(
            match, lexicon, needed, unwanted, paragraphs, starts
        ):
            continue
        rows.append(
            (
                match.group,
                sentence_index(starts, match.start),
                match.start,
                match.end,
                match.term,
                doc.full_text[match.start : match.end],
                page_at(doc.page_starts, match.start),
            )
        )
    return rows


def _out_of_scope(
    match: Match,
    lexicon: ThemeLexicon,
    needed: dict[tuple[str, int], list[tuple[int, int]]],
    unwanted: set[tuple[str, int]],
    paragraphs: list[int],
    starts: list[int],
) -> bool:
    """Whether a scoped theme's hit lacks a needed term in its paragraph or shares its sentence with an
    unwanted one. A needed term counts only apart from the hit itself: "trade" alone does not scope "trade".
    """
    needs = lexicon.scope_groups.get(NEEDS_PREFIX + match.group)
    if needs is not None:
        spans = needed.get((needs, bisect_right(paragraphs, match.start)), ())
        if all(start < match.end and match.start < end for start, end in spans):
            return True
    not_with = lexicon.scope_groups.get(NOT_WITH_PREFIX + match.group)
    return not_with is not None and (not_with, sentence_index(starts, match.start)) in unwanted


# The theme hits of the scan, one row per hit, with the theme evidence table's columns.
THEME_HITS = schema_of("theme_evidence").declared


def theme_hit_rows(doc: Document, tokens: Tokens, lexicon: ThemeLexicon) -> tuple[list[tuple]]:
    """One document's rows of ``THEME_HITS``."""
    return ([(doc.doc_id, *row) for row in document_evidence(doc, tokens, lexicon)],)


def scan_part(lexicon: ThemeLexicon) -> Part:
    """Theme matching as a per-document part of the scan (cached per partition and lexicon)."""
    key = fingerprint(
        Path(__file__),
        schemas,
        themes_lexicon,
        lexicon_module,
        sorted(lexicon.themes.items()),
        lexicon.absent_after,
    )
    return Part(
        "themes",
        key,
        functools.partial(theme_hit_rows, lexicon=lexicon),
        (THEME_HITS,),
        labels=(("doc_id", "theme", "term", "matched"),),
    )
