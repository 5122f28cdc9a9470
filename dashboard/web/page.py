"""The page: header, filter and display controls, export controls, graph and panels.

Text from the data is always passed as component children or props, which Dash renders
as text; nothing here builds HTML from strings.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from dashboard.draw.report_figure import TITLE_LIMIT
from dashboard.export.page_sizes import DEFAULT_SIZE as DEFAULT_PAGE_SIZE
from dashboard.export.page_sizes import PAGE_SIZES
from dashboard.graph import Network
from dashboard.positions.compute import DEFAULT_LAYOUT, LAYOUTS
from dashboard.query.actor_types import BOTH, DEFAULT_MATCH, EITHER, claim_counts
from dashboard.query.filters import MAX_DEPTH, STANCES
from dashboard.query.periods import TimeScale
from dashboard.query.served import claim_facets, refused, serves_from_duckdb
from dashboard.query.view_state import SIZE_METRICS
from dashboard.web import ids
from dashboard.web.pair_panel import pair_picker
from dashboard.web.panels import evidence_placeholder
from dashboard.web.time_slider import time_range_slider


def choice_options(values, counts) -> list[dict]:
    """A pick-any list's options, each with its number of claims."""
    return [{"label": f"{value} ({counts[value]:,})", "value": value} for value in values]


def _multi_select(label: str, component_id: str, values, counts, *extra) -> html.Div:
    """A searchable pick-any list, each option with its number of claims; none = all."""
    return _field(
        label,
        html.Div(
            [
                dcc.Dropdown(
                    id=component_id,
                    options=choice_options(values, counts),
                    value=[],
                    multi=True,
                    placeholder=f"All {label.lower()}",
                ),
                *extra,
            ]
        ),
    )


def type_match_control() -> dcc.RadioItems:
    """Whether a claim needs both its actors of a picked type, or one of them."""
    return dcc.RadioItems(
        id=ids.ACTOR_TYPE_MATCH,
        options=[
            {"label": " both ends", "value": BOTH, "title": TYPE_MATCH_HINTS[BOTH]},
            {"label": " either end", "value": EITHER, "title": TYPE_MATCH_HINTS[EITHER]},
        ],
        value=DEFAULT_MATCH,
        inline=True,
        className="type-match",
    )


TYPE_MATCH_HINTS = {
    BOTH: "Both ends: a claim shows when both its actors are of a picked type.",
    EITHER: "Either end: a claim shows when at least one of its actors is.",
}


# The modebar keeps zoom, pan and reset. Nothing sends data off the machine (no cloud,
# share or "edit in Chart Studio" button), and the camera is gone: its bare PNG would
# lose the caption and sources that "Export figure" carries.
GRAPH_CONFIG = {
    "displaylogo": False,
    "scrollZoom": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": [
        "toImage",
        "sendDataToCloud",
        "editInChartStudio",
        "select2d",
        "lasso2d",
    ],
}

FOCUS_OPTIONS_LIMIT = 1000  # above this many actors, the focus list is searched on the server


def focus_options_for(network: Network, codes) -> list[dict]:
    """Dropdown options for actors, searchable by name, id and aliases, sorted by name."""
    actors = network.actors
    options = [
        {
            "label": f"{actors['name'].iat[c]} ({actors['type'].iat[c]})",
            "value": network.actor_ids[c],
            "search": " ".join(
                [actors["name"].iat[c], network.actor_ids[c], *actors["aliases"].iat[c]]
            ),
        }
        for c in codes
    ]
    return sorted(options, key=lambda o: o["label"].casefold())


def year_marks(first: int, last: int) -> dict[int, str]:
    """Slider marks at round years, few enough to stay legible in the side panel."""
    return TimeScale("year", first, last).marks()


def _field(label, control, hint: str | None = None) -> html.Div:
    children = [html.Label(label, className="field-label"), control]
    if hint:
        children.append(html.Small(hint, className="field-hint"))
    return html.Div(children, className="field")


def filter_panel(network: Network, max_sources: int, extra: list) -> html.Aside:
    source_counts, relation_counts = claim_facets(network)  # every source a claim cites
    type_counts = claim_counts(network, DEFAULT_MATCH)
    searched_on_server = network.n_actors > FOCUS_OPTIONS_LIMIT
    focus_options = (
        [] if searched_on_server else focus_options_for(network, range(network.n_actors))
    )
    return html.Aside(
        className="filters",
        children=[
            html.H2("Filters"),
            html.Small("Numbers in the lists count claims.", className="field-hint"),
            _field(
                ["Time range ", html.Span(id=ids.TIME_RANGE_TEXT, className="range-text")],
                time_range_slider(network),
                "A claim shows if its time span overlaps the range.",
            ),
            dcc.Checklist(
                id=ids.INCLUDE_UNDATED,
                options=[{"label": " Also show undated claims", "value": "show"}],
                value=["show"],
                className="switch",
            ),
            html.Small(
                "Claims without a date cannot be placed in time: ticked, they show in every "
                "range (faded on the map while a range is set); unticked, they are hidden.",
                className="field-hint",
            ),
            _multi_select("Sources", ids.SOURCE_FILTER, network.sources, source_counts),
            _multi_select("Relations", ids.RELATION_FILTER, network.relations, relation_counts),
            _multi_select(
                "Actor types",
                ids.ACTOR_TYPE_FILTER,
                network.actor_types,
                type_counts,
                type_match_control(),
                html.Small(
                    f"{TYPE_MATCH_HINTS[BOTH]} {TYPE_MATCH_HINTS[EITHER]}", className="field-hint"
                ),
            ),
            _field(
                "Stance",
                dcc.Checklist(
                    id=ids.STANCE_FILTER,
                    options=[{"label": f" {s}", "value": s} for s in STANCES],
                    value=list(STANCES),
                    inline=True,
                ),
            ),
            _field(
                "Minimum distinct sources per edge",
                dcc.Slider(
                    id=ids.MIN_SOURCES,
                    min=1,
                    max=max(max_sources, 2),
                    step=1,
                    value=1,
                    marks={n: str(n) for n in range(1, max(max_sources, 2) + 1)},
                ),
            ),
            _field(
                "Focus on an actor",
                dcc.Dropdown(
                    id=ids.FOCUS_ACTOR,
                    options=focus_options,
                    value=None,
                    placeholder=(
                        f"Type to search {network.n_actors:,} actors"
                        if searched_on_server
                        else "Search by name or alias"
                    ),
                    clearable=True,
                ),
            ),
            _field(
                "Neighbourhood depth",
                dcc.RadioItems(
                    id=ids.FOCUS_DEPTH,
                    options=[{"label": f" {d}", "value": d} for d in range(1, MAX_DEPTH + 1)],
                    value=1,
                    inline=True,
                ),
            ),
            html.Button("Reset", id=ids.RESET, className="button", n_clicks=0),
            html.H2("Display"),
            _field(
                "Layout",
                dcc.Dropdown(
                    id=ids.LAYOUT_CHOICE,
                    options=[{"label": label, "value": key} for key, label in LAYOUTS.items()],
                    value=DEFAULT_LAYOUT,
                    clearable=False,
                ),
            ),
            html.Button(
                "Re-layout visible", id=ids.RELAYOUT, className="button secondary", n_clicks=0
            ),
            html.Small(id=ids.RELAYOUT_STATUS, className="field-hint"),
            _field(
                "Node size",
                dcc.RadioItems(
                    id=ids.SIZE_BY,
                    options=[
                        {"label": f" {label}", "value": key} for key, label in SIZE_METRICS.items()
                    ],
                    value="claims",
                ),
            ),
            *extra,
        ],
    )


def _button_row(buttons: list[tuple[str, str]], disabled: bool) -> html.Div:
    """Secondary buttons side by side, given as (label, id)."""
    return html.Div(
        [
            html.Button(
                label, id=button, className="button secondary", n_clicks=0, disabled=disabled
            )
            for label, button in buttons
        ],
        className="button-row",
    )


def export_menu(
    title: str, engine_problem: str | None, data_problem: str | None = None
) -> html.Details:
    """Export, one click away at the top of the page whatever the window's height."""
    return html.Details(
        className="export-menu",
        id=ids.EXPORT_MENU,
        children=[
            html.Summary("Export ▾", className="button secondary"),
            html.Div(export_panel(title, engine_problem, data_problem), className="export-popover"),
        ],
    )


def export_panel(title: str, engine_problem: str | None, data_problem: str | None = None) -> list:
    """Figure and report export (title, size, format, scale, highlight), data export and
    the bibliography of the view's sources."""
    return [
        html.H2("Export the view"),
        _field(
            "Figure title",
            dcc.Input(
                id=ids.EXPORT_TITLE,
                value=title[:TITLE_LIMIT],
                type="text",
                debounce=True,
                maxLength=TITLE_LIMIT,
            ),
            f"At most {TITLE_LIMIT} characters.",
        ),
        _field(
            "Size",
            dcc.Dropdown(
                id=ids.EXPORT_SIZE,
                options=[{"label": size.label, "value": name} for name, size in PAGE_SIZES.items()],
                value=DEFAULT_PAGE_SIZE,
                clearable=False,
            ),
            "Fonts are never under 7 pt at this size.",
        ),
        _field(
            "Format",
            dcc.RadioItems(
                id=ids.EXPORT_FORMAT,
                options=[{"label": f" {f.upper()}", "value": f} for f in ("png", "svg", "pdf")],
                value="png",
                inline=True,
            ),
        ),
        _field(
            "PNG scale",
            dcc.Input(id=ids.EXPORT_SCALE, type="number", value=2, min=0.5, max=6, step=0.5),
            "2 = print quality. The figure carries a caption with the filters and a list of sources.",
        ),
        dcc.Checklist(
            id=ids.EXPORT_HIGHLIGHT,
            options=[{"label": " Highlight the selected edge or actor", "value": "on"}],
            value=[],
            className="switch",
        ),
        html.Button(
            "Export figure",
            id=ids.EXPORT_FIGURE,
            className="button",
            n_clicks=0,
            disabled=engine_problem is not None,
        ),
        html.P(engine_problem or "", id=ids.EXPORT_STATUS, className="field-hint export-status"),
        _field(
            "Report",
            dcc.RadioItems(
                id=ids.EXPORT_REPORT_FORMAT,
                options=[
                    {"label": f" {label}", "value": value}
                    for value, label in (
                        ("pdf", "PDF"),
                        ("docx", "DOCX"),
                        ("html", "HTML"),
                        ("md", "Markdown"),
                    )
                ],
                value="pdf",
                inline=True,
            ),
            "The figure with its caption, then every claim behind the visible edges, "
            "numbered as the footnotes.",
        ),
        html.Button(
            "Export report",
            id=ids.EXPORT_REPORT,
            className="button",
            n_clicks=0,
            disabled=engine_problem is not None,
        ),
        html.P(engine_problem or "", id=ids.REPORT_STATUS, className="field-hint export-status"),
        _button_row(
            [
                ("Claims (CSV)", ids.EXPORT_CSV),
                ("GraphML", ids.EXPORT_GRAPHML),
                ("GEXF", ids.EXPORT_GEXF),
            ],
            disabled=data_problem is not None,
        ),
        html.Small(
            data_problem
            or "The claims behind this view (loads back as data), or the visible graph for Gephi.",
            className="field-hint",
        ),
        _button_row(
            [
                ("BibTeX", ids.EXPORT_BIBTEX),
                ("CSL-JSON", ids.EXPORT_CSL),
                ("Sources (text)", ids.EXPORT_SOURCES_TEXT),
            ],
            disabled=data_problem is not None,
        ),
        html.Small(
            "The sources behind this view for a reference manager, numbered as the figure's "
            "footnotes.",
            className="field-hint",
        ),
        dcc.Download(id=ids.DOWNLOAD_FIGURE),
        dcc.Download(id=ids.DOWNLOAD_REPORT),
        dcc.Download(id=ids.DOWNLOAD_DATA),
    ]


def page(
    network: Network,
    title: str,
    max_sources: int,
    engine_problem: str | None = None,
    extra_controls: Sequence = (),
    extra_panels: Sequence = (),
    below_map: Sequence = (),
) -> html.Div:
    """The page; ``extra_controls`` go at the end of the side panel, ``extra_panels``
    above the evidence panel, ``below_map`` under the map (the timeline)."""
    searched_on_server = network.n_actors > FOCUS_OPTIONS_LIMIT
    pair_options = [] if searched_on_server else focus_options_for(network, range(network.n_actors))
    pair_placeholder = "Type to search" if searched_on_server else "Name or alias"
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            html.Header(
                className="top",
                children=[
                    html.H1("Actor Network Dashboard"),
                    html.Span(title, className="dataset", title=title),
                    html.Span(id=ids.COUNTS, className="counts"),
                    export_menu(
                        title,
                        engine_problem,
                        refused(network, "export") if serves_from_duckdb(network) else None,
                    ),
                ],
            ),
            filter_panel(network, max_sources, [*extra_controls]),
            html.Main(
                className="graph",
                children=[
                    html.Div(
                        dcc.Loading(
                            dcc.Graph(
                                id=ids.NETWORK,
                                config=GRAPH_CONFIG,
                                className="network",
                                style={"height": "100%"},
                            ),
                            parent_style={"height": "100%"},
                            delay_show=400,
                        ),
                        className="map-area",
                    ),
                    *below_map,
                ],
            ),
            html.Section(
                className="evidence",
                children=[
                    html.Div(id=ids.URL_NOTICE, className="notice", role="status"),
                    *extra_panels,
                    pair_picker(pair_options, pair_placeholder),
                    evidence_tools(),
                    html.Div(id=ids.EVIDENCE, children=evidence_placeholder()),
                ],
            ),
            dcc.Store(id=ids.SELECTION, data=None),
            dcc.Store(id=ids.EVIDENCE_PAGE, data=0),
            dcc.Store(id=ids.POSITIONS_OVERRIDE, data=None),
            dcc.Store(id=ids.FIGURE_ROLES, data=None),
            dcc.Store(id=ids.SCENE, data=None),
            dcc.Store(id=ids.STEP, data=None),
            dcc.Store(id=ids.LAYOUT_READY, data=None),
            dcc.Store(id=ids.OVERLAYS, data=None),
            dcc.Interval(id=ids.LAYOUT_POLL, interval=1000, disabled=True),
            dcc.Interval(id=ids.SIZING_POLL, interval=1000, disabled=True),
        ],
    )


def evidence_tools() -> html.Div:
    """Search, order and page through an edge's claims; shown when an edge is selected."""
    return html.Div(
        id=ids.EVIDENCE_TOOLS,
        className="evidence-tools",
        style={"display": "none"},
        children=[
            dcc.Input(
                id=ids.EVIDENCE_SEARCH,
                type="search",
                placeholder="Search these claims",
                debounce=True,
                maxLength=200,
            ),
            dcc.RadioItems(
                id=ids.EVIDENCE_ORDER,
                options=[
                    {"label": " oldest first", "value": "date"},
                    {"label": " by source", "value": "source"},
                ],
                value="date",
                inline=True,
            ),
            html.Button(
                "← Previous", id=ids.EVIDENCE_PREVIOUS, className="button secondary", n_clicks=0
            ),
            html.Button("Next →", id=ids.EVIDENCE_NEXT, className="button secondary", n_clicks=0),
        ],
    )
