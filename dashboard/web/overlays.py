"""What the map draws on top: the chosen path between two actors and the comparison of
two periods, in one ``OVERLAYS`` store (the figure's assemblers append them, fading the
map to the lower of their fades). One callback writes it, so neither hides the other.
"""

from __future__ import annotations

from dash import Dash, Input, Output, no_update

from dashboard.query.view_state import ViewState
from dashboard.web import controls, ids
from dashboard.web.callbacks import parse_override, parse_view
from dashboard.web.compare_panel import COMPARE_INPUTS, draw_compare
from dashboard.web.controls import FILTER_CONTROLS, PATH_CONTROLS, dependencies
from dashboard.web.paths_panel import draw_path
from dashboard.web.wiring import AppContext, wire


def draw_overlays(context: AppContext, view: ViewState, override):
    """The path and the comparison, whichever are asked for; None when neither is."""
    parts = [draw_compare(context, view, override), draw_path(context, view, override)]
    if any(part is no_update for part in parts):
        return no_update  # a layout is still being computed
    parts = [part for part in parts if part]
    if not parts:
        return None
    return {
        "traces": [trace for part in parts for trace in part["traces"]],
        "fade": min(part["fade"] for part in parts),
    }


def register_overlay_callbacks(app: Dash, context: AppContext) -> None:
    wire(
        app,
        context,
        draw_overlays,
        output=Output(ids.OVERLAYS, "data"),
        inputs={
            "view": {
                **dependencies(Input, FILTER_CONTROLS),
                "layout": Input(*controls.DISPLAY_CONTROLS["layout"]),
                **dependencies(Input, PATH_CONTROLS),
                **dependencies(Input, COMPARE_INPUTS),
            },
            "override": Input(ids.POSITIONS_OVERRIDE, "data"),
        },
        parsers={"view": parse_view, "override": parse_override},
        prevent_initial_call=True,
    )
