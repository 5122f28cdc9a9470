"""Paths between two actors: the search against a brute-force oracle, the ranking, the
hints when a filter or limit hides a path, and the bundled data's chains to Iran."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from dashboard.data import load_or_raise
from dashboard.graph import NO_SOURCE, Network
from dashboard.query import paths
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.paths import PathQuery, describe_path, find_paths, hop_evidence
from tests.conftest import HEADER, write_data

ACTORS = "id,name,type\n" + "".join(
    f"{c},Actor {c.upper()},{'state' if c in 'ab' else 'group'}\n" for c in "abcdefgh"
)


def network_of(tmp_path, rows: list[tuple]) -> Network:
    """A network from rows of (from, to, relation, year, source[, stance])."""
    lines = [HEADER.rstrip("\n")]
    for number, row in enumerate(rows):
        a, b, relation, year, source, *stance = row
        lines.append(
            f"{a},{b},{relation},{year},,quote {number},{source},{stance[0] if stance else ''},,,"
        )
    folder = write_data(
        tmp_path / f"data{len(list(tmp_path.iterdir()))}", "\n".join(lines) + "\n", ACTORS
    )
    return Network.from_dataset(load_or_raise(folder))


def oracle(network: Network, filters: FilterState, query: PathQuery) -> list[tuple]:
    """Every simple path, by hand: hops from asserted passing claims row by row, all
    paths from networkx, sorted by the documented order."""
    view = apply_filters(network, filters)
    hops: dict[tuple, list] = {}
    for passes, (_, claim) in zip(view.claim_mask, network.claims.iterrows(), strict=True):
        a, b = claim.from_id, claim.to_id
        if not passes or not b or a == b or claim.stance == "denies":
            continue
        key = (a, b) if query.directed else tuple(sorted((a, b)))
        hops.setdefault(key, []).append(claim.source or NO_SOURCE)
    graph = nx.DiGraph() if query.directed else nx.Graph()
    graph.add_edges_from(hops)
    if query.start not in graph or query.end not in graph or query.start == query.end:
        return []
    found = []
    for actors in nx.all_simple_paths(graph, query.start, query.end, cutoff=query.max_hops):
        support = [
            hops[(a, b) if query.directed else tuple(sorted((a, b)))]
            for a, b in itertools.pairwise(actors)
        ]
        weakest = min(len(set(s)) for s in support)
        claims = sum(len(s) for s in support)
        found.append((len(actors) - 1, -weakest, -claims, tuple(actors)))
    return [(row[3], row[0], -row[1], -row[2]) for row in sorted(found)[: query.k]]


def summary(network: Network, result) -> list[tuple]:
    return [
        (tuple(network.actor_ids[c] for c in p.actors), p.n_hops, p.weakest, p.claims)
        for p in result.paths
    ]


def random_rows(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for _ in range(rng.randint(6, 30)):
        a, b = rng.choice("abcdefgh"), rng.choice("abcdefgh")
        rows.append(
            (
                a,
                b,
                rng.choice(["trains", "funds", "fights"]),
                rng.choice(["1995", "2005", "2015", ""]),
                rng.choice(["S1", "S2", "S3", ""]),
                "denies" if rng.random() < 0.15 else "asserts",
            )
        )
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_search_matches_brute_force_on_random_graphs(tmp_path, seed):
    rng = random.Random(1000 + seed)
    network = network_of(tmp_path, random_rows(seed))
    filters = rng.choice(
        [
            FilterState(),
            FilterState(years=(2000, 2020)),
            FilterState(sources=frozenset({"S1", "S2"})),
            FilterState(include_undated=False),
        ]
    )
    view = apply_filters(network, filters)
    for _ in range(6):
        start, end = rng.sample("abcdefgh", 2)
        query = PathQuery(
            start,
            end,
            max_hops=rng.randint(1, 6),
            directed=rng.random() < 0.5,
            k=rng.randint(1, 20),
        )
        assert summary(network, find_paths(view, query, filters)) == oracle(network, filters, query)


@pytest.mark.parametrize(
    ("rows", "query", "filters", "expected", "hints"),
    [
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("c", "b", "funds", 2000, "S1")],
            PathQuery("a", "c"),
            FilterState(),
            [("a", "b", "c")],
            (),
            id="direction ignored",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("c", "b", "funds", 2000, "S1")],
            PathQuery("a", "c", directed=True),
            FilterState(),
            [],
            ("A 2-hop path exists if the direction of relations is ignored.",),
            id="direction followed",
        ),
        pytest.param(
            [("a", "b", "trains", 1995, "S1"), ("b", "c", "funds", 2005, "S1")],
            PathQuery("a", "c"),
            FilterState(years=(2000, 2010)),
            [],
            ("A 2-hop path exists outside 2000–2010.",),
            id="a filter removes a hop",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("b", "c", "funds", 2000, "S1", "denies")],
            PathQuery("a", "c"),
            FilterState(),
            [],
            ("A 2-hop path exists if denied claims were counted.",),
            id="a denial makes no hop",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("b", "c", "funds", 2000, "S1")],
            PathQuery("a", "c", max_hops=1),
            FilterState(),
            [],
            ("A 2-hop path exists; raise the hop limit.",),
            id="beyond the hop limit",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("b", "c", "funds", 2000, "S2")],
            PathQuery("a", "c"),
            FilterState(sources=frozenset({"S1"})),
            [],
            ("A 2-hop path exists through sources other than those picked.",),
            id="sources",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("b", "c", "funds", 2000, "S2")],
            PathQuery("a", "c"),
            FilterState(relations=frozenset({"trains"})),
            [],
            ("A 2-hop path exists through relations other than those picked.",),
            id="relations",
        ),
        pytest.param(
            [("a", "c", "trains", 2000, "S1"), ("c", "b", "funds", 2000, "S2")],
            PathQuery("a", "b"),
            FilterState(actor_types=frozenset({"state"})),
            [],
            ("A 2-hop path exists through actor types other than those picked.",),
            id="actor types",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("b", "c", "funds", 2000, "S2")],
            PathQuery("a", "c"),
            FilterState(stances=frozenset({"denies"})),
            [],
            ("A 2-hop path exists if asserted claims were shown.",),
            id="stance",
        ),
        pytest.param(
            [
                ("a", "b", "trains", 2000, "S1"),
                ("a", "b", "trains", 2001, "S2"),
                ("b", "c", "funds", 2000, "S2"),
            ],
            PathQuery("a", "c"),
            FilterState(min_sources=2),
            [],
            ("A 2-hop path exists through edges with fewer than 2 sources.",),
            id="minimum sources",
        ),
        pytest.param(
            [
                ("a", "b", "trains", 2000, "S1"),
                ("b", "c", "funds", 2000, "S2"),
                ("c", "d", "funds", 2000, "S2"),
            ],
            PathQuery("a", "d"),
            FilterState(focus="a", depth=1),
            [],
            ("A 3-hop path exists outside the focus on Actor A.",),
            id="focus",
        ),
        pytest.param(
            [("a", "b", "trains", "", "S1"), ("b", "c", "funds", 2000, "S2")],
            PathQuery("a", "c"),
            FilterState(include_undated=False),
            [],
            ("A 2-hop path exists if undated claims were shown.",),
            id="undated",
        ),
        pytest.param(
            [("a", "b", "trains", 1995, "S1"), ("b", "c", "funds", 2005, "S2")],
            PathQuery("a", "c", directed=True, max_hops=1),
            FilterState(years=(2000, 2010)),
            [],
            ("A path exists only with several filters or limits lifted at once.",),
            id="several at once",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1"), ("c", "d", "funds", 2000, "S2")],
            PathQuery("a", "d"),
            FilterState(),
            [],
            ("No chain of relations links these two actors in this data.",),
            id="not connected",
        ),
        pytest.param(
            [("a", "b", "trains", 2000, "S1")],
            PathQuery("a", "a"),
            FilterState(),
            [],
            ("Start and end are the same actor.",),
            id="same actor",
        ),
    ],
)
def test_paths_and_what_hides_them(tmp_path, rows, query, filters, expected, hints):
    network = network_of(tmp_path, rows)
    result = find_paths(apply_filters(network, filters), query, filters)
    assert [tuple(network.actor_ids[c] for c in p.actors) for p in result.paths] == expected
    assert result.hints == hints


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ("a", "f", "trains", 2000, "S1"),
                ("f", "d", "trains", 2000, "S1"),
                ("a", "e", "trains", 2000, "S1"),
                ("e", "d", "trains", 2000, "S1"),
            ],
            [("a", "e", "d"), ("a", "f", "d")],
            id="equal paths by actor id",
        ),
        pytest.param(
            [
                ("a", "e", "trains", 2000, "S1"),
                ("a", "e", "funds", 2000, "S2"),
                ("e", "d", "trains", 2000, "S1"),
                ("a", "f", "trains", 2000, "S1"),
                ("a", "f", "funds", 2000, "S2"),
                ("f", "d", "trains", 2000, "S1"),
                ("f", "d", "funds", 2000, "S3"),
            ],
            [("a", "f", "d"), ("a", "e", "d")],
            id="strongest weakest hop first",
        ),
        pytest.param(
            [
                ("a", "e", "trains", 2000, "S1"),
                ("e", "d", "trains", 2000, "S1"),
                ("a", "f", "trains", 2000, "S1"),
                ("a", "f", "trains", 2001, "S1"),
                ("f", "d", "trains", 2000, "S1"),
            ],
            [("a", "f", "d"), ("a", "e", "d")],
            id="then most claims",
        ),
        pytest.param(
            [
                ("a", "b", "trains", 2000, "S1"),
                ("b", "c", "trains", 2000, "S1"),
                ("c", "d", "trains", 2000, "S1"),
                ("a", "f", "trains", 2000, "S1"),
                ("a", "f", "trains", 2000, "S2"),
                ("f", "d", "trains", 2000, "S3"),
                ("f", "d", "trains", 2000, "S2"),
            ],
            [("a", "f", "d"), ("a", "b", "c", "d")],
            id="fewest hops before sources",
        ),
    ],
)
def test_ranking_is_deterministic(tmp_path, rows, expected):
    for order in (rows, rows[::-1]):
        network = network_of(tmp_path, order)
        result = find_paths(apply_filters(network, FilterState()), PathQuery("a", "d"))
        assert [tuple(network.actor_ids[c] for c in p.actors) for p in result.paths] == expected


def test_hops_bundle_relations_and_mark_contested_and_single_source(tmp_path):
    network = network_of(
        tmp_path,
        [
            ("a", "b", "trains", 2000, "S1"),
            ("b", "a", "funds", 2001, "S2"),
            ("a", "b", "funds", 2002, "S3", "denies"),
            ("b", "c", "trains", 2000, "S1"),
        ],
    )
    view = apply_filters(network, FilterState())
    (path,) = find_paths(view, PathQuery("a", "c")).paths
    first, second = path.hops
    relations = [network.edge_key(e) for e in first.edges]
    assert relations == [("a", "b", "funds"), ("a", "b", "trains"), ("b", "a", "funds")]
    assert (first.sources, first.claims, first.contested, first.single_source) == (
        2,
        2,
        True,
        False,
    )
    assert [network.edge_key(e) for e in first.contested_edges] == [("a", "b", "funds")]
    assert (second.sources, second.contested, second.single_source) == (1, False, True)
    quotes = [[c.quote for c in ev.claims] for ev in hop_evidence(view, first)]
    assert quotes == [["quote 2"], ["quote 0"], ["quote 1"]]
    assert describe_path(network, path) == (
        "Actor A → Actor B → Actor C (2 hops; hop 1 contested; hop 2 on a single source)"
    )
    directed = find_paths(view, PathQuery("a", "c", directed=True)).paths[0]
    assert [network.edge_key(e) for e in directed.hops[0].edges] == [
        ("a", "b", "funds"),
        ("a", "b", "trains"),
    ]


def test_too_many_paths_to_rank_all_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "ENUMERATION_LIMIT", 2)
    rows = [(a, m, "trains", 2000, "S1") for a in "a" for m in "bcdef"]
    rows += [(m, "g", "trains", 2000, "S1") for m in "bcdef"]
    network = network_of(tmp_path, rows)
    result = find_paths(apply_filters(network, FilterState()), PathQuery("a", "g", k=5))
    assert result.capped_at == 2
    assert len(result.paths) == 2


@pytest.fixture(scope="module")
def bundled(network):
    return network


def test_bundled_hijackers_to_iran_with_evidence(bundled):
    view = apply_filters(bundled, FilterState())
    result = find_paths(view, PathQuery("911-hijackers", "iran"))
    best = result.paths[0]
    assert describe_path(bundled, best) == "9/11 hijackers → Iran (1 hop; hop 1 on a single source)"
    (evidence,) = hop_evidence(view, best.hops[0])
    assert evidence.relation == "passed through"
    assert evidence.claims[0].source == "9/11 Commission"
    assert evidence.claims[0].verified
    assert len(result.paths) == 1  # the hijackers' one tie in the data is this claim
    onward = find_paths(view, PathQuery("911-hijackers", "al-qaeda")).paths[0]
    assert [bundled.actor_ids[c] for c in onward.actors] == ["911-hijackers", "iran", "al-qaeda"]
    assert all(hop_evidence(view, hop) for hop in onward.hops)


def test_bundled_indirect_chain_to_iran_has_evidence_for_every_hop(bundled):
    view = apply_filters(bundled, FilterState())
    result = find_paths(view, PathQuery("turkey", "iran", k=3))
    best = result.paths[0]
    assert [bundled.actor_ids[c] for c in best.actors] == ["turkey", "hts", "al-qaeda", "iran"]
    for hop in best.hops:
        evidence = hop_evidence(view, hop)
        assert evidence and all(ev.claims for ev in evidence)
        assert all(claim.quote and claim.source for ev in evidence for claim in ev.claims)
    assert best.hops[2].contested  # the Iranian mission to the UN denies the ties
    assert result.chosen is best


def test_search_matches_brute_force_on_synthetic_data(tmp_path):
    """Hubs, skewed degrees, dates and denials, as bench/ makes them, 400 actors."""
    from bench.generate import generate

    network = Network.from_dataset(load_or_raise(generate(2_000, tmp_path / "synthetic")))
    rng = random.Random(5)
    filters = FilterState(years=(2000, 2020))
    view = apply_filters(network, filters)
    touching = [network.actor_ids[c] for c in range(network.n_actors) if view.node_degrees[c]]
    for _ in range(12):
        start, end = rng.sample(touching, 2)
        query = PathQuery(start, end, max_hops=3, directed=rng.random() < 0.5, k=rng.randint(1, 20))
        assert summary(network, find_paths(view, query)) == oracle(network, filters, query)
