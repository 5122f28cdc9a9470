"""The network figure in two parts: a *scene* sent once, and a *step* per filter change.

The scene holds what does not change while the user filters: node positions, each
edge's ends and curve, names, families, colours and the style table. A step holds what
a filter changes: which edges and actors show, each shown edge's class (width and
look), node sizes, labels, counts. At 100,000 claims a scene is a few megabytes and a
step tens of kilobytes; the browser assembles the figure from both (assets/network.js)
without a round trip for geometry, and :func:`dashboard.draw.assemble.assemble` does
the same in Python for exports.

Arrays are numpy here; :func:`encode` turns them into Plotly's typed-array form
(``{"dtype": "f4", "bdata": <base64>}``) for the wire.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.positions.compute import compute_layout
>>> from dashboard.query.filters import FilterState, apply_filters
>>> net = Network.from_dataset(load_or_raise("data"))
>>> scene = build_scene(net, compute_layout(net, "force"))
>>> view = apply_filters(net, FilterState(years=(1991, 1998), include_undated=False))
>>> step = build_step(view, scene)
>>> int(unpack(step["edges"], len(net.edges)).sum()), step["mode"]
(13, 'detailed')
"""

from __future__ import annotations

import base64
import textwrap
from html import escape

import numpy as np

from dashboard.draw import style
from dashboard.draw.geometry import control_points
from dashboard.graph import UNDATED, Network, day_years
from dashboard.query.centrality import Sizing, betweenness_now
from dashboard.query.communities import find_communities
from dashboard.query.filters import View
from dashboard.text import plural

SIZE_LABELS = {"claims": "number of claims", "degree": "degree", "betweenness": "betweenness"}
ALIASES_LIMIT = 1_000_000  # characters of aliases sent with the scene; more stay server-side


def build_scene(network: Network, positions: np.ndarray) -> dict:
    """What the map keeps while filtering, for ``positions`` (n_actors x 2, NaN = unplaced)."""
    p0 = positions[network.edge_from]
    p2 = positions[network.edge_to]
    control, loop = control_points(p0, p2, network.edge_pair_offsets)
    families = network.families.names
    colours = style.family_colours(families)
    aliases = [", ".join(a) for a in network.actors["aliases"]]
    return {
        "x": positions[:, 0].astype(np.float32),
        "y": positions[:, 1].astype(np.float32),
        "nodeType": network.actor_type.astype(np.uint16),
        "names": network.escaped_names.tolist(),
        "aliases": [escape(a) for a in aliases] if sum(map(len, aliases)) < ALIASES_LIMIT else None,
        "types": [escape(t) for t in network.actor_types],
        "typeColours": list(style.type_colours(network.actor_types).values()),
        "edgeFrom": network.edge_from.astype(np.int32),
        "edgeTo": network.edge_to.astype(np.int32),
        "edgeRelation": network.edges["relation_code"].to_numpy(np.uint16),
        "controlX": control[:, 0].astype(np.float32),
        "controlY": control[:, 1].astype(np.float32),
        "loop": loop.astype(np.float32),
        "undirected": network.edge_undirected,
        "relations": [escape(r) for r in network.relations],
        "relationFamily": network.relation_family.astype(np.uint8),
        "families": [{"name": escape(f), "colour": colours[f]} for f in families],
        "ranges": axis_ranges(positions),
        "style": style.style_table(),
        **_clusters(network),
    }


def prepare_scene(network: Network) -> None:
    """Compute, once per data set, what every scene and step of ``network`` reads and is
    slow to find (its communities, its names escaped), so that the first page does not
    wait for it (web/app.py calls this when the app starts)."""
    network.escaped_names  # noqa: B018 (a cached property: reading it computes it)
    _clusters(network)


def _clusters(network: Network) -> dict:
    """Communities for colouring large views: a group per actor and the groups' names
    (the largest ``CLUSTER_COLOURS_LIMIT``, then "smaller groups")."""
    if network.n_actors <= style.CLUSTER_VIEW_LIMIT:
        return {}
    found = find_communities(network)
    named = min(len(found.names), style.CLUSTER_COLOURS_LIMIT)
    group = np.where((found.membership >= 0) & (found.membership < named), found.membership, named)
    return {
        "nodeCluster": group.astype(np.uint16),
        "clusters": [escape(n) for n in found.names[:named]] + ["smaller groups"],
        "clusterColours": style.cluster_colours(named),
    }


def axis_ranges(positions: np.ndarray) -> dict:
    """Axis ranges from the whole layout, not the view: nodes keep their place on screen."""
    placed = ~np.isnan(positions).any(axis=1)
    low = positions[placed].min(axis=0) if placed.any() else np.array([-1.0, -1.0])
    high = positions[placed].max(axis=0) if placed.any() else np.array([1.0, 1.0])
    pad = (high - low) * style.MARGIN + 0.05
    return {
        "x": [float(low[0] - pad[0]), float(high[0] + pad[0])],
        "y": [float(low[1] - pad[1]), float(high[1] + pad[1])],
    }


def focus_frame(view: View, positions: np.ndarray) -> tuple[int, dict] | None:
    """With a focus: its actor's code, and axis ranges that frame its neighbourhood.

    Positions never move; the view zooms. The frame spans at least ``FOCUS_MIN_SPAN`` of
    the whole layout, so a focus on two close actors does not blow them up to fill the map.
    """
    code = view.network.actor_code.get(view.state.focus) if view.state.focus else None
    if code is None or not view.node_mask[code]:
        return None
    whole = axis_ranges(positions)
    points = positions[view.node_mask]
    points = points[~np.isnan(points).any(axis=1)]
    if not len(points):
        return None
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    whole_span = np.array([np.diff(whole["x"])[0], np.diff(whole["y"])[0]])
    span = np.maximum(high - low, whole_span * style.FOCUS_MIN_SPAN)
    half = span / 2 + span * style.MARGIN + 0.05
    # Labels hang below their actors: a little more room at the bottom. Rounded, so
    # that both assemblers name the frame alike (it keys the figure's uirevision).
    return code, {
        "x": [round(float(centre[0] - half[0]), 4), round(float(centre[0] + half[0]), 4)],
        "y": [round(float(centre[1] - half[1] - 0.04), 4), round(float(centre[1] + half[1]), 4)],
    }


def focus_camera(view: View, positions: np.ndarray) -> dict:
    """The axis ranges a step asks for (None: the whole layout) and the name of that
    frame, which keys the figure's uirevision: a new frame is a new view, for which
    Plotly forgets the user's zoom."""
    focus = focus_frame(view, positions)
    if focus is None:
        return {"ranges": None, "frame": ""}
    code, ranges = focus
    return {
        "ranges": ranges,
        "frame": "focus:{}:{x[0]}:{x[1]}:{y[0]}:{y[1]}".format(code, **ranges),
    }


def drawn_edges(view: View) -> tuple[np.ndarray, str | None]:
    """The edges to draw, and a notice when there are too many to draw them all."""
    edges = np.flatnonzero(view.edge_mask)
    limit = style.MAX_DRAWN_EDGES
    if len(edges) <= limit:
        return edges, None
    strength = view.edge_claims[edges] * 1000 + view.edge_sources[edges]
    strongest = np.sort(edges[np.argsort(-strength, kind="stable")[:limit]])
    return strongest, (
        f"Drawing the {limit:,} edges with the most claims, of {len(edges):,}. "
        "Narrow the filters to see every edge."
    )


def edge_classes(view: View, edges: np.ndarray, faded_undated: bool) -> np.ndarray:
    """One byte per edge: width class (distinct sources, capped) and look bits."""
    width = np.minimum(view.edge_sources[edges], style.MAX_WIDTH_CLASS).astype(np.uint8)
    denied = view.edge_denied_only[edges]
    contested = view.edge_contested[edges] & ~denied
    faded = view.edge_undated_only[edges] & faded_undated
    return (
        width
        | (contested * style.CONTESTED_BIT)
        | (denied * style.DENIED_BIT)
        | (faded * style.FADED_BIT)
    ).astype(np.uint8)


def node_sizes(view: View, metric: str, betweenness: np.ndarray | None = None) -> np.ndarray:
    """Marker diameters in pixels by the chosen metric over the visible view: 12-44, or
    4-20 when the view is so large that bigger markers would hide every edge.

    ``betweenness``: scores per actor for the "betweenness" metric (see
    query/centrality.py); computed here when not given.
    """
    values = metric_values(view, metric, betweenness)
    shown = values[view.node_mask]
    top = shown.max() if len(shown) else 0
    scaled = np.sqrt(values / top) if top > 0 else np.zeros_like(values)
    smallest, span = (4, 16) if len(shown) > style.DETAIL_NODE_LIMIT else (12, 32)
    return smallest + span * scaled


def metric_values(view: View, metric: str, betweenness: np.ndarray | None = None) -> np.ndarray:
    if metric == "degree":
        return view.node_degrees.astype(float)
    if metric == "betweenness":
        scores = betweenness if betweenness is not None else betweenness_now(view).scores
        return np.asarray(scores, dtype=float)
    return view.node_claim_counts.astype(float)


def label_choice(positions: np.ndarray, nodes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Which actors get a label: the largest first, at most ``LABEL_LIMIT``, none
    overlapping another (labels are about 0.2 wide and 0.05 tall in the [-1, 1] frame)."""
    limit = style.LABEL_LIMIT
    if len(nodes) <= limit:
        return nodes  # small views: the layout already keeps labels apart
    taken: list[np.ndarray] = []
    chosen = []
    # The largest few hundred hold the labels' winners; no need to look further.
    for node in nodes[np.argsort(-sizes[nodes], kind="stable")][: limit * 10]:
        point = positions[node]
        if all(abs(point[0] - p[0]) > 0.2 or abs(point[1] - p[1]) > 0.05 for p in taken):
            taken.append(point)
            chosen.append(node)
            if len(chosen) == limit:
                break
    return np.sort(np.asarray(chosen, dtype=np.int64))


def resolve_sizing(view: View, size_by: str, sizing: Sizing | None) -> tuple[str, Sizing | None]:
    """The metric to size nodes by now, and the betweenness with its key when sizing by it.

    Betweenness comes from ``sizing`` (the app computes it in the background, and sizes
    by claims until it is ready); without one, it is computed here.
    """
    if size_by != "betweenness":
        return size_by, None
    if sizing is None:
        found = betweenness_now(view)
        sizing = Sizing(found.scores, found.describe(), pending=False)
    return ("betweenness" if sizing.values is not None else "claims"), sizing


def build_step(
    view: View,
    scene: dict,
    size_by: str = "claims",
    sizing: Sizing | None = None,
    faded_undated: bool | None = None,
    full_labels: bool | None = None,
    camera: dict | None = None,
    detail_edge_limit: int = style.DETAIL_EDGE_LIMIT,
) -> dict:
    """What the filters decide: shown edges and actors, their classes, sizes, labels.

    Undated-only edges are faded when a time range is set (``faded_undated`` defaults
    to whether the view's filters have one). Labels are shortened from the middle, or
    with ``full_labels`` given whole, wrapped; by default, whole when a focus shows few
    actors. A focus also names its actor (ringed on the map) and the axis ranges that
    frame its neighbourhood (see :func:`focus_frame`); playback's frames keep the
    ``camera`` of the view it started from (see :func:`focus_camera`). Up to
    ``detail_edge_limit`` edges are drawn in detail (SVG curves); playback's frames
    drawn in the browser say fewer (``style.FRAME_DETAIL_EDGE_LIMIT``).
    """
    if faded_undated is None:
        faded_undated = view.state.day_range is not None
    network = view.network
    edges, notice = drawn_edges(view)
    nodes = np.flatnonzero(view.node_mask)
    metric, sizing = resolve_sizing(view, size_by, sizing)
    betweenness = sizing.values if sizing is not None else None
    sizes = node_sizes(view, metric, betweenness)
    positions = np.column_stack([scene["x"], scene["y"]]).astype(float)
    labels = label_choice(positions, nodes, sizes)
    clusters = _clusters(network)
    by_cluster = bool(clusters) and len(nodes) > style.CLUSTER_VIEW_LIMIT
    if camera is None:
        camera = focus_camera(view, positions)
    code = view.network.actor_code.get(view.state.focus, -1) if view.state.focus else -1
    focus = code if code >= 0 and view.node_mask[code] else -1
    if full_labels is None:
        # Few actors in a focus, or the central ones of communities: named in full.
        full_labels = by_cluster or (focus >= 0 and len(labels) <= style.FULL_LABEL_LIMIT)
    step = {
        "edges": np.packbits(_mask(len(view.edge_mask), edges)),
        "edgeClass": edge_classes(view, edges, faded_undated),
        "nodes": np.packbits(view.node_mask),
        "nodeSize": np.round(sizes[nodes]).astype(np.uint8),
        "labels": labels.astype(np.int32),
        "labelTexts": [label_text(network.actor_names[n], full_labels) for n in labels.tolist()],
        "mode": "detailed" if len(edges) <= detail_edge_limit else "bulk",
        "notice": escape(notice) if notice else None,
        "counts": view.counts_text(),
        "sizeKey": size_key(view, metric, sizes, betweenness, sizing),
        "colourBy": "cluster" if by_cluster else "type",
        "clusterLabels": cluster_labels(clusters, positions, nodes) if by_cluster else [],
        "focus": focus,
        "ranges": camera["ranges"],
        "frame": camera["frame"],
    }
    if step["mode"] == "detailed":
        first, last = view.edge_first_day[edges], view.edge_last_day[edges]
        dated = first != UNDATED
        step.update(
            edgeClaims=view.edge_claims[edges].astype(np.uint32),
            edgeSources=view.edge_sources[edges].astype(np.uint32),
            edgeDenials=view.edge_denials[edges].astype(np.uint32),
            edgeUndated=view.edge_undated[edges].astype(np.uint32),
            edgeFirstYear=np.where(dated, day_years(np.where(dated, first, 0)), 0).astype(np.int16),
            edgeLastYear=np.where(dated, day_years(np.where(dated, last, 0)), 0).astype(np.int16),
        )
    if len(nodes) <= style.DETAIL_NODE_LIMIT:
        step.update(
            nodeClaims=view.node_claim_counts[nodes].astype(np.uint32),
            nodeDegree=view.node_degrees[nodes].astype(np.uint32),
        )
    return step


def cluster_labels(clusters: dict, positions: np.ndarray, nodes: np.ndarray) -> list[dict]:
    """Each named community's name at the middle of its shown members, largest community
    first; a name that would overlap a larger community's is left out (the legend names
    every group). assets/playback.js's ``clusterLabels`` does the same for a frame."""
    group = np.asarray(clusters["nodeCluster"])[nodes]
    ranges = axis_ranges(positions)
    size = (ranges["x"][1] - ranges["x"][0], ranges["y"][1] - ranges["y"][0])
    labels: list[dict] = []
    for code, name in enumerate(clusters["clusters"][:-1]):
        members = nodes[group == code]
        if len(members) >= 3:
            x, y = np.nanmean(positions[members], axis=0)
            label = {"text": name, "x": round(float(x), 4), "y": round(float(y), 4)}
            if not any(labels_overlap(label, kept, size) for kept in labels):
                labels.append(label)
    return labels


def labels_overlap(a: dict, b: dict, size: tuple[float, float]) -> bool:
    """Would two group names drawn on the whole map overlap? ``size``: the layout's width
    and height (its axis ranges).

    >>> near, far = {"text": "Hamas +9", "x": 0.0, "y": 0.0}, {"text": "ISIS +3", "x": 0.5, "y": 0.0}
    >>> labels_overlap(near, {**near, "y": 0.01}, (2.0, 2.0)), labels_overlap(near, far, (2.0, 2.0))
    (True, False)
    """
    half_width = (len(a["text"]) + len(b["text"])) * style.GROUP_LABEL_CHAR_WIDTH * size[0] / 2
    return (
        abs(a["x"] - b["x"]) < half_width
        and abs(a["y"] - b["y"]) < style.GROUP_LABEL_HEIGHT * size[1]
    )


def label_text(name: str, full: bool = False) -> str:
    """An actor's label, escaped: shortened from the middle, so that the end, which often
    tells actors apart ("Police Forces of Iraq (2003-)"), stays; or whole, wrapped.

    >>> label_text("Police Forces of Iraq (2003-2011)")
    'Police Forces…(2003-2011)'
    >>> label_text("Islamic Revolutionary Guard Corps")
    'Islamic…Guard Corps'
    >>> label_text("National Islamic Front of Sudan", full=True)
    'National Islamic Front of<br>Sudan'
    """
    limit = style.LABEL_CHARACTERS
    if full:
        return "<br>".join(escape(line) for line in textwrap.wrap(name, limit) or [""])
    if len(name) <= limit:
        return escape(name)
    words = name.split()
    tail = ""
    while len(words) > 1 and len(f"{words[-1]} {tail}".strip()) <= limit // 2:
        tail = f"{words.pop()} {tail}".strip()
    tail = tail or name[-(limit // 2) :]
    head = name[: limit - 1 - len(tail)]
    if " " in head[len(head) // 2 :]:
        head = head[: head.rindex(" ")]
    return escape(f"{head.rstrip()}…{tail}")


def size_key(
    view: View,
    metric: str,
    sizes: np.ndarray,
    betweenness: np.ndarray | None = None,
    sizing: Sizing | None = None,
) -> dict:
    """What node size means, with three reference sizes and their values. With
    betweenness, ``note`` says how it was computed, or that it is being computed (the
    figure writes it under the map: it is too long for the legend)."""
    values = metric_values(view, metric, betweenness)[view.node_mask]
    shown = sizes[view.node_mask]
    title = escape(f"Node size: {SIZE_LABELS.get(metric, metric)}")
    note = escape(sizing.note) if sizing is not None else None
    if not len(values) or values.max() <= 0:
        return {"title": title, "entries": [], "note": note}
    picks = sorted({int(np.argmax(values)), int(np.argsort(values, kind="stable")[len(values) // 2]), int(np.argmin(values))}, key=lambda i: values[i])  # fmt: skip
    # One entry per value: "1 claim" twice (the smallest and the middle) says nothing.
    picks = [i for k, i in enumerate(picks) if k == 0 or values[i] != values[picks[k - 1]]]
    return {
        "title": title,
        "entries": [
            {"size": float(shown[i]), "label": escape(_metric_text(metric, float(values[i])))}
            for i in picks
        ],
        "note": note,
    }


def _metric_text(metric: str, value: float) -> str:
    if metric == "claims":
        return plural(int(value), "claim")
    if metric == "degree":
        return plural(int(value), "edge")
    return f"{value:,.3g}"


def _mask(length: int, chosen: np.ndarray) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    mask[chosen] = True
    return mask


def unpack(bits: np.ndarray, length: int) -> np.ndarray:
    """The boolean mask :func:`build_step` packed into bits."""
    return np.unpackbits(bits, count=length).astype(bool)


def encode(value):
    """Numpy arrays as Plotly's typed arrays, recursively; other values unchanged."""
    if isinstance(value, np.ndarray):
        dtype = {"float32": "f4", "float64": "f8", "int32": "i4", "uint32": "u4",
                 "int16": "i2", "uint16": "u2", "uint8": "u1", "int8": "i1", "bool": "u1",
                 "int64": "i4"}[value.dtype.name]  # fmt: skip
        data = value.astype(np.int32) if value.dtype == np.int64 else value
        data = data.astype(np.uint8) if value.dtype == bool else data
        return {"dtype": dtype, "bdata": base64.b64encode(np.ascontiguousarray(data)).decode()}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


_DTYPES = {"f4": np.float32, "f8": np.float64, "i4": np.int32, "u4": np.uint32,
           "i2": np.int16, "u2": np.uint16, "u1": np.uint8, "i1": np.int8}  # fmt: skip


def decode(value):
    """The inverse of :func:`encode` (booleans come back as uint8)."""
    if isinstance(value, dict) and set(value) == {"dtype", "bdata"}:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=_DTYPES[value["dtype"]])
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value
