"""Turn date expressions into `DateValue`s no more precise than the text.

"late October 2025" is 2025-10 (gYearMonth), "December 3, 2025" is 2025-12-03 (date),
"in 2026" is 2026 (gYear). Expressions without a year, and relative ones ("yesterday",
"next month", "last Tuesday"), are read against the article's publication date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from .model import DateValue

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d{2})"

_PATTERNS = [
    (re.compile(rf"^{_YEAR_RE}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?!\d)"), "iso"),
    (re.compile(rf"\b{_MONTH_RE}\s+{_DAY_RE}(?:,)?\s+{_YEAR_RE}\b"), "mdy"),
    (re.compile(rf"\b{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE},?\s+{_YEAR_RE}\b"), "dmy"),
    (re.compile(rf"\b{_MONTH_RE},?\s+(?:of\s+)?{_YEAR_RE}\b"), "my"),
    (re.compile(rf"\b{_MONTH_RE}\s+{_DAY_RE}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)"), "md"),
    (re.compile(rf"\b{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE}\b"), "dm"),
    (re.compile(rf"^(?:(?:early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
                rf"the\s+start\s+of|start\s+of|the\s+middle\s+of|in|by|during)[\s-]+)?{_MONTH_RE}$"), "m"),
    (re.compile(rf"\b{_YEAR_RE}\b"), "y"),
]
_RANGE = re.compile(r"(?<![\d-])(?:19|20)\d{2}\s*[–—-]\s*(?:(?:19|20)\d{2}|\d{2})(?![\d-])|\bbetween\b|\bfrom\b.*\bto\b")
_DURATION = re.compile(r"\b(\d+|one|two|three|a|an)[\s-](hour|day|week|month|year)s?\b(?!\s+ago)")


#: The relative expressions of `_relative`, compiled once, in the order they are tried.
_SIMPLE = tuple((re.compile(rf"\b{word}\b"), delta) for word, delta in (("today", 0), ("yesterday", -1), ("tomorrow", 1)))
_SHIFTS = tuple((re.compile(rf"\b{word} month\b"), re.compile(rf"\b{word} year\b"), delta)
                for word, delta in (("last", -1), ("previous", -1), ("this", 0), ("earlier this", 0),
                                    ("later this", 0), ("next", 1), ("coming", 1)))
_WEEKDAY_RES = tuple((re.compile(rf"\b{name}\b"), wd) for name, wd in WEEKDAYS.items())
_AHEAD = re.compile(r"\b(next|coming)\b")
_PERIOD = re.compile(r"\b(q[1-4]|h[12]|quarter|half)\b")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, published: dt.date | None) -> int | None:
    """Year for a month named without one: the occurrence closest to the publication date."""
    if published is None:
        return None
    best = min((published.year - 1, published.year, published.year + 1),
               key=lambda y: abs((y - published.year) * 12 + month - published.month))
    return best


def _shift_month(date: dt.date, months: int) -> tuple[int, int]:
    total = date.year * 12 + date.month - 1 + months
    return total // 12, total % 12 + 1


def _relative(text: str, published: dt.date | None, future: bool) -> DateValue | None:
    if published is None:
        return None
    t = text.lower()
    for word, delta in _SIMPLE:
        if word.search(t):
            return DateValue((published + dt.timedelta(days=delta)).isoformat(), "date")
    for month, year, delta in _SHIFTS:
        if month.search(t):
            y, m = _shift_month(published, delta)
            return DateValue(f"{y:04d}-{m:02d}", "gYearMonth")
        if year.search(t):
            return DateValue(f"{published.year + delta:04d}", "gYear")
    for name, wd in _WEEKDAY_RES:
        if name.search(t):
            ahead = bool(_AHEAD.search(t)) or (future and "last" not in t)
            days = (wd - published.weekday()) % 7 if ahead else -((published.weekday() - wd) % 7)
            if ahead and days == 0:
                days = 7
            return DateValue((published + dt.timedelta(days=days)).isoformat(), "date")
    return None


def normalize_date(text: str, published: dt.date | None = None, future: bool = False) -> DateValue | None:
    """The `DateValue` an expression denotes, or None when it is not one point in time.

    `future` says the context is a plan ("set for Tuesday", "pushed back to July 14"), which decides
    a bare weekday, and puts a month named without a year that has already passed in the next year.
    """
    t = " ".join(text.replace("\u2013", "-").replace("\u2014", "-").split())
    if not t or _RANGE.search(t) or _DURATION.search(t.lower()):
        return None
    low = t.lower()
    for pattern, kind in _PATTERNS:
        m = pattern.search(low)
        if not m:
            continue
        value = _from_match(m, kind, published, future)
        if value is not None:
            return value
    if _PERIOD.search(low):
        return None
    return _relative(t, published, future)


def _from_match(m: re.Match[str], kind: str, published: dt.date | None, future: bool = False) -> DateValue | None:
    g = m.groupdict()
    if kind == "iso":
        d = _safe_date(int(g["year"]), int(g["m"]), int(g["d"]))
        return DateValue(d.isoformat(), "date") if d else None
    month = MONTHS.get(g.get("month") or "", 0)
    year = int(g["year"]) if g.get("year") else (_nearest_year(month, published) if month else None)
    if future and month and not g.get("year") and published is not None \
            and (year - published.year) * 12 + month - published.month < -1:
        year += 1  # "set for July 14" in a November article: next July, not the last one
    if year is None:
        return None
    if kind in {"mdy", "dmy", "md", "dm"}:
        d = _safe_date(year, month, int(g["day"]))
        return DateValue(d.isoformat(), "date") if d else None
    if kind in {"my", "m"}:
        return DateValue(f"{year:04d}-{month:02d}", "gYearMonth")
    return DateValue(f"{year:04d}", "gYear")


def parse_published(text: str) -> dt.date | None:
    """A publication date from metadata ("2025/11/07 18:50", "2025-11-07T18:50Z", "Nov 7, 2025")."""
    value = normalize_date(text.strip()[:40]) if text else None
    return value.first_day() if value and value.datatype == "date" else None
