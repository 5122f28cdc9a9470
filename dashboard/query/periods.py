"""Periods of time: day numbers, the time slider's unit, and how periods are written.

A period is a pair of day numbers (days since 1970-01-01, both ends included). The
time slider works in years for long spans, in months when the data's dated claims
span at most six years, and in days when they span at most three months (so data
within one year can be filtered within it). A period is written at the coarsest
precision that says it exactly: ``1991–1998``, ``2014-03 – 2014-06``, ``2014-03-05``.

>>> first, last = parse_bound("2014-03", end=False), parse_bound("2014-06", end=True)
>>> period_label(first, last), bound_texts(first, last)
('2014-03 – 2014-06', ('2014-03', '2014-06'))
>>> period_label(parse_bound("1991", False), parse_bound("1998", True))
'1991–1998'
>>> scale = TimeScale.for_days(parse_bound("2014-01-10", False), parse_bound("2014-11-02", True))
>>> scale.unit, scale.low, scale.text(scale.low), scale.text(scale.high)
('month', 24168, '2014-01', '2014-11')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

YEAR_LIMITS = (1, 9999)
MONTH_UNIT_LIMIT = 72  # months: spans up to six years get a slider in months
DAY_UNIT_LIMIT = 92  # days: spans up to about three months get a slider in days
UNITS = ("year", "month", "day")
_BOUND = re.compile(r"^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def day_of(year: int, month: int = 1, day: int = 1) -> int:
    """The day number of a calendar date.

    >>> day_of(1970), day_of(2000, 3, 1)
    (0, 11017)
    """
    return int(np.datetime64(f"{year:04d}-{month:02d}-{day:02d}", "D").astype(np.int64))


def ymd(day: int) -> tuple[int, int, int]:
    """(year, month, day) of a day number.

    >>> ymd(11017)
    (2000, 3, 1)
    """
    text = str(np.datetime64(int(day), "D"))
    year, month, dom = text.rsplit("-", 2)
    return int(year), int(month), int(dom)


def month_index(day: int) -> int:
    """Months since year 0 (year * 12 + month - 1) of a day number: the month slider's
    values."""
    year, month, _ = ymd(day)
    return year * 12 + month - 1


def month_first_day(index: int) -> int:
    return day_of(index // 12, index % 12 + 1)


def month_last_day(index: int) -> int:
    return month_first_day(index + 1) - 1


def year_first_day(year: int) -> int:
    return day_of(year)


def year_last_day(year: int) -> int:
    return day_of(year, 12, 31)


def parse_bound(text: str, end: bool) -> int | None:
    """The first (or with ``end``, the last) day of ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``; None when ``text`` is not such a date.

    >>> parse_bound("2014", end=True) == day_of(2014, 12, 31), parse_bound("2014-02-30", False)
    (True, None)
    """
    match = _BOUND.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    dom = int(match.group(3)) if match.group(3) else None
    if not YEAR_LIMITS[0] <= year <= YEAR_LIMITS[1]:
        return None
    if month is None:
        return year_last_day(year) if end else year_first_day(year)
    if not 1 <= month <= 12:
        return None
    index = year * 12 + month - 1
    if dom is None:
        return month_last_day(index) if end else month_first_day(index)
    if not 1 <= dom <= month_last_day(index) - month_first_day(index) + 1:
        return None
    return day_of(year, month, dom)


def precision(first: int, last: int) -> str:
    """The coarsest unit whose whole periods ``first``..``last`` is: year, month or day."""
    _, m1, d1 = ymd(first)
    y2, m2, d2 = ymd(last)
    if (m1, d1) == (1, 1) and (m2, d2) == (12, 31):
        return "year"
    if d1 == 1 and last == month_last_day(y2 * 12 + m2 - 1):
        return "month"
    return "day"


def day_text(day: int, unit: str) -> str:
    """A day written in ``unit``: ``2014``, ``2014-03`` or ``2014-03-05``."""
    year, month, dom = ymd(day)
    if unit == "year":
        return str(year)
    if unit == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{dom:02d}"


def bound_texts(first: int, last: int) -> tuple[str, str]:
    """The period's ends as the URL writes them (``from``, ``to``)."""
    unit = precision(first, last)
    return day_text(first, unit), day_text(last, unit)


def period_label(first: int, last: int) -> str:
    """The period in words for captions and counts: ``1991–1998``, ``1998``,
    ``2014-03 – 2014-06``, ``2014-03-05 – 2014-03-20``."""
    low, high = bound_texts(first, last)
    if low == high:
        return low
    return f"{low}–{high}" if precision(first, last) == "year" else f"{low} – {high}"


@dataclass(frozen=True)
class TimeScale:
    """The time slider of a data set: its unit and its first and last values.

    Slider values are years (unit ``year``), month indices (``year * 12 + month - 1``)
    or day numbers.
    """

    unit: str
    low: int
    high: int

    @classmethod
    def for_days(cls, first: int, last: int) -> TimeScale:
        """The scale for dated claims spanning ``first``..``last``."""
        if last - first + 1 <= DAY_UNIT_LIMIT:
            return cls("day", first, last)
        low, high = month_index(first), month_index(last)
        if high - low + 1 <= MONTH_UNIT_LIMIT:
            return cls("month", low, high)
        return cls("year", ymd(first)[0], ymd(last)[0])

    def first_day(self, value: int) -> int:
        """The first day of the slider value ``value``."""
        if self.unit == "year":
            return year_first_day(value)
        return month_first_day(value) if self.unit == "month" else value

    def last_day(self, value: int) -> int:
        if self.unit == "year":
            return year_last_day(value)
        return month_last_day(value) if self.unit == "month" else value

    def value_of(self, day: int) -> int:
        """The slider value holding ``day``."""
        if self.unit == "year":
            return ymd(day)[0]
        return month_index(day) if self.unit == "month" else day

    def days(self, low: int, high: int) -> tuple[int, int]:
        """The period of slider values ``low``..``high``."""
        return self.first_day(low), self.last_day(high)

    def values(self, first: int, last: int) -> tuple[int, int]:
        """The slider values covering the period ``first``..``last`` (rounded outward)."""
        return self.value_of(first), self.value_of(last)

    @property
    def full(self) -> tuple[int, int]:
        """The whole span as a period: a range equal to it is no range at all."""
        return self.days(self.low, self.high)

    def text(self, value: int) -> str:
        """A slider value as written: ``2014``, ``2014-03``, ``2014-03-05``."""
        return day_text(self.first_day(value), self.unit)

    def marks(self, count: int | None = None) -> dict[int, str]:
        """Slider marks at round values, few enough to stay legible (``count`` at most
        between the ends; by default as many as fit a side panel)."""
        count = count or {"year": 6, "month": 3, "day": 2}[self.unit]
        span = max(self.high - self.low, 1)
        if self.unit == "month":
            steps = (1, 2, 3, 6, 12, 24)
        elif self.unit == "day":
            steps = (1, 2, 7, 14, 28)
        else:
            steps = tuple(s * 10**k for k in range(len(str(span))) for s in (1, 2, 5))
        step = next((s for s in steps if span / s <= count), steps[-1])
        inner = range(self.low - self.low % step + step, self.high, step)
        marks = {v: self.text(v) for v in inner if min(v - self.low, self.high - v) >= step / 2}
        marks.update({self.low: self.text(self.low), self.high: self.text(self.high)})
        return dict(sorted(marks.items()))

    def to_json(self) -> dict:
        """For the browser (the range text, playback labels): unit and bounds."""
        return {"unit": self.unit, "low": self.low, "high": self.high}


_SCALES: WeakKeyDictionary = WeakKeyDictionary()


def time_scale(network) -> TimeScale | None:
    """The data set's time slider, or None when no claim is dated (once per network)."""
    if network not in _SCALES:
        days = network.dated_days  # from the claims, or from DuckDB's totals
        _SCALES[network] = None if days is None else TimeScale.for_days(*days)
    return _SCALES[network]
