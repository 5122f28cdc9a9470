"""The filter lists' numbers: claims per source (every source a claim cites) and per
relation, counted by code, against a count of the names claim by claim."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.served import claim_facets
from tests.conftest import BUNDLED


@pytest.fixture(scope="module", params=["bundled", "synthetic"])
def facets_network(request, tmp_path_factory) -> Network:
    folder = (
        BUNDLED if request.param == "bundled" else generate(3_000, tmp_path_factory.mktemp("d"))
    )
    return Network.from_dataset(load_or_raise(folder))


def test_facets_count_what_the_claims_cite(facets_network):
    net = facets_network
    by_source, by_relation = claim_facets(net)
    cited: Counter = Counter()
    for claim in range(net.n_claims):
        for pair in (net.pair_claim == claim).nonzero()[0]:
            cited[net.sources[net.pair_source[pair]]] += 1
    assert by_source == cited
    assert by_relation == Counter(net.claims["relation"].tolist())
    assert all(isinstance(n, int) for n in [*by_source.values(), *by_relation.values()])
