"""Name forms the actor list does not spell out, found by rule: near-miss spellings of full names ("Lee
Jae Mung") and of titled surnames ("Secretary Rubbio", "Mr. Hesgeth"), and full names with a middle initial
("Lloyd J. Austin")."""

from __future__ import annotations

from bisect import bisect_left

from rapidfuzz.distance import OSA

from policybrief.analyses.actors.lexicon import ActorList
from policybrief.text.lexicon import GAPS, Match, Tokens


def _positions(tokens: Tokens, words: frozenset[str]) -> dict[str, list[int]]:
    """Where each of ``words`` stands, found by str.find in the joined keys, not by a Python loop over every
    word of the document."""
    stream, offsets = tokens.stream()
    positions = {}
    for word in words:
        needle, where, at = f" {word} ", [], -1
        while (at := stream.find(needle, at + 1)) >= 0:
            where.append(bisect_left(offsets, at + 1))
        positions[word] = where
    return positions


def typo_matches(text: str, tokens: Tokens, exact: list[Match], actors: ActorList) -> list[Match]:
    """Near-misses of persons' full names whose first word is spelled right ("Lee Jae Mung")."""
    firsts = actors.person_first_words.intersection(tokens.lower)
    if not firsts:
        return []
    covered = {i for m in exact for i in range(m.first_token, m.last_token + 1)}
    starts, ends, lower, cased = tokens.starts, tokens.ends, tokens.lower, tokens.cased
    positions = _positions(tokens, firsts)
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
            if candidate != target and OSA.distance(candidate, target) <= limit:
                found.append(Match(f"typo:{actor_id}", source, starts[i], ends[end - 1], i, end - 1))
    return found


def initial_matches(text: str, tokens: Tokens, actors: ActorList) -> list[Match]:
    """Persons' full names with a middle initial ("Lloyd J. Austin", "Kurt M. Campbell"); a suffix after the
    surname ("III", "Jr.") is left outside the match and changes nothing."""
    firsts = actors.person_first_words.intersection(tokens.lower)
    if not firsts:
        return []
    positions = _positions(tokens, firsts)
    found = []
    lower, cased, starts, ends = tokens.lower, tokens.cased, tokens.starts, tokens.ends
    for actor_id, source, words in actors.person_names:
        for i in positions.get(words[0], ()):
            if i + 2 >= len(lower) or len(cased[i + 1]) != 1 or not cased[i + 1].isupper():
                continue
            if text[ends[i] : starts[i + 1]] != " " or text[ends[i + 1] : starts[i + 2]] != ". ":
                continue
            end = i + 1 + len(words)
            if end <= len(lower) and list(lower[i + 2 : end]) == list(words[1:]):
                found.append(Match(f"initial:{actor_id}", source, starts[i], ends[end - 1], i, end - 1))
    return found


# A titled surname is a typo of a listed one only when the two differ by one letter and the name is long
# enough for one letter to be a slip rather than another name ("Rubbio", "Hesgeth"; not "Kin" for "Kim").
_TITLED_TYPO_MIN_LENGTH = 5


def titled_typo_matches(text: str, tokens: Tokens, actors: ActorList, taken: set[int]) -> list[Match]:
    """A capitalised word right after a title that is one letter off the short form of exactly one listed
    person, and no listed name itself: "Secretary Rubbio" is Marco Rubio, "Mr. Hesgeth" Pete Hegseth."""
    found = []
    for title in actors.titles_followed(text):
        i = bisect_left(tokens.starts, title.end())
        if i >= len(tokens) or tokens.starts[i] != title.end() or i in taken:
            continue
        word = tokens.lower[i]
        if (
            len(word) < _TITLED_TYPO_MIN_LENGTH
            or not tokens.cased[i][:1].isupper()
            or word in actors.short_owners
        ):
            continue
        owners = {
            owner
            for short, ids in actors.short_owners.items()
            if " " not in short and OSA.distance(word, short) == 1
            for owner in ids
        }
        if len(owners) == 1:
            found.append(Match(f"typo:{owners.pop()}", word, title.start(), tokens.ends[i], i, i))
    return found
