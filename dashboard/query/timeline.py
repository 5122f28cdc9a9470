"""Time as a dimension: claims per period (the timeline) and playback's frames.

**The timeline** counts claims per period of the time slider's unit (years; months or
days for short spans), stacked by relation family or by stance. A claim counts once
in *each* period its time span covers: a claim from 1991 to 1993 counts in 1991, 1992
and 1993, since each of those years will keep it. Undated claims are counted beside
the axis, never dropped.

**Playback** steps a window through the data's span: ``window`` and ``step`` are
whole numbers of the slider's unit (``1y``, ``6m``, ``14d``), or the window is ``all``
(cumulative: from the data's start to the frame's end).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> net = Network.from_dataset(load_or_raise("data"))
>>> counts = histogram(apply_filters(net, FilterState()))
>>> counts.scale.unit, int(counts.undated.sum()), counts.groups[:2]
('year', 45, ('cooperation', 'conflict'))
>>> [label for _, _, label in frames(counts.scale, parse_playback("5y", "5y"))][:3]
['1990–1994', '1995–1999', '2000–2004']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import numpy as np

from dashboard.graph import UNDATED, Network
from dashboard.query import periods
from dashboard.query.filters import STANCES, FilterState, View, make_filter_state
from dashboard.query.periods import TimeScale

STACKS = ("family", "stance")
DEFAULT_STACK = "family"
MAX_BINS = 240  # bars on the timeline; longer spans group several years per bar
MAX_FRAMES = 1000
UNIT_LETTERS = {"year": "y", "month": "m", "day": "d"}
_SPEC = re.compile(r"^(\d{1,4})([ymd])$")


@dataclass(frozen=True)
class Histogram:
    """Claims per bin and group (``counts[group, bin]``), and undated claims per group.

    Bin ``i`` covers slider values ``starts[i]`` to ``starts[i] + width - 1``.
    """

    scale: TimeScale
    width: int
    starts: np.ndarray
    counts: np.ndarray
    undated: np.ndarray
    groups: tuple[str, ...]
    stack: str

    def label(self, i: int) -> str:
        first = self.scale.first_day(int(self.starts[i]))
        last = self.scale.last_day(min(int(self.starts[i]) + self.width - 1, self.scale.high))
        return periods.period_label(first, last)


def slider_values(scale: TimeScale, days: np.ndarray) -> np.ndarray:
    """The slider value (year, month index or day) holding each day number."""
    days = np.asarray(days, dtype=np.int64)
    if scale.unit == "day":
        return days
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return months if scale.unit == "month" else months // 12


def claim_groups(view: View, stack: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each claim's stack group (a position in the returned names)."""
    net = view.network
    if stack == "stance":
        return net.claim_denies.astype(np.int64), STANCES
    return net.relation_family[net.claim_relation].astype(np.int64), tuple(net.families.names)


def histogram(view: View, stack: str = DEFAULT_STACK) -> Histogram | None:
    """Claims of ``view`` per period and group; None when no claim of the data is dated.

    Pass the view *without* its time range to show what each range would keep.
    """
    net = view.network
    scale = periods.time_scale(net)
    if scale is None:
        return None
    width = _bin_width(scale)
    starts = np.arange(scale.low, scale.high + 1, width, dtype=np.int64)
    group, names = claim_groups(view, stack)
    mask = view.claim_mask
    dated = mask & (net.claim_start_day != UNDATED)
    first_bin = (slider_values(scale, net.claim_start_day[dated]) - scale.low) // width
    last_bin = (slider_values(scale, net.claim_end_day[dated]) - scale.low) // width
    first_bin = np.clip(first_bin, 0, len(starts) - 1)
    last_bin = np.clip(last_bin, 0, len(starts) - 1)
    # A claim counts in every bin from its first to its last: +1 there, -1 after, summed.
    changes = np.zeros((len(names), len(starts) + 1), dtype=np.int64)
    np.add.at(changes, (group[dated], first_bin), 1)
    np.add.at(changes, (group[dated], last_bin + 1), -1)
    counts = np.cumsum(changes, axis=1)[:, :-1]
    undated = np.bincount(
        group[mask & (net.claim_start_day == UNDATED)], minlength=len(names)
    ).astype(np.int64)
    return Histogram(scale, width, starts, counts, undated, tuple(names), stack)


def _bin_width(scale: TimeScale) -> int:
    """1, or for very long spans of years a round number of years per bar."""
    span = scale.high - scale.low + 1
    if span <= MAX_BINS:
        return 1
    return next(
        w for k in range(5) for w in (2 * 10**k, 5 * 10**k, 10 ** (k + 1)) if span / w <= MAX_BINS
    )


@dataclass(frozen=True)
class Playback:
    """A window (whole slider steps, or 0: cumulative) stepped by ``step`` slider steps."""

    window: int = 1
    step: int = 1

    @property
    def cumulative(self) -> bool:
        return self.window == 0


DEFAULT_PLAYBACK = Playback()


def spec_text(count: int, unit: str) -> str:
    """``window``/``step`` as the URL and the command line write them: ``1y``, ``all``."""
    return "all" if count == 0 else f"{count}{UNIT_LETTERS[unit]}"


def parse_spec(text, unit: str, allow_all: bool, notices: list[str], name: str) -> int | None:
    """A window or step (``2y``, ``6m``, ``14d``, ``all``) in whole steps of ``unit``.

    Years become months on a month slider (``1y`` = 12 months); a period that is not
    whole steps of the slider (``6m`` on a slider in years) is refused with a notice.

    >>> notices = []
    >>> parse_spec("1y", "month", False, notices, "step"), parse_spec("6m", "year", False, notices, "step")
    (12, None)
    >>> notices
    ['"step=6m" is not whole years, the steps of this data\\'s time slider']
    """
    if text is None or text == "":
        return None
    text = str(text).strip().lower()[:20]
    if text == "all" and allow_all:
        return 0
    match = _SPEC.match(text)
    if match is None or int(match.group(1)) == 0:
        notices.append(
            f'"{name}={text}" is not a period like 1y, 6m or 14d' + (" or all" if allow_all else "")
        )
        return None
    count, letter = int(match.group(1)), match.group(2)
    in_months = {"y": count * 12, "m": count, "d": None}[letter]
    if unit == "year" and letter == "y":
        return count
    if unit == "month" and in_months is not None:
        return in_months
    if unit == "day" and letter == "d":
        return count
    notices.append(f'"{name}={text}" is not whole {unit}s, the steps of this data\'s time slider')
    return None


def parse_playback(window, step, unit: str = "year", notices: list[str] | None = None) -> Playback:
    """The playback settings from their texts; missing or refused ones at their defaults."""
    notices = [] if notices is None else notices
    width = parse_spec(window, unit, True, notices, "window")
    stride = parse_spec(step, unit, False, notices, "step")
    return Playback(1 if width is None else width, 1 if stride is None else stride)


def playback_texts(playback: Playback, unit: str) -> tuple[str, str]:
    return spec_text(playback.window, unit), spec_text(playback.step, unit)


def frames(scale: TimeScale, playback: Playback) -> list[tuple[int, int, str]]:
    """Each frame's period (first day, last day) and label, in order.

    A window of ``w`` steps ends ``w - 1`` steps after it starts, and the next frame
    starts ``step`` later; frames stop at the first one reaching the data's end (the
    last may be cut short there). Cumulative frames all start at the data's start.

    >>> scale = TimeScale("year", 1991, 1996)
    >>> [label for *_, label in frames(scale, Playback(2, 2))]
    ['1991–1992', '1993–1994', '1995–1996']
    >>> [label for *_, label in frames(scale, Playback(0, 2))]
    ['1991–1992', '1991–1994', '1991–1996']
    """
    out = []
    k = 0
    while len(out) < MAX_FRAMES:
        if playback.cumulative:
            low, high = scale.low, scale.low + (k + 1) * playback.step - 1
        else:
            low = scale.low + k * playback.step
            high = low + playback.window - 1
        if low > scale.high:
            break
        high = min(high, scale.high)
        first, last = scale.days(low, high)
        out.append((first, last, periods.period_label(first, last)))
        if high >= scale.high:
            break
        k += 1
    return out


def frame_slider_values(scale: TimeScale, frame: tuple[int, int, str]) -> list[int]:
    """The time slider's value that shows ``frame`` (what pausing there commits)."""
    return list(scale.values(frame[0], frame[1]))


def network_frames(network: Network, playback: Playback) -> list[tuple[int, int, str]]:
    scale = periods.time_scale(network)
    return [] if scale is None else frames(scale, playback)


def frame_filters(
    network: Network, filters: FilterState, frame: tuple[int, int, str]
) -> FilterState:
    """``filters`` with the frame's period as their time range (in canonical form: a
    frame spanning all the data is no range at all)."""
    values = {f.name: getattr(filters, f.name) for f in fields(filters)}
    values.update(years=None, days=(frame[0], frame[1]))
    return make_filter_state(network, **values)


@dataclass(frozen=True)
class TimeView:
    """The time controls' part of the view: playback's window and step, how the
    timeline stacks, and the two periods compared (first and last days), if any."""

    playback: Playback = DEFAULT_PLAYBACK
    stack: str = DEFAULT_STACK
    compare: tuple[tuple[int, int], tuple[int, int]] | None = None
