"""Time in the page: the time slider, the timeline under the map, and playback.

- The **time slider** works in the data's time unit (years; months or days for short
  spans, see :mod:`dashboard.query.periods`).
- The **timeline** (``timeline``) shows claims per period stacked by family or stance,
  with the undated ones beside it; a brush or a click on it sets the time range, and
  the slider and the URL follow. The range is shaded as it moves, in the browser.
- **Playback** steps a window through the data's span. The server sends the frames and,
  once the user plays, a pack from which the browser draws each frame itself
  (:mod:`dashboard.draw.playback`, assets/playback.js); pausing commits the frame to the
  time slider, so the server redraws the same view and the URL holds it.

Bodies are module-level functions wired by name (:mod:`wiring`).
"""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from dashboard.draw.playback import playback_pack
from dashboard.draw.timeline_figure import HEIGHT, timeline_figure
from dashboard.graph import Network
from dashboard.query import periods
from dashboard.query.served import refused, serves_from_duckdb
from dashboard.query.timeline import _bin_width, frames, histogram
from dashboard.query.view_state import ViewState
from dashboard.web import controls, ids
from dashboard.web.callbacks import parse_view
from dashboard.web.controls import FILTER_CONTROLS, TIME_CONTROLS, dependencies
from dashboard.web.time_controls import (
    DEFAULT_SPEED,
    SPEEDS,
    step_options,
    unit_of,
    window_options,
)
from dashboard.web.wiring import AppContext, wire

# The filters that decide what the timeline counts and what playback draws: all but
# the time range itself (and, for the timeline, whether undated claims show).
UNTIMED_FILTERS = {k: v for k, v in FILTER_CONTROLS.items() if k not in ("years", "undated")}


def scale_store(network: Network) -> dict | None:
    scale = periods.time_scale(network)
    return None if scale is None else {**scale.to_json(), "binWidth": _bin_width(scale)}


def _labelled(label: str, control) -> html.Label:
    return html.Label([html.Span(label, className="time-label"), control], className="time-field")


def time_strip(network: Network) -> html.Div:
    """Under the map: playback's controls and the timeline."""
    unit = unit_of(network)
    dated = periods.time_scale(network) is not None

    def picker(component_id, options, value):
        return dcc.Dropdown(
            id=component_id, options=options, value=value, clearable=False, searchable=False,
            className="time-dropdown",
        )  # fmt: skip

    return html.Div(
        className="time-strip",
        children=[
            html.Div(
                className="play-controls",
                children=[
                    html.Button(
                        "◀",
                        id=ids.PLAY_PREVIOUS,
                        title="Previous frame",
                        n_clicks=0,
                        className="button secondary",
                        disabled=not dated,
                    ),
                    html.Button(
                        "▶ Play", id=ids.PLAY, n_clicks=0, className="button", disabled=not dated
                    ),
                    html.Button(
                        "▶",
                        id=ids.PLAY_NEXT,
                        title="Next frame",
                        n_clicks=0,
                        className="button secondary",
                        disabled=not dated,
                    ),
                    _labelled(
                        "window",
                        picker(
                            ids.PLAY_WINDOW, window_options(unit), window_options(unit)[0]["value"]
                        ),
                    ),
                    _labelled(
                        "step",
                        picker(ids.PLAY_STEP, step_options(unit), step_options(unit)[0]["value"]),
                    ),
                    _labelled(
                        "speed",
                        picker(
                            ids.PLAY_SPEED,
                            [{"label": f"{s:g} / s", "value": s} for s in SPEEDS],
                            DEFAULT_SPEED,
                        ),
                    ),
                    _labelled(
                        "bars by",
                        dcc.RadioItems(
                            id=ids.TIMELINE_STACK,
                            options=[
                                {"label": " family", "value": "family"},
                                {"label": " stance", "value": "stance"},
                            ],
                            value="family",
                            inline=True,
                        ),
                    ),
                    html.Span(id=ids.PLAY_FRAME, className="play-frame", role="status"),
                ],
            ),
            html.Div(
                className="timeline-box",
                children=[
                    dcc.Graph(
                        id=ids.TIMELINE,
                        config={"displayModeBar": False, "doubleClick": False},
                        style={"height": f"{HEIGHT}px"},
                        figure=timeline_figure(None)
                        if not dated
                        else {"data": [], "layout": {"height": HEIGHT}},
                    ),
                    html.Div(id=ids.TIMELINE_SHADE, className="timeline-shade", hidden=True),
                ],
            ),
            dcc.Store(id=ids.TIME_SCALE, data=scale_store(network)),
            dcc.Store(id=ids.PLAY_STATE, data={"playing": False, "frame": -1}),
            dcc.Store(id=ids.PLAY_ARMED, data=False),
            dcc.Store(id=ids.PLAY_FRAMES, data=None),
            dcc.Store(id=ids.PLAY_PACK, data=None),
            dcc.Interval(id=ids.PLAY_TIMER, interval=1000, disabled=True),
        ],
    )


# Callbacks ---------------------------------------------------------------------------


def draw_timeline(context: AppContext, view: ViewState) -> dict:
    """Claims per period under the filters other than time, undated ones beside."""
    if serves_from_duckdb(context.network):  # claims per period would need every claim
        figure = timeline_figure(None)
        figure["layout"]["annotations"][0]["text"] = refused(context.network, "timeline")
        return figure
    untimed = replace(view.filters.without_time(), include_undated=True)
    figure = timeline_figure(histogram(context.views(untimed), view.time.stack))
    scale = periods.time_scale(context.network)
    if scale is not None and view.filters.day_range is not None:
        low, high = scale.values(*view.filters.day_range)
        figure["layout"]["shapes"] = [
            {"type": "rect", "xref": "x", "yref": "paper", "x0": low - 0.5, "x1": high + 0.5,
             "y0": 0, "y1": 1, "fillcolor": "rgba(37, 99, 235, 0.13)",
             "line": {"width": 1, "color": "#2563eb"}, "layer": "below"}
        ]  # fmt: skip
    return figure


def play_frames(context: AppContext, view: ViewState) -> dict | None:
    """Each frame's period (first day, last day, label) and its time slider values."""
    scale = periods.time_scale(context.network)
    if scale is None:
        return None
    found = frames(scale, view.time.playback)
    return {
        "frames": [list(f) for f in found],
        "values": [list(scale.values(f[0], f[1])) for f in found],
    }


def play_pack(context: AppContext, view: ViewState, armed) -> dict:
    """What the browser needs to draw every frame itself, once the user plays."""
    if armed is not True:
        return no_update
    if serves_from_duckdb(context.network):  # frames come from the server's step callback
        return {"fallback": "Frames of data served from DuckDB are filtered on the server."}
    return playback_pack(context.network, view.filters, view.time.playback, view.size_by)


def parse_armed(value, _context=None) -> bool:
    return value is True


def register_time_callbacks(app: Dash, context: AppContext) -> None:
    view_parser = {"view": parse_view}
    wire(
        app,
        context,
        draw_timeline,
        output=Output(ids.TIMELINE, "figure"),
        inputs={
            "view": {
                **dependencies(Input, UNTIMED_FILTERS),
                "stack": Input(*TIME_CONTROLS["stack"]),
                "years": State(*FILTER_CONTROLS["years"]),
            }
        },
        parsers=view_parser,
    )
    wire(
        app,
        context,
        play_frames,
        output=Output(ids.PLAY_FRAMES, "data"),
        inputs={
            "view": {
                "play_window": Input(*TIME_CONTROLS["play_window"]),
                "play_step": Input(*TIME_CONTROLS["play_step"]),
            }
        },
        parsers=view_parser,
    )
    wire(
        app,
        context,
        play_pack,
        output=Output(ids.PLAY_PACK, "data"),
        inputs={
            "view": {
                **dependencies(Input, UNTIMED_FILTERS),
                "undated": Input(*FILTER_CONTROLS["undated"]),
                "play_window": Input(*TIME_CONTROLS["play_window"]),
                "play_step": Input(*TIME_CONTROLS["play_step"]),
                "size_by": Input(*controls.DISPLAY_CONTROLS["size_by"]),
            },
            "armed": Input(ids.PLAY_ARMED, "data"),
        },
        parsers={**view_parser, "armed": parse_armed},
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("time", "rangeText"),
        Output(ids.TIME_RANGE_TEXT, "children"),
        Input(ids.TIME_RANGE, "value"),
        State(ids.TIME_SCALE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("time", "shade"),
        Output(ids.TIMELINE, "figure", allow_duplicate=True),
        Output(ids.TIMELINE_SHADE, "style"),
        Output(ids.TIMELINE_SHADE, "hidden"),
        Input(ids.TIME_RANGE, "value"),
        Input(ids.PLAY_STATE, "data"),
        State(ids.PLAY_FRAMES, "data"),
        State(ids.TIME_SCALE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("time", "brush"),
        Output(ids.TIME_RANGE, "value", allow_duplicate=True),
        Input(ids.TIMELINE, "selectedData"),
        Input(ids.TIMELINE, "clickData"),
        State(ids.TIME_SCALE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("time", "interval"),
        Output(ids.PLAY_TIMER, "interval"),
        Input(ids.PLAY_SPEED, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("playback", "control"),
        Output(ids.PLAY_STATE, "data"),
        Output(ids.PLAY_ARMED, "data"),
        Output(ids.PLAY_TIMER, "disabled"),
        Output(ids.STEP, "data", allow_duplicate=True),
        Output(ids.COUNTS, "children", allow_duplicate=True),
        Output(ids.TIME_RANGE, "value", allow_duplicate=True),
        Output(ids.PLAY, "children"),
        Output(ids.PLAY_FRAME, "children"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.PLAY_PREVIOUS, "n_clicks"),
        Input(ids.PLAY_NEXT, "n_clicks"),
        Input(ids.PLAY_TIMER, "n_intervals"),
        Input(ids.RESET, "n_clicks"),
        State(ids.PLAY_STATE, "data"),
        State(ids.PLAY_FRAMES, "data"),
        State(ids.PLAY_PACK, "data"),
        State(ids.SCENE, "data"),
        State(ids.TIME_RANGE, "value"),
        State(ids.STEP, "data"),
        prevent_initial_call=True,
    )
