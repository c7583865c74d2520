"""Actor mentions: who is talked about, when, with whom and about what — names resolved by rule.

Resolution rules (documented for analysts in config/actors.yaml):
- full names and aliases count wherever they occur, in any spelling the lexicon rules allow;
- a near-miss of a person's full name counts as a typo when its first word is exact;
- a short form ("Kim", "President Lee") counts only when exactly one listed person with that short
  form was named in full earlier in the same document; otherwise it is listed as unresolved;
- "<short form> administration" counts for the person when the short form belongs to one listed
  person, and is resolved like a short form when several share it;
- capitals used for governments count for the state as metonyms, and can be switched off;
- across actors, the longest match wins: "Democratic People's Republic of Korea" is not also
  "Republic of Korea", "Kim Jong Un" is not also "Kim".
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import defaultdict
from itertools import compress
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

from policybrief import present
from policybrief.present import alt
from policybrief.cleaning import CleaningRules
from policybrief.config import CONFIG_DIR, check_mapping, load_yaml
from policybrief.corpus import Corpus, Document
from policybrief.dates import parse_date
from policybrief.errors import BriefingError
from policybrief import lexicon as lexicon_module
from policybrief.lexicon import (GAPS, LexiconError, Match, Matcher, Tokens, longest_per_group, parse_term,
                                 sentence_index, tokenize)
from policybrief.scan import Part, fingerprint, remembered, rows_frame, scan
from policybrief.overview import doc_label, documents_shown, long_date, short_title, shown_note
from policybrief.periods import all_periods, period_label, period_start
from policybrief.stats import wilson
from policybrief.text import plural

DEFAULT_ACTORS_PATH = CONFIG_DIR / "actors.yaml"
ACTOR_TYPES = ("person", "state", "organisation")
_ACTOR_KEYS = {"name", "type", "role", "country", "aliases", "short", "metonyms", "exclude"}
RESOLUTIONS = ["full name", "alias", "typo", "short form", "title + short form", "administration", "metonym"]
EVIDENCE_COLUMNS = ["doc_id", "actor", "actor_type", "surface", "resolution", "sentence_index", "start", "end"]
UNRESOLVED_COLUMNS = ["doc_id", "surface", "candidates", "reason", "sentence_index", "start", "end"]
TIME_BINS = ("auto", "document", "month", "quarter", "year")
# With "auto", each document is its own point up to this many dated documents, months above.
AUTO_DOCUMENT_LIMIT = 40


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    type: str
    role: str
    country: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]
    metonyms: tuple[str, ...]


@dataclass
class ActorList:
    path: Path
    actors: dict[str, Actor]
    matcher: Matcher
    short_owners: dict[str, list[str]]  # lower-case short form -> actor ids
    person_names: list[tuple[str, str, tuple[str, ...]]]  # actor id, name as written, its words in lower case
    title_re: re.Pattern
    not_person_words: frozenset[str]
    title_words: frozenset[str]
    stop_words: frozenset[str]  # capitalised words that open sentences rather than names

    def name(self, actor_id: str) -> str:
        return self.actors[actor_id].name

    @functools.cached_property
    def person_first_words(self) -> frozenset[str]:
        return frozenset(words[0] for _, _, words in self.person_names)


def _strings(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BriefingError(f"{where}: expected a list of names in text (quote words like 'no')")
    return value


def default_stop_words() -> frozenset[str]:
    """Capitalised words that open sentences rather than names (from config/cleaning.yaml)."""
    return frozenset(CleaningRules.load().sentence_starters) | {"The", "A", "An", "And", "Of", "In", "To"}


def load_actors(path: str | Path = DEFAULT_ACTORS_PATH) -> ActorList:
    """Read and check the actor list; every problem names the actor and the name."""
    path = Path(path)
    data = load_yaml(path, {"actors", "titles", "administration_words", "not_person_words"})
    entries = data.get("actors")
    if not isinstance(entries, dict) or not entries:
        raise BriefingError(f"{path}: 'actors' must map actor ids to their name, type and aliases")
    admin_words = _strings(data.get("administration_words"), f"{path}: administration_words")
    titles = _strings(data.get("titles"), f"{path}: titles")
    actors, terms, short_owners, person_names = {}, [], defaultdict(list), []
    seen: dict[tuple, str] = {}

    def add(source: str, group: str, owner: str) -> list:
        try:
            parsed = parse_term(source, group)
        except LexiconError as exc:
            raise BriefingError(f"{path}: actor '{owner}', name {source!r}: {exc}") from None
        kind = group.split(":")[0]
        if kind not in ("short", "admin"):  # short forms may be shared ("Kim"); names and exclusions may not
            key = (group if kind == "exclude" else "name", parsed[0].words)
            if key in seen:
                raise BriefingError(f"{path}: actor '{owner}', name {source!r}: duplicates a name of '{seen[key]}'")
            seen[key] = owner
        terms.extend(parsed)
        return parsed

    for actor_id, entry in entries.items():
        actor_id = str(actor_id)
        where = f"{path}: actor '{actor_id}'"
        check_mapping(entry, _ACTOR_KEYS, where, "name, type and aliases")
        name, kind = entry.get("name"), entry.get("type")
        if not isinstance(name, str) or not name.strip():
            raise BriefingError(f"{where}: has no name")
        if kind not in ACTOR_TYPES:
            raise BriefingError(f"{where}: type {kind!r} is not one of {', '.join(ACTOR_TYPES)}")
        aliases = _strings(entry.get("aliases"), f"{where}: aliases")
        short = _strings(entry.get("short"), f"{where}: short")
        metonyms = _strings(entry.get("metonyms"), f"{where}: metonyms")
        exclude = _strings(entry.get("exclude"), f"{where}: exclude")
        if short and kind != "person":
            raise BriefingError(f"{where}: short forms are for persons only")
        for parsed in [add(name, f"full:{actor_id}", actor_id)] + [add(a, f"alias:{actor_id}", actor_id) for a in aliases]:
            if kind == "person" and len(parsed[0].words) > 1:
                person_names.append((actor_id, parsed[0].source, tuple(w.text for w in parsed[0].words)))
        for form in short:
            group_key = " ".join(w.text for w in parse_term(form, "")[0].words)
            short_owners[group_key].append(actor_id)
            add(form, f"short:{group_key}", actor_id)
            for word in admin_words:
                add(f"{form} {word}", f"admin:{group_key}", actor_id)
        for metonym in metonyms:
            add(metonym, f"metonym:{actor_id}", actor_id)
        for phrase in exclude:
            add(phrase, f"exclude:{actor_id}", actor_id)
        actors[actor_id] = Actor(actor_id, name.strip(), kind, str(entry.get("role") or ""), str(entry.get("country") or ""),
                                 tuple(aliases), tuple(short), tuple(metonyms))
    alternation = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(titles, key=len, reverse=True))
    title_re = re.compile(rf"(?<![\w.])(?:{alternation})\s+$" if titles else r"(?!x)x")
    not_person = frozenset(w.lower() for w in _strings(data.get("not_person_words"), f"{path}: not_person_words"))
    title_words = frozenset(w.lower().rstrip(".") for t in titles for w in t.split())
    return ActorList(path, actors, Matcher(terms), dict(short_owners), person_names, title_re, not_person, title_words,
                     default_stop_words())


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
            if not all(text[ends[j]:starts[j + 1]] in GAPS for j in range(i, end - 1)):
                continue
            candidate = " ".join(lower[i:end])
            if candidate != target and Levenshtein.distance(candidate, target) <= limit:
                found.append(Match(f"typo:{actor_id}", source, starts[i], ends[end - 1], i, end - 1))
    return found


def _inside_other_name(text: str, tokens: Tokens, match: Match, actors: ActorList, sentence_starts: set[int]) -> bool:
    """Is this short form part of another person's full name ("Kim Jung-kwan", "Andrew Kim")?"""
    def name_word(i: int) -> bool:
        word = text[tokens[i].start:tokens[i].end]
        if not word[:1].isupper() or tokens[i].lower in actors.title_words or word in actors.stop_words:
            return False
        return not (tokens[i].start in sentence_starts and _zipf(tokens[i].lower) >= _COMMON_OPENER_ZIPF)

    after, before = match.last_token + 1, match.first_token - 1
    if after < len(tokens) and text[match.end:tokens[after].start] in (" ", "-") and name_word(after):
        return True
    return before >= 0 and text[tokens[before].end:match.start] == " " and name_word(before)


def _is_dateline(text: str, match: Match) -> bool:
    """A capital opening a paragraph and followed by a colon or dash is a dateline, not a government."""
    opens_paragraph = match.start == 0 or text[match.start - 1] == "\n"
    return opens_paragraph and bool(re.match(r"\s*[:\u2013\u2014-]", text[match.end:match.end + 3]))


_NAMED_RESOLUTIONS = {"full": "full name", "alias": "alias", "typo": "typo"}  # kinds that name an actor in full


def resolve_found(doc: Document, actors: ActorList, tokens: Tokens | None = None) -> list[Match]:
    """Every name match in the document, typos included, before overlaps are resolved."""
    tokens = tokenize(doc.text) if tokens is None else tokens
    found = actors.matcher.find(doc.text, tokens)
    return found + _typo_matches(doc.text, tokens, [m for m in found if m.group.startswith(("full:", "alias:"))], actors)


def resolve_document(doc: Document, actors: ActorList, metonyms: bool = True,
                     tokens: Tokens | None = None) -> tuple[list[tuple], list[tuple], set[int]]:
    """Mentions (evidence rows) and unresolved short forms of one document, in text order, and the token
    positions its listed names take."""
    text = doc.text
    tokens = tokenize(text) if tokens is None else tokens
    found = resolve_found(doc, actors, tokens)
    exclusions = [m for m in found if m.group.startswith("exclude:")]
    chosen = longest_per_group(found, key=lambda m: "all")
    starts = [s for s, _ in doc.sentence_spans]
    sentence_starts = None
    mentions, unresolved = [], []
    named: set[str] = set()
    for match in chosen:
        kind, key = match.group.split(":", 1)
        if kind == "exclude":
            continue
        if exclusions and kind in ("full", "alias", "typo", "metonym") and any(
                e.group == f"exclude:{key}" and e.start < match.end and match.start < e.end for e in exclusions):
            continue
        start = match.start
        if kind in _NAMED_RESOLUTIONS:
            named.add(key)
            resolution, actor_id = _NAMED_RESOLUTIONS[kind], key
        elif kind == "metonym":
            if not metonyms or _is_dateline(text, match):
                continue
            resolution, actor_id = "metonym", key
        else:
            if sentence_starts is None:
                sentence_starts = set(starts)
            if kind == "short" and _inside_other_name(text, tokens, match, actors, sentence_starts):
                continue
            owners = actors.short_owners[key]
            known = [a for a in owners if a in named]
            title = actors.title_re.search(text, max(0, match.start - 40), match.start) if kind == "short" else None
            if title and title.end() == match.start:
                start = title.start()
            if kind == "admin" and len(owners) == 1:
                actor_id, resolution = owners[0], "administration"
            elif len(known) == 1:
                actor_id = known[0]
                resolution = "administration" if kind == "admin" else ("title + short form" if start < match.start else "short form")
            else:
                reason = "not named in full earlier in the document" if not known else "ambiguous: several were named in full"
                names = ", ".join(actors.name(a) for a in (known or owners))
                unresolved.append((doc.doc_id, text[start:match.end], names, reason, sentence_index(starts, start), start, match.end))
                continue
        mentions.append((doc.doc_id, actor_id, actors.actors[actor_id].type, text[start:match.end], resolution,
                         sentence_index(starts, start), start, match.end))
    return mentions, unresolved, _name_coverage(found)


def _name_coverage(found: list[Match]) -> set[int]:
    """Token positions taken by listed names, aliases, typos, metonyms and exclusions (not short forms)."""
    return {i for m in found if not m.group.startswith(("short:", "admin:")) for i in range(m.first_token, m.last_token + 1)}


def document_mentions(doc: Document, tokens: Tokens, actors: ActorList, metonyms: bool) -> tuple[list, list, list]:
    """One document's mentions, unresolved short forms and unlisted-name candidates (one pass over its words)."""
    mentions, unresolved, covered = resolve_document(doc, actors, metonyms, tokens)
    return mentions, unresolved, name_candidates(doc, tokens, actors, covered)


def scan_part(actors: ActorList, metonyms: bool = True) -> Part:
    """Name matching as a per-document part of the scan (cached per document, actor list and options)."""
    described = (sorted(actors.actors.items()), actors.title_re.pattern, sorted(actors.not_person_words),
                 sorted(actors.stop_words), metonyms)
    key = fingerprint(Path(__file__), Path(lexicon_module.__file__), described)
    return Part("actors", key, functools.partial(document_mentions, actors=actors, metonyms=metonyms))


def find_mentions(corpus: Corpus, actors: ActorList, metonyms: bool = True, progress=None) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Evidence and unresolved short forms of the corpus, and each document's unlisted-name candidates."""
    found = scan(corpus, [scan_part(actors, metonyms)], progress=progress)["actors"]
    evidence = [row for mentions, _, _ in found for row in mentions]
    unresolved = [row for _, missing, _ in found for row in missing]
    candidates = [names for _, _, names in found]
    return (rows_frame(evidence, EVIDENCE_COLUMNS, ["doc_id", "actor", "actor_type", "surface", "resolution"]),
            pd.DataFrame(unresolved, columns=UNRESOLVED_COLUMNS), candidates)


_RUN_TOKEN = re.compile(r"^[A-Z][\w'-]*$")

# A sentence's first word starts a name only if it is not a common word ("Traditional", "Last").
_COMMON_OPENER_ZIPF = 4.5
_COMMON_WORD_ZIPF = 5.0


@functools.lru_cache(maxsize=100_000)
def _zipf(word: str) -> float:
    """English word frequency (Zipf scale), remembered: wordfreq normalises the word on every call."""
    return zipf_frequency(word, "en")


@functools.lru_cache(maxsize=100_000)
def _name_word(word: str, key: str, stop_words: frozenset[str], title_words: frozenset[str]) -> bool:
    """Can this word, as written, be part of a name? Remembered: the same words recur in every document."""
    return bool(_RUN_TOKEN.match(word)) and word.rstrip(".") not in stop_words and key not in title_words


def _looks_like_heading(sentence: str) -> bool:
    """Title-case headings ("Promises Less in Alliance") hold no names worth listing.

    A heading: most words capitalised, and either no closing punctuation or a short line of capitals.
    """
    words = re.findall(r"[A-Za-z][\w'-]*", sentence)
    capitalised = sum(map(str.isupper, map(itemgetter(0), words))) / len(words) if words else 0.0
    if capitalised < 0.6:
        return False
    return not sentence.rstrip().endswith((".", "!", "?", '"')) or (len(words) <= 8 and capitalised >= 0.75)


def name_candidates(doc: Document, tokens: Tokens, actors: ActorList, covered: set[int]) -> list[tuple[str, int]]:
    """Person-like names in one document that no listed name covers: runs of 2–4 capitalised words,
    as (name, sentence index)."""
    text, starts_of, ends_of, lower, cased = doc.text, tokens.starts, tokens.ends, tokens.lower, tokens.cased
    starts = [s for s, _ in doc.sentence_spans]
    sentence_starts = set(starts)
    found = []

    @functools.lru_cache(maxsize=None)
    def in_heading(sentence: int) -> bool:
        start, end = doc.sentence_spans[sentence]
        return _looks_like_heading(text[start:end])

    def name_like(i: int) -> bool:
        if not _name_word(text[starts_of[i]:ends_of[i]], lower[i], actors.stop_words, actors.title_words):
            return False
        if in_heading(sentence_index(starts, starts_of[i])):
            return False
        opens_sentence = starts_of[i] in sentence_starts
        return not (opens_sentence and _zipf(lower[i]) >= _COMMON_OPENER_ZIPF)

    def joined(a: int, b: int) -> bool:
        gap = text[ends_of[a]:starts_of[b]]
        return gap in (" ", "-") or (gap == ". " and len(cased[a]) == 1)  # "Joel S. Wit"

    def continues(i: int) -> bool:  # the lower-case part of a hyphenated name: "Jung-kwan"
        return i < len(cased) and text[ends_of[i - 1]:starts_of[i]] == "-" and cased[i].islower()

    def record(run: list[int]) -> None:
        if not 2 <= len(run) <= 4 or any(lower[j] in actors.not_person_words for j in run):
            return
        if starts_of[run[0]] in sentence_starts and _zipf(lower[run[-1]]) >= _COMMON_WORD_ZIPF:
            return  # "Tempestuous Time for …": a capitalised opener and a common word, not a name
        found.append((text[starts_of[run[0]]:ends_of[run[-1]]], sentence_index(starts, starts_of[run[0]])))

    capitalised = [*map(str.isupper, map(itemgetter(0), cased)), False]  # tokens are never empty

    def alone(i: int) -> bool:  # no capitalised or hyphen-joined word beside it: a run of one, never a name
        return (not capitalised[i + 1] and not (i > 0 and capitalised[i - 1]) and not continues(i + 1)
                and not (i > 1 and text[ends_of[i - 2]:starts_of[i - 1]] == "-"))

    run: list[int] = []
    # Only these can start or extend a name. Words of listed names are left out: the gap they leave ends a run
    # as a word that is not name-like does (a capitalised word is never the lower-case end of a hyphenated name).
    for i in [i for i in compress(range(len(cased)), capitalised) if i not in covered and not alone(i)]:
        if run and i != run[-1] + 1:
            while run[-1] + 1 < i and continues(run[-1] + 1):
                run.append(run[-1] + 1)
            if run[-1] + 1 < i:
                record(run)
                run = []
        if not name_like(i):
            record(run)
            run = []
        elif run and not joined(run[-1], i):
            record(run)
            run = [i]
        else:
            run.append(i)
    while run and continues(run[-1] + 1):
        run.append(run[-1] + 1)
    record(run)
    return found


def unlisted_names(corpus: Corpus, actors: ActorList, candidates: list[list[tuple[str, int]]] | None = None) -> pd.DataFrame:
    """Person-like names no actor covers, with mentions, documents and the first example sentence.

    ``candidates`` (from ``find_mentions``) saves matching the names a second time.
    """
    if candidates is None:
        candidates = find_mentions(corpus, actors)[2]
    columns = ["name", "mentions", "documents", "example_doc_id", "example_sentence"]
    rows = [(name, doc.doc_id, index) for doc, names in zip(corpus.documents, candidates) for name, index in names]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows, columns=["name", "doc_id", "sentence_index"])
    grouped = frame.groupby("name", sort=False).agg(mentions=("doc_id", "size"), documents=("doc_id", "nunique"),
                                                    example_doc_id=("doc_id", "first"), index=("sentence_index", "first"))
    docs = {d.doc_id: d for d in corpus.documents}
    grouped["example_sentence"] = [docs[d].text[slice(*docs[d].sentence_spans[i])]
                                   for d, i in zip(grouped["example_doc_id"], grouped["index"])]
    result = grouped.reset_index()[columns]
    return result.sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)


# --- measures -----------------------------------------------------------------------------------

def mentions_per_document(corpus: Corpus, evidence: pd.DataFrame, actors: ActorList) -> pd.DataFrame:
    """Per document and actor mentioned: mentions, per 1,000 words, and how each mention was resolved."""
    columns = ["doc_id", "date", "actor", "name", "actor_type", "mentions", "words", "per_1k_words"] + [
        r.replace(" + ", "_").replace(" ", "_") for r in RESOLUTIONS]
    if evidence.empty:
        return pd.DataFrame(columns=columns)
    words = {d.doc_id: d.words for d in corpus.documents}
    dates = {d.doc_id: d.date for d in corpus.documents}
    counts = evidence.groupby(["doc_id", "actor", "resolution"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=RESOLUTIONS, fill_value=0)
    counts.columns = [r.replace(" + ", "_").replace(" ", "_") for r in RESOLUTIONS]
    frame = counts.reset_index()
    frame["mentions"] = counts.sum(axis=1).to_numpy()
    frame["date"] = frame["doc_id"].map(dates)
    frame["words"] = frame["doc_id"].map(words)
    frame["name"] = frame["actor"].map(actors.name)
    frame["actor_type"] = frame["actor"].map(lambda a: actors.actors[a].type)
    frame["per_1k_words"] = [round(1000 * int(m) / int(w), 3) if w else 0.0 for m, w in zip(frame["mentions"], frame["words"])]
    return frame[columns].sort_values(["doc_id", "mentions", "actor"], ascending=[True, False, True]).reset_index(drop=True)


def resolve_bin(time_bin: str, corpus: Corpus) -> str:
    if time_bin not in TIME_BINS:
        raise BriefingError(f"time_bin={time_bin!r} is not one of {', '.join(TIME_BINS)}")
    if time_bin != "auto":
        return time_bin
    return "document" if sum(1 for d in corpus.documents if d.date) <= AUTO_DOCUMENT_LIMIT else "month"


def _bins(corpus: Corpus, time_bin: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each dated document's bin, and every bin in order as (label, start date), empty ones included."""
    dated = sorted((d for d in corpus.documents if d.sort_date), key=lambda d: (d.sort_date, d.doc_id))
    if not dated:
        return {}, []
    if time_bin == "document":
        labels, taken = {}, defaultdict(int)
        for d in dated:  # one bar per document, labelled by its date ("2025-01-16", then "2025-01-16 #2")
            taken[d.date] += 1
            labels[d.doc_id] = d.date if taken[d.date] == 1 else f"{d.date} #{taken[d.date]}"
        return labels, [(labels[d.doc_id], d.sort_date.isoformat()) for d in dated]
    starts = {d.doc_id: period_start(d.sort_date, time_bin) for d in dated}
    periods = all_periods(min(starts.values()), max(starts.values()), time_bin)
    return ({doc_id: period_label(start, time_bin) for doc_id, start in starts.items()},
            [(period_label(p, time_bin), p.isoformat()) for p in periods])


def mentions_over_time(corpus: Corpus, per_doc: pd.DataFrame, time_bin: str) -> pd.DataFrame:
    """Per bin and actor: documents, documents mentioning (with a Wilson interval), mentions and rate."""
    columns = ["period", "period_start", "actor", "name", "documents", "documents_mentioning", "share", "ci_low", "ci_high",
               "mentions", "words", "per_1k_words"]
    doc_bin, bins = _bins(corpus, time_bin)
    if not bins or per_doc.empty:
        return pd.DataFrame(columns=columns)
    docs_in = defaultdict(list)
    for doc in corpus.documents:
        if doc.doc_id in doc_bin:
            docs_in[doc_bin[doc.doc_id]].append(doc)
    by_doc = per_doc.set_index(["doc_id", "actor"])["mentions"].to_dict()
    names = dict(zip(per_doc["actor"], per_doc["name"]))
    rows = []
    for label, start in bins:
        members = docs_in.get(label, [])
        words = sum(d.words for d in members)
        for actor_id in sorted(names):
            counts = [by_doc.get((d.doc_id, actor_id), 0) for d in members]
            mentioning = sum(1 for c in counts if c)
            low, high = wilson(mentioning, len(members))
            rows.append({"period": label, "period_start": start, "actor": actor_id, "name": names[actor_id],
                         "documents": len(members), "documents_mentioning": mentioning,
                         "share": round(mentioning / len(members), 4) if members else 0.0,
                         "ci_low": round(low, 4), "ci_high": round(high, 4), "mentions": sum(counts), "words": words,
                         "per_1k_words": round(1000 * sum(counts) / words, 3) if words else 0.0})
    return pd.DataFrame(rows, columns=columns)


def appearances(corpus: Corpus, per_doc: pd.DataFrame, split_date: str | None) -> pd.DataFrame:
    """First and last appearance of each actor, and its share of documents before and after the split."""
    columns = ["actor", "name", "documents", "mentions", "first_date", "first_doc", "last_date", "last_doc",
               "documents_before", "mentioning_before", "documents_after", "mentioning_after", "change"]
    if per_doc.empty:
        return pd.DataFrame(columns=columns)
    split = parse_date(split_date).sort_key if split_date and parse_date(split_date) else None
    dated = {d.doc_id: d for d in corpus.documents if d.sort_date}
    before = {i for i, d in dated.items() if split and d.sort_date < split}
    after = {i for i, d in dated.items() if split and d.sort_date >= split}
    rows = []
    for actor_id, group in per_doc.groupby("actor"):
        in_docs = sorted((dated[i].sort_date, i) for i in group["doc_id"] if i in dated)
        docs_with = set(group["doc_id"])
        b, a = len(docs_with & before), len(docs_with & after)
        change = ("" if not split else "new after the split" if b == 0 and a > 0 else
                  "gone after the split" if a == 0 and b > 0 and after else "in both periods" if a and b else "")
        rows.append({"actor": actor_id, "name": group["name"].iloc[0], "documents": group["doc_id"].nunique(),
                     "mentions": int(group["mentions"].sum()),
                     "first_date": in_docs[0][0].isoformat() if in_docs else "", "first_doc": in_docs[0][1] if in_docs else "",
                     "last_date": in_docs[-1][0].isoformat() if in_docs else "", "last_doc": in_docs[-1][1] if in_docs else "",
                     "documents_before": len(before), "mentioning_before": b, "documents_after": len(after),
                     "mentioning_after": a, "change": change})
    return pd.DataFrame(rows, columns=columns).sort_values(["mentions", "actor"], ascending=[False, True]).reset_index(drop=True)


def co_mentions(evidence: pd.DataFrame) -> pd.DataFrame:
    """Pairs of actors named in the same sentence: how many sentences."""
    named = evidence[["doc_id", "sentence_index", "actor"]].drop_duplicates()
    pairs = named.merge(named, on=["doc_id", "sentence_index"], suffixes=("_a", "_b"))
    counts = pairs[pairs["actor_a"] < pairs["actor_b"]].groupby(["actor_a", "actor_b"]).size()
    return pd.DataFrame({"actor_a": counts.index.get_level_values(0) if len(counts) else [],
                         "actor_b": counts.index.get_level_values(1) if len(counts) else [],
                         "sentences": counts.to_numpy(dtype=np.int64)}, columns=["actor_a", "actor_b", "sentences"])


def actor_theme(evidence: pd.DataFrame, theme_evidence: pd.DataFrame, theme_labels: dict[str, str]) -> pd.DataFrame:
    """P(theme | a sentence naming the actor), with a Wilson interval and the first sentence as evidence."""
    columns = ["actor", "theme", "label", "actor_sentences", "sentences", "share", "ci_low", "ci_high",
               "example_doc_id", "example_sentence_index"]
    if evidence.empty:
        return pd.DataFrame(columns=columns)
    actor_sentences = evidence[["doc_id", "sentence_index", "actor"]].drop_duplicates()
    theme_sentences = theme_evidence[["doc_id", "sentence_index", "theme"]].drop_duplicates()
    both = actor_sentences.merge(theme_sentences, on=["doc_id", "sentence_index"])
    totals = actor_sentences.groupby("actor").size()
    ordered = both.sort_values(["actor", "theme", "doc_id", "sentence_index"])
    cells = ordered.groupby(["actor", "theme"], sort=True)
    first, sizes = cells.first(), cells.size()
    rows = []
    for (actor_id, theme_id), k in sizes.items():
        n, k = int(totals[actor_id]), int(k)
        low, high = wilson(k, n)
        example = first.loc[(actor_id, theme_id)]
        rows.append({"actor": actor_id, "theme": theme_id, "label": theme_labels.get(theme_id, theme_id),
                     "actor_sentences": n, "sentences": k, "share": round(k / n, 4), "ci_low": round(low, 4),
                     "ci_high": round(high, 4), "example_doc_id": example["doc_id"],
                     "example_sentence_index": int(example["sentence_index"])})
    return pd.DataFrame(rows, columns=columns)


@dataclass
class ActorAnalysis:
    actors: ActorList
    evidence: pd.DataFrame
    unresolved: pd.DataFrame
    per_document: pd.DataFrame
    over_time: pd.DataFrame
    appearances: pd.DataFrame
    co_mentions: pd.DataFrame
    actor_theme: pd.DataFrame
    unlisted: pd.DataFrame
    time_bin: str
    split_date: str | None
    metonyms: bool
    key: str = ""  # what this analysis was computed from (besides the corpus), for the analyses built on it


def analyse(corpus: Corpus, actor_list: ActorList, theme_analysis, metonyms: bool = True, time_bin: str = "auto",
            split_date: str | None = "2025-01-20") -> ActorAnalysis:
    """Every actor measure, from one pass of name matching over the corpus; computed once per corpus and
    options, then read from the cache."""
    key = fingerprint(scan_part(actor_list, metonyms).key, theme_analysis.key, time_bin, split_date)

    def compute() -> ActorAnalysis:
        evidence, unresolved, candidates = find_mentions(corpus, actor_list, metonyms)
        per_doc = mentions_per_document(corpus, evidence, actor_list)
        resolved_bin = resolve_bin(time_bin, corpus)
        labels = {t: theme_analysis.lexicon.short(t) for t in theme_analysis.lexicon.themes}
        return ActorAnalysis(actor_list, evidence, unresolved, per_doc, mentions_over_time(corpus, per_doc, resolved_bin),
                             appearances(corpus, per_doc, split_date), co_mentions(evidence),
                             actor_theme(evidence, theme_analysis.evidence, labels),
                             unlisted_names(corpus, actor_list, candidates), resolved_bin, split_date, metonyms, key)
    return remembered(corpus, "actors", key, compute)


def tables(analysis: ActorAnalysis) -> dict[str, pd.DataFrame]:
    return {
        "actor_evidence.csv": analysis.evidence,
        "actor_unresolved.csv": analysis.unresolved,
        "actor_mentions.csv": analysis.per_document,
        "actor_over_time.csv": analysis.over_time,
        "actor_appearances.csv": analysis.appearances,
        "actor_cooccurrence.csv": analysis.co_mentions,
        "actor_theme.csv": analysis.actor_theme,
        "unlisted_names.csv": analysis.unlisted,
    }


def main_actors(analysis: ActorAnalysis, count: int = 8, show: list[str] | None = None) -> list[str]:
    """The actors to chart: those asked for, else the most widely mentioned (documents, then mentions)."""
    if show:
        return [a for a in show if a in analysis.actors.actors]
    ranked = analysis.appearances.sort_values(["documents", "mentions", "actor"], ascending=[False, False, True])
    return ranked["actor"].head(count).tolist()


def narrative(corpus: Corpus, analysis: ActorAnalysis, count: int = 3) -> str:
    """A paragraph from the numbers: who dominates, who arrives or leaves, what stays unresolved."""
    app = analysis.appearances
    if app.empty:
        return "No listed actor is mentioned in these documents."
    parts = []
    people = app[app["actor"].map(lambda a: analysis.actors.actors[a].type == "person")].head(count)
    if len(people):
        described = [f"{r.name} ({plural(r.mentions, 'mention')} in {r.documents} of {len(corpus.documents)} documents)"
                     for r in people.itertuples()]
        parts.append(f"The most mentioned people are {', '.join(described[:-1])} and {described[-1]}." if len(described) > 1
                     else f"The most mentioned person is {described[0]}.")
    states = app[app["actor"].map(lambda a: analysis.actors.actors[a].type == "state")].head(1)
    if len(states):
        parts.append(f"Among states, {states.iloc[0]['name']} leads with {plural(int(states.iloc[0]['mentions']), 'mention')}.")
    if analysis.split_date:
        split = long_date(analysis.split_date)
        for change, wording in (("new after the split", f"Named only from {split} on"),
                                ("gone after the split", f"Named only before {split}")):
            moved = app[app["change"] == change]
            side = "mentioning_after" if change.startswith("new") else "mentioning_before"
            total = "documents_after" if change.startswith("new") else "documents_before"
            several = moved[moved[side] >= 2]
            if len(several):
                listed = [f"{r.name} ({getattr(r, side)} of {getattr(r, total)} documents)" for r in several.itertuples()]
                others = len(moved) - len(several)
                tail = f", and {plural(others, 'actor')} named in a single document" if others else ""
                parts.append(f"{wording}: {', '.join(listed)}{tail}.")
    if analysis.metonyms:
        metonyms = int((analysis.evidence["resolution"] == "metonym").sum())
        parts.append(f"{plural(metonyms, 'mention')} of a state are capitals standing for its government "
                     f"(\u201cPyongyang rejected\u2026\u201d), counted as metonyms.")
    if len(analysis.unresolved):
        parts.append(f"{plural(len(analysis.unresolved), 'short form')} could not be resolved and are not counted "
                     f"(listed below).")
    if len(analysis.unlisted):
        names = analysis.unlisted["name"].head(3).tolist()
        more = len(analysis.unlisted) - len(names)
        parts.append(f"Named in the texts but not on the actor list: {', '.join(names)}"
                     f"{f' and {more} more' if more else ''} (see the list below).")
    return " ".join(parts)


# --- charts and what the notebook shows ---------------------------------------------------------

def timeline_chart(analysis: ActorAnalysis, shown: list[str]) -> alt.Chart:
    """Small multiples: each main actor's mentions per 1,000 words by period, on one shared scale."""
    frame = analysis.over_time[analysis.over_time["actor"].isin(shown)].copy()
    periods = list(dict.fromkeys(frame.sort_values("period_start")["period"]))
    frame["n"] = frame["period"] if analysis.time_bin == "document" else [
        f"{p} (n={n})" for p, n in zip(frame["period"], frame["documents"])]
    axis_order = list(dict.fromkeys(frame.sort_values("period_start")["n"]))
    names = [analysis.actors.name(a) for a in shown]
    bars = alt.Chart(frame).mark_bar(color="#1f4e79").encode(
        x=alt.X("n:N", sort=axis_order, title=None, axis=alt.Axis(labelAngle=-45, labelLimit=150, labelFontSize=9)),
        y=alt.Y("per_1k_words:Q", title="Per 1,000 words", axis=alt.Axis(titleFontSize=10)),
        tooltip=["name", "period", "mentions", "documents", "documents_mentioning", alt.Tooltip("per_1k_words:Q", format=".1f")],
    )
    title = ("Mentions of the main actors, document by document (shared scale)" if analysis.time_bin == "document"
             else f"Mentions of the main actors by {analysis.time_bin} (shared scale; n = documents in the period)")
    return bars.properties(width=max(100, 22 * len(periods)), height=80).facet(
        facet=alt.Facet("name:N", sort=names, title=None, header=alt.Header(labelFontSize=11, labelFontWeight="bold")),
        columns=2 if len(periods) > 12 else 4,
    ).properties(title=title)


def document_chart(corpus: Corpus, analysis: ActorAnalysis, shown: list[str]) -> alt.LayerChart:
    """Document × actor: the number of mentions, shaded per 1,000 words."""
    mentioned = analysis.per_document[analysis.per_document["actor"].isin(shown)]
    docs = documents_shown(corpus, mentioned.groupby("doc_id")["per_1k_words"].sum().to_dict())
    per_doc = analysis.per_document.set_index(["doc_id", "actor"])
    rows = []
    for doc in docs:
        for actor_id in shown:
            mentions = int(per_doc["mentions"].get((doc.doc_id, actor_id), 0))
            rows.append({"document": doc_label(doc), "actor": analysis.actors.name(actor_id), "mentions": mentions,
                         "per_1k_words": round(1000 * mentions / doc.words, 2) if doc.words else 0.0})
    frame = pd.DataFrame(rows)
    return present.matrix(frame, "document", "actor", "per_1k_words", "mentions", [doc_label(d) for d in docs],
                          [analysis.actors.name(a) for a in shown],
                          "Actor mentions by document (number = mentions; shade = per 1,000 words)", "Per 1,000 words",
                          tooltip=["actor", "document", "mentions", "per_1k_words"])


def co_mention_chart(analysis: ActorAnalysis, shown: list[str]) -> alt.LayerChart:
    """Pairs of main actors named in the same sentence."""
    names = [analysis.actors.name(a) for a in shown]
    counts = {(r.actor_a, r.actor_b): r.sentences for r in analysis.co_mentions.itertuples()}
    rows = [{"a": analysis.actors.name(a), "b": analysis.actors.name(b),
             "sentences": counts.get(tuple(sorted((a, b))), 0)}
            for i, a in enumerate(shown) for b in shown[:i]]
    frame = pd.DataFrame(rows, columns=["a", "b", "sentences"])
    return present.matrix(frame, "b", "a", "sentences", "sentences", names[:-1], names[1:],
                          "Actors named in the same sentence", "Sentences", scheme="greys", cell=(44, 22),
                          label_angle=-40, hide_zero=True)


def actor_theme_chart(analysis: ActorAnalysis, shown: list[str], theme_order: list[str]) -> alt.LayerChart:
    """Main actors × themes: sentences naming both; shade = share of the actor's sentences."""
    keep = analysis.actor_theme[analysis.actor_theme["actor"].isin(shown)]
    found = {(r.actor, r.label): (r.sentences, r.share) for r in keep.itertuples()}
    rows = [{"actor": analysis.actors.name(a), "theme": t, "sentences": found.get((a, t), (0, 0.0))[0],
             "share": found.get((a, t), (0, 0.0))[1]} for a in shown for t in theme_order]
    frame = pd.DataFrame(rows)
    return present.matrix(frame, "theme", "actor", "share", "sentences", theme_order,
                          [analysis.actors.name(a) for a in shown],
                          "Themes in the sentences naming each actor",
                          "Share", cell=(27, 22), label_angle=-40, hide_zero=True,
                          tooltip=["actor", "theme", "sentences", alt.Tooltip("share:Q", format=".0%")])


_RULE = ("A mention is a listed name, alias or near-miss spelling, a short form after the full name in the same "
         "document, \u201c<name> administration\u201d, or a capital standing for its government (metonym).")


def timeline_figure(corpus: Corpus, analysis: ActorAnalysis, shown: list[str]):
    undated = sum(1 for d in corpus.documents if not d.date)
    note = f" {plural(undated, 'undated document')} left out." if undated else ""
    return present.figure(timeline_chart(analysis, shown),
                          f"Mentions per 1,000 words of the documents in each {analysis.time_bin} (n documents; empty "
                          f"periods are zero).{note} {_RULE} Table: tables/actor_over_time.csv, with the share of "
                          f"documents naming each actor and its 95% Wilson interval.")


def document_figure(corpus: Corpus, analysis: ActorAnalysis, shown: list[str]):
    return present.figure(document_chart(corpus, analysis, shown),
                          f"Mentions per document; shading divides by the document's words after cleaning. {_RULE}"
                          f"{shown_note(corpus, 'mentions of these actors per 1,000 words')} "
                          "Table: tables/actor_mentions.csv (with how each mention was resolved).")


def co_mention_figure(analysis: ActorAnalysis, shown: list[str]):
    return present.figure(co_mention_chart(analysis, shown),
                          "Number of sentences naming both actors. Table: tables/actor_cooccurrence.csv.")


def actor_theme_figure(analysis: ActorAnalysis, shown: list[str], theme_analysis):
    order = [theme_analysis.lexicon.short(t) for t in theme_analysis.corpus_coverage["theme"]]
    return present.figure(actor_theme_chart(analysis, shown, order),
                          "Sentences that name the actor and have a hit for the theme; the shade is the share of all "
                          "sentences naming the actor (P(theme | actor)). Table with 95% Wilson intervals and an example "
                          "sentence for each cell: tables/actor_theme.csv.")


def unlisted_display(analysis: ActorAnalysis) -> pd.DataFrame:
    frame = analysis.unlisted
    return pd.DataFrame({"Name": frame["name"], "Mentions": frame["mentions"], "Documents": frame["documents"],
                         "Example": frame["example_sentence"]})


def unresolved_display(corpus: Corpus, analysis: ActorAnalysis) -> pd.DataFrame:
    titles = {d.doc_id: short_title(d, 32) for d in corpus.documents}
    frame = analysis.unresolved
    return pd.DataFrame({"Document": frame["doc_id"].map(titles), "Written": frame["surface"],
                         "Could be": frame["candidates"], "Why not counted": frame["reason"]})


def resolution_display(analysis: ActorAnalysis) -> pd.DataFrame:
    counts = analysis.evidence.groupby("resolution").size().reindex(RESOLUTIONS, fill_value=0)
    return pd.DataFrame({"How the mention was recognised": counts.index, "Mentions": counts.values})
