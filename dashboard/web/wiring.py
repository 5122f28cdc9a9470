"""Callbacks wired by name, each input checked by its own parser before the body runs.

:func:`wire` registers a module-level function as a Dash callback with named inputs and
state (Dash's flexible signatures). Every input and state must name a parser: there is
no way to register a callback whose input reaches its body unchecked. The body is then
called as ``body(context, **clean_values)``, and tests call it the same way.

A parser takes ``(value, context)`` and returns a clean value or a default; it never
raises on what a browser (or a hand-made request) can send.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dash import Dash, Input, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache

Parser = Callable[[Any, "AppContext"], Any]


@dataclass(frozen=True)
class AppContext:
    """What every callback body may read: the data set's network, its layouts, and
    memos of pure functions. Shared read-only by all users and threads."""

    network: Network
    layouts: LayoutCache
    title: str
    engine_problem: str | None = None
    views: Callable | None = None  # FilterState -> View, memoised (query.filters.ViewMemo)
    background: Any = None  # heavy work away from the requests (web/background.py)


@dataclass(frozen=True)
class Trigger:
    """Which input fired the callback (its id; a dict for pattern-matching ids), and
    the value it fired with."""

    id: str | dict | None = None
    value: Any = None


def wire(
    app: Dash,
    context: AppContext,
    body: Callable,
    *,
    output,
    inputs: Mapping[str, Input],
    state: Mapping[str, State] | None = None,
    parsers: Mapping[str, Parser],
    **options,
) -> None:
    """Register ``body`` as a callback; raise at start-up if an input has no parser or
    the body asks for a value no input gives."""
    state = dict(state or {})
    unparsed = (set(inputs) | set(state)) - set(parsers)
    if unparsed:
        raise TypeError(f"{body.__name__}: no parser for {', '.join(sorted(unparsed))}")
    wanted = list(inspect.signature(body).parameters)[1:]  # after the context
    unknown = set(wanted) - set(inputs) - set(state) - {"trigger"}
    if unknown:
        raise TypeError(f"{body.__name__}: no input or state named {', '.join(sorted(unknown))}")

    def callback(**raw):
        # Inputs the body does not name only fire it (button clicks, ticks); still parsed.
        clean = {name: parsers[name](value, context) for name, value in raw.items()}
        if "trigger" in wanted:
            clean["trigger"] = current_trigger()
        result = body(context, **{name: clean[name] for name in wanted})
        if _nothing_to_update(result):
            raise PreventUpdate  # answered "204 No Content": the request changed nothing
        return result

    callback.__name__ = body.__name__
    callback.__doc__ = body.__doc__
    app.callback(output=output, inputs=dict(inputs), state=state or None, **options)(callback)


def _nothing_to_update(result) -> bool:
    if result is no_update:
        return True
    return (
        isinstance(result, dict) and bool(result) and all(v is no_update for v in result.values())
    )


def current_trigger() -> Trigger:
    triggered = ctx.triggered
    value = triggered[0].get("value") if triggered and isinstance(triggered[0], dict) else None
    return Trigger(ctx.triggered_id, value)


# Parsers for single values; view-wide ones live in controls.py.


def as_is(value, _context=None):
    """For inputs whose value is never read, only their firing (button clicks, ticks)."""
    return None


def clicks(value, _context=None) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def text_value(limit: int):
    def parse(value, _context=None) -> str | None:
        return value if isinstance(value, str) and len(value) <= limit else None

    return parse


def string_list(value, _context=None) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
