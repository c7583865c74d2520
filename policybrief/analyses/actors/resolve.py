"""Actor mentions: who is talked about, when, with whom and about what — names resolved by rule.

Resolution rules (documented for analysts in config/actors.yaml):
- full names and aliases count wherever they occur, in any spelling the lexicon rules allow;
- a two-word name counts in either order, and with a middle initial; a near-miss of a person's full name
  counts as a typo when its first word is exact, and so does a titled surname one letter off (variants.py);
- a short form ("Kim", "President Lee") counts for the one listed person with it named in full anywhere in
  the document; when none is, for the only listed person with it, or the only one whose role has the title
  before it; otherwise it is listed as unresolved;
- a transcript's speaker label ("SEN. SULLIVAN:") is not a mention;
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
from pathlib import Path

import pyarrow as pa

import policybrief.analyses.actors.lexicon as actors_lexicon
import policybrief.analyses.actors.names as names_code
import policybrief.analyses.actors.variants as variants_code
import policybrief.analyses.schemas as schemas
import policybrief.text.lexicon as lexicon_module
from policybrief.analyses.actors.lexicon import ActorList
from policybrief.analyses.actors.names import COMMON_OPENER_ZIPF, name_candidates, word_zipf
from policybrief.analyses.actors.variants import initial_matches, titled_typo_matches, typo_matches
from policybrief.analyses.scan import Part, fingerprint
from policybrief.analyses.schemas import schema_of
from policybrief.corpus.model import Document
from policybrief.corpus.pages import page_at
from policybrief.text.lexicon import Match, Tokens, longest_per_group, sentence_index, tokenize

RESOLUTIONS = [
    *("full name", "name order", "middle initial", "alias", "typo", "short form", "title + short form"),
    *("unique short form", "title + role", "administration", "metonym"),
]


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
    if after_too and after < len(tokens) and name_word(after):
        gap = text[match.end : tokens[after].start]
        # "Putin-Kim" pairs two listed people; "Kim Jung-kwan" is another person's name
        if gap == " " or (gap == "-" and tokens.lower[after] not in actors.short_owners):
            return True
    return before >= 0 and text[tokens[before].end : match.start] == " " and name_word(before)


def _in_institution_name(text: str, tokens: Tokens, match: Match, actors: ActorList) -> bool:
    """A state's name as part of a publication's, an institution's or a place's: followed by one of the
    ``institution_words`` in capitals ("The Japan Times", "Korea Herald", "South China Sea"), or after one
    of them and "of" ("the Sea of Japan", "the Bank of Korea")."""
    after, before = match.last_token + 1, match.first_token - 1
    if after < len(tokens) and text[match.end : tokens.starts[after]] == " ":
        word = tokens.cased[after]
        if word[:1].isupper() and tokens.lower[after] in actors.institution_words:
            return True
    return (
        before >= 1
        and tokens.lower[before] == "of"
        and tokens.cased[before - 1][:1].isupper()
        and tokens.lower[before - 1] in actors.institution_words
    )


def _a_place(text: str, tokens: Tokens, match: Match, actors: ActorList) -> bool:
    """A capital named as a place, not as its government acting: after a word or two of place ("talks in
    Tokyo", "a visit to Pyongyang", "central Seoul"), or "of" after one ("the streets of Pyongyang"), or
    before "-based" ("a Seoul-based diplomat"); never in a possessive ("Washington's demand")."""
    if text.startswith("'s", match.end):
        return False  # "Washington's demand": the government's
    if text.startswith("-based", match.end):
        return True
    before = match.first_token - 1
    if before < 0 or text[tokens.ends[before] : match.start] != " ":
        return False
    one = tokens.lower[before]
    two = f"{tokens.lower[before - 1]} {one}" if before >= 1 else one
    if one in actors.place_prepositions or two in actors.place_prepositions:
        return True
    return one == "of" and before >= 1 and tokens.lower[before - 1] in actors.place_prepositions


# What follows the place of a dateline: optional more places after a slash, an optional ", South Korea" or ",
# Oct. 26", an optional "(AP)", then a colon or dash ("SEOUL, South Korea (AP) —", "WASHINGTON, Oct. 26
# (Yonhap) --", "Seoul: ", "WASHINGTON/SEOUL, Aug 26 (Reuters) -").
_DATELINE_TAIL = re.compile(
    r"(?:/[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*)?)*"  # more places: "WASHINGTON/SEOUL"
    r"(,[^\n()\u2013\u2014:]{0,40}?)?\s*(\([^()\n]{1,30}\)\s*)?(--|[:\u2013\u2014-])"
)


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


# A transcript's speaker label: up to five words in capitals opening a paragraph, then a colon ("GEN.
# BRUNSON:", "PRIME MINISTER ISHIBA:", "QUESTION:").
_SPEAKER_LABEL = re.compile(r"^(?:[A-Z][A-Z.'-]* ){0,4}[A-Z][A-Z.'-]*:(?= )", re.M)

_NAMED_RESOLUTIONS = {
    "full": "full name",
    "order": "name order",
    "initial": "middle initial",
    "alias": "alias",
    "typo": "typo",
}  # kinds that name an actor in full


def resolve_found(doc: Document, actors: ActorList, tokens: Tokens | None = None) -> list[Match]:
    """Every name match in the document, typos and middle initials included, before overlaps are resolved."""
    text = doc.full_text
    tokens = tokenize(text) if tokens is None else tokens
    found = actors.matcher.find(text, tokens)
    exact = [m for m in found if m.group.startswith(("full:", "alias:", "order:"))]
    found += typo_matches(text, tokens, exact, actors) + initial_matches(text, tokens, actors)
    taken = {i for m in found for i in range(m.first_token, m.last_token + 1)}
    return found + titled_typo_matches(text, tokens, actors, taken)


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
    labels = [(m.start(), m.end()) for m in _SPEAKER_LABEL.finditer(text)]
    year = int(doc.date[:4]) if doc.date[:4].isdigit() else None
    mentions: list[tuple] = []
    short_forms: list[Match] = []  # resolved once every full name of the document is known
    named: set[str] = set()
    dateline_end = 0  # names inside a dateline ("SEOUL, South Korea (AP) —") do not count
    for match in chosen:
        kind, key = match.group.split(":", 1)
        if kind == "exclude" or match.start < dateline_end:
            continue
        if labels and any(start <= match.start < end for start, end in labels):
            continue  # a transcript's speaker label ("SEN. SULLIVAN:") is not a mention
        if (
            exclusions
            and kind in ("full", "order", "initial", "alias", "typo", "metonym")
            and any(
                e.group == f"exclude:{key}" and e.start < match.end and match.start < e.end
                for e in exclusions
            )
        ):
            continue
        if (
            kind in ("full", "alias")
            and actors.actors[key].type == "state"
            and _in_institution_name(text, tokens, match, actors)
        ):
            continue  # "The Japan Times", "Korea Institute for Defense Analyses", "the Sea of Japan"
        if kind in ("full", "alias") and actors.actors[key].type == "organisation":
            # only a name word before it: what follows an organisation's name is often its document or
            # office ("Security Council Resolution 2397", "UN Command")
            if _inside_other_name(text, tokens, match, actors, sentence_starts, after_too=False):
                continue
        if kind in _NAMED_RESOLUTIONS:
            named.add(key)
            mentions.append(_row(doc, actors, key, _NAMED_RESOLUTIONS[kind], match.start, match.end, starts))
        elif kind == "metonym":
            dateline = _dateline_end(text, match)
            if dateline is not None:
                dateline_end = dateline
                continue
            # a capital inside a name is part of it, not a government ("The Washington Times", "Seoul
            # National University")
            if (
                metonyms
                and not _inside_other_name(text, tokens, match, actors, sentence_starts)
                and not _a_place(text, tokens, match, actors)
            ):
                mentions.append(_row(doc, actors, key, "metonym", match.start, match.end, starts))
        elif kind == "short" and not _capitalised_word(text, match):
            continue  # "the moon rose", "Ban Ki-moon": not the surname Moon
        elif not (kind == "short" and _inside_other_name(text, tokens, match, actors, sentence_starts)):
            short_forms.append(match)
    unresolved = []
    for match in short_forms:
        actor_id, resolution, start, candidates = _resolve_short(text, match, actors, named, year)
        if actor_id:
            mentions.append(_row(doc, actors, actor_id, resolution, start, match.end, starts))
        else:
            row = (doc.doc_id, text[start : match.end], candidates, resolution)
            unresolved.append(
                (*row, sentence_index(starts, start), start, match.end, page_at(doc.page_starts, start))
            )
    mentions.sort(key=lambda row: row[6])
    return mentions, unresolved, _name_coverage(found)


def _capitalised_word(text: str, match: Match) -> bool:
    """Whether a short form is capitalised, as a name is: "the moon rose" and "Ban Ki-moon" are not the
    surname Moon ("Trump-Kim talks" still names Kim)."""
    return text[match.start].isupper()


def _row(
    doc: Document, actors: ActorList, actor_id: str, resolution: str, start: int, end: int, starts
) -> tuple:
    """One evidence row of ``MENTIONS``."""
    kind = actors.actors[actor_id].type
    text = doc.full_text[start:end]
    page = page_at(doc.page_starts, start)
    return (doc.doc_id, actor_id, kind, text, resolution, sentence_index(starts, start), start, end, page)


def _role_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in ("of", "the", "mr", "mrs", "ms", "dr")}


def _in_office(role: str, year: int) -> bool:
    """Does the role's "(2017–2021, 2025–)" cover ``year``? A role without years covers none."""
    return any(
        int(first) <= year <= (int(last) if last else 9999 if dash else int(first))
        for first, dash, last in _TERMS.findall(role)
    )


# A term of office in a role: "2017–2021", "2025–" (still in office), or a single year ("2025").
_TERMS = re.compile(r"\b((?:19|20)\d\d)(\s*[\u2013-]\s*)?((?:19|20)\d\d)?")


def _resolve_short(
    text: str, match: Match, actors: ActorList, named: set[str], year: int | None = None
) -> tuple[str | None, str, int, str]:
    """The person a short form or "<short form> administration" names: the one listed person with that short
    form named in full in the document; else, when nobody with it is, the only listed person with it, or the
    only one whose role has the title before it ("Foreign Minister Cho"), or, of those, the only one in office
    in the document's year ("President Lee" and "the Lee government" in 2025). Returns the actor (None when
    unresolved), the resolution or the reason it stays unresolved, where the mention starts (its title
    included), and the candidates' names. A bare shared surname ("Kim") is never settled by dates."""
    kind, key = match.group.split(":", 1)
    owners = actors.short_owners[key]
    known = [a for a in owners if a in named]
    title = actors.title_re.search(text, max(0, match.start - 40), match.start) if kind == "short" else None
    start = title.start() if title and title.end() == match.start else match.start
    titled = start < match.start
    if kind == "admin" and len(owners) == 1:
        return owners[0], "administration", start, ""
    if len(known) == 1:
        resolution = "title + short form" if titled else "short form"
        return known[0], "administration" if kind == "admin" else resolution, start, ""
    if known:
        return None, "ambiguous: several were named in full", start, ", ".join(map(actors.name, known))
    surface = text[match.start : match.end]
    if kind == "short" and surface[:1].isupper() and (titled or surface not in actors.stop_words):
        if len(owners) == 1:
            return owners[0], "unique short form", start, ""
        wanted = _role_words(text[start : match.start]) if titled else set()
        by_role = [a for a in owners if wanted and wanted <= _role_words(actors.actors[a].role)]
        if len(by_role) == 1:
            return by_role[0], "title + role", start, ""
        in_office = [a for a in by_role if year and _in_office(actors.actors[a].role, year)]
        if len(in_office) == 1:
            return in_office[0], "title + role", start, ""
    if kind == "admin" and year:
        in_office = [a for a in owners if _in_office(actors.actors[a].role, year)]
        if len(in_office) == 1:
            return in_office[0], "administration", start, ""
    reason = "not named in full in the document, and several listed persons have this name"
    return None, reason, start, ", ".join(map(actors.name, owners))


def _name_coverage(found: list[Match]) -> set[int]:
    """Token positions taken by listed names, aliases, typos, metonyms, "<name> administration" forms and
    exclusions; not short forms, which may open another person's name ("Kim Yong-beom")."""
    return {
        i for m in found if not m.group.startswith("short:") for i in range(m.first_token, m.last_token + 1)
    }


# The scan's stage tables of actors: mentions (the evidence) and short forms left unresolved, with the
# columns of their tables, and the person-like names no actor covers (candidates for unlisted names).
MENTIONS = schema_of("actor_evidence").declared
UNRESOLVED = schema_of("actor_unresolved").declared
NAME_CANDIDATES = pa.schema(
    [("doc_id", pa.string()), ("name", pa.string()), ("sentence_index", pa.int64()), ("context", pa.bool_())]
)


def document_mentions(
    doc: Document, tokens: Tokens, actors: ActorList, metonyms: bool
) -> tuple[list, list, list]:
    """One document's rows of ``MENTIONS``, ``UNRESOLVED`` and ``NAME_CANDIDATES`` (one pass over its
    words)."""
    mentions, unresolved, covered = resolve_document(doc, actors, metonyms, tokens)
    names = [(doc.doc_id, *candidate) for candidate in name_candidates(doc, tokens, actors, covered)]
    return mentions, unresolved, names


def scan_part(actors: ActorList, metonyms: bool = True) -> Part:
    """Name matching as a per-document part of the scan (cached per partition, actor list and options)."""
    described = (
        sorted(actors.actors.items()),
        actors.title_re.pattern,
        sorted(actors.not_person_words),
        sorted(actors.stop_words),
        sorted(actors.person_context_words),
        sorted(actors.speech_verbs),
        sorted(actors.place_prepositions),
        sorted(actors.institution_words),
        metonyms,
    )
    key = fingerprint(
        Path(__file__), schemas, names_code, variants_code, actors_lexicon, lexicon_module, described
    )
    return Part(
        "actors",
        key,
        functools.partial(document_mentions, actors=actors, metonyms=metonyms),
        (MENTIONS, UNRESOLVED, NAME_CANDIDATES),
        labels=(("doc_id", "actor", "actor_type", "surface", "resolution"),),
    )
