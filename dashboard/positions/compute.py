"""Node positions: computed once for the whole graph, seeded, so pictures are comparable.

Filtering never moves a node: a hidden node leaves a gap. "Re-layout visible" lays out
only what is shown, on request.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> first, again = compute_layout(net, "force"), compute_layout(net, "force")
>>> bool((first == again).all()), first.shape
(True, (28, 2))
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import networkx as nx
import numpy as np

from dashboard.graph import Network
from dashboard.igraph_runs import here, in_child_process
from dashboard.positions.force import SEED, fr_iterations, fruchterman_reingold

LAYOUTS = {
    "force": "Force-directed",
    "spring": "Spring (Fruchterman-Reingold)",
    "shells": "Shells by actor type",
    "circular": "Circle, grouped by type",
}
DEFAULT_LAYOUT = "force"
ORGANIC_LAYOUTS = ("force", "spring")
MIN_SPACING = 0.1  # vertical room per node in the [-1, 1] frame (about 35 px on screen)
LABEL_ASPECT = 2.4  # horizontal room per node, relative to vertical
SPREAD_LIMIT = 150  # the spacing pass is O(nodes x edges) per round
# Above this many actors, force layouts use igraph's Fruchterman-Reingold (networkx's
# spring layout took 49 s for 2,000 actors here; igraph 0.2 s); above CHILD_PROCESS_LIMIT,
# in a child process, since igraph holds the GIL and would freeze the server's threads.
LARGE_GRAPH = 150
CHILD_PROCESS_LIMIT = 5000
# Seconds per (actor + edge) per iteration of igraph's grid Fruchterman-Reingold, measured
# on a 2-core machine (20k actors, 88k edges, 500 iterations: 1.7 s), with some headroom,
# and the seconds a child process takes to start and import (numpy and igraph: 0.1 s).
FR_SECONDS_PER_UNIT = 4e-8
CHILD_START_SECONDS = 0.3


def estimated_seconds(network: Network, name: str) -> float:
    """A rough forecast of :func:`compute_layout`'s time, for progress reports."""
    if name not in ORGANIC_LAYOUTS or network.n_actors <= LARGE_GRAPH:
        return 1.0
    units = network.n_actors + len(network.edges)
    start = CHILD_START_SECONDS if network.n_actors > CHILD_PROCESS_LIMIT else 0.0
    return start + FR_SECONDS_PER_UNIT * units * fr_iterations(network.n_actors)


def compute_layout(
    network: Network,
    name: str,
    nodes: np.ndarray | None = None,
    edge_mask: np.ndarray | None = None,
) -> np.ndarray:
    """Positions (n_actors x 2, in [-1, 1]) for layout ``name``.

    With ``nodes`` (a boolean mask) and ``edge_mask``, only those nodes and edges are
    laid out; the others get NaN.
    """
    nodes = np.ones(network.n_actors, dtype=bool) if nodes is None else nodes
    edges = network.edges if edge_mask is None else network.edges[edge_mask]
    positions = np.full((network.n_actors, 2), np.nan)
    if name in ORGANIC_LAYOUTS and nodes.sum() > LARGE_GRAPH:
        a, b = edges["from"].to_numpy(np.int32), edges["to"].to_numpy(np.int32)
        linked = nodes & (np.bincount(np.concatenate([a, b]), minlength=network.n_actors) > 0)
        run = in_child_process if linked.sum() > CHILD_PROCESS_LIMIT else here
        coords = _pull_in_outliers(run(fruchterman_reingold, network.n_actors, linked, a, b))
        positions[np.flatnonzero(linked)] = coords
        # Actors with no edge would be flung to the far edge of the frame: line them up below.
        lone = np.flatnonzero(nodes & ~linked)
        positions[lone] = _grid_below(coords, len(lone))
        placed = np.flatnonzero(nodes)
        positions[placed] = _normalise(positions[placed])
        return positions
    graph = nx.Graph()
    graph.add_nodes_from(np.flatnonzero(nodes).tolist())
    pairs = zip(edges["from"].tolist(), edges["to"].tolist(), strict=True)
    for a, b in pairs:
        if nodes[a] and nodes[b] and a != b:
            # Several relations between two actors need room for their curves.
            parallel = graph.edges[a, b]["parallel"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, parallel=parallel, length=1 + 0.25 * (parallel - 1))
    if graph.number_of_nodes() == 0:
        return positions
    placed = _engine(name, network)(graph)
    order = list(placed)
    coords = _normalise(np.array([placed[n] for n in order], dtype=float))
    # Geometric layouts (shells, circles) mean something by their shape: leave them be.
    if name in ORGANIC_LAYOUTS and len(order) <= SPREAD_LIMIT:
        row = {node: i for i, node in enumerate(order)}
        pairs = np.array([(row[u], row[v]) for u, v in graph.edges], dtype=int).reshape(-1, 2)
        parallel = np.array([d["parallel"] for _, _, d in graph.edges(data=True)], dtype=float)
        coords = _normalise(_spread(coords, pairs, parallel, MIN_SPACING))
    positions[order] = coords
    return positions


def _spring(graph: nx.Graph) -> dict:
    n = graph.number_of_nodes()
    # A larger optimal distance than networkx's 1/sqrt(n) leaves room for labels.
    return nx.spring_layout(graph, k=1.8 / np.sqrt(n), iterations=300, seed=SEED)


def _spring_then_kamada_kawai(graph: nx.Graph) -> dict:
    """A seeded spring layout, polished by Kamada-Kawai.

    Kamada-Kawai places nodes at their graph distances (edge ``length``), which spaces
    small networks evenly; the seeded start makes the result reproducible.
    """
    start = _spring(graph)
    if graph.number_of_nodes() < 3:
        return start
    return nx.kamada_kawai_layout(graph, pos=start, weight="length")


def _force(graph: nx.Graph) -> dict:
    return _per_component(graph, _spring_then_kamada_kawai)


def _spring_only(graph: nx.Graph) -> dict:
    return _per_component(graph, _spring)


def _per_component(graph: nx.Graph, engine: Callable[[nx.Graph], dict]) -> dict:
    """Lay out each connected component alone, then shelf-pack them, largest first.

    Force-directed engines fling small components to the edge of the picture and
    leave the main one cramped; packing by bounding box gives each component room for
    its size and keeps the whole picture roughly square.
    """
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    boxes = []
    for component in components:
        nodes = sorted(component)
        if len(nodes) == 1:
            coords = np.zeros((1, 2))
        else:
            layout = engine(graph.subgraph(nodes))
            coords = _normalise(np.array([layout[n] for n in nodes], dtype=float))
            coords *= np.sqrt(len(nodes))  # area in proportion to the number of actors
        coords -= coords.min(axis=0)
        boxes.append((nodes, coords, coords.max(axis=0)))
    gap = 1.0
    area = sum((w + gap) * (h + gap) for _, _, (w, h) in boxes)
    row_width = max(boxes[0][2][0], np.sqrt(area))
    placed: dict = {}
    x = y = row_height = 0.0
    for nodes, coords, (width, height) in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, (px, py) in zip(nodes, coords, strict=True):
            placed[node] = (x + px, -(y + height - py))
        x += width + gap
        row_height = max(row_height, height)
    return placed


def _grouped_by_type(graph: nx.Graph, network: Network) -> list[list[int]]:
    types = network.actors["type"].to_numpy()
    names = network.actor_names
    groups: dict[str, list[int]] = {}
    for node in sorted(graph, key=lambda n: (types[n], names[n].casefold())):
        groups.setdefault(types[node], []).append(node)
    return sorted(groups.values(), key=len)


def _shells(graph: nx.Graph, network: Network) -> dict:
    return nx.shell_layout(graph, nlist=_grouped_by_type(graph, network))


def _circular(graph: nx.Graph, network: Network) -> dict:
    ordered = [n for group in _grouped_by_type(graph, network) for n in group]
    angles = np.linspace(0, 2 * np.pi, len(ordered), endpoint=False)
    return {n: (np.cos(a), np.sin(a)) for n, a in zip(ordered, angles, strict=True)}


def _engine(name: str, network: Network) -> Callable[[nx.Graph], dict]:
    """The function that lays out a graph for layout ``name`` (force-directed if unknown).

    The geometric layouts group actors by type, so they need the network too.
    """
    if name == "shells":
        return partial(_shells, network=network)
    if name == "circular":
        return partial(_circular, network=network)
    return _spring_only if name == "spring" else _force


def _spread(
    coords: np.ndarray, edges: np.ndarray, parallel: np.ndarray, spacing: float, rounds: int = 80
) -> np.ndarray:
    """Push apart nodes closer than ``spacing``, and nodes lying on edges not their own.

    ``edges`` holds (a, b) rows of positions in ``coords``; ``parallel`` how many
    relations each draws, since a bundle of curves is wider than one line. A little at
    a time, so the shape of the layout survives.
    """
    coords = coords.copy()
    a, b = edges[:, 0], edges[:, 1]
    clearance = spacing * (0.8 + 0.5 * (parallel - 1))
    incident = np.zeros((len(coords), len(edges)), dtype=bool)
    incident[a, np.arange(len(edges))] = True
    incident[b, np.arange(len(edges))] = True
    for _ in range(rounds):
        push = _node_repulsion(coords, spacing)
        if len(edges):
            push += _edge_repulsion(coords, a, b, clearance, incident)
        if not np.abs(push).max() > 1e-6:
            break
        coords += push
    return coords


def _node_repulsion(coords: np.ndarray, spacing: float) -> np.ndarray:
    """Labels sit under their nodes and are wider than tall: side by side, nodes need
    ``LABEL_ASPECT`` times more room than one above the other."""
    delta = coords[:, None, :] - coords[None, :, :]
    delta[..., 0] /= LABEL_ASPECT
    distance = np.hypot(delta[..., 0], delta[..., 1])
    np.fill_diagonal(distance, np.inf)
    # Coincident nodes get a fixed, deterministic direction.
    direction = np.where(
        (distance == 0)[..., None],
        np.array([1.0, 0.0]),
        delta / np.where(distance == 0, 1.0, distance)[..., None],
    )
    amount = np.where(distance < spacing, (spacing - distance) / 2, 0.0)
    push = (amount[..., None] * direction).sum(axis=1)
    push[:, 0] *= LABEL_ASPECT
    return push


def _edge_repulsion(coords, a, b, clearance, incident) -> np.ndarray:
    start, along = coords[a], coords[b] - coords[a]
    length2 = np.maximum((along**2).sum(axis=1), 1e-12)
    relative = coords[:, None, :] - start[None, :, :]
    t = np.clip((relative * along[None]).sum(axis=2) / length2, 0.05, 0.95)
    nearest = start[None] + t[..., None] * along[None]
    away = coords[:, None, :] - nearest
    distance = np.hypot(away[..., 0], away[..., 1])
    normal = np.stack([-along[:, 1], along[:, 0]], axis=1) / np.sqrt(length2)[:, None]
    direction = np.where(
        (distance < 1e-9)[..., None],
        np.broadcast_to(normal[None], away.shape),
        away / np.maximum(distance, 1e-9)[..., None],
    )
    amount = np.where(
        (distance < clearance[None]) & ~incident, (clearance[None] - distance) / 2, 0.0
    )
    return (amount[..., None] * direction).sum(axis=1)


def _grid_below(coords: np.ndarray, count: int) -> np.ndarray:
    """``count`` points in tidy rows under the bounding box of ``coords``."""
    if not count:
        return np.empty((0, 2))
    low, high = coords.min(axis=0), coords.max(axis=0)
    width = max(high[0] - low[0], 1e-9)
    per_row = max(1, int(np.ceil(np.sqrt(count * 8))))
    step = width / per_row
    index = np.arange(count)
    return np.column_stack(
        [low[0] + step * (index % per_row), low[1] - step * (2 + index // per_row)]
    )


def _pull_in_outliers(coords: np.ndarray, quantile: float = 0.98) -> np.ndarray:
    """Scale so that most nodes fill the frame, drawing far-flung ones in (log scale).

    Fruchterman-Reingold pushes small disconnected components far out; scaled by its
    farthest node, a large network would shrink to a dot in the middle.
    """
    centred = coords - np.median(coords, axis=0)
    radius = np.hypot(centred[:, 0], centred[:, 1])
    typical = np.quantile(radius, quantile)
    if typical <= 0:
        return centred
    scaled = radius / typical
    pulled = np.where(scaled > 1, 1 + 0.15 * np.log1p(scaled - 1), scaled)
    factor = np.divide(pulled, scaled, out=np.ones_like(scaled), where=scaled > 0)
    return centred * factor[:, None]


def _normalise(coords: np.ndarray) -> np.ndarray:
    """Centre and scale so the farthest node lies at distance 1, keeping proportions."""
    coords = coords - coords.mean(axis=0)
    extent = np.abs(coords).max()
    return coords / extent if extent > 0 else coords
