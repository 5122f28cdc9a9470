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

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dashboard.arrays import distinct
from dashboard.graph import Network
from dashboard.igraph_runs import here, in_child_process
from dashboard.query.multilevel import multilevel

MIN_SIZE = 3
# Above this many actors the detection runs in a child process: igraph holds the GIL for
# the whole run (200,000 actors: 4.4 s here), which would freeze the server's requests.
CHILD_PROCESS_LIMIT = 50_000
# One detection at a time, and each once: the first page asks for it from two callbacks
# at once, which each ran it (at 100,000 claims, 0.3 s each on a 2-core machine, before
# the first view could draw); the app also starts it at once (web/app.py).
_DETECTING = threading.Lock()


@dataclass(frozen=True, eq=False)
class Communities:
    membership: np.ndarray  # group per actor, 0 = largest; -1 = in a group too small
    names: tuple[str, ...]  # per group number
    sizes: np.ndarray


def find_communities(network: Network) -> Communities:
    """The network's communities, detected once (callers at the same time wait for it)."""
    with _DETECTING:
        return _detect(network)


@lru_cache(maxsize=4)
def _detect(network: Network) -> Communities:
    a, b = network.edge_from, network.edge_to
    keep = a != b
    n = max(network.n_actors, 1)
    linked = distinct(np.minimum(a[keep], b[keep]) * n + np.maximum(a[keep], b[keep]))
    pairs = np.column_stack([linked // n, linked % n])  # each linked pair once, in order
    run = in_child_process if network.n_actors > CHILD_PROCESS_LIMIT else here
    raw, degree = run(multilevel, network.n_actors, pairs)
    sizes = np.bincount(raw)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    membership = rank[raw]
    sizes = sizes[order]
    membership = np.where(sizes[membership] >= MIN_SIZE, membership, -1)
    names = []
    for group in range(int((sizes >= MIN_SIZE).sum())):
        members = np.flatnonzero(membership == group)
        hub = members[np.argmax(degree[members])]
        names.append(f"{network.actor_names[hub]} +{len(members) - 1}")
    return Communities(membership, tuple(names), sizes[: len(names)])
