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
_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"
NOT_A_DATE = np.datetime64("NaT", "D")


def parse_period(text: str) -> tuple[np.datetime64, np.datetime64] | None:
    """Return the first and last day of the period ``text`` names, or None if unreadable."""
    match = _ISO.match(text)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or 0)
    day = int(match.group(3) or 0)
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
    values: pd.Series, *, allow_present: bool = False, today: date | None = None
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
            period = parse_period(text)
            if period is None:
                bad.add(text)
                firsts[text] = lasts[text] = NOT_A_DATE
            else:
                firsts[text], lasts[text] = period
    first = values.map(firsts).to_numpy(dtype="datetime64[D]")
    last = values.map(lasts).to_numpy(dtype="datetime64[D]")
    return first, last, values.isin(bad)


def describe_formats(allow_present: bool = False) -> str:
    return _FORMATS + (', or "present"' if allow_present else "")
