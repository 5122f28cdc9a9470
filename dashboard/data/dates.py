"""Dates of claims: text such as ``1998``, ``1998-08`` or ``1998-08-07`` read as periods.

A date names a period at its own precision: ``1998`` is the whole year, ``1998-08`` the
whole month. A claim's time span runs from the first day of its start to the last day
of its end, so a claim dated ``1998`` overlaps a filter on 1998-1998.

>>> [str(day) for day in parse_period("1998")]
['1998-01-01', '1998-12-31']
>>> [str(day) for day in parse_period("2014-02-00")]  # a zeroed part: month precision
['2014-02-01', '2014-02-28']
>>> parse_period("1998-13") is None
True
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

PRESENT = "present"
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_SLASHED_YEAR_FIRST = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$")
_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}
_FORMATS = (
    "YYYY, YYYY-MM, YYYY-MM-DD (00 for an unknown month or day), YYYY-MM-DDThh:mm[:ss], "
    "YYYY/MM/DD, YYYYMMDD, D Month YYYY, or {order} with a 2- or 4-digit year"
)
NOT_A_DATE = np.datetime64("NaT", "D")
# Two-digit years as POSIX strptime reads them: 69-99 are 1969-1999, 00-68 are 2000-2068.
# Data sets may move the pivot (``two_digit_pivot``): years at or above it are 19xx.
TWO_DIGIT_PIVOT = 69


def full_year(two_digits: int, pivot: int = TWO_DIGIT_PIVOT) -> int:
    """The year a two-digit year stands for: 19xx from ``pivot`` up, 20xx below it.

    >>> full_year(98), full_year(5), full_year(68), full_year(69), full_year(68, pivot=30)
    (1998, 2005, 2068, 1969, 1968)
    """
    return 1900 + two_digits if two_digits >= pivot else 2000 + two_digits


def parse_period(
    text: str, order: str = "MDY", pivot: int = TWO_DIGIT_PIVOT
) -> tuple[np.datetime64, np.datetime64] | None:
    """Return the first and last day of the period ``text`` names, or None if unreadable.

    ``order`` says how to read slashed dates: ``MDY`` (3/4/2005 is 4 March; US style)
    or ``DMY`` (3 April). A date that does not fit its order is unreadable, never guessed.

    >>> [str(d) for d in parse_period("3/4/2005")], [str(d) for d in parse_period("3/4/05", "DMY")]
    (['2005-03-04', '2005-03-04'], ['2005-04-03', '2005-04-03'])
    >>> parse_period("13/4/2005") is None  # no 13th month in M/D order
    True
    >>> [str(d) for d in parse_period("2014-02-03T23:15:00Z")]
    ['2014-02-03', '2014-02-03']
    >>> [str(d) for d in parse_period("01 November 2024")]  # ACLED's exports
    ['2024-11-01', '2024-11-01']
    """
    if match := _ISO.match(text):
        return _period(int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))
    if match := _TIMESTAMP.match(text):
        year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
        second = int(match.group(6) or 0)
        if hour > 23 or minute > 59 or second > 60 or not month or not day:
            return None
        return _period(year, month, day)
    if match := _SLASHED.match(text):
        first, second, year_text = match.groups()
        year = int(year_text) if len(year_text) == 4 else full_year(int(year_text), pivot)
        month, day = (int(first), int(second)) if order == "MDY" else (int(second), int(first))
        return _period(year, month, day) if month and day else None
    if match := (_SLASHED_YEAR_FIRST.match(text) or _COMPACT.match(text)):
        year, month, day = (int(g) for g in match.groups())
        return _period(year, month, day) if month and day else None
    if match := _DAY_MONTH_NAME.match(text):
        month = _MONTHS.get(match.group(2).casefold())
        day = int(match.group(1))
        return _period(int(match.group(3)), month, day) if month and day else None
    return None


def _period(year: int, month: int, day: int) -> tuple[np.datetime64, np.datetime64] | None:
    if not 1 <= year <= 9999 or not 0 <= month <= 12:
        return None
    if month == 0:
        if day:
            return None  # "2005-00-07" names no period
        return np.datetime64(f"{year:04d}-01-01"), np.datetime64(f"{year:04d}-12-31")
    last_day = calendar.monthrange(year, month)[1]
    if day == 0:
        return (
            np.datetime64(f"{year:04d}-{month:02d}-01"),
            np.datetime64(f"{year:04d}-{month:02d}-{last_day:02d}"),
        )
    if day > last_day:
        return None
    single = np.datetime64(f"{year:04d}-{month:02d}-{day:02d}")
    return single, single


# How precisely a date text names its period, coarsest first; 0 is no date.
PRECISIONS = ("", "year", "month", "day")
NO_PRECISION, YEAR, MONTH, DAY = range(4)


def text_precision(text: str) -> int:
    """How precise a readable date text is: :data:`YEAR`, :data:`MONTH` or :data:`DAY`.

    >>> [PRECISIONS[text_precision(t)] for t in ("1998", "2014-02-00", "2014-02", "3/4/05")]
    ['year', 'month', 'month', 'day']
    """
    if match := _ISO.match(text):
        month, day = int(match.group(2) or 0), int(match.group(3) or 0)
        return YEAR if not month else (MONTH if not day else DAY)
    return DAY


@dataclass(frozen=True)
class DateColumn:
    """A column of date texts, read: per row the first and last day (NaT where empty or
    unreadable), whether it is unreadable, its precision (an index into
    :data:`PRECISIONS`), and whether a two-digit year put it after ``today``."""

    first: np.ndarray
    last: np.ndarray
    bad: np.ndarray
    precision: np.ndarray
    future_two_digit: np.ndarray


def read_column(
    values: pd.Series,
    *,
    allow_present: bool = False,
    today: date | None = None,
    order: str = "MDY",
    pivot: int = TWO_DIGIT_PIVOT,
    separator: str | None = None,
) -> DateColumn:
    """Read a column of date texts at once, each distinct text once.

    With a ``separator``, a cell may hold several dates (``"2019-03-01; 2019-03-04"``):
    it covers the first to the last, at the coarsest precision among them, and is
    unreadable if any of them is.

    >>> col = read_column(pd.Series(["1998", "", "1/1/68", "2001-02-03; 2001-02-10", "x"]),
    ...                   today=date(2026, 1, 1), separator=";")
    >>> [str(d) for d in col.first], [str(d) for d in col.last]
    (['1998-01-01', 'NaT', '2068-01-01', '2001-02-03', 'NaT'], \
['1998-12-31', 'NaT', '2068-01-01', '2001-02-10', 'NaT'])
    >>> col.bad.tolist(), col.precision.tolist(), col.future_two_digit.tolist()
    ([False, False, False, False, True], [1, 0, 3, 3, 0], [False, False, True, False, False])
    """
    today = today or date.today()
    present_day = np.datetime64(today, "D")
    codes, distinct = pd.factorize(values, sort=False)
    n = len(distinct)
    firsts = np.full(n, NOT_A_DATE)
    lasts = np.full(n, NOT_A_DATE)
    bad = np.zeros(n, dtype=bool)
    precision = np.zeros(n, dtype=np.int8)
    future = np.zeros(n, dtype=bool)
    for i, text in enumerate(distinct):
        if text == "":
            continue
        if allow_present and text.casefold() == PRESENT:
            firsts[i] = lasts[i] = present_day
            continue
        parts = [text] if separator is None else [p.strip() for p in text.split(separator)]
        periods = [parse_period(part, order, pivot) for part in parts if part]
        if not periods or any(period is None for period in periods):
            bad[i] = True
            continue
        firsts[i] = min(period[0] for period in periods)
        lasts[i] = max(period[1] for period in periods)
        precision[i] = min(text_precision(part) for part in parts if part)
        future[i] = any(
            _two_digit_year(part) and period[0] > present_day
            for part, period in zip(filter(None, parts), periods, strict=True)
        )
    if n == 0:
        empty = np.zeros(len(values), dtype=bool)
        nat = np.full(len(values), NOT_A_DATE)
        return DateColumn(nat, nat.copy(), empty, np.zeros(len(values), np.int8), empty.copy())
    return DateColumn(firsts[codes], lasts[codes], bad[codes], precision[codes], future[codes])


def _two_digit_year(text: str) -> bool:
    match = _SLASHED.match(text)
    return match is not None and len(match.group(3)) == 2


def parse_column(
    values: pd.Series,
    *,
    allow_present: bool = False,
    today: date | None = None,
    order: str = "MDY",
    pivot: int = TWO_DIGIT_PIVOT,
) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Parse a column of date texts at once.

    Returns the first days, the last days (``NaT`` where empty or unreadable) and a
    boolean Series marking the unreadable cells. Each distinct text is parsed once.
    """
    column = read_column(values, allow_present=allow_present, today=today, order=order, pivot=pivot)
    return column.first, column.last, pd.Series(column.bad, index=values.index)


WIDENINGS = {"week": 3}  # days either side of a date whose source names only its week


def widen_spans(
    first: np.ndarray, last: np.ndarray, precision: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Widen single-day spans to the period a precision code names.

    ``precision`` holds words per row: ``month`` and ``year`` widen a day to its whole
    month or year, ``week`` to the seven days around it; other words (``day``,
    ``days``, ``""``) leave the span as it is. Spans longer than a day are kept: the
    file already says what they cover.

    >>> first = np.array(["2020-02-12", "2020-02-12", "2020-02-12"], dtype="datetime64[D]")
    >>> a, b = widen_spans(first, first.copy(), np.array(["month", "week", "day"]))
    >>> [f"{x}..{y}" for x, y in zip(a, b)]
    ['2020-02-01..2020-02-29', '2020-02-09..2020-02-15', '2020-02-12..2020-02-12']
    """
    first, last = first.copy(), last.copy()
    single = (first == last) & ~np.isnat(first)
    for word, unit in (("month", "M"), ("year", "Y")):
        rows = single & (precision == word)
        if rows.any():
            start = first[rows].astype(f"datetime64[{unit}]")
            first[rows] = start.astype("datetime64[D]")
            last[rows] = (start + 1).astype("datetime64[D]") - 1
    for word, days in WIDENINGS.items():
        rows = single & (precision == word)
        first[rows] -= days
        last[rows] += days
    return first, last


def describe_formats(allow_present: bool = False, order: str = "MDY") -> str:
    slashed = "M/D/YYYY" if order == "MDY" else "D/M/YYYY"
    return _FORMATS.format(order=slashed) + (', or "present"' if allow_present else "")
