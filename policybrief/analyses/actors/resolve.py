"""Actor mentions: who is talked about, when, with whom and about what — names resolved by rule.

Resolution rules (documented for analysts in config/actors.yaml):
- full names and aliases count wherever they occur, in any spelling the lexicon rules allow;
- a near-miss of a person's full name counts as a typo when its first word is exact;
- a short form ("Kim", "President Lee") counts only when exactly one listed person with that short
  form was named in full earlier in the same document; otherwise it is listed as unresolved;
- "<short form> administration" counts for the person when the short form belongs to one listed
  person, and is resolved like a short form when several share it;
- an organisation's name or alias does not count inside a longer capitalised name: "National Security
  Council" is not the UN's "Security Council";
- capitals used for governments count for the state as metonyms, and can be switched off; never in a
  dateline ("SEOUL, South Korea (AP) —") or inside a name ("The Washington Times");
- across actors, the longest match wins: "Democratic People's Republic of Korea" is not also
  "Republic of Korea", "Kim Jong Un" is not also "Kim".
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from pathlib import Path

import pyarrow as pa
from rapidfuzz.distance import Levenshtein

import policybrief.analyses.actors.lexicon as actors_lexicon
import policybrief.analyses.actors.names as names_code
import policybrief.analyses.schemas as schemas
import policybrief.text.lexicon as lexicon_module
from policybrief.analyses.actors.lexicon import ActorList
from policybrief.analyses.actors.names import COMMON_OPENER_ZIPF, name_candidates, word_zipf
from policybrief.analyses.scan import Part, fingerprint
from policybrief.analyses.schemas import schema_of
from policybrief.corpus.model import Document
from policybrief.text.lexicon import GAPS, Match, Tokens, longest_per_group, sentence_index, tokenize

RESOLUTIONS = ["full name", "alias", "typo", "short form", "title + short form", "administration", "metonym"]


def _typo_matches(text: str, tokens: Tokens, exact: list[Match], actors: ActorList) -> list[Match]:
    """Near-misses of persons' full names whose first word is spelled right ("Lee Jae Mung")."""
    firsts = actors.person_first_words.intersection(tokens.lower)
    if not firsts:
        return []
    covered = {i for m in exact for i in range(m.first_token, m.last_token + 1)}
    starts, ends, lower, cased = tokens.starts, tokens.ends, tokens.lower, tokens.cased
    stream, offsets = tokens.stream()
    positions = {}
    for first in firsts:  # found by str.find in the joined keys, not by a Python loop over every word
        needle, where, at = f" {first} ", [], -1
        while (at := stream.find(needle, at + 1)) >= 0:
            where.append(bisect_left(offsets, at + 1))
        positions[first] = where
    found = []
    for actor_id, source, words in actors.person_names:
        target = " ".join(words)
        limit = 2 if len(target) >= 15 else 1
        for i in positions.get(words[0], ()):
            end = i + len(words)
            if end > len(lower) or not covered.isdisjoint(range(i, end)):
                continue
            if not all(cased[j][:1].isupper() for j in range(i, end)):
                continue
            if not all(text[ends[j] : starts[j + 1]] in GAPS for j in range(i, end - 1)):
                continue
            candidate = " ".join(lower[i:end])
            if candidate != target and Levenshtein.distance(candidate, target) <= limit:
                found.append(Match(f"typo:{actor_id}", source, starts[i], ends[end - 1], i, end - 1))
    return found


def _inside_other_name(
    text: str,
    tokens: Tokens,
    match: Match,
    actors: ActorList,
    sentence_starts: set[int],
    after_too: bool = True,
) -> bool:
    """Is this match part of a longer name, a capitalised name word joined to it before it (or after it,
    with ``after_too``)? A short form inside another person's name ("Kim Jung-kwan", "Andrew Kim"), an
    organisation's alias inside another organisation's name ("National Security Council")."""

    def name_word(i: int) -> bool:
        word = text[tokens[i].start : tokens[i].end]
        if not word[:1].isupper() or tokens[i].lower in actors.title_words or word in actors.stop_words:
            return False
        return not (tokens[i].start in sentence_starts and word_zipf(tokens[i].lower) >= COMMON_OPENER_ZIPF)

    after, before = match.last_token + 1, match.first_token - 1
    if (
        after_too
        and after < len(tokens)
        and text[match.end : tokens[after].start] in (" ", "-")
        and name_word(after)
    ):
        return True
    return before >= 0 and text[tokens[before].end : match.start] == " " and name_word(before)


# What follows the place of a dateline: an optional ", South Korea" or ", Oct. 26", an optional "(AP)", then a
# colon or dash ("SEOUL, South Korea (AP) —", "WASHINGTON, Oct. 26 (Yonhap) --", "Seoul: ").
_DATELINE_TAIL = re.compile(r"(,[^\n()\u2013\u2014:]{0,40}?)?\s*(\([^()\n]{1,30}\)\s*)?(--|[:\u2013\u2014-])")


def _dateline_end(text: str, match: Match) -> int | None:
    """Where the dateline this capital opens ends, or None if it opens none. A capital opening a paragraph
    and followed by a colon or dash is a dateline, not a government; so is one followed by a place or date
    and an agency before the dash, when the capital is in capitals or the agency is named."""
    if match.start and text[match.start - 1] != "\n":
        return None
    tail = _DATELINE_TAIL.match(text, match.end)
    if tail is None:
        return None
    if not tail.group(1) and not tail.group(2):
        return tail.end() if tail.start(3) - match.end <= 2 else None  # "Seoul: ", "Seoul — "
    return tail.end() if text[match.start : match.end].isupper() or tail.group(2) else None


_NAMED_RESOLUTIONS = {
    "full": "full name",
    "alias": "alias",
    "typo": "typo",
}  # kinds that name an actor in full


def resolve_found(doc: Document, actors: ActorList, tokens: Tokens | None = None) -> list[Match]:
    """Every name match in the document, typos included, before overlaps are resolved."""
    tokens = tokenize(doc.full_text) if tokens is None else tokens
    found = actors.matcher.find(doc.full_text, tokens)
    return found + _typo_matches(
        doc.full_text, tokens, [m for m in found if m.group.startswith(("full:", "alias:"))], actors
    )


# One function on purpose: it runs for every match of every document (the scan's hottest loop), and its
# rules read one another's state (names seen so far, sentence starts, exclusions) in text order.
def resolve_document(
    doc: Document, actors: ActorList, metonyms: bool = True, tokens: Tokens | None = None
) -> tuple[list[tuple], list[tuple], set[int]]:
    """Mentions (evidence rows) and unresolved short forms of one document, in text order, and the token
    positions its listed names take."""
    text = doc.full_text
    tokens = tokenize(text) if tokens is None else tokens
    found = resolve_found(doc, actors, tokens)
    exclusions = [m for m in found if m.group.startswith("exclude:")]
    chosen = longest_per_group(found, key=lambda m: "all")
    starts = [s for s, _ in doc.sentence_spans]
    sentence_starts = set(starts)
    mentions, unresolved = [], []
    named: set[str] = set()
    dateline_end = 0  # names inside a dateline ("SEOUL, South Korea (AP) —") do not count
    for match in chosen:
        kind, key = match.group.split(":", 1)
        if kind == "exclude" or match.start < dateline_end:
            continue
        if (
            exclusions
            and kind in ("full", "alias", "typo", "metonym")
            and any(
                e.group == f"exclude:{key}" and e.start < match.end and match.start < e.end
                for e in exclusions
            )
        ):
            continue
        start = match.start
        if kind in ("full", "alias") and actors.actors[key].type == "organisation":
            # only a name word before it: what follows an organisation's name is often its document or
            # office ("Security Council Resolution 2397", "UN Command")
            if _inside_other_name(text, tokens, match, actors, sentence_starts, after_too=False):
                continue
        if kind in _NAMED_RESOLUTIONS:
            named.add(key)
            resolution, actor_id = _NAMED_RESOLUTIONS[kind], key
        elif kind == "metonym":
            dateline = _dateline_end(text, match)
            if dateline is not None:
                dateline_end = dateline
                continue
            if not metonyms:
                continue
            # a capital inside a name is part of it, not a government ("The Washington Times", "Seoul
            # National University")
            if _inside_other_name(text, tokens, match, actors, sentence_starts):
                continue
            resolution, actor_id = "metonym", key
        else:
            if kind == "short" and _inside_other_name(text, tokens, match, actors, sentence_starts):
                continue
            owners = actors.short_owners[key]
            known = [a for a in owners if a in named]
            title = (
                actors.title_re.search(text, max(0, match.start - 40), match.start)
                if kind == "short"
                else None
            )
            if title and title.end() == match.start:
                start = title.start()
            if kind == "admin" and len(owners) == 1:
                actor_id, resolution = owners[0], "administration"
            elif len(known) == 1:
                actor_id = known[0]
                resolution = (
                    "administration"
                    if kind == "admin"
                    else ("title + short form" if start < match.start else "short form")
                )
            else:
                reason = (
                    "not named in full earlier in the document"
                    if not known
                    else "ambiguous: several were named in full"
                )
                names = ", ".join(actors.name(a) for a in (known or owners))
                unresolved.append(
                    (
                        doc.doc_id,
                        text[start : match.end],
                        names,
                        reason,
                        sentence_index(starts, start),
                        start,
                        match.end,
                    )
                )
                continue
        mentions.append(
            (
                doc.doc_id,
                actor_id,
                actors.actors[actor_id].type,
                text[start : match.end],
                resolution,
                sentence_index(starts, start),
                start,
                match.end,
            )
        )
    return mentions, unresolved, _name_coverage(found)


def _name_coverage(found: list[Match]) -> set[int]:
    """Token positions taken by listed names, aliases, typos, metonyms and exclusions (not short forms)."""
    return {
        i
        for m in found
        if not m.group.startswith(("short:", "admin:"))
        for i in range(m.first_token, m.last_token + 1)
    }


# The scan's stage tables of actors: mentions (the evidence) and short forms left unresolved, with the
# columns of their tables, and the person-like names no actor covers (candidates for unlisted names).
MENTIONS = schema_of("actor_evidence").declared
UNRESOLVED = schema_of("actor_unresolved").declared
NAME_CANDIDATES = pa.schema([("doc_id", pa.string()), ("name", pa.string()), ("sentence_index", pa.int64())])


def document_mentions(
    doc: Document, tokens: Tokens, actors: ActorList, metonyms: bool
) -> tuple[list, list, list]:
    """One document's rows of ``MENTIONS``, ``UNRESOLVED`` and ``NAME_CANDIDATES`` (one pass over its
    words)."""
    mentions, unresolved, covered = resolve_document(doc, actors, metonyms, tokens)
    names = [(doc.doc_id, name, index) for name, index in name_candidates(doc, tokens, actors, covered)]
    return mentions, unresolved, names


def scan_part(actors: ActorList, metonyms: bool = True) -> Part:
    """Name matching as a per-document part of the scan (cached per partition, actor list and options)."""
    described = (
        sorted(actors.actors.items()),
        actors.title_re.pattern,
        sorted(actors.not_person_words),
        sorted(actors.stop_words),
        metonyms,
    )
    key = fingerprint(Path(__file__), schemas, names_code, actors_lexicon, lexicon_module, described)
    return Part(
        "actors",
        key,
        functools.partial(document_mentions, actors=actors, metonyms=metonyms),
        (MENTIONS, UNRESOLVED, NAME_CANDIDATES),
    )
