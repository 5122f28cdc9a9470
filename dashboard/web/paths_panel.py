"""The page's "Why are A and B connected?" part: its controls, the paths with every
hop's evidence, and the chosen path drawn on the map.

Controls sit in the side panel; the paths show above the evidence panel, each a
collapsible list of hops, each hop a collapsible list of its claims rendered exactly as
the evidence panel renders an edge (:func:`panels.edge_panel`). The map shows the chosen
path as overlays the figure's assembler draws on top, fading the rest. Bodies are module-level functions wired by name (:mod:`wiring`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from dash import ALL, Dash, Input, Output, dcc, html, no_update

from dashboard.draw.path_overlay import path_overlay
from dashboard.graph import Network
from dashboard.query.evidence import edges_evidence
from dashboard.query.filters import FilterState, View, apply_filters
from dashboard.query.paths import (
    DEFAULT_HOPS,
    DEFAULT_PATHS,
    ENUMERATION_LIMIT,
    MAX_HOPS,
    MAX_PATHS,
    Hop,
    Path,
    PathQuery,
    PathResult,
    find_paths,
)
from dashboard.query.served import refused, serves_from_duckdb
from dashboard.query.view_state import ViewState
from dashboard.text import plural
from dashboard.web import controls, ids, panels
from dashboard.web.callbacks import parse_view, search_focus, with_override
from dashboard.web.controls import FILTER_CONTROLS, PATH_CONTROLS, dependencies
from dashboard.web.page import FOCUS_OPTIONS_LIMIT, focus_options_for
from dashboard.web.wiring import AppContext, Trigger, as_is, text_value, wire

# Claims rendered for all the paths together; beyond it, only the chosen path's hops
# carry their claims (the others say how to read them).
EVIDENCE_BUDGET = 400


def _field(label: str, control) -> html.Div:
    return html.Div([html.Label(label, className="field-label"), control], className="field")


def path_controls(network) -> list:
    """The side panel's "Paths" section: two actors, a hop limit, direction, how many."""
    searched = network.n_actors > FOCUS_OPTIONS_LIMIT
    options = [] if searched else focus_options_for(network, range(network.n_actors))
    placeholder = (
        f"Type to search {network.n_actors:,} actors" if searched else "Search by name or alias"
    )

    def actor_picker(component_id: str) -> dcc.Dropdown:
        return dcc.Dropdown(
            id=component_id, options=options, value=None, placeholder=placeholder, clearable=True
        )

    return [
        html.H2("Paths"),
        html.Small(
            "How are two actors linked, and on whose word? Paths use the claims that pass "
            "the filters.",
            className="field-hint",
        ),
        _field("From", actor_picker(ids.PATH_FROM)),
        _field("To", actor_picker(ids.PATH_TO)),
        _field(
            "Maximum hops",
            dcc.Slider(
                id=ids.PATH_HOPS,
                min=1,
                max=MAX_HOPS,
                step=1,
                value=DEFAULT_HOPS,
                marks={n: str(n) for n in range(1, MAX_HOPS + 1)},
            ),
        ),
        dcc.Checklist(
            id=ids.PATH_DIRECTED,
            options=[{"label": " Follow the direction of relations", "value": controls.DIRECTED}],
            value=[],
            className="switch",
        ),
        _field(
            "Number of paths",
            dcc.Input(
                id=ids.PATH_K,
                type="number",
                min=1,
                max=MAX_PATHS,
                step=1,
                value=DEFAULT_PATHS,
                debounce=True,
            ),
        ),
        dcc.Store(id=ids.PATH_PICK, data=1),
    ]


def path_results() -> html.Div:
    """Where the paths show, above the evidence panel."""
    return html.Div(id=ids.PATH_RESULTS, className="path-results")


# Rendering ---------------------------------------------------------------------------


def results_children(view: View, result: PathResult) -> list:
    """The paths, best first, each hop with its evidence; or why there is none."""
    net = view.network
    query = result.query
    ends = [net.actor_names[net.actor_code[a]] for a in (query.start, query.end)]
    children: list = [html.H2(["Paths: ", html.Span(ends[0], className="actor"), " → ",
                               html.Span(ends[1], className="actor")])]  # fmt: skip
    direction = "following the direction of relations" if query.directed else "either direction"
    if not result.paths:
        children.append(
            html.P(
                f"No path of at most {plural(query.max_hops, 'hop')} ({direction}) over the "
                "asserted claims that pass the filters.",
                className="summary",
            )
        )
        children.append(html.Ul([html.Li(hint) for hint in result.hints], className="path-hints"))
        return children
    children.append(
        html.P(
            f"{plural(len(result.paths), 'path')} of at most {plural(query.max_hops, 'hop')} "
            f"({direction}), best first: fewest hops, then the strongest weakest hop "
            "(distinct sources), then the most claims.",
            className="summary",
        )
    )
    if result.capped_at is not None:
        children.append(
            html.P(
                f"More than {ENUMERATION_LIMIT:,} paths of {result.capped_at} hops: these are "
                f"the best among the first {ENUMERATION_LIMIT:,} found.",
                className="notice",
            )
        )
    chosen = result.chosen_index
    total = sum(view.edge_claims[e] for p in result.paths for h in p.hops for e in h.edges)
    rendered = result.paths if total <= EVIDENCE_BUDGET else [result.chosen]
    evidence = edges_evidence(view, [e for p in rendered for h in p.hops for e in h.edges])
    for number, path in enumerate(result.paths):
        with_claims = total <= EVIDENCE_BUDGET or number == chosen
        children.append(_path_item(view, path, number, number == chosen, with_claims, evidence))
    return children


def _path_item(
    view: View, path: Path, number: int, chosen: bool, with_claims: bool, evidence: dict
) -> html.Details:
    net = view.network
    contested = sum(hop.contested for hop in path.hops)
    facts = (
        f" · {plural(path.n_hops, 'hop')} · weakest hop {plural(path.weakest, 'source')}"
        f" · {plural(path.claims, 'claim')}"
    )
    summary = [
        html.Strong(f"Path {number + 1}: "),
        html.Span(" → ".join(net.actor_names[c] for c in path.actors)),
        html.Span(facts, className="muted"),
    ]
    if contested:
        summary.append(
            html.Span(f" · ⚠ {plural(contested, 'contested hop')}", className="contested")
        )
    button = html.Button(
        "Shown on the map" if chosen else "Show on the map",
        id={"type": ids.PATH_CHOOSE, "index": number + 1},
        className="link-button",
        n_clicks=0,
        disabled=chosen,
    )
    hops = [
        html.Li(_hop_item(view, hop, step, with_claims, evidence), className="path-hop")
        for step, hop in enumerate(path.hops, start=1)
    ]
    return html.Details(
        [html.Summary(summary), button, html.Ol(hops, className="path-hops")],
        open=chosen,
        className="path" + (" chosen" if chosen else ""),
    )


def _hop_item(view: View, hop: Hop, step: int, with_claims: bool, evidence: dict) -> html.Details:
    net = view.network
    relations = ", ".join(
        f"{net.edges['relation'].iat[e]} {'→' if net.edge_from[e] == hop.from_code else '←'}"
        for e in hop.edges
    )
    summary = [
        html.Strong(
            f"Hop {step}: {net.actor_names[hop.from_code]} – {net.actor_names[hop.to_code]}"
        ),
        html.Span(f" · {relations}", className="relation"),
        html.Span(
            f" · {plural(hop.sources, 'source')} · {plural(hop.claims, 'asserting claim')}",
            className="muted",
        ),
    ]
    if hop.contested:
        summary.append(html.Span(" · ⚠ contested", className="contested"))
    if hop.single_source:
        summary.append(html.Span(" · single source", className="single-source"))
    if not with_claims:
        body = [html.P("Show this path on the map to read its claims.", className="muted")]
    else:
        body = []
        for edge in hop.edges:
            body.append(html.Div(panels.edge_panel(evidence[edge]), className="path-edge"))
    return html.Details([html.Summary(summary), *body], className="hop")


# Callbacks ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _answer(network: Network, filters: FilterState, query: PathQuery) -> tuple[View, PathResult]:
    """The filtered view and its paths: a memo of a pure function, since the list and the
    map ask the same question at once (and the map again after each new figure)."""
    view = apply_filters(network, filters)
    return view, find_paths(view, query, filters)


def answer(network: Network, state: ViewState) -> tuple[View, PathResult]:
    """The paths ``state`` asks for, whichever of them it picks."""
    view, result = _answer(network, state.filters, replace(state.path, pick=0))
    return view, replace(result, query=state.path)


def show_paths(context: AppContext, view: ViewState) -> list:
    """The paths for the question in the side panel, over the filtered claims."""
    if view.path is None:
        return []
    if serves_from_duckdb(context.network):
        return [html.P(refused(context.network, "paths"), className="muted")]
    return results_children(*answer(context.network, view))


def choose_path(context: AppContext, trigger: Trigger):
    """A path's "Show on the map" button makes it the chosen one (numbered from 1)."""
    if not isinstance(trigger.id, dict) or not trigger.value:
        return no_update  # the buttons were just drawn; nothing was clicked
    number = trigger.id.get("index")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_PATHS:
        return no_update
    return number


def draw_path(context: AppContext, view: ViewState, override):
    """The chosen path as overlays for the map (the figure's assembler draws them on top
    and fades the rest), or None when no path is asked for or found."""
    if view.path is None or serves_from_duckdb(context.network):
        return None
    layout = context.layouts.ready_now(view.layout)
    if not layout.ready:
        return no_update
    shown, result = answer(context.network, view)
    positions = with_override(layout.positions, view.layout, override)
    return path_overlay(shown, positions, result.chosen)


def register_path_callbacks(app: Dash, context: AppContext) -> None:
    view_parser = {"view": parse_view}
    wire(
        app,
        context,
        show_paths,
        output=Output(ids.PATH_RESULTS, "children"),
        inputs={
            "view": {**dependencies(Input, FILTER_CONTROLS), **dependencies(Input, PATH_CONTROLS)}
        },
        parsers=view_parser,
    )
    wire(
        app,
        context,
        choose_path,
        output=Output(ids.PATH_PICK, "data", allow_duplicate=True),
        inputs={"clicks": Input({"type": ids.PATH_CHOOSE, "index": ALL}, "n_clicks")},
        parsers={"clicks": as_is},
        prevent_initial_call=True,
    )
    # draw_path is wired with the other overlays (web/overlays.py).
    if context.network.n_actors > FOCUS_OPTIONS_LIMIT:
        for picker in (ids.PATH_FROM, ids.PATH_TO):
            wire(
                app,
                context,
                search_focus,
                output=Output(picker, "options"),
                inputs={
                    "text": Input(picker, "search_value"),
                    "chosen": Input(picker, "value"),
                },
                parsers={"text": text_value(200), "chosen": text_value(controls.TEXT_LIMIT)},
            )
