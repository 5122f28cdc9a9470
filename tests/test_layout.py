"""Layouts: seeded, complete, spread out, and fixed while filtering."""

from __future__ import annotations

import contextlib
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import igraph as ig
import numpy as np
import pytest

from dashboard.draw.figures import build_figure
from dashboard.draw.typed_arrays import untyped
from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import LAYOUTS, compute_layout
from dashboard.positions.force import fr_start, fruchterman_reingold
from dashboard.query.filters import FilterState, apply_filters


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_places_every_actor_in_the_frame(network, name):
    positions = compute_layout(network, name)
    assert positions.shape == (network.n_actors, 2)
    assert np.isfinite(positions).all()
    assert np.abs(positions).max() <= 1 + 1e-9


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layouts_are_reproducible(network, name):
    np.testing.assert_array_equal(compute_layout(network, name), compute_layout(network, name))


@pytest.mark.parametrize("name", ["force", "spring"])
def test_force_layouts_keep_actors_apart(network, name):
    positions = compute_layout(network, name)
    distance = np.hypot(*(positions[:, None] - positions[None, :]).transpose(2, 0, 1))
    np.fill_diagonal(distance, np.inf)
    assert distance.min() > 0.05


@pytest.fixture(scope="module")
def layouts(network, tmp_path_factory) -> LayoutCache:
    return LayoutCache(network, tmp_path_factory.mktemp("layouts"))


def drawn_nodes(figure: dict) -> dict[int, tuple[float, float]]:
    """Where the figure draws each actor, by actor code (the actors' customdata)."""
    placed = {}
    for trace in figure["data"]:
        if trace["meta"]["role"] != "actors":
            continue
        xs, ys = untyped(trace["x"]), untyped(trace["y"])
        for code, x, y in zip(trace["customdata"], xs, ys, strict=True):
            placed[code] = (float(x), float(y))
    return placed


@pytest.mark.parametrize(
    "filters",
    [
        FilterState(years=(1991, 1998), focus="iran"),
        FilterState(relations=frozenset({"trains"})),
        FilterState(
            actor_types=frozenset({"state", "armed group"}), stances=frozenset({"asserts"})
        ),
        FilterState(focus="hezbollah", depth=1),
    ],
    ids=["years and focus", "relation", "type and sources", "small focus"],
)
@pytest.mark.parametrize("name", ["force", "circular"])
def test_filtering_moves_no_node_on_screen(network, layouts, filters, name):
    cache = layouts
    everything = build_figure(apply_filters(network, FilterState()), cache.get(name))
    filtered = build_figure(apply_filters(network, filters), cache.get(name))
    before, after = drawn_nodes(everything), drawn_nodes(filtered)
    assert len(before) == network.n_actors
    assert 0 < len(after) < len(before)
    assert {code: before[code] for code in after} == after
    for axis, at in (("xaxis", 0), ("yaxis", 1)):
        low, high = filtered["layout"][axis]["range"]
        if filters.focus is None:  # the frame is the whole layout's
            assert [low, high] == everything["layout"][axis]["range"]
        else:  # a focus zooms to its neighbourhood (issue 13), nodes still in place
            assert all(low <= point[at] <= high for point in after.values())


def test_relayout_of_visible_nodes_places_only_them(network):
    view = apply_filters(network, FilterState(focus="hezbollah"))
    positions = compute_layout(network, "force", view.node_mask, view.edge_mask)
    assert np.isfinite(positions[view.node_mask]).all()
    assert np.isnan(positions[~view.node_mask]).all()


def test_unknown_layout_name_falls_back_to_the_default(network):
    cache = LayoutCache(network)
    assert cache.get("no-such-layout") is cache.get("force")


def random_graph(n_actors: int, n_edges: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_actors, n_edges), rng.integers(0, n_actors, n_edges)


def test_concurrent_layouts_equal_sequential_ones_and_leave_random_alone(monkeypatch):
    """The background layout and "Re-layout visible" may run at once in two threads."""
    graphs = [random_graph(300, 600, seed) for seed in (1, 2)]
    everyone = np.ones(300, dtype=bool)
    one_by_one = [fruchterman_reingold(300, everyone, a, b) for a, b in graphs]

    # Both threads reach igraph's layout before either runs it: the worst interleaving.
    meet = threading.Barrier(2, timeout=0.5)
    original = ig.Graph.layout_fruchterman_reingold

    def after_meeting(graph, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait()
        return original(graph, *args, **kwargs)

    monkeypatch.setattr(ig.Graph, "layout_fruchterman_reingold", after_meeting)
    random.seed(5)
    expected_draws = [random.random() for _ in range(3)]
    random.seed(5)
    with ThreadPoolExecutor(max_workers=2) as pool:
        at_once = list(pool.map(lambda g: fruchterman_reingold(300, everyone, *g), graphs))
    for alone, together in zip(one_by_one, at_once, strict=True):
        np.testing.assert_array_equal(alone, together)
    # Python's random module, igraph's default source, was neither drawn from nor replaced.
    assert [random.random() for _ in range(3)] == expected_draws
    random.seed(7)
    first = ig.Graph.Erdos_Renyi(n=30, p=0.2).get_edgelist()
    random.seed(7)
    assert ig.Graph.Erdos_Renyi(n=30, p=0.2).get_edgelist() == first


def test_fr_start_has_igraphs_own_scale():
    start = fr_start(10_000)
    assert np.abs(start).max() <= 50 and np.abs(start).max() > 49
    np.testing.assert_array_equal(start, fr_start(10_000))
