"""Cleaning: from a document's text as read to the article text that is counted.

Each step returns what it removed and why, so the data-quality notes can show every removal.
Mechanisms live here; the patterns they use (site boilerplate, header keys, footer markers)
live in ``config/cleaning.yaml`` so that an analyst can extend them.
"""

import re
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

from policybrief.corpus.rules import CleaningRules
from policybrief.text.dates import ParsedDate, find_date, parse_date
from policybrief.text.words import count_words, normalise_unicode, plural

_TERMINAL = tuple(".!?:;\"')]…")


_DATELINE_RE = re.compile(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}, (?P<date>.+)$")


_BULLET_RE = re.compile(r"^(?:[•·▪◦‣∙●*]|-(?= ))\s*")


# A word broken across lines is rejoined only when one piece is not a word on its own
# (zipf < 1.5: rarer than about 3 per 100 million words) and the whole is a word (zipf >= 2).
_FRAGMENT_ZIPF, _WORD_ZIPF = 1.5, 2.0


@dataclass(frozen=True)
class Removal:
    """One thing cleaning took out of (or repaired in) a document."""

    step: str
    reason: str
    text: str

    @property
    def words(self) -> int:
        return count_words(self.text) if self.step != "line break repaired" else 0


@dataclass
class HeaderInfo:
    """What the page header says about the document."""

    title: str | None = None
    author: str | None = None
    date: ParsedDate | None = None
    date_line: str | None = None


@dataclass
class Cleaned:
    text: str
    removals: list[Removal] = field(default_factory=list)
    header: HeaderInfo = field(default_factory=HeaderInfo)
    replaced_characters: dict[str, int] = field(default_factory=dict)


def remove_residue(text: str, rules: CleaningRules) -> tuple[str, list[Removal]]:
    """Apply the residue and site patterns; a line they empty becomes a paragraph break."""
    if rules.residue_screen is not None and not rules.residue_screen.search("\n" + text):
        return text, []  # no pattern matches: applying each would change nothing
    removals = []
    for reason, pattern in rules.residue:

        def record(match: re.Match, reason=reason) -> str:
            if match.group(0).strip():
                removals.append(Removal("web residue", reason, match.group(0)))
            return ""

        text = pattern.sub(record, text)
    return text, removals


def _looks_like_name(value: str) -> bool:
    words = value.replace(",", " ").split()
    return 1 <= len(words) <= 8 and all(
        w[0].isupper() or w in {"and", "with", "&", "de", "van", "von"} for w in words
    )


# A full sentence is body text wherever it stands: at least this many words, ending as a sentence ends.
_SENTENCE_WORDS = 12
_SENTENCE_END = (".", "!", "?", '"', "'", "\u201d")


_STAMP_WORDS = 15


def is_body_sentence(line: str) -> bool:
    """A line that reads as a full sentence of the article: never header, however it starts ("date 2024-04-10
    Prime Minister … agreed on Wednesday to …")."""
    stripped = line.strip()
    return len(stripped.split()) >= _SENTENCE_WORDS and stripped.endswith(_SENTENCE_END)


def _header_fields(line: str, rules: CleaningRules) -> tuple[bool, str | None, ParsedDate | None]:
    """Is ``line`` part of a page header, and which author and date does it give?"""
    stripped = line.strip()
    if is_body_sentence(stripped):
        return False, None, None
    dateline = _DATELINE_RE.match(stripped)  # "Friday, July 4, 2025" or "Gyeongju, November 2, 2025"
    only_date = parse_date(stripped) or (parse_date(dateline.group("date")) if dateline else None)
    if only_date and only_date.precision == "day":
        return True, None, only_date
    author = rules.author_key_re.match(stripped)
    if author and (author.group("colon") or _looks_like_name(author.group("value"))):
        return True, author.group("value").strip(), None
    dated = rules.date_key_re.match(stripped)
    if dated and (date := find_date(dated.group("value"))):
        return True, None, date
    if ":" in stripped and (
        len(rules.other_key_re.findall(stripped)) >= 2
        or (rules.other_key_re.match(stripped) and len(stripped.split()) <= 12)
    ):  # every key ends in a colon: a line without one is not searched
        return True, None, find_date(stripped)
    # a short line of names, a full date and no sentence end: a byline or a stamp ("Hana Seo and Daniel
    # Whitlock September 22, 2025", "KYODO NEWS - Oct 10, 2025 - 23:18 | World, All"); a lower-case word
    # makes it text ("The summit of June 12, 2018 in Singapore")
    if (
        len(stripped.split()) <= _STAMP_WORDS
        and not stripped.endswith(_SENTENCE_END)
        and not any(len(w) >= 3 and w != "and" for w in re.findall(r"\b[a-z]+\b", stripped))
    ):
        stamped = find_date(stripped)
        if stamped and stamped.precision == "day":
            return True, None, stamped
    return False, None, None


def _is_title_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 20
        and len(line) <= 160
        and not line.endswith((".", ",", ";", ":"))
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'")
        and parse_date(line) is None
    )


def remove_header(text: str, rules: CleaningRules) -> tuple[str, list[Removal], HeaderInfo]:
    """Remove the page header (everything down to the last header line near the top)."""
    lines = text.split("\n")
    info = HeaderInfo()
    nonempty = [i for i, line in enumerate(lines) if line.strip()][: rules.header_max_lines]
    last = None
    for i in nonempty:
        is_header, author, date = _header_fields(lines[i], rules)
        if is_header:
            last = i
            info.author = info.author or author
            if date and not info.date:
                info.date, info.date_line = date, lines[i].strip()
    if last is None:
        return text, [], HeaderInfo()
    kept = [line for line in lines[: last + 1] if is_body_sentence(line)]  # a lead above a byline stays
    removed = "\n".join(line for line in lines[: last + 1] if not is_body_sentence(line))
    if len(removed) > rules.header_max_share * len(text):
        return text, [], HeaderInfo()
    rest = "\n\n".join(kept + ["\n".join(lines[last + 1 :])]) if kept else "\n".join(lines[last + 1 :])
    block = [
        line.strip()
        for line in lines[: last + 1]
        if line.strip() and not is_body_sentence(line) and not _header_fields(line, rules)[0]
    ]
    body_lines = [line.strip() for line in rest.split("\n") if line.strip()]
    repeated = [line for line in block if line in body_lines[:5] and _is_title_like(line)]
    if repeated:
        info.title = repeated[0]
    elif body_lines and _is_title_like(body_lines[0]):
        info.title = body_lines[0]
    else:
        info.title = next((line for line in reversed(block) if _is_title_like(line)), None)
    return (
        rest,
        [Removal("page header", "title, dateline, byline and masthead above the article", removed)],
        info,
    )


def _title_key(line: str) -> str:
    return " ".join(line.lower().split()).rstrip(".")


def remove_title_lines(text: str, titles: list[str], rules: CleaningRules) -> tuple[str, list[Removal]]:
    """Remove the document's title where it is printed again near the top (the metadata's title, the page's
    own, or the header's): a headline is not article text, and its names would count twice."""
    wanted = {_title_key(t) for t in titles if t and t.strip()}
    if not wanted:
        return text, []
    lines = text.split("\n")
    top = [i for i, line in enumerate(lines) if line.strip()][: rules.header_max_lines]
    drop = [i for i in top if _title_key(lines[i]) in wanted]
    if not drop:
        return text, []
    removed = "\n".join(lines[i] for i in drop)
    kept = [line for i, line in enumerate(lines) if i not in set(drop)]
    return "\n".join(kept), [Removal("page header", "the title printed above the article", removed)]


def remove_footer(text: str, rules: CleaningRules) -> tuple[str, list[Removal]]:
    """Cut the document at the first footer marker found in its last part."""
    cutoff = len(text) * (1 - rules.footer_max_share)
    offset = 0
    for line in text.split("\n"):
        if offset >= cutoff and any(m.fullmatch(line.strip()) for m in rules.footer_markers):
            return text[:offset], [
                Removal(
                    "page footer",
                    f"comments, related posts and links from '{line.strip()}' on",
                    text[offset:],
                )
            ]
        offset += len(line) + 1
    return text, []


def remove_author_bio(text: str, rules: CleaningRules, authors: list[str]) -> tuple[str, list[Removal]]:
    """Remove trailing paragraphs that describe the author rather than the subject."""
    lines = text.rstrip().split("\n")
    removals = []
    checked = 0
    while lines and checked < rules.bio_paragraphs:
        line = lines[-1].strip()
        if not line:
            lines.pop()
            continue
        checked += 1
        starts_like_bio = bool(rules.bio_start_re.match(line)) or any(
            a and line.startswith(a) for a in authors
        )
        if starts_like_bio and any(k in line.lower() for k in rules.bio_keywords):
            removals.append(Removal("author bio", "biography of the author at the end", lines.pop()))
        else:
            break
    return "\n".join(lines), removals


def _join_broken_word(left: str, right: str) -> bool:
    """Was a word split by a hard line break ("o" + "vertures")?"""
    whole = left + right
    pieces_are_words = min(zipf_frequency(left, "en"), zipf_frequency(right, "en")) >= _FRAGMENT_ZIPF
    return not pieces_are_words and zipf_frequency(whole, "en") >= _WORD_ZIPF


def assemble_paragraphs(text: str) -> tuple[list[str], list[Removal]]:
    """Split into paragraphs, repairing hard line breaks inside sentences.

    A line continues the previous one when that one ends without closing punctuation and this one
    starts in lower case; a blank line always ends a paragraph. A word broken across the lines is
    rejoined when the pieces are not words and the whole is.
    """
    paragraphs: list[str] = []
    repairs = []
    current = ""
    for raw in text.split("\n"):
        line = _BULLET_RE.sub("", raw.strip())
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current and not current.endswith(_TERMINAL) and line[0].islower():
            left = re.search(r"[A-Za-z]+-?$", current)
            right = re.match(r"[a-z]+", line)
            if (
                left
                and right
                and left.group(0).endswith("-")
                and zipf_frequency(left.group(0)[:-1] + right.group(0), "en") >= _WORD_ZIPF
            ):
                repairs.append(
                    Removal(
                        "line break repaired", "hyphenated word rejoined", f"{left.group(0)}|{right.group(0)}"
                    )
                )
                current = current[:-1] + line
            elif (
                left
                and right
                and not left.group(0).endswith("-")
                and _join_broken_word(left.group(0), right.group(0))
            ):
                repairs.append(
                    Removal(
                        "line break repaired", "broken word rejoined", f"{left.group(0)}|{right.group(0)}"
                    )
                )
                current += line
            else:
                repairs.append(
                    Removal(
                        "line break repaired", "line break inside a sentence", f"{current[-20:]}|{line[:20]}"
                    )
                )
                current += ("" if current.endswith("-") else " ") + line
            continue
        if current:
            paragraphs.append(current)
        current = line
    if current:
        paragraphs.append(current)
    return paragraphs, repairs


def remove_repeated_passages(paragraphs: list[str], min_words: int) -> tuple[list[str], list[Removal]]:
    """Drop paragraphs that repeat earlier ones, so a passage printed twice is counted once."""
    keys = [" ".join(p.lower().split()) for p in paragraphs]
    seen: set[str] = set()
    repeat = []
    for key in keys:
        repeat.append(key in seen)
        seen.add(key)
    drop = [r and count_words(p) >= min_words for r, p in zip(repeat, paragraphs, strict=True)]
    changed = True
    while changed:  # short repeats (headings) go when they sit next to a dropped long repeat
        changed = False
        for i, (r, d) in enumerate(zip(repeat, drop, strict=True)):
            if r and not d and ((i > 0 and drop[i - 1]) or (i + 1 < len(drop) and drop[i + 1])):
                drop[i] = changed = True
    kept, removals, run = [], [], []
    for paragraph, dropped in zip(paragraphs + [""], drop + [False], strict=True):
        if dropped:
            run.append(paragraph)
            continue
        if run:
            removals.append(
                Removal(
                    "repeated passage",
                    f"{plural(len(run), 'paragraph')} repeating earlier text",
                    "\n\n".join(run),
                )
            )
            run = []
        kept.append(paragraph)
    return kept[:-1], removals


def clean(
    raw: str,
    rules: CleaningRules,
    known_authors: list[str] | None = None,
    known_titles: list[str] | None = None,
) -> Cleaned:
    """Run every cleaning step in order and return the article text with its removal log."""
    text, replaced = normalise_unicode(raw)
    text, removals = remove_residue(text, rules)
    text, header_removals, header = remove_header(text, rules)
    titles = [normalise_unicode(t)[0] for t in known_titles or []] + ([header.title] if header.title else [])
    text, title_removals = remove_title_lines(text, titles, rules)
    header_removals += title_removals
    text, footer_removals = remove_footer(text, rules)
    authors = [
        a.strip()
        for a in (known_authors or []) + ([header.author] if header.author else [])
        if a and a.strip()
    ]
    text, bio_removals = remove_author_bio(text, rules, authors)
    paragraphs, repairs = assemble_paragraphs(text)
    paragraphs, repeats = remove_repeated_passages(paragraphs, rules.repeat_min_words)
    return Cleaned(
        text="\n\n".join(paragraphs),
        removals=removals + header_removals + footer_removals + bio_removals + repairs + repeats,
        header=header,
        replaced_characters=replaced,
    )
