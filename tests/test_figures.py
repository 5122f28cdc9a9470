"""The figure: what is drawn, how it encodes the evidence, and that data stays text."""

from __future__ import annotations

import json
from html import unescape

import numpy as np
import pandas as pd
import pytest

from dashboard.draw import roles, style
from dashboard.draw.assemble import Drawing, edge_hover_texts
from dashboard.draw.figures import build_figure, edge_curves
from dashboard.draw.scene import build_scene, build_step
from dashboard.draw.typed_arrays import untyped
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.view_state import Selection


@pytest.fixture(scope="module")
def positions(network):
    return compute_layout(network, "force")


def of_role(figure, role):
    return [t for t in figure["data"] if t["meta"]["role"] == role]


def edges_in(figure) -> set[int]:
    return {int(e) for t in of_role(figure, roles.EDGE_HITS) for e in t["customdata"]}


def nodes_in(figure) -> set[int]:
    return {int(v) for t in of_role(figure, roles.ACTORS) for v in t["customdata"]}


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(years=(1991, 1998), include_undated=False),
        FilterState(sources=frozenset({"9/11 Commission"})),
        FilterState(focus="hezbollah"),
    ],
    ids=["all", "1990s", "one source", "focus"],
)
def test_figure_draws_exactly_the_view(network, positions, state):
    view = apply_filters(network, state)
    figure = build_figure(view, positions)
    assert edges_in(figure) == set(np.flatnonzero(view.edge_mask).tolist())
    assert nodes_in(figure) == set(np.flatnonzero(view.node_mask).tolist())
    assert figure["layout"]["shapes"] == []  # nothing selected, nothing highlighted


def test_every_edge_is_clickable_along_its_length(network, positions):
    view = apply_filters(network, FilterState())
    (hit,) = of_role(build_figure(view, positions), roles.EDGE_HITS)
    edge_ids = np.asarray(hit["customdata"])
    points = np.column_stack([untyped(hit["x"]), untyped(hit["y"])])
    for edge in np.flatnonzero(view.edge_mask):
        mine = points[edge_ids == edge]
        assert len(mine) >= 3
        gaps = np.hypot(*np.diff(mine, axis=0).T)
        assert gaps.max() <= 0.045  # ~15 px: within Plotly's hover distance


def test_parallel_relations_between_two_actors_never_overlap(network, positions):
    view = apply_filters(network, FilterState())
    pair = [
        e
        for e in np.flatnonzero(view.edge_mask)
        if {network.actor_ids[network.edge_from[e]], network.actor_ids[network.edge_to[e]]}
        == {"iran", "al-qaeda"}
    ]
    assert len(pair) >= 7
    x, y, _, _ = edge_curves(view, positions, np.array(pair), np.array([0.5]))
    middles = np.column_stack([x[:, 0], y[:, 0]])
    distances = np.hypot(*(middles[:, None] - middles[None, :]).transpose(2, 0, 1))
    np.fill_diagonal(distances, np.inf)
    assert distances.min() > 0.01


def line_styles(figure) -> list[dict]:
    return [{**t["line"], "name": t["name"]} for t in of_role(figure, roles.EDGE_LINES)]


def test_edges_are_coloured_by_family_with_few_traces(network, positions):
    figure = build_figure(apply_filters(network, FilterState()), positions)
    colours = {s["color"] for s in line_styles(figure) if s["dash"] != "dot"}
    assert colours <= set(style.FAMILY_COLOURS.values())
    family_names = [t["name"] for t in of_role(figure, roles.LEGEND)][:5]
    assert family_names == [
        "cooperation",
        "conflict",
        "hierarchy and membership",
        "communication",
        "other",
    ]
    # one trace per (family, width, look): far fewer than the 24 relations x widths
    assert len(of_role(figure, roles.EDGE_LINES)) <= 5 * 6 * 3 * 2


def test_contested_edges_are_dashed_and_widths_follow_sources(network, positions):
    view = apply_filters(network, FilterState())
    drawing = Drawing(*scene_and_step(view, positions))
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    row = int(np.flatnonzero(drawing.edges == edge)[0])
    assert drawing.contested[row] and drawing.width_class[row] == 5  # 7 sources, capped
    lonely = network.edge_number("iran", "hamas", "supports")
    row = int(np.flatnonzero(drawing.edges == lonely)[0])
    assert not drawing.contested[row] and drawing.width_class[row] == 1
    widths = {s["width"] for s in line_styles(build_figure(view, positions))}
    assert {1 + 1.4 * 1, 1 + 1.4 * 5} <= widths


def scene_and_step(view, positions, **options):
    scene = build_scene(view.network, positions)
    return scene, build_step(view, scene, **options)


def test_denied_only_edges_are_dotted_grey_and_have_no_arrowhead(network, positions):
    view = apply_filters(network, FilterState(stances=frozenset({"denies"})))
    figure = build_figure(view, positions)
    (line,) = of_role(figure, roles.EDGE_LINES)
    assert (line["line"]["dash"], line["line"]["color"]) == ("dot", style.DENIED_COLOUR)
    assert of_role(figure, roles.EDGE_ARROWS) == []
    (hit,) = of_role(figure, roles.EDGE_HITS)
    assert "Denied: every claim shown here denies it" in hit["hovertext"][0]


def test_undated_only_edges_fade_when_a_time_range_is_set(network, positions):
    view = apply_filters(network, FilterState(years=(1991, 1998)))
    faded = [
        t for t in of_role(build_figure(view, positions), roles.EDGE_LINES) if t["opacity"] < 1
    ]
    assert faded and all(t["opacity"] == style.FADED_OPACITY for t in faded)
    everything = build_figure(apply_filters(network, FilterState()), positions)
    assert all(t["opacity"] == 1 for t in of_role(everything, roles.EDGE_LINES))


def test_the_legend_is_the_same_whatever_the_filters(network, positions):
    def legend_and_frame(state):
        figure = build_figure(apply_filters(network, state), positions)
        entries = [
            (t["name"], t["legendrank"])
            for t in of_role(figure, roles.LEGEND)
            if t["legendgroup"] != "size"  # the size key's values follow the view
        ]
        layout = figure["layout"]
        return entries, layout["xaxis"]["range"], layout["yaxis"]["range"], layout["margin"]

    full = legend_and_frame(FilterState())
    focused = legend_and_frame(FilterState(focus="hamas"))
    assert (full[0], full[3]) == (focused[0], focused[3])  # a focus zooms; the key stays
    assert full == legend_and_frame(FilterState(years=(1991, 1998), include_undated=False))
    assert full[3]["autoexpand"] is False  # the legend never pushes the plot area


def node_places(figure) -> dict[int, tuple[float, float]]:
    return {
        code: (x, y)
        for trace in of_role(figure, roles.ACTORS)
        for code, x, y in zip(
            trace["customdata"], untyped(trace["x"]), untyped(trace["y"]), strict=True
        )
    }


@pytest.mark.parametrize("focus", ["hamas", "iran", "quds-force"])
def test_a_focus_frames_its_neighbourhood_rings_its_actor_and_names_it_in_full(
    network, positions, focus
):
    everything = build_figure(apply_filters(network, FilterState()), positions)
    view = apply_filters(network, FilterState(focus=focus))
    figure = build_figure(view, positions)
    x_range, y_range = figure["layout"]["xaxis"]["range"], figure["layout"]["yaxis"]["range"]
    whole = everything["layout"]["xaxis"]["range"], everything["layout"]["yaxis"]["range"]
    shown = node_places(figure)
    # Nothing moves: the view zooms onto the neighbourhood, which it holds whole.
    assert all(
        everything_place == shown[c]
        for c, everything_place in node_places(everything).items()
        if c in shown
    )
    assert all(
        x_range[0] < x < x_range[1] and y_range[0] < y < y_range[1] for x, y in shown.values()
    )
    assert x_range[1] - x_range[0] < whole[0][1] - whole[0][0]
    assert figure["layout"]["uirevision"] != everything["layout"]["uirevision"]
    (ring,) = of_role(figure, roles.FOCUS_RING)
    code = network.actor_code[focus]
    assert (ring["x"], ring["y"]) == ([shown[code][0]], [shown[code][1]])
    assert ring["marker"]["line"]["color"] != style.HIGHLIGHT_COLOUR
    labels = [t for trace in of_role(figure, roles.ACTORS) for t in trace["text"] if t]
    if len(view.node_mask.nonzero()[0]) <= style.FULL_LABEL_LIMIT:
        assert not any("…" in label for label in labels)
    (empty,) = of_role(everything, roles.FOCUS_RING)
    assert empty["x"] == []


def test_a_focus_on_a_long_name_labels_it_whole(network, positions):
    view = apply_filters(network, FilterState(focus="irgc"))
    labels = [
        t
        for trace in of_role(build_figure(view, positions), roles.ACTORS)
        for t in trace["text"]
        if t
    ]
    assert "Islamic Revolutionary<br>Guard Corps" in labels
    unfocused = build_figure(apply_filters(network, FilterState()), positions)
    texts = [t for trace in of_role(unfocused, roles.ACTORS) for t in trace["text"] if t]
    assert "Islamic…Guard Corps" in texts


def test_node_size_has_a_key(network, positions):
    figure = build_figure(apply_filters(network, FilterState()), positions, size_by="degree")
    key = [t for t in of_role(figure, roles.LEGEND) if t["legendgroup"] == "size"]
    assert key[0]["legendgrouptitle"]["text"] == "Node size: degree"
    assert [t["name"] for t in key][-1].endswith("edges")


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (FilterState(), ["1 claim", "2 claims", "39 claims"]),
        # the smallest and the middle actor have 1 claim each
        (FilterState(years=(1992, 1992), include_undated=False), ["1 claim", "6 claims"]),
        (FilterState(focus="hamas"), ["1 claim"]),
    ],
)
def test_the_size_key_names_each_value_once(network, positions, state, expected):
    figure = build_figure(apply_filters(network, state), positions)
    key = [t["name"] for t in of_role(figure, roles.LEGEND) if t["legendgroup"] == "size"]
    assert key == expected


def test_relation_names_are_written_on_edges_in_small_views(network, positions):
    figure = build_figure(apply_filters(network, FilterState(focus="hamas")), positions)
    (labels,) = of_role(figure, roles.EDGE_LABELS)
    assert "supports" in labels["text"]


def test_edge_hover_names_both_actors_counts_and_time_span(network, positions):
    view = apply_filters(network, FilterState())
    drawing = Drawing(*scene_and_step(view, positions))
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    text = edge_hover_texts(drawing)[int(np.flatnonzero(drawing.edges == edge)[0])]
    assert "<b>Iran</b> cooperates with <b>al-Qaeda</b>" in text
    assert "7 claims · 7 sources" in text
    assert "1990–2026 (+5 undated)" in text
    assert "Contested: 1 denial" in text


def highlight(figure):
    """The highlight's path (or None) and the centres of its rings."""
    shapes = figure["layout"]["shapes"]
    paths = [s["path"] for s in shapes if s["type"] == "path"]
    assert len(paths) <= 1
    rings = [(s["xanchor"], s["yanchor"]) for s in shapes if s["type"] == "circle"]
    assert all(s["xsizemode"] == s["ysizemode"] == "pixel" for s in shapes if s["type"] == "circle")
    return (paths[0] if paths else None), rings


def test_a_selected_pair_highlights_every_edge_between_them(network, positions):
    view = apply_filters(network, FilterState())
    iran, aq = network.actor_code["iran"], network.actor_code["al-qaeda"]
    figure = build_figure(view, positions, selection=Selection("pair", aq, iran))
    path, rings = highlight(figure)
    assert path.count("M") == 7  # one curve per relation
    assert sorted(rings) == sorted(
        map(tuple, positions[[iran, aq]].astype(np.float32).astype(float).tolist())
    )


def test_highlight_shows_the_selected_edge_and_its_actors(network, positions):
    view = apply_filters(network, FilterState())
    edge = network.edge_number("iran", "hamas", "supports")
    figure = build_figure(view, positions, selection=Selection("edge", edge))
    path, rings = highlight(figure)
    assert path.count("M") == 1 and path.count("L") == style.CURVE_SAMPLES - 1
    assert len(rings) == 2


def test_highlight_of_a_hidden_edge_is_empty(network, positions):
    view = apply_filters(network, FilterState(years=(1991, 1992), include_undated=False))
    edge = network.edge_number("iran", "hamas", "supports")
    figure = build_figure(view, positions, selection=Selection("edge", edge))
    assert figure["layout"]["shapes"] == []


def frames(names, pairs, relations=None, types=None):
    ids = [f"a{i}" for i in range(len(names))]
    actors = pd.DataFrame(
        {
            "name": names,
            "type": types or ["<b>type</b>"] * len(names),
            "aliases": [()] * len(names),
            "description": "",
        },
        index=pd.Index(ids, name="id"),
    )
    claims = pd.DataFrame(
        {
            "from_id": [ids[a] for a, _ in pairs],
            "to_id": [ids[b] for _, b in pairs],
            "relation": relations or ["<u>funds</u>"] * len(pairs),
            "source": ["<a href='javascript:alert(1)'>src</a>"] * len(pairs),
            "stance": "asserts",
            "span_start": pd.NaT,
            "span_end": pd.NaT,
        },
        index=pd.Index([f"c{i}" for i in range(len(pairs))], name="claim_id"),
    )
    return Network.from_frames(actors, claims)


def hostile_network(n_extra: int = 0) -> Network:
    names = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "**bold** & <i>"]
    names += [f"Actor number {i} with a long name (unit {i})" for i in range(n_extra)]
    return frames(names, [(0, i) for i in range(1, len(names))])


def test_text_from_data_is_escaped_everywhere_in_the_figure():
    network = hostile_network()
    view = apply_filters(network, FilterState())
    figure = build_figure(view, compute_layout(network, "force"))
    payload = json.dumps(figure)
    for raw in ("<script>", "<img", "<u>", "<b>type</b>", "<a href"):
        assert raw not in payload
    assert "&lt;script&gt;" in payload


def test_crowded_views_label_the_largest_nodes_keeping_the_ends_of_names():
    network = hostile_network(n_extra=style.LABEL_LIMIT + 10)
    view = apply_filters(network, FilterState())
    figure = build_figure(view, compute_layout(network, "force"))
    labels = [text for t in of_role(figure, roles.ACTORS) for text in t["text"]]
    assert sum(1 for text in labels if text) == style.LABEL_LIMIT
    assert all(len(unescape(text)) <= style.LABEL_CHARACTERS for text in labels)
    assert any(unescape(text).endswith(")") for text in labels if "unit" in text)
    hovers = [h for t in of_role(figure, roles.ACTORS) for h in t["hovertext"]]
    assert any("Actor number 1 with a long name (unit 1)" in h for h in hovers)


@pytest.mark.parametrize("n_actors", [3, 2100])
@pytest.mark.parametrize("n_loops", [1, 40])
def test_self_loops_are_drawn_as_small_loops_at_every_size(n_actors, n_loops):
    names = [f"Actor {i}" for i in range(n_actors)]
    pairs = [(i, (i + 1) % n_actors) for i in range(n_actors)] + [
        (i % n_actors, i % n_actors) for i in range(n_loops)
    ]
    relations = ["funds"] * n_actors + [f"praises itself {i}" for i in range(n_loops)]
    network = frames(names, pairs, relations)
    view = apply_filters(network, FilterState())
    positions = compute_layout(network, "force")
    figure = build_figure(view, positions)
    assert edges_in(figure) == set(range(len(network.edges)))
    loops = [e for e in range(len(network.edges)) if network.edge_from[e] == network.edge_to[e]]
    x, y, _, _ = edge_curves(view, positions, np.array(loops), np.linspace(0, 1, 9))
    centre = positions[network.edge_from[loops]]
    reach = np.hypot(x - centre[:, :1], y - centre[:, 1:]).max(axis=1)
    assert (reach > 0).all() and (reach < 0.5).all()


def test_many_relations_make_a_bounded_number_of_traces():
    names = [f"Actor {i}" for i in range(300)]
    pairs = [(i, (i * 7 + 1) % 300) for i in range(300)] * 2
    relations = [f"relation {i % 150}" for i in range(600)]
    network = frames(names, pairs, relations)
    figure = build_figure(apply_filters(network, FilterState()), compute_layout(network, "force"))
    assert len(figure["data"]) < 60


@pytest.mark.parametrize("metric", ["claims", "degree", "betweenness"])
def test_node_size_metrics_rank_the_hubs_largest(network, positions, metric):
    view = apply_filters(network, FilterState())
    figure = build_figure(view, positions, size_by=metric)
    sizes = {
        int(value): size
        for t in of_role(figure, roles.ACTORS)
        for value, size in zip(t["customdata"], untyped(t["marker"]["size"]), strict=True)
    }
    largest = max(sizes, key=sizes.get)
    assert network.actor_ids[largest] in {"iran", "al-qaeda"}
    assert min(sizes.values()) >= 12


def test_edge_hit_markers_leave_the_nodes_clickable(network, positions):
    view = apply_filters(network, FilterState())
    (hit,) = of_role(build_figure(view, positions), roles.EDGE_HITS)
    for edge, x, y in zip(hit["customdata"], untyped(hit["x"]), untyped(hit["y"]), strict=True):
        ends = positions[[network.edge_from[edge], network.edge_to[edge]]]
        nearest = np.hypot(ends[:, 0] - x, ends[:, 1] - y).min()
        chord = np.hypot(*(ends[1] - ends[0]))
        assert nearest >= min(style.NODE_CLEARANCE, 0.4 * chord) - 1e-6  # float32


def test_arrowhead_angles_are_few_so_webgl_draws_them_fast(network, positions):
    figure = build_figure(apply_filters(network, FilterState()), positions)
    angles = np.concatenate(
        [untyped(t["marker"]["angle"]) for t in of_role(figure, roles.EDGE_ARROWS)]
    )
    assert np.allclose(angles % style.ARROW_ANGLE_STEP, 0)
    assert len(np.unique(angles)) <= 360 // style.ARROW_ANGLE_STEP
