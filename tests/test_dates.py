"""Dates no more precise than the text, relative ones read against the publication date."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.dates import normalize_date, parse_published
from kg.model import DateValue

MON_3_NOV_2025 = dt.date(2025, 11, 3)     # a Monday
SUN_16_NOV_2025 = dt.date(2025, 11, 16)   # a Sunday
FRI_9_MAY_2025 = dt.date(2025, 5, 9)      # a Friday


@pytest.mark.parametrize("text, expected", [
    ("late October 2025", DateValue("2025-10", "gYearMonth")),
    ("October 2025", DateValue("2025-10", "gYearMonth")),
    ("early March, 2024", DateValue("2024-03", "gYearMonth")),
    ("the end of June 2026", DateValue("2026-06", "gYearMonth")),
    ("December 3, 2025", DateValue("2025-12-03", "date")),
    ("Dec. 3, 2025", DateValue("2025-12-03", "date")),
    ("3 December 2025", DateValue("2025-12-03", "date")),
    ("October 27th, 2025", DateValue("2025-10-27", "date")),
    ("March 13, 2024", DateValue("2024-03-13", "date")),
    ("2025-05-07", DateValue("2025-05-07", "date")),
    ("in 2026", DateValue("2026", "gYear")),
    ("2026", DateValue("2026", "gYear")),
])
def test_absolute_dates_keep_the_text_precision(text: str, expected: DateValue) -> None:
    assert normalize_date(text) == expected
    # a publication date never makes an absolute date more or less precise
    assert normalize_date(text, SUN_16_NOV_2025) == expected


@pytest.mark.parametrize("text, published, expected", [
    ("yesterday", SUN_16_NOV_2025, DateValue("2025-11-15", "date")),
    ("today", SUN_16_NOV_2025, DateValue("2025-11-16", "date")),
    ("tomorrow", dt.date(2025, 12, 31), DateValue("2026-01-01", "date")),
    ("next month", SUN_16_NOV_2025, DateValue("2025-12", "gYearMonth")),
    ("next month", dt.date(2025, 12, 10), DateValue("2026-01", "gYearMonth")),
    ("last month", dt.date(2025, 1, 20), DateValue("2024-12", "gYearMonth")),
    ("next year", SUN_16_NOV_2025, DateValue("2026", "gYear")),
    ("last year", SUN_16_NOV_2025, DateValue("2024", "gYear")),
    # "on Saturday" in a Monday article: the Saturday just before
    ("Saturday", MON_3_NOV_2025, DateValue("2025-11-01", "date")),
    ("on Wednesday", FRI_9_MAY_2025, DateValue("2025-05-07", "date")),
    ("last Tuesday", SUN_16_NOV_2025, DateValue("2025-11-11", "date")),
    ("next Tuesday", MON_3_NOV_2025, DateValue("2025-11-04", "date")),
    # a month or day without a year: the occurrence nearest the publication date
    ("May 7", FRI_9_MAY_2025, DateValue("2025-05-07", "date")),
    ("Nov 1", MON_3_NOV_2025, DateValue("2025-11-01", "date")),
    ("January", SUN_16_NOV_2025, DateValue("2026-01", "gYearMonth")),
    ("in December", dt.date(2026, 2, 1), DateValue("2025-12", "gYearMonth")),
])
def test_relative_dates_read_against_publication(text: str, published: dt.date, expected: DateValue) -> None:
    assert normalize_date(text, published) == expected


def test_weekday_in_a_plan_is_the_next_one() -> None:
    # "set for Tuesday" in a Monday article is the next day, not last week
    assert normalize_date("Tuesday", MON_3_NOV_2025, future=True) == DateValue("2025-11-04", "date")
    assert normalize_date("Tuesday", MON_3_NOV_2025, future=False) == DateValue("2025-10-28", "date")


def test_a_planned_month_day_already_passed_is_next_year() -> None:
    # "scheduled for July 14" in a November article is next July; a report of a past July 14 is not
    assert normalize_date("July 14", MON_3_NOV_2025, future=True) == DateValue("2026-07-14", "date")
    assert normalize_date("July 14", MON_3_NOV_2025, future=False) == DateValue("2025-07-14", "date")
    # a month just passed stays where it is (the plan may have slipped): October in a November article
    assert normalize_date("October 30", MON_3_NOV_2025, future=True) == DateValue("2025-10-30", "date")
    assert normalize_date("July 14, 2025", MON_3_NOV_2025, future=True) == DateValue("2025-07-14", "date")


@pytest.mark.parametrize("text", ["yesterday", "next month", "on Saturday", "May 7", "January"])
def test_relative_dates_without_publication_date_are_unknown(text: str) -> None:
    assert normalize_date(text) is None


@pytest.mark.parametrize("text", [
    "2023\u20132025", "2023-2025", "2023 - 2025", "2023\u201425", "between 2023 and 2025", "from 2023 to 2025",
    "24-hour", "24 hours", "two weeks", "a year", "three-month",
    "", "   ", "the weekend", "recently", "Q4",
])
def test_ranges_durations_and_vague_expressions_are_not_dates(text: str) -> None:
    assert normalize_date(text, SUN_16_NOV_2025) is None


@pytest.mark.parametrize("text", ["February 30, 2025", "2025-13-01", "31 April 2025"])
def test_impossible_calendar_dates_never_become_a_day(text: str) -> None:
    value = normalize_date(text)
    assert value is None or value.datatype != "date"


@pytest.mark.parametrize("text, expected", [
    ("2025/11/07 18:50", dt.date(2025, 11, 7)),
    ("2025-11-07T18:50:00Z", dt.date(2025, 11, 7)),
    ("2025-11-07", dt.date(2025, 11, 7)),
    ("2025.11.07", dt.date(2025, 11, 7)),
    ("Nov 7, 2025", dt.date(2025, 11, 7)),
    ("November 7, 2025 at 6:50 pm", dt.date(2025, 11, 7)),
    ("7 November 2025", dt.date(2025, 11, 7)),
    ("  2025/1/5  ", dt.date(2025, 1, 5)),
])
def test_parse_published_formats(text: str, expected: dt.date) -> None:
    assert parse_published(text) == expected


@pytest.mark.parametrize("text", ["", "November 2025", "2025", "yesterday", "not a date", "2025/02/30 10:00"])
def test_parse_published_needs_a_full_date(text: str) -> None:
    assert parse_published(text) is None


def test_date_value_first_day() -> None:
    assert DateValue("2025-10", "gYearMonth").first_day() == dt.date(2025, 10, 1)
    assert DateValue("2026", "gYear").first_day() == dt.date(2026, 1, 1)
    assert DateValue("2025-12-03", "date").first_day() == dt.date(2025, 12, 3)
