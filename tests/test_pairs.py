"""Everything between two actors (query/pairs.py) against a plain-Python oracle: which
claims, grouped how, counted how, ordered how, paged how."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.pairs import bundle_of, neighbours_of, pair_edges, pair_evidence
from tests.conftest import BUNDLED, HEADER, write_data


@pytest.fixture(scope="module")
def network():
    return Network.from_dataset(load_or_raise(BUNDLED))


def oracle(view, a: str, b: str, search: str = "") -> dict:
    """Per (from, relation, to) between actors a and b: the passing claims' ids, asserting
    and denying, each oldest first (undated last, then by source and line)."""
    claims = view.network.claims.assign(_passes=view.claim_mask)
    groups: dict[tuple, dict] = {}
    for claim_id, row in claims.iterrows():
        if {row["from_id"], row["to_id"]} != {a, b} or not row["_passes"]:
            continue
        text = f"{row['quote']} {row['source']} {row['document']}".casefold()
        if search and search.casefold() not in text:
            continue
        group = groups.setdefault(
            (row["from_id"], row["relation"], row["to_id"]), {"asserts": [], "denies": []}
        )
        group[row["stance"]].append((claim_id, row))

    def oldest_first(items):
        def key(item):
            _, row = item
            undated = pd.isna(row["span_start"])
            return (undated, pd.Timestamp.min if undated else row["span_start"],
                    row["source"], row["line"])  # fmt: skip

        return [claim_id for claim_id, _ in sorted(items, key=key)]

    return {
        key: {stance: oldest_first(items) for stance, items in group.items() if items}
        for key, group in groups.items()
    }


STATES = {
    "everything": FilterState(),
    "1990s": FilterState(years=(1991, 1998)),
    "1990s, dated only": FilterState(years=(1991, 1998), include_undated=False),
    "one source": FilterState(sources=frozenset({"9/11 Commission"})),
    "denials": FilterState(stances=frozenset({"denies"})),
    "cooperation words": FilterState(relations=frozenset({"shelters", "trains", "fights"})),
    "two sources per edge": FilterState(min_sources=2),
    "focus elsewhere": FilterState(focus="hamas"),
}
PAIRS = [
    ("iran", "al-qaeda"),
    ("al-qaeda", "iran"),
    ("hezbollah", "iran"),
    ("usa", "qais-khazali"),
    ("hamas", "turkey"),  # nothing between them
]


@pytest.mark.parametrize("state", STATES.values(), ids=STATES.keys())
@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}~{b}" for a, b in PAIRS])
def test_pair_groups_counts_and_order_match_the_oracle(network, state, a, b):
    view = apply_filters(network, state)
    codes = network.actor_code
    pair = pair_evidence(view, codes[a], codes[b], per_page=100, per_stance=1000)
    expected = oracle(view, a, b)
    ids = network.actor_ids
    got = {
        (ids[network.edge_from[g.row.edge]], g.row.relation, ids[network.edge_to[g.row.edge]]): {
            stance: [card.claim_id for card in cards]
            for stance, cards in (("asserts", g.asserting), ("denies", g.denying))
            if cards
        }
        for g in pair.groups
    }
    assert got == expected
    for group in pair.groups:
        row = group.row
        assert (row.asserts, row.denies) == (len(group.asserting), len(group.denying))
        assert row.claims == row.asserts + row.denies
        assert row.outgoing == (network.edge_from[row.edge] == codes[a])
        assert row.contested == bool(view.edge_contested[row.edge])
    assert [r.claims for r in pair.rows] == sorted((r.claims for r in pair.rows), reverse=True)
    assert pair.total == sum(len(c) for g in expected.values() for c in g.values())
    between = network.claims[
        ((network.claims["from_id"] == a) & (network.claims["to_id"] == b))
        | ((network.claims["from_id"] == b) & (network.claims["to_id"] == a))
    ]
    assert pair.hidden == len(between) - pair.total
    assert len(pair_edges(view, codes[a], codes[b])) == len(pair.rows)


@pytest.mark.parametrize("search", ["safe haven", "9/11 COMMISSION", "no such words"])
def test_a_search_narrows_the_pair_as_the_oracle_does(network, search):
    view = apply_filters(network, FilterState())
    iran, aq = network.actor_code["iran"], network.actor_code["al-qaeda"]
    pair = pair_evidence(view, iran, aq, search=search, per_page=100, per_stance=1000)
    expected = oracle(view, "iran", "al-qaeda", search)
    assert pair.total == sum(len(c) for g in expected.values() for c in g.values())
    assert len(pair.rows) == len(expected)


@pytest.mark.parametrize(
    ("relation", "expected"),
    [
        (("iran", "al-qaeda", "shelters"), 7),  # a bundle
        (("hezbollah", "egyptian-islamic-jihad", "trains"), 1),  # a lone edge
    ],
)
def test_a_bundle_is_every_shown_edge_joining_the_same_two_actors(network, relation, expected):
    view = apply_filters(network, FilterState())
    edge = network.edge_number(*relation)
    bundle = bundle_of(view, edge)
    assert edge in bundle and len(bundle) == expected
    ends = {frozenset((network.edge_from[e], network.edge_to[e])) for e in bundle}
    assert len(ends) == 1


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    rows = [
        f"Alpha,Beta,relation {r:02d},{1990 + i % 30},,Quote {r:02d}-{i:03d},Source {i % 9},"
        f"{'denies' if i % 10 == 0 else 'asserts'},,,\n"
        for r in range(25)
        for i in range(40 + r)
    ]
    rows.append("Beta,Alpha,pays,,,Back the other way,Source 1,asserts,,,\n")
    rows.append("Alpha,Gamma,meets,2001,,Elsewhere,Source 1,asserts,,,\n")
    folder = write_data(tmp_path_factory.mktemp("pairs") / "data", HEADER + "".join(rows))
    return Network.from_dataset(load_or_raise(folder))


@pytest.mark.parametrize("page", [0, 1, 2, 7])
def test_large_pairs_are_paged_by_relation_with_few_cards_each(crowded, page):
    view = apply_filters(crowded, FilterState())
    alpha, beta = (crowded.actor_code[crowded.find_actor(name)] for name in ("Alpha", "Beta"))
    pair = pair_evidence(view, alpha, beta, page=page, per_page=10, per_stance=5)
    assert len(pair.rows) == 26 and pair.pages == 3
    assert pair.page == min(page, 2)
    assert pair.total == sum(40 + r for r in range(25)) + 1
    shown = pair.rows[pair.page * 10 : pair.page * 10 + 10]
    assert [g.row for g in pair.groups] == list(shown)
    for group in pair.groups:
        assert len(group.asserting) <= 5 and len(group.denying) <= 5
        assert group.more_asserting == group.row.asserts - len(group.asserting)
    assert pair.truncated
    assert pair.rows[0].relation == "relation 24"  # most claims first
    assert any(not r.outgoing and r.relation == "pays" for r in pair.rows)


def test_neighbours_are_counted_under_the_filters(network):
    view = apply_filters(network, FilterState(years=(1991, 1998), include_undated=False))
    iran = network.actor_code["iran"]
    neighbours = {n.name: n for n in neighbours_of(view, iran)}
    aq = neighbours["al-Qaeda"]
    everything = pair_evidence(apply_filters(network, FilterState()), iran, aq.code)
    assert aq.total == everything.total
    narrowed = pair_evidence(view, iran, aq.code)
    assert (aq.claims, aq.edges) == (narrowed.total, len(narrowed.rows))
    hidden = [n for n in neighbours.values() if n.edges == 0]
    assert hidden and all(n.claims == 0 and n.total > 0 for n in hidden)
    ranked = list(neighbours.values())
    assert [n.claims for n in ranked] == sorted((n.claims for n in ranked), reverse=True)
