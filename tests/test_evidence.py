"""Evidence for a clicked edge or actor: every passing claim, counts of hidden ones."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.graph import Network
from dashboard.query.evidence import actor_card, describe_time_span, edge_evidence, edges_evidence
from dashboard.query.filters import FilterState, apply_filters


@pytest.mark.parametrize(
    ("edge", "state", "shown", "hidden"),
    [
        (("iran", "al-qaeda", "shelters"), FilterState(), 5, 0),
        (
            ("iran", "al-qaeda", "shelters"),
            FilterState(years=(2009, 2026), include_undated=False),
            1,
            4,
        ),
        (("iran", "al-qaeda", "cooperates with"), FilterState(stances=frozenset({"denies"})), 1, 6),
        (
            ("iran", "al-qaeda", "cooperates with"),
            FilterState(sources=frozenset({"UN report"})),
            0,
            7,
        ),
        (("taliban", "afghanistan", "controls"), FilterState(), 2, 0),
    ],
)
def test_edge_evidence_lists_passing_claims_and_counts_hidden(network, edge, state, shown, hidden):
    evidence = edge_evidence(apply_filters(network, state), network.edge_number(*edge))
    assert (len(evidence.claims), evidence.hidden) == (shown, hidden)


def test_claims_are_oldest_first_then_undated(network):
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    claims = edge_evidence(apply_filters(network, FilterState()), edge).claims
    assert [c.when for c in claims][:2] == ["since 1990", "1991 – 1992"]
    assert claims[-1].when == "undated"
    assert all(c.verified for c in claims)


def test_quotes_are_shown_exactly_as_in_the_data(network):
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    claims = edge_evidence(apply_filters(network, FilterState()), edge).claims
    data = set(network.claims["quote"])
    assert all(c.quote in data for c in claims)
    assert any("“secret deal”" in c.quote for c in claims)


def test_actor_card_groups_relations_by_type_with_counts(network):
    card = actor_card(apply_filters(network, FilterState()), network.actor_code["hezbollah"])
    assert (card.name, card.type) == ("Hezbollah", "armed group")
    assert card.aliases == ("Hizballah", "Hizbullah")
    assert set(card.relations) == {"allied with", "associated with", "leads", "trains", "uses"}
    trains = {(line.other_name, line.outgoing, line.total) for line in card.relations["trains"]}
    assert trains == {("al-Qaeda", True, 1), ("Egyptian Islamic Jihad", True, 1)}
    assert (card.shown_claims, card.total_claims) == (6, 6)


def test_actor_card_counts_what_filters_hide(network):
    view = apply_filters(network, FilterState(years=(1998, 1998), include_undated=False))
    card = actor_card(view, network.actor_code["hezbollah"])
    assert (card.shown_claims, card.total_claims) == (2, 6)
    leads = card.relations["leads"][0]
    assert (leads.shown, leads.total) == (0, 1)


def test_unsafe_urls_are_never_links():
    actors = pd.DataFrame(
        {"name": ["A", "B"], "type": ["state"] * 2, "aliases": [(), ()], "description": ""},
        index=pd.Index(["a", "b"], name="id"),
    )
    claims = pd.DataFrame(
        {
            "from_id": ["a", "a"],
            "to_id": ["b", "b"],
            "relation": ["funds", "funds"],
            "quote": ["q1", "q2"],
            "source": ["s1", "s2"],
            "stance": "asserts",
            "start": "",
            "end": "",
            "document": "d",
            "url": ["javascript:alert(1)", "https://example.org/r"],
            "published": "",
            "span_start": pd.NaT,
            "span_end": pd.NaT,
            "line": [2, 3],
            "verified": False,
        },
        index=pd.Index(["c1", "c2"], name="claim_id"),
    )
    network = Network.from_frames(actors, claims)
    evidence = edge_evidence(apply_filters(network, FilterState()), 0)
    assert {c.quote: c.url for c in evidence.claims} == {"q1": "", "q2": "https://example.org/r"}


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("1998", "", "1998"),
        ("1991", "1992", "1991 – 1992"),
        ("2009", "present", "since 2009"),
        ("2001", "2001", "2001"),
    ],
)
def test_time_span_wording(start, end, text):
    assert describe_time_span(start, end) == text


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(years=(1991, 1998), include_undated=False),
        FilterState(stances=frozenset({"denies"})),
        FilterState(focus="hezbollah"),
    ],
    ids=["all", "1990s", "denials", "focus"],
)
def test_evidence_for_many_edges_at_once_is_each_edges_evidence(network, state):
    view = apply_filters(network, state)
    edges = list(range(len(network.edges)))
    assert edges_evidence(view, edges) == {e: edge_evidence(view, e) for e in edges}
    assert edges_evidence(view, []) == {}
