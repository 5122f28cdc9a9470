"""The actor-type filter's rule (both ends or either end) against a plain-Python oracle,
on the bundled data and on claims with one end only."""

from __future__ import annotations

import pytest

from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.actor_types import BOTH, EITHER, claim_counts, type_claim_mask
from dashboard.query.filters import FilterState, apply_filters, make_filter_state
from tests.conftest import BUNDLED, HEADER, write_data

ACTORS = """id,name,type,aliases,description
a,A,state,,
b,B,armed group,,
c,C,person,,
d,D,state,,
"""
RELATIONS = HEADER + (
    "A,B,funds,2001,,q1,S1,asserts,,,\n"
    "A,D,meets,2002,,q2,S1,asserts,,,\n"
    "B,C,leads,2003,,q3,S2,asserts,,,\n"
    "C,C,praises,2004,,q4,S2,asserts,,,\n"
    "A,,threatens,2005,,q5,S3,asserts,,,\n"  # one-sided: a state alone
    "C,,speaks,2006,,q6,S3,denies,,,\n"  # one-sided: a person alone
)


@pytest.fixture(scope="module")
def networks(tmp_path_factory):
    small = write_data(tmp_path_factory.mktemp("types") / "data", RELATIONS, ACTORS)
    return {
        "bundled": Network.from_dataset(load_or_raise(BUNDLED)),
        "small": Network.from_dataset(load_or_raise(small)),
    }


def oracle(network, types: set[str], match: str) -> list[bool]:
    """Claim by claim: the types of its actors (one, when it has no target), and the rule."""
    kind = network.actors["type"]
    passes = []
    for _, row in network.claims.iterrows():
        ends = [kind[row["from_id"]]] + ([kind[row["to_id"]]] if row["to_id"] else [])
        matched = [end in types for end in ends]
        passes.append(all(matched) if match == BOTH else any(matched))
    return passes


TYPE_SETS = [
    {"state"},
    {"armed group"},
    {"person"},
    {"state", "armed group"},
    {"state", "person", "armed group"},
    {"no such type"},
]


@pytest.mark.parametrize("data", ["bundled", "small"])
@pytest.mark.parametrize("match", [BOTH, EITHER])
@pytest.mark.parametrize("types", TYPE_SETS, ids=[",".join(sorted(t)) for t in TYPE_SETS])
def test_the_rule_matches_the_oracle(networks, data, match, types):
    network = networks[data]
    assert type_claim_mask(network, types, match).tolist() == oracle(network, types, match)
    view = apply_filters(network, FilterState(actor_types=frozenset(types), type_match=match))
    assert view.claim_mask.tolist() == oracle(network, types, match)


@pytest.mark.parametrize("data", ["bundled", "small"])
@pytest.mark.parametrize("match", [BOTH, EITHER])
def test_each_option_counts_the_claims_it_would_show_alone(networks, data, match):
    network = networks[data]
    counts = claim_counts(network, match)
    assert set(counts) == set(network.actor_types)
    for actor_type, count in counts.items():
        assert count == sum(oracle(network, {actor_type}, match)), actor_type


@pytest.mark.parametrize(
    ("types", "both", "either"),
    [({"state"}, ["q2", "q5"], ["q1", "q2", "q5"]), ({"person"}, ["q4", "q6"], ["q3", "q4", "q6"])],
)
def test_either_end_brings_the_other_side_along(networks, types, both, either):
    network = networks["small"]
    for match, quotes in ((BOTH, both), (EITHER, either)):
        view = apply_filters(network, FilterState(actor_types=frozenset(types), type_match=match))
        assert sorted(network.claims["quote"][view.claim_mask]) == quotes


def test_the_rule_is_part_of_the_view_only_when_types_are_picked(networks):
    network = networks["small"]
    assert make_filter_state(network, type_match=EITHER) == make_filter_state(network)
    picked = make_filter_state(network, actor_types=frozenset({"state"}), type_match=EITHER)
    assert picked != make_filter_state(network, actor_types=frozenset({"state"}))
