import pytest

from policybrief.text.dates import find_date, parse_date


@pytest.mark.parametrize(
    "text, iso, precision",
    [
        ("2025-01-16", "2025-01-16", "day"),
        ("2025.01.16", "2025-01-16", "day"),
        ("2025/1/6", "2025-01-06", "day"),
        ("16 Jan 2025", "2025-01-16", "day"),
        ("16th of January, 2025", "2025-01-16", "day"),
        ("January 16, 2025", "2025-01-16", "day"),
        ("Jan. 16, 2025", "2025-01-16", "day"),
        ("Friday, July 4, 2025", "2025-07-04", "day"),
        ("July 2025", "2025-07", "month"),
        ("2025-07", "2025-07", "month"),
        ("2025", "2025", "year"),
    ],
)
def test_parse_date_forms(text, iso, precision):
    parsed = parse_date(text)
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize(
    "text", ["2025-13-45", "February 30, 2025", "01/02/2025", "next Tuesday", "", "1850"]
)
def test_impossible_ambiguous_or_missing_dates_are_refused(text):
    assert parse_date(text) is None


def test_find_date_takes_the_first_full_date_in_a_line():
    found = find_date("January 16, 2025 Topic: Security Region: Asia (updated February 2, 2025)")
    assert (found.iso, found.text) == ("2025-01-16", "January 16, 2025")
    assert find_date("no date here, only 2025") is None
