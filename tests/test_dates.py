import datetime as dt

import pytest

from policybrief.text.dates import date_problem, find_date, long_date, parse_date, written_order


@pytest.mark.parametrize(
    "text, iso, precision",
    [
        ("2025-01-16", "2025-01-16", "day"),
        ("2025.01.16", "2025-01-16", "day"),
        ("2025/1/6", "2025-01-06", "day"),
        ("2024/03/05", "2024-03-05", "day"),
        ("16 Jan 2025", "2025-01-16", "day"),
        ("16th of January, 2025", "2025-01-16", "day"),
        ("January 16, 2025", "2025-01-16", "day"),
        ("Jan. 16, 2025", "2025-01-16", "day"),
        ("Friday, July 4, 2025", "2025-07-04", "day"),
        ("July 2025", "2025-07", "month"),
        ("2025-07", "2025-07", "month"),
        ("March 2024", "2024-03", "month"),
        ("Mar. 2024", "2024-03", "month"),
        ("Sept 2024", "2024-09", "month"),
        ("2024-03", "2024-03", "month"),
        ("2024/03", "2024-03", "month"),
        ("03/2024", "2024-03", "month"),
        ("Spring 2024", "2024-04", "season"),
        ("Summer 2024", "2024-07", "season"),
        ("Autumn 2024", "2024-10", "season"),
        ("fall 2024", "2024-10", "season"),
        ("Winter 2024", "2024-01", "season"),
        ("Spring of 2024", "2024-04", "season"),
        ("Q1 2024", "2024-02", "quarter"),
        ("q2-2024", "2024-05", "quarter"),
        ("2024 Q3", "2024-08", "quarter"),
        ("2024-Q4", "2024-11", "quarter"),
        ("2025", "2025", "year"),
    ],
)
def test_parse_date_forms(text, iso, precision):
    parsed = parse_date(text)
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("25/03/2024", "2024-03-25"),  # no 25th month: day first
        ("03/25/2024", "2024-03-25"),  # month first
        ("25.03.2024", "2024-03-25"),
        ("05/05/2024", "2024-05-05"),  # both orders give the same day
    ],
)
def test_a_numeric_date_readable_one_way_only_is_read_alone(text, iso):
    parsed = parse_date(text)
    assert (parsed.iso, parsed.precision) == (iso, "day")


def test_an_ambiguous_numeric_date_is_read_only_in_the_order_given():
    assert parse_date("05/03/2024") is None
    assert parse_date("05/03/2024", day_first=True).iso == "2024-03-05"
    assert parse_date("05/03/2024", day_first=False).iso == "2024-05-03"
    assert parse_date("25/03/2024", day_first=False).iso == "2024-03-25"  # its own order wins


def test_written_order_says_what_a_numeric_date_shows():
    assert [written_order(v) for v in ("25/03/2024", "03/25/2024", "05/03/2024", "05/05/2024")] == [
        True,
        False,
        None,
        None,
    ]
    assert written_order("2024-03-25") is None


@pytest.mark.parametrize(
    "text",
    [
        "2025-13-45",
        "February 30, 2025",
        "01/02/2025",
        "31/02/2024",
        "next Tuesday",
        "",
        "1850",
        "FY2025",
        "Q5 2024",
        "Spring",
        "13/2024",
    ],
)
def test_impossible_ambiguous_or_missing_dates_are_refused(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["FY2025", "FY 2025", "fiscal year 2025", "FY24", "FY 2024/25"])
def test_a_fiscal_year_is_refused_with_its_reason(text):
    assert parse_date(text) is None
    assert date_problem(text) == "is a fiscal year, which differs by country: give a calendar date"


def test_date_problem_explains_ambiguous_dates_and_only_those_it_can():
    assert date_problem("05/03/2024") == "could be 5 March or 3 May: write 2024-03-05"
    assert date_problem("12/11/2024") == "could be 12 November or 11 December: write 2024-11-12"
    assert date_problem("2025-13-45") is None
    assert date_problem("31/02/2024") is None


def test_seasons_and_quarters_sort_at_their_middle_month():
    assert parse_date("Winter 2024").sort_key == dt.date(2024, 1, 1)
    assert parse_date("Autumn 2024").sort_key == dt.date(2024, 10, 1)
    assert parse_date("Q4 2024").sort_key == dt.date(2024, 11, 1)


@pytest.mark.parametrize(
    "iso, precision, printed",
    [
        ("2024-03-05", "day", "5 March 2024"),
        ("2024-03-05", "", "5 March 2024"),
        ("2024-04", "month", "April 2024"),
        ("2024-04", "", "April 2024"),
        ("2024-04", "season", "Spring 2024"),
        ("2024-07", "season", "Summer 2024"),
        ("2024-10", "season", "Autumn 2024"),
        ("2024-01", "season", "Winter 2024"),
        ("2024-03", "season", "March 2024"),  # not a season's month: printed as the month it is
        ("2024-02", "quarter", "Q1 2024"),
        ("2024-11", "quarter", "Q4 2024"),
        ("2024", "year", "2024"),
    ],
)
def test_long_date_prints_a_season_or_quarter_by_name(iso, precision, printed):
    assert long_date(iso, precision) == printed


def test_a_season_prints_back_under_its_own_name():
    fall = parse_date("Fall 2024")
    assert long_date(fall.iso, fall.precision) == "Autumn 2024"


def test_find_date_takes_the_first_full_date_in_a_line():
    found = find_date("January 16, 2025 Topic: Security Region: Asia (updated February 2, 2025)")
    assert (found.iso, found.text) == ("2025-01-16", "January 16, 2025")
    assert find_date("no date here, only 2025") is None
