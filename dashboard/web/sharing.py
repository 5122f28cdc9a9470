"""Callbacks that share a view: the URL, figure exports and data exports.

The URL is written as the user works and read once when the page opens (or on Reset,
which restores the full view the same way), so a link reopens the same view.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, dcc, no_update
from flask import request

from dashboard.draw.report_figure import IMAGE_FORMATS, ExportError, report_figure
from dashboard.export.data_files import claims_csv, graph_file
from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache
from dashboard.query.filters import STANCES, apply_filters
from dashboard.query.view_state import ViewState, file_stem
from dashboard.web import components, ids, limits
from dashboard.web.background import Background, client_gone_check
from dashboard.web.callbacks import FILTER_INPUTS, FILTER_STATES, choice, view_state, with_override
from dashboard.web.url_codec import from_query, to_query

VIEW_STATES = [
    *FILTER_STATES,
    State(ids.LAYOUT_CHOICE, "value"),
    State(ids.SIZE_BY, "value"),
    State(ids.SELECTION, "data"),
]


def control_values(state: ViewState, network: Network) -> list:
    """The inverse of :func:`view_state`: what each control shows for ``state``."""
    f = state.filters
    first, last = f.years or network.year_bounds or (0, 0)
    selection = state.selection
    return [
        [first, last],
        ["show"] if f.include_undated else [],
        sorted(f.sources),
        sorted(f.relations),
        sorted(f.actor_types),
        sorted(f.stances) or list(STANCES),
        f.min_sources,
        f.focus,
        f.depth,
        state.layout,
        state.size_by,
        None if selection is None else {"kind": selection.kind, "index": selection.index},
    ]


def register_sharing_callbacks(
    app: Dash,
    network: Network,
    layouts: LayoutCache,
    title: str,
    engine_problem: str | None,
    background: Background | None = None,
) -> None:
    background = background or Background.create()

    @app.callback(
        *[
            Output(c.component_id, c.component_property, allow_duplicate=True)
            for c in FILTER_INPUTS
        ],
        Output(ids.LAYOUT_CHOICE, "value"),
        Output(ids.SIZE_BY, "value"),
        Output(ids.SELECTION, "data", allow_duplicate=True),
        Output(ids.URL_NOTICE, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.RESET, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.LAYOUT_CHOICE, "value"),
        State(ids.SIZE_BY, "value"),
        prevent_initial_call="initial_duplicate",
    )
    def apply_view_state(_path, _reset, search, layout, size_by):
        """On opening the page: the view the URL names. On Reset: the full view."""
        if ctx.triggered_id == ids.RESET:
            state = ViewState(
                layout=layout or ViewState.layout, size_by=size_by or ViewState.size_by
            )
            return [*control_values(state, network), None]
        search, too_long = limits.query(search)
        if too_long:
            return [*control_values(ViewState(), network), components.url_notice([too_long])]
        if not search:
            return [no_update] * (len(FILTER_INPUTS) + 4)  # the page already shows the full view
        state, notices = from_query(search, network)
        return [*control_values(state, network), components.url_notice(notices)]

    @app.callback(
        Output(ids.URL, "search"),
        *FILTER_INPUTS,
        Input(ids.LAYOUT_CHOICE, "value"),
        Input(ids.SIZE_BY, "value"),
        Input(ids.SELECTION, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def write_url(*values):
        *values, current = values
        query = to_query(view_state(network, *values), network)
        return query if query != (current or "") else no_update

    @app.callback(
        Output(ids.DOWNLOAD_FIGURE, "data"),
        Output(ids.EXPORT_STATUS, "children"),
        Input(ids.EXPORT_FIGURE, "n_clicks"),
        State(ids.EXPORT_TITLE, "value"),
        State(ids.EXPORT_FORMAT, "value"),
        State(ids.EXPORT_SCALE, "value"),
        State(ids.POSITIONS_OVERRIDE, "data"),
        *VIEW_STATES,
        prevent_initial_call=True,
        running=[(Output(ids.EXPORT_FIGURE, "disabled"), True, False)],
    )
    def export_figure(_clicks, figure_title, file_format, scale, override, *values):
        if engine_problem:
            return no_update, engine_problem
        file_format = choice(file_format, IMAGE_FORMATS, "png")
        figure_title, problem = limits.export_title(figure_title, title)
        if problem:
            return no_update, problem
        state = view_state(network, *values)
        view = apply_filters(network, state.filters)
        positions = with_override(layouts.get(state.layout), state.layout, override)
        sizing = (
            background.betweenness.wait(view, background.export_budget / 2)
            if state.size_by == "betweenness"
            else None
        )
        figure = report_figure(view, positions, state, figure_title, title, sizing=sizing)
        # Drawn by Chromium in a worker process, within a time budget; stopped if the
        # browser that asked has gone.
        try:
            image = background.export_image(
                figure.to_plotly_json(),
                file_format,
                _scale(scale),
                client_gone_check(request.environ),
            )
        except ExportError as exc:
            return no_update, str(exc)
        if image is None:
            return no_update, no_update
        name = f"{file_stem(state, network, figure_title)}.{file_format}"
        return dcc.send_bytes(image, name), f"Exported {name}."

    @app.callback(
        Output(ids.DOWNLOAD_DATA, "data"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        Input(ids.EXPORT_GRAPHML, "n_clicks"),
        Input(ids.EXPORT_GEXF, "n_clicks"),
        *VIEW_STATES,
        prevent_initial_call=True,
    )
    def export_data(_csv, _graphml, _gexf, *values):
        state = view_state(network, *values)
        view = apply_filters(network, state.filters)
        stem = file_stem(state, network, title)
        if ctx.triggered_id == ids.EXPORT_CSV:
            return dcc.send_string(claims_csv(view), f"{stem}_claims.csv")
        file_format = "graphml" if ctx.triggered_id == ids.EXPORT_GRAPHML else "gexf"
        return dcc.send_bytes(graph_file(view, file_format), f"{stem}.{file_format}")


def _scale(value) -> float:
    try:
        return min(max(float(value), 0.5), 6.0)
    except (TypeError, ValueError):
        return 2.0
