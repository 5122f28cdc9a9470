"""The timeline's counts, playback's settings and frames, and their callbacks."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from dashboard.data import load_or_raise
from dashboard.graph import UNDATED, Network
from dashboard.query import periods
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.periods import TimeScale, ymd
from dashboard.query.timeline import (
    Playback,
    TimeView,
    frame_filters,
    frames,
    histogram,
    parse_spec,
)
from dashboard.query.view_state import ViewState
from dashboard.web.time_controls import parse_time_view
from dashboard.web.time_panel import draw_timeline, play_frames, play_pack
from dashboard.web.url_codec import from_query, to_query
from tests.conftest import HEADER, write_data
from tests.test_periods import MONTHS


def oracle_histogram(net: Network, mask, stack: str):
    """Row by row: each dated claim counts once in every slider step it covers."""
    scale = periods.time_scale(net)
    counts, undated = Counter(), Counter()
    families = net.families.names
    for claim in np.flatnonzero(mask).tolist():
        if stack == "stance":
            group = "denies" if net.claim_denies[claim] else "asserts"
        else:
            group = families[net.relation_family[net.claim_relation[claim]]]
        start = int(net.claim_start_day[claim])
        if start == UNDATED:
            undated[group] += 1
            continue
        for value in range(
            scale.value_of(start), scale.value_of(int(net.claim_end_day[claim])) + 1
        ):
            counts[group, value] += 1
    return counts, undated


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> Network:
    return Network.from_dataset(load_or_raise(write_data(tmp_path_factory.mktemp("m"), MONTHS)))


@pytest.mark.parametrize("stack", ["family", "stance"])
@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(sources=frozenset({"9/11 Commission"})),
        FilterState(stances=frozenset({"denies"})),
    ],
    ids=["all", "one source", "denials"],
)
def test_the_timeline_counts_each_claim_in_every_year_it_covers(network, state, stack):
    view = apply_filters(network, state)
    found = histogram(view, stack)
    counts, undated = oracle_histogram(network, view.claim_mask, stack)
    assert found.width == 1
    for g, group in enumerate(found.groups):
        assert found.counts[g].tolist() == [counts[group, int(v)] for v in found.starts]
        assert int(found.undated[g]) == undated[group]


def test_the_timeline_counts_months_for_short_spans(months):
    found = histogram(apply_filters(months, FilterState()), "family")
    assert found.scale.unit == "month" and len(found.starts) == 11
    counts, _ = oracle_histogram(months, np.ones(months.n_claims, bool), "family")
    for g, group in enumerate(found.groups):
        assert found.counts[g].tolist() == [counts[group, int(v)] for v in found.starts]
    assert int(found.undated.sum()) == 1
    assert found.label(2) == "2014-03"


def test_very_long_spans_group_years(tmp_path):
    rows = [
        f"A{i},B{i},meets,{year},{year},q,S,asserts,,,"
        for i, year in enumerate(("0001", "0500", "2020"))
    ]
    net = Network.from_dataset(load_or_raise(write_data(tmp_path, HEADER + "\n".join(rows))))
    found = histogram(apply_filters(net, FilterState()))
    assert found.width == 10 and len(found.starts) <= 240
    assert int(found.counts.sum()) == 3


def test_random_claims_against_the_oracle(tmp_path):
    rng = random.Random(7)
    rows = []
    for i in range(300):
        start = rng.choice(
            ["", f"{rng.randint(1990, 2020)}", f"{rng.randint(1990, 2020)}-0{rng.randint(1, 9)}"]
        )
        end = "" if not start or rng.random() < 0.5 else f"{int(start[:4]) + rng.randint(0, 6)}"
        relation = rng.choice(["trains", "fights", "meets", "member of", "praises"])
        stance = "denies" if rng.random() < 0.2 else "asserts"
        rows.append(
            f"A{rng.randint(0, 20)},A{rng.randint(0, 20)},{relation},{start},{end},q{i},S{i % 4},{stance},,,"
        )
    net = Network.from_dataset(load_or_raise(write_data(tmp_path, HEADER + "\n".join(rows))))
    view = apply_filters(net, FilterState())
    for stack in ("family", "stance"):
        found = histogram(view, stack)
        counts, undated = oracle_histogram(net, view.claim_mask, stack)
        for g, group in enumerate(found.groups):
            assert found.counts[g].tolist() == [counts[group, int(v)] for v in found.starts]
            assert int(found.undated[g]) == undated[group]


@pytest.mark.parametrize(
    ("low", "high", "playback", "labels"),
    [
        (1991, 1994, Playback(1, 1), ["1991", "1992", "1993", "1994"]),
        (1991, 1996, Playback(2, 2), ["1991–1992", "1993–1994", "1995–1996"]),
        (1991, 1995, Playback(2, 2), ["1991–1992", "1993–1994", "1995"]),
        (1991, 1995, Playback(3, 1), ["1991–1993", "1992–1994", "1993–1995"]),
        (1991, 1996, Playback(0, 2), ["1991–1992", "1991–1994", "1991–1996"]),
        (1991, 1991, Playback(5, 1), ["1991"]),
        (1991, 1995, Playback(1, 3), ["1991", "1994"]),
    ],
)
def test_frames_step_a_window_through_the_span(low, high, playback, labels):
    assert [label for *_, label in frames(TimeScale("year", low, high), playback)] == labels


def test_month_frames_are_whole_months():
    scale = TimeScale("month", 2014 * 12, 2014 * 12 + 5)
    found = frames(scale, Playback(3, 3))
    assert [label for *_, label in found] == ["2014-01 – 2014-03", "2014-04 – 2014-06"]
    assert ymd(found[1][1]) == (2014, 6, 30)


@pytest.mark.parametrize(
    ("text", "unit", "allow_all", "expected", "notice"),
    [
        ("1y", "year", False, 1, None),
        ("5Y", "year", False, 5, None),
        ("all", "year", True, 0, None),
        ("all", "year", False, None, "is not a period"),
        ("1y", "month", False, 12, None),
        ("6m", "month", False, 6, None),
        ("6m", "year", False, None, "not whole years"),
        ("14d", "day", False, 14, None),
        ("1m", "day", False, None, "not whole days"),
        ("0y", "year", False, None, "is not a period"),
        ("x", "year", False, None, "is not a period"),
        ("", "year", False, None, None),
    ],
)
def test_windows_and_steps_are_whole_slider_steps(text, unit, allow_all, expected, notice):
    notices = []
    assert parse_spec(text, unit, allow_all, notices, "step") == expected
    assert (notice is None and notices == []) or (notice is not None and notice in notices[0])


def test_frame_filters_of_the_whole_span_are_no_range(network):
    scale = periods.time_scale(network)
    whole = (*scale.full, "all")
    assert (
        frame_filters(network, FilterState(sources=frozenset({"UN report"})), whole).day_range
        is None
    )
    one = frames(scale, Playback(1, 1))[5]
    assert frame_filters(network, FilterState(), one).years == (1995, 1995)


@pytest.mark.parametrize(
    ("query", "time", "notices"),
    [
        ("?window=5y&step=2y", TimeView(Playback(5, 2)), []),
        ("?window=all", TimeView(Playback(0, 1)), []),
        ("?window=7y", TimeView(), ['"window=7y" is not one of: 1y, 2y, 3y, 5y, 10y']),
        ("?stack=stance", TimeView(stack="stance"), []),
        ("?stack=colour", TimeView(), ['"stack=colour" is not one of: family, stance']),
    ],
)
def test_the_url_holds_playback_and_stacking(network, query, time, notices):
    state, found = from_query(query, network)
    assert state.time == time and found == notices
    if not notices:
        assert to_query(state, network) == query


def test_compared_periods_round_trip_through_the_url(network, months):
    state, notices = from_query("?a=1991..2000&b=2001..2010", network)
    assert notices == [] and state.time.compare is not None
    assert [periods.period_label(*p) for p in state.time.compare] == ["1991–2000", "2001–2010"]
    assert to_query(state, network) == "?a=1991..2000&b=2001..2010"
    month_state, notices = from_query("?a=2014-01..2014-03&b=2014-06", months)
    assert notices == []
    assert to_query(month_state, months) == "?a=2014-01..2014-03&b=2014-06"


def test_the_compare_sliders_start_at_the_two_halves(network):
    view = parse_time_view({"compare": ["on"]}, network, [])
    assert [periods.period_label(*p) for p in view.compare] == ["1990–2008", "2009–2026"]


class Context:
    def __init__(self, network):
        self.network = network
        self.views = lambda state: apply_filters(network, state)


def test_the_timeline_callback_ignores_the_time_range_and_shades_it(network):
    context = Context(network)
    full = draw_timeline(context, ViewState())
    ranged = draw_timeline(
        context, ViewState(filters=FilterState(years=(1991, 1998), include_undated=False))
    )
    assert full["data"] == ranged["data"]  # what each range would keep, undated too
    assert full["layout"]["meta"]["undated"] == 45
    assert full["layout"]["shapes"] == [] and ranged["layout"]["shapes"][0]["x0"] == 1990.5


def test_frames_and_the_pack_come_from_the_callbacks(network):
    context = Context(network)
    view = ViewState(time=TimeView(Playback(5, 5)))
    found = play_frames(context, view)
    assert found["frames"][0][2] == "1990–1994" and found["values"][0] == [1990, 1994]
    assert play_pack(context, view, False) is not None  # no_update until the user plays
    pack = play_pack(context, view, True)
    assert pack["frames"] == found["frames"] and pack["frameValues"] == found["values"]
    assert play_pack(context, replace(view, size_by="betweenness"), True)["fallback"]
