"""Words: counting them, normalising Unicode, and small phrasing helpers (no pandas)."""

import re
import unicodedata
from collections import Counter

WORD_RE = re.compile(r"[^\W_]+(?:['\u2019.\-\u2010\u2011][^\W_]+)*")


# Look-alike characters mapped to one canonical form, grouped by what the data-quality notes call them.
_CANONICAL = {
    "curly quotes": {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    },
    "hyphens and dashes": {
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u2012": "\u2013",
        "\u2015": "\u2014",
    },
    "non-breaking and unusual spaces": {
        "\u00a0": " ",
        "\u2000": " ",
        "\u2001": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\t": " ",
    },
    "invisible characters": {
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00ad": "",
    },
}


_TRANSLATION = {ord(src): dst for group in _CANONICAL.values() for src, dst in group.items()}


_GROUP_OF = {src: name for name, group in _CANONICAL.items() for src in group}


_SPECIAL = re.compile("[" + re.escape("".join(_GROUP_OF)) + "]")


_SPACE_RUN = re.compile(r" {2,}")


_TRAILING_SPACES = re.compile(r" +\n")


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def normalise_unicode(text: str) -> tuple[str, dict[str, int]]:
    """Return the text in canonical form and how many characters of each kind were replaced.

    Line endings become ``\\n``, trailing spaces go, runs of spaces collapse to one.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    counts = Counter(_GROUP_OF[ch] for ch in _SPECIAL.findall(text))
    if counts:  # translate looks up every character: skipped when there is nothing to replace
        text = text.translate(_TRANSLATION)
    if "  " in text:  # a substring test is far quicker than the pattern's pass over a text without a match
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text:
        text = _TRAILING_SPACES.sub("\n", text)
    return text.strip() + "\n" if text.strip() else "", dict(sorted(counts.items()))


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def excerpt(text: str, limit: int = 80) -> str:
    """One line of at most ``limit`` characters, for logs and notes."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
