"""Thin callbacks: read the controls, call the pure modules, return what they build.

No callback keeps state of its own: the selection and any re-layout live in
``dcc.Store`` components, in the browser of each user.
"""

from __future__ import annotations

from html import escape

import numpy as np
from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update

from dashboard.draw.figures import (
    build_figure,
    decode_point,
    highlight_traces,
)
from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import DEFAULT_LAYOUT, LAYOUTS
from dashboard.query.evidence import actor_card, edge_evidence
from dashboard.query.filters import (
    MAX_DEPTH,
    STANCES,
    FilterState,
    View,
    apply_filters,
    make_filter_state,
)
from dashboard.query.view_state import DEFAULT_SIZE, SIZE_METRICS, Selection, ViewState, file_stem
from dashboard.web import components, ids, limits
from dashboard.web.background import Background, size_key_patch

FILTER_INPUTS = [
    Input(ids.TIME_RANGE, "value"),
    Input(ids.INCLUDE_UNDATED, "value"),
    Input(ids.SOURCE_FILTER, "value"),
    Input(ids.RELATION_FILTER, "value"),
    Input(ids.ACTOR_TYPE_FILTER, "value"),
    Input(ids.STANCE_FILTER, "value"),
    Input(ids.MIN_SOURCES, "value"),
    Input(ids.FOCUS_ACTOR, "value"),
    Input(ids.FOCUS_DEPTH, "value"),
]
FILTER_STATES = [State(i.component_id, i.component_property) for i in FILTER_INPUTS]


def filter_state(
    network: Network, years, undated, sources, relations, types, stances, min_sources, focus, depth
) -> FilterState:
    """Controls -> FilterState. Values come from the browser: anything malformed is
    ignored (read as its default), so a hand-made request cannot break a callback."""
    focus_id = focus if isinstance(focus, str) and focus in network.actor_code else None
    return make_filter_state(
        network,
        years=_years(years),
        include_undated=bool(undated),
        sources=_texts(sources),
        relations=_texts(relations),
        actor_types=_texts(types),
        stances=_texts(stances) & frozenset(STANCES),
        min_sources=_whole(min_sources, 1, 1, 10_000),
        focus=focus_id,
        depth=_whole(depth, 1, 1, MAX_DEPTH),
    )


def _years(value) -> tuple[int, int] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    low, high = (_whole(v, None, 1, 9999) for v in value)
    return (min(low, high), max(low, high)) if low is not None and high is not None else None


def _texts(value) -> frozenset[str]:
    return (
        frozenset(v for v in value if isinstance(v, str))
        if isinstance(value, list | tuple)
        else frozenset()
    )


def _whole(value, default, low: int, high: int):
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        number = int(float(value))
    except (ValueError, OverflowError):
        return default
    return min(max(number, low), high)


def choice(value, allowed, default: str) -> str:
    """``value`` if it is one of ``allowed``, else ``default``."""
    return value if isinstance(value, str) and value in allowed else default


def view_state(network: Network, *values) -> ViewState:
    """The controls' values (filters, layout, size, selection) as one ViewState."""
    *controls, layout, size_by, selected = values
    return ViewState(
        filters=filter_state(network, *controls),
        layout=choice(layout, LAYOUTS, DEFAULT_LAYOUT),
        size_by=choice(size_by, SIZE_METRICS, DEFAULT_SIZE),
        selection=selection_from(selected, network),
    )


def selection_from(data: dict | None, network: Network) -> Selection | None:
    if not isinstance(data, dict) or data.get("kind") not in ("edge", "node"):
        return None
    index = data.get("index")
    limit = len(network.edges) if data["kind"] == "edge" else network.n_actors
    if not isinstance(index, int) or not 0 <= index < limit:
        return None
    return Selection(data["kind"], index)


def with_override(positions: np.ndarray, layout_name: str, override: dict | None) -> np.ndarray:
    """The whole graph's positions with a user's re-layout of visible nodes on top."""
    if not isinstance(override, dict) or override.get("layout") != layout_name:
        return positions
    try:
        nodes = np.asarray(override["nodes"], dtype=int)
        xs = np.asarray(override["x"], dtype=float)
        ys = np.asarray(override["y"], dtype=float)
        merged = positions.copy()
        merged[nodes, 0], merged[nodes, 1] = xs, ys
    except (KeyError, TypeError, ValueError, IndexError):
        return positions  # a store the browser mangled: ignore it
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


def graph_config(state: ViewState, network: Network, title: str) -> dict:
    """The modebar's camera saves a print-ready PNG named after the view."""
    return {
        "displaylogo": False,
        "scrollZoom": True,
        "toImageButtonOptions": {
            "format": "png",
            "scale": 2,
            "filename": file_stem(state, network, title),
        },
    }


def register_callbacks(
    app: Dash,
    network: Network,
    layouts: LayoutCache,
    title: str,
    background: Background | None = None,
) -> None:
    background = background or Background.create()

    def view_of(*controls) -> View:
        return apply_filters(network, filter_state(network, *controls))

    @app.callback(
        Output(ids.NETWORK, "figure"),
        Output(ids.COUNTS, "children"),
        Output(ids.FIGURE_TRACES, "data"),
        Output(ids.NETWORK, "config"),
        Output(ids.LAYOUT_POLL, "disabled"),
        *FILTER_INPUTS,
        Input(ids.LAYOUT_CHOICE, "value"),
        Input(ids.SIZE_BY, "value"),
        Input(ids.POSITIONS_OVERRIDE, "data"),
        Input(ids.LAYOUT_POLL, "n_intervals"),
        State(ids.SELECTION, "data"),
        State(ids.FIGURE_TRACES, "data"),
    )
    def render_view(*args):
        *controls, layout_name, size_by, override, _tick, selected, drawn_traces = args
        state = view_state(network, *controls, layout_name, size_by, selected)
        view = apply_filters(network, state.filters)
        config = graph_config(state, network, title)
        layout = layouts.ready_now(state.layout)
        if not layout.ready:
            return placeholder_figure(layout.message), view.counts_text(), 0, config, False
        # Betweenness of a large view is computed in the background: the figure comes at
        # once, sized by claims, and the poll brings the progress, then the sizes.
        sizing = background.betweenness.sizing(view) if state.size_by == "betweenness" else None
        waiting = sizing is not None and sizing.pending
        if waiting and ctx.triggered_id == ids.LAYOUT_POLL and drawn_traces:
            return size_key_patch(sizing.note), no_update, no_update, no_update, False
        figure = build_figure(
            view,
            with_override(layout.positions, state.layout, override),
            size_by=state.size_by,
            selection=state.selection,
            revision=f"{state.layout}:{bool(override)}",
            sizing=sizing,
        )
        return figure, view.counts_text(), len(figure["data"]), config, not waiting

    if network.n_actors > components.FOCUS_OPTIONS_LIMIT:

        @app.callback(
            Output(ids.FOCUS_ACTOR, "options"),
            Input(ids.FOCUS_ACTOR, "search_value"),
            Input(ids.FOCUS_ACTOR, "value"),
        )
        def search_focus(text, chosen):
            """Too many actors to send them all: find the ones the user types."""
            text = limits.search_text(text)
            codes = network.search_actors(text, limit=30) if text else []
            if isinstance(chosen, str) and chosen in network.actor_code:
                codes = [
                    network.actor_code[chosen],
                    *(c for c in codes if c != network.actor_code[chosen]),
                ]
            return components.focus_options_for(network, codes)

    # In the browser, so the years follow the thumbs without a round trip.
    app.clientside_callback(
        "function(years) { return years ? years[0] + '–' + years[1] : ''; }",
        Output(ids.TIME_RANGE_TEXT, "children"),
        Input(ids.TIME_RANGE, "value"),
    )

    @app.callback(
        Output(ids.SELECTION, "data"),
        Input(ids.NETWORK, "clickData"),
        Input({"type": ids.CARD_EDGE, "edge": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def select(click, _card_clicks):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") == ids.CARD_EDGE:
            if not ctx.triggered[0]["value"]:
                return no_update  # a card was just drawn, nothing was clicked
            picked = selection_from({"kind": "edge", "index": trigger.get("edge")}, network)
            return no_update if picked is None else {"kind": "edge", "index": picked.index}
        points = (click or {}).get("points") if isinstance(click, dict) else None
        picked = (
            decode_point(points[0].get("customdata"))
            if points and isinstance(points[0], dict)
            else None
        )
        if picked is None:
            return no_update
        return {"kind": picked.kind, "index": picked.index}

    @app.callback(
        Output(ids.EVIDENCE, "children"),
        Input(ids.SELECTION, "data"),
        *FILTER_INPUTS,
    )
    def show_evidence(selected, *controls):
        selection = selection_from(selected, network)
        if selection is None:
            return components.evidence_placeholder()
        view = view_of(*controls)
        if selection.kind == "edge":
            return components.edge_panel(edge_evidence(view, selection.index))
        return components.actor_panel(actor_card(view, selection.index))

    @app.callback(
        Output(ids.NETWORK, "figure", allow_duplicate=True),
        Input(ids.SELECTION, "data"),
        *FILTER_STATES,
        State(ids.LAYOUT_CHOICE, "value"),
        State(ids.POSITIONS_OVERRIDE, "data"),
        State(ids.FIGURE_TRACES, "data"),
        prevent_initial_call=True,
    )
    def highlight(selected, *args):
        """Move the highlight onto the new selection: a Patch, not a rebuilt figure."""
        *controls, layout_name, override, n_traces = args
        layout_name = choice(layout_name, LAYOUTS, DEFAULT_LAYOUT)
        layout = layouts.status(layout_name)
        if not isinstance(n_traces, int) or n_traces < 2 or not layout.ready:
            return no_update
        view = view_of(*controls)
        positions = with_override(layout.positions, layout_name, override)
        edge_trace, node_trace = highlight_traces(
            view, positions, selection_from(selected, network)
        )
        patch = Patch()
        for index, trace in ((n_traces - 2, edge_trace), (n_traces - 1, node_trace)):
            patch["data"][index]["x"] = trace["x"]
            patch["data"][index]["y"] = trace["y"]
        return patch

    @app.callback(
        Output(ids.POSITIONS_OVERRIDE, "data"),
        Output(ids.RELAYOUT_STATUS, "children"),
        Input(ids.RELAYOUT, "n_clicks"),
        Input(ids.LAYOUT_CHOICE, "value"),
        Input(ids.RESET, "n_clicks"),
        *FILTER_STATES,
        prevent_initial_call=True,
    )
    def relayout_visible(_clicks, layout_name, _reset, *controls):
        if ctx.triggered_id != ids.RELAYOUT:
            return None, ""
        layout_name = choice(layout_name, LAYOUTS, DEFAULT_LAYOUT)
        view = view_of(*controls)
        positions, problem = background.relayout(network, layout_name, view)
        if positions is None:
            return no_update, problem
        nodes = np.flatnonzero(view.node_mask)
        override = {
            "layout": layout_name,
            "nodes": nodes.tolist(),
            "x": positions[nodes, 0].tolist(),
            "y": positions[nodes, 1].tolist(),
        }
        return (
            override,
            f"Laid out the {len(nodes)} visible actors. Reset restores the full layout.",
        )
