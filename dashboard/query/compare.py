"""Two periods compared: which edges are only in A, only in B, in both, or changed.

Each period is the view of the filters with the period as their time range, undated
claims left out (an undated claim cannot be placed in either period). An edge
(from, relation, to) is *in* a period when it shows there. Its *stance* there is
``asserts`` when a claim shown in the period asserts it, else ``denies``.

Compared per pair of actors (either direction) and family: in each period, a pair has a
set of (family, stance), one per edge of the pair shown there. An edge is **changed**
when its pair shows in both periods and the edge's (family, stance) in a period where
it shows is missing from the pair's set in the other period: "allied with" in A and
"fights" in B (cooperation became conflict), or "trains" asserted in A and only denied
in B. Otherwise an edge is **kept** (in both), **gone** (only in A) or **new** (only in
B). "Trains" in A and "funds" in B between the same two actors are gone and new, not
changed: the pair still cooperates.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState
>>> from dashboard.query.periods import parse_bound
>>> net = Network.from_dataset(load_or_raise("data"))
>>> a = (parse_bound("1991", False), parse_bound("2000", True))
>>> b = (parse_bound("2001", False), parse_bound("2010", True))
>>> result = compare_periods(net, FilterState(), a, b)
>>> result.summary()
'only in A (1991–2000): 11 · only in B (2001–2010): 4 · in both: 2 · changed: 0'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.graph import Network
from dashboard.query import periods
from dashboard.query.filters import FilterState, View, apply_filters, make_filter_state

GONE, NEW, KEPT, CHANGED = 0, 1, 2, 3
STATUSES = ("gone", "new", "kept", "changed")
ORDER = (CHANGED, NEW, GONE, KEPT)  # how the table lists them


@dataclass(frozen=True, eq=False)
class Comparison:
    """The edges shown in period A or B, each with its status and its claims in each."""

    network: Network
    a: tuple[int, int]
    b: tuple[int, int]
    view_a: View
    view_b: View
    edges: np.ndarray  # edge numbers, in A or B
    status: np.ndarray  # GONE, NEW, KEPT or CHANGED per listed edge

    @property
    def label_a(self) -> str:
        return periods.period_label(*self.a)

    @property
    def label_b(self) -> str:
        return periods.period_label(*self.b)

    def status_names(self) -> dict[int, str]:
        return {
            GONE: f"only in A ({self.label_a})",
            NEW: f"only in B ({self.label_b})",
            KEPT: "in both",
            CHANGED: "changed",
        }

    def counts(self) -> dict[int, int]:
        return {s: int((self.status == s).sum()) for s in (GONE, NEW, KEPT, CHANGED)}

    def summary(self) -> str:
        names, counts = self.status_names(), self.counts()
        return " · ".join(f"{names[s]}: {counts[s]:,}" for s in (GONE, NEW, KEPT, CHANGED))

    def stance(self, edge: int, period: str) -> str:
        """``asserts``, ``denies``, or ``""`` when the edge does not show in the period."""
        view = self.view_a if period == "a" else self.view_b
        if not view.edge_mask[edge]:
            return ""
        return "asserts" if view.edge_claims[edge] > view.edge_denials[edge] else "denies"

    def pair_families(self, edge: int, period: str) -> list[str]:
        """What the edge's pair of actors is in a period: ``family (relation, …)`` each,
        with ``denied`` for families only denied there."""
        net = self.network
        view = self.view_a if period == "a" else self.view_b
        a, b = net.edge_from[edge], net.edge_to[edge]
        same = (
            ((net.edge_from == a) & (net.edge_to == b))
            | ((net.edge_from == b) & (net.edge_to == a))
        ) & view.edge_mask
        by_family: dict[str, list[str]] = {}
        for e in np.flatnonzero(same).tolist():
            family = net.families.names[net.edge_family[e]]
            relation = net.edges["relation"].iat[e]
            if self.stance(e, period) == "denies":
                relation += " (denied)"
            by_family.setdefault(family, []).append(relation)
        return [
            f"{family} ({', '.join(sorted(set(r)))})" for family, r in sorted(by_family.items())
        ]


def period_filters(network: Network, filters: FilterState, period: tuple[int, int]) -> FilterState:
    """``filters`` with ``period`` as their time range, undated claims left out."""
    values = {name: getattr(filters, name) for name in filters.__dataclass_fields__}
    values.update(years=None, days=tuple(period), include_undated=False)
    return make_filter_state(network, **values)


def compare_periods(
    network: Network,
    filters: FilterState,
    a: tuple[int, int],
    b: tuple[int, int],
    views=None,
) -> Comparison:
    """Compare periods ``a`` and ``b`` (first and last day each) under ``filters`` (their
    own time range aside). ``views`` (FilterState -> View) memoises the filtering."""
    views = views or (lambda state: apply_filters(network, state))
    view_a = views(period_filters(network, filters, a))
    view_b = views(period_filters(network, filters, b))
    in_a, in_b = view_a.edge_mask, view_b.edge_mask
    edges = np.flatnonzero(in_a | in_b)
    status = np.where(in_a[edges] & in_b[edges], KEPT, np.where(in_a[edges], GONE, NEW))
    changed = _changed(network, view_a, view_b)[edges]
    status = np.where(changed, CHANGED, status).astype(np.int8)
    return Comparison(network, tuple(a), tuple(b), view_a, view_b, edges, status)


def _changed(network: Network, view_a: View, view_b: View) -> np.ndarray:
    """Per edge: its pair shows in both periods, and its (family, stance) in a period
    where it shows is not among the pair's in the other period."""
    low = np.minimum(network.edge_from, network.edge_to).astype(np.int64)
    high = np.maximum(network.edge_from, network.edge_to).astype(np.int64)
    pair = low * (network.n_actors + 1) + high
    n_families = max(len(network.families.names), 1)
    family = network.edge_family.astype(np.int64)

    def keys(view: View) -> np.ndarray:
        denies = (view.edge_claims <= view.edge_denials).astype(np.int64)
        return (pair * n_families + family) * 2 + denies

    in_a, in_b = view_a.edge_mask, view_b.edge_mask
    key_a, key_b = keys(view_a), keys(view_b)
    both_pairs = np.intersect1d(pair[in_a], pair[in_b])
    linked_in_both = np.isin(pair, both_pairs)
    missing_in_b = in_a & ~np.isin(key_a, key_b[in_b])
    missing_in_a = in_b & ~np.isin(key_b, key_a[in_a])
    return linked_in_both & (missing_in_b | missing_in_a)


def listed(comparison: Comparison, limit: int | None = None) -> list[tuple[int, int]]:
    """(edge, status) in the table's order: changed, new, gone, kept; within a status
    by the most claims in both periods, then by edge number."""
    total = comparison.view_a.edge_claims + comparison.view_b.edge_claims
    rank = {status: i for i, status in enumerate(ORDER)}
    rows = sorted(
        zip(comparison.edges.tolist(), comparison.status.tolist(), strict=True),
        key=lambda row: (rank[row[1]], -int(total[row[0]]), row[0]),
    )
    return rows if limit is None else rows[:limit]
