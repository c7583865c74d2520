"""Dates as people write them: parsing, finding one in a text, and printing one long-hand."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


def long_date(iso: str) -> str:
    parts = iso.split("-")
    day = dt.date(
        int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
    )
    return {3: f"{day.day} {day:%B %Y}", 2: f"{day:%B %Y}", 1: parts[0]}[len(parts)]


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"


_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"


_YEAR = r"(?P<year>(?:19|20)\d\d)"


# Each pattern matches a whole date expression; the precision says how much of the date is known.
_PATTERNS = [
    (re.compile(rf"{_YEAR}[-./](?P<mnum>\d{{1,2}})[-./](?P<day>\d{{1,2}})", re.I), "day"),
    (re.compile(rf"(?:{_WEEKDAY})?{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"(?:{_WEEKDAY})?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"{_YEAR}-(?P<mnum>\d{{1,2}})", re.I), "month"),
    (re.compile(rf"{_MONTH},?\s+{_YEAR}", re.I), "month"),
    (re.compile(rf"{_YEAR}", re.I), "year"),
]


_PREFIXED = [
    (re.compile(rf"(?<![\w-]){p.pattern}(?![\w-])", re.I), precision) for p, precision in _PATTERNS[:3]
]


@dataclass(frozen=True)
class ParsedDate:
    iso: str  # YYYY-MM-DD, YYYY-MM or YYYY, as precise as the source
    precision: str  # day, month or year
    text: str  # the expression as written

    @property
    def sort_key(self) -> dt.date:
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


def _build(match: re.Match, precision: str) -> ParsedDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS.get((groups.get("month") or "").lower(), 1)
    day = int(groups["day"]) if groups.get("day") else 1
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    iso = {
        "day": f"{year:04d}-{month:02d}-{day:02d}",
        "month": f"{year:04d}-{month:02d}",
        "year": f"{year:04d}",
    }
    return ParsedDate(iso[precision], precision, match.group(0))


def parse_date(value: str) -> ParsedDate | None:
    """Parse a string that is *only* a date (surrounding spaces and punctuation allowed)."""
    candidate = value.strip().strip(".,;:()[]").strip()
    for pattern, precision in _PATTERNS:
        match = pattern.fullmatch(candidate)
        if match:
            return _build(match, precision)
    return None


def date_key(value: str) -> dt.date:
    """The sort date of a date known to be valid (one this program wrote, or a checked option)."""
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date")
    return parsed.sort_key


def find_date(text: str) -> ParsedDate | None:
    """The first full day-precision date written anywhere in ``text`` (for datelines)."""
    found = []
    for pattern, precision in _PREFIXED:
        for match in pattern.finditer(text):
            parsed = _build(match, precision)
            if parsed:
                found.append((match.start(), parsed))
                break
    return min(found, key=lambda item: item[0])[1] if found else None
