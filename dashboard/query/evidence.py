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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.data.claims import is_safe_url
from dashboard.query.filters import View


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
class EdgeEvidence:
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


def _cards(claims: pd.DataFrame) -> tuple[ClaimCard, ...]:
    ordered = claims.assign(_undated=claims["span_start"].isna()).sort_values(
        ["_undated", "span_start", "source", "line"], kind="stable"
    )
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


def edge_evidence(view: View, edge: int) -> EdgeEvidence:
    """Every claim on ``edge`` that passes the filters, oldest first; how many are hidden."""
    net = view.network
    on_edge = net.claim_edge == edge
    shown = on_edge & view.claim_mask
    from_code, to_code, relation = net.edges.iloc[edge][["from", "to", "relation"]]
    return EdgeEvidence(
        edge=edge,
        from_id=net.actor_ids[from_code],
        from_name=net.actor_names[from_code],
        relation=relation,
        to_id=net.actor_ids[to_code],
        to_name=net.actor_names[to_code],
        claims=_cards(net.claims[shown]),
        hidden=int(on_edge.sum() - shown.sum()),
        contested=bool(view.edge_mask[edge] and view.edge_contested[edge]),
        denials=int(view.edge_denials[edge]),
    )


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
