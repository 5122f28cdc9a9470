"""The whole view as a readable query string, and back.

Parameters (repeatable ones may appear several times; defaults are left out):

==================  ========================================================
``from``, ``to``    first and last year of the time range (``YYYY-MM`` or
                    ``YYYY-MM-DD`` for data spanning a few years or months)
``undated``         ``0`` hides undated claims (shown by default)
``source``          a source to show (repeatable; none = all)
``relation``        a relation type to show (repeatable)
``type``            an actor type to show (repeatable)
``type_match``      ``either``: a claim shows if either of its actors is of a picked type
                    (default ``both``: both must be)
``stance``          ``asserts`` or ``denies`` (repeatable; none = both)
``min_sources``     minimum distinct sources per edge
``focus``           the focus actor's id (a name or alias is accepted too)
``depth``           the focus depth, 1-3
``layout``          ``force``, ``spring``, ``shells`` or ``circular``
``size``            node size: ``claims``, ``degree`` or ``betweenness``
``edge``            the selected edge, as ``FROM~RELATION~TO`` (actor ids; a ``~`` or
                    ``\\`` inside a part is written ``\\~`` or ``\\\\``)
``actor``           the selected actor's id
``path``            paths between two actors, ``FROM~TO`` (actor ids, escaped as ``edge``)
``hops``            the paths' maximum number of hops, 1-6 (default 4)
``directed``        ``1``: follow the direction of relations (default: ignore it)
``k``               how many paths, 1-20 (default 5)
``pick``            which path the map shows, from 1 (default 1, the best)
``pair``            everything between two actors, ``A~B`` (actor ids, escaped as ``edge``)
``window``          playback's window: ``1y``, ``5y``, ... (``6m``, ``14d`` at month or
                    day resolution) or ``all`` (cumulative); default one step
``step``            playback's step, as ``window`` (default one step)
``stack``           the timeline's bars stacked by ``family`` (default) or ``stance``
``a``, ``b``        two periods compared, ``1991..2000`` (``2014-03..2014-05``)
==================  ========================================================

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> state, notices = from_query("?from=1991&to=1998&source=9%2F11+Commission", net)
>>> state.filters.years, sorted(state.filters.sources), notices
((1991, 1998), ['9/11 Commission'], [])
>>> to_query(state, net)
'?from=1991&to=1998&source=9%2F11+Commission'

Values are checked by the same parsers as the browser's controls (:mod:`controls`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from dashboard.graph import Network
from dashboard.positions.compute import DEFAULT_LAYOUT
from dashboard.query import periods
from dashboard.query.actor_types import DEFAULT_MATCH
from dashboard.query.filters import STANCES
from dashboard.query.paths import DEFAULT_HOPS, DEFAULT_PATHS
from dashboard.query.view_state import DEFAULT_SIZE, ViewState
from dashboard.web import controls, time_controls

SEPARATOR = "~"
_ESCAPE = "\\"
KNOWN = (
    "from",
    "to",
    "undated",
    "source",
    "relation",
    "type",
    "type_match",
    "stance",
    "min_sources",
    "focus",
    "depth",
    "layout",
    "size",
    "edge",
    "actor",
    "path",
    "hops",
    "directed",
    "k",
    "pick",
    "pair",
    "window",
    "step",
    "stack",
    "a",
    "b",
)
QUERY_LIMIT = 64 * 1024  # a longer address was not written by this app


def join_parts(parts) -> str:
    r"""Parts joined by ``~``, each ``~`` and ``\`` inside a part escaped with ``\``.

    >>> join_parts(["a~b", "funds", "c\\d"])
    'a\\~b~funds~c\\\\d'
    >>> split_parts(join_parts(["a~b", "funds", "c\\d"]))
    ['a~b', 'funds', 'c\\d']
    """
    return SEPARATOR.join(
        p.replace(_ESCAPE, _ESCAPE * 2).replace(SEPARATOR, _ESCAPE + SEPARATOR) for p in parts
    )


def split_parts(text: str) -> list[str]:
    """The inverse of :func:`join_parts`."""
    parts, current, chars = [], [], iter(text)
    for char in chars:
        if char == _ESCAPE:
            current.append(next(chars, ""))
        elif char == SEPARATOR:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def to_query(state: ViewState, network: Network) -> str:
    """The query string (with its ``?``, or empty) that restores ``state``."""
    f = state.filters
    pairs: list[tuple[str, str]] = []
    if f.day_range is not None:
        low, high = periods.bound_texts(*f.day_range)
        pairs += [("from", low), ("to", high)]
    if not f.include_undated:
        pairs.append(("undated", "0"))
    pairs += [("source", s) for s in sorted(f.sources)]
    pairs += [("relation", r) for r in sorted(f.relations)]
    pairs += [("type", t) for t in sorted(f.actor_types)]
    if f.actor_types and f.type_match != DEFAULT_MATCH:
        pairs.append(("type_match", f.type_match))
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
            from_id, to_id, relation = network.edge_key(state.selection.index)
            pairs.append(("edge", join_parts([from_id, relation, to_id])))
        elif state.selection.kind == "pair":
            ends = (state.selection.index, state.selection.other)
            pairs.append(("pair", join_parts([network.actor_ids[code] for code in ends])))
        else:
            pairs.append(("actor", network.actor_ids[state.selection.index]))
    if state.path is not None:
        path = state.path
        pairs.append(("path", join_parts([path.start, path.end])))
        if path.max_hops != DEFAULT_HOPS:
            pairs.append(("hops", str(path.max_hops)))
        if path.directed:
            pairs.append(("directed", "1"))
        if path.k != DEFAULT_PATHS:
            pairs.append(("k", str(path.k)))
        if path.pick:
            pairs.append(("pick", str(path.pick + 1)))
    pairs += time_controls.time_url_pairs(state.time, network)
    return "?" + urlencode(pairs) if pairs else ""


def from_query(query: str, network: Network) -> tuple[ViewState, list[str]]:
    """Parse a query string. Anything unknown or malformed is skipped, with a notice."""
    notices: list[str] = []
    if not isinstance(query, str) or len(query) > QUERY_LIMIT:
        return ViewState(), ["the address is not one this app writes; ignored it"]
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if key not in KNOWN:
            notices.append(f'unknown parameter "{key[:80]}"')
            continue
        params.setdefault(key, []).append(value.strip())

    def single(key: str) -> str | None:
        values = params.get(key, [])
        if len(values) > 1:
            notices.append(f'"{key}" given {len(values)} times; used the first')
        return values[0] if values else None

    first, last = single("from"), single("to")
    undated = single("undated")
    values = {
        "years": None if first is None and last is None else [first, last],
        "undated": _undated(undated),
        "sources": params.get("source", []),
        "relations": params.get("relation", []),
        "actor_types": params.get("type", []),
        "type_match": single("type_match"),
        "stances": params.get("stance", []),
        "min_sources": single("min_sources"),
        "focus": single("focus"),
        "depth": single("depth"),
        "layout": single("layout"),
        "size_by": single("size"),
        "selection": _pair(single("pair"), network, notices)
        or _selection(single("edge"), single("actor"), network, notices),
        **_path(single("path"), notices),
        "path_hops": single("hops"),
        "path_directed": _flag(single("directed"), [controls.DIRECTED]),
        "path_k": single("k"),
        "path_pick": single("pick"),
        **time_controls.time_url_values(single),
    }
    return controls.view_state(network, values, notices), notices


def _undated(text: str | None):
    """The URL's ``undated=0|1`` as the checklist's value; anything else is passed on
    for the parser to refuse."""
    return _flag(text, [controls.UNDATED_SHOWN])


def _flag(text: str | None, checked: list):
    """A ``0|1`` parameter as a checklist's value (``checked`` or empty)."""
    if text in ("1", "true", "yes"):
        return checked
    if text in ("0", "false", "no"):
        return []
    return text


def _path(text: str | None, notices: list[str]) -> dict:
    """``path=FROM~TO`` as the two path controls' values."""
    if not text:
        return {}
    parts = split_parts(text)
    if len(parts) != 2 or not all(parts):
        notices.append(f'no path "{text[:200]}" (expected FROM{SEPARATOR}TO)')
        return {}
    return {"path_start": parts[0], "path_end": parts[1]}


def _pair(text: str | None, network: Network, notices: list[str]) -> dict | None:
    """``pair=A~B`` (ids, names or aliases) as the selection of everything between them."""
    if not text:
        return None
    parts = split_parts(text)
    if len(parts) != 2 or not all(parts):
        notices.append(f'no pair "{text[:200]}" (expected A{SEPARATOR}B)')
        return None
    found = [controls.parse_actor(part, network, "pair", notices) for part in parts]
    if None in found:
        return None
    a, b = (network.actor_code[actor_id] for actor_id in found)
    return {"kind": "pair", "index": a, "other": b}


def _selection(edge, actor, network: Network, notices: list[str]) -> dict | None:
    if edge:
        parts = split_parts(edge)
        number = None
        if len(parts) == 3:
            number = network.edge_number(parts[0], parts[2], parts[1])
        if number is not None:
            return {"kind": "edge", "index": number}
        notices.append(f'no edge "{edge[:200]}" (expected FROM{SEPARATOR}RELATION{SEPARATOR}TO)')
    if actor:
        actor_id = controls.parse_actor(actor, network, "actor", notices)
        if actor_id is not None:
            return {"kind": "node", "index": network.actor_code[actor_id]}
    return None
