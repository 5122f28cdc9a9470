"""What a layout worker is sent: the actor and edge index, never the claims."""

from __future__ import annotations

import pickle

import numpy as np

from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from tests.conftest import TODAY


def test_a_layout_of_the_network_without_claims_is_the_same(tmp_path):
    from bench.generate import generate
    from dashboard.data import load_or_raise

    network = Network.from_dataset(load_or_raise(generate(2_000, tmp_path), today=TODAY))
    light = network.without_claims()
    assert light.n_claims == 0 and len(light.claim_edge) == 0
    assert len(pickle.dumps(light)) < len(pickle.dumps(network)) / 5
    for name in ("force", "shells"):
        assert np.array_equal(
            compute_layout(light, name), compute_layout(network, name), equal_nan=True
        )
