"""Where each page of a paged source (a PDF) starts in the cleaned text, so that evidence can cite its page.

Cleaning joins lines into paragraphs, drops residue lines and repeated passages and normalises characters,
so source offsets do not carry over. It never reorders words, though: each cleaned paragraph is found in
the source's words after the previous one (the first copy of a passage printed twice is the one cleaning
keeps, so searching forward finds it), and a paragraph cleaning changed inside (a line removed, a
character repaired) is aligned word by word with difflib within a window. Each page starts at its first
placed word. Measured on the PDF validation set: a greedy word-by-word match put 9 of 17 checked blocks of
a 40-page report that repeats its paragraphs on the wrong page, a whole-text difflib alignment 1 (and picked
the later copy of a repeated passage); this puts 1 (``make validate``: PDF reading).
"""

import re
from bisect import bisect_right
from difflib import SequenceMatcher

import numpy as np

_WORD = re.compile(r"\w+")
WINDOW = 2_000  # source words past the last placed one where a changed or short paragraph is looked for
SHORT = 4  # words: a paragraph shorter than this is looked for only within the window


def cleaned_page_starts(source: str, source_page_starts: tuple[int, ...], cleaned: str) -> tuple[int, ...]:
    """The offset in ``cleaned`` where each page of ``source`` starts (non-decreasing: a page that left no
    words starts where the next one does; the first page starts at 0)."""
    if not source_page_starts:
        return ()
    source_words = [(m.start(), m.group().lower()) for m in _WORD.finditer(source)]
    joined, word_at = _joined([word for _, word in source_words])
    first_offset: dict[int, int] = {}  # page -> offset in the cleaned text of its first placed word
    position = 0  # the source word after the last one placed
    breaks = list(re.finditer(r"\n\s*\n", cleaned))
    for base, end in zip(
        [0] + [b.end() for b in breaks], [b.start() for b in breaks] + [len(cleaned)], strict=True
    ):
        words = [(m.start(), m.group().lower()) for m in _WORD.finditer(cleaned, base, end)]
        if not words:
            continue
        at = joined.find(" " + " ".join(word for _, word in words) + " ", word_at[position])
        near = word_at[min(position + WINDOW, len(word_at) - 1)]
        if at >= 0 and (
            len(words) >= SHORT or at <= near
        ):  # the usual case: as in the source, after the last
            # (a short paragraph, "Summary", is only taken nearby: its words may recur anywhere)
            first = bisect_right(word_at, at) - 1
            placed = [(first + k, offset) for k, (offset, _) in enumerate(words)]
        else:  # cleaning changed it (a line removed inside it, a character repaired): align its words
            window = [word for _, word in source_words[position : position + 3 * len(words) + WINDOW]]
            blocks = SequenceMatcher(None, window, [word for _, word in words], autojunk=False)
            placed = [
                (position + block.a + k, words[block.b + k][0])
                for block in blocks.get_matching_blocks()
                for k in range(block.size)
            ]
        for index, offset in placed:
            page = bisect_right(source_page_starts, source_words[index][0]) - 1
            first_offset.setdefault(page, offset)
        if placed:
            position = placed[-1][0] + 1
    starts = [0] * len(source_page_starts)
    following = len(cleaned)
    for number in range(len(source_page_starts) - 1, 0, -1):
        following = min(following, first_offset.get(number, following))
        starts[number] = following
    return tuple(starts)


def _joined(words: list[str]) -> tuple[str, list[int]]:
    """The words joined by spaces (with one before the first and after the last), and where each starts."""
    starts, length = [], 0
    for word in words:
        starts.append(length)
        length += len(word) + 1
    starts.append(length)
    return " " + " ".join(words) + " ", starts


def page_at(page_starts: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The page number (from 1) holding ``offset`` of the cleaned text, or None for a source without pages."""
    if not len(page_starts):
        return None
    return bisect_right(page_starts, offset)


def pages_at(page_starts: tuple[int, ...] | list[int], offsets: np.ndarray) -> np.ndarray:
    """``page_at`` of many offsets at once (a table's column), NaN for a source without pages."""
    if not len(page_starts):
        return np.full(len(offsets), np.nan)
    return np.searchsorted(np.asarray(page_starts), offsets, side="right").astype(np.float64)
