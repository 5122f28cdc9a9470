"""The time controls' values (playback's window and step, the timeline's stacking, the
two periods compared) read into a :class:`~dashboard.query.timeline.TimeView`, and
back; the URL's ``window``, ``step``, ``stack``, ``a`` and ``b``.

Windows and steps are whole steps of the time slider (years, or months or days for
short spans), from a short list the page offers; periods compared are written like
the time range, ``a=1991..2000`` (``a=2014-03..2014-05`` at month resolution).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> notices = []
>>> view = parse_time_view({"play_window": "5y", "compare": ["on"],
...                         "compare_a": ["1991", "2000"], "compare_b": [2001, 2010]}, net, notices)
>>> view.playback, time_url_pairs(view, net), notices
(Playback(window=5, step=1), [('window', '5y'), ('a', '1991..2000'), ('b', '2001..2010')], [])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.graph import Network
from dashboard.query import periods
from dashboard.query.timeline import (
    DEFAULT_PLAYBACK,
    DEFAULT_STACK,
    STACKS,
    UNIT_LETTERS,
    Playback,
    TimeView,
    parse_spec,
    spec_text,
)
from dashboard.web import controls

COMPARE_ON = "on"
PERIOD_SEPARATOR = ".."
# Windows and steps offered, in whole steps of the slider's unit.
CHOICES = {"year": (1, 2, 3, 5, 10), "month": (1, 2, 3, 6, 12), "day": (1, 2, 7, 14, 30)}
SPEEDS = (0.5, 1, 2, 4)  # frames per second
DEFAULT_SPEED = 1


def unit_of(network: Network) -> str:
    scale = periods.time_scale(network)
    return "year" if scale is None else scale.unit


def window_options(unit: str) -> list[dict]:
    letter = UNIT_LETTERS[unit]
    options = [
        {"label": f"{n} {unit}{'s' if n > 1 else ''}", "value": f"{n}{letter}"}
        for n in CHOICES[unit]
    ]
    return [*options, {"label": "cumulative", "value": "all"}]


def step_options(unit: str) -> list[dict]:
    return window_options(unit)[:-1]


def _offered(value: int | None, unit: str, name: str, text, notices: list[str]) -> int | None:
    """``value`` if the page offers it (cumulative is 0), else None with a notice."""
    if value is None or value == 0 or value in CHOICES[unit]:
        return value
    offered = ", ".join(spec_text(n, unit) for n in CHOICES[unit])
    notices.append(f'"{name}={text}" is not one of: {offered}')
    return None


def parse_time_view(values: Mapping[str, Any], network: Network, notices: list[str]) -> TimeView:
    unit = unit_of(network)
    window_text, step_text = values.get("play_window"), values.get("play_step")
    window = _offered(
        parse_spec(window_text, unit, True, notices, "window"), unit, "window", window_text, notices
    )
    step = _offered(
        parse_spec(step_text, unit, False, notices, "step"), unit, "step", step_text, notices
    )
    playback = Playback(
        DEFAULT_PLAYBACK.window if window is None else window,
        DEFAULT_PLAYBACK.step if step is None else step,
    )
    stack = controls.parse_choice(values.get("stack"), STACKS, DEFAULT_STACK, "stack", notices)
    compare = None
    switch = values.get("compare")
    if isinstance(switch, list | tuple) and COMPARE_ON in switch:
        a, b = default_periods(network)
        picked = []
        for name, value, default in (
            ("a", values.get("compare_a"), a),
            ("b", values.get("compare_b"), b),
        ):
            found = _period(value, network, name, notices)
            picked.append(found or default)
        compare = None if None in picked else (picked[0], picked[1])
    return TimeView(playback, stack, compare)


def _period(value, network: Network, name: str, notices: list[str]) -> tuple[int, int] | None:
    if value is None:
        return None
    mine: list[str] = []
    period = controls.parse_years(value, network, mine)
    notices += [f"period {name}: {notice}" for notice in mine]
    return period


def default_periods(network: Network):
    """The first half of the data's span and the second, as the compare sliders start."""
    scale = periods.time_scale(network)
    if scale is None:
        return None, None
    middle = (scale.low + scale.high) // 2
    return scale.days(scale.low, middle), scale.days(min(middle + 1, scale.high), scale.high)


def time_control_values(time: TimeView, network: Network) -> dict[str, Any]:
    """What each time control shows for ``time`` (see ``controls.TIME_CONTROLS``)."""
    unit = unit_of(network)
    scale = periods.time_scale(network)
    a, b = time.compare or default_periods(network)

    def slider(period):
        return [0, 0] if scale is None or period is None else list(scale.values(*period))

    return {
        "play_window": spec_text(time.playback.window, unit),
        "play_step": spec_text(time.playback.step, unit),
        "stack": time.stack,
        "compare": [COMPARE_ON] if time.compare else [],
        "compare_a": slider(a),
        "compare_b": slider(b),
    }


def time_url_pairs(time: TimeView, network: Network) -> list[tuple[str, str]]:
    """The URL's time parameters for ``time``; those at their defaults are left out."""
    unit = unit_of(network)
    pairs = []
    if time.playback.window != DEFAULT_PLAYBACK.window:
        pairs.append(("window", spec_text(time.playback.window, unit)))
    if time.playback.step != DEFAULT_PLAYBACK.step:
        pairs.append(("step", spec_text(time.playback.step, unit)))
    if time.stack != DEFAULT_STACK:
        pairs.append(("stack", time.stack))
    if time.compare:
        for name, (first, last) in zip(("a", "b"), time.compare, strict=True):
            low, high = periods.bound_texts(first, last)
            pairs.append((name, low if low == high else f"{low}{PERIOD_SEPARATOR}{high}"))
    return pairs


def time_url_values(single) -> dict[str, Any]:
    """The time controls' values from the URL (``single(name)`` reads a parameter)."""
    a, b = single("a"), single("b")
    values: dict[str, Any] = {
        "play_window": single("window"),
        "play_step": single("step"),
        "stack": single("stack"),
    }
    if a is not None or b is not None:
        values["compare"] = [COMPARE_ON]
        values["compare_a"] = _ends(a)
        values["compare_b"] = _ends(b)
    return values


def _ends(text: str | None):
    """``1991..2000`` -> ``["1991", "2000"]``; ``1995`` -> ``["1995", "1995"]``."""
    if text is None:
        return None
    parts = text.split(PERIOD_SEPARATOR)
    return [parts[0], parts[-1]] if len(parts) <= 2 else ["", "x"]
