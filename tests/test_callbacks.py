"""The callbacks' parsing of controls: whatever the browser sends, never a crash."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.positions.cache import LayoutCache
from dashboard.query.filters import FilterState
from dashboard.query.view_state import Selection
from dashboard.web.callbacks import filter_state, selection_from, with_override
from dashboard.web.components import year_marks


@pytest.mark.parametrize(
    ("controls", "expected"),
    [
        (
            ([1990, 2026], ["show"], [], [], [], ["asserts", "denies"], 1, None, 1),
            FilterState(),
        ),
        (
            ([1991, 1998], [], None, None, None, None, None, None, None),
            FilterState(years=(1991, 1998), include_undated=False),
        ),
        (
            (None, ["show"], ["UN report"], ["trains"], ["state"], ["denies"], 3, "iran", 2),
            FilterState(
                sources=frozenset({"UN report"}),
                relations=frozenset({"trains"}),
                actor_types=frozenset({"state"}),
                stances=frozenset({"denies"}),
                min_sources=3,
                focus="iran",
                depth=2,
            ),
        ),
    ],
    ids=["defaults", "years, nothing else", "everything set"],
)
def test_filter_state_from_controls(network, controls, expected):
    assert filter_state(network, *controls) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"kind": "edge", "index": 3}, Selection("edge", 3)),
        ({"kind": "node", "index": 0}, Selection("node", 0)),
        (None, None),
        ({"kind": "edge", "index": 10_000}, None),
        ({"kind": "edge", "index": -1}, None),
        ({"kind": "edge", "index": "3"}, None),
        ({"kind": "script", "index": 1}, None),
        ("edge", None),
    ],
)
def test_selection_from_untrusted_store_data(network, data, expected):
    assert selection_from(data, network) == expected


def test_positions_override_applies_only_to_its_layout(network):
    cache = LayoutCache(network)
    override = {"layout": "force", "nodes": [0, 1], "x": [0.5, -0.5], "y": [0.25, 0.0]}
    merged = with_override(cache.get("force"), "force", override)
    np.testing.assert_array_equal(merged[:2], [[0.5, 0.25], [-0.5, 0.0]])
    np.testing.assert_array_equal(merged[2:], cache.get("force")[2:])
    assert with_override(cache.get("circular"), "circular", override) is cache.get("circular")
    broken = {"layout": "force", "nodes": [0, 999], "x": [1.0], "y": "?"}
    assert with_override(cache.get("force"), "force", broken) is cache.get("force")


@pytest.mark.parametrize(
    ("first", "last", "marks"),
    [
        (1990, 2026, [1990, 2000, 2010, 2020, 2026]),
        (1998, 2001, [1998, 1999, 2000, 2001]),
        (2001, 2001, [2001]),
    ],
)
def test_year_marks_are_few_and_include_the_ends(first, last, marks):
    assert list(year_marks(first, last)) == marks
