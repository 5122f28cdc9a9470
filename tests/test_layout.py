"""Layouts: seeded, complete, spread out, and fixed while filtering."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import LAYOUTS, compute_layout
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


def test_positions_do_not_move_when_filtering(network):
    cache = LayoutCache(network)
    before = cache.get("force")
    apply_filters(network, FilterState(years=(1991, 1998), focus="iran"))
    assert cache.get("force") is before
    assert not before.flags.writeable


def test_relayout_of_visible_nodes_places_only_them(network):
    view = apply_filters(network, FilterState(focus="hezbollah"))
    positions = compute_layout(network, "force", view.node_mask, view.edge_mask)
    assert np.isfinite(positions[view.node_mask]).all()
    assert np.isnan(positions[~view.node_mask]).all()


def test_unknown_layout_name_falls_back_to_the_default(network):
    cache = LayoutCache(network)
    assert cache.get("no-such-layout") is cache.get("force")
