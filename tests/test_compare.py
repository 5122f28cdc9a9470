"""Two periods compared: new, gone, kept and changed edges, against a row-by-row oracle."""

from __future__ import annotations

import random

import pytest

from dashboard.data import load_or_raise
from dashboard.graph import UNDATED, Network
from dashboard.query.compare import CHANGED, GONE, KEPT, NEW, STATUSES, compare_periods, listed
from dashboard.query.filters import FilterState
from dashboard.query.periods import parse_bound
from tests.conftest import HEADER, write_data

A = (parse_bound("2000", False), parse_bound("2004", True))
B = (parse_bound("2005", False), parse_bound("2009", True))


def network_of(tmp_path, rows) -> Network:
    lines = [
        f"{a},{b},{relation},{start},{end},quote {i},{source},{stance},,,"
        for i, (a, b, relation, start, end, stance, source) in enumerate(rows)
    ]
    return Network.from_dataset(load_or_raise(write_data(tmp_path, HEADER + "\n".join(lines))))


def oracle(net: Network, a, b) -> dict[tuple[str, str, str], str]:
    """Row by row, from the claims, with none of the arrays compare_periods uses."""
    claims = net.claims
    family_of = net.families.family_of

    def edges_in(period):
        found: dict[tuple[str, str, str], str] = {}
        for row, start, end in zip(
            claims.itertuples(),
            net.claim_start_day.tolist(),
            net.claim_end_day.tolist(),
            strict=True,
        ):
            if not row.to_id or start == UNDATED or start > period[1] or end < period[0]:
                continue
            key = (row.from_id, row.to_id, row.relation)
            if row.stance == "asserts" or key not in found:
                found[key] = row.stance
        return found

    in_a, in_b = edges_in(a), edges_in(b)

    def pair(key):
        return frozenset(key[:2])

    def looks(edges, wanted):
        return {(family_of(k[2]), s) for k, s in edges.items() if pair(k) == wanted}

    result = {}
    for key in set(in_a) | set(in_b):
        linked_both = any(pair(k) == pair(key) for k in in_a) and any(
            pair(k) == pair(key) for k in in_b
        )
        involved = (
            key in in_a and (family_of(key[2]), in_a[key]) not in looks(in_b, pair(key))
        ) or (key in in_b and (family_of(key[2]), in_b[key]) not in looks(in_a, pair(key)))
        if linked_both and involved:
            result[key] = "changed"
        elif key in in_a and key in in_b:
            result[key] = "kept"
        else:
            result[key] = "gone" if key in in_a else "new"
    return result


def statuses(
    net: Network, a, b, filters: FilterState | None = None
) -> dict[tuple[str, str, str], str]:
    comparison = compare_periods(net, filters or FilterState(), a, b)
    return {
        net.edge_key(e): STATUSES[s]
        for e, s in zip(comparison.edges.tolist(), comparison.status.tolist(), strict=True)
    }


CASES = {
    "allied, then fighting: both changed": (
        [("x", "y", "allied with", "2001", "", "asserts", "S1"),
         ("x", "y", "fights", "2006", "", "asserts", "S2")],
        {("x", "y", "allied with"): "changed", ("x", "y", "fights"): "changed"},
    ),
    "the other direction is the same pair": (
        [("x", "y", "allied with", "2001", "", "asserts", "S1"),
         ("y", "x", "fights", "2006", "", "asserts", "S1")],
        {("x", "y", "allied with"): "changed", ("y", "x", "fights"): "changed"},
    ),
    "another relation of the same family: gone and new": (
        [("x", "y", "trains", "2001", "", "asserts", "S1"),
         ("x", "y", "funds", "2006", "", "asserts", "S1")],
        {("x", "y", "trains"): "gone", ("x", "y", "funds"): "new"},
    ),
    "spanning both periods: kept": (
        [("x", "y", "trains", "2003", "2006", "asserts", "S1")],
        {("x", "y", "trains"): "kept"},
    ),
    "asserted, then only denied: changed": (
        [("x", "y", "trains", "2001", "", "asserts", "S1"),
         ("x", "y", "trains", "2006", "", "denies", "S2")],
        {("x", "y", "trains"): "changed"},
    ),
    "denied in both: kept": (
        [("x", "y", "trains", "2001", "", "denies", "S1"),
         ("x", "y", "trains", "2006", "", "denies", "S2")],
        {("x", "y", "trains"): "kept"},
    ),
    "asserted and denied in A, asserted in B: kept": (
        [("x", "y", "trains", "2001", "", "asserts", "S1"),
         ("x", "y", "trains", "2002", "", "denies", "S2"),
         ("x", "y", "trains", "2007", "", "asserts", "S1")],
        {("x", "y", "trains"): "kept"},
    ),
    "a family added: the kept one stays kept, the new one changed": (
        [("x", "y", "trains", "2001", "2008", "asserts", "S1"),
         ("x", "y", "fights", "2006", "", "asserts", "S2")],
        {("x", "y", "trains"): "kept", ("x", "y", "fights"): "changed"},
    ),
    "undated claims are in neither period": (
        [("x", "y", "trains", "", "", "asserts", "S1"),
         ("x", "y", "fights", "2006", "", "asserts", "S2")],
        {("x", "y", "fights"): "new"},
    ),
    "other pairs are not compared with each other": (
        [("x", "y", "trains", "2001", "", "asserts", "S1"),
         ("z", "w", "fights", "2006", "", "asserts", "S1")],
        {("x", "y", "trains"): "gone", ("z", "w", "fights"): "new"},
    ),
    "outside both periods: not listed": (
        [("x", "y", "trains", "1995", "", "asserts", "S1"),
         ("x", "y", "fights", "2012", "", "asserts", "S1")],
        {},
    ),
}  # fmt: skip


@pytest.mark.parametrize(("rows", "expected"), list(CASES.values()), ids=list(CASES))
def test_the_diff_names_new_gone_kept_and_changed_edges(tmp_path, rows, expected):
    net = network_of(tmp_path, rows)
    assert statuses(net, A, B) == expected
    assert oracle(net, A, B) == expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_claims_agree_with_the_oracle(tmp_path, seed):
    rng = random.Random(seed)
    relations = ["allied with", "fights", "trains", "funds", "meets", "member of", "attacks"]
    rows = []
    for _ in range(150):
        year = rng.randint(1998, 2011)
        start = rng.choice(["", str(year), f"{year}-0{rng.randint(1, 9)}"])
        end = "" if not start or rng.random() < 0.6 else str(year + rng.randint(0, 4))
        rows.append(
            (f"a{rng.randint(0, 6)}", f"a{rng.randint(0, 6)}", rng.choice(relations), start, end,
             "denies" if rng.random() < 0.25 else "asserts", f"S{rng.randint(0, 3)}")
        )  # fmt: skip
    net = network_of(tmp_path, rows)
    found = statuses(net, A, B)
    assert found == oracle(net, A, B)
    assert set(found.values()) >= {"new", "gone", "kept", "changed"}


def test_filters_apply_within_each_period(tmp_path):
    rows = CASES["allied, then fighting: both changed"][0]
    net = network_of(tmp_path, rows)
    only_s1 = statuses(net, A, B, FilterState(sources=frozenset({"S1"})))
    assert only_s1 == {("x", "y", "allied with"): "gone"}
    # The time range of the page is not the periods': compared as if there were none.
    assert (
        statuses(net, A, B, FilterState(years=(2001, 2001)))
        == CASES["allied, then fighting: both changed"][1]
    )


def test_the_table_lists_changes_first_with_counts(network):
    comparison = compare_periods(
        network,
        FilterState(),
        (parse_bound("1991", False), parse_bound("2000", True)),
        (parse_bound("2001", False), parse_bound("2010", True)),
    )
    counts = comparison.counts()
    assert counts == {GONE: 11, NEW: 4, KEPT: 2, CHANGED: 0}
    order = [status for _, status in listed(comparison)]
    assert order == sorted(order, key=[CHANGED, NEW, GONE, KEPT].index)
    assert comparison.summary().startswith("only in A (1991–2000): 11")
