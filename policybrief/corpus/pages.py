"""Where each page of a paged source (a PDF) starts in the cleaned text, so that evidence can cite its page.

Cleaning joins lines into paragraphs, drops residue lines and repeated passages and normalises characters,
so source offsets do not carry over. It never reorders words, though, so the cleaned text's words are found
in the source in order: each cleaned word is matched to the next source word that starts the same run of
three words (a lone common word such as "the" could match too far ahead), within a window; a word cleaning
changed (a repaired character) matches nothing and keeps the page of the word before it.
"""

import re
from bisect import bisect_left, bisect_right

_WORD = re.compile(r"\w+")
RUN = 3  # words that must agree for a cleaned word to be matched to a source word
WINDOW = 2_000  # source words searched ahead of the last match (a removed passage is shorter)


def cleaned_page_starts(source: str, source_page_starts: tuple[int, ...], cleaned: str) -> tuple[int, ...]:
    """The offset in ``cleaned`` where each page of ``source`` starts (non-decreasing: a page that left no
    words starts where the next one does; the first page starts at 0)."""
    if not source_page_starts:
        return ()
    source_words = [(m.start(), m.group().lower()) for m in _WORD.finditer(source)]
    source_keys = [word for _, word in source_words]
    page_of = [bisect_right(source_page_starts, start) - 1 for start, _ in source_words]
    cleaned_words = [(m.start(), m.group().lower()) for m in _WORD.finditer(cleaned)]
    cleaned_keys = [word for _, word in cleaned_words]
    first_offset: dict[int, int] = {}  # page -> offset in the cleaned text of its first matched word
    position, page = 0, 0
    where: dict[str, list[int]] = {}  # word -> its indexes in the source, in order
    for index, word in enumerate(source_keys):
        where.setdefault(word, []).append(index)
    for index, (offset, word) in enumerate(cleaned_words):
        run = cleaned_keys[index : index + RUN]
        places = where.get(word, [])
        for candidate in places[bisect_left(places, position) :]:
            if candidate >= position + WINDOW:
                break
            if source_keys[candidate : candidate + len(run)] == run:
                position, page = candidate + 1, page_of[candidate]
                break
        first_offset.setdefault(page, offset)
    starts = [0] * len(source_page_starts)
    following = len(cleaned)
    for number in range(len(source_page_starts) - 1, 0, -1):
        following = min(following, first_offset.get(number, following))
        starts[number] = following
    return tuple(starts)


def page_at(page_starts: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The page number (from 1) holding ``offset`` of the cleaned text, or None for a source without pages."""
    if not len(page_starts):
        return None
    return bisect_right(page_starts, offset)
