"""igraph's multilevel (Louvain) communities on an array of actor pairs, seeded: the
detection behind query/communities.py. It imports numpy and igraph alone, so that the
child process a large detection runs in (dashboard/igraph_runs.py) starts light.

>>> import numpy as np
>>> groups, degree = multilevel(4, np.array([[0, 1], [2, 3]]))
>>> bool(groups[0] == groups[1] != groups[2] == groups[3]), degree.tolist()
(True, [1, 1, 1, 1])
"""

from __future__ import annotations

import numpy as np

from dashboard.igraph_runs import seeded_igraph

SEED = 20261128


def multilevel(n_actors: int, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """igraph's seeded multilevel groups of the undirected graph on ``pairs``, and each
    actor's degree there."""
    import igraph as ig

    graph = ig.Graph(n=n_actors, edges=pairs.tolist(), directed=False)
    with seeded_igraph(SEED):
        raw = np.asarray(graph.community_multilevel().membership, dtype=np.int64)
    return raw, np.asarray(graph.degree())
