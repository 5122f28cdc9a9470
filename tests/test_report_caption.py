"""The exported figure's caption names every active filter, and only those."""

from __future__ import annotations

import pytest

from dashboard.draw.report_figure import describe_view
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.view_state import ViewState

# What each filter adds to the caption's first line; a filter that is off adds nothing.
FILTER_LABELS = ("Sources:", "Relations:", "Actor types", "Stance:", "At least", "Focus:")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (FilterState(), "Period: all dates (claims shown span 1990–2026; 45 undated)"),
        (FilterState(), "no other filters"),
        (FilterState(years=(1991, 1998)), "Period: 1991–1998, undated claims included"),
        (FilterState(years=(2001, 2001)), "Period: 2001, undated claims included"),
        (
            FilterState(years=(1991, 1998), include_undated=False),
            "Period: 1991–1998, undated claims left out",
        ),
        (FilterState(include_undated=False), "; undated claims left out)"),
        (FilterState(sources=frozenset({"9/11 Commission"})), "Sources: 9/11 Commission"),
        (FilterState(relations=frozenset({"trains", "shelters"})), "Relations: shelters, trains"),
        (
            FilterState(actor_types=frozenset({"state"})),
            "Actor types (both ends of a claim): state",
        ),
        (FilterState(stances=frozenset({"denies"})), "Stance: denies"),
        (FilterState(min_sources=2), "At least 2 sources per edge"),
        (FilterState(focus="iran", depth=2), "Focus: Iran, 2 steps around"),
    ],
    ids=[
        "nothing: period",
        "nothing: no other filters",
        "years",
        "one year",
        "years, undated left out",
        "undated left out",
        "sources",
        "relations",
        "actor types",
        "stance",
        "min sources",
        "focus",
    ],
)
def test_caption_states_each_active_filter(network, filters, expected):
    view = apply_filters(network, filters)
    filters_line, shown_line = describe_view(ViewState(filters), view)
    assert expected in filters_line
    for label in FILTER_LABELS:
        if label not in expected:
            assert label not in filters_line, label
    assert f"Shown: {view.counts_text()}." in shown_line


def test_caption_states_every_filter_at_once(network):
    filters = FilterState(
        years=(1991, 2010),
        include_undated=False,
        sources=frozenset({"9/11 Commission", "US Treasury"}),
        relations=frozenset({"trains"}),
        actor_types=frozenset({"state", "armed group"}),
        stances=frozenset({"asserts"}),
        min_sources=2,
        focus="iran",
        depth=3,
    )
    (line, _) = describe_view(ViewState(filters), apply_filters(network, filters))
    assert line == (
        "Period: 1991–2010, undated claims left out · Sources: 9/11 Commission, US Treasury"
        " · Relations: trains · Actor types (both ends of a claim): armed group, state"
        " · Stance: asserts"
        " · At least 2 sources per edge · Focus: Iran, 3 steps around"
    )
