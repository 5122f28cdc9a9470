"""The pair view in the evidence panel: everything between two actors, and the ways in.

A click on a bundle of parallel edges, the "All N relations" button on an edge's panel,
a neighbour on an actor card, or the two "Between ... and ..." pickers open it. It shows
an overview of every edge between the two actors (who asserts, who denies, when), then
one page of edges with their claims, assertions beside denials, oldest first.

Text from the data is passed as component children, which Dash renders as text.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.query.pairs import Neighbour, PairEvidence, PairGroup, PairRow
from dashboard.text import plural
from dashboard.web import ids
from dashboard.web.panels import claim_item

OVERVIEW_LIMIT = 100  # overview lines; the pages below go through the rest
NEIGHBOURS_LIMIT = 60


def pair_picker(options: list[dict], placeholder: str) -> html.Div:
    """ "Between [A] and [B]": two searchable actor lists (by name or alias)."""

    def picker(component_id: str) -> dcc.Dropdown:
        return dcc.Dropdown(
            id=component_id,
            options=options,
            value=None,
            placeholder=placeholder,
            clearable=True,
            className="pair-pick",
        )

    return html.Div(
        className="pair-picker",
        title="Everything between two actors: every relation, who asserts it, who denies it",
        children=[
            html.Span("Between", className="field-label"),
            picker(ids.PAIR_A),
            html.Span("and", className="field-label"),
            picker(ids.PAIR_B),
        ],
    )


def pair_link(a: int, b: int, a_name: str, b_name: str, n_edges: int) -> html.Button:
    """The way from one edge of a bundle to the whole bundle."""
    return html.Button(
        f"All {n_edges} relations between {a_name} and {_other(a, b, b_name)} →",
        id={"type": ids.CARD_PAIR, "a": a, "b": b},
        className="button secondary pair-link",
        n_clicks=0,
    )


def _other(a: int, b: int, b_name: str) -> str:
    return "itself" if a == b else b_name


def _heading(pair: PairEvidence) -> html.H2:
    second = "itself" if pair.first_id == pair.second_id else pair.second_name
    return html.H2(
        [
            html.Span(pair.first_name, className="actor"),
            html.Span(" and ", className="relation"),
            html.Span(second, className="actor"),
        ]
    )


def _counted(count: int, noun: str, plural_form: str | None = None) -> str:
    """Like :func:`plural`, with thousands separated: "6,000 claims"."""
    return plural(count, noun, plural_form).replace(str(count), f"{count:,}", 1)


def _summary(pair: PairEvidence) -> str:
    text = f"{_counted(len(pair.rows), 'relation')} · {_counted(pair.total, 'claim')} shown"
    if pair.total:
        text += f" ({_counted(pair.asserts, 'asserts', 'assert')}, "
        text += f"{_counted(pair.denies, 'denies', 'deny')})"
    if pair.contested:
        text += f" · {pair.contested} contested"
    if pair.search:
        text += f', matching "{pair.search}"'
    if pair.hidden:
        text += f"; {pair.hidden:,} more hidden by the current filters"
    return text


def _edge_button(row: PairRow, place: str) -> html.Button:
    return html.Button(
        [
            html.Span(row.from_name, className="actor"),
            html.Span(f" {row.relation} ", className="relation"),
            html.Span(row.to_name, className="actor"),
        ],
        id={"type": ids.PAIR_EDGE, "edge": row.edge, "place": place},
        className="link-button",
        n_clicks=0,
        title="Open this relation alone: all its claims, search, and why it is contested",
    )


def _overview(pair: PairEvidence) -> html.Div:
    """One line per edge: the relation and when, and how many claims assert and deny it."""
    head = html.Tr(
        [html.Th("relation, when"), html.Th("assert", className="number"),
         html.Th("deny", className="number")]
    )  # fmt: skip
    lines = [
        html.Tr(
            children=[
                html.Td(
                    [
                        _edge_button(row, "overview"),
                        html.Div(
                            ([html.Span("⚠ contested · ", className="contested")]
                             if row.contested else [])
                            + [html.Span(row.when)],
                            className="when",
                        ),
                    ]
                ),
                html.Td(str(row.asserts), className="number"),
                html.Td(str(row.denies) if row.denies else "–", className="number deny-count"),
            ],
        )
        for row in pair.rows[:OVERVIEW_LIMIT]
    ]  # fmt: skip
    table = [html.Table([html.Thead(head), html.Tbody(lines)], className="pair-overview")]
    if len(pair.rows) > OVERVIEW_LIMIT:
        more = len(pair.rows) - OVERVIEW_LIMIT
        table.append(
            html.P(f"and {plural(more, 'more relation')}, in the pages below", className="muted")
        )
    return html.Div(table)


def _column(title: str, cards, more: int, stance: str) -> html.Div:
    children = [html.H4(title)]
    children += [claim_item(card) for card in cards]
    if more:
        children.append(
            html.P(
                f"{more:,} more: open the relation above for all of them",
                className="muted",
            )
        )
    return html.Div(children, className=f"pair-column stance-{stance}")


def _group(group: PairGroup) -> html.Section:
    row = group.row
    heading = [_edge_button(row, "group")]
    if row.contested:
        heading.append(html.Span(" ⚠ contested", className="contested"))
    columns = []
    if row.asserts:
        columns.append(
            _column(f"Asserted ({row.asserts:,})", group.asserting, group.more_asserting, "asserts")
        )
    if row.denies:
        columns.append(
            _column(f"Denied ({row.denies:,})", group.denying, group.more_denying, "denies")
        )
    return html.Section(
        className="pair-group",
        children=[
            html.H3(heading),
            html.P(
                f"{_counted(row.claims, 'claim')} · {_counted(row.sources, 'source')} · {row.when}",
                className="muted",
            ),
            html.Div(
                columns,
                className="pair-columns" + (" side-by-side" if len(columns) == 2 else ""),
            ),
        ],
    )


def pair_panel(pair: PairEvidence) -> list:
    children = [_heading(pair), html.P(_summary(pair), className="summary")]
    if not pair.rows:
        children.append(
            html.P(
                "No claim between them passes the current filters.",
                className="muted",
            )
        )
        return children
    children.append(_overview(pair))
    if pair.pages > 1:
        first = pair.page * pair.per_page + 1
        last = first + len(pair.groups) - 1
        children.append(
            html.P(
                f"Relations {first}–{last} of {len(pair.rows)} (page {pair.page + 1} of "
                f"{pair.pages})",
                className="summary",
            )
        )
    children += [_group(group) for group in pair.groups]
    return children


def neighbour_list(neighbours: tuple[Neighbour, ...], actor: int) -> list:
    """An actor card's neighbours, each opening everything between the two."""
    if not neighbours:
        return []
    items = [
        html.Li(
            html.Button(
                [
                    html.Span("itself" if n.code == actor else n.name),
                    html.Span(
                        f" ({plural(n.edges, 'relation')} · {plural(n.claims, 'claim')})"
                        if n.edges
                        else f" (none of {plural(n.total, 'claim')} shown)",
                        className="muted",
                    ),
                ],
                id={"type": ids.CARD_PAIR, "a": actor, "b": n.code},
                className="link-button" + ("" if n.edges else " hidden-edge"),
                n_clicks=0,
            )
        )
        for n in neighbours[:NEIGHBOURS_LIMIT]
    ]
    children = [
        html.H3("Neighbours: everything between them"),
        html.Ul(items, className="relation-list neighbours"),
    ]
    if len(neighbours) > NEIGHBOURS_LIMIT:
        more = len(neighbours) - NEIGHBOURS_LIMIT
        children.append(html.P(f"and {plural(more, 'more neighbour')}", className="muted"))
    return children
