"""A filtered view and node positions -> the network figure; pure, no Dash here.

Colour encodes the relation's family (edges) and the actor's type (nodes); edge width
the number of distinct sources; dashed edges are contested, dotted ones only denied;
node size the chosen metric. Text from the data is HTML-escaped: Plotly renders a subset
of HTML in labels and hover text.

The figure is assembled from a scene (what filtering never changes) and a step (what it
does): see :mod:`dashboard.draw.scene` and :mod:`dashboard.draw.assemble`. The page
assembles the same figure in the browser; this is the way for exports and tests.
Every trace names its role (``meta.role``, see :mod:`dashboard.draw.roles`).
"""

from __future__ import annotations

import numpy as np

from dashboard.draw.assemble import assemble
from dashboard.draw.geometry import control_points, curve_points
from dashboard.draw.scene import build_scene, build_step
from dashboard.draw.style import LABEL_CHARACTERS
from dashboard.query.centrality import Sizing
from dashboard.query.filters import View
from dashboard.query.view_state import Selection


def build_figure(
    view: View,
    positions: np.ndarray,
    size_by: str = "claims",
    selection: Selection | None = None,
    revision: str = "",
    sizing: Sizing | None = None,
    overlays: dict | None = None,
) -> dict:
    """The network figure for a view, every trace tagged with its role; ``overlays``
    (e.g. a path, see :mod:`path_overlay`) are drawn on top, the rest faded. Betweenness
    sizes come from ``sizing`` (the app computes them in the background) or are computed
    here (see :func:`dashboard.draw.scene.resolve_sizing`)."""
    scene = build_scene(view.network, positions)
    scene["revision"] = revision
    step = build_step(view, scene, size_by, sizing)
    return assemble(scene, step, selection, overlays)


def edge_curves(view: View, positions: np.ndarray, edges: np.ndarray, t: np.ndarray):
    """Points along the curves of ``edges`` as the figure draws them, and tangents."""
    net = view.network
    p0, p2 = positions[net.edge_from[edges]], positions[net.edge_to[edges]]
    control, loop = control_points(p0, p2, net.edge_pair_offsets[edges])
    return curve_points(p0, control, p2, loop, t)


def short_label(name: str) -> str:
    """A label cut to ``LABEL_CHARACTERS``, with an ellipsis."""
    if len(name) <= LABEL_CHARACTERS:
        return name
    return name[: LABEL_CHARACTERS - 1].rstrip() + "…"
