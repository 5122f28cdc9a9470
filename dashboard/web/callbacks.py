"""Thin callbacks for the explorer: named inputs in, pure modules called, named outputs out.

Each callback's body is a module-level function ``body(context, **values)`` that tests
call directly; :func:`register_callbacks` wires it by name (see :mod:`wiring`), with a
parser for every input. No callback keeps state of its own: the selection and any
re-layout live in ``dcc.Store`` components, in the browser of each user.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
from dash import ALL, Dash, Input, Output, Patch, State, no_update

from dashboard.draw import roles
from dashboard.draw.figures import build_figure, highlight_traces
from dashboard.positions.compute import compute_layout
from dashboard.query.evidence import actor_card, edge_evidence
from dashboard.query.filters import apply_filters
from dashboard.query.view_state import ViewState
from dashboard.web import controls, ids, panels
from dashboard.web.controls import FILTER_CONTROLS, VIEW_CONTROLS, dependencies
from dashboard.web.page import FOCUS_OPTIONS_LIMIT, focus_options_for
from dashboard.web.wiring import AppContext, Trigger, as_is, string_list, text_value, wire

COORDINATE_LIMIT = 1e6  # positions live in [-1, 1]; anything far beyond is junk


def parse_view(values, context: AppContext) -> ViewState:
    return controls.view_state(context.network, values)


def parse_override(value, context: AppContext) -> dict | None:
    """A user's re-layout of visible nodes, as the browser kept it; None if mangled."""
    if not isinstance(value, dict) or not isinstance(value.get("layout"), str):
        return None
    nodes, xs, ys = value.get("nodes"), value.get("x"), value.get("y")
    if not all(isinstance(v, list) for v in (nodes, xs, ys)) or not (
        len(nodes) == len(xs) == len(ys) <= context.network.n_actors
    ):
        return None
    n_actors = context.network.n_actors
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < n_actors for n in nodes):
        return None
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in (*xs, *ys)
    ):
        return None
    codes = np.asarray(nodes, dtype=np.int64)
    coordinates = np.column_stack([np.asarray(xs, float), np.asarray(ys, float)])
    if len(coordinates) and np.abs(coordinates).max() > COORDINATE_LIMIT:
        return None
    return {"layout": value["layout"], "nodes": codes, "positions": coordinates}


def parse_click(value, _context=None) -> tuple[int, object] | None:
    """(trace number, customdata) of the first clicked point, or None."""
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    curve = points[0].get("curveNumber")
    if isinstance(curve, bool) or not isinstance(curve, int) or not 0 <= curve < 100_000:
        return None
    return curve, points[0].get("customdata")


def with_override(positions: np.ndarray, layout_name: str, override: dict | None) -> np.ndarray:
    """The whole graph's positions with a user's re-layout of visible nodes on top."""
    if override is None or override["layout"] != layout_name:
        return positions
    merged = positions.copy()
    merged[override["nodes"]] = override["positions"]
    return merged


def placeholder_figure(message: str) -> dict:
    """An empty plot that says what is happening, shown while a layout is computed."""
    note = {
        "text": escape(message),
        "showarrow": False,
        "font": {"size": 15},
        "xref": "paper",
        "yref": "paper",
    }
    layout = {
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "plot_bgcolor": "#fff",
        "annotations": [note],
    }
    return {"data": [], "layout": layout}


def render_view(context: AppContext, view: ViewState, override, tick) -> dict:
    """The network figure and the counts for the current view."""
    shown = apply_filters(context.network, view.filters)
    layout = context.layouts.ready_now(view.layout)
    if not layout.ready:
        return {
            "figure": placeholder_figure(layout.message),
            "counts": shown.counts_text(),
            "roles": [],
            "polling_off": False,
        }
    figure = build_figure(
        shown,
        with_override(layout.positions, view.layout, override),
        size_by=view.size_by,
        selection=view.selection,
        revision=f"{view.layout}:{override is not None}",
        betweenness_of=context.betweenness,
    )
    return {
        "figure": figure,
        "counts": shown.counts_text(),
        "roles": roles.roles_of(figure),
        "polling_off": True,
    }


def search_focus(context: AppContext, text, chosen) -> list[dict]:
    """Too many actors to send them all: find the ones the user types."""
    network = context.network
    codes = network.search_actors(text, limit=30) if text else []
    chosen_id = network.find_actor(chosen) if chosen else None
    if chosen_id is not None:
        code = network.actor_code[chosen_id]
        codes = [code, *(c for c in codes if c != code)]
    return focus_options_for(network, codes)


def select(context: AppContext, click, card_clicks, figure_roles, trigger: Trigger):
    """A click on the map or on an actor card's relation line selects an edge or actor."""
    if isinstance(trigger.id, dict) and trigger.id.get("type") == ids.CARD_EDGE:
        if not trigger.value:
            return no_update  # a card was just drawn, nothing was clicked
        picked = controls.parse_selection(
            {"kind": "edge", "index": trigger.id.get("edge")}, context.network
        )
        return no_update if picked is None else {"kind": "edge", "index": picked.index}
    if click is None:
        return no_update
    curve, customdata = click
    role = figure_roles[curve] if curve < len(figure_roles) else ""
    picked = roles.decode_point(role, customdata)
    picked = picked and controls.parse_selection(
        {"kind": picked.kind, "index": picked.index}, context.network
    )
    return no_update if picked is None else {"kind": picked.kind, "index": picked.index}


def show_evidence(context: AppContext, view: ViewState) -> list:
    selection = view.selection
    if selection is None:
        return panels.evidence_placeholder()
    shown = apply_filters(context.network, view.filters)
    if selection.kind == "edge":
        return panels.edge_panel(edge_evidence(shown, selection.index))
    return panels.actor_panel(actor_card(shown, selection.index))


def highlight(context: AppContext, view: ViewState, override, figure_roles):
    """Move the highlight onto the new selection: a Patch, not a rebuilt figure."""
    layout = context.layouts.status(view.layout)
    targets = {
        role: roles.positions_of(figure_roles, role)
        for role in (roles.HIGHLIGHT_EDGES, roles.HIGHLIGHT_ACTORS)
    }
    if not layout.ready or not all(len(found) == 1 for found in targets.values()):
        return no_update
    shown = apply_filters(context.network, view.filters)
    positions = with_override(layout.positions, view.layout, override)
    patch = Patch()
    for trace in highlight_traces(shown, positions, view.selection):
        index = targets[trace["meta"]["role"]][0]
        patch["data"][index]["x"] = trace["x"]
        patch["data"][index]["y"] = trace["y"]
    return patch


def relayout_visible(context: AppContext, view: ViewState, trigger: Trigger) -> dict:
    """Lay out only the visible actors, on request; layout changes and Reset undo it."""
    if trigger.id != ids.RELAYOUT:
        return {"override": None, "status": ""}
    network = context.network
    shown = apply_filters(network, view.filters)
    positions = compute_layout(network, view.layout, shown.node_mask, shown.edge_mask)
    nodes = np.flatnonzero(shown.node_mask)
    return {
        "override": {
            "layout": view.layout,
            "nodes": nodes.tolist(),
            "x": positions[nodes, 0].tolist(),
            "y": positions[nodes, 1].tolist(),
        },
        "status": f"Laid out the {len(nodes)} visible actors. Reset restores the full layout.",
    }


def _view_group(selection_kind, controls_kind=Input, display_kind=None) -> dict:
    """The view's controls as a named group of Inputs and States."""
    display_kind = display_kind or controls_kind
    return {
        **dependencies(controls_kind, FILTER_CONTROLS),
        **dependencies(display_kind, controls.DISPLAY_CONTROLS),
        "selection": selection_kind(*VIEW_CONTROLS["selection"]),
    }


def register_callbacks(app: Dash, context: AppContext) -> None:
    view_parser = {"view": parse_view}
    wire(
        app,
        context,
        render_view,
        output={
            "figure": Output(ids.NETWORK, "figure"),
            "counts": Output(ids.COUNTS, "children"),
            "roles": Output(ids.FIGURE_ROLES, "data"),
            "polling_off": Output(ids.LAYOUT_POLL, "disabled"),
        },
        inputs={
            "view": _view_group(State),
            "override": Input(ids.POSITIONS_OVERRIDE, "data"),
            "tick": Input(ids.LAYOUT_POLL, "n_intervals"),
        },
        parsers={**view_parser, "override": parse_override, "tick": as_is},
    )
    if context.network.n_actors > FOCUS_OPTIONS_LIMIT:
        wire(
            app,
            context,
            search_focus,
            output=Output(ids.FOCUS_ACTOR, "options"),
            inputs={
                "text": Input(ids.FOCUS_ACTOR, "search_value"),
                "chosen": Input(ids.FOCUS_ACTOR, "value"),
            },
            parsers={"text": text_value(200), "chosen": text_value(controls.TEXT_LIMIT)},
        )
    # In the browser, so the years follow the thumbs without a round trip.
    app.clientside_callback(
        "function(years) { return years ? years[0] + '–' + years[1] : ''; }",
        Output(ids.TIME_RANGE_TEXT, "children"),
        Input(ids.TIME_RANGE, "value"),
    )
    wire(
        app,
        context,
        select,
        output=Output(ids.SELECTION, "data"),
        inputs={
            "click": Input(ids.NETWORK, "clickData"),
            "card_clicks": Input({"type": ids.CARD_EDGE, "edge": ALL}, "n_clicks"),
        },
        state={"figure_roles": State(ids.FIGURE_ROLES, "data")},
        parsers={"click": parse_click, "card_clicks": as_is, "figure_roles": string_list},
        prevent_initial_call=True,
    )
    wire(
        app,
        context,
        show_evidence,
        output=Output(ids.EVIDENCE, "children"),
        inputs={"view": _view_group(Input, Input, State)},
        parsers=view_parser,
    )
    wire(
        app,
        context,
        highlight,
        output=Output(ids.NETWORK, "figure", allow_duplicate=True),
        inputs={"view": _view_group(Input, State)},
        state={
            "override": State(ids.POSITIONS_OVERRIDE, "data"),
            "figure_roles": State(ids.FIGURE_ROLES, "data"),
        },
        parsers={**view_parser, "override": parse_override, "figure_roles": string_list},
        prevent_initial_call=True,
    )
    wire(
        app,
        context,
        relayout_visible,
        output={
            "override": Output(ids.POSITIONS_OVERRIDE, "data"),
            "status": Output(ids.RELAYOUT_STATUS, "children"),
        },
        inputs={
            "relayout": Input(ids.RELAYOUT, "n_clicks"),
            "reset": Input(ids.RESET, "n_clicks"),
            "view": {
                **dependencies(State, FILTER_CONTROLS),
                "layout": Input(*controls.DISPLAY_CONTROLS["layout"]),
            },
        },
        parsers={**view_parser, "relayout": as_is, "reset": as_is},
        prevent_initial_call=True,
    )
