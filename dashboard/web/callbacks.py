"""Thin callbacks for the explorer: named inputs in, pure modules called, named outputs out.

Each callback's body is a module-level function ``body(context, **values)`` that tests
call directly; :func:`register_callbacks` wires it by name (see :mod:`wiring`), with a
parser for every input. No callback keeps state of its own: the selection and any
re-layout live in ``dcc.Store`` components, in the browser of each user.
"""

from __future__ import annotations

import logging
import math
from hashlib import blake2b

import numpy as np
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard.draw import roles
from dashboard.draw.scene import build_scene, build_step, encode
from dashboard.positions.compute import compute_layout
from dashboard.query.actor_types import DEFAULT_MATCH, TYPE_MATCHES, claim_counts
from dashboard.query.centrality import Sizing
from dashboard.query.pairs import bundle_of, neighbours_of, pair_evidence
from dashboard.query.served import actor_card, edge_evidence, refusal
from dashboard.query.view_state import Selection, ViewState
from dashboard.web import controls, ids, pair_panel, panels
from dashboard.web.controls import FILTER_CONTROLS, VIEW_CONTROLS, dependencies
from dashboard.web.page import FOCUS_OPTIONS_LIMIT, choice_options, focus_options_for
from dashboard.web.wiring import AppContext, Trigger, as_is, string_list, text_value, wire

_log = logging.getLogger(__name__)
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


def cannot_draw(exc: Exception) -> str:
    """What the map says instead of going blank when drawing fails (a bug: the log has
    the details; the page never shows a traceback)."""
    return (
        f"This view could not be drawn ({type(exc).__name__}). Change the filters or "
        "press Reset; the server's log has the details."
    )


def scene_key(layout: str, override: dict | None) -> str:
    """Names the positions a scene draws: a step is assembled only with its own scene."""
    if override is None:
        return layout
    digest = blake2b(override["nodes"].tobytes() + override["positions"].tobytes(), digest_size=8)
    return f"{layout}:{digest.hexdigest()}"


def update_scene(context: AppContext, layout: str, override, tick, trigger=None) -> dict:
    """What the map keeps while filtering (positions, curves, names), for the browser;
    while a layout is computed, its progress instead, polled until it is ready.

    ``ready`` is written only when a layout the page polled for is ready: the step
    (which the filters also trigger, alongside the scene) is then asked for again. On a
    first page whose layout is ready the step is asked for once, not again after the
    scene (at 100k claims that second round trip held the first view back 0.2 s).
    """
    status = context.layouts.ready_now(layout)
    if not status.ready:
        return {"scene": {"placeholder": status.message}, "polling_off": False, "ready": no_update}
    key = scene_key(layout, override)
    polled = trigger is not None and trigger.id == ids.LAYOUT_POLL
    try:
        scene = build_scene(context.network, with_override(status.positions, layout, override))
    except Exception as exc:  # a message in the page, never a blank map
        _log.exception("the map could not be drawn")
        return {"scene": {"placeholder": cannot_draw(exc)}, "polling_off": True, "ready": no_update}
    scene.update(key=key, revision=key)
    return {"scene": encode(scene), "polling_off": True, "ready": key if polled else no_update}


def update_step(context: AppContext, view: ViewState, override, tick) -> dict:
    """What the filters decide (shown edges and actors, widths, looks, sizes, labels).

    Betweenness of a large view is computed in the background (web/background.py): the
    step comes at once, sized by claims with a key saying so, and a poll brings the
    progress, then the sizes.
    """
    shown = context.views(view.filters)
    status = context.layouts.status(view.layout)
    if not status.ready:
        return {"step": None, "counts": shown.counts_text(), "polling_off": True}
    sizing = None
    refused = refusal(shown, "betweenness") if view.size_by == "betweenness" else None
    if refused:
        sizing = Sizing(None, refused, pending=False)
    elif view.size_by == "betweenness" and context.background is not None:
        sizing = context.background.betweenness.sizing(shown)
    positions = with_override(status.positions, view.layout, override)
    scene = {"x": positions[:, 0], "y": positions[:, 1]}
    key = scene_key(view.layout, override)
    try:
        step = build_step(shown, scene, view.size_by, sizing)
    except Exception as exc:  # a message in the page, never a blank map
        _log.exception("a view could not be drawn")
        return {
            "step": {"failed": cannot_draw(exc), "sceneKey": key},
            "counts": shown.counts_text(),
            "polling_off": True,
        }
    step["sceneKey"] = key
    waiting = sizing is not None and sizing.pending
    return {"step": encode(step), "counts": step["counts"], "polling_off": not waiting}


def search_focus(context: AppContext, text, chosen) -> list[dict]:
    """Too many actors to send them all: find the ones the user types."""
    network = context.network
    codes = network.search_actors(text, limit=30) if text else []
    chosen_id = network.find_actor(chosen) if chosen else None
    if chosen_id is not None:
        code = network.actor_code[chosen_id]
        codes = [code, *(c for c in codes if c != code)]
    return focus_options_for(network, codes)


def type_options(context: AppContext, match: str) -> list[dict]:
    """The actor types with their claim counts under the chosen rule (both ends or either)."""
    network = context.network
    return choice_options(network.actor_types, claim_counts(network, match))


def parse_type_match(value, _context=None) -> str:
    return controls.parse_choice(value, TYPE_MATCHES, DEFAULT_MATCH, "type_match", [])


_EDGE_BUTTONS = (ids.CARD_EDGE, ids.PAIR_EDGE)


def select(
    context: AppContext,
    click,
    view: ViewState,
    pair_a,
    pair_b,
    figure_roles,
    trigger: Trigger,
) -> dict:
    """What a click selects, and the "Between ... and ..." pickers kept in step with it.

    A click on a node selects it; on an edge, the edge, unless other edges join the same
    two actors: then everything between them (a bundle of curves answers "what connects
    these two?", and its edges each open from there). Buttons on the panels open an
    edge or a pair; the two pickers open the pair they name. A selection made elsewhere
    (the URL, Reset, a click on empty space) only sets the pickers.
    """
    network = context.network
    source = trigger.id.get("type") if isinstance(trigger.id, dict) else trigger.id
    if source == ids.SELECTION:
        return _with_pickers(view.selection, network, keep=no_update)
    picked = no_update
    if source in _EDGE_BUTTONS or source == ids.CARD_PAIR:
        if not trigger.value:
            return _unchanged()  # a panel was just drawn, nothing was clicked
        raw = (
            {"kind": "edge", "index": trigger.id.get("edge")}
            if source in _EDGE_BUTTONS
            else {"kind": "pair", "index": trigger.id.get("a"), "other": trigger.id.get("b")}
        )
        picked = controls.parse_selection(raw, network) or no_update
    elif source in (ids.PAIR_A, ids.PAIR_B):
        if pair_a is None or pair_b is None:
            # Clearing a picker closes the pair it showed; one end alone waits for the other.
            closing = view.selection is not None and view.selection.kind == "pair"
            selection = None if closing else no_update
            return {"selection": selection, "a": no_update, "b": no_update, **_NO_OPTIONS}
        a, b = network.actor_code[pair_a], network.actor_code[pair_b]
        return {
            "selection": {"kind": "pair", "index": a, "other": b},
            "a": no_update,
            "b": no_update,
            **_NO_OPTIONS,
        }
    elif click is not None:
        curve, customdata = click
        role = figure_roles[curve] if curve < len(figure_roles) else ""
        point = roles.decode_point(role, customdata)
        point = point and controls.parse_selection(
            {"kind": point.kind, "index": point.index}, network
        )
        shown = context.views(view.filters) if point is not None else None
        # Where pairs are not listed (DuckDB), an edge opens itself, never its bundle.
        if point is not None and point.kind == "edge" and not refusal(shown, "pair"):
            point = _bundle(shown, point)
        picked = point or no_update
    if picked is no_update:
        return _unchanged()
    return _with_pickers(picked, network, keep=None)


def _unchanged() -> dict:
    return {"selection": no_update, "a": no_update, "b": no_update, **_NO_OPTIONS}


_NO_OPTIONS = {"a_options": no_update, "b_options": no_update}


def _bundle(shown, edge: Selection) -> Selection:
    """An edge, or the pair it joins when other shown edges join the same two actors."""
    if len(bundle_of(shown, edge.index)) < 2:
        return edge
    net = shown.network
    return Selection("pair", int(net.edge_from[edge.index]), int(net.edge_to[edge.index]))


def _with_pickers(selection: Selection | None, network, keep) -> dict:
    """The selection (or no_update, when ``keep`` says so) and the pickers' values: the
    pair's two actors, else empty."""
    value = no_update if keep is no_update else controls.selection_value(selection)
    if selection is not None and selection.kind == "pair":
        a, b = network.actor_ids[selection.index], network.actor_ids[selection.other]
        # Searched on the server, the lists hold no option for them; a dropdown drops
        # a value it has no option for, and with it the pair.
        options = _NO_OPTIONS
        if network.n_actors > FOCUS_OPTIONS_LIMIT:
            options = {
                "a_options": focus_options_for(network, [selection.index]),
                "b_options": focus_options_for(network, [selection.other]),
            }
        return {"selection": value, "a": a, "b": b, **options}
    return {"selection": value, "a": None, "b": None, **_NO_OPTIONS}


def parse_picked_actor(value, context: AppContext) -> str | None:
    """A picker's actor id, if it names one in the data."""
    return value if isinstance(value, str) and value in context.network.actor_code else None


HIDDEN = {"display": "none"}


def show_evidence(
    context: AppContext, view: ViewState, page: int, order: str, search: str | None
) -> dict:
    """The selected edge's claims (a page of them) or the selected actor's card."""
    selection = view.selection
    if selection is None:
        return {"panel": panels.evidence_placeholder(), "tools": HIDDEN}
    shown = context.views(view.filters)
    if selection.kind == "node":
        neighbours = pair_panel.neighbour_list(
            neighbours_of(shown, selection.index), selection.index
        )
        card = actor_card(shown, selection.index)
        return {"panel": panels.actor_panel(card, neighbours), "tools": HIDDEN}
    if selection.kind == "pair" and refusal(shown, "pair"):
        return {"panel": panels.refused_panel(refusal(shown, "pair")), "tools": HIDDEN}
    if selection.kind == "pair":
        pair = pair_evidence(
            shown, selection.index, selection.other, page, order=order, search=search or ""
        )
        paged = pair.truncated or bool(search)
        return {"panel": pair_panel.pair_panel(pair), "tools": {} if paged else HIDDEN}
    evidence = edge_evidence(shown, selection.index, page, order=order, search=search or "")
    paged = evidence.total > evidence.per_page or bool(search)
    panel = panels.edge_panel(evidence)
    bundle = bundle_of(shown, selection.index)
    if len(bundle) > 1:
        net = context.network
        a, b = int(net.edge_from[selection.index]), int(net.edge_to[selection.index])
        link = pair_panel.pair_link(a, b, net.actor_names[a], net.actor_names[b], len(bundle))
        panel = [panel[0], link, *panel[1:]]
    return {"panel": panel, "tools": {} if paged else HIDDEN}


def turn_page(context: AppContext, page: int, trigger: Trigger) -> int:
    """Previous and next move through an edge's claims; anything else starts again."""
    if trigger.id == ids.EVIDENCE_NEXT:
        return page + 1
    if trigger.id == ids.EVIDENCE_PREVIOUS:
        return max(page - 1, 0)
    return 0


def parse_page(value, _context=None) -> int:
    return controls.whole(value, 0, 10**9) or 0


def parse_order(value, _context=None) -> str:
    return value if value in ("date", "source") else "date"


def relayout_visible(context: AppContext, view: ViewState, override, trigger: Trigger) -> dict:
    """Lay out only the visible actors, on request; layout changes and Reset undo it."""
    if trigger.id != ids.RELAYOUT:
        if override is None:
            return {"override": no_update, "status": no_update}  # nothing to undo
        return {"override": None, "status": ""}
    network = context.network
    shown = context.views(view.filters)
    if context.background is None:
        positions = compute_layout(network, view.layout, shown.node_mask, shown.edge_mask)
    else:
        positions, problem = context.background.relayout(network, view.layout, shown)
        if positions is None:
            return {"override": no_update, "status": problem}
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
        update_scene,
        output={
            "scene": Output(ids.SCENE, "data"),
            "polling_off": Output(ids.LAYOUT_POLL, "disabled"),
            "ready": Output(ids.LAYOUT_READY, "data"),
        },
        inputs={
            "layout": Input(*controls.DISPLAY_CONTROLS["layout"]),
            "override": Input(ids.POSITIONS_OVERRIDE, "data"),
            "tick": Input(ids.LAYOUT_POLL, "n_intervals"),
        },
        parsers={"layout": parse_layout, "override": parse_override, "tick": as_is},
    )
    wire(
        app,
        context,
        update_step,
        output={
            "step": Output(ids.STEP, "data"),
            "counts": Output(ids.COUNTS, "children"),
            "polling_off": Output(ids.SIZING_POLL, "disabled"),
        },
        inputs={
            "view": {
                **dependencies(Input, FILTER_CONTROLS),
                **dependencies(Input, controls.DISPLAY_CONTROLS),
            },
            "override": Input(ids.POSITIONS_OVERRIDE, "data"),
            # When a layout the page waited for is ready (see update_scene), by the time
            # it was written: Dash then neither waits for the scene before asking for
            # the step, nor sends what the store holds.
            "ready": Input(ids.LAYOUT_READY, "modified_timestamp"),
            "tick": Input(ids.SIZING_POLL, "n_intervals"),
        },
        parsers={**view_parser, "override": parse_override, "ready": as_is, "tick": as_is},
    )
    # The figure is assembled in the browser from the scene and the step (assets/network.js).
    app.clientside_callback(
        ClientsideFunction("network", "assemble"),
        Output(ids.NETWORK, "figure"),
        Output(ids.FIGURE_ROLES, "data"),
        Input(ids.SCENE, "data"),
        Input(ids.STEP, "data"),
        Input(ids.OVERLAYS, "data"),
        State(ids.SELECTION, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("network", "highlight"),
        Output(ids.NETWORK, "figure", allow_duplicate=True),
        Input(ids.SELECTION, "data"),
        State(ids.SCENE, "data"),
        State(ids.STEP, "data"),
        State(ids.FIGURE_ROLES, "data"),
        prevent_initial_call=True,
    )
    if context.network.n_actors > FOCUS_OPTIONS_LIMIT:
        for searched in (ids.FOCUS_ACTOR, ids.PAIR_A, ids.PAIR_B):
            wire(
                app,
                context,
                search_focus,
                output=Output(searched, "options"),
                inputs={
                    "text": Input(searched, "search_value"),
                    "chosen": Input(searched, "value"),
                },
                parsers={"text": text_value(200), "chosen": text_value(controls.TEXT_LIMIT)},
                # The page starts with no options; a first call could race a link's value.
                prevent_initial_call=True,
            )
    wire(
        app,
        context,
        type_options,
        output=Output(ids.ACTOR_TYPE_FILTER, "options"),
        inputs={"match": Input(ids.ACTOR_TYPE_MATCH, "value")},
        parsers={"match": parse_type_match},
        prevent_initial_call=True,
    )
    # The time range's text follows the thumbs in the browser (web/time_panel.py).
    wire(
        app,
        context,
        select,
        output={
            "selection": Output(ids.SELECTION, "data"),
            "a": Output(ids.PAIR_A, "value"),
            "b": Output(ids.PAIR_B, "value"),
            "a_options": Output(ids.PAIR_A, "options", allow_duplicate=True),
            "b_options": Output(ids.PAIR_B, "options", allow_duplicate=True),
        },
        inputs={
            "click": Input(ids.NETWORK, "clickData"),
            "card_clicks": Input({"type": ids.CARD_EDGE, "edge": ALL}, "n_clicks"),
            "pair_edge_clicks": Input(
                {"type": ids.PAIR_EDGE, "edge": ALL, "place": ALL}, "n_clicks"
            ),
            "pair_clicks": Input({"type": ids.CARD_PAIR, "a": ALL, "b": ALL}, "n_clicks"),
            "pair_a": Input(ids.PAIR_A, "value"),
            "pair_b": Input(ids.PAIR_B, "value"),
            # A selection made elsewhere (URL, Reset, empty space) sets the pickers.
            "view": {
                **dependencies(State, FILTER_CONTROLS),
                "selection": Input(*VIEW_CONTROLS["selection"]),
            },
        },
        state={"figure_roles": State(ids.FIGURE_ROLES, "data")},
        parsers={
            **view_parser,
            "click": parse_click,
            "card_clicks": as_is,
            "pair_edge_clicks": as_is,
            "pair_clicks": as_is,
            "pair_a": parse_picked_actor,
            "pair_b": parse_picked_actor,
            "figure_roles": string_list,
        },
        prevent_initial_call=True,
    )
    wire(
        app,
        context,
        show_evidence,
        output={
            "panel": Output(ids.EVIDENCE, "children"),
            "tools": Output(ids.EVIDENCE_TOOLS, "style"),
        },
        inputs={
            "view": _view_group(Input, Input, State),
            "page": Input(ids.EVIDENCE_PAGE, "data"),
            "order": Input(ids.EVIDENCE_ORDER, "value"),
            "search": Input(ids.EVIDENCE_SEARCH, "value"),
        },
        parsers={
            **view_parser,
            "page": parse_page,
            "order": parse_order,
            "search": text_value(200),
        },
    )
    wire(
        app,
        context,
        turn_page,
        output=Output(ids.EVIDENCE_PAGE, "data"),
        inputs={
            "previous": Input(ids.EVIDENCE_PREVIOUS, "n_clicks"),
            "next": Input(ids.EVIDENCE_NEXT, "n_clicks"),
            "selection": Input(*VIEW_CONTROLS["selection"]),
            "order": Input(ids.EVIDENCE_ORDER, "value"),
            "search": Input(ids.EVIDENCE_SEARCH, "value"),
        },
        state={"page": State(ids.EVIDENCE_PAGE, "data")},
        parsers={
            "previous": as_is,
            "next": as_is,
            "selection": as_is,
            "order": as_is,
            "search": as_is,
            "page": parse_page,
        },
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
        state={"override": State(ids.POSITIONS_OVERRIDE, "data")},
        parsers={**view_parser, "relayout": as_is, "reset": as_is, "override": parse_override},
        prevent_initial_call=True,
    )


def parse_layout(value, _context=None) -> str:
    return controls.parse_choice(value, controls.LAYOUTS, controls.DEFAULT_LAYOUT, "layout", [])
