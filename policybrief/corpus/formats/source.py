"""What every reader returns (``SourceText``), and the byte-to-text steps the text formats share: decoding and
mojibake repair."""

import re
from dataclasses import dataclass, field

import charset_normalizer
import ftfy


@dataclass
class SourceText:
    """A document's text as read, before cleaning, and what its format said about it."""

    text: str
    fmt: str
    found: dict = field(default_factory=dict)  # title/author/date/source/url given by the file itself
    notes: list[str] = field(default_factory=list)
    # where each page starts in ``text`` (the first at 0), for formats with pages (PDF); empty otherwise
    page_starts: tuple[int, ...] = ()
    # what the reader itself took out (reason, text): a PDF's running headers, page numbers, footnote markers
    removed: list[tuple[str, str]] = field(default_factory=list)


MOJIBAKE_NOTE = "mis-decoded characters (mojibake such as 'â€™' for '’') repaired"


class Unreadable(Exception):
    """A file that is not a usable document: the message is the data-quality note ("no text layer")."""


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Text of ``data`` and, when it was not UTF-8, the encoding that was guessed."""
    if b"\x00" in data[:8192]:
        return None, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:  # the usual non-UTF-8 encoding of English text; covers Latin-1's printable range
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None, None
    return str(best), best.encoding


# Mojibake of UTF-8 read as Windows-1252 or Latin-1 ("â€™" for "’", "Ã©" for "é", "ê°€" for "가"): a UTF-8
# lead byte's character followed by a continuation byte's. Only texts with such a pair go through ftfy, which
# decides (a clean text is left as it is); screening first costs 0.1 ms a document where ftfy costs 2 ms.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_encoding(text: str) -> tuple[str, bool]:
    """``text`` with mis-decoded characters repaired (ftfy), and whether anything was."""
    if not _MOJIBAKE_HINT.search(text):
        return text, False
    repaired = ftfy.fix_encoding(text)
    return repaired, repaired != text


def decoded_text(data: bytes) -> tuple[str, list[str]]:
    """A text file's text, decoded and repaired, with a note for each guess or repair made."""
    if not data.strip():
        raise Unreadable("empty file")
    text, guessed = decode(data)
    if text is None:
        raise Unreadable("not a text file (binary content)")
    notes = [f"not UTF-8: read as {guessed} (guessed)"] if guessed else []
    text, repaired = repair_encoding(text)
    if repaired:
        notes.append(MOJIBAKE_NOTE)
    return text, notes
