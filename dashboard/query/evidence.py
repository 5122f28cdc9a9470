"""What the evidence panel shows for a clicked edge or actor; pure, plain data out.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> net = Network.from_dataset(load_or_raise("data"))
>>> edge = net.edge_number("iran", "al-qaeda", "shelters")
>>> shown = edge_evidence(apply_filters(net, FilterState()), edge)
>>> len(shown.claims), shown.hidden
(5, 0)
>>> narrowed = edge_evidence(apply_filters(net, FilterState(years=(2009, 2026))), edge)
>>> len(narrowed.claims), narrowed.hidden
(4, 1)
>>> paged = edge_evidence(apply_filters(net, FilterState()), edge, page=1, per_page=2)
>>> len(paged.claims), paged.total, paged.pages
(2, 5, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.data.claims import is_safe_url
from dashboard.query.filters import View, opposing_claims


@dataclass(frozen=True)
class ClaimCard:
    """One claim as the panel shows it. ``url`` is empty unless it is safe to link."""

    claim_id: str
    quote: str
    source: str
    stance: str
    when: str
    document: str
    url: str
    published: str
    verified: bool
    line: int
    row_claims: int = 1  # more than one: its row named several actors


@dataclass(frozen=True)
class OpposingClaim:
    """A claim on another edge that contests this one: "Iran fights al-Qaeda" vs "shelters"."""

    edge: int
    sentence: str
    card: ClaimCard


@dataclass(frozen=True)
class EdgeEvidence:
    """One page of the claims on an edge that pass the filters (and the search).

    ``total`` counts the passing claims that match the search, ``hidden`` the edge's
    claims the filters hide; ``opposing`` lists the claims on other edges that contest it.
    """

    edge: int
    from_id: str
    from_name: str
    relation: str
    to_id: str
    to_name: str
    claims: tuple[ClaimCard, ...]
    hidden: int
    contested: bool
    denials: int
    total: int = 0
    page: int = 0
    per_page: int = 50
    order: str = "date"
    search: str = ""
    opposing: tuple[OpposingClaim, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class RelationLine:
    """One edge on an actor card: ``outgoing`` when the actor is its ``from``."""

    edge: int
    relation: str
    outgoing: bool
    other_name: str
    shown: int
    total: int


@dataclass(frozen=True)
class ActorCard:
    actor_id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    description: str
    relations: dict[str, tuple[RelationLine, ...]]
    one_sided: tuple[ClaimCard, ...]
    shown_claims: int
    total_claims: int


def describe_time_span(start: str, end: str) -> str:
    """The claim's time span as people write it.

    >>> describe_time_span("1991", "1992"), describe_time_span("2009", "present")
    ('1991 – 1992', 'since 2009')
    >>> describe_time_span("1998-08", ""), describe_time_span("", "")
    ('1998-08', 'undated')
    """
    if not start:
        return "undated"
    if end.casefold() == "present":
        return f"since {start}"
    return f"{start} – {end}" if end and end != start else start


ORDERS = {
    "date": ["_undated", "span_start", "source", "line"],
    "source": ["_source", "_undated", "span_start", "line"],
}
PER_PAGE = 50


def _ordered(claims: pd.DataFrame, order: str = "date", by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Oldest first (undated last), or by source A-Z then oldest first; within ``by``."""
    keys = claims.assign(
        _undated=claims["span_start"].isna(), _source=claims["source"].str.casefold()
    )
    return keys.sort_values([*by, *ORDERS.get(order, ORDERS["date"])], kind="stable")


def _matching(claims: pd.DataFrame, search: str) -> pd.DataFrame:
    """The claims whose quote, source or document contains ``search`` (any case)."""
    if not search:
        return claims
    found = np.zeros(len(claims), dtype=bool)
    for column in ("quote", "source", "document"):
        found |= claims[column].str.contains(search, case=False, regex=False).to_numpy()
    return claims[found]


def _cards(claims: pd.DataFrame, order: str = "date") -> tuple[ClaimCard, ...]:
    return _card_list(_ordered(claims, order))


def _card_list(ordered: pd.DataFrame) -> tuple[ClaimCard, ...]:
    return tuple(
        ClaimCard(
            claim_id=str(claim_id),
            quote=row.quote,
            source=row.source,
            stance=row.stance,
            when=describe_time_span(row.start, row.end),
            document=row.document,
            url=row.url if is_safe_url(row.url) else "",
            published=row.published,
            verified=bool(row.verified),
            line=int(row.line),
            row_claims=int(getattr(row, "row_claims", 1)),
        )
        for claim_id, row in zip(ordered.index, ordered.itertuples(index=False), strict=True)
    )


def edge_evidence(
    view: View,
    edge: int,
    page: int = 0,
    per_page: int = PER_PAGE,
    order: str = "date",
    search: str = "",
) -> EdgeEvidence:
    """One page of the claims on ``edge`` that pass the filters and match ``search``, in
    ``order``; how many the filters hide; the claims elsewhere that contest the edge.

    Only the page's claims are turned into cards: an edge of 100,000 claims opens fast.
    """
    net = view.network
    on_edge = np.flatnonzero(net.claim_edge == edge)
    passing = on_edge[view.claim_mask[on_edge]]
    claims = _matching(net.claims.iloc[passing], search)
    total = len(claims)
    page = min(max(page, 0), max(0, -(-total // per_page) - 1))
    ordered = _ordered(claims, order)
    from_code, to_code = int(net.edge_from[edge]), int(net.edge_to[edge])
    relation = net.edges["relation"].iat[edge]
    return EdgeEvidence(
        edge=edge,
        from_id=net.actor_ids[from_code],
        from_name=net.actor_names[from_code],
        relation=relation,
        to_id=net.actor_ids[to_code],
        to_name=net.actor_names[to_code],
        claims=_card_list(ordered.iloc[page * per_page : (page + 1) * per_page]),
        hidden=int(len(on_edge) - len(passing)),
        contested=bool(view.edge_mask[edge] and view.edge_contested[edge]),
        denials=int(view.edge_denials[edge]),
        total=total,
        page=page,
        per_page=per_page,
        order=order if order in ORDERS else "date",
        search=search,
        opposing=_opposing(view, edge),
    )


OPPOSING_LIMIT = 20


def _opposing(view: View, edge: int) -> tuple[OpposingClaim, ...]:
    net = view.network
    if not (view.edge_mask[edge] and view.edge_opposed[edge]):
        return ()
    codes = opposing_claims(view, edge)
    codes = codes[~net.claim_denies[codes] | (net.claim_edge[codes] != edge)][:OPPOSING_LIMIT]
    cards = {card.claim_id: card for card in _cards(net.claims.iloc[codes])}
    return tuple(
        OpposingClaim(
            edge=int(net.claim_edge[code]),
            sentence=" ".join(
                [
                    net.actor_names[net.claim_from[code]],
                    net.relations[net.claim_relation[code]],
                    net.actor_names[net.claim_to[code]],
                ]
            ),
            card=cards[str(net.claims.index[code])],
        )
        for code in codes.tolist()
    )


def edges_evidence(view: View, edges) -> dict[int, EdgeEvidence]:
    """:func:`edge_evidence` for many edges in one pass over the claims (a path's hops
    bundle dozens of edges; one pass per edge would take most of a second)."""
    net = view.network
    edges = sorted({int(e) for e in edges})
    wanted = np.zeros(len(net.edges), dtype=bool)
    wanted[edges] = True
    on_edge = (net.claim_edge >= 0) & wanted[np.maximum(net.claim_edge, 0)]
    shown = on_edge & view.claim_mask
    ordered = _ordered(net.claims[shown].assign(_edge=net.claim_edge[shown]), by=("_edge",))
    cards = _card_list(ordered)
    bounds = np.searchsorted(ordered["_edge"].to_numpy(), [*edges, len(net.edges)])
    totals = np.bincount(net.claim_edge[on_edge], minlength=len(net.edges))
    relations = net.edges["relation"].to_numpy()
    contested = view.edge_contested
    found = {}
    for edge, low, high in zip(edges, bounds[:-1], bounds[1:], strict=True):
        a, b = int(net.edge_from[edge]), int(net.edge_to[edge])
        found[edge] = EdgeEvidence(
            edge=edge,
            from_id=net.actor_ids[a],
            from_name=net.actor_names[a],
            relation=relations[edge],
            to_id=net.actor_ids[b],
            to_name=net.actor_names[b],
            claims=cards[low:high],
            hidden=int(totals[edge] - (high - low)),
            contested=bool(view.edge_mask[edge] and contested[edge]),
            denials=int(view.edge_denials[edge]),
            total=int(high - low),
            opposing=_opposing(view, edge),
        )
    return found


def actor_card(view: View, actor: int) -> ActorCard:
    """The actor's details and its relations, grouped by relation type, with claim counts."""
    net = view.network
    row = net.actors.iloc[actor]
    relations = net.edges["relation"].to_numpy()
    touching = np.flatnonzero((net.edge_from == actor) | (net.edge_to == actor))
    groups: dict[str, list[RelationLine]] = {}
    for e in touching.tolist():
        outgoing = int(net.edge_from[e]) == actor
        other = int(net.edge_to[e] if outgoing else net.edge_from[e])
        groups.setdefault(relations[e], []).append(
            RelationLine(
                edge=e,
                relation=relations[e],
                outgoing=outgoing,
                other_name=net.actor_names[other],
                shown=int(view.edge_claims[e]) if view.edge_mask[e] else 0,
                total=int(net.edge_claim_totals[e]),
            )
        )
    ordered = {
        relation: tuple(
            sorted(lines, key=lambda line: (not line.outgoing, -line.shown, line.other_name))
        )
        for relation, lines in sorted(groups.items())
    }
    mine = (net.claim_from == actor) | (net.claim_to == actor)
    one_sided = (net.claim_from == actor) & (net.claim_to < 0) & view.claim_mask
    return ActorCard(
        actor_id=net.actor_ids[actor],
        name=row["name"],
        type=row["type"],
        aliases=tuple(row["aliases"]),
        description=row["description"],
        relations=ordered,
        one_sided=_cards(net.claims[one_sided]),
        shown_claims=int((mine & view.claim_mask).sum()),
        total_claims=int(mine.sum()),
    )
