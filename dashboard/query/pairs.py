"""Everything between two actors: the question analysts ask first ("what connects Iran
and al-Qaeda, and who says so?") answered in one place.

A *pair view* gathers the claims that pass the filters on every edge joining two actors,
either direction, grouped by edge (one relation, one direction), each group with its
counts, its assertions beside its denials, oldest first. Pure: a :class:`View` in,
plain data out; only one page of groups is turned into claim cards, so a pair with
thousands of claims opens as fast as one with ten.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> net = Network.from_dataset(load_or_raise("data"))
>>> view = apply_filters(net, FilterState())
>>> iran, aq = net.actor_code["iran"], net.actor_code["al-qaeda"]
>>> pair = pair_evidence(view, iran, aq)
>>> pair.total, len(pair.rows), pair.rows[0].sentence
(20, 7, 'Iran cooperates with al-Qaeda')
>>> row = pair.rows[0]
>>> row.asserts, row.denies, row.contested
(6, 1, True)
>>> len(pair_edges(view, iran, aq)), len(pair_edges(apply_filters(net, FilterState(
...     sources=frozenset({"9/11 Commission"}))), iran, aq))
(7, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.arrays import distinct
from dashboard.graph import UNDATED, day_years
from dashboard.query.evidence import ORDERS, ClaimCard, _card_list, _matching, _ordered
from dashboard.query.filters import View

GROUPS_PER_PAGE = 10  # groups (edges) given claim cards per page
PER_STANCE = 10  # claim cards per stance in a group; the edge's own panel pages the rest


@dataclass(frozen=True)
class PairRow:
    """One edge between the two actors, counted: a line of the pair's overview."""

    edge: int
    from_name: str
    relation: str
    to_name: str
    outgoing: bool  # from the pair's first actor to its second
    claims: int
    asserts: int
    denies: int
    sources: int
    when: str
    contested: bool

    @property
    def sentence(self) -> str:
        return f"{self.from_name} {self.relation} {self.to_name}"


@dataclass(frozen=True)
class PairGroup:
    """A row with its claims: the first ``PER_STANCE`` assertions and denials, in order."""

    row: PairRow
    asserting: tuple[ClaimCard, ...]
    denying: tuple[ClaimCard, ...]

    @property
    def more_asserting(self) -> int:
        return self.row.asserts - len(self.asserting)

    @property
    def more_denying(self) -> int:
        return self.row.denies - len(self.denying)


@dataclass(frozen=True)
class PairEvidence:
    """The claims between two actors that pass the filters (and match ``search``).

    ``rows`` counts every edge between them, most claims first; ``groups`` holds this
    page's edges with their claim cards. ``hidden`` counts the claims between them that
    the filters hide.
    """

    first_id: str
    first_name: str
    second_id: str
    second_name: str
    rows: tuple[PairRow, ...]
    groups: tuple[PairGroup, ...]
    total: int
    asserts: int
    denies: int
    hidden: int
    page: int = 0
    per_page: int = GROUPS_PER_PAGE
    order: str = "date"
    search: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // self.per_page))

    @property
    def contested(self) -> int:
        return sum(row.contested for row in self.rows)

    @property
    def truncated(self) -> bool:
        """More claims than this page shows: more pages, or groups cut short."""
        return self.pages > 1 or any(g.more_asserting or g.more_denying for g in self.groups)


def between(network, a: int, b: int, codes: np.ndarray | None = None) -> np.ndarray:
    """Which of ``codes`` (default: every claim; or every edge, given the edge arrays)
    join ``a`` and ``b``, either direction."""
    f, t = codes if codes is not None else (network.claim_from, network.claim_to)
    return ((f == a) & (t == b)) | ((f == b) & (t == a))


def pair_claims(network, a: int, b: int) -> np.ndarray:
    """The drawn claims between ``a`` and ``b`` (either direction), as row numbers."""
    return np.flatnonzero(between(network, a, b) & (network.claim_edge >= 0))


def pair_edges(view: View, a: int, b: int) -> np.ndarray:
    """The shown edges between ``a`` and ``b``, either direction: the bundle a click on
    any of them opens."""
    net = view.network
    return np.flatnonzero(between(net, a, b, (net.edge_from, net.edge_to)) & view.edge_mask)


def bundle_of(view: View, edge: int) -> np.ndarray:
    """The shown edges joining the same two actors as ``edge`` (itself included)."""
    net = view.network
    return pair_edges(view, int(net.edge_from[edge]), int(net.edge_to[edge]))


def describe_years(first: int | None, last: int | None, undated: int) -> str:
    """A group's time span: ``1991–2009``, ``2001``, ``undated``, ``1996 (+2 undated)``.

    >>> describe_years(1991, 2009, 0), describe_years(2001, 2001, 0)
    ('1991–2009', '2001')
    >>> describe_years(None, None, 3), describe_years(1996, 1998, 2)
    ('undated', '1996–1998 (+2 undated)')
    """
    if first is None:
        return "undated"
    span = str(first) if first == last else f"{first}–{last}"
    return span + (f" (+{undated} undated)" if undated else "")


def _rows(view: View, codes: np.ndarray, first: int) -> list[PairRow]:
    """One row per edge among ``codes`` (passing claims between the pair), most first."""
    net = view.network
    edges = net.claim_edge[codes]
    numbers, inverse, counts = np.unique(edges, return_inverse=True, return_counts=True)
    denies = np.bincount(inverse, weights=net.claim_denies[codes], minlength=len(numbers))
    pairs = distinct(inverse.astype(np.int64) * len(net.sources) + net.claim_source[codes])
    sources = np.bincount(pairs // max(len(net.sources), 1), minlength=len(numbers))
    start, end = net.claim_start_day[codes], net.claim_end_day[codes]
    dated = start != UNDATED
    first_day = np.full(len(numbers), np.iinfo(np.int64).max)
    last_day = np.full(len(numbers), np.iinfo(np.int64).min)
    np.minimum.at(first_day, inverse[dated], start[dated])
    np.maximum.at(last_day, inverse[dated], end[dated])
    undated = np.bincount(inverse[~dated], minlength=len(numbers))
    relations = net.edges["relation"].to_numpy()
    rows = []
    for i, edge in enumerate(numbers.tolist()):
        has_dates = undated[i] < counts[i]
        from_code, to_code = int(net.edge_from[edge]), int(net.edge_to[edge])
        rows.append(
            PairRow(
                edge=edge,
                from_name=net.actor_names[from_code],
                relation=relations[edge],
                to_name=net.actor_names[to_code],
                outgoing=from_code == first,
                claims=int(counts[i]),
                asserts=int(counts[i] - denies[i]),
                denies=int(denies[i]),
                sources=int(sources[i]),
                when=describe_years(
                    int(day_years(first_day[i])) if has_dates else None,
                    int(day_years(last_day[i])) if has_dates else None,
                    int(undated[i]),
                ),
                contested=bool(view.edge_mask[edge] and view.edge_contested[edge]),
            )
        )
    return sorted(rows, key=lambda r: (-r.claims, not r.outgoing, r.relation.casefold()))


def pair_evidence(
    view: View,
    a: int,
    b: int,
    page: int = 0,
    order: str = "date",
    search: str = "",
    per_page: int = GROUPS_PER_PAGE,
    per_stance: int = PER_STANCE,
) -> PairEvidence:
    """The claims between actors ``a`` and ``b`` that pass the filters and match
    ``search``: every edge counted, one page of edges with their claims in ``order``."""
    net = view.network
    everything = pair_claims(net, a, b)
    passing = everything[view.claim_mask[everything]]
    codes = _matching(net.claims.iloc[passing].assign(_code=passing), search)["_code"].to_numpy()
    rows = _rows(view, codes, a)
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page, 0), pages - 1)
    order = order if order in ORDERS else "date"
    groups = []
    for row in rows[page * per_page : (page + 1) * per_page]:
        on_edge = codes[net.claim_edge[codes] == row.edge]
        ordered = _ordered(net.claims.iloc[on_edge], order)
        denial = ordered["stance"].to_numpy() == "denies"
        groups.append(
            PairGroup(
                row=row,
                asserting=_card_list(ordered[~denial].iloc[:per_stance]),
                denying=_card_list(ordered[denial].iloc[:per_stance]),
            )
        )
    n_denies = int(net.claim_denies[codes].sum())
    return PairEvidence(
        first_id=net.actor_ids[a],
        first_name=net.actor_names[a],
        second_id=net.actor_ids[b],
        second_name=net.actor_names[b],
        rows=tuple(rows),
        groups=tuple(groups),
        total=len(codes),
        asserts=len(codes) - n_denies,
        denies=n_denies,
        hidden=len(everything) - len(passing),
        page=page,
        per_page=per_page,
        order=order,
        search=search,
    )


@dataclass(frozen=True)
class Neighbour:
    """An actor joined to another by at least one edge, counted under the filters."""

    code: int
    name: str
    edges: int  # edges between them shown
    claims: int  # claims between them shown
    total: int  # claims between them, filters aside


def neighbours_of(view: View, actor: int) -> tuple[Neighbour, ...]:
    """Everyone ``actor`` has an edge with, most claims shown first: each opens a pair."""
    net = view.network
    touching = np.flatnonzero((net.edge_from == actor) | (net.edge_to == actor))
    other = np.where(
        net.edge_from[touching] == actor, net.edge_to[touching], net.edge_from[touching]
    )
    codes, inverse = np.unique(other, return_inverse=True)
    shown = view.edge_mask[touching]
    edges = np.bincount(inverse, weights=shown, minlength=len(codes))
    claims = np.bincount(inverse, weights=view.edge_claims[touching] * shown, minlength=len(codes))
    totals = np.bincount(inverse, weights=net.edge_claim_totals[touching], minlength=len(codes))
    found = [
        Neighbour(code, net.actor_names[code], int(e), int(c), int(t))
        for code, e, c, t in zip(codes.tolist(), edges, claims, totals, strict=True)
    ]
    return tuple(sorted(found, key=lambda n: (-n.claims, -n.total, n.name.casefold())))
