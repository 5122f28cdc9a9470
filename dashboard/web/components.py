"""Layout builders: the page, the filter panel and the evidence panel's contents.

Text from the data is always passed as component children or props, which Dash renders
as text; nothing here builds HTML from strings, and only http(s) urls become links.
"""

from __future__ import annotations

from collections import Counter

from dash import dcc, html

from dashboard.draw.report_figure import TITLE_LIMIT
from dashboard.graph import Network
from dashboard.positions.compute import DEFAULT_LAYOUT, LAYOUTS
from dashboard.query.evidence import ActorCard, ClaimCard, EdgeEvidence
from dashboard.query.filters import MAX_DEPTH, STANCES
from dashboard.query.view_state import SIZE_METRICS
from dashboard.text import plural
from dashboard.web import ids


def _multi_select(label: str, component_id: str, values, counts: Counter) -> html.Div:
    """A searchable pick-any list, each option with its number of claims; none = all."""
    return _field(
        label,
        dcc.Dropdown(
            id=component_id,
            options=[{"label": f"{value} ({counts[value]})", "value": value} for value in values],
            value=[],
            multi=True,
            placeholder=f"All {label.lower()}",
        ),
    )


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
    span = max(last - first, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if span / s <= 6)
    inner = range(first - first % step + step, last, step)
    # Round years too close to the ends would print on top of the end labels.
    marks = {year: str(year) for year in inner if min(year - first, last - year) >= step / 2}
    marks.update({first: str(first), last: str(last)})
    return dict(sorted(marks.items()))


def _field(label, control, hint: str | None = None) -> html.Div:
    children = [html.Label(label, className="field-label"), control]
    if hint:
        children.append(html.Small(hint, className="field-hint"))
    return html.Div(children, className="field")


def filter_panel(network: Network, max_sources: int, extra: list) -> html.Aside:
    claims = network.claims
    source_counts = Counter(network.sources[network.claim_source])
    relation_counts = Counter(claims["relation"])
    type_counts = Counter(network.actors["type"])
    first, last = network.year_bounds or (0, 0)
    searched_on_server = network.n_actors > FOCUS_OPTIONS_LIMIT
    focus_options = (
        [] if searched_on_server else focus_options_for(network, range(network.n_actors))
    )
    return html.Aside(
        className="filters",
        children=[
            html.H2("Filters"),
            _field(
                ["Time range ", html.Span(id=ids.TIME_RANGE_TEXT, className="range-text")],
                dcc.RangeSlider(
                    id=ids.TIME_RANGE,
                    min=first,
                    max=last,
                    step=1,
                    value=[first, last],
                    marks=year_marks(first, last),
                    allowCross=False,
                    tooltip={"placement": "bottom", "always_visible": False},
                    disabled=network.year_bounds is None,
                ),
                "A claim shows if its time span overlaps the range.",
            ),
            dcc.Checklist(
                id=ids.INCLUDE_UNDATED,
                options=[{"label": " Show undated claims", "value": "show"}],
                value=["show"],
                className="switch",
            ),
            _multi_select("Sources", ids.SOURCE_FILTER, network.sources, source_counts),
            _multi_select("Relations", ids.RELATION_FILTER, network.relations, relation_counts),
            _multi_select("Actor types", ids.ACTOR_TYPE_FILTER, network.actor_types, type_counts),
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


def export_panel(title: str, engine_problem: str | None) -> list:
    """Figure export (title, format, scale) and data export buttons."""
    return [
        html.H2("Export"),
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
        html.Button(
            "Export figure",
            id=ids.EXPORT_FIGURE,
            className="button",
            n_clicks=0,
            disabled=engine_problem is not None,
        ),
        html.P(engine_problem or "", id=ids.EXPORT_STATUS, className="field-hint export-status"),
        html.Div(
            [
                html.Button(
                    "Claims (CSV)", id=ids.EXPORT_CSV, className="button secondary", n_clicks=0
                ),
                html.Button(
                    "GraphML", id=ids.EXPORT_GRAPHML, className="button secondary", n_clicks=0
                ),
                html.Button("GEXF", id=ids.EXPORT_GEXF, className="button secondary", n_clicks=0),
            ],
            className="button-row",
        ),
        html.Small(
            "The claims behind this view (loads back as data), or the visible graph for Gephi.",
            className="field-hint",
        ),
        dcc.Download(id=ids.DOWNLOAD_FIGURE),
        dcc.Download(id=ids.DOWNLOAD_DATA),
    ]


def url_notice(notices: list[str]) -> list | None:
    """Tell the user which parts of the address were ignored, and why."""
    if not notices:
        return None
    return [
        html.Strong("Parts of the address were ignored: "),
        html.Span("; ".join(notices) + "."),
    ]


def page(
    network: Network, title: str, max_sources: int, engine_problem: str | None = None
) -> html.Div:
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            html.Header(
                className="top",
                children=[
                    html.H1("Actor Network Dashboard"),
                    html.Span(title, className="dataset"),
                    html.Span(id=ids.COUNTS, className="counts"),
                ],
            ),
            filter_panel(network, max_sources, export_panel(title, engine_problem)),
            html.Main(
                className="graph",
                children=dcc.Loading(
                    dcc.Graph(
                        id=ids.NETWORK,
                        config={"displaylogo": False, "scrollZoom": True},
                        className="network",
                        style={"height": "100%"},
                    ),
                    parent_style={"height": "100%"},
                    delay_show=400,
                ),
            ),
            html.Section(
                className="evidence",
                children=[
                    html.Div(id=ids.URL_NOTICE, className="notice", role="status"),
                    html.Div(id=ids.EVIDENCE, children=evidence_placeholder()),
                ],
            ),
            dcc.Store(id=ids.SELECTION, data=None),
            dcc.Store(id=ids.POSITIONS_OVERRIDE, data=None),
            dcc.Store(id=ids.FIGURE_TRACES, data=None),
            dcc.Interval(id=ids.LAYOUT_POLL, interval=1000, disabled=True),
        ],
    )


def evidence_placeholder() -> list:
    return [
        html.H2("Evidence"),
        html.P(
            "Click an edge to read every claim behind it, or an actor to see its card.",
            className="muted",
        ),
    ]


def claim_item(card: ClaimCard) -> html.Article:
    document = (
        html.A(card.document or card.url, href=card.url, target="_blank", rel="noopener noreferrer")
        if card.url
        else html.Cite(card.document or "no document named")
    )
    details = [html.Span("in "), document]
    if card.published:
        details.append(html.Span(f", published {card.published}"))
    if card.row_claims > 1:
        details.append(
            html.Span(
                f" · one of {card.row_claims} claims from line {card.line}, which names several actors",
                className="muted",
            )
        )
    if card.verified:
        details.append(
            html.Span(
                " ✓ verbatim",
                className="verified",
                title="Found word for word in the local copy of the document",
            )
        )
    return html.Article(
        className=f"claim stance-{card.stance}",
        children=[
            html.Blockquote(card.quote)
            if card.quote
            else html.P("(no quote given)", className="muted"),
            html.Div(
                className="claim-meta",
                children=[
                    html.Span(card.stance, className=f"badge badge-{card.stance}"),
                    html.Strong(card.source or "(no source)", className="source"),
                    html.Span(" · "),
                    html.Span(card.when, className="when"),
                ],
            ),
            html.Div(details, className="claim-document"),
        ],
    )


def edge_panel(evidence: EdgeEvidence) -> list:
    heading = html.H2(
        [
            html.Span(evidence.from_name, className="actor"),
            html.Span(f" {evidence.relation} ", className="relation"),
            html.Span(evidence.to_name, className="actor"),
        ]
    )
    summary = f"{plural(len(evidence.claims), 'claim')} shown"
    if evidence.hidden:
        summary += f"; {evidence.hidden} more hidden by the current filters"
    children = [heading, html.P(summary, className="summary")]
    if evidence.contested:
        reason = (
            f"{plural(evidence.denials, 'claim')} here {'denies' if evidence.denials == 1 else 'deny'} it"
            if evidence.denials
            else "another source claims an opposing relation between these actors"
        )
        children.append(html.P(f"⚠ Contested: {reason}.", className="contested"))
    children += [claim_item(card) for card in evidence.claims]
    return children


def actor_panel(card: ActorCard) -> list:
    children = [
        html.H2(card.name),
        html.P(
            [
                html.Span(card.type, className="badge"),
                html.Span(f" · {card.shown_claims} of {card.total_claims} claims shown"),
            ]
        ),
    ]
    if card.aliases:
        children.append(html.P("Also known as: " + "; ".join(card.aliases), className="aliases"))
    if card.description:
        children.append(html.P(card.description, className="description"))
    for relation, lines in card.relations.items():
        children.append(html.H3(relation))
        children.append(
            html.Ul(
                [html.Li(_relation_button(card, line)) for line in lines], className="relation-list"
            )
        )
    if card.one_sided:
        children.append(html.H3("Claims without a second actor"))
        children += [claim_item(claim) for claim in card.one_sided]
    return children


def _relation_button(card: ActorCard, line) -> html.Button:
    """One edge as a sentence, "Hezbollah trains al-Qaeda", that opens its evidence."""
    me = html.Strong(card.name)
    other = html.Span(line.other_name)
    subject, target = (me, other) if line.outgoing else (other, me)
    counts = (
        f" ({line.shown} of {line.total} claims shown)"
        if line.shown != line.total
        else f" ({plural(line.total, 'claim')})"
    )
    return html.Button(
        [subject, html.Span(f" {line.relation} "), target, html.Span(counts, className="muted")],
        id={"type": ids.CARD_EDGE, "edge": line.edge},
        className="link-button" + ("" if line.shown else " hidden-edge"),
        n_clicks=0,
    )
