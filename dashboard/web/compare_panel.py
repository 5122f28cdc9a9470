"""Two periods compared, in the page: the controls (side panel), the table of changes
with their counts (above the evidence panel), each row opening the claims behind it in
both periods, and the map's overlay (see :mod:`dashboard.draw.compare_overlay`).

Bodies are module-level functions wired by name (:mod:`wiring`).
"""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, dcc, html, no_update

from dashboard.draw.compare_overlay import LOOKS, compare_overlay
from dashboard.graph import Network
from dashboard.query import periods
from dashboard.query.compare import CHANGED, STATUSES, Comparison, compare_periods, listed
from dashboard.query.evidence import edge_evidence
from dashboard.query.served import refused, serves_from_duckdb
from dashboard.query.view_state import ViewState
from dashboard.text import plural
from dashboard.web import ids, panels
from dashboard.web.callbacks import parse_view, with_override
from dashboard.web.controls import FILTER_CONTROLS, TIME_CONTROLS, dependencies
from dashboard.web.time_controls import COMPARE_ON
from dashboard.web.time_slider import time_range_slider
from dashboard.web.wiring import AppContext, Trigger, as_is, wire

ROW_LIMIT = 300  # rows in the table; the counts above it cover them all
COMPARE_INPUTS = {k: TIME_CONTROLS[k] for k in ("compare", "compare_a", "compare_b")}


def compare_controls(network: Network) -> list:
    """The side panel's "Compare two periods" section."""
    dated = periods.time_scale(network) is not None

    def field(label, control):
        return html.Div([html.Label(label, className="field-label"), control], className="field")

    return [
        html.H2("Compare two periods"),
        dcc.Checklist(
            id=ids.COMPARE_ON,
            options=[{"label": " Compare period A with period B", "value": COMPARE_ON, "disabled": not dated}],
            value=[],
            className="switch",
        ),
        field("Period A", time_range_slider(network, ids.COMPARE_A)),
        field("Period B", time_range_slider(network, ids.COMPARE_B)),
        html.Small(
            "The map shows edges only in A, only in B, in both, and those whose family or "
            "stance changed between them (per pair of actors); undated claims are left out.",
            className="field-hint",
        ),
    ]  # fmt: skip


def compare_results() -> list:
    """Where the table shows, above the evidence panel, with the chosen row's claims."""
    return [
        html.Div(id=ids.COMPARE_RESULTS, className="compare-results"),
        html.Div(id=ids.COMPARE_CLAIMS, className="compare-claims"),
    ]


def comparison_for(context: AppContext, view: ViewState) -> Comparison | None:
    if view.time.compare is None or serves_from_duckdb(context.network):
        return None
    a, b = view.time.compare
    return compare_periods(context.network, view.filters, a, b, views=context.views)


def _swatch(status: int) -> html.Span:
    look = LOOKS[status]
    border = f"{min(look['width'], 4)}px {'dashed' if look['dash'] == 'dash' else 'solid'} {look['color']}"
    return html.Span(className="compare-swatch", style={"borderTop": border})


def table_children(comparison: Comparison) -> list:
    net = comparison.network
    names = comparison.status_names()
    counts = comparison.counts()
    children: list = [
        html.H2(["Compared: A = ", comparison.label_a, ", B = ", comparison.label_b]),
        html.Ul(
            [html.Li([_swatch(s), f" {names[s]}: {counts[s]:,}"]) for s in (CHANGED, 1, 0, 2)],
            className="compare-counts",
        ),
    ]
    rows = listed(comparison)
    header = html.Tr([html.Th(t) for t in ("", "edge", "A", "B", "")])
    body = []
    for edge, status in rows[:ROW_LIMIT]:
        from_id, to_id, relation = net.edge_key(edge)
        who = [
            html.Strong(net.actor_names[net.actor_code[from_id]]),
            f" {relation} ",
            html.Strong(net.actor_names[net.actor_code[to_id]]),
        ]
        if status == CHANGED:
            before = "; ".join(comparison.pair_families(edge, "a")) or "nothing"
            after = "; ".join(comparison.pair_families(edge, "b")) or "nothing"
            who += [html.Br(), html.Small(f"A: {before} → B: {after}", className="muted")]
        body.append(
            html.Tr(
                [
                    html.Td(_swatch(status), title=names[status]),
                    html.Td(who),
                    html.Td(_period_cell(comparison, edge, "a")),
                    html.Td(_period_cell(comparison, edge, "b")),
                    html.Td(
                        html.Button(
                            "claims",
                            id={"type": ids.COMPARE_ROW, "edge": edge},
                            className="link-button",
                            n_clicks=0,
                            title="The claims behind this edge in both periods",
                        )
                    ),
                ],
                className=f"compare-row compare-{STATUSES[status]}",
            )
        )
    children.append(html.Table([html.Thead(header), html.Tbody(body)], className="compare-table"))
    if len(rows) > ROW_LIMIT:
        children.append(
            html.P(f"… and {len(rows) - ROW_LIMIT:,} more (kept edges last).", className="muted")
        )
    return children


def _period_cell(comparison: Comparison, edge: int, period: str) -> str:
    view = comparison.view_a if period == "a" else comparison.view_b
    claims = int(view.edge_claims[edge])
    if not claims:
        return "—"
    stance = comparison.stance(edge, period)
    return plural(claims, "claim") + (" (denied)" if stance == "denies" else "")


# Callbacks ---------------------------------------------------------------------------


def show_comparison(context: AppContext, view: ViewState) -> list:
    if view.time.compare is not None and serves_from_duckdb(context.network):
        return [html.P(refused(context.network, "compare"), className="muted")]
    comparison = comparison_for(context, view)
    return [] if comparison is None else table_children(comparison)


def show_claims(context: AppContext, view: ViewState, trigger: Trigger) -> list:
    """The claims behind a row's edge in period A and in period B."""
    if isinstance(trigger.id, dict) and not trigger.value:
        return no_update  # the table was just drawn; nothing was clicked
    comparison = comparison_for(context, view)
    if comparison is None or not isinstance(trigger.id, dict):
        return []
    edge = trigger.id.get("edge")
    if (
        isinstance(edge, bool)
        or not isinstance(edge, int)
        or not 0 <= edge < len(context.network.edges)
    ):
        return no_update
    children: list = []
    for period, label, shown in (
        ("A", comparison.label_a, comparison.view_a),
        ("B", comparison.label_b, comparison.view_b),
    ):
        evidence = edge_evidence(shown, edge)
        children.append(html.H3(f"Period {period}: {label}", className="compare-period"))
        if evidence.claims:
            children += panels.edge_panel(evidence)
        else:
            children.append(html.P(f"No claim of this edge in {label}.", className="muted"))
    return children  # fmt: skip


def draw_compare(context: AppContext, view: ViewState, override) -> dict | None:
    """The comparison as overlays for the map, or None when nothing is compared."""
    comparison = comparison_for(context, view)
    if comparison is None:
        return None
    layout = context.layouts.ready_now(view.layout)
    if not layout.ready:
        return no_update
    return compare_overlay(comparison, with_override(layout.positions, view.layout, override))


def register_compare_callbacks(app: Dash, context: AppContext) -> None:
    # The periods replace the time range: the slider's moves change nothing here.
    untimed = {k: v for k, v in FILTER_CONTROLS.items() if k not in ("years", "undated")}
    view_inputs = {**dependencies(Input, untimed), **dependencies(Input, COMPARE_INPUTS)}
    wire(
        app,
        context,
        show_comparison,
        output=Output(ids.COMPARE_RESULTS, "children"),
        inputs={"view": view_inputs},
        parsers={"view": parse_view},
    )
    wire(
        app,
        context,
        show_claims,
        output=Output(ids.COMPARE_CLAIMS, "children"),
        inputs={
            "rows": Input({"type": ids.COMPARE_ROW, "edge": ALL}, "n_clicks"),
            "view": {**dependencies(State, untimed), **dependencies(Input, COMPARE_INPUTS)},
        },
        parsers={"rows": as_is, "view": parse_view},
        prevent_initial_call=True,
    )
