"""The machinery for large data: bulk drawing, edge caps, layout cache, actor search."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.draw import style
from dashboard.draw.figures import build_figure
from dashboard.draw.roles import (
    ACTOR_LABELS,
    ACTORS,
    EDGE_ARROWS,
    EDGE_HITS,
    EDGE_LINES,
    decode_point,
)
from dashboard.draw.scene import drawn_edges
from dashboard.draw.style import DETAIL_EDGE_LIMIT
from dashboard.draw.typed_arrays import untyped
from dashboard.graph import NO_SOURCE, Network
from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import LARGE_GRAPH, compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.view_state import Selection


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """10,000 synthetic claims among 2,000 actors (bench/generate.py, seeded)."""
    folder = generate(10_000, tmp_path_factory.mktemp("synthetic") / "data")
    return Network.from_dataset(load_or_raise(folder))


@pytest.fixture(scope="module")
def positions(synthetic):
    return compute_layout(synthetic, "force")


def test_large_views_are_drawn_with_webgl_and_one_hit_marker_per_edge(synthetic, positions):
    view = apply_filters(synthetic, FilterState())
    assert view.n_edges > DETAIL_EDGE_LIMIT
    figure = build_figure(view, positions)
    types = {t["type"] for t in figure["data"] if t["meta"]["role"] in (EDGE_LINES, EDGE_HITS)}
    assert types == {"scattergl"}
    (hit,) = [t for t in figure["data"] if t["meta"]["role"] == EDGE_HITS]
    assert sorted(hit["customdata"]) == np.flatnonzero(view.edge_mask).tolist()
    assert len(untyped(hit["x"])) == view.n_edges


@pytest.mark.parametrize(
    "years",
    [
        (1990, 1990),  # 1,216 edges, still detailed; 997 actors
        (2000, 2003),  # bulk edges; 1,454 actors
    ],
)
def test_many_markers_are_drawn_with_webgl_and_names_stay_svg_text(synthetic, positions, years):
    view = apply_filters(synthetic, FilterState(years=years))
    figure = build_figure(view, positions)
    kinds = {}
    for trace in figure["data"]:
        kinds.setdefault(trace["meta"]["role"], set()).add(trace["type"])
    actors = [t for t in figure["data"] if t["meta"]["role"] == ACTORS]
    labels = [t for t in figure["data"] if t["meta"]["role"] == ACTOR_LABELS]
    assert kinds[ACTORS] == {"scattergl"} and kinds[EDGE_HITS] == {"scattergl"}
    assert all("text" not in t for t in actors)
    (names,) = labels
    assert names["type"] == "scatter" and names["mode"] == "text"
    assert 0 < len(names["text"]) <= style.LABEL_LIMIT


@pytest.mark.parametrize(
    ("years", "arrows"),
    [
        ((1990, 1990), True),  # 1,216 edges, detailed
        ((1995, 1996), True),  # 1,788 edges, bulk
        ((2000, 2003), False),  # 2,505 edges: above BULK_ARROW_LIMIT
    ],
)
def test_arrowheads_are_left_out_of_dense_views(synthetic, positions, years, arrows):
    view = apply_filters(synthetic, FilterState(years=years))
    figure = build_figure(view, positions)
    drawn = [t for t in figure["data"] if t["meta"]["role"] == EDGE_ARROWS]
    assert bool(drawn) == arrows == (view.n_edges <= style.BULK_ARROW_LIMIT)


def test_small_views_are_drawn_in_svg_with_names_on_their_actors(network):
    figure = build_figure(apply_filters(network, FilterState()), compute_layout(network, "force"))
    traces = [t for t in figure["data"] if t["meta"]["role"] in (ACTORS, EDGE_HITS, EDGE_LINES)]
    assert {t["type"] for t in traces} == {"scatter"}
    assert any(text for t in traces if t["meta"]["role"] == ACTORS for text in t["text"])
    assert not [t for t in figure["data"] if t["meta"]["role"] == ACTOR_LABELS]


def test_too_many_edges_draws_the_strongest_with_a_notice(synthetic, positions, monkeypatch):
    monkeypatch.setattr(style, "MAX_DRAWN_EDGES", 1000)
    view = apply_filters(synthetic, FilterState())
    edges, notice = drawn_edges(view)
    assert len(edges) == 1000
    weakest_drawn = view.edge_claims[edges].min()
    left_out = np.setdiff1d(np.flatnonzero(view.edge_mask), edges)
    assert view.edge_claims[left_out].max() <= weakest_drawn
    assert f"of {view.n_edges:,}" in notice
    figure = build_figure(view, positions)
    assert any("Narrow the filters" in a["text"] for a in figure["layout"]["annotations"])


def test_small_views_have_no_notice(synthetic, positions):
    view = apply_filters(synthetic, FilterState(focus="a5"))
    assert drawn_edges(view)[1] is None
    assert build_figure(view, positions)["layout"]["annotations"] == []


@pytest.mark.parametrize(
    ("role", "customdata", "expected"),
    [
        (EDGE_HITS, 0, Selection("edge", 0)),
        (EDGE_HITS, 41, Selection("edge", 41)),
        (ACTORS, 0, Selection("node", 0)),
        (ACTORS, [27], Selection("node", 27)),
        (EDGE_HITS, [5], Selection("edge", 5)),
        (EDGE_LINES, 5, None),
        (ACTORS, -1, None),
        (ACTORS, 2.5, None),
        (EDGE_HITS, float("nan"), None),
        (EDGE_HITS, float("inf"), None),
        (EDGE_HITS, None, None),
        (EDGE_HITS, "edge", None),
        (EDGE_HITS, True, None),
        (EDGE_HITS, {"x": 1}, None),
    ],
)
def test_decode_point(role, customdata, expected):
    assert decode_point(role, customdata) == expected


def test_large_layouts_are_reproducible_and_fill_the_frame(synthetic):
    assert synthetic.n_actors > LARGE_GRAPH
    first = compute_layout(synthetic, "force")
    np.testing.assert_array_equal(first, compute_layout(synthetic, "force"))
    drawn = np.isfinite(first).all(axis=1)
    radius = np.hypot(*(first[drawn] - np.median(first[drawn], axis=0)).T)
    assert np.abs(first[drawn]).max() <= 1 + 1e-9
    assert np.median(radius) > 0.2  # not a dot in the middle with outliers at the edge


def test_layouts_are_cached_on_disk_and_reused(synthetic, tmp_path, monkeypatch):
    first = LayoutCache(synthetic, tmp_path).get("force")
    assert len(list((tmp_path / "layouts").glob("*.npy"))) == 1
    monkeypatch.setattr(
        "dashboard.positions.cache.compute_layout",
        lambda *a, **k: pytest.fail("recomputed, not read from disk"),
    )
    again = LayoutCache(synthetic, tmp_path).get("force")
    np.testing.assert_array_equal(first, again)


def test_background_layout_reports_progress_then_is_ready(synthetic, tmp_path, monkeypatch):
    import threading

    import dashboard.positions.cache as layout_cache

    real, release = layout_cache.compute_layout, threading.Event()

    def held(*args, **kwargs):
        release.wait(30)  # until the progress has been looked at
        return real(*args, **kwargs)

    monkeypatch.setattr(layout_cache, "compute_layout", held)
    monkeypatch.setattr(layout_cache, "estimated_seconds", lambda network, name: 60.0)
    cache = LayoutCache(synthetic, tmp_path)
    status = cache.ready_now("spring")
    assert not status.ready
    assert "Laying out 2,000 actors" in status.message
    release.set()
    deadline = time.time() + 60
    while not (status := cache.status("spring")).ready and time.time() < deadline:
        time.sleep(0.05)
    assert status.ready and status.positions.shape == (synthetic.n_actors, 2)


def test_a_failed_layout_is_reported_not_lost(synthetic, tmp_path, monkeypatch):
    def fail(*args):
        raise MemoryError("out of memory")

    monkeypatch.setattr("dashboard.positions.cache.compute_layout", fail)
    monkeypatch.setattr("dashboard.positions.cache.estimated_seconds", lambda network, name: 60.0)
    cache = LayoutCache(synthetic, tmp_path, use_disk=False)
    cache.start("force")
    deadline = time.time() + 10
    while "failed" not in cache.status("force").message and time.time() < deadline:
        time.sleep(0.05)
    assert "The layout failed: MemoryError: out of memory" in cache.status("force").message


@pytest.mark.parametrize(
    ("text", "first"), [("Actor 000017", "Actor 000017"), ("group 7", "Actor 000007")]
)
def test_search_actors_by_name_or_alias(synthetic, text, first):
    found = synthetic.search_actors(text)
    assert found and synthetic.actor_names[found[0]] == first
    assert synthetic.search_actors("") == []
    assert len(synthetic.search_actors("Actor", limit=30)) == 30


def test_contested_edges_match_an_oracle_on_synthetic_data(synthetic):
    view = apply_filters(synthetic, FilterState(years=(2000, 2015)))
    claims = synthetic.claims[
        view.claim_mask & ~synthetic.claim_denies & (synthetic.claim_edge >= 0)
    ]
    by_pair: dict[frozenset, list] = {}
    for c in claims.itertuples():
        sign = synthetic.families.polarity_of(c.relation)
        if sign:
            by_pair.setdefault(frozenset((c.from_id, c.to_id)), []).append((c, sign))

    def overlap(c, d) -> bool:
        if pd.isna(c.span_start) or pd.isna(d.span_start):
            return True
        return c.span_start <= d.span_end and d.span_start <= c.span_end

    expected = set()
    for group in by_pair.values():
        for c, sign in group:
            if any(
                s == -sign and (c.source or NO_SOURCE) != (d.source or NO_SOURCE) and overlap(c, d)
                for d, s in group
            ):
                expected.add(synthetic.edge_number(c.from_id, c.to_id, c.relation))
    assert set(np.flatnonzero(view.edge_opposed).tolist()) == expected
    assert expected  # the synthetic data has contradictions to find
