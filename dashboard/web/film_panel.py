"""The page's "Film of the playback" export: the frames of the playback as an animated
GIF, an MP4 or a WebM (see :mod:`dashboard.export.film`), drawn in a worker process
within a time budget and stopped if the browser that asked has gone.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import Dash, Input, Output, State, dcc, html, no_update
from flask import request

from dashboard.draw.report_figure import ExportError
from dashboard.export.film import FILM_FORMATS, film_engine_problem, film_figures, render_film
from dashboard.query.view_state import ViewState, file_stem
from dashboard.web import ids
from dashboard.web.background import client_gone_check
from dashboard.web.callbacks import parse_override, parse_view, with_override
from dashboard.web.controls import VIEW_CONTROLS, dependencies
from dashboard.web.sharing import parse_title
from dashboard.web.time_controls import DEFAULT_SPEED, SPEEDS
from dashboard.web.wiring import AppContext, as_is, wire

FILM_BUDGET = 300.0  # seconds for Chromium to draw every frame and for the encoding


def film_controls() -> list:
    return [
        html.H2("Film of the playback"),
        dcc.RadioItems(
            id=ids.EXPORT_FILM_FORMAT,
            options=[{"label": f" {f.upper()}", "value": f} for f in FILM_FORMATS],
            value="gif",
            inline=True,
        ),
        html.Button("Export film", id=ids.EXPORT_FILM, className="button secondary", n_clicks=0),
        html.Small(
            "One frame per playback step (window and step as under the map, at its speed), "
            "each with its period, the caption and the sources, as figures export.",
            className="field-hint",
        ),
        html.P(id=ids.EXPORT_FILM_STATUS, className="field-hint export-status"),
        dcc.Download(id=ids.DOWNLOAD_FILM),
    ]


def parse_film_format(value, _context=None) -> str:
    return value if value in FILM_FORMATS else "gif"


def parse_speed(value, _context=None) -> float:
    return value if value in SPEEDS else DEFAULT_SPEED


def export_film(
    context: AppContext, title, file_format: str, fps: float, override, view: ViewState
) -> dict:
    problem = film_engine_problem(file_format)
    if problem:
        return {"download": no_update, "status": problem}
    title, problem = title
    if problem:
        return {"download": no_update, "status": problem}
    positions = with_override(context.layouts.get(view.layout), view.layout, override)
    try:
        figures = film_figures(context.network, view, positions, title, context.title)
        film = _render(context, figures, file_format, fps, client_gone_check(request.environ))
    except ExportError as exc:
        return {"download": no_update, "status": str(exc)}
    if film is None:  # the browser that asked has gone
        return {"download": no_update, "status": no_update}
    name = f"{file_stem(view, title)}_film.{file_format}"
    return {
        "download": dcc.send_bytes(film, name),
        "status": f"Exported {name} ({len(figures)} frames).",
    }


def _render(context: AppContext, figures, file_format, fps, client_gone: Callable[[], bool]):
    background = context.background
    if background is None:
        return render_film(figures, file_format, fps)
    return background.render_for(
        client_gone,
        FILM_BUDGET,
        f"The film took longer than {FILM_BUDGET:.0f} s and was stopped; choose a "
        "longer step or narrow the filters, and try again.",
        render_film,
        figures,
        file_format,
        fps,
    )


def register_film_callbacks(app: Dash, context: AppContext) -> None:
    wire(
        app,
        context,
        export_film,
        output={
            "download": Output(ids.DOWNLOAD_FILM, "data"),
            "status": Output(ids.EXPORT_FILM_STATUS, "children"),
        },
        inputs={"clicks": Input(ids.EXPORT_FILM, "n_clicks")},
        state={
            "title": State(ids.EXPORT_TITLE, "value"),
            "file_format": State(ids.EXPORT_FILM_FORMAT, "value"),
            "fps": State(ids.PLAY_SPEED, "value"),
            "override": State(ids.POSITIONS_OVERRIDE, "data"),
            "view": dependencies(State, VIEW_CONTROLS),
        },
        parsers={
            "clicks": as_is,
            "title": parse_title,
            "file_format": parse_film_format,
            "fps": parse_speed,
            "override": parse_override,
            "view": parse_view,
        },
        prevent_initial_call=True,
        running=[(Output(ids.EXPORT_FILM, "disabled"), True, False)],
    )
