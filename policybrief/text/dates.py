"""Dates as people write them: parsing, finding one in a text, and printing one long-hand."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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


# A season or a quarter stands at its middle month, so that it sorts and falls into time bins with the months
# it spans; its ISO form is that month's ("2024-04") and its precision says it is a season or a quarter.
# Winter is the one that opens the year (December to February): "Winter 2024" is January 2024.
SEASONS = {"winter": 1, "spring": 4, "summer": 7, "autumn": 10, "fall": 10}
QUARTERS = {1: 2, 2: 5, 3: 8, 4: 11}
_SEASON_NAMES = {1: "Winter", 4: "Spring", 7: "Summer", 10: "Autumn"}


def long_date(iso: str, precision: str = "") -> str:
    """``iso`` as a reader writes it ("5 March 2024", "March 2024", "2024"); with the precision of a season or
    a quarter, which the ISO form alone cannot tell from a month, "Spring 2024" or "Q2 2024"."""
    parts = iso.split("-")
    if len(parts) == 2 and precision in ("season", "quarter"):
        month = int(parts[1])
        if precision == "season" and month in _SEASON_NAMES:
            return f"{_SEASON_NAMES[month]} {parts[0]}"
        if precision == "quarter" and month in QUARTERS.values():
            return f"Q{(month + 1) // 3} {parts[0]}"
    day = dt.date(
        int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
    )
    return {3: f"{day.day} {day:%B %Y}", 2: f"{day:%B %Y}", 1: parts[0]}[len(parts)]


_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"


_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"


_YEAR = r"(?P<year>(?:19|20)\d\d)"


_SEASON = r"(?P<season>" + "|".join(SEASONS) + r")"


_QUARTER = r"q(?P<quarter>[1-4])"


# Each pattern matches a whole date expression; the precision says how much of the date is known.
_PATTERNS = [
    (re.compile(rf"{_YEAR}[-./](?P<mnum>\d{{1,2}})[-./](?P<day>\d{{1,2}})", re.I), "day"),
    (re.compile(rf"(?:{_WEEKDAY})?{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"(?:{_WEEKDAY})?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"{_YEAR}[-./](?P<mnum>\d{{1,2}})", re.I), "month"),
    (re.compile(rf"(?P<mnum>\d{{1,2}})[-./]{_YEAR}", re.I), "month"),
    (re.compile(rf"{_MONTH},?\s+{_YEAR}", re.I), "month"),
    (re.compile(rf"{_SEASON},?\s+(?:of\s+)?{_YEAR}", re.I), "season"),
    (re.compile(rf"{_QUARTER}\s*[-,]?\s*{_YEAR}", re.I), "quarter"),
    (re.compile(rf"{_YEAR}\s*-?\s*{_QUARTER}", re.I), "quarter"),
    (re.compile(rf"{_YEAR}", re.I), "year"),
]


_PREFIXED = [
    (re.compile(rf"(?<![\w-]){p.pattern}(?![\w-])", re.I), precision) for p, precision in _PATTERNS[:3]
]


# 05/03/2024: day and month in an order that only the writer knows (see ``parse_date``).
_NUMERIC_DAY = re.compile(
    rf"(?P<first>\d{{1,2}})(?P<separator>[-./])(?P<second>\d{{1,2}})(?P=separator){_YEAR}"
)


# A fiscal year starts in a different month in each country (and agency): no calendar date can stand for it.
_FISCAL_YEAR = re.compile(
    r"(?:fy|fiscal(?:\s+year)?)\s*'?\d{2}(?:\d{2})?(?:\s*[-/]\s*'?\d{2}(?:\d{2})?)?", re.I
)


@dataclass(frozen=True)
class ParsedDate:
    iso: str  # YYYY-MM-DD, YYYY-MM or YYYY, as precise as the source
    precision: str  # day, month, season, quarter or year (a season or quarter: YYYY-MM of its middle month)
    text: str  # the expression as written

    @property
    def sort_key(self) -> dt.date:
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


def _build(match: re.Match, precision: str) -> ParsedDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mnum"):
        month = int(groups["mnum"])
    elif groups.get("season"):
        month = SEASONS[groups["season"].lower()]
    elif groups.get("quarter"):
        month = QUARTERS[int(groups["quarter"])]
    else:
        month = MONTHS.get((groups.get("month") or "").lower(), 1)
    day = int(groups["day"]) if groups.get("day") else 1
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    iso = {"day": f"{year:04d}-{month:02d}-{day:02d}", "year": f"{year:04d}"}.get(
        precision,
        f"{year:04d}-{month:02d}",  # a month, or a season or quarter at its middle month
    )
    return ParsedDate(iso, precision, match.group(0))


def _numeric_readings(match: re.Match) -> dict[bool, dt.date]:
    """The dates that 05/03/2024 can be, keyed by "day first"."""
    first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
    readings = {}
    for day_first, (day, month) in ((True, (first, second)), (False, (second, first))):
        try:
            readings[day_first] = dt.date(year, month, day)
        except ValueError:
            continue
    return readings


def _bare(value: str) -> str:
    return value.strip().strip(".,;:()[]").strip()


def parse_date(value: str, day_first: bool | None = None) -> ParsedDate | None:
    """Parse a string that is *only* a date (surrounding spaces and punctuation allowed).

    A numeric date with the year last (05/03/2024) is read when only one order of day and month makes a date
    (25/03/2024), or when both give the same day; otherwise only with ``day_first``, which the caller knows
    from the other dates the same person wrote (see ``written_order``).
    """
    candidate = _bare(value)
    for pattern, precision in _PATTERNS:
        match = pattern.fullmatch(candidate)
        if match:
            return _build(match, precision)
    numeric = _NUMERIC_DAY.fullmatch(candidate)
    if numeric is None:
        return None
    readings = _numeric_readings(numeric)
    if len(set(readings.values())) == 1:
        day = next(iter(readings.values()))
    elif len(readings) == 2 and day_first is not None:
        day = readings[day_first]
    else:
        return None
    return ParsedDate(day.isoformat(), "day", numeric.group(0))


def written_order(value: str) -> bool | None:
    """Whether ``value`` is a numeric date that can only be day first (True: 25/03/2024) or only month first
    (False: 03/25/2024); ``None`` if it does not tell."""
    numeric = _NUMERIC_DAY.fullmatch(_bare(value))
    readings = _numeric_readings(numeric) if numeric else {}
    return next(iter(readings)) if len(readings) == 1 else None


def date_problem(value: str) -> str | None:
    """Why ``value``, which ``parse_date`` refused, is not read, when there is more to say than "not a date":
    the end of a note that starts "date '…' "."""
    candidate = _bare(value)
    if _FISCAL_YEAR.fullmatch(candidate):
        return "is a fiscal year, which differs by country: give a calendar date"
    numeric = _NUMERIC_DAY.fullmatch(candidate)
    readings = _numeric_readings(numeric) if numeric else {}
    if len(set(readings.values())) == 2:
        day_first, month_first = readings[True], readings[False]
        return (
            f"could be {day_first.day} {day_first:%B} or {month_first.day} {month_first:%B}: "
            f"write {day_first.isoformat()}"
        )
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
