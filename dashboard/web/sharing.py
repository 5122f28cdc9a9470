"""Callbacks that share a view: the URL, figure exports and data exports.

The URL is written as the user works and read once when the page opens (or on Reset,
which restores the full view the same way), so a link reopens the same view. Bodies
are module-level functions wired by name; see :mod:`wiring`.
"""

from __future__ import annotations

import math

from dash import Dash, Input, Output, State, dcc, no_update
from flask import request

from dashboard.draw.footnotes import footnotes
from dashboard.draw.report_figure import IMAGE_FORMATS, ExportError
from dashboard.export.citations import bibliography_file
from dashboard.export.data_files import claims_csv, graph_file
from dashboard.export.page_sizes import DEFAULT_SIZE, PAGE_SIZES
from dashboard.export.report import DOCUMENT_FORMATS, export_job, render
from dashboard.query.filters import apply_filters
from dashboard.query.served import refused, serves_from_duckdb
from dashboard.query.view_state import ViewState, file_stem
from dashboard.web import controls, ids, limits, panels
from dashboard.web.background import client_gone_check
from dashboard.web.callbacks import parse_override, parse_view, with_override
from dashboard.web.controls import VIEW_CONTROLS, dependencies
from dashboard.web.page import FOCUS_OPTIONS_LIMIT, focus_options_for
from dashboard.web.url_codec import from_query, to_query
from dashboard.web.wiring import AppContext, Trigger, as_is, text_value, wire

SCALE_RANGE = (0.5, 6.0)


def apply_view_state(context: AppContext, search, shown: ViewState, trigger: Trigger) -> dict:
    """On opening the page: the view the URL names. On Reset: the full view, keeping the
    layout and node size. Controls already showing their value are left alone, so that
    nothing is recomputed for them (a new layout would resend the whole map)."""
    network = context.network
    search, too_long = search
    if trigger.id == ids.RESET:
        state = ViewState(layout=shown.layout, size_by=shown.size_by)
        notice = None
    elif search or too_long:
        state, notices = from_query(search, network)
        notice = panels.url_notice([too_long, *notices] if too_long else notices)
    else:
        return {name: no_update for name in (*VIEW_CONTROLS, "notice", "focus_options")}
    wanted = controls.control_values(state, network)
    current = controls.control_values(shown, network)
    changed = {
        name: value if value != current[name] else no_update for name, value in wanted.items()
    }
    # Above FOCUS_OPTIONS_LIMIT actors the focus list is searched on the server and starts
    # empty; a dropdown drops a value it has no option for, so send the option with it.
    focus_options = no_update
    if state.filters.focus and network.n_actors > FOCUS_OPTIONS_LIMIT:
        focus_options = focus_options_for(network, [network.actor_code[state.filters.focus]])
    return {**changed, "notice": notice, "focus_options": focus_options}


def write_url(context: AppContext, view: ViewState, current) -> str:
    query = to_query(view, context.network)
    return query if query != (current or "") else no_update


def parse_scale(value, _context=None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 2.0
    return min(max(float(value), SCALE_RANGE[0]), SCALE_RANGE[1])


def parse_title(value, context: AppContext) -> tuple[str | None, str | None]:
    """The figure's title, or None and why it is refused (a title too long to draw)."""
    return limits.export_title(value, context.title)


def parse_search(value, _context=None) -> tuple[str, str | None]:
    """The address's query string, or nothing and a notice when it is too long to read."""
    return limits.query(value)


def parse_format(value, _context=None) -> str:
    return value if value in IMAGE_FORMATS else "png"


def parse_size(value, _context=None) -> str:
    return value if value in PAGE_SIZES else DEFAULT_SIZE


def parse_report_format(value, _context=None) -> str:
    return value if value in DOCUMENT_FORMATS else "pdf"


def parse_switch(value, _context=None) -> bool:
    return isinstance(value, list) and "on" in value


def _export(
    context: AppContext,
    title,
    file_format: str,
    scale: float,
    size: str,
    highlight: bool,
    override,
    view: ViewState,
    appendix: bool,
):
    """An export of the view drawn by Chromium in a worker process within a time
    budget, and stopped if the browser that asked has gone."""
    if context.engine_problem:
        return {"download": no_update, "status": context.engine_problem}
    if serves_from_duckdb(context.network):
        return {"download": no_update, "status": refused(context.network, "export")}
    title, problem = title
    if problem:
        return {"download": no_update, "status": problem}
    shown = context.views(view.filters)
    positions = with_override(context.layouts.get(view.layout), view.layout, override)
    background = context.background
    sizing = None
    if view.size_by == "betweenness" and background is not None:
        sizing = background.betweenness.wait(shown, background.export_budget / 2)
    try:
        job = export_job(
            shown,
            positions,
            view,
            title,
            context.title,
            file_format,
            size,
            appendix=appendix,
            highlight=highlight,
            scale=scale,
            sizing=sizing,
        )
        if background is None:
            data = render(job)
        else:
            data = background.export_image(
                job, file_format, scale, client_gone_check(request.environ)
            )
    except ExportError as exc:
        return {"download": no_update, "status": str(exc)}
    if data is None:  # the browser that asked has gone
        return {"download": no_update, "status": no_update}
    stem = file_stem(view, title)
    name = f"{stem}_report.{file_format}" if appendix else f"{stem}.{file_format}"
    status = f"Exported {name}."
    if job.appendix is not None and (note := job.appendix.omitted_note()):
        status += f" {note}"
    return {"download": dcc.send_bytes(data, name), "status": status}


def export_figure(
    context: AppContext,
    title,
    file_format: str,
    scale: float,
    size: str,
    highlight: bool,
    override,
    view: ViewState,
):
    """The report figure of the view, as PNG, SVG or PDF, at the chosen size."""
    return _export(context, title, file_format, scale, size, highlight, override, view, False)


def export_report(
    context: AppContext,
    title,
    file_format: str,
    size: str,
    highlight: bool,
    override,
    view: ViewState,
):
    """The figure with its caption and sources, then the evidence appendix: PDF, DOCX,
    HTML or Markdown."""
    return _export(context, title, file_format, 2.0, size, highlight, override, view, True)


def export_data(context: AppContext, view: ViewState, trigger: Trigger):
    """The claims behind the view (CSV), the visible graph (GraphML, GEXF), or the
    sources behind it (BibTeX, CSL-JSON, a numbered list); nothing for data served from
    DuckDB, whose page disables these buttons and says why."""
    if serves_from_duckdb(context.network):
        return no_update
    shown = apply_filters(context.network, view.filters)
    stem = file_stem(view, context.title)
    if trigger.id == ids.EXPORT_CSV:
        return dcc.send_string(claims_csv(shown), f"{stem}_claims.csv")
    sources = {ids.EXPORT_BIBTEX: "bib", ids.EXPORT_CSL: "json", ids.EXPORT_SOURCES_TEXT: "txt"}
    if trigger.id in sources:
        file_format = sources[trigger.id]
        text = bibliography_file(footnotes(shown), file_format)
        return dcc.send_string(text, f"{stem}_sources.{file_format}")
    file_format = "graphml" if trigger.id == ids.EXPORT_GRAPHML else "gexf"
    return dcc.send_bytes(graph_file(shown, file_format), f"{stem}.{file_format}")


def register_sharing_callbacks(app: Dash, context: AppContext) -> None:
    view_states = dependencies(State, VIEW_CONTROLS)
    wire(
        app,
        context,
        apply_view_state,
        output={
            **dependencies(Output, VIEW_CONTROLS, allow_duplicate=True),
            "notice": Output(ids.URL_NOTICE, "children"),
            "focus_options": Output(ids.FOCUS_ACTOR, "options", allow_duplicate=True),
        },
        inputs={
            "path": Input(ids.URL, "pathname"),
            "reset": Input(ids.RESET, "n_clicks"),
        },
        state={"search": State(ids.URL, "search"), "shown": view_states},
        parsers={
            "path": as_is,
            "reset": as_is,
            "search": parse_search,
            "shown": parse_view,
        },
        prevent_initial_call="initial_duplicate",
    )
    wire(
        app,
        context,
        write_url,
        output=Output(ids.URL, "search"),
        inputs={"view": dependencies(Input, VIEW_CONTROLS)},
        state={"current": State(ids.URL, "search")},
        parsers={"view": parse_view, "current": text_value(64 * 1024)},
        prevent_initial_call=True,
    )
    wire(
        app,
        context,
        export_figure,
        output={
            "download": Output(ids.DOWNLOAD_FIGURE, "data"),
            "status": Output(ids.EXPORT_STATUS, "children"),
        },
        inputs={"clicks": Input(ids.EXPORT_FIGURE, "n_clicks")},
        state={
            "title": State(ids.EXPORT_TITLE, "value"),
            "file_format": State(ids.EXPORT_FORMAT, "value"),
            "scale": State(ids.EXPORT_SCALE, "value"),
            "size": State(ids.EXPORT_SIZE, "value"),
            "highlight": State(ids.EXPORT_HIGHLIGHT, "value"),
            "override": State(ids.POSITIONS_OVERRIDE, "data"),
            "view": view_states,
        },
        parsers={
            "clicks": as_is,
            "title": parse_title,
            "file_format": parse_format,
            "scale": parse_scale,
            "size": parse_size,
            "highlight": parse_switch,
            "override": parse_override,
            "view": parse_view,
        },
        prevent_initial_call=True,
        running=[(Output(ids.EXPORT_FIGURE, "disabled"), True, False)],
    )
    wire(
        app,
        context,
        export_report,
        output={
            "download": Output(ids.DOWNLOAD_REPORT, "data"),
            "status": Output(ids.REPORT_STATUS, "children"),
        },
        inputs={"clicks": Input(ids.EXPORT_REPORT, "n_clicks")},
        state={
            "title": State(ids.EXPORT_TITLE, "value"),
            "file_format": State(ids.EXPORT_REPORT_FORMAT, "value"),
            "size": State(ids.EXPORT_SIZE, "value"),
            "highlight": State(ids.EXPORT_HIGHLIGHT, "value"),
            "override": State(ids.POSITIONS_OVERRIDE, "data"),
            "view": view_states,
        },
        parsers={
            "clicks": as_is,
            "title": parse_title,
            "file_format": parse_report_format,
            "size": parse_size,
            "highlight": parse_switch,
            "override": parse_override,
            "view": parse_view,
        },
        prevent_initial_call=True,
        running=[(Output(ids.EXPORT_REPORT, "disabled"), True, False)],
    )
    wire(
        app,
        context,
        export_data,
        output=Output(ids.DOWNLOAD_DATA, "data"),
        inputs={
            "csv": Input(ids.EXPORT_CSV, "n_clicks"),
            "graphml": Input(ids.EXPORT_GRAPHML, "n_clicks"),
            "gexf": Input(ids.EXPORT_GEXF, "n_clicks"),
            "bibtex": Input(ids.EXPORT_BIBTEX, "n_clicks"),
            "csl": Input(ids.EXPORT_CSL, "n_clicks"),
            "sources_text": Input(ids.EXPORT_SOURCES_TEXT, "n_clicks"),
        },
        state={"view": dict(view_states)},
        parsers={
            "csv": as_is,
            "graphml": as_is,
            "gexf": as_is,
            "bibtex": as_is,
            "csl": as_is,
            "sources_text": as_is,
            "view": parse_view,
        },
        prevent_initial_call=True,
    )
