"""Names the actor list does not know: capitalised runs that look like people, per document and
corpus-wide."""

from __future__ import annotations

import functools
import re
from itertools import compress
from operator import itemgetter

from wordfreq import zipf_frequency

from policybrief.analyses.actors.lexicon import ActorList
from policybrief.corpus.model import Document
from policybrief.text.lexicon import Tokens, sentence_index

_RUN_TOKEN = re.compile(r"^[A-Z][\w'-]*$")


# A sentence's first word starts a name only if it is not a common word ("Traditional", "Last").
COMMON_OPENER_ZIPF = 4.5


_COMMON_WORD_ZIPF = 5.0

# "Wi Sung-lac, the national security adviser", "Victor Cha, who …": an apposition describes a person.
# A possessive ("Winston Churchill's maxim") is a person's more often than a place's or an event's.
_APPOSITION = re.compile(r",\s+(?:a|an|the|who|whose)\s|'s\s")


@functools.lru_cache(maxsize=100_000)
def word_zipf(word: str) -> float:
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


# One loop on purpose: it walks every capitalised word of every document with its state in locals; a
# helper call per word would cost about as much as the work done for the word.
def name_candidates(
    doc: Document, tokens: Tokens, actors: ActorList, covered: set[int]
) -> list[tuple[str, int, bool]]:
    """Person-like names in one document that no listed name covers: runs of 2–4 capitalised words, as
    (name, sentence index, whether a person's context surrounds it: a title or role before it, a speech
    verb beside it, an apposition after it ("…, a professor", "…, South Korea's industry minister"), or a
    possessive: theirs, or a country's before them ("Russia's Dmitry Medvedev"))."""
    text, starts_of, ends_of, lower, cased = (
        doc.full_text,
        tokens.starts,
        tokens.ends,
        tokens.lower,
        tokens.cased,
    )
    starts = [s for s, _ in doc.sentence_spans]
    sentence_starts = set(starts)
    found = []

    @functools.cache
    def in_heading(sentence: int) -> bool:
        start, end = doc.sentence_spans[sentence]
        return _looks_like_heading(text[start:end])

    def name_like(i: int) -> bool:
        if not _name_word(text[starts_of[i] : ends_of[i]], lower[i], actors.stop_words, actors.title_words):
            return False
        if in_heading(sentence_index(starts, starts_of[i])):
            return False
        opens_sentence = starts_of[i] in sentence_starts
        return not (opens_sentence and word_zipf(lower[i]) >= COMMON_OPENER_ZIPF)

    def joined(a: int, b: int) -> bool:
        gap = text[ends_of[a] : starts_of[b]]
        return gap in (" ", "-") or (gap == ". " and len(cased[a]) == 1)  # "Joel S. Wit"

    def continues(i: int) -> bool:  # the lower-case part of a hyphenated name: "Jung-kwan"
        return i < len(cased) and text[ends_of[i - 1] : starts_of[i]] == "-" and cased[i].islower()

    def record(run: list[int]) -> None:
        if not 2 <= len(run) <= 4 or any(lower[j] in actors.not_person_words for j in run):
            return
        if starts_of[run[0]] in sentence_starts and word_zipf(lower[run[-1]]) >= _COMMON_WORD_ZIPF:
            return  # "Tempestuous Time for …": a capitalised opener and a common word, not a name
        first, last = run[0], run[-1]
        before = lower[first - 1] if first > 0 else ""
        after = lower[last + 1] if last + 1 < len(lower) else ""
        context = (
            before.rstrip(".") in actors.person_context_words
            or before in actors.speech_verbs
            or after in actors.speech_verbs
            or bool(_APPOSITION.match(text, ends_of[last]))
            or (first > 0 and text.startswith("'s ", ends_of[first - 1]) and cased[first - 1][:1].isupper())
            or (
                text.startswith(",", ends_of[last])
                and not actors.person_context_words.isdisjoint(lower[last + 1 : last + 7])
            )
        )
        found.append(
            (text[starts_of[first] : ends_of[last]], sentence_index(starts, starts_of[first]), context)
        )

    capitalised = [*map(str.isupper, map(itemgetter(0), cased)), False]  # tokens are never empty

    def alone(i: int) -> bool:  # no capitalised or hyphen-joined word beside it: a run of one, never a name
        return (
            not capitalised[i + 1]
            and not (i > 0 and capitalised[i - 1])
            and not continues(i + 1)
            and not (i > 1 and text[ends_of[i - 2] : starts_of[i - 1]] == "-")
        )

    run: list[int] = []
    # Only these can start or extend a name. Words of listed names are left out: the gap they leave ends a run
    # as a word that is not name-like does (a capitalised word is never the lower-case end of a hyphenated
    # name).
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
