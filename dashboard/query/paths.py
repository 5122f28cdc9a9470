"""Why are A and B connected? The k best short paths between two actors, hop by hop.

A *hop* joins two actors when at least one asserted claim that passes the filters says
one relates to the other; it bundles every relation (edge) between them, in the direction
followed or, when direction is ignored, in both. Denials never make a hop, but they show
in its evidence and mark it contested. Paths are simple (no actor twice) and ranked:
fewest hops, then the strongest weakest hop (distinct sources on the hop), then the most
claims, then the actors' ids, so equal paths always come in the same order.

The search: scipy's csgraph gives breadth-first distances from the start and to the end
(at most ``max_hops``); only actors with ``d(start, v) + d(v, end) <= L`` can lie on a path
of ``L`` hops, and only arcs u->v with ``d(start, u) + 1 + d(v, end) <= L``. On that small
ball igraph enumerates, in C, every simple path of exactly ``L`` hops, for
``L = shortest, shortest + 1, ...`` until ``k`` paths are found, so that ties within the
last length are ranked among all of them (Yen's algorithm would return an arbitrary
subset of a tie).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> net = Network.from_dataset(load_or_raise("data"))
>>> result = find_paths(apply_filters(net, FilterState()), PathQuery("turkey", "iran", k=2))
>>> [describe_path(net, path) for path in result.paths]
['Turkey → Hayat Tahrir al-Sham → al-Qaeda → Iran (3 hops; hop 3 contested; hops 1, 2 on a single source)', \
'Turkey → Hayat Tahrir al-Sham → al-Qaeda → United States → Iran (4 hops; hops 1, 2, 4 on a single source)']
>>> strict = FilterState(min_sources=2)
>>> hidden = find_paths(apply_filters(net, strict), PathQuery("turkey", "iran"), strict)
>>> hidden.paths, hidden.hints
((), ('A 3-hop path exists through edges with fewer than 2 sources.',))
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import pairwise

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from dashboard.arrays import distinct
from dashboard.graph import Network
from dashboard.query.evidence import EdgeEvidence, edges_evidence
from dashboard.query.filters import FilterState, View, apply_filters
from dashboard.text import plural

MAX_HOPS = 6
DEFAULT_HOPS = 4
MAX_PATHS = 20
DEFAULT_PATHS = 5
# Paths of one length ranked at most: beyond this the ranking is among the first found
# (the result says so). Synthetic 100,000-claim data stays far below it (bench/paths.py).
ENUMERATION_LIMIT = 50_000


@dataclass(frozen=True)
class PathQuery:
    """What the user asks: paths from ``start`` to ``end`` (actor ids), at most
    ``max_hops`` long, following relations' direction or not; the ``k`` best, of which
    the ``pick``-th (from 0) is the one shown on the map."""

    start: str
    end: str
    max_hops: int = DEFAULT_HOPS
    directed: bool = False
    k: int = DEFAULT_PATHS
    pick: int = 0


@dataclass(frozen=True)
class Hop:
    """One step of a path: the actors it joins (codes, in path order), the visible edges
    between them (in the direction followed, or both ways), and its support: the asserted
    claims that pass the filters and their distinct sources."""

    from_code: int
    to_code: int
    edges: tuple[int, ...]
    sources: int
    claims: int
    contested_edges: tuple[int, ...]

    @property
    def contested(self) -> bool:
        return bool(self.contested_edges)

    @property
    def single_source(self) -> bool:
        return self.sources == 1


@dataclass(frozen=True)
class Path:
    actors: tuple[int, ...]
    hops: tuple[Hop, ...]

    @property
    def n_hops(self) -> int:
        return len(self.hops)

    @property
    def weakest(self) -> int:
        """Distinct sources on the path's weakest hop."""
        return min(hop.sources for hop in self.hops)

    @property
    def claims(self) -> int:
        return sum(hop.claims for hop in self.hops)


@dataclass(frozen=True)
class PathResult:
    query: PathQuery
    paths: tuple[Path, ...]
    hints: tuple[str, ...] = ()  # when there is no path: what would reveal one
    capped_at: int | None = None  # the hop count whose paths were too many to rank all

    @property
    def chosen(self) -> Path | None:
        """The picked path; the best one when the pick is beyond the paths found."""
        if not self.paths:
            return None
        return self.paths[self.query.pick if self.query.pick < len(self.paths) else 0]

    @property
    def chosen_index(self) -> int | None:
        return None if not self.paths else self.paths.index(self.chosen)


def contested_edges(view: View) -> np.ndarray:
    """Which edges are contested. The one place the path search asks, so that a finer
    rule (the View's) flows in here unchanged."""
    return view.edge_contested


@dataclass(frozen=True, eq=False)
class _Pairs:
    """The actor pairs that edges join, numbered once per network and direction mode:
    ``keys`` (``a * n + b``, with ``a < b`` when undirected) sorted; each edge's pair
    (-1 for a self-loop); and the arcs, both ways when undirected, sorted by (row, col)
    so that a CSR matrix over any subset of them needs no sorting."""

    keys: np.ndarray
    pair_of_edge: np.ndarray
    arc_rows: np.ndarray
    arc_cols: np.ndarray
    arc_pair: np.ndarray


@lru_cache(maxsize=8)
def _pairs(network: Network, directed: bool) -> _Pairs:
    n = network.n_actors
    heads, tails = network.edge_from, network.edge_to
    if not directed:
        heads, tails = np.minimum(heads, tails), np.maximum(heads, tails)
    key = heads * n + tails
    loop = heads == tails
    keys = distinct(key[~loop])
    pair_of_edge = np.where(loop, -1, np.searchsorted(keys, key))
    numbers = np.arange(len(keys))
    rows, cols = keys // n, keys % n
    if not directed:
        rows, cols = np.concatenate([rows, cols]), np.concatenate([cols, rows])
        numbers = np.concatenate([numbers, numbers])
        order = np.lexsort((cols, rows))
        rows, cols, numbers = rows[order], cols[order], numbers[order]
    return _Pairs(keys, pair_of_edge, rows, cols, numbers)


@dataclass(frozen=True, eq=False)
class HopGraph:
    """The hops over all actors: per actor pair (numbered as in ``_Pairs``), its
    supporting claims (0: no hop) and their distinct sources, and the hops as a sparse
    adjacency matrix (both ways when undirected) for breadth-first distances."""

    n_actors: int
    directed: bool
    pairs: _Pairs
    hop_sources: np.ndarray
    hop_claims: np.ndarray
    matrix: sparse.csr_matrix

    @cached_property
    def reversed_matrix(self) -> sparse.csr_matrix:
        return self.matrix if not self.directed else self.matrix.T.tocsr()

    def distances(self, start: int, limit: float = np.inf, towards: bool = False) -> np.ndarray:
        """Hops from ``start`` (or, with ``towards``, to it) to every actor, up to
        ``limit``; infinity beyond."""
        matrix = self.reversed_matrix if towards else self.matrix
        return csgraph.dijkstra(matrix, directed=True, indices=start, unweighted=True, limit=limit)

    def hop_numbers(self, heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
        """The pair number of each hop heads[i] -> tails[i] (which must be hops)."""
        if not self.directed:
            heads, tails = np.minimum(heads, tails), np.maximum(heads, tails)
        return np.searchsorted(self.pairs.keys, heads * self.n_actors + tails)


def hop_graph(view: View, directed: bool, count_denials: bool = False) -> HopGraph:
    """The hops that the claims passing ``view``'s filters support (asserted claims only,
    unless ``count_denials``). Self-loops never lie on a path and are left out."""
    net = view.network
    n = net.n_actors
    pairs = _pairs(net, directed)
    mask = view.claim_mask & (net.claim_edge >= 0)
    if not count_denials:
        mask &= ~net.claim_denies
    pair = pairs.pair_of_edge[net.claim_edge[mask]].astype(np.int64)
    source = net.claim_source[mask].astype(np.int64)
    keep = pair >= 0
    pair, source = pair[keep], source[keep]
    claims = np.bincount(pair, minlength=len(pairs.keys))
    n_sources = max(len(net.sources), 1)
    voices = np.sort(pair * n_sources + source)
    distinct = (
        voices[np.concatenate([[True], voices[1:] != voices[:-1]])] if len(voices) else voices
    )
    sources = np.bincount(distinct // n_sources, minlength=len(pairs.keys))
    present = claims[pairs.arc_pair] > 0
    rows, cols = pairs.arc_rows[present], pairs.arc_cols[present]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    matrix = sparse.csr_matrix((np.ones(len(rows)), cols, indptr), shape=(n, n))
    return HopGraph(n, directed, pairs, sources, claims, matrix)


def find_paths(view: View, query: PathQuery, filters: FilterState | None = None) -> PathResult:
    """The ``query.k`` best simple paths over the claims that pass ``view``'s filters.

    When there is none, and ``filters`` (the view's FilterState) is given, the result's
    hints say which limit or filter hides one.
    """
    net = view.network
    start, end = net.actor_code.get(query.start), net.actor_code.get(query.end)
    if start is None or end is None:
        return PathResult(query, (), ("Choose two actors of this data.",))
    if start == end:
        return PathResult(query, (), ("Start and end are the same actor.",))
    graph = hop_graph(view, query.directed)
    found, capped_at = ranked_paths(graph, start, end, query.max_hops, query.k, net.actor_ids)
    if not found:
        return PathResult(query, (), _hints(view, query, filters, graph, start, end))
    between = _edges_between(view, query.directed)
    contested = contested_edges(view)
    paths = tuple(
        Path(
            tuple(actors),
            tuple(_hop(graph, between, contested, a, b) for a, b in pairwise(actors)),
        )
        for actors in found
    )
    return PathResult(query, paths, capped_at=capped_at)


def ranked_paths(
    graph: HopGraph, start: int, end: int, max_hops: int, k: int, actor_ids
) -> tuple[list[list[int]], int | None]:
    """The k best paths (as actor codes) over ``graph`` and the hop count whose paths were
    too many to rank all (or None): the search alone, without the hops' details."""
    from_start = graph.distances(start, max_hops)
    to_end = graph.distances(end, max_hops, towards=True)
    shortest = from_start[end]
    if not np.isfinite(shortest):
        return [], None
    found: list[np.ndarray] = []
    capped_at = None
    for length in range(int(shortest), max_hops + 1):
        batch = _paths_of_length(graph, start, end, length, from_start, to_end)
        if len(batch) >= ENUMERATION_LIMIT:
            capped_at = length
        if len(batch):
            found.append(batch)
        if sum(len(b) for b in found) >= k or capped_at is not None:
            break
    ranked: list[list[int]] = []
    # Ties last by the actors' ids: rank the ids of the actors involved, not all of them.
    involved = distinct(np.concatenate([batch.ravel() for batch in found]))
    id_rank = np.zeros(graph.n_actors, dtype=np.int64)
    id_rank[involved[np.argsort(np.asarray(actor_ids[involved], dtype=str))]] = np.arange(
        len(involved)
    )
    for batch in found:
        hops = graph.hop_numbers(batch[:, :-1].ravel(), batch[:, 1:].ravel()).reshape(
            len(batch), -1
        )
        weakest = graph.hop_sources[hops].min(axis=1)
        claims = graph.hop_claims[hops].sum(axis=1)
        ids = id_rank[batch]
        # lexsort: the last key sorts first.
        order = np.lexsort([*ids.T[::-1], -claims, -weakest])
        ranked += batch[order[: k - len(ranked)]].tolist()
        if len(ranked) >= k:
            break
    return ranked, capped_at


def _paths_of_length(
    graph: HopGraph,
    start: int,
    end: int,
    length: int,
    from_start: np.ndarray,
    to_end: np.ndarray,
) -> np.ndarray:
    """Every simple path of exactly ``length`` hops (up to ``ENUMERATION_LIMIT``), as rows
    of actor codes, found by igraph on the arcs that can lie on such a path."""
    import igraph as ig

    ball = np.flatnonzero(from_start + to_end <= length)
    local = np.full(graph.n_actors, -1, dtype=np.int64)
    local[ball] = np.arange(len(ball))
    sub = graph.matrix[ball][:, ball].tocoo()
    heads, tails = ball[sub.row], ball[sub.col]
    useful = from_start[heads] + 1 + to_end[tails] <= length
    arcs = np.column_stack([sub.row[useful], sub.col[useful]])
    ball_graph = ig.Graph(n=len(ball), edges=arcs.tolist(), directed=True)
    found = ball_graph.get_all_simple_paths(
        int(local[start]),
        to=int(local[end]),
        minlen=length,
        maxlen=length,
        mode="out",
        max_results=ENUMERATION_LIMIT,
    )
    if not found:
        return np.empty((0, length + 1), dtype=np.int64)
    return ball[np.asarray(found, dtype=np.int64)]


def _hints(
    view: View,
    query: PathQuery,
    filters: FilterState | None,
    graph: HopGraph,
    start: int,
    end: int,
) -> tuple[str, ...]:
    """Why there is no path: re-run the search with each limit or filter lifted in turn."""
    limit = query.max_hops
    hints: list[str] = []
    unlimited = graph.distances(start)[end]
    if np.isfinite(unlimited):
        hops = int(unlimited)
        hints.append(
            f"A {hops}-hop path exists; raise the hop limit."
            if hops <= MAX_HOPS
            else f"The nearest connection takes {hops} hops, more than {MAX_HOPS}."
        )
    undirected = _shortest(view, False, False, start, end, limit) if query.directed else None
    if undirected:
        hints.append(_exists(undirected, "if the direction of relations is ignored"))
    denied = _shortest(view, query.directed, True, start, end, limit)
    if denied:
        hints.append(_exists(denied, "if denied claims were counted"))
    if filters is not None:
        for lifted, wording in _lifted_filters(view.network, filters):
            hops = _shortest(
                apply_filters(view.network, lifted), query.directed, False, start, end, limit
            )
            if hops:
                hints.append(_exists(hops, wording))
        if not hints and _shortest(
            apply_filters(view.network, FilterState()), False, True, start, end, np.inf
        ):
            hints.append("A path exists only with several filters or limits lifted at once.")
    if not hints:
        hints.append("No chain of relations links these two actors in this data.")
    return tuple(hints)


def _shortest(view: View, directed: bool, count_denials: bool, start: int, end: int, limit):
    """The hop count of the shortest path within ``limit``, or None."""
    distance = hop_graph(view, directed, count_denials).distances(start, limit)[end]
    return int(distance) if np.isfinite(distance) else None


def _exists(hops: int, condition: str) -> str:
    return f"A {hops}-hop path exists {condition}."


def _lifted_filters(network, filters: FilterState):
    """Each active filter lifted alone, with how to say what that reveals."""
    if filters.period_label is not None:
        yield filters.without_time(), f"outside {filters.period_label}"
    if not filters.include_undated:
        yield replace(filters, include_undated=True), "if undated claims were shown"
    if filters.sources:
        yield replace(filters, sources=frozenset()), "through sources other than those picked"
    if filters.relations:
        yield replace(filters, relations=frozenset()), "through relations other than those picked"
    if filters.actor_types:
        yield (
            replace(filters, actor_types=frozenset()),
            "through actor types other than those picked",
        )
    if filters.stances and "asserts" not in filters.stances:
        yield replace(filters, stances=frozenset()), "if asserted claims were shown"
    if filters.min_sources > 1:
        yield (
            replace(filters, min_sources=1),
            f"through edges with fewer than {plural(filters.min_sources, 'source')}",
        )
    if filters.focus is not None:
        code = network.actor_code.get(filters.focus)
        name = network.actor_names[code] if code is not None else filters.focus
        yield replace(filters, focus=None), f"outside the focus on {name}"


def _edges_between(view: View, directed: bool):
    """A function giving the visible edges from actor a to b (both ways unless
    ``directed``): edges are sorted by (from, to), so each pair is one slice."""
    net = view.network
    keys = net.edge_from * net.n_actors + net.edge_to

    def between(a: int, b: int) -> tuple[int, ...]:
        pairs = [(a, b)] if directed else [(a, b), (b, a)]
        found: list[int] = []
        for head, tail in pairs:
            key = head * net.n_actors + tail
            low, high = np.searchsorted(keys, [key, key + 1])
            found += [e for e in range(int(low), int(high)) if view.edge_mask[e]]
        return tuple(sorted(found))

    return between


def _hop(graph: HopGraph, edges_between, contested: np.ndarray, a: int, b: int) -> Hop:
    number = int(graph.hop_numbers(np.array([a]), np.array([b]))[0])
    edges = edges_between(a, b)
    return Hop(
        from_code=a,
        to_code=b,
        edges=edges,
        sources=int(graph.hop_sources[number]),
        claims=int(graph.hop_claims[number]),
        contested_edges=tuple(e for e in edges if contested[e]),
    )


def hop_evidence(view: View, hop: Hop) -> tuple[EdgeEvidence, ...]:
    """Every claim behind the hop, edge by edge, as the evidence panel shows an edge."""
    found = edges_evidence(view, hop.edges)
    return tuple(found[edge] for edge in hop.edges)


def path_claim_mask(view: View, path: Path) -> np.ndarray:
    """The claims shown on the path's hops (denials included): its evidence."""
    edges = np.array([e for hop in path.hops for e in hop.edges], dtype=np.int64)
    return view.claim_mask & np.isin(view.network.claim_edge, edges)


def describe_path(network, path: Path) -> str:
    """The path as a line of text: "Iran → al-Qaeda → Hezbollah (2 hops)", and which
    hops are contested or rest on a single source."""
    names = " → ".join(network.actor_names[code] for code in path.actors)
    notes = []
    for label, hops in (
        ("contested", [i for i, hop in enumerate(path.hops, 1) if hop.contested]),
        ("on a single source", [i for i, hop in enumerate(path.hops, 1) if hop.single_source]),
    ):
        if hops:
            numbers = ", ".join(str(i) for i in hops)
            notes.append(f"{'hop' if len(hops) == 1 else 'hops'} {numbers} {label}")
    tail = f"; {'; '.join(notes)}" if notes else ""
    return f"{names} ({plural(path.n_hops, 'hop')}{tail})"
