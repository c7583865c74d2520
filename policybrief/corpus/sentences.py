"""Sentence segmentation that survives "U.S.", "Mr.", "Vol. 3", "No. 1" and initials.

Rule-based and fast: a sentence ends at ``. ! ? …`` (plus closing quotes or brackets) followed by
space and a capital, digit or opening quote, unless the word before the period is an abbreviation
listed in ``config/cleaning.yaml``. Paragraph breaks always end a sentence.
"""

import re

from policybrief.corpus.rules import CleaningRules

_CANDIDATE = re.compile(r"[.!?…]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")


_WORD_BEFORE = re.compile(r"([\w.'-]+)[.!?…]*[\"')\]]*$")


_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, D.C, Ph.D, e.g


_PARAGRAPH = re.compile(r"[^\n]+")


_NEXT_WORD = re.compile(r"\s+[\"'(\[]?(\S+)")


def _word_before(text: str, end: int) -> str:
    """The word before a sentence mark ending at ``end``, without its periods ("U.S" in "the U.S.").

    The pattern is matched on the last whitespace-separated piece only (it cannot cross a space):
    searched over the whole window it backtracked through every word and took a third of the cleaning time.
    """
    window = text[max(0, end - 80) : end]
    before = _WORD_BEFORE.search(window.rsplit(None, 1)[-1] if window.strip() else "")
    return before.group(1).rstrip(".") if before else ""


def _ends_sentence(text: str, end: int, rules: CleaningRules) -> bool:
    # Only a window around the boundary is looked at: slicing the whole text here made splitting quadratic.
    mark = text[max(0, end - 8) : end].rstrip("\"')]")[-1:]
    if mark != ".":
        return True
    word = _word_before(text, end)
    following = _NEXT_WORD.match(text, end)  # a sentence candidate is always followed by a word
    next_word = following.group(1).rstrip(".,;:") if following else ""
    lower = word.lower()
    if lower in rules.never_final:
        return False
    if lower in rules.before_number and next_word[:1].isdigit():
        return False
    if len(word) == 1 and word.isupper():  # an initial: "Joel S. Wit"
        return False
    if _DOTTED.match(word.rsplit("-", 1)[-1]):  # "U.S.", and "Korea-U.S." / "Japan-U.S." joined to a word
        return next_word in rules.sentence_starters
    return True


def split_sentences(text: str, rules: CleaningRules) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, in order."""
    spans = []
    for paragraph in _PARAGRAPH.finditer(text):
        start = paragraph.start()
        for candidate in _CANDIDATE.finditer(text, paragraph.start(), paragraph.end()):
            if _ends_sentence(text, candidate.end(), rules):
                spans.append((start, candidate.end()))
                start = candidate.end()
                while start < paragraph.end() and text[start].isspace():
                    start += 1
        if start < paragraph.end():
            spans.append((start, paragraph.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]
