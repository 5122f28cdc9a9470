"""Filters act on claims; an edge shows while at least one of its claims passes.

The pipeline is pure: a :class:`FilterState` and a :class:`~dashboard.graph.Network` give a
:class:`View` (which claims, edges and actors are shown, with recounted weights).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> view = apply_filters(net, FilterState(years=(1991, 1998), include_undated=False))
>>> view.counts_text()
'10 actors · 13 edges · 16 claims (of 66)'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from dashboard.graph import UNDATED, Network

STANCES = ("asserts", "denies")
MAX_DEPTH = 3


@dataclass(frozen=True)
class FilterState:
    """What the user asked to see. Empty selections mean "all".

    Build it through :func:`make_filter_state` (or keep to its conventions) so that
    equal views compare equal: no time range when it spans all the data, no stances
    when both are chosen.
    """

    years: tuple[int, int] | None = None
    include_undated: bool = True
    sources: frozenset[str] = field(default_factory=frozenset)
    relations: frozenset[str] = field(default_factory=frozenset)
    actor_types: frozenset[str] = field(default_factory=frozenset)
    stances: frozenset[str] = field(default_factory=frozenset)
    min_sources: int = 1
    focus: str | None = None
    depth: int = 1


def make_filter_state(network: Network, **values) -> FilterState:
    """A FilterState in canonical form, so that two routes to one view compare equal."""
    state = FilterState(**values)
    years = state.years
    if years is not None and (network.year_bounds is None or tuple(years) == network.year_bounds):
        years = None
    stances = state.stances if set(state.stances) != set(STANCES) else frozenset()
    return replace(state, years=years, stances=frozenset(stances))


@dataclass(frozen=True, eq=False)
class View:
    """The outcome of filtering: masks over claims, edges and actors, and recounts.

    ``edge_claims`` and ``edge_sources`` count, per edge, the passing claims and their
    distinct sources; ``edge_denials`` the passing denials; ``edge_opposed`` marks edges
    that a passing claim of opposite polarity, between the same actors from another
    source, contradicts; ``edge_first_day`` and ``edge_last_day`` span its dated claims.
    """

    network: Network
    claim_mask: np.ndarray
    edge_mask: np.ndarray
    node_mask: np.ndarray
    edge_claims: np.ndarray
    edge_sources: np.ndarray
    edge_denials: np.ndarray
    edge_opposed: np.ndarray
    edge_first_day: np.ndarray
    edge_last_day: np.ndarray

    @property
    def n_claims(self) -> int:
        return int(self.claim_mask.sum())

    @property
    def n_edges(self) -> int:
        return int(self.edge_mask.sum())

    @property
    def n_actors(self) -> int:
        return int(self.node_mask.sum())

    @property
    def edge_contested(self) -> np.ndarray:
        return (self.edge_denials > 0) | self.edge_opposed

    def counts_text(self) -> str:
        return (
            f"{self.n_actors} actors · {self.n_edges} edges · "
            f"{self.n_claims} claims (of {self.network.n_claims})"
        )

    @cached_property
    def node_claim_counts(self) -> np.ndarray:
        """Passing claims that touch each actor (as from or to)."""
        net = self.network
        mask = self.claim_mask
        counts = np.bincount(net.claim_from[mask], minlength=net.n_actors)
        targets = net.claim_to[mask]
        return counts + np.bincount(targets[targets >= 0], minlength=net.n_actors)

    @cached_property
    def node_degrees(self) -> np.ndarray:
        """Visible edges that touch each actor."""
        net, mask = self.network, self.edge_mask
        n = net.n_actors
        return np.bincount(net.edge_from[mask], minlength=n) + np.bincount(
            net.edge_to[mask], minlength=n
        )


def claim_mask(network: Network, state: FilterState) -> np.ndarray:
    """The claims that pass the time, source, relation, stance and actor-type filters."""
    mask = np.ones(network.n_claims, dtype=bool)
    if state.years is not None:
        first, last = state.years
        start = np.datetime64(f"{first:04d}-01-01", "D").astype(np.int64)
        end = np.datetime64(f"{last:04d}-12-31", "D").astype(np.int64)
        dated = network.claim_start_day != UNDATED
        overlaps = (network.claim_start_day <= end) & (network.claim_end_day >= start)
        mask &= np.where(dated, overlaps, state.include_undated)
    elif not state.include_undated:
        mask &= network.claim_start_day != UNDATED
    if state.sources:
        mask &= _in(network.sources, state.sources)[network.claim_source]
    if state.relations:
        mask &= _in(network.relations, state.relations)[network.claim_relation]
    if state.stances and set(state.stances) != set(STANCES):
        mask &= network.claim_denies == ("denies" in state.stances)
    if state.actor_types:
        allowed = _in(network.actor_types, state.actor_types)[network.actor_type]
        to_ok = np.where(network.claim_to >= 0, allowed[np.maximum(network.claim_to, 0)], True)
        mask &= allowed[network.claim_from] & to_ok
    return mask


def apply_filters(network: Network, state: FilterState) -> View:
    """Filter claims, then recount edges, drop edges below ``min_sources``, then focus."""
    mask = claim_mask(network, state)
    n_edges = len(network.edges)
    counts = _edge_counts(network, mask, n_edges)
    edge_mask = (counts[0] > 0) & (counts[1] >= state.min_sources)
    if state.focus is not None and state.focus in network.actor_code:
        keep_nodes = neighbourhood(network, edge_mask, network.actor_code[state.focus], state.depth)
        edge_mask &= keep_nodes[network.edge_from] & keep_nodes[network.edge_to]
    else:
        keep_nodes = None
    # A claim shows only while its edge does; one-sided claims follow their actor.
    if keep_nodes is not None or state.min_sources > 1:
        on_edge = network.claim_edge >= 0
        mask &= _claims_on_shown_edges(network.claim_edge, edge_mask)
        if keep_nodes is not None:
            mask &= on_edge | keep_nodes[network.claim_from]
        counts = _edge_counts(network, mask, n_edges)
    node_mask = np.zeros(network.n_actors, dtype=bool)
    node_mask[network.claim_from[mask]] = True
    targets = network.claim_to[mask]
    node_mask[targets[targets >= 0]] = True
    return View(
        network,
        mask,
        edge_mask,
        node_mask,
        *counts,
        _opposed_edges(network, mask, edge_mask),
        *_edge_time_spans(network, mask, n_edges),
    )


def _claims_on_shown_edges(claim_edge: np.ndarray, edge_mask: np.ndarray) -> np.ndarray:
    """Per claim: True unless it lies on an edge that ``edge_mask`` hides. One-sided
    claims (edge -1) pass; so do all claims of data with no drawable edge at all.

    >>> _claims_on_shown_edges(np.array([-1, -1]), np.zeros(0, dtype=bool)).tolist()
    [True, True]
    >>> _claims_on_shown_edges(np.array([0, 1, -1]), np.array([True, False])).tolist()
    [True, False, True]
    """
    passes = np.ones(len(claim_edge), dtype=bool)
    on_edge = claim_edge >= 0
    passes[on_edge] = edge_mask[claim_edge[on_edge]]
    return passes


def neighbourhood(network: Network, edge_mask: np.ndarray, centre: int, depth: int) -> np.ndarray:
    """Actors within ``depth`` steps of ``centre`` along visible edges, either direction."""
    a, b = network.edge_from[edge_mask], network.edge_to[edge_mask]
    reached = np.zeros(network.n_actors, dtype=bool)
    reached[centre] = True
    for _ in range(max(1, min(depth, MAX_DEPTH))):
        frontier = np.concatenate([b[reached[a]], a[reached[b]]])
        if reached[frontier].all():
            break
        reached[frontier] = True
    return reached


def _in(labels: np.ndarray, chosen: frozenset[str]) -> np.ndarray:
    return np.fromiter((label in chosen for label in labels), dtype=bool, count=len(labels))


def _edge_counts(network: Network, mask: np.ndarray, n_edges: int):
    edge = network.claim_edge[mask]
    drawn = edge >= 0
    edge = edge[drawn]
    claims = np.bincount(edge, minlength=n_edges)
    source = network.claim_source[mask][drawn]
    pairs = np.unique(edge.astype(np.int64) * len(network.sources) + source)
    sources = np.bincount(pairs // max(len(network.sources), 1), minlength=n_edges)
    denials = np.bincount(edge[network.claim_denies[mask][drawn]], minlength=n_edges)
    return claims, sources, denials


def _opposed_edges(network: Network, mask: np.ndarray, edge_mask: np.ndarray) -> np.ndarray:
    """Edges contradicted by a passing claim of opposite polarity from another source.

    The same source saying both (fights and, elsewhere, cooperates) is nuance, not
    contradiction; two sources disagreeing is. Arrays only: this runs on every filter.
    """
    sign = network.relation_polarity[network.claim_relation]
    relevant = mask & (network.claim_edge >= 0) & (sign != 0) & ~network.claim_denies
    opposed = np.zeros(len(network.edges), dtype=bool)
    if not relevant.any():
        return opposed
    a, b = network.claim_from[relevant], network.claim_to[relevant]
    pair = np.minimum(a, b).astype(np.int64) * (network.n_actors + 1) + np.maximum(a, b)
    side = pair * 2 + (sign[relevant] > 0)  # a (pair, polarity) number
    source = network.claim_source[relevant].astype(np.int64)
    n_sources = max(len(network.sources), 1)
    voices = np.unique(side * n_sources + source)  # each (pair, polarity, source) once
    voice_side = voices // n_sources
    sides, first, count = np.unique(voice_side, return_index=True, return_counts=True)
    only_source = voices[first] % n_sources
    other = side ^ 1  # the same pair, the other polarity
    where = np.minimum(np.searchsorted(sides, other), len(sides) - 1)
    present = sides[where] == other
    n_against = np.where(present, count[where], 0)
    contradicted = (n_against >= 2) | ((n_against == 1) & (only_source[where] != source))
    opposed[network.claim_edge[relevant][contradicted]] = True
    return opposed & edge_mask


def _edge_time_spans(network: Network, mask: np.ndarray, n_edges: int):
    edge = network.claim_edge[mask]
    start = network.claim_start_day[mask]
    end = network.claim_end_day[mask]
    dated = (edge >= 0) & (start != UNDATED)
    first = np.full(n_edges, np.iinfo(np.int64).max)
    last = np.full(n_edges, UNDATED)
    np.minimum.at(first, edge[dated], start[dated])
    np.maximum.at(last, edge[dated], end[dated])
    first[first == np.iinfo(np.int64).max] = UNDATED
    return first, last
