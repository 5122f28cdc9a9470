"""How the map looks: colours, widths, dashes and the limits that switch drawing modes.

One table for both assemblers of the network figure: the Python one (exports, tests)
and the browser's (assets/network.js), which receives :func:`style_table` with the
scene, so the two cannot drift apart.

Edges are coloured by relation family (Okabe and Ito's colour-blind-safe palette), as
wide as their number of distinct sources (capped at 5), and their *look* says how the
claims behind them stand: asserted (solid), contested (dashed), only denied (dotted,
grey, no arrowhead), only undated while a time range is set (faded).
"""

from __future__ import annotations

from plotly.colors import qualitative

from dashboard.data.families import (
    CAMEO_QUAD_CLASSES,
    COMMUNICATION,
    CONFLICT,
    COOPERATION,
    HIERARCHY,
    OTHER,
)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
FAMILY_COLOURS = {
    COOPERATION: "#0072B2",
    CONFLICT: "#D55E00",
    HIERARCHY: "#009E73",
    COMMUNICATION: "#CC79A7",
    OTHER: "#7F7F7F",
    CAMEO_QUAD_CLASSES[0]: "#56B4E9",
    CAMEO_QUAD_CLASSES[1]: "#0072B2",
    CAMEO_QUAD_CLASSES[2]: "#E69F00",
    CAMEO_QUAD_CLASSES[3]: "#D55E00",
}
# For families a data set names itself: Paul Tol's "muted" scheme, also colour-blind safe.
EXTRA_COLOURS = ("#882255", "#44AA99", "#999933", "#AA4499", "#332288", "#117733")
NODE_PALETTE = qualitative.Set2 + qualitative.Pastel1
DENIED_COLOUR = "#6B7280"
HIGHLIGHT_COLOUR = "#f59e0b"

# Looks, in the order a class byte encodes them (bits 3-5; bits 0-2 hold the width class).
ASSERTED, CONTESTED, DENIED = "asserted", "contested", "denied"
CONTESTED_BIT, DENIED_BIT, FADED_BIT = 8, 16, 32
WIDTH_MASK = 7
MAX_WIDTH_CLASS = 5
DASHES = {ASSERTED: "solid", CONTESTED: "dash", DENIED: "dot"}
FADED_OPACITY = 0.3

DETAIL_EDGE_LIMIT = 1500  # above this many edges: WebGL polylines, one hit marker each
# A playback frame drawn in the browser goes to WebGL above this many: Plotly redraws SVG
# curves and arrowheads at about 0.1 ms an edge (10k claims: 135-160 ms of a 0.25-0.3 s
# frame at 1,200-1,500 edges), WebGL at a fixed cost. A paused frame is drawn as a step.
FRAME_DETAIL_EDGE_LIMIT = 500
# Above this many edges, arrowheads are left out: at that density they are a carpet too
# small to read (hover and evidence say who did what to whom), and software WebGL spent
# 260 ms a step on 3,900 of them (bench/browser.py, the time-range step at 100k claims:
# 0.67 s with them, 0.41 s without).
BULK_ARROW_LIMIT = 2000
EDGE_LABEL_LIMIT = 60  # at most this many edges: their relation is written on them
CLUSTER_VIEW_LIMIT = 300  # above this many actors shown, colour them by community
CLUSTER_COLOURS_LIMIT = 12  # communities named and coloured; the rest are "smaller groups"
# A community's name on the map takes about this much of the whole layout's width per
# character, and of its height: a name that would overlap a larger community's is left
# out (the legend lists every group). Centres of synthetic communities crowd the middle.
GROUP_LABEL_CHAR_WIDTH = 0.011
GROUP_LABEL_HEIGHT = 0.04
SMALL_GROUPS_COLOUR = "#c7c7c7"
DETAIL_NODE_LIMIT = 2000  # above this, nodes have short hover text and no outline
# SVG styles every marker on every redraw: above these counts markers are drawn with
# WebGL (bench/playback.py at 10k claims: 6,700 invisible SVG hit markers cost 230 ms a
# frame, 1,566 cost 85 ms, 1,000 SVG actors 60 ms). The bundled article's 588 hit
# markers stay SVG: a small view needs no WebGL. Actors drawn with WebGL have their few
# labels in an SVG text trace of their own, which WebGL text would cost more than.
GL_HIT_LIMIT = 1000
GL_ACTOR_LIMIT = 300
# Above this many edges in view only the strongest are drawn. Software WebGL (a laptop
# without a GPU, and CI) paints about 25,000 edge lines a second: at 20,000 a Reset at
# 100,000 claims took 1.2 s, at 10,000 0.8 s (bench/browser.py).
MAX_DRAWN_EDGES = 10_000
LABEL_LIMIT = 40  # label at most this many nodes (the largest); hover shows every name
LABEL_CHARACTERS = 26
FULL_LABEL_LIMIT = 12  # a focus showing at most this many labels gives them whole
FOCUS_MIN_SPAN = 0.25  # a focus frames at least this fraction of the whole layout
FOCUS_COLOUR = "#111827"  # the focused actor's ring: dark, where a selection's is amber
CURVE_SAMPLES = 16
ARROW_AT = 0.62
ARROW_ANGLE_STEP = 15  # degrees: WebGL draws one glyph per distinct angle (bench/)
BEND = 0.14  # how far (in edge lengths) each parallel rank bends from the straight line
LOOP_RADIUS = 0.05
HIT_SPACING = 0.04  # between hit markers along an edge, in the [-1, 1] frame (~15 px)
NODE_CLEARANCE = 0.05  # no edge hit markers this close to a node: clicks there pick it
MARGIN = 0.12
LEGEND_WIDTH = 190  # px of right margin the legend lives in, so the plot never resizes
NARROW_GRAPH = 720  # px: a graph narrower than this gets its legend below it


def family_colours(names) -> dict[str, str]:
    """A colour per family, fixed for the data set."""
    extras = iter(EXTRA_COLOURS * (1 + len(names) // len(EXTRA_COLOURS)))
    return {name: FAMILY_COLOURS.get(name) or next(extras) for name in names}


def cluster_colours(count: int) -> list[str]:
    """A colour for each of the largest communities, then grey for the smaller ones."""
    palette = qualitative.Set2 + qualitative.Pastel1
    named = min(count, CLUSTER_COLOURS_LIMIT)
    return [palette[i % len(palette)] for i in range(named)] + [SMALL_GROUPS_COLOUR]


def type_colours(types) -> dict[str, str]:
    return {t: NODE_PALETTE[i % len(NODE_PALETTE)] for i, t in enumerate(types)}


def edge_widths(bulk: bool) -> list[float]:
    """Line width per width class (the number of distinct sources, capped at 5)."""
    return [(0.6 + 0.5 * c) if bulk else (1 + 1.4 * c) for c in range(MAX_WIDTH_CLASS + 1)]


def arrow_sizes() -> list[float]:
    """Arrowhead size per width class, in detailed views (bulk views use 6)."""
    return [7 + 1.6 * w for w in edge_widths(bulk=False)]


def style_table() -> dict:
    """Everything the browser's assembler needs to draw exactly as the Python one."""
    return {
        "dashes": DASHES,
        "bits": {"contested": CONTESTED_BIT, "denied": DENIED_BIT, "faded": FADED_BIT},
        "widthMask": WIDTH_MASK,
        "detailedWidths": edge_widths(bulk=False),
        "bulkWidths": edge_widths(bulk=True),
        "arrowSizes": arrow_sizes(),
        "bulkArrowSize": 6,
        "fadedOpacity": FADED_OPACITY,
        "deniedColour": DENIED_COLOUR,
        "highlightColour": HIGHLIGHT_COLOUR,
        "focusColour": FOCUS_COLOUR,
        "detailEdgeLimit": DETAIL_EDGE_LIMIT,
        "bulkArrowLimit": BULK_ARROW_LIMIT,
        "edgeLabelLimit": EDGE_LABEL_LIMIT,
        "detailNodeLimit": DETAIL_NODE_LIMIT,
        "glHitLimit": GL_HIT_LIMIT,
        "glActorLimit": GL_ACTOR_LIMIT,
        "curveSamples": CURVE_SAMPLES,
        "arrowAt": ARROW_AT,
        "arrowAngleStep": ARROW_ANGLE_STEP,
        "hitSpacing": HIT_SPACING,
        "nodeClearance": NODE_CLEARANCE,
        "bend": BEND,
        "legendWidth": LEGEND_WIDTH,
        "narrowGraph": NARROW_GRAPH,
        "groupLabelCharWidth": GROUP_LABEL_CHAR_WIDTH,
        "groupLabelHeight": GROUP_LABEL_HEIGHT,
    }
