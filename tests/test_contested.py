"""The contested rule, pinned: an edge is contested when a claim on it shown is a denial,
or when a different source asserts a relation of the opposite family between the same
two actors (either direction) in an overlapping period; undated periods overlap all."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.evidence import edge_evidence
from dashboard.query.filters import FilterState, apply_filters, opposing_claims
from tests.conftest import HEADER


def row(frm, to, relation, source, start="", end="", stance="asserts"):
    return f"{frm},{to},{relation},{start},{end},q {frm} {relation} {to} {source},{source},{stance},,,\n"


CASES = {
    "a denial on the edge": ([row("A", "B", "funds", "S1"), row("A", "B", "funds", "S2", stance="denies")], True),
    "opposite family, other source, both undated": ([row("A", "B", "funds", "S1"), row("A", "B", "fights", "S2")], True),
    "opposite family, same source": ([row("A", "B", "funds", "S1"), row("A", "B", "fights", "S1")], False),
    "opposite family, reverse direction": ([row("A", "B", "funds", "S1"), row("B", "A", "attacks", "S2")], True),
    "overlapping periods": ([row("A", "B", "funds", "S1", "1990", "1995"), row("A", "B", "fights", "S2", "1994", "2000")], True),
    "periods that do not overlap": ([row("A", "B", "funds", "S1", "1990", "1995"), row("A", "B", "fights", "S2", "1996", "2000")], False),
    "touching on the same year": ([row("A", "B", "funds", "S1", "1990", "1995"), row("A", "B", "fights", "S2", "1995")], True),
    "undated against dated": ([row("A", "B", "funds", "S1", "1990"), row("A", "B", "fights", "S2")], True),
    "same family, other source": ([row("A", "B", "funds", "S1"), row("A", "B", "trains", "S2")], False),
    "neutral family against cooperation": ([row("A", "B", "funds", "S1"), row("A", "B", "meets", "S2")], False),
    "other actors": ([row("A", "B", "funds", "S1"), row("A", "C", "fights", "S2")], False),
    "the opposing claim is itself a denial": ([row("A", "B", "funds", "S1"), row("A", "B", "fights", "S2", stance="denies")], False),
}  # fmt: skip


@pytest.mark.parametrize(("rows", "contested"), CASES.values(), ids=CASES.keys())
def test_the_contested_rule(data_dir, rows, contested):
    network = Network.from_dataset(load_or_raise(data_dir(HEADER + "".join(rows))))
    view = apply_filters(network, FilterState())
    edge = network.edge_number("A", "B", "funds")
    assert bool(view.edge_contested[edge]) is contested


def test_families_declared_in_the_settings_file_decide(data_dir):
    rows = [row("A", "B", "funds", "S1"), row("A", "B", "scolds", "S2")]
    plain = data_dir(HEADER + "".join(rows))
    network = Network.from_dataset(load_or_raise(plain))
    assert not apply_filters(network, FilterState()).edge_contested.any()
    (plain / "dashboard.toml").write_text('[relation_families]\nscolds = "conflict"\n')
    network = Network.from_dataset(load_or_raise(plain))
    assert apply_filters(network, FilterState()).edge_contested.all()


def test_the_panel_names_the_claims_that_contest_an_edge(data_dir):
    rows = [
        row("A", "B", "funds", "S1", "1990", "1995"),
        row("A", "B", "fights", "S2", "1994"),
        row("A", "B", "fights", "S3", "2010"),
        row("B", "A", "attacks", "S4"),
    ]
    network = Network.from_dataset(load_or_raise(data_dir(HEADER + "".join(rows))))
    view = apply_filters(network, FilterState())
    edge = network.edge_number("A", "B", "funds")
    opposing = edge_evidence(view, edge).opposing
    assert sorted((o.sentence, o.card.source) for o in opposing) == [
        ("A fights B", "S2"),
        ("B attacks A", "S4"),
    ]
    codes = opposing_claims(view, edge)
    assert set(network.claims["source"].to_numpy()[codes]) == {"S2", "S4"}


def test_filters_can_end_a_contest(data_dir):
    rows = [row("A", "B", "funds", "S1", "1990"), row("A", "B", "fights", "S2", "2005")]
    network = Network.from_dataset(load_or_raise(data_dir(HEADER + "".join(rows))))
    edge = network.edge_number("A", "B", "funds")
    assert not apply_filters(network, FilterState()).edge_contested[edge]
    rows.append(row("A", "B", "attacks", "S3"))
    network = Network.from_dataset(load_or_raise(data_dir(HEADER + "".join(rows))))
    edge = network.edge_number("A", "B", "funds")
    assert apply_filters(network, FilterState()).edge_contested[edge]
    narrowed = apply_filters(network, FilterState(sources=frozenset({"S1", "S2"})))
    assert not np.any(narrowed.edge_contested[edge])
