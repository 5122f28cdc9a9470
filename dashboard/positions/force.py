"""igraph's grid Fruchterman-Reingold on arrays of actor codes: the force layout of
large graphs (positions/compute.py). It imports numpy and igraph alone, so that the
child process a large layout runs in (dashboard/igraph_runs.py) starts light.

>>> import numpy as np
>>> coords = fruchterman_reingold(3, np.ones(3, dtype=bool), np.array([0, 1]), np.array([1, 2]))
>>> coords.shape
(3, 2)
"""

from __future__ import annotations

import numpy as np

from dashboard.igraph_runs import seeded_igraph

SEED = 20261126


def fr_iterations(n_nodes: int) -> int:
    return 500 if n_nodes <= 50_000 else 200


# igraph's Fruchterman-Reingold draws from its process-wide generator at every step, even
# from a given start (the same seeded start under two states of ``random`` gave layouts
# 4.8 units apart): each run gets a seeded one (dashboard/igraph_runs.py). A generator routed
# per thread instead (a Python object calling the thread's own) made the 20k-actor layout
# 2-4 times slower (8.2-8.8 s against 2.2-4.5 s, side by side): igraph calls it 20
# million times.


def fr_start(n_nodes: int, seed: int = SEED) -> np.ndarray:
    """A seeded random start at igraph's own scale: uniform in a square of side sqrt(n).

    igraph's grid variant runs 7x slower from a start of another scale (20k actors:
    1.7 s against 11 s from one in [-1, 1]).
    """
    half = np.sqrt(n_nodes) / 2
    return np.random.default_rng(seed).uniform(-half, half, size=(n_nodes, 2))


def fruchterman_reingold(
    n_actors: int, nodes: np.ndarray, from_codes: np.ndarray, to_codes: np.ndarray
) -> np.ndarray:
    """igraph's grid Fruchterman-Reingold over the given nodes, seeded and reproducible.

    Seeded through its arguments (a start matrix) and, since igraph also draws random
    numbers on the way, a seeded generator for the run (see dashboard/igraph_runs.py).
    """
    import igraph as ig

    codes = np.flatnonzero(nodes)
    row = np.full(n_actors, -1, dtype=np.int64)
    row[codes] = np.arange(len(codes))
    a, b = row[from_codes], row[to_codes]
    keep = (a >= 0) & (b >= 0) & (a != b)
    graph = ig.Graph(n=len(codes), edges=np.column_stack([a[keep], b[keep]]).tolist()).simplify()
    start = fr_start(len(codes)).tolist()
    with seeded_igraph(SEED):
        layout = graph.layout_fruchterman_reingold(seed=start, niter=fr_iterations(len(codes)))
    return np.asarray(layout.coords, dtype=float)
