"""Filters: the vectorised pipeline against a plain, row-by-row oracle, on the bundled data."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.graph import NO_SOURCE, UNDATED
from dashboard.query.filters import FilterState, apply_filters, neighbourhood
from dashboard.text import plural


def oracle(dataset, state: FilterState) -> set[str]:
    """The claims a reader would pick by hand, one rule at a time."""
    types = dataset.actors["type"]
    kept = []
    for claim_id, c in dataset.claims.iterrows():
        dated = not pd.isna(c.span_start)
        if state.years is not None:
            first = pd.Timestamp(f"{state.years[0]}-01-01")
            last = pd.Timestamp(f"{state.years[1]}-12-31")
            if dated and not (c.span_start <= last and c.span_end >= first):
                continue
        if not dated and not state.include_undated:
            continue
        if state.sources and (c.source or NO_SOURCE) not in state.sources:
            continue
        if state.relations and c.relation not in state.relations:
            continue
        if state.stances and c.stance not in state.stances:
            continue
        if state.actor_types and (
            types[c.from_id] not in state.actor_types
            or (c.to_id and types[c.to_id] not in state.actor_types)
        ):
            continue
        kept.append((claim_id, c))
    sources_per_edge: dict[tuple, set] = {}
    for _, c in kept:
        if c.to_id:
            sources_per_edge.setdefault((c.from_id, c.to_id, c.relation), set()).add(
                c.source or NO_SOURCE
            )
    edges = {e for e, s in sources_per_edge.items() if len(s) >= state.min_sources}
    if state.focus:
        reached = {state.focus}
        for _ in range(state.depth):
            step = {b for a, b, _ in edges if a in reached} | {
                a for a, b, _ in edges if b in reached
            }
            reached |= step
        edges = {e for e in edges if e[0] in reached and e[1] in reached}
    return {
        claim_id
        for claim_id, c in kept
        if ((c.from_id, c.to_id, c.relation) in edges)
        or (not c.to_id and (not state.focus or c.from_id in reached))
    }


CASES = {
    "everything": FilterState(),
    "1991-1998 with undated": FilterState(years=(1991, 1998)),
    "1991-1998 without undated": FilterState(years=(1991, 1998), include_undated=False),
    "2009 on": FilterState(years=(2009, 2026)),
    "one year": FilterState(years=(1998, 1998), include_undated=False),
    "undated hidden": FilterState(include_undated=False),
    "one source": FilterState(sources=frozenset({"9/11 Commission"})),
    "two sources": FilterState(sources=frozenset({"UN report", "US State Department"})),
    "relations": FilterState(relations=frozenset({"shelters", "trains"})),
    "states only": FilterState(actor_types=frozenset({"state"})),
    "denials": FilterState(stances=frozenset({"denies"})),
    "both stances": FilterState(stances=frozenset({"asserts", "denies"})),
    "two sources per edge": FilterState(min_sources=2),
    "four sources per edge": FilterState(min_sources=4),
    "focus depth 1": FilterState(focus="hezbollah", depth=1),
    "focus depth 2": FilterState(focus="hezbollah", depth=2),
    "focus depth 3": FilterState(focus="hamas", depth=3),
    "focus and years": FilterState(focus="iran", years=(1990, 1999), include_undated=False),
    "source and min sources": FilterState(sources=frozenset({"The Baghdad Post"}), min_sources=2),
}


@pytest.mark.parametrize("state", CASES.values(), ids=CASES.keys())
def test_filters_match_the_oracle(bundled_dataset, network, state):
    view = apply_filters(network, state)
    shown = set(network.claims.index[view.claim_mask])
    assert shown == oracle(bundled_dataset, state)


@pytest.mark.parametrize("state", CASES.values(), ids=CASES.keys())
def test_counts_are_recounted_from_the_claims_shown(network, state):
    view = apply_filters(network, state)
    claims = network.claims[view.claim_mask]
    drawn = claims[claims["to_id"] != ""]
    assert view.n_edges == len(drawn.groupby(["from_id", "to_id", "relation"]))
    assert view.n_actors == len(set(claims["from_id"]) | set(drawn["to_id"]))
    assert view.edge_claims[view.edge_mask].sum() == len(drawn)
    assert (view.edge_claims[~view.edge_mask] == 0).all()
    text = view.counts_text()
    assert f" · {plural(view.n_claims, 'claim')} (of 66)" in text
    if state.years is not None:
        undated = int((view.claim_mask & (network.claim_start_day == UNDATED)).sum())
        first, last = state.years
        period = str(first) if first == last else f"{first}–{last}"
        assert f": {view.n_claims - undated} in {period}" in text
        assert (f" + {undated} undated" in text) == (undated > 0)


@pytest.mark.parametrize(
    ("state", "edge", "claims", "sources", "denials"),
    [
        (FilterState(), ("iran", "al-qaeda", "cooperates with"), 7, 7, 1),
        (FilterState(), ("iran", "al-qaeda", "shelters"), 5, 4, 0),
        (
            FilterState(years=(2009, 2026), include_undated=False),
            ("iran", "al-qaeda", "shelters"),
            1,
            1,
            0,
        ),
        (
            FilterState(stances=frozenset({"asserts"})),
            ("iran", "al-qaeda", "cooperates with"),
            6,
            6,
            0,
        ),
    ],
)
def test_edge_weights_follow_the_filters(network, state, edge, claims, sources, denials):
    view = apply_filters(network, state)
    number = network.edge_number(*edge)
    assert (view.edge_claims[number], view.edge_sources[number], view.edge_denials[number]) == (
        claims,
        sources,
        denials,
    )


@pytest.mark.parametrize(
    ("edge", "contested"),
    [
        (("iran", "al-qaeda", "cooperates with"), True),  # denied by the Iranian mission
        (("iran", "al-qaeda", "shelters"), True),  # "fights" from another source
        (("iran", "al-qaeda", "fights"), True),  # the other side of the same contradiction
        (("al-qaeda", "hts", "fights"), False),
        (("iran", "hamas", "supports"), False),
    ],
)
def test_contested_edges(network, edge, contested):
    view = apply_filters(network, FilterState())
    assert bool(view.edge_contested[network.edge_number(*edge)]) is contested


def test_contest_disappears_when_the_contradicting_source_is_filtered_out(network):
    others = frozenset(set(network.sources) - {"Iranian mission to the United Nations"})
    view = apply_filters(network, FilterState(sources=others))
    assert not view.edge_contested[network.edge_number("iran", "al-qaeda", "shelters")]


def test_neighbourhood_grows_with_depth(network):
    everything = apply_filters(network, FilterState())
    centre = network.actor_code["hamas"]
    sizes = [neighbourhood(network, everything.edge_mask, centre, d).sum() for d in (1, 2, 3)]
    assert sizes[0] == 2  # Hamas and Iran
    assert sizes[0] < sizes[1] <= sizes[2]


def test_unknown_focus_actor_is_ignored(network):
    assert apply_filters(network, FilterState(focus="nobody")).n_claims == 66
