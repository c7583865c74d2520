"""People the actor list does not know, as actor entries to paste: the unlisted person-like names
(``actors.measures.unlisted_names``) named more than once, their spelling variants grouped as one person."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from policybrief.analyses.actors.lexicon import ActorList
from policybrief.analyses.actors.measures import find_mentions, unlisted_names
from policybrief.analyses.suggest.phrases import around
from policybrief.corpus.model import Corpus
from policybrief.log import logger
from policybrief.text.lexicon import LexiconError, parse_term

EXAMPLE_CHARS = 200

# A person named once is as likely a passing reference as someone the briefing should follow.
MIN_MENTIONS = 2

# One letter apart is a slip only in a long name: in a short one it is as often another person.
NEAR_MISS_MIN_CHARS = 10

_NAMES_AT_ONCE = 2_000  # rows of the near-miss distance matrix computed at once (its memory is rows × names)


class SuggestedPeople(NamedTuple):
    entries: dict[str, dict]  # actor id -> an actor entry with mentions, documents and an example
    variants: list[str]  # every spelling of every suggested person: their phrases are not theme terms


def _spelling(name: str) -> str:
    """What is left of a name without case, hyphens and spaces: "Kim Jong-un" and "Kim Jong Un" are one."""
    return re.sub(r"[\s\-]+", "", name.lower())


def _reversed(name: str) -> str | None:
    words = name.split()
    return f"{words[1]} {words[0]}" if len(words) == 2 else None


def variant_groups(names: list[str]) -> list[list[int]]:
    """The names (indexes into ``names``) that spell one person: the same letters ignoring case, hyphens
    and spaces, the two words of a name in the other order ("Ishiba Shigeru"), or one letter apart (OSA
    distance 1: a slip, a swap) in names of ``NEAR_MISS_MIN_CHARS`` characters or more. Each group is in
    index order, groups by their first index."""
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        parent[max(a, b)] = min(a, b)

    spellings = [_spelling(n) for n in names]
    first_with: dict[str, int] = {}
    for i, spelling in enumerate(spellings):
        join(i, first_with.setdefault(spelling, i))
    for i, name in enumerate(names):
        other_order = _reversed(name)
        if other_order is not None and _spelling(other_order) in first_with:
            join(i, first_with[_spelling(other_order)])
    long = [i for i, name in enumerate(names) if len(name) >= NEAR_MISS_MIN_CHARS]
    long_spellings = [spellings[i] for i in long]
    for begin in range(0, len(long), _NAMES_AT_ONCE):
        distances = process.cdist(
            long_spellings[begin : begin + _NAMES_AT_ONCE],
            long_spellings,
            scorer=OSA.distance,
            score_cutoff=1,
            dtype=np.uint8,
        )
        for a, b in zip(*np.nonzero(distances == 1), strict=True):
            join(long[begin + int(a)], long[int(b)])
    groups: dict[int, list[int]] = {}
    for i in range(len(names)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def actor_id(name: str, taken: set[str]) -> str:
    """The name in snake case, in ASCII ("José Díaz" -> jose_diaz), numbered when the id is taken."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[\W_]+", "_", ascii_name.lower()).strip("_") or "person"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}_{number}"
    return candidate


def _term_words(name: str) -> tuple[str, ...]:
    """The words the actor list's matcher reads in a name (case, hyphens and periods do not matter); a name
    it cannot read ("A_B") stands for itself."""
    try:
        return tuple(w.text for w in parse_term(name, "")[0].words)
    except LexiconError:
        return (name,)


def needed_aliases(name: str, variants: list[str]) -> list[str]:
    """The variants the actor list would not find from ``name`` by its own rules: not the same words in
    another case or with hyphens (an alias like that is refused as a duplicate), nor, for a two-word name,
    the other order."""
    found_by_rule = {_term_words(name)}
    if "-" not in name and (other_order := _reversed(name)) is not None:
        found_by_rule.add(_term_words(other_order))
    aliases = []
    for variant in variants:
        words = _term_words(variant)
        if words not in found_by_rule:
            found_by_rule.add(words)
            aliases.append(variant)
    return aliases


def _listed_surnames(actors: ActorList) -> dict[str, str]:
    """Lower-case surname -> the listed person who has it: their short forms and their name's last word."""
    owners: dict[str, str] = {}
    for actor in actors.actors.values():
        if actor.type == "person":
            for surname in (*actor.short, actor.name.split()[-1]):
                owners.setdefault(surname.lower(), actor.actor_id)
    return owners


def _short_form(surname: str, name: str, listed: dict[str, str], suggested: dict[str, list[str]]) -> dict:
    """``short``: the surname, unless another person has it (a short form two people share resolves only
    when one of them is named in full nearby); then a ``comment`` saying whose it is."""
    if surname.lower() in listed:
        owner = listed[surname.lower()]
        return {"comment": f"no short form: {surname} is also the surname of the listed actor {owner}"}
    others = [other for other in suggested[surname.lower()] if other != name]
    if others:
        return {
            "comment": f"no short form: {surname} is also the surname of {', '.join(others)} (also suggested)"
        }
    return {"short": [surname]}


def suggested_people(corpus: Corpus, actors: ActorList) -> SuggestedPeople:
    """Unlisted names, variants grouped, named ``MIN_MENTIONS`` times or more, most mentioned first (ties
    by name). Each entry: ``name`` (the most mentioned variant), ``type``, ``aliases`` (the variants the
    actor list's rules would miss), ``short`` (the last word of the name, unless a listed person or
    another suggestion has that surname: ``comment`` then says so), and for the analyst ``mentions``,
    ``documents`` and an ``example`` sentence (the first mention of the name).

    A surname used alone ("Nakatani said") is never a candidate: its mentions are not added to any name.
    """
    _, _, candidates = find_mentions(corpus, actors)
    unlisted = unlisted_names(corpus, actors, candidates)
    names = unlisted["name"].tolist()  # most mentioned first, then by name: a group's first is its name
    groups = variant_groups(names)
    group_of = {names[i]: g for g, members in enumerate(groups) for i in members}
    named = candidates[candidates["name"].isin(group_of)]
    documents = named.groupby(named["name"].map(group_of))["doc_id"].nunique()
    mentions = unlisted.groupby(unlisted["name"].map(group_of))["mentions"].sum()
    kept = sorted(
        (g for g in range(len(groups)) if mentions[g] >= MIN_MENTIONS),
        key=lambda g: (-int(mentions[g]), names[groups[g][0]]),
    )
    sharing: defaultdict[str, list[str]] = defaultdict(list)  # lower-case surname -> suggested names
    for g in kept:
        sharing[names[groups[g][0]].split()[-1].lower()].append(names[groups[g][0]])
    listed = _listed_surnames(actors)
    entries: dict[str, dict] = {}
    for g in kept:
        name, others = names[groups[g][0]], [names[i] for i in groups[g][1:]]
        aliases = needed_aliases(name, others)
        entries[actor_id(name, set(actors.actors) | set(entries))] = {
            "name": name,
            "type": "person",
            **({"aliases": aliases} if aliases else {}),
            **_short_form(name.split()[-1], name, listed, sharing),
            "mentions": int(mentions[g]),
            "documents": int(documents[g]),
            "example": around(str(unlisted["example_sentence"].iloc[groups[g][0]]), name, EXAMPLE_CHARS),
        }
    logger.info("suggest: %d people from %d unlisted names", len(entries), len(names))
    return SuggestedPeople(entries, [names[i] for g in kept for i in groups[g]])
