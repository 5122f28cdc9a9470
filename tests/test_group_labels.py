"""Community names on a large map: the largest communities' first, none drawn over
another (draw/scene.py's cluster_labels; assets/playback.js does the same per frame,
which tests/browser/test_playback.py compares)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.draw.scene import (
    axis_ranges,
    build_scene,
    build_step,
    cluster_labels,
    labels_overlap,
)
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters


def group_at(centres: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Three members per group, around each centre; and each member's group."""
    offsets = np.array([[-0.01, 0.0], [0.01, 0.0], [0.0, 0.01]])
    positions = np.concatenate([np.asarray(c) + offsets for c in centres])
    return positions, np.repeat(np.arange(len(centres)), 3)


@pytest.mark.parametrize(
    ("centres", "named"),
    [
        ([(-1.0, -1.0), (1.0, 1.0)], ["A", "B"]),  # far apart: both
        ([(0.0, 0.0), (0.0, 0.0)], ["A"]),  # on top of each other: the larger
        ([(0.0, 0.0), (0.05, 0.0), (0.6, 0.0)], ["A", "C"]),  # B under A; C clear of A
        ([(0.0, 0.0), (0.0, 0.5), (0.0, 0.02)], ["A", "B"]),  # one above the other: C under A
    ],
)
def test_a_name_that_would_overlap_a_larger_groups_is_left_out(centres, named):
    positions, groups = group_at(centres)
    clusters = {
        "nodeCluster": groups,
        "clusters": [f"Group {c} +2" for c in "ABC"[: len(centres)]] + ["smaller groups"],
    }
    labels = cluster_labels(clusters, positions, np.arange(len(positions)))
    assert [label["text"].split()[1] for label in labels] == named


def test_no_two_names_overlap_on_a_large_map(tmp_path):
    network = Network.from_dataset(load_or_raise(generate(10_000, tmp_path / "data")))
    positions = compute_layout(network, "force")
    step = build_step(apply_filters(network, FilterState()), build_scene(network, positions))
    labels = step["clusterLabels"]
    assert len(labels) >= 3
    ranges = axis_ranges(positions)
    size = (ranges["x"][1] - ranges["x"][0], ranges["y"][1] - ranges["y"][0])
    assert not any(labels_overlap(a, b, size) for a, b in itertools.combinations(labels, 2))
