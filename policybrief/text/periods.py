"""Time bins for charts over time: every period between the first and last date, empty ones included."""

import datetime as dt

BINS = ("month", "quarter", "year")
# Up to this many months spanned, bins are months; up to MAX_QUARTERS_MONTHS, quarters; years above: enough
# bins to see a change, few enough to label, and every bin the same length (a bin per document is not).
MAX_MONTHS = 24
MAX_QUARTERS_MONTHS = 144


def check_bin(time_bin: str) -> str:
    if time_bin not in BINS:
        raise ValueError(f"time bin {time_bin!r} is not one of {', '.join(BINS)}")
    return time_bin


def even_bin(first: dt.date, last: dt.date) -> str:
    """The time bin for dates from ``first`` to ``last``: month, quarter or year, from the span."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return "month" if months <= MAX_MONTHS else "quarter" if months <= MAX_QUARTERS_MONTHS else "year"


def resolve_bin(time_bin: str, dates: list[dt.date]) -> str:
    """``time_bin`` itself, or for "auto" the even bin the span of ``dates`` calls for."""
    if time_bin != "auto":
        return check_bin(time_bin)
    return even_bin(min(dates), max(dates)) if dates else "quarter"


def period_start(day: dt.date, time_bin: str) -> dt.date:
    if time_bin == "month":
        return day.replace(day=1)
    if time_bin == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def period_label(start: dt.date, time_bin: str) -> str:
    if time_bin == "month":
        return f"{start:%Y-%m}"
    if time_bin == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def all_periods(first: dt.date, last: dt.date, time_bin: str) -> list[dt.date]:
    """Start dates of every period from the one holding ``first`` to the one holding ``last``."""
    step = {"month": 1, "quarter": 3, "year": 12}[check_bin(time_bin)]
    current, end = period_start(first, time_bin), period_start(last, time_bin)
    periods = []
    while current <= end:
        periods.append(current)
        month = current.month - 1 + step
        current = dt.date(current.year + month // 12, month % 12 + 1, 1)
    return periods
