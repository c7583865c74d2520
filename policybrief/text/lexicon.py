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
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

TOKEN_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")


_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")


_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")


# What may stand between two words of a term: an optional period, an optional possessive 's, then an
# optional space or hyphen (the pattern \.?(?:'s)?[ \-]?), as a set — a slice is looked up, not matched.
GAPS = frozenset(
    period + possessive + joint
    for period in ("", ".")
    for possessive in ("", "'s")
    for joint in ("", " ", "-")
)


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


class Match(NamedTuple):  # a tuple: documents hold hundreds, and a tuple is built several times faster
    group: str
    term: str
    start: int
    end: int
    first_token: int
    last_token: int


_TEXT_ORDER = itemgetter(2, 5, 0, 1)  # start, last token, group, term


_KEPT_ORDER = itemgetter(2, 0, 3)  # start, group, end


class Tokens:
    """A document's words as parallel columns (spans, lower-case keys, cased forms), built at C speed.

    Columns rather than one object per word: a 10-million-word corpus is tokenised in seconds and
    every analysis reads the same lists. ``tokens[i]`` still gives a ``Token`` where convenience wins.
    """

    __slots__ = ("starts", "ends", "lower", "cased", "_stream")

    def __init__(self, starts: list[int], ends: list[int], lower: list[str], cased: list[str]):
        self.starts, self.ends, self.lower, self.cased = starts, ends, lower, cased
        self._stream: tuple[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Token:
        return Token(self.starts[i], self.ends[i], self.lower[i], self.cased[i])

    def __iter__(self):
        return map(Token, self.starts, self.ends, self.lower, self.cased)

    def stream(self) -> tuple[str, list[int]]:
        """The keys joined by single spaces (with a space at each end), and where each key starts in it."""
        if self._stream is None:
            positions = list(accumulate(map((1).__add__, map(len, self.lower)), initial=1))[:-1]
            self._stream = (" " + " ".join(self.lower) + " ", positions)
        return self._stream


def tokenize(text: str) -> Tokens:
    """Words of ``text`` with their spans; possessives and periods are dropped from the keys."""
    parts = _TOKEN_SPLIT.split(text)
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=0))
    starts, ends = offsets[1::2][: len(words)], offsets[2::2]
    for i in [
        i for i, w in enumerate(words) if "'" in w or "." in w
    ]:  # the rare words that need more than lower-casing
        word = words[i]
        if len(word) > 2 and word[-2:].lower() == "'s":
            word, ends[i] = word[:-2], ends[i] - 2
        elif (
            "." in word and text[ends[i] : ends[i] + 1] == "."
        ):  # a dotted abbreviation keeps its last period: "U.S."
            ends[i] += 1
        words[i] = word.replace(".", "")
    lower = "\x00".join(words).lower().split("\x00") if words else []
    return Tokens(starts, ends, lower, words)


def parse_term(source: str, group: str) -> list[Term]:
    """The term and, for a hyphenated one, its closed-compound variant."""
    if not isinstance(source, str) or not source.strip():
        raise LexiconError(f"term {source!r} is empty or not text")
    pieces = [p for p in _WORD_SPLIT.split(source.strip()) if p]
    words = []
    for piece in pieces:
        bare = piece.replace(".", "").removesuffix("'s").rstrip("'")
        if not _VALID_WORD.fullmatch(bare) or bare == "*":
            raise LexiconError(
                f"term {source!r}: {piece!r} is not a word (letters, digits, inner apostrophes, a final *)"
            )
        prefix = bare.endswith("*")
        core = bare.rstrip("*")
        letters = [c for c in core if c.isalpha()]
        exact = core if len(letters) >= 2 and all(c.isupper() for c in letters) else None
        words.append(Word(core.lower(), prefix, exact))
    terms = [Term(group, source, tuple(words))]
    if (
        len(words) > 1
        and "-" in source
        and " " not in source.strip()
        and not any(w.prefix for w in words[:-1])
    ):
        closed = Word("".join(w.text for w in words), words[-1].prefix, None)
        terms.append(Term(group, source, (closed,)))
    return terms


def _word_matches(word: Word, lower: str, cased: str) -> bool:
    if word.prefix:
        if not lower.startswith(word.text):
            return False
        return word.exact is None or cased.startswith(word.exact)
    if lower != word.text:
        return False
    return word.exact is None or cased == word.exact


class Matcher:
    """All terms of all groups in one Aho–Corasick automaton, run once over a document's words.

    The automaton reads the space-joined lower-case keys of the tokens. A term's key is its words up
    to the first ``*`` word (" cost sharing ", " sanction"), so it can only start and end on word
    boundaries; what the keys cannot say (capitals, what follows a ``*`` word, the punctuation between
    words) is checked in Python on the few hits.
    """

    def __init__(self, terms: list[Term]):
        import ahocorasick

        self.terms = terms
        keyed: dict[str, list[tuple[Term, bool]]] = defaultdict(list)
        for term in terms:
            words = []
            for word in term.words:
                words.append(word.text)
                if word.prefix:
                    break
            complete = len(words) == len(term.words)
            key = " " + " ".join(words) + ("" if term.words[len(words) - 1].prefix else " ")
            simple = complete and not any(w.exact for w in term.words)
            keyed[key].append((term, simple))
        self._automaton = None
        if keyed:
            automaton = ahocorasick.Automaton()
            for key, entries in keyed.items():
                automaton.add_word(key, (len(key), tuple(entries)))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str, tokens: Tokens | None = None) -> list[Match]:
        """Every match of every term (overlaps included), in text order."""
        tokens = tokenize(text) if tokens is None else tokens
        if self._automaton is None or not len(tokens):
            return []
        stream, positions = tokens.stream()
        starts, ends, cased, lower = tokens.starts, tokens.ends, tokens.cased, tokens.lower
        found = []
        for end, (length, entries) in self._automaton.iter(stream):
            first = (
                bisect_right(positions, end - length + 2) - 1
            )  # the key starts with the space before its word
            for term, simple in entries:
                last = first + len(term.words) - 1
                if last >= len(starts):
                    continue
                if not simple and not all(
                    _word_matches(word, lower[first + k], cased[first + k])
                    for k, word in enumerate(term.words)
                ):
                    continue
                if last > first and not all(
                    text[ends[k - 1] : starts[k]] in GAPS for k in range(first + 1, last + 1)
                ):
                    continue
                found.append(Match(term.group, term.source, starts[first], ends[last], first, last))
        found.sort(key=_TEXT_ORDER)
        return found


def longest_per_group(matches: list[Match], key=lambda m: m.group) -> list[Match]:
    """Resolve overlaps inside each group (``key``): the longest match wins, then the earliest.

    Matches span whole tokens, so two overlap exactly when they share a token.
    """
    kept: list[Match] = []
    taken: dict[str, set[int]] = defaultdict(set)
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start, m.group, m.term)):
        tokens = range(match.first_token, match.last_token + 1)
        used = taken[key(match)]
        if used.isdisjoint(tokens):
            used.update(tokens)
            kept.append(match)
    return sorted(kept, key=_KEPT_ORDER)


def sentence_index(sentence_starts: list[int], position: int) -> int:
    """Index of the sentence containing ``position`` (sentence starts sorted)."""
    return max(0, bisect_right(sentence_starts, position) - 1)
