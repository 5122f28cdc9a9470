"""The one place where values from outside become a :class:`ViewState`.

The browser's controls and the page URL describe the same view in two syntaxes. The URL
codec turns query parameters into control values; from there, both go through the same
parsers here, with the same bounds and the same allowed values. Anything malformed is
read as its default, and a notice says why (the URL shows notices; callbacks drop them).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> notices = []
>>> state = view_state(net, {"years": [1991, "1998"], "min_sources": "many"}, notices)
>>> state.filters.years, state.filters.min_sources, notices
((1991, 1998), 1, ['"min_sources=many" is not a whole number'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from dashboard.graph import Network
from dashboard.positions.compute import DEFAULT_LAYOUT, LAYOUTS
from dashboard.query import periods
from dashboard.query.actor_types import DEFAULT_MATCH, TYPE_MATCHES
from dashboard.query.filters import MAX_DEPTH, STANCES, FilterState, make_filter_state
from dashboard.query.paths import DEFAULT_HOPS, DEFAULT_PATHS, MAX_HOPS, MAX_PATHS, PathQuery
from dashboard.query.view_state import DEFAULT_SIZE, SIZE_METRICS, Selection, ViewState
from dashboard.web import ids

MIN_SOURCES_LIMIT = 10_000
YEAR_LIMITS = periods.YEAR_LIMITS
TEXT_LIMIT = 500  # no option, actor id or search text is longer; longer values are junk
CHOICES_LIMIT = 1000  # no multi-select holds more picks than this
UNDATED_SHOWN = "show"  # the "Show undated claims" checklist's value
DIRECTED = "directed"  # the paths' "follow the direction" checklist's value

# Each control of the view: name -> (component id, property). Names are the keys of the
# values dict that :func:`view_state` reads; the URL codec writes the same names.
FILTER_CONTROLS = {
    "years": (ids.TIME_RANGE, "value"),
    "undated": (ids.INCLUDE_UNDATED, "value"),
    "sources": (ids.SOURCE_FILTER, "value"),
    "relations": (ids.RELATION_FILTER, "value"),
    "actor_types": (ids.ACTOR_TYPE_FILTER, "value"),
    "type_match": (ids.ACTOR_TYPE_MATCH, "value"),
    "stances": (ids.STANCE_FILTER, "value"),
    "min_sources": (ids.MIN_SOURCES, "value"),
    "focus": (ids.FOCUS_ACTOR, "value"),
    "depth": (ids.FOCUS_DEPTH, "value"),
}
DISPLAY_CONTROLS = {
    "layout": (ids.LAYOUT_CHOICE, "value"),
    "size_by": (ids.SIZE_BY, "value"),
}
# The path question; ``path_pick`` is the shown path's number, from 1.
PATH_CONTROLS = {
    "path_start": (ids.PATH_FROM, "value"),
    "path_end": (ids.PATH_TO, "value"),
    "path_hops": (ids.PATH_HOPS, "value"),
    "path_directed": (ids.PATH_DIRECTED, "value"),
    "path_k": (ids.PATH_K, "value"),
    "path_pick": (ids.PATH_PICK, "data"),
}
# Time: playback's window and step, the timeline's stacking, two periods compared
# (parsed in web/time_controls.py).
TIME_CONTROLS = {
    "play_window": (ids.PLAY_WINDOW, "value"),
    "play_step": (ids.PLAY_STEP, "value"),
    "stack": (ids.TIMELINE_STACK, "value"),
    "compare": (ids.COMPARE_ON, "value"),
    "compare_a": (ids.COMPARE_A, "value"),
    "compare_b": (ids.COMPARE_B, "value"),
}
VIEW_CONTROLS = {
    **FILTER_CONTROLS,
    **DISPLAY_CONTROLS,
    **PATH_CONTROLS,
    **TIME_CONTROLS,
    "selection": (ids.SELECTION, "data"),
}


def dependencies(kind, controls: Mapping[str, tuple[str, str]], **options) -> dict:
    """``{name: kind(id, property)}`` for Dash's flexible callback signatures."""
    return {name: kind(cid, prop, **options) for name, (cid, prop) in controls.items()}


def whole(value: Any, low: int, high: int) -> int | None:
    """A whole number within [low, high] (clamped), from a number or its text; else None.

    >>> whole("12", 1, 10), whole(3.0, 1, 10), whole(True, 1, 10), whole(float("nan"), 1, 10)
    (10, 3, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str):
        if len(value) > 30:
            return None
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not math.isfinite(value) or value != int(value):
        return None
    return min(max(int(value), low), high)


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= TEXT_LIMIT else None


def texts(value: Any) -> list[str]:
    """The strings in a list the browser sent (anything else in it is dropped)."""
    if not isinstance(value, list | tuple) or len(value) > CHOICES_LIMIT:
        return []
    return [v for v in value if text(v) is not None]


def _bounded(value, name: str, default: int, low: int, high: int, notices: list[str]) -> int:
    if value is None or value == "":
        return default
    number = whole(value, -(10**12), 10**12)
    if number is None:
        notices.append(f'"{name}={value}" is not a whole number')
        return default
    if not low <= number <= high:
        notices.append(f'"{name}={value}" is out of range {low}-{high}')
        return min(max(number, low), high)
    return number


def parse_years(value: Any, network: Network, notices: list[str]) -> tuple[int, int] | None:
    """A [from, to] pair -> the time range as first and last day numbers, or None.

    Numbers are the time slider's values (years; months or days for short spans, see
    :mod:`dashboard.query.periods`); texts are dates as the URL writes them (``1991``,
    ``2014-03``, ``2014-03-05``), rounded out to whole slider steps. Either end may be
    missing: the data's bound.
    """
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        notices.append("the time range must be two years")
        return None
    scale = periods.time_scale(network)
    values = []
    for name, item, end in zip(("from", "to"), value, (False, True), strict=True):
        default = None if scale is None else (scale.high if end else scale.low)
        if item is None or item == "":
            values.append(default)
            continue
        values.append(_slider_value(name, item, end, scale, notices, default))
    if None in values:
        return None
    low, high = values
    if low > high:
        notices.append(f"from={scale.text(low)} is after to={scale.text(high)}; swapped them")
        low, high = high, low
    return scale.days(low, high)


def _slider_value(name: str, item: Any, end: bool, scale, notices: list[str], default):
    """One end of the time range as a value of the slider ``scale``, or ``default``."""
    if scale is None:
        return None
    unit = scale.unit
    if isinstance(item, str):  # a date as the URL writes it
        day = periods.parse_bound(item, end) if len(item) <= 30 else None
        if day is None:
            what = "a year" if unit == "year" else "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            notices.append(f'"{name}={item[:80]}" is not {what}')
            return default
        value = scale.value_of(day)
        if (scale.last_day(value) if end else scale.first_day(value)) != day:
            notices.append(
                f'"{name}={item}" is finer than this data\'s time slider ({unit}s); '
                f"read as {scale.text(value)}"
            )
        return value
    number = whole(item, -(10**12), 10**12)  # a slider value, as the browser sends it
    if number is None or (unit == "year" and not YEAR_LIMITS[0] <= number <= YEAR_LIMITS[1]):
        notices.append(
            f'"{name}={str(item)[:80]}" is not {"a year" if unit == "year" else "a date"}'
        )
        return default
    return number if unit == "year" else min(max(number, scale.low), scale.high)


def parse_undated(value: Any, notices: list[str]) -> bool:
    """The checklist's value: ``["show"]`` shows undated claims, ``[]`` hides them."""
    if value is None:
        return True
    if isinstance(value, list | tuple):
        return UNDATED_SHOWN in value
    notices.append(f'"undated={str(value)[:80]}" should be 0 or 1')
    return True


def parse_choices(value: Any, allowed: Iterable[str], label: str, notices: list[str]):
    """The picked values that exist in this data; a notice names each one that does not."""
    known = set(allowed)
    picked = set()
    for item in texts(value):
        if item in known:
            picked.add(item)
        else:
            notices.append(f'no {label} "{item}" in this data')
    return frozenset(picked)


def parse_actor(value: Any, network: Network, label: str, notices: list[str]) -> str | None:
    """An actor id, also found by name or alias (as people type them)."""
    if value is None or value == "":
        return None
    found = network.find_actor(value) if text(value) else None
    if found is None:
        notices.append(f'no actor "{str(value)[:80]}" ({label}) in this data')
    return found


def parse_choice(value: Any, allowed, default: str, name: str, notices: list[str]) -> str:
    if value is None:
        return default
    if isinstance(value, str) and value in allowed:
        return value
    notices.append(f'"{name}={str(value)[:80]}" is not one of: {", ".join(allowed)}')
    return default


def parse_selection(value: Any, network: Network) -> Selection | None:
    """The selection store's ``{"kind": "edge"|"node", "index": n}``, or ``{"kind": "pair",
    "index": a, "other": b}`` (actor codes), checked against the data."""
    if not isinstance(value, dict) or value.get("kind") not in ("edge", "node", "pair"):
        return None
    limit = len(network.edges) if value["kind"] == "edge" else network.n_actors

    def code(number) -> bool:
        return not isinstance(number, bool) and isinstance(number, int) and 0 <= number < limit

    index, other = value.get("index"), value.get("other")
    if not code(index) or (value["kind"] == "pair" and not code(other)):
        return None
    return Selection(value["kind"], index, other if value["kind"] == "pair" else None)


def selection_value(selection: Selection | None) -> dict | None:
    """The inverse of :func:`parse_selection`: what the selection store holds."""
    if selection is None:
        return None
    value = {"kind": selection.kind, "index": selection.index}
    return value if selection.other is None else {**value, "other": selection.other}


def parse_path(values: Mapping[str, Any], network: Network, notices: list[str]):
    """The path question (see ``PATH_CONTROLS``), or None until both ends are chosen."""
    start = parse_actor(values.get("path_start"), network, "path start", notices)
    end = parse_actor(values.get("path_end"), network, "path end", notices)
    hops = _bounded(values.get("path_hops"), "hops", DEFAULT_HOPS, 1, MAX_HOPS, notices)
    k = _bounded(values.get("path_k"), "k", DEFAULT_PATHS, 1, MAX_PATHS, notices)
    pick = _bounded(values.get("path_pick"), "pick", 1, 1, MAX_PATHS, notices)
    directed = values.get("path_directed")
    if directed is not None and not isinstance(directed, list | tuple):
        notices.append(f'"directed={str(directed)[:80]}" should be 0 or 1')
        directed = None
    if start is None or end is None:
        return None
    return PathQuery(start, end, hops, DIRECTED in (directed or ()), k, min(pick, k) - 1)


def filter_state(
    network: Network, values: Mapping[str, Any], notices: list[str] | None = None
) -> FilterState:
    """The filters named in ``values`` (see ``FILTER_CONTROLS``); missing ones at defaults."""
    notices = [] if notices is None else notices
    stance_values = values.get("stances")
    return make_filter_state(
        network,
        days=parse_years(values.get("years"), network, notices),
        include_undated=parse_undated(values.get("undated"), notices),
        sources=parse_choices(values.get("sources"), network.sources, "source", notices),
        relations=parse_choices(values.get("relations"), network.relations, "relation", notices),
        actor_types=parse_choices(
            values.get("actor_types"), network.actor_types, "actor type", notices
        ),
        type_match=parse_choice(
            values.get("type_match"), TYPE_MATCHES, DEFAULT_MATCH, "type_match", notices
        ),
        stances=parse_choices(stance_values, STANCES, "stance", notices),
        min_sources=_bounded(
            values.get("min_sources"), "min_sources", 1, 1, MIN_SOURCES_LIMIT, notices
        ),
        focus=parse_actor(values.get("focus"), network, "focus", notices),
        depth=_bounded(values.get("depth"), "depth", 1, 1, MAX_DEPTH, notices),
    )


def view_state(
    network: Network, values: Mapping[str, Any], notices: list[str] | None = None
) -> ViewState:
    """The whole view named in ``values`` (see ``VIEW_CONTROLS``)."""
    from dashboard.web import time_controls

    notices = [] if notices is None else notices
    if not isinstance(values, Mapping):
        values = {}
    return ViewState(
        filters=filter_state(network, values, notices),
        layout=parse_choice(values.get("layout"), LAYOUTS, DEFAULT_LAYOUT, "layout", notices),
        size_by=parse_choice(values.get("size_by"), SIZE_METRICS, DEFAULT_SIZE, "size", notices),
        selection=parse_selection(values.get("selection"), network),
        path=parse_path(values, network, notices),
        time=time_controls.parse_time_view(values, network, notices),
    )


def control_values(state: ViewState, network: Network) -> dict[str, Any]:
    """The inverse of :func:`view_state`: what each control shows for ``state``."""
    from dashboard.web import time_controls

    f = state.filters
    scale = periods.time_scale(network)
    first, last = (0, 0) if scale is None else (scale.low, scale.high)
    if scale is not None and f.day_range is not None:
        first, last = scale.values(*f.day_range)
    path = state.path or PathQuery("", "")
    return {
        "years": [first, last],
        "undated": [UNDATED_SHOWN] if f.include_undated else [],
        "sources": sorted(f.sources),
        "relations": sorted(f.relations),
        "actor_types": sorted(f.actor_types),
        "type_match": f.type_match,
        "stances": sorted(f.stances) or list(STANCES),
        "min_sources": f.min_sources,
        "focus": f.focus,
        "depth": f.depth,
        "layout": state.layout,
        "size_by": state.size_by,
        "selection": selection_value(state.selection),
        "path_start": path.start or None,
        "path_end": path.end or None,
        "path_hops": path.max_hops,
        "path_directed": [DIRECTED] if path.directed else [],
        "path_k": path.k,
        "path_pick": path.pick + 1,
        **time_controls.time_control_values(state.time, network),
    }
