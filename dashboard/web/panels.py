"""The evidence panel's contents: an edge's claims, an actor's card, notices.

Text from the data is always passed as component children or props, which Dash renders
as text; nothing here builds HTML from strings, and only http(s) urls become links.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.export.citations import Reference, bibtex, claim_citation
from dashboard.query.evidence import ActorCard, ClaimCard, EdgeEvidence
from dashboard.text import plural
from dashboard.web import ids


def url_notice(notices: list[str]) -> list | None:
    """Tell the user which parts of the address were ignored, and why."""
    if not notices:
        return None
    return [
        html.Strong("Parts of the address were ignored: "),
        html.Span("; ".join(notices) + "."),
    ]


def evidence_placeholder() -> list:
    return [
        html.H2("Evidence"),
        html.P(
            "Click an edge to read every claim behind it, or an actor to see its card.",
            className="muted",
        ),
    ]


def refused_panel(message: str) -> list:
    """What the evidence panel says instead of a feature the engine does not offer."""
    return [html.H2("Evidence"), html.P(message, className="muted")]


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
            citation_tools(card),
        ],
    )


def citation_tools(card: ClaimCard) -> html.Div:
    """Copy the claim as a citation: the quote with a Chicago author-date reference, or
    a BibTeX entry for a reference manager (the browser's clipboard; nothing leaves the
    machine)."""
    reference = Reference(card.source, card.document, card.published, card.url)
    return html.Div(
        className="citation-tools",
        children=[
            html.Span(
                [
                    dcc.Clipboard(
                        content=claim_citation(card.quote, reference),
                        title="Copy the quote and its reference (Chicago author-date)",
                        className="copy",
                    ),
                    " copy citation",
                ],
                className="copy-item",
            ),
            html.Span(
                [
                    dcc.Clipboard(
                        content=bibtex(reference, quote=card.quote),
                        title="Copy a BibTeX entry for a reference manager",
                        className="copy",
                    ),
                    " BibTeX",
                ],
                className="copy-item",
            ),
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
    children = [heading, html.P(_summary(evidence), className="summary")]
    if evidence.contested:
        children += _contest(evidence)
    children += [claim_item(card) for card in evidence.claims]
    return children


def _summary(evidence: EdgeEvidence) -> str:
    shown = len(evidence.claims)
    if evidence.total > shown:
        first = evidence.page * evidence.per_page + 1
        summary = f"claims {first:,}–{first + shown - 1:,} of {evidence.total:,}"
        summary += f" (page {evidence.page + 1} of {evidence.pages})"
    else:
        summary = f"{plural(shown, 'claim')} shown"
    if evidence.search:
        summary += f', matching "{evidence.search}"'
    if evidence.hidden:
        summary += f"; {evidence.hidden:,} more hidden by the current filters"
    return summary


def _contest(evidence: EdgeEvidence) -> list:
    """Why the edge is contested, naming the claims that contest it."""
    reasons = []
    if evidence.denials:
        verb = "denies" if evidence.denials == 1 else "deny"
        reasons.append(f"{plural(evidence.denials, 'claim')} below {verb} it")
    if evidence.opposing:
        reasons.append("other sources claim an opposing relation in an overlapping period")
    children = [html.P(f"⚠ Contested: {'; '.join(reasons)}.", className="contested")]
    if evidence.opposing:
        children.append(
            html.Ul(
                [
                    html.Li(
                        [
                            html.Button(
                                item.sentence,
                                id={"type": ids.CARD_EDGE, "edge": item.edge},
                                className="link-button",
                                n_clicks=0,
                            ),
                            html.Span(
                                f" — {item.card.source or '(no source)'}, {item.card.when}: "
                            ),
                            html.Q(item.card.quote or "(no quote given)"),
                        ]
                    )
                    for item in evidence.opposing
                ],
                className="opposing",
            )
        )
    return children


def actor_panel(card: ActorCard, neighbours: list | None = None) -> list:
    """The actor's card; ``neighbours`` (components) go before its relations."""
    children = [
        html.H2(card.name),
        html.P(
            [
                html.Span(card.type, className="badge"),
                html.Span(f" · {card.shown_claims} of {plural(card.total_claims, 'claim')} shown"),
            ]
        ),
    ]
    if card.aliases:
        children.append(html.P("Also known as: " + "; ".join(card.aliases), className="aliases"))
    if card.description:
        children.append(html.P(card.description, className="description"))
    children += neighbours or []
    listed = listed_lines(card)
    n_lines = sum(map(len, card.relations.values()))
    for relation, lines in card.relations.items():
        kept = [line for line in lines if (line.edge, relation) in listed]
        if not kept:
            continue
        children.append(html.H3(relation))
        children.append(
            html.Ul(
                [html.Li(_relation_button(card, line)) for line in kept], className="relation-list"
            )
        )
    if n_lines > len(listed):
        children.append(
            html.P(
                f"Listed: {len(listed)} of {plural(n_lines, 'edge')}, those with the most claims "
                "shown. The map has the others: focus on this actor and click its edges there.",
                className="muted card-limit",
            )
        )
    if card.one_sided:
        children.append(html.H3("Claims without a second actor"))
        children += [claim_item(claim) for claim in card.one_sided[:CARD_CLAIMS_LIMIT]]
        if len(card.one_sided) > CARD_CLAIMS_LIMIT:
            more = len(card.one_sided) - CARD_CLAIMS_LIMIT
            children.append(html.P(f"and {plural(more, 'more claim')}", className="muted"))
    return children


# A card lists at most this many edges and one-sided claims: a hub of thousands of edges
# froze the browser for minutes (Dash wires every button of a card to one callback).
CARD_LINES_LIMIT = 60
CARD_CLAIMS_LIMIT = 50


def listed_lines(card: ActorCard) -> set[tuple[int, str]]:
    """(edge, relation) of the lines a card lists: all, or the ``CARD_LINES_LIMIT`` with
    the most claims shown (then the most claims, then by name)."""
    lines = [(line, relation) for relation, group in card.relations.items() for line in group]
    lines.sort(key=lambda item: (-item[0].shown, -item[0].total, item[0].other_name))
    return {(line.edge, relation) for line, relation in lines[:CARD_LINES_LIMIT]}


def _relation_button(card: ActorCard, line) -> html.Button:
    """One edge as a sentence, "Hezbollah trains al-Qaeda", that opens its evidence."""
    me = html.Strong(card.name)
    other = html.Span(line.other_name)
    subject, target = (me, other) if line.outgoing else (other, me)
    counts = (
        f" ({line.shown} of {plural(line.total, 'claim')} shown)"
        if line.shown != line.total
        else f" ({plural(line.total, 'claim')})"
    )
    return html.Button(
        [subject, html.Span(f" {line.relation} "), target, html.Span(counts, className="muted")],
        id={"type": ids.CARD_EDGE, "edge": line.edge},
        className="link-button" + ("" if line.shown else " hidden-edge"),
        n_clicks=0,
    )
