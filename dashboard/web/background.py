"""Heavy work for the callbacks, away from the request threads: betweenness of large
views (with progress in the page), re-layout of many visible actors.

One :class:`Background` per app, shared by its callbacks: one pool of worker processes
(see dashboard/heavy.py) per server process.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

import numpy as np
from dash import Patch

from dashboard.graph import Network
from dashboard.heavy import Busy, HeavyWork, OverBudget, WorkFailed
from dashboard.positions.compute import LARGE_GRAPH, compute_layout
from dashboard.query.centrality import BetweennessService
from dashboard.query.filters import View

RELAYOUT_BUDGET = 90.0  # seconds for laying out the visible actors


@dataclass
class Background:
    heavy: HeavyWork
    betweenness: BetweennessService
    relayout_budget: float = RELAYOUT_BUDGET

    @classmethod
    def create(cls, workers: int = 1) -> Background:
        heavy = HeavyWork(workers=workers)
        return cls(heavy, BetweennessService(heavy))

    def relayout(
        self, network: Network, layout_name: str, view: View
    ) -> tuple[np.ndarray | None, str | None]:
        """Positions for the visible actors alone, or None and why not (for the page).

        Small views are laid out here (networkx, milliseconds); larger ones, which igraph
        lays out holding the GIL, in the pool, within ``relayout_budget`` seconds.
        """
        if view.n_actors <= LARGE_GRAPH:
            return compute_layout(network, layout_name, view.node_mask, view.edge_mask), None
        try:
            positions = self.heavy.run(
                compute_layout,
                _without_claims(network),
                layout_name,
                view.node_mask,
                view.edge_mask,
                budget=self.relayout_budget,
            )
        except Busy as exc:
            return None, str(exc)
        except OverBudget:
            return None, (
                f"Laying out {view.n_actors:,} actors took longer than "
                f"{self.relayout_budget:.0f} s and was stopped; narrow the filters and try again."
            )
        except WorkFailed as exc:
            return None, f"The layout failed: {exc}"
        return positions, None


def _without_claims(network: Network) -> Network:
    """The network without its claims table (quotes and all): what a layout needs, and
    a fraction of the bytes to send to a worker process."""
    return replace(network, claims=network.claims.iloc[:0])


def size_key_patch(note: str) -> Patch:
    """An update of the figure's size key alone (its first annotation; see
    draw/figures.py), for progress while betweenness is computed."""
    patch = Patch()
    patch["layout"]["annotations"][0]["text"] = escape(note)
    return patch
