"""Dictionary matching: analyst-written terms found in one pass over a document's words.

Term syntax (documented for analysts in config/themes.yaml):
- words are separated by spaces or hyphens, and either matches either ("cost sharing" finds
  "cost-sharing"); a hyphenated term also finds the closed compound ("non-proliferation" finds
  "nonproliferation");
- ``*`` at the end of a word matches any ending ("sanction*" finds "sanctions", "sanctioned");
- periods are optional ("U.S." finds "US"); a possessive "'s" is ignored ("alliance" finds "alliance's");
- case is ignored, except in a word written in capitals (two letters or more), which matches only
  in capitals ("US" never finds "us");
- whole words only: "sanctions" does not find "sanctionsbusting".

Within one group (a theme, an actor) overlapping matches are resolved longest first, so a span
never counts twice for a group; the same span may count for two different groups.
"""

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

TOKEN_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")
_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")
_GAP_RE = re.compile(r"\.?(?:'s)?[ \-]?")
_VALID_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*\*?")


class LexiconError(ValueError):
    """A term that cannot be used; the message names it."""


@dataclass(frozen=True)
class Word:
    text: str  # lower case, periods removed, no trailing *
    prefix: bool  # ends in *
    exact: str | None  # the capitalised form when case must match


@dataclass(frozen=True)
class Term:
    group: str
    source: str  # as the analyst wrote it
    words: tuple[Word, ...]


class Token(NamedTuple):
    start: int
    end: int  # possessive 's excluded
    lower: str
    cased: str


@dataclass(frozen=True)
class Match:
    group: str
    term: str
    start: int
    end: int
    first_token: int
    last_token: int


class Tokens(list):
    """A document's tokens, with the space-joined stream of their keys built once for every matcher."""

    _stream: tuple[str, dict[int, int]] | None = None

    def stream(self) -> tuple[str, dict[int, int]]:
        if self._stream is None:
            keys = [token.lower for token in self]
            index, position = {}, 1
            for i, key in enumerate(keys):
                index[position] = i
                position += len(key) + 1
            self._stream = (" " + " ".join(keys) + " ", index)
        return self._stream


def tokenize(text: str) -> Tokens:
    """Words of ``text`` with their spans; possessives and periods are dropped from the keys."""
    tokens = Tokens()
    append = tokens.append
    for match in TOKEN_RE.finditer(text):
        word = match.group()
        start, end = match.span()
        if "'" in word or "." in word:  # the rare words that need more than lower-casing
            if len(word) > 2 and word[-2:].lower() == "'s":
                word, end = word[:-2], end - 2
            elif "." in word and text[end:end + 1] == ".":  # a dotted abbreviation keeps its last period: "U.S."
                end += 1
            word = word.replace(".", "")
        append(Token(start, end, word.lower(), word))
    return tokens


def parse_term(source: str, group: str) -> list[Term]:
    """The term and, for a hyphenated one, its closed-compound variant."""
    if not isinstance(source, str) or not source.strip():
        raise LexiconError(f"term {source!r} is empty or not text")
    pieces = [p for p in _WORD_SPLIT.split(source.strip()) if p]
    words = []
    for piece in pieces:
        bare = piece.replace(".", "").removesuffix("'s").rstrip("'")
        if not _VALID_WORD.fullmatch(bare) or bare == "*":
            raise LexiconError(f"term {source!r}: {piece!r} is not a word (letters, digits, inner apostrophes, a final *)")
        prefix = bare.endswith("*")
        core = bare.rstrip("*")
        letters = [c for c in core if c.isalpha()]
        exact = core if len(letters) >= 2 and all(c.isupper() for c in letters) else None
        words.append(Word(core.lower(), prefix, exact))
    terms = [Term(group, source, tuple(words))]
    if len(words) > 1 and "-" in source and " " not in source.strip() and not any(w.prefix for w in words[:-1]):
        closed = Word("".join(w.text for w in words), words[-1].prefix, None)
        terms.append(Term(group, source, (closed,)))
    return terms


def _word_matches(word: Word, token: Token) -> bool:
    if word.prefix:
        if not token.lower.startswith(word.text):
            return False
        return word.exact is None or token.cased.startswith(word.exact)
    if token.lower != word.text:
        return False
    return word.exact is None or token.cased == word.exact


class Matcher:
    """All terms of all groups, indexed by their first word, matched in one pass over the tokens."""

    def __init__(self, terms: list[Term]):
        self.terms = terms
        self._exact: dict[str, list[Term]] = defaultdict(list)
        self._prefix: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            first = term.words[0]
            (self._prefix if first.prefix else self._exact)[first.text].append(term)
        self._prefix_lengths = sorted({len(key) for key in self._prefix})
        # One pattern over the space-joined token keys finds the positions where a term may start,
        # so that only those tokens are examined in Python.
        alternatives = [re.escape(w) for w in sorted(self._exact, key=len, reverse=True)]
        alternatives += [re.escape(w) + r"[^ ]*" for w in sorted(self._prefix, key=len, reverse=True)]
        self._first_words = re.compile(r"(?<= )(?:" + "|".join(alternatives) + r")(?= )") if alternatives else None

    def _candidate_positions(self, tokens: list[Token]) -> list[int]:
        if self._first_words is None or not tokens:
            return []
        if not isinstance(tokens, Tokens):
            tokens = Tokens(tokens)
        stream, index = tokens.stream()
        return [index[m.start()] for m in self._first_words.finditer(stream)]

    def _candidates(self, token: Token) -> list[Term]:
        found = list(self._exact.get(token.lower, ()))
        for length in self._prefix_lengths:
            if length > len(token.lower):
                break
            found.extend(self._prefix.get(token.lower[:length], ()))
        return found

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Every match of every term (overlaps included), in text order."""
        tokens = tokenize(text) if tokens is None else tokens
        matches = []
        for i in self._candidate_positions(tokens):
            token = tokens[i]
            for term in self._candidates(token):
                last = i + len(term.words) - 1
                if last >= len(tokens) or not _word_matches(term.words[0], token):
                    continue
                if last == i or all(
                    _word_matches(word, tokens[i + k])
                    and _GAP_RE.fullmatch(text[tokens[i + k - 1].end: tokens[i + k].start])
                    for k, word in enumerate(term.words[1:], start=1)
                ):
                    matches.append(Match(term.group, term.source, token.start, tokens[last].end, i, last))
        return matches


def longest_per_group(matches: list[Match], key=lambda m: m.group) -> list[Match]:
    """Resolve overlaps inside each group (``key``): the longest match wins, then the earliest."""
    kept: list[Match] = []
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.group, m.term)):
        if all(match.end <= s or match.start >= e for s, e in taken[key(match)]):
            taken[key(match)].append((match.start, match.end))
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.group, m.end))


def sentence_index(sentence_starts: list[int], position: int) -> int:
    """Index of the sentence containing ``position`` (sentence starts sorted)."""
    return max(0, bisect_right(sentence_starts, position) - 1)
