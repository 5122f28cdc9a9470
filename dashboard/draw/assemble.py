"""Scene + step -> the network figure (a Plotly figure dict). assets/network.js does the
same in the browser; a browser test checks that both draw the same traces.

Traces, bottom to top, each tagged with its role (:mod:`dashboard.draw.roles`): legend
swatches; edge lines, one trace per (family, width class, look, faded) so the number of
traces is bounded whatever the data; relation names on edges in small views;
arrowheads, one trace per (family, faded); invisible hit markers (click an edge
anywhere along it); actors, one trace per type (above ``GL_ACTOR_LIMIT`` drawn with
WebGL, their names then in one SVG text trace); the focus ring; overlays. The
selection's highlight is drawn as layout shapes (:func:`highlight_shapes`).
"""

from __future__ import annotations

import numpy as np

from dashboard.draw import roles, style
from dashboard.draw.geometry import arrow_angles, curve_points, with_gaps
from dashboard.draw.scene import unpack
from dashboard.draw.typed_arrays import typed
from dashboard.text import plural


class Drawing:
    """Arrays of one scene and step, decoded, with the shown edges' geometry at hand."""

    def __init__(self, scene: dict, step: dict):
        self.scene, self.step = scene, step
        n_edges, n_nodes = len(scene["edgeFrom"]), len(scene["x"])
        self.edges = np.flatnonzero(unpack(np.asarray(step["edges"]), n_edges))
        self.nodes = np.flatnonzero(unpack(np.asarray(step["nodes"]), n_nodes))
        self.klass = np.asarray(step["edgeClass"], dtype=np.int64)
        self.detailed = step["mode"] == "detailed"
        self.positions = np.column_stack([scene["x"], scene["y"]]).astype(float)
        e = self.edges
        self.p0 = self.positions[np.asarray(scene["edgeFrom"])[e]]
        self.p2 = self.positions[np.asarray(scene["edgeTo"])[e]]
        self.control = np.column_stack(
            [np.asarray(scene["controlX"])[e], np.asarray(scene["controlY"])[e]]
        ).astype(float)
        self.loop = np.asarray(scene["loop"], dtype=float)[e]
        relation = np.asarray(scene["edgeRelation"])[e]
        self.relation = relation
        self.family = np.asarray(scene["relationFamily"])[relation]
        self.directed = ~np.asarray(scene["undirected"], dtype=bool)[e]
        bits = style
        self.width_class = self.klass & bits.WIDTH_MASK
        self.denied = (self.klass & bits.DENIED_BIT) > 0
        self.contested = (self.klass & bits.CONTESTED_BIT) > 0
        self.faded = (self.klass & bits.FADED_BIT) > 0

    def curves(self, t: np.ndarray, rows=slice(None)):
        return curve_points(self.p0[rows], self.control[rows], self.p2[rows], self.loop[rows], t)


FADED_BY_OVERLAYS = (
    roles.EDGE_LINES,
    roles.EDGE_LABELS,
    roles.EDGE_ARROWS,
    roles.ACTORS,
    roles.ACTOR_LABELS,
)


def assemble(
    scene: dict, step: dict, selection=None, overlays: dict | None = None, narrow: bool = False
) -> dict:
    """The figure for ``scene`` and ``step``; ``selection`` is a Selection or None;
    ``overlays`` (``{"traces": [...], "fade": 0.2}``, e.g. a path) go on top, with the
    map's edges and actors faded to ``fade`` of their opacity."""
    d = Drawing(scene, step)
    traces = legend_traces(scene, step)
    if len(d.edges):
        traces += line_traces(d)
        traces += label_traces(d)
        traces += arrow_traces(d)
        traces.append(hit_trace(d))
    traces += node_traces(d)
    traces.append(focus_trace(d))
    if overlays:
        for trace in traces:
            if trace["meta"]["role"] in FADED_BY_OVERLAYS:
                trace["opacity"] = trace.get("opacity", 1.0) * overlays["fade"]
        traces += list(overlays["traces"])
    layout = figure_layout(scene, step, narrow)
    layout["shapes"] = highlight_shapes(scene, step, selection)
    return {"data": traces, "layout": layout}


def _swatch(name: str, role_rank: int, group: str, title: str | None, **look) -> dict:
    return roles.tagged(
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "name": name,
            "legendgroup": group,
            "legendgrouptitle": {"text": title} if title else {},
            "legendrank": role_rank,
            "hoverinfo": "skip",
            **look,
        },
        roles.LEGEND,
    )


def legend_traces(scene: dict, step: dict) -> list[dict]:
    """The key: families, looks, actor types and node size. The same entries whatever
    the filters, so the legend (and with it the plot area) never changes size. Node size
    comes last: below a narrow map, it is the group that wraps to a second row."""
    traces = [
        _swatch(f["name"], 1000 + i, "families", "Relations" if i == 0 else None,
                mode="lines", line={"color": f["colour"], "width": 3})
        for i, f in enumerate(scene["families"])
    ]  # fmt: skip
    looks = [
        ("contested (dashed)", {"color": "#555", "width": 2, "dash": "dash"}),
        ("denied only (dotted)", {"color": style.DENIED_COLOUR, "width": 2, "dash": "dot"}),
        ("undated only (faded)", {"color": "rgba(85,85,85,0.35)", "width": 2}),
    ]
    traces += [
        _swatch(name, 2000 + i, "looks", "Claims" if i == 0 else None, mode="lines", line=line)
        for i, (name, line) in enumerate(looks)
    ]
    key = step["sizeKey"]
    traces += [
        _swatch(entry["label"], 4000 + i, "size", key["title"] if i == 0 else None,
                mode="markers", marker={"size": min(entry["size"], 16) * 0.8 + 3, "color": "#9ca3af"})
        for i, entry in enumerate(key["entries"])
    ]  # fmt: skip
    names, colours, title = node_colouring(scene, step)[1:]
    traces += [
        _swatch(_short(name, 24), 3000 + i, "nodes", title if i == 0 else None,
                mode="markers", marker={"size": 11, "color": colour})
        for i, (name, colour) in enumerate(zip(names, colours, strict=True))
    ]  # fmt: skip
    return traces


def node_colouring(scene: dict, step: dict):
    """What colours the actors: their type, or in large views their community."""
    if step.get("colourBy") == "cluster":
        return (
            np.asarray(scene["nodeCluster"]),
            scene["clusters"],
            scene["clusterColours"],
            "Groups (communities)",
        )
    return np.asarray(scene["nodeType"]), scene["types"], scene["typeColours"], "Actor types"


def _short(escaped_name: str, limit: int) -> str:
    return escaped_name if len(escaped_name) <= limit else escaped_name[: limit - 1] + "…"


def line_traces(d: Drawing) -> list[dict]:
    """One trace per (family, width class, look, faded): a trace has one colour, width
    and dash."""
    t = np.linspace(0, 1, style.CURVE_SAMPLES) if d.detailed else np.array([0.0, 0.5, 1.0])
    x, y, _, _ = d.curves(t)
    look = np.where(d.denied, 2, np.where(d.contested, 1, 0))
    key = ((d.family * 8 + d.width_class) * 3 + look) * 2 + d.faded
    widths = style.edge_widths(bulk=not d.detailed)
    looks = (style.ASSERTED, style.CONTESTED, style.DENIED)
    families = d.scene["families"]
    traces = []
    for value in np.unique(key):
        rows = np.flatnonzero(key == value)
        first = rows[0]
        kind = looks[look[first]]
        colour = (
            style.DENIED_COLOUR if kind == style.DENIED else families[d.family[first]]["colour"]
        )
        opacity = (1.0 if d.detailed else 0.6) * (style.FADED_OPACITY if d.faded[first] else 1.0)
        traces.append(
            roles.tagged(
                {
                    "type": "scatter" if d.detailed else "scattergl",
                    "x": typed(with_gaps(x[rows])),
                    "y": typed(with_gaps(y[rows])),
                    "mode": "lines",
                    "line": {
                        "color": colour,
                        "width": widths[d.width_class[first]],
                        "dash": style.DASHES[kind],
                    },
                    "opacity": opacity,
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "name": families[d.family[first]]["name"],
                },
                roles.EDGE_LINES,
            )
        )
    return traces


def label_traces(d: Drawing) -> list[dict]:
    """The relation written at each edge's middle, when few enough edges show to read it."""
    if len(d.edges) > style.EDGE_LABEL_LIMIT:
        return []
    x, y, _, _ = d.curves(np.array([0.5]))
    relations = d.scene["relations"]
    return [
        roles.tagged(
            {
                "type": "scatter",
                "x": typed(x[:, 0]),
                "y": typed(y[:, 0]),
                "mode": "text",
                "text": [relations[r] for r in d.relation],
                "textfont": {"size": 9, "color": "#4b5563"},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "relations",
            },
            roles.EDGE_LABELS,
        )
    ]


def arrow_traces(d: Drawing) -> list[dict]:
    """Arrowheads past each directed, asserted edge's middle: one trace per (family,
    faded), angles rounded so WebGL draws few glyphs."""
    if not d.detailed and len(d.edges) > style.BULK_ARROW_LIMIT:
        return []
    rows = np.flatnonzero(d.directed & ~d.denied)
    if not len(rows):
        return []
    x, y, dx, dy = d.curves(np.array([style.ARROW_AT]), rows)
    angles = arrow_angles(dx[:, 0], dy[:, 0], style.ARROW_ANGLE_STEP)
    sizes = np.asarray(style.arrow_sizes())[d.width_class[rows]]
    key = d.family[rows] * 2 + d.faded[rows]
    traces = []
    for value in np.unique(key):
        group = np.flatnonzero(key == value)
        first = rows[group[0]]
        traces.append(
            roles.tagged(
                {
                    "type": "scatter" if d.detailed else "scattergl",
                    "x": typed(x[group, 0]),
                    "y": typed(y[group, 0]),
                    "mode": "markers",
                    "marker": {
                        "symbol": "triangle-up",
                        "size": typed(sizes[group]) if d.detailed else 6,
                        "angle": typed(angles[group]),
                        "color": d.scene["families"][d.family[first]]["colour"],
                        "line": {"width": 0},
                        "opacity": style.FADED_OPACITY if d.faded[first] else 1.0,
                    },
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "name": "direction",
                },
                roles.EDGE_ARROWS,
            )
        )
    return traces


def edge_hover_texts(d: Drawing) -> list[str]:
    """Who, what, whom; in detailed views also claims, sources, when and contest."""
    scene, step = d.scene, d.step
    names, relations = scene["names"], scene["relations"]
    frm, to = np.asarray(scene["edgeFrom"])[d.edges], np.asarray(scene["edgeTo"])[d.edges]
    labels = [
        f"<b>{names[a]}</b> {relations[r]} <b>{names[b]}</b>"
        for a, r, b in zip(frm.tolist(), d.relation.tolist(), to.tolist(), strict=True)
    ]
    if not d.detailed:
        return labels
    texts = []
    parts = zip(
        labels,
        np.asarray(step["edgeClaims"]).tolist(),
        np.asarray(step["edgeSources"]).tolist(),
        np.asarray(step["edgeDenials"]).tolist(),
        np.asarray(step["edgeUndated"]).tolist(),
        np.asarray(step["edgeFirstYear"]).tolist(),
        np.asarray(step["edgeLastYear"]).tolist(),
        d.contested.tolist(),
        d.denied.tolist(),
        strict=True,
    )
    for label, claims, sources, denials, undated, first, last, contested, denied in parts:
        when = "undated" if not first else str(first) if first == last else f"{first}–{last}"
        if first and undated:
            when += f" (+{undated} undated)"
        note = ""
        if denied:
            note = "<br>⊘ Denied: every claim shown here denies it"
        elif contested:
            note = (
                f"<br>⚠ Contested: {plural(denials, 'denial')}"
                if denials
                else "<br>⚠ Contested: another source claims an opposing relation"
            )
        texts.append(
            f"{label}<br>{plural(claims, 'claim')} · {plural(sources, 'source')}<br>{when}"
            f"{note}<br><i>click for the evidence</i>"
        )
    return texts


def hit_trace(d: Drawing) -> dict:
    """Invisible markers along each edge: hover or click anywhere on it. In detailed
    views every ``HIT_SPACING`` except near its ends, which belong to the actors; in
    bulk views one marker at its middle."""
    texts = edge_hover_texts(d)
    if d.detailed:
        chord = np.hypot(*(d.p2 - d.p0).T)
        offsets = np.hypot(*(d.control - (d.p0 + d.p2) / 2).T)
        length = np.where(d.loop > 0, 2 * np.pi * d.loop, chord + offsets)
        margin = np.where(
            d.loop > 0, 0.1, np.minimum(style.NODE_CLEARANCE / np.maximum(chord, 1e-9), 0.4)
        )
        span = 1 - 2 * margin
        per_edge = np.clip(np.ceil(length * span / style.HIT_SPACING) + 1, 3, 60).astype(int)
        edge_of_point = np.repeat(np.arange(len(d.edges)), per_edge)
        rank = np.arange(len(edge_of_point)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
        t = margin[edge_of_point] + span[edge_of_point] * rank / (per_edge[edge_of_point] - 1)
        x, y, _, _ = d.curves(t[:, None], edge_of_point)
        marker_size = 16
    else:
        edge_of_point = np.arange(len(d.edges))
        x, y, _, _ = d.curves(np.array([0.5]))
        marker_size = 10
    return roles.tagged(
        {
            "type": "scattergl" if len(edge_of_point) > style.GL_HIT_LIMIT else "scatter",
            "x": typed(x[:, 0]),
            "y": typed(y[:, 0]),
            "mode": "markers",
            "marker": {"size": marker_size, "opacity": 0, "color": "#000"},
            # A list, not a typed array: dcc.Graph leaves typed arrays out of clickData.
            "customdata": d.edges[edge_of_point].tolist(),
            "hovertext": [texts[i] for i in edge_of_point.tolist()],
            "hoverinfo": "text",
            "hoverlabel": {"bgcolor": "white"},
            "showlegend": False,
            "name": "edges",
        },
        roles.EDGE_HITS,
    )


def node_traces(d: Drawing) -> list[dict]:
    scene, step = d.scene, d.step
    nodes = d.nodes
    bulk = len(nodes) > style.DETAIL_NODE_LIMIT
    webgl = len(nodes) > style.GL_ACTOR_LIMIT
    node_type = np.asarray(scene["nodeType"])
    colour_of, group_names, group_colours, _ = node_colouring(scene, step)
    by_cluster = step.get("colourBy") == "cluster"
    groups = colour_of[nodes]
    sizes = np.asarray(step["nodeSize"], dtype=float)
    labelled = dict(zip(np.asarray(step["labels"]).tolist(), step["labelTexts"], strict=True))
    names, type_names = scene["names"], scene["types"]
    aliases = scene.get("aliases")
    claims = None if bulk else np.asarray(step["nodeClaims"])
    degree = None if bulk else np.asarray(step["nodeDegree"])
    traces = []
    for code in np.unique(groups).tolist():
        rows = np.flatnonzero(groups == code)
        group = nodes[rows]
        if bulk:
            hover = [names[n] for n in group.tolist()]
        else:
            hover = [
                f"<b>{names[n]}</b><br>{type_names[node_type[n]]}"
                + (f"<br>group: {group_names[code]}" if by_cluster else "")
                + (f"<br>also: {aliases[n]}" if aliases and aliases[n] else "")
                + f"<br>{plural(claims[r], 'claim')} · {plural(degree[r], 'edge')}"
                + "<br><i>click for the actor card</i>"
                for n, r in zip(group.tolist(), rows.tolist(), strict=True)
            ]
        traces.append(
            roles.tagged(
                {
                    "type": "scattergl" if webgl else "scatter",
                    "x": typed(d.positions[group, 0]),
                    "y": typed(d.positions[group, 1]),
                    "mode": "markers" if webgl else "markers+text",
                    "marker": {
                        "size": typed(sizes[rows]),
                        "color": group_colours[code],
                        "line": {"width": 0 if bulk else 1.5, "color": "#fff"},
                    },
                    **({} if webgl else actor_texts([labelled.get(n, "") for n in group.tolist()])),
                    "customdata": group.tolist(),  # a list: see hit_trace
                    "hovertext": hover,
                    "hoverinfo": "text",
                    "name": group_names[code],
                    "showlegend": False,
                },
                roles.ACTORS,
            )
        )
    if webgl:
        traces.append(actor_label_trace(d, labelled))
    return traces


def actor_texts(texts: list[str]) -> dict:
    return {
        "text": texts,
        "textposition": "bottom center",
        "textfont": {"size": 11, "color": "#1f2933"},
    }


def actor_label_trace(d: Drawing, labelled: dict) -> dict:
    """The labelled actors' names, under their WebGL markers."""
    codes = np.asarray(list(labelled), dtype=int)
    return roles.tagged(
        {
            "type": "scatter",
            "x": typed(d.positions[codes, 0]),
            "y": typed(d.positions[codes, 1]),
            "mode": "text",
            **actor_texts(list(labelled.values())),
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "names",
        },
        roles.ACTOR_LABELS,
    )


def focus_trace(d: Drawing) -> dict:
    """A dark ring around the focused actor (empty without a focus): where the view is
    centred, distinct from the amber ring of a selection."""
    focus = int(d.step.get("focus", -1))
    rows = np.flatnonzero(d.nodes == focus) if focus >= 0 else np.array([], dtype=int)
    sizes = np.asarray(d.step["nodeSize"], dtype=float)[rows]
    return roles.tagged(
        {
            "type": "scatter",
            "x": d.positions[d.nodes[rows], 0].tolist(),
            "y": d.positions[d.nodes[rows], 1].tolist(),
            "mode": "markers",
            "marker": {
                "size": (sizes + 14).tolist(),
                "color": "rgba(0,0,0,0)",
                "line": {"width": 3, "color": style.FOCUS_COLOUR},
            },
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "focus",
        },
        roles.FOCUS_RING,
    )


def highlight_shapes(scene: dict, step: dict, selection) -> list[dict]:
    """The selection's highlight as layout shapes, not traces: a click redraws the
    shapes alone, where new trace data would make Plotly recompute every trace (1 s at
    100k claims, bench/). One path for the selected edge (a pair's edges, or a node's,
    at most 500), and a ring of fixed size on screen around each actor at their ends."""
    d = Drawing(scene, step)
    edge_from = np.asarray(scene["edgeFrom"])
    edge_to = np.asarray(scene["edgeTo"])
    rows = np.array([], dtype=int)
    ends: list[int] = []
    if selection is not None and selection.kind == "edge":
        rows = np.flatnonzero(d.edges == selection.index)
        if len(rows):
            ends = [int(edge_from[selection.index]), int(edge_to[selection.index])]
    elif selection is not None and selection.kind == "pair":
        a, b = selection.index, selection.other
        joins = ((edge_from[d.edges] == a) & (edge_to[d.edges] == b)) | (
            (edge_from[d.edges] == b) & (edge_to[d.edges] == a)
        )
        rows = np.flatnonzero(joins)
        shown = set(d.nodes.tolist())
        ends = [n for n in dict.fromkeys([a, b]) if n in shown]
    elif (
        selection is not None
        and selection.kind == "node"
        and selection.index in set(d.nodes.tolist())
    ):
        touching = (edge_from[d.edges] == selection.index) | (edge_to[d.edges] == selection.index)
        rows = np.flatnonzero(touching)[:500]
        ends = [selection.index]
    shapes = []
    if len(rows):
        x, y, _, _ = d.curves(np.linspace(0, 1, style.CURVE_SAMPLES), rows)
        shapes.append(
            {
                "type": "path",
                "path": svg_path(x, y),
                "xref": "x",
                "yref": "y",
                "line": {"color": style.HIGHLIGHT_COLOUR, "width": 7},
                "opacity": 0.55,
                "layer": "above",
            }
        )
    for node in ends:
        shapes.append(
            {
                "type": "circle",
                "xref": "x",
                "yref": "y",
                "xsizemode": "pixel",
                "ysizemode": "pixel",
                "xanchor": float(d.positions[node, 0]),
                "yanchor": float(d.positions[node, 1]),
                "x0": -25,
                "x1": 25,
                "y0": -25,
                "y1": 25,
                "line": {"color": style.HIGHLIGHT_COLOUR, "width": 4},
                "layer": "above",
            }
        )
    return shapes


def svg_path(x: np.ndarray, y: np.ndarray) -> str:
    """One SVG path through each row's points (rows as separate strokes), in data units
    written to 5 decimals as the browser's ``toFixed(5)`` writes them.

    >>> svg_path(np.array([[0.0, 0.5], [1.0, 1.0]]), np.array([[0.0, 0.25], [1.0, -1.0]]))
    'M0.00000,0.00000L0.50000,0.25000M1.00000,1.00000L1.00000,-1.00000'
    """
    strokes = []
    for xs, ys in zip(x.tolist(), y.tolist(), strict=True):
        points = [f"{a:.5f},{b:.5f}" for a, b in zip(xs, ys, strict=True)]
        strokes.append("M" + "L".join(points))
    return "".join(strokes)


def size_note(text: str) -> dict:
    """How node sizes were computed (or that they are being computed), under the map."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11, "color": "#374151"},
        "bgcolor": "rgba(255,255,255,0.85)",
    }


def figure_layout(scene: dict, step: dict, narrow: bool = False) -> dict:
    ranges = step.get("ranges") or scene["ranges"]
    revision = scene.get("revision", "")
    if step.get("frame"):
        revision = f"{revision}|{step['frame']}"
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    annotations = []
    if step.get("notice"):
        annotations.append(
            {
                "text": step["notice"],
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": "#92400e"},
                "bgcolor": "#fffbeb",
            }
        )
    if step["sizeKey"].get("note"):
        annotations.append(size_note(step["sizeKey"]["note"]))
    annotations += [
        {
            "text": f"<b>{label['text']}</b>",
            "x": label["x"],
            "y": label["y"],
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "font": {"size": 13, "color": "#111827"},
            "bgcolor": "rgba(255,255,255,0.75)",
        }
        for label in step.get("clusterLabels", [])
    ]
    # The legend lives in a fixed margin (right, or below when the graph is narrow), so
    # the plot area, and with it every node's place on screen, never changes.
    legend = {
        "font": {"size": 11},
        "tracegroupgap": 4,
        # A legend click would hide traces behind the filters' back (edges left
        # dangling, counts and URL unchanged): the filters are the one way to narrow.
        "itemclick": False,
        "itemdoubleclick": False,
    }
    if narrow:
        # Below the map, as compact as it reads, and given the room it needs: its
        # entries never change with the filters, so neither does that room.
        legend.update(orientation="h", x=0, y=-0.01, xanchor="left", yanchor="top", tracegroupgap=2)
        legend["font"] = {"size": 10}
        margin = {"l": 10, "r": 10, "t": 36, "b": 10, "autoexpand": True}
    else:
        legend.update(x=1.01, xanchor="left", y=1, yanchor="top")
        margin = {"l": 10, "r": style.LEGEND_WIDTH, "t": 36, "b": 10, "autoexpand": False}
    return {
        "xaxis": {**axis, "range": ranges["x"], "autorange": False},
        "yaxis": {**axis, "range": ranges["y"], "autorange": False, "scaleanchor": "x"},
        # The top margin is the modebar's strip, so it never covers the plot.
        "margin": margin,
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
        "hovermode": "closest",
        "clickmode": "event",
        "dragmode": "pan",
        "uirevision": revision,
        "annotations": annotations,
        "legend": legend,
        "showlegend": True,
    }
