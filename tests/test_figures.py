"""The figure: what is drawn, how it encodes the evidence, and that data stays text."""

from __future__ import annotations

import json
from html import unescape

import numpy as np
import pandas as pd
import pytest

from dashboard.draw.edge_traces import NODE_CLEARANCE, edge_curves, edge_hover_texts
from dashboard.draw.figures import LABEL_LIMIT, build_figure, short_label
from dashboard.draw.typed_arrays import untyped
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.view_state import Selection


@pytest.fixture(scope="module")
def positions(network):
    return compute_layout(network, "force")


def traces(figure, name):
    return [t for t in figure["data"] if t["name"] == name]


def edges_in(figure) -> set[int]:
    return {int(e) for e in traces(figure, "edges")[0]["customdata"]}


def nodes_in(figure) -> set[int]:
    return {
        -int(value) - 1 for t in figure["data"] for value in t.get("customdata", []) if value < 0
    }


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
    assert [t["name"] for t in figure["data"][-2:]] == ["selected", "selected actors"]


def test_every_edge_is_clickable_along_its_length(network, positions):
    view = apply_filters(network, FilterState())
    hit = traces(build_figure(view, positions), "edges")[0]
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
        if {
            network.actor_ids[network.edges["from"].iat[e]],
            network.actor_ids[network.edges["to"].iat[e]],
        }
        == {"iran", "al-qaeda"}
    ]
    assert len(pair) >= 7
    x, y, _, _ = edge_curves(view, positions, np.array(pair), np.array([0.5]))
    middles = np.column_stack([x[:, 0], y[:, 0]])
    distances = np.hypot(*(middles[:, None] - middles[None, :]).transpose(2, 0, 1))
    np.fill_diagonal(distances, np.inf)
    assert distances.min() > 0.01


def test_contested_edges_are_dashed_and_widths_follow_sources(network, positions):
    view = apply_filters(network, FilterState())
    figure = build_figure(view, positions)
    lines = [t for t in figure["data"] if t["mode"] == "lines" and t["x"] != [None] and t["x"]]
    dashed = [t for t in lines if t["line"].get("dash") == "dash" and t["name"] != "selected"]
    assert {t["name"] for t in dashed} >= {"cooperates with", "shelters", "fights"}
    # "supports": one source per edge; "cooperates with" (Iran, al-Qaeda): seven, capped at 5.
    assert {t["line"]["width"] for t in lines if t["name"] == "supports"} == {1 + 1.4 * 1}
    assert max(t["line"]["width"] for t in lines if t["name"] == "cooperates with") == 1 + 1.4 * 5


def test_edge_hover_names_both_actors_counts_and_time_span(network):
    view = apply_filters(network, FilterState())
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    (text,) = edge_hover_texts(view, np.array([edge]))
    assert "<b>Iran</b> cooperates with <b>al-Qaeda</b>" in text
    assert "7 claims · 7 sources" in text
    assert "1990–2026 (+5 undated)" in text
    assert "Contested: 1 denial" in text


def test_highlight_shows_the_selected_edge_and_its_actors(network, positions):
    view = apply_filters(network, FilterState())
    edge = network.edge_number("iran", "hamas", "supports")
    figure = build_figure(view, positions, selection=Selection("edge", edge))
    line, ends = figure["data"][-2:]
    assert sum(v is not None for v in line["x"]) > 2
    assert len(ends["x"]) == 2


def test_highlight_of_a_hidden_edge_is_empty(network, positions):
    view = apply_filters(network, FilterState(years=(1991, 1992), include_undated=False))
    edge = network.edge_number("iran", "hamas", "supports")
    line, ends = build_figure(view, positions, selection=Selection("edge", edge))["data"][-2:]
    assert len(line["x"]) == 0 and len(ends["x"]) == 0


def hostile_network(n_extra: int = 0) -> Network:
    names = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "**bold** & <i>"]
    names += [f"Actor number {i} with a long name" for i in range(n_extra)]
    ids = [f"a{i}" for i in range(len(names))]
    actors = pd.DataFrame(
        {
            "name": names,
            "type": ["<b>type</b>"] * len(names),
            "aliases": [()] * len(names),
            "description": "",
        },
        index=pd.Index(ids, name="id"),
    )
    claims = pd.DataFrame(
        {
            "from_id": [ids[0]] * (len(ids) - 1),
            "to_id": ids[1:],
            "relation": ["<u>funds</u>"] * (len(ids) - 1),
            "source": ["<a href='javascript:alert(1)'>src</a>"] * (len(ids) - 1),
            "stance": "asserts",
            "span_start": pd.NaT,
            "span_end": pd.NaT,
        },
        index=pd.Index([f"c{i}" for i in range(len(ids) - 1)], name="claim_id"),
    )
    return Network.from_frames(actors, claims)


def test_text_from_data_is_escaped_everywhere_in_the_figure():
    network = hostile_network()
    view = apply_filters(network, FilterState())
    figure = build_figure(view, compute_layout(network, "force"))
    payload = json.dumps(figure)
    for raw in ("<script>", "<img", "<u>", "<b>type</b>", "<a href"):
        assert raw not in payload
    assert "&lt;script&gt;" in payload


def test_crowded_views_label_only_the_largest_nodes_and_shorten_names():
    network = hostile_network(n_extra=LABEL_LIMIT + 10)
    view = apply_filters(network, FilterState())
    figure = build_figure(view, compute_layout(network, "force"))
    labels = [text for t in figure["data"] if t["mode"] == "markers+text" for text in t["text"]]
    assert sum(1 for text in labels if text) == LABEL_LIMIT
    assert all(len(unescape(text)) <= 18 for text in labels)
    hovers = [h for t in figure["data"] if t["mode"] == "markers+text" for h in t["hovertext"]]
    assert any("Actor number 1 with a long name" in h for h in hovers)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Iran", "Iran"),
        ("Hayat Tahrir al-Sham", "Hayat Tahrir al-S…"),
        ("bin Laden's wives and children", "bin Laden's wives…"),
    ],
)
def test_short_labels(name, label):
    assert short_label(name) == label


@pytest.mark.parametrize("metric", ["claims", "degree", "betweenness"])
def test_node_size_metrics_rank_the_hubs_largest(network, positions, metric):
    view = apply_filters(network, FilterState())
    figure = build_figure(view, positions, size_by=metric)
    sizes = {
        -int(value) - 1: size
        for t in figure["data"]
        if t["mode"] == "markers+text"
        for value, size in zip(t["customdata"], untyped(t["marker"]["size"]), strict=True)
    }
    largest = max(sizes, key=sizes.get)
    assert network.actor_ids[largest] in {"iran", "al-qaeda"}
    assert min(sizes.values()) >= 12


def test_edge_hit_markers_leave_the_nodes_clickable(network, positions):
    view = apply_filters(network, FilterState())
    hit = traces(build_figure(view, positions), "edges")[0]
    edges = network.edges
    for edge, x, y in zip(hit["customdata"], untyped(hit["x"]), untyped(hit["y"]), strict=True):
        ends = positions[[edges["from"].iat[edge], edges["to"].iat[edge]]]
        nearest = np.hypot(ends[:, 0] - x, ends[:, 1] - y).min()
        chord = np.hypot(*(ends[1] - ends[0]))
        assert nearest >= min(NODE_CLEARANCE, 0.4 * chord) - 1e-6  # float32 on the wire
