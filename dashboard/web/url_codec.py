"""The whole view as a readable query string, and back.

Parameters (repeatable ones may appear several times; defaults are left out):

==================  ========================================================
``from``, ``to``    first and last year of the time range
``undated``         ``0`` hides undated claims (shown by default)
``source``          a source to show (repeatable; none = all)
``relation``        a relation type to show (repeatable)
``type``            an actor type to show (repeatable)
``stance``          ``asserts`` or ``denies`` (repeatable; none = both)
``min_sources``     minimum distinct sources per edge
``focus``           the focus actor's id (a name or alias is accepted too)
``depth``           the focus depth, 1-3
``layout``          ``force``, ``spring``, ``shells`` or ``circular``
``size``            node size: ``claims``, ``degree`` or ``betweenness``
``edge``            the selected edge, as ``FROM~RELATION~TO`` (actor ids)
``actor``           the selected actor's id
==================  ========================================================

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> state, notices = from_query("?from=1991&to=1998&source=9%2F11+Commission", net)
>>> state.filters.years, sorted(state.filters.sources), notices
((1991, 1998), ['9/11 Commission'], [])
>>> to_query(state, net)
'?from=1991&to=1998&source=9%2F11+Commission'
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from dashboard.data.actors import name_key
from dashboard.graph import Network
from dashboard.positions.compute import DEFAULT_LAYOUT, LAYOUTS
from dashboard.query.filters import MAX_DEPTH, STANCES, make_filter_state
from dashboard.query.view_state import DEFAULT_SIZE, SIZE_METRICS, Selection, ViewState

EDGE_SEPARATOR = "~"
KNOWN = (
    "from",
    "to",
    "undated",
    "source",
    "relation",
    "type",
    "stance",
    "min_sources",
    "focus",
    "depth",
    "layout",
    "size",
    "edge",
    "actor",
)


def to_query(state: ViewState, network: Network) -> str:
    """The query string (with its ``?``, or empty) that restores ``state``."""
    f = state.filters
    pairs: list[tuple[str, str]] = []
    if f.years is not None:
        pairs += [("from", str(f.years[0])), ("to", str(f.years[1]))]
    if not f.include_undated:
        pairs.append(("undated", "0"))
    pairs += [("source", s) for s in sorted(f.sources)]
    pairs += [("relation", r) for r in sorted(f.relations)]
    pairs += [("type", t) for t in sorted(f.actor_types)]
    if f.stances and set(f.stances) != set(STANCES):
        pairs += [("stance", s) for s in sorted(f.stances)]
    if f.min_sources > 1:
        pairs.append(("min_sources", str(f.min_sources)))
    if f.focus:
        pairs.append(("focus", f.focus))
        if f.depth != 1:
            pairs.append(("depth", str(f.depth)))
    if state.layout != DEFAULT_LAYOUT:
        pairs.append(("layout", state.layout))
    if state.size_by != DEFAULT_SIZE:
        pairs.append(("size", state.size_by))
    if state.selection is not None:
        if state.selection.kind == "edge":
            pairs.append(("edge", EDGE_SEPARATOR.join(_edge_parts(network, state.selection.index))))
        else:
            pairs.append(("actor", network.actor_ids[state.selection.index]))
    return "?" + urlencode(pairs) if pairs else ""


def _edge_parts(network: Network, edge: int) -> tuple[str, str, str]:
    from_id, to_id, relation = network.edge_key(edge)
    return from_id, relation, to_id


def from_query(query: str, network: Network) -> tuple[ViewState, list[str]]:
    """Parse a query string. Anything unknown or malformed is skipped, with a notice."""
    notices: list[str] = []
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if key not in KNOWN:
            notices.append(f'unknown parameter "{key}"')
            continue
        params.setdefault(key, []).append(value.strip())

    def single(key: str) -> str | None:
        values = params.get(key, [])
        if len(values) > 1:
            notices.append(f'"{key}" given {len(values)} times; used the first')
        return values[0] if values else None

    def chosen(key: str, allowed, label: str) -> frozenset[str]:
        known = set(allowed)
        picked = set()
        for value in params.get(key, []):
            if value in known:
                picked.add(value)
            else:
                notices.append(f'no {label} "{value}" in this data')
        return frozenset(picked)

    filters = make_filter_state(
        network,
        years=_years(single("from"), single("to"), network, notices),
        include_undated=_flag(single("undated"), notices),
        sources=chosen("source", network.sources, "source"),
        relations=chosen("relation", network.relations, "relation"),
        actor_types=chosen("type", network.actor_types, "actor type"),
        stances=chosen("stance", STANCES, "stance"),
        min_sources=_integer(single("min_sources"), "min_sources", 1, 1, 10_000, notices),
        focus=_actor(single("focus"), network, "focus", notices),
        depth=_integer(single("depth"), "depth", 1, 1, MAX_DEPTH, notices),
    )
    layout = _choice(single("layout"), LAYOUTS, DEFAULT_LAYOUT, "layout", notices)
    size_by = _choice(single("size"), SIZE_METRICS, DEFAULT_SIZE, "size", notices)
    selection = _selection(single("edge"), single("actor"), network, notices)
    return ViewState(filters, layout, size_by, selection), notices


def _years(first, last, network: Network, notices: list[str]) -> tuple[int, int] | None:
    bounds = network.year_bounds
    if first is None and last is None:
        return None
    values = []
    for name, text, default in (
        ("from", first, bounds and bounds[0]),
        ("to", last, bounds and bounds[1]),
    ):
        if text is None:
            values.append(default)
            continue
        try:
            year = int(text)
            if not 1 <= year <= 9999:
                raise ValueError
        except ValueError:
            notices.append(f'"{name}={text}" is not a year')
            year = default
        values.append(year)
    if None in values:
        return None
    low, high = values
    if low > high:
        notices.append(f"from={low} is after to={high}; swapped them")
        low, high = high, low
    return low, high


def _flag(text: str | None, notices: list[str]) -> bool:
    if text is None or text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    notices.append(f'"undated={text}" should be 0 or 1')
    return True


def _integer(text, name: str, default: int, low: int, high: int, notices: list[str]) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        notices.append(f'"{name}={text}" is not a whole number')
        return default
    if not low <= value <= high:
        notices.append(f'"{name}={text}" is out of range {low}-{high}')
        return min(max(value, low), high)
    return value


def _choice(text, allowed, default: str, name: str, notices: list[str]) -> str:
    if text is None:
        return default
    if text in allowed:
        return text
    notices.append(f'"{name}={text}" is not one of: {", ".join(allowed)}')
    return default


def _actor(text, network: Network, name: str, notices: list[str]) -> str | None:
    """An actor id, also found by name or alias (as people type them)."""
    if not text:
        return None
    if text in network.actor_code:
        return text
    found = network.name_lookup.get(name_key(text))
    if found is None:
        notices.append(f'no actor "{text}" ({name}) in this data')
    return found


def _selection(edge, actor, network: Network, notices: list[str]) -> Selection | None:
    if edge:
        parts = edge.split(EDGE_SEPARATOR)
        number = None
        if len(parts) == 3:
            number = network.edge_number(parts[0], parts[2], parts[1])
        if number is None:
            notices.append(
                f'no edge "{edge}" (expected FROM{EDGE_SEPARATOR}RELATION{EDGE_SEPARATOR}TO)'
            )
        else:
            return Selection("edge", number)
    if actor:
        actor_id = _actor(actor, network, "actor", notices)
        if actor_id is not None:
            return Selection("node", network.actor_code[actor_id])
    return None
