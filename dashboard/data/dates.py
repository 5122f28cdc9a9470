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
_FORMATS = (
    "YYYY, YYYY-MM, YYYY-MM-DD (00 for an unknown month or day), YYYY-MM-DDThh:mm[:ss], "
    "YYYY/MM/DD, YYYYMMDD, or {order} with a 2- or 4-digit year"
)
NOT_A_DATE = np.datetime64("NaT", "D")
# Two-digit years as POSIX strptime reads them: 69-99 are 1969-1999, 00-68 are 2000-2068.
TWO_DIGIT_PIVOT = 69


def full_year(two_digits: int) -> int:
    """The year a two-digit year stands for.

    >>> full_year(98), full_year(5), full_year(68), full_year(69)
    (1998, 2005, 2068, 1969)
    """
    return 1900 + two_digits if two_digits >= TWO_DIGIT_PIVOT else 2000 + two_digits


def parse_period(text: str, order: str = "MDY") -> tuple[np.datetime64, np.datetime64] | None:
    """Return the first and last day of the period ``text`` names, or None if unreadable.

    ``order`` says how to read slashed dates: ``MDY`` (3/4/2005 is 4 March; US style)
    or ``DMY`` (3 April). A date that does not fit its order is unreadable, never guessed.

    >>> [str(d) for d in parse_period("3/4/2005")], [str(d) for d in parse_period("3/4/05", "DMY")]
    (['2005-03-04', '2005-03-04'], ['2005-04-03', '2005-04-03'])
    >>> parse_period("13/4/2005") is None  # no 13th month in M/D order
    True
    >>> [str(d) for d in parse_period("2014-02-03T23:15:00Z")]
    ['2014-02-03', '2014-02-03']
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
        year = int(year_text) if len(year_text) == 4 else full_year(int(year_text))
        month, day = (int(first), int(second)) if order == "MDY" else (int(second), int(first))
        return _period(year, month, day) if month and day else None
    if match := (_SLASHED_YEAR_FIRST.match(text) or _COMPACT.match(text)):
        year, month, day = (int(g) for g in match.groups())
        return _period(year, month, day) if month and day else None
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


def parse_column(
    values: pd.Series, *, allow_present: bool = False, today: date | None = None, order: str = "MDY"
) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Parse a column of date texts at once.

    Returns the first days, the last days (``NaT`` where empty or unreadable) and a
    boolean Series marking the unreadable cells. Each distinct text is parsed once.
    """
    present_day = np.datetime64(today or date.today(), "D")
    distinct = pd.unique(values)
    firsts: dict[str, np.datetime64] = {}
    lasts: dict[str, np.datetime64] = {}
    bad: set[str] = set()
    for text in distinct:
        if text == "":
            firsts[text] = lasts[text] = NOT_A_DATE
        elif allow_present and text.casefold() == PRESENT:
            firsts[text] = lasts[text] = present_day
        else:
            period = parse_period(text, order)
            if period is None:
                bad.add(text)
                firsts[text] = lasts[text] = NOT_A_DATE
            else:
                firsts[text], lasts[text] = period
    first = values.map(firsts).to_numpy(dtype="datetime64[D]")
    last = values.map(lasts).to_numpy(dtype="datetime64[D]")
    return first, last, values.isin(bad)


def describe_formats(allow_present: bool = False, order: str = "MDY") -> str:
    slashed = "M/D/YYYY" if order == "MDY" else "D/M/YYYY"
    return _FORMATS.format(order=slashed) + (', or "present"' if allow_present else "")
