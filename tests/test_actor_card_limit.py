"""An actor card lists a bounded number of edges and one-sided claims, and says so: a hub
of 2,427 edges froze the browser for minutes (every button of a card is wired to one
pattern-matching callback)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from dash import html

from dashboard.query.evidence import ActorCard, RelationLine, edge_evidence
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web import ids
from dashboard.web.panels import CARD_CLAIMS_LIMIT, CARD_LINES_LIMIT, actor_panel


def walk(component):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif children is not None:
        yield from walk(children)


def buttons(panel: list) -> list[int]:
    """The edges the card's relation buttons open, in order."""
    return [
        c.id["edge"]
        for part in panel
        for c in walk(part)
        if isinstance(c, html.Button) and isinstance(c.id, dict) and c.id["type"] == ids.CARD_EDGE
    ]


def text(panel: list) -> str:
    return " ".join(c for part in panel for c in walk(part) if isinstance(c, str))


def hub(n_lines: int, n_one_sided: int, claim) -> ActorCard:
    """A card of ``n_lines`` edges over two relations; edge e has e % 97 claims shown."""
    relations = {"trains": [], "funds": []}
    for edge in range(n_lines):
        relation = "trains" if edge % 2 else "funds"
        shown = edge % 97
        relations[relation].append(
            RelationLine(edge, relation, True, f"Actor {edge:05d}", shown, shown + 1)
        )
    return ActorCard(
        actor_id="hub",
        name="Hub",
        type="group",
        aliases=(),
        description="",
        relations={r: tuple(lines) for r, lines in relations.items()},
        one_sided=(claim,) * n_one_sided,
        shown_claims=0,
        total_claims=0,
    )


@pytest.fixture(scope="module")
def claim(network):
    view = apply_filters(network, FilterState())
    return edge_evidence(view, network.edge_number("iran", "al-qaeda", "shelters")).claims[0]


@pytest.mark.parametrize(
    ("n_lines", "n_one_sided", "listed", "notes"),
    [
        (5, 0, 5, []),
        (CARD_LINES_LIMIT, CARD_CLAIMS_LIMIT, CARD_LINES_LIMIT, []),
        (2427, 0, CARD_LINES_LIMIT, [f"Listed: {CARD_LINES_LIMIT} of 2427 edges"]),
        (3, 120, 3, ["and 70 more claims"]),
    ],
)
def test_a_card_lists_at_most_its_limits_and_says_how_many_are_left(
    claim, n_lines, n_one_sided, listed, notes
):
    card = hub(n_lines, n_one_sided, replace(claim))
    panel = actor_panel(card)
    edges = buttons(panel)
    assert len(edges) == listed
    said = text(panel)
    for note in notes:
        assert note in said
    if not notes:
        assert "Listed:" not in said and "more claim" not in said
    # The lines kept are those with the most claims shown.
    shown = {line.edge: line.shown for lines in card.relations.values() for line in lines}
    left_out = set(shown) - set(edges)
    if left_out:
        assert min(shown[e] for e in edges) >= max(shown[e] for e in left_out)
    assert said.count(claim.quote) == min(n_one_sided, CARD_CLAIMS_LIMIT)
