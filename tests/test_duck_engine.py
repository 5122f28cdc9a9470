"""The DuckDB engine answers as the in-memory one: the same edges, counts, contested
edges and actors for every filter, and the same evidence pages."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.data import LoadOverrides, load_or_raise
from dashboard.graph import Network
from dashboard.query.duck import DuckClaims
from dashboard.query.evidence import edge_evidence
from dashboard.query.filters import FilterState, ViewMemo, apply_filters, most_sources
from dashboard.query.periods import day_of
from dashboard.query.served import DuckEngine
from tests.conftest import TODAY

ARRAYS = (
    "edge_mask",
    "node_mask",
    "edge_claims",
    "edge_sources",
    "edge_denials",
    "edge_undated",
    "edge_opposed",
    "edge_first_day",
    "edge_last_day",
)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Network:
    from bench.generate import generate

    folder = generate(5_000, tmp_path_factory.mktemp("synthetic"))
    return Network.from_dataset(load_or_raise(folder, today=TODAY))


@pytest.fixture(scope="module")
def several_sources(tmp_path_factory) -> Network:
    from tests.conftest import HEADER, write_data

    rows = (
        "Iran,Hamas,funds,2001,2003,q1,Airwars; BBC,,,,\n"
        "Iran,Hamas,funds,2002,,q2,BBC,,,,\n"
        "Hamas,Iran,fights,2002,,q3,Reuters; Airwars,,,,\n"
        "Iran,Hamas,fights,,,q4,AP,denies,,,\n"
        "Iran,,announces,2005,,q5,AP; BBC,,,,\n"
        "Hamas,Hezbollah,trains,1999,2001,q6,BBC,,,,\n"
    )
    folder = write_data(tmp_path_factory.mktemp("several"), HEADER + rows)
    overrides = LoadOverrides(list_columns=("source",))
    return Network.from_dataset(load_or_raise(folder, overrides, today=TODAY))


STATES = [
    FilterState(),
    FilterState(years=(1991, 1998)),
    FilterState(years=(2000, 2010), include_undated=False),
    FilterState(include_undated=False),
    FilterState(stances=frozenset({"denies"})),
    FilterState(stances=frozenset({"asserts"})),
    FilterState(min_sources=2),
    FilterState(min_sources=3, years=(1995, 2020)),
    FilterState(days=(day_of(1996, 3, 1), day_of(1998, 7, 15))),
    FilterState(days=(day_of(2001, 9, 1), day_of(2001, 9, 30)), include_undated=False),
    FilterState(days=(day_of(1800, 1, 1), day_of(1800, 12, 31)), include_undated=False),  # none
]


def agree(network: Network, duck: DuckClaims, state: FilterState) -> None:
    expected = apply_filters(network, state)
    found = duck.edge_view(state)
    for name in ARRAYS:
        assert np.array_equal(getattr(found, name), getattr(expected, name)), (name, state)
    assert found.n_claims == expected.n_claims


def states_for(network: Network) -> list[FilterState]:
    sources = network.sources.tolist()
    relations = network.relations.tolist()
    types = network.actor_types.tolist()
    hub = network.actor_ids[int(np.argmax(np.bincount(network.claim_from)))]
    return [
        *STATES,
        FilterState(sources=frozenset(sources[:2])),
        FilterState(sources=frozenset(sources[-1:]), years=(2000, 2020)),
        FilterState(relations=frozenset(relations[::3])),
        FilterState(actor_types=frozenset(types[:2])),
        FilterState(actor_types=frozenset(types[:1]), type_match="either"),
        FilterState(focus=hub, depth=1),
        FilterState(focus=hub, depth=2, min_sources=2, sources=frozenset(sources[:5])),
    ]


def test_the_bundled_data_agrees_on_every_filter(network):
    duck = DuckClaims.from_network(network)
    for state in states_for(network):
        agree(network, duck, state)


@pytest.mark.parametrize("counted", ["per claim, in memory", "by DuckDB's GROUP BY"])
def test_synthetic_data_agrees_on_every_filter(synthetic, tmp_path, monkeypatch, counted):
    if counted == "by DuckDB's GROUP BY":  # as with more sources than bits (query/duck.py)
        monkeypatch.setattr("dashboard.query.duck.SOURCE_BITS", 0)
    duck = DuckClaims.from_network(synthetic, tmp_path / "claims.duckdb")
    assert (duck._per_claim is None) == (counted == "by DuckDB's GROUP BY")
    for state in states_for(synthetic):
        agree(synthetic, duck, state)
    duck.close()
    reopened = DuckClaims.open(tmp_path / "claims.duckdb", synthetic)
    agree(synthetic, reopened, FilterState(years=(2000, 2010)))


def test_claims_citing_several_sources_agree(several_sources):
    assert several_sources.source_pairs is not None
    duck = DuckClaims.from_network(several_sources)
    for state in [
        *states_for(several_sources),
        FilterState(sources=frozenset({"BBC"})),
        FilterState(sources=frozenset({"Airwars"}), min_sources=1),
        FilterState(sources=frozenset({"Airwars", "BBC"}), min_sources=2),
    ]:
        agree(several_sources, duck, state)


@pytest.mark.parametrize("order", ["date", "source"])
@pytest.mark.parametrize("search", ["", "the", "REPORT 1", "%", "_"])
def test_evidence_pages_are_the_same(synthetic, order, search):
    duck = DuckClaims.from_network(synthetic)
    busiest = np.argsort(synthetic.edge_claim_totals)[::-1][:3].tolist()
    for state in (FilterState(), FilterState(years=(2000, 2015))):
        view = apply_filters(synthetic, state)
        for edge in busiest:
            for page in (0, 1):
                expected = edge_evidence(view, edge, page, 5, order, search)
                found = duck.evidence(edge, state, page, 5, order, search)
                assert [c.claim_id for c in expected.claims] == found.claims.index.tolist()
                assert (found.total, found.hidden, found.page) == (
                    expected.total,
                    expected.hidden,
                    expected.page,
                )
                if len(found.claims):
                    first = found.claims.iloc[0]
                    assert first["quote"] == expected.claims[0].quote


@pytest.mark.parametrize("data", ["network", "synthetic", "several_sources"])
def test_the_most_sources_on_an_edge_are_counted_without_a_view(data, request):
    network = request.getfixturevalue(data)
    expected = int(apply_filters(network, FilterState()).edge_sources.max())
    assert most_sources(network) == expected
    assert ViewMemo(network).most_sources() == expected
    assert DuckEngine.from_network(network).most_sources() == expected
