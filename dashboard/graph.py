"""The actor network as a networkx graph; pure functions of a data set.

Every claim is one edge of a ``MultiDiGraph``, keyed by its stable claim id, so
parallel claims (several sources, several relations) between two actors stay apart.

>>> import pandas as pd
>>> actors = pd.DataFrame({"name": ["Iran", "al-Qaeda"], "type": ["state", "armed group"]},
...                       index=pd.Index(["iran", "aq"], name="id"))
>>> claims = pd.DataFrame({"from_id": ["iran", "iran"], "to_id": ["aq", "aq"],
...                        "relation": ["trains", "shelters"], "source": ["A", "B"]},
...                       index=pd.Index(["c1", "c2"], name="claim_id"))
>>> g = build_graph(actors, claims)
>>> g.number_of_nodes(), g.number_of_edges(), sorted(g["iran"]["aq"])
(2, 2, ['c1', 'c2'])
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

NODE_ATTRIBUTES = ("name", "type")
EDGE_ATTRIBUTES = ("relation", "source", "stance", "start", "end", "document")


def build_graph(actors: pd.DataFrame, claims: pd.DataFrame) -> nx.MultiDiGraph:
    """One node per actor, one edge per claim that has a target (keyed by claim id)."""
    graph = nx.MultiDiGraph()
    node_columns = [c for c in NODE_ATTRIBUTES if c in actors.columns]
    graph.add_nodes_from(
        (actor_id, dict(zip(node_columns, values, strict=True)))
        for actor_id, *values in actors[node_columns].itertuples()
    )
    drawn = claims[claims["to_id"] != ""]
    edge_columns = [c for c in EDGE_ATTRIBUTES if c in drawn.columns]
    graph.add_edges_from(
        (source, target, claim_id, dict(zip(edge_columns, values, strict=True)))
        for claim_id, source, target, *values in drawn[
            ["from_id", "to_id", *edge_columns]
        ].itertuples()
    )
    return graph
