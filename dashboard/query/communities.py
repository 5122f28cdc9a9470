"""Communities of actors, so that a map of thousands reads as a few named groups.

Found once per data set on the whole graph (undirected, one link per pair of actors)
with igraph's multilevel (Louvain) modularity method, seeded, so the same data gives
the same groups on every run. Groups are numbered by size, largest first, and named
after their most connected actor ("Hezbollah +45"). Actors alone in a group of fewer
than ``MIN_SIZE`` share the label -1 ("smaller groups").

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> found = find_communities(net)
>>> len(found.membership) == net.n_actors, found.names[0].split(" +")[0]
(True, 'Iran')
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dashboard.graph import Network

SEED = 20261128
MIN_SIZE = 3
# igraph draws from one process-wide generator (Python's ``random`` module unless set).
# Nothing else in this program sets it; this lock keeps two detections from interleaving
# and hands it back as it found it: the default.
_IGRAPH_RANDOM = threading.Lock()


@dataclass(frozen=True, eq=False)
class Communities:
    membership: np.ndarray  # group per actor, 0 = largest; -1 = in a group too small
    names: tuple[str, ...]  # per group number
    sizes: np.ndarray


@lru_cache(maxsize=4)
def find_communities(network: Network) -> Communities:
    import igraph as ig

    a, b = network.edge_from, network.edge_to
    keep = a != b
    pairs = np.unique(np.sort(np.column_stack([a[keep], b[keep]]), axis=1), axis=0)
    graph = ig.Graph(n=network.n_actors, edges=pairs.tolist(), directed=False)
    with _IGRAPH_RANDOM:
        ig.set_random_number_generator(random.Random(SEED))
        try:
            raw = np.asarray(graph.community_multilevel().membership, dtype=np.int64)
        finally:
            ig.set_random_number_generator(random)
    sizes = np.bincount(raw)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    membership = rank[raw]
    sizes = sizes[order]
    membership = np.where(sizes[membership] >= MIN_SIZE, membership, -1)
    degree = np.asarray(graph.degree())
    names = []
    for group in range(int((sizes >= MIN_SIZE).sum())):
        members = np.flatnonzero(membership == group)
        hub = members[np.argmax(degree[members])]
        names.append(f"{network.actor_names[hub]} +{len(members) - 1}")
    return Communities(membership, tuple(names), sizes[: len(names)])
