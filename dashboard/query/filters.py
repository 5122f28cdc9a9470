"""Filters act on claims; an edge shows while at least one of its claims passes.

The pipeline is pure: a :class:`FilterState` and a :class:`~dashboard.graph.Network` give a
:class:`View` (which claims, edges and actors are shown, with recounted weights).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> view = apply_filters(net, FilterState(years=(1991, 1998), include_undated=False))
>>> view.counts_text()
'10 actors · 13 edges · 16 claims (of 66): 16 in 1991–1998'
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from dashboard.arrays import distinct
from dashboard.graph import UNDATED, Network
from dashboard.query import periods
from dashboard.query.actor_types import DEFAULT_MATCH, type_claim_mask
from dashboard.text import plural

STANCES = ("asserts", "denies")
MAX_DEPTH = 3


@dataclass(frozen=True)
class FilterState:
    """What the user asked to see. Empty selections mean "all".

    Build it through :func:`make_filter_state` (or keep to its conventions) so that
    equal views compare equal: no time range when it spans all the data, no stances
    when both are chosen.

    The time range is ``years`` (first and last year) or, when it is not whole years,
    ``days`` (first and last day number, see :mod:`dashboard.query.periods`); a
    ``days`` range of whole years is stored as ``years``, so one range has one form.
    """

    years: tuple[int, int] | None = None
    include_undated: bool = True
    sources: frozenset[str] = field(default_factory=frozenset)
    relations: frozenset[str] = field(default_factory=frozenset)
    actor_types: frozenset[str] = field(default_factory=frozenset)
    type_match: str = DEFAULT_MATCH  # both ends of a claim of a picked type, or either
    stances: frozenset[str] = field(default_factory=frozenset)
    min_sources: int = 1
    focus: str | None = None
    depth: int = 1
    days: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.days is not None:
            first, last = (int(d) for d in self.days)
            if periods.precision(first, last) == "year":
                years = (periods.ymd(first)[0], periods.ymd(last)[0])
                object.__setattr__(self, "years", years)
                object.__setattr__(self, "days", None)
            else:
                object.__setattr__(self, "years", None)
                object.__setattr__(self, "days", (first, last))

    @property
    def day_range(self) -> tuple[int, int] | None:
        """The time range as first and last day numbers, or None when there is none."""
        if self.days is not None:
            return self.days
        if self.years is not None:
            return periods.year_first_day(self.years[0]), periods.year_last_day(self.years[1])
        return None

    @property
    def period_label(self) -> str | None:
        """The time range as captions write it (``1991–1998``, ``2014-03 – 2014-06``)."""
        span = self.day_range
        return None if span is None else periods.period_label(*span)

    def without_time(self) -> FilterState:
        """The same filters with no time range."""
        return replace(self, years=None, days=None)


def make_filter_state(network: Network, **values) -> FilterState:
    """A FilterState in canonical form, so that two routes to one view compare equal."""
    state = FilterState(**values)
    scale = periods.time_scale(network)
    if state.day_range is not None and (scale is None or state.day_range == scale.full):
        state = state.without_time()
    stances = state.stances if set(state.stances) != set(STANCES) else frozenset()
    # Without picked types, the rule for matching them changes nothing.
    type_match = state.type_match if state.actor_types else DEFAULT_MATCH
    return replace(state, stances=frozenset(stances), type_match=type_match)


def counts_line(
    actors: int, edges: int, claims: int, total: int, period: str | None, undated: int
) -> str:
    """The counts line both engines' views write.

    >>> counts_line(23, 31, 61, 66, "1991–1998", 45)
    '23 actors · 31 edges · 61 claims (of 66): 16 in 1991–1998 + 45 undated'
    """
    text = (
        f"{plural(actors, 'actor')} · {plural(edges, 'edge')} · "
        f"{plural(claims, 'claim')} (of {total})"
    )
    if period is None:
        return text
    text += f": {claims - undated} in {period}"
    # The undated ones are among the claims shown, beside those dated in the range.
    return text + (f" + {undated} undated" if undated else "")


@dataclass(frozen=True, eq=False)
class View:
    """The outcome of filtering: masks over claims, edges and actors, and recounts.

    ``edge_claims`` and ``edge_sources`` count, per edge, the passing claims and their
    distinct sources; ``edge_denials`` the passing denials and ``edge_undated`` the
    passing undated claims; ``edge_opposed`` marks edges that a passing claim of the
    opposite family contradicts (see :func:`opposing_claims`); ``edge_first_day`` and
    ``edge_last_day`` span its dated claims.
    """

    network: Network
    claim_mask: np.ndarray
    edge_mask: np.ndarray
    node_mask: np.ndarray
    edge_claims: np.ndarray
    edge_sources: np.ndarray
    edge_denials: np.ndarray
    edge_undated: np.ndarray
    edge_opposed: np.ndarray
    edge_first_day: np.ndarray
    edge_last_day: np.ndarray
    state: FilterState = field(default_factory=FilterState)

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
        """Edges with a passing denial, or contradicted (see :func:`opposing_claims`)."""
        return (self.edge_denials > 0) | self.edge_opposed

    @property
    def edge_denied_only(self) -> np.ndarray:
        """Edges whose every passing claim is a denial: nobody here asserts them."""
        return (self.edge_claims > 0) & (self.edge_denials == self.edge_claims)

    @property
    def edge_undated_only(self) -> np.ndarray:
        """Edges whose every passing claim is undated."""
        return (self.edge_claims > 0) & (self.edge_undated == self.edge_claims)

    def counts_text(self) -> str:
        """What is shown, e.g. ``23 actors · 31 edges · 61 claims (of 66)``; with a time
        range, how many of the claims are dated in it and how many are undated."""
        period = self.state.period_label
        undated = 0
        if period is not None:
            undated = int((self.claim_mask & (self.network.claim_start_day == UNDATED)).sum())
        return counts_line(
            self.n_actors, self.n_edges, self.n_claims, self.network.n_claims, period, undated
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
    if state.day_range is not None:
        start, end = state.day_range
        dated = network.claim_start_day != UNDATED
        overlaps = (network.claim_start_day <= end) & (network.claim_end_day >= start)
        mask &= np.where(dated, overlaps, state.include_undated)
    elif not state.include_undated:
        mask &= network.claim_start_day != UNDATED
    if state.sources:
        chosen = _in(network.sources, state.sources)
        if network.source_pairs is None:
            mask &= chosen[network.claim_source]
        else:  # a claim citing several sources passes when one of them is chosen
            cites = np.zeros(network.n_claims, dtype=bool)
            cites[network.pair_claim[chosen[network.pair_source]]] = True
            mask &= cites
    if state.relations:
        mask &= _in(network.relations, state.relations)[network.claim_relation]
    if state.stances and set(state.stances) != set(STANCES):
        mask &= network.claim_denies == ("denies" in state.stances)
    if state.actor_types:
        mask &= type_claim_mask(network, state.actor_types, state.type_match)
    return mask


def apply_filters(network: Network, state: FilterState) -> View:
    """Filter claims, then recount edges, drop edges below ``min_sources``, then focus."""
    mask = claim_mask(network, state)
    n_edges = len(network.edges)
    # Of a claim citing several sources, only the chosen ones count (as for other claims).
    cited = _cited_pairs(network, mask, state)
    counts = _edge_counts(network, mask, n_edges, cited)
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
        cited = _cited_pairs(network, mask, state)
        counts = _edge_counts(network, mask, n_edges, cited)
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
        _opposed_edges(network, mask, edge_mask, cited),
        *_edge_time_spans(network, mask, n_edges),
        state,
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


def _cited_pairs(network: Network, mask: np.ndarray, state: FilterState) -> np.ndarray | None:
    """For data with claims citing several sources: which (claim, source) pairs count,
    those of passing claims whose source is chosen (all when none is). None otherwise."""
    if network.source_pairs is None:
        return None
    cited = mask[network.pair_claim]
    if state.sources:
        cited &= _in(network.sources, state.sources)[network.pair_source]
    return cited


def _edge_counts(network: Network, mask: np.ndarray, n_edges: int, cited=None):
    edge = network.claim_edge[mask]
    drawn = edge >= 0
    edge = edge[drawn]
    claims = np.bincount(edge, minlength=n_edges)
    if network.source_pairs is None:
        source = network.claim_source[mask][drawn]
    else:  # every cited source of every passing claim counts
        pair_edge = network.claim_edge[network.pair_claim]
        counted = cited & (pair_edge >= 0)
        edge_of_pair, source = pair_edge[counted], network.pair_source[counted]
    pairs = distinct(
        (edge if network.source_pairs is None else edge_of_pair).astype(np.int64)
        * len(network.sources)
        + source
    )
    sources = np.bincount(pairs // max(len(network.sources), 1), minlength=n_edges)
    denials = np.bincount(edge[network.claim_denies[mask][drawn]], minlength=n_edges)
    undated = np.bincount(edge[network.claim_start_day[mask][drawn] == UNDATED], minlength=n_edges)
    return claims, sources, denials, undated


def _opposed_edges(
    network: Network, mask: np.ndarray, edge_mask: np.ndarray, cited=None
) -> np.ndarray:
    """Edges contradicted by a passing claim of the opposite family, from another source,
    about an overlapping period (see :func:`opposing_claims`).

    The same source saying both (fights and, elsewhere, cooperates) is nuance, not
    contradiction; two sources disagreeing is. Arrays only: this runs on every filter.
    """
    opposed = np.zeros(len(network.edges), dtype=bool)
    claims, sources = _voices(network, _polar_assertions(network, mask), cited)
    if len(claims):
        contradicted = _contradicted(network, (claims, sources), (claims, sources))
        opposed[network.claim_edge[claims[contradicted]]] = True
    return opposed & edge_mask


def _polar_assertions(network: Network, mask: np.ndarray) -> np.ndarray:
    """Passing, drawn, asserted claims of a cooperation or conflict family."""
    sign = network.relation_polarity[network.claim_relation]
    return mask & (network.claim_edge >= 0) & (sign != 0) & ~network.claim_denies


_DAY_SHIFT = 719_163  # day numbers of years 1-9999 are within +-3.7M: shifted, non-negative
_DAY_SPAN = 1 << 22


def _voices(network: Network, claims: np.ndarray, cited=None) -> tuple[np.ndarray, np.ndarray]:
    """(claim, source) for each voice among the ``claims`` (a mask): a claim citing several
    sources speaks once for each of them that the source filter lets through."""
    if network.source_pairs is None:
        codes = np.flatnonzero(claims)
        return codes, network.claim_source[codes].astype(np.int64)
    voiced = claims[network.pair_claim] & (True if cited is None else cited)
    return network.pair_claim[voiced], network.pair_source[voiced].astype(np.int64)


def _contradicted(network: Network, voices, against) -> np.ndarray:
    """For each of ``voices`` (claims and their sources): does one of ``against`` (claims
    of one pair of actors, either direction) of the opposite polarity, from another
    source, cover an overlapping period? An undated claim's period is unknown, so it
    cannot be ruled out: it overlaps every period."""
    claims, own_source = voices
    against, item_source = against

    def pair_side(codes, flip=False):
        a, b = network.claim_from[codes], network.claim_to[codes]
        pair = np.minimum(a, b).astype(np.int64) * (network.n_actors + 1) + np.maximum(a, b)
        positive = network.relation_polarity[network.claim_relation[codes]] > 0
        return pair * 2 + (positive ^ flip)

    n_sources = max(len(network.sources), 1)
    by_side = pair_side(against)
    wanted = pair_side(claims, flip=True)  # the same pair, the other polarity
    _, codes = np.unique(np.concatenate([by_side, wanted]), return_inverse=True)
    item_group, query_group = codes[: len(against)], codes[len(against) :]
    start = network.claim_start_day[against]
    end = network.claim_end_day[against]
    undated_item = start == UNDATED
    query_start, query_end = network.claim_start_day[claims], network.claim_end_day[claims]
    undated_query = query_start == UNDATED
    # Undated items overlap everything; an undated query overlaps every item.
    low = np.where(undated_query, UNDATED + 1, query_start)
    high = np.where(undated_query, -UNDATED - 1, query_end)

    def overlapping(groups, queries):
        dated = ~undated_item
        count = _count_overlapping(groups[dated], start[dated], end[dated], queries, low, high)
        return count + _count_in_groups(groups[undated_item], queries)

    total = overlapping(item_group, query_group)
    own = overlapping(item_group * n_sources + item_source, query_group * n_sources + own_source)
    return total > own


def _count_in_groups(items: np.ndarray, queries: np.ndarray) -> np.ndarray:
    ordered = np.sort(items)
    return np.searchsorted(ordered, queries, "right") - np.searchsorted(ordered, queries, "left")


def _count_overlapping(groups, starts, ends, queries, low, high) -> np.ndarray:
    """For each query, the items of its group with start <= high and end >= low."""
    if not len(groups):
        return np.zeros(len(queries), dtype=np.int64)

    def key(group, day):
        return group * _DAY_SPAN + (
            np.clip(day, -_DAY_SHIFT, _DAY_SPAN - _DAY_SHIFT - 1) + _DAY_SHIFT
        )

    by_start = np.sort(key(groups, starts))
    by_end = np.sort(key(groups, ends))
    first = key(queries, np.full(len(queries), -_DAY_SHIFT))
    starting_before_end = np.searchsorted(by_start, key(queries, high), "right") - np.searchsorted(
        by_start, first, "left"
    )
    ended_before_start = np.searchsorted(by_end, key(queries, low), "left") - np.searchsorted(
        by_end, first, "left"
    )
    return starting_before_end - ended_before_start


def opposing_claims(view: View, edge: int) -> np.ndarray:
    """The passing claims that make ``edge`` contested: its denials, and the assertions
    of the opposite family between the same two actors (either direction), from a
    source other than one asserting ``edge``, about an overlapping period."""
    net = view.network
    on_edge = (net.claim_edge == edge) & view.claim_mask
    denials = np.flatnonzero(on_edge & net.claim_denies)
    a, b = int(net.edge_from[edge]), int(net.edge_to[edge])
    same_pair = ((net.claim_from == a) & (net.claim_to == b)) | (
        (net.claim_from == b) & (net.claim_to == a)
    )
    polar = _polar_assertions(net, view.claim_mask)
    cited = _cited_pairs(net, view.claim_mask, view.state)
    mine = _voices(net, polar & on_edge, cited)
    others = _voices(net, polar & same_pair & ~on_edge, cited)
    if not len(mine[0]) or not len(others[0]):
        return denials
    opposite = distinct(others[0][_contradicted(net, others, mine)])
    return np.concatenate([denials, opposite])


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


def most_sources(network: Network) -> int:
    """The most sources behind one edge, over all claims (at least 1): the top of the
    page's "at least N sources" slider, counted without the rest of a view (at 1M
    claims, 0.1 s against the whole view's 1.3 s, which a server starting would wait for).

    >>> from dashboard.data import load_or_raise
    >>> most_sources(Network.from_dataset(load_or_raise("data")))
    7
    """
    if not len(network.edges):
        return 1
    everything = np.ones(network.n_claims, dtype=bool)
    cited = None if network.source_pairs is None else everything[network.pair_claim]
    return max(int(_edge_counts(network, everything, len(network.edges), cited)[1].max()), 1)


class ViewMemo:
    """The last few views by filter state, for one network: a click right after a filter
    change reuses the filtering that change did (at a million claims, a second's work).
    A memo of a pure function, shared by all users; the lock keeps its order sound."""

    def __init__(self, network: Network, size: int = 8):
        self.network = network
        self._size = size
        self._views: OrderedDict[FilterState, View] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, state: FilterState) -> View:
        with self._lock:
            if state in self._views:
                self._views.move_to_end(state)
                return self._views[state]
        view = apply_filters(self.network, state)
        with self._lock:
            self._views[state] = view
            while len(self._views) > self._size:
                self._views.popitem(last=False)
        return view

    def most_sources(self) -> int:
        return most_sources(self.network)
