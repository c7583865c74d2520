"""Time bins for charts over time: every period between the first and last date, empty ones included."""

import datetime as dt

BINS = ("month", "quarter", "year")


def check_bin(time_bin: str) -> str:
    if time_bin not in BINS:
        raise ValueError(f"time bin {time_bin!r} is not one of {', '.join(BINS)}")
    return time_bin


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
