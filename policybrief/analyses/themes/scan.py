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
    CONTEXT_PREFIXES,
    EXCLUDE_PREFIX,
    NEEDS_PREFIX,
    NOT_WITH_PREFIX,
    ThemeLexicon,
)
from policybrief.corpus.model import Document
from policybrief.text.lexicon import Tokens, longest_per_group, sentence_index


def _paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of the cleaned text starts (paragraphs are separated by a blank line)."""
    return [0] + [found.end() for found in re.finditer(r"\n\s*\n", text)]


def document_evidence(doc: Document, tokens: Tokens, lexicon: ThemeLexicon) -> list[tuple]:
    """One document's theme hits: (theme, sentence index, start, end, term, matched text), each inside its
    theme's scope: a ``needs_in_paragraph`` term elsewhere in its paragraph, no ``not_in_sentence_with`` term
    in its sentence."""
    text = doc.full_text
    matches = longest_per_group(lexicon.matcher.find(text, tokens))
    excluded = [m for m in matches if m.group.startswith(EXCLUDE_PREFIX)]
    starts = [start for start, _ in doc.sentence_spans]
    paragraphs = _paragraph_starts(text) if lexicon.scoped else []
    needed: dict[tuple[str, int], list[tuple[int, int]]] = {}  # (theme, paragraph) -> spans of needed terms
    unwanted: set[tuple[str, int]] = set()  # (theme, sentence) holding a not_in_sentence_with term
    for match in matches:
        if match.group.startswith(NEEDS_PREFIX):
            key = (match.group.removeprefix(NEEDS_PREFIX), bisect_right(paragraphs, match.start))
            needed.setdefault(key, []).append((match.start, match.end))
        elif match.group.startswith(NOT_WITH_PREFIX):
            unwanted.add((match.group.removeprefix(NOT_WITH_PREFIX), sentence_index(starts, match.start)))
    # where an absence phrase ends, found once per document rather than searched before every hit
    absent = {found.end() for found in lexicon.absent_after.finditer(text)} if lexicon.absent_after else ()
    rows = []
    for match in matches:
        if match.group.startswith(CONTEXT_PREFIXES):
            continue
        if excluded and any(
            e.group == EXCLUDE_PREFIX + match.group and e.start < match.end and match.start < e.end
            for e in excluded
        ):
            continue
        if match.start in absent:
            continue  # "made no mention of sanctions"
        if match.group in lexicon.scoped:
            # a needed term counts only apart from the hit itself: "trade" alone does not scope "trade"
            spans = needed.get((match.group, bisect_right(paragraphs, match.start)), ())
            if lexicon.themes[match.group].needs_in_paragraph and all(
                start < match.end and match.start < end for start, end in spans
            ):
                continue
            if (match.group, sentence_index(starts, match.start)) in unwanted:
                continue
        rows.append(
            (
                match.group,
                sentence_index(starts, match.start),
                match.start,
                match.end,
                match.term,
                doc.full_text[match.start : match.end],
            )
        )
    return rows


# The theme hits of the scan, one row per hit, with the theme evidence table's columns.
THEME_HITS = schema_of("theme_evidence").declared


def theme_hit_rows(doc: Document, tokens: Tokens, lexicon: ThemeLexicon) -> tuple[list[tuple]]:
    """One document's rows of ``THEME_HITS``."""
    return ([(doc.doc_id, *row) for row in document_evidence(doc, tokens, lexicon)],)


def scan_part(lexicon: ThemeLexicon) -> Part:
    """Theme matching as a per-document part of the scan (cached per partition and lexicon)."""
    absent = lexicon.absent_after.pattern if lexicon.absent_after else ""
    key = fingerprint(
        Path(__file__), schemas, themes_lexicon, lexicon_module, sorted(lexicon.themes.items()), absent
    )
    return Part("themes", key, functools.partial(theme_hit_rows, lexicon=lexicon), (THEME_HITS,))
