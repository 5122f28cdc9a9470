"""Time ranges at the data's resolution: years for long spans, months or days for short
ones (issue 11 item 4: data within one year could not be filtered within it)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.data import load_or_raise
from dashboard.graph import UNDATED, Network
from dashboard.query import periods
from dashboard.query.filters import FilterState, apply_filters, claim_mask, make_filter_state
from dashboard.query.periods import TimeScale, day_of, parse_bound, period_label
from dashboard.web import controls
from dashboard.web.url_codec import from_query, to_query
from tests.conftest import HEADER, write_data

MONTHS = HEADER + "\n".join(
    [
        "Alpha,Beta,allied with,2014-01-05,2014-03-20,q1,Src A,asserts,,,",
        "Alpha,Beta,fights,2014-06-01,2014-08,q2,Src B,asserts,,,",
        "Beta,Gamma,trains,2014-02,,q3,Src A,asserts,,,",
        "Gamma,Delta,funds,2014-04-10,,q4,Src C,asserts,,,",
        "Delta,Alpha,meets,2014-09-01,2014-11-30,q5,Src A,asserts,,,",
        "Alpha,Gamma,trains,2014-05,2014-07,q6,Src B,denies,,,",
        "Beta,Delta,supports,,,q7,Src C,asserts,,,",
    ]
)
DAYS = HEADER + "\n".join(
    [
        "Alpha,Beta,fights,2020-03-01,2020-03-04,q1,Src A,asserts,,,",
        "Alpha,Gamma,fights,2020-03-10,,q2,Src A,asserts,,,",
        "Beta,Gamma,meets,2020-04-20,2020-04-21,q3,Src B,asserts,,,",
    ]
)


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> Network:
    return Network.from_dataset(load_or_raise(write_data(tmp_path_factory.mktemp("m"), MONTHS)))


@pytest.fixture(scope="module")
def days(tmp_path_factory) -> Network:
    return Network.from_dataset(load_or_raise(write_data(tmp_path_factory.mktemp("d"), DAYS)))


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2014", False, "2014-01-01"),
        ("2014", True, "2014-12-31"),
        ("2014-02", True, "2014-02-28"),
        ("2016-02", True, "2016-02-29"),
        ("2014-03-05", False, "2014-03-05"),
        (" 1991 ", False, "1991-01-01"),
        ("2014-13", False, None),
        ("2014-02-30", False, None),
        ("0", False, None),
        ("10000", False, None),
        ("abc", False, None),
        ("2014/03", False, None),
    ],
)
def test_bounds_are_read_at_their_precision(text, end, expected):
    day = parse_bound(text, end)
    assert (None if day is None else str(np.datetime64(day, "D"))) == expected


@pytest.mark.parametrize(
    ("first", "last", "label"),
    [
        ("1991", "1998", "1991–1998"),
        ("1998", "1998", "1998"),
        ("2014-03", "2014-06", "2014-03 – 2014-06"),
        ("2014-03", "2014-03", "2014-03"),
        ("2014-03-05", "2014-03-20", "2014-03-05 – 2014-03-20"),
        ("2014-01", "2014-12", "2014"),  # whole months making a whole year
        ("2014-03-01", "2014-03-31", "2014-03"),
    ],
)
def test_periods_are_written_at_their_coarsest_exact_precision(first, last, label):
    assert period_label(parse_bound(first, False), parse_bound(last, True)) == label


@pytest.mark.parametrize(
    ("first", "last", "unit", "low", "high"),
    [
        ("1991-05-01", "2026-11-26", "year", 1991, 2026),
        ("2010-01-01", "2015-12-31", "month", 2010 * 12, 2015 * 12 + 11),
        ("2010-01-01", "2016-01-01", "year", 2010, 2016),  # 73 months
        ("2014-01-05", "2014-11-30", "month", 2014 * 12, 2014 * 12 + 10),
        ("2020-03-01", "2020-04-21", "day", None, None),
    ],
)
def test_the_slider_unit_follows_the_span(first, last, unit, low, high):
    start, end = parse_bound(first, False), parse_bound(last, True)
    scale = TimeScale.for_days(start, end)
    assert scale.unit == unit
    assert (scale.low, scale.high) == ((start, end) if unit == "day" else (low, high))
    assert scale.full[0] <= start and scale.full[1] >= end


def test_a_range_of_whole_years_is_stored_as_years():
    state = FilterState(days=(day_of(1991), day_of(1998, 12, 31)))
    assert (state.years, state.days) == ((1991, 1998), None)
    months = FilterState(days=(day_of(2014, 3), day_of(2014, 6, 30)))
    assert months.years is None and months.period_label == "2014-03 – 2014-06"
    assert FilterState(years=(1991, 1998)) == state


def test_month_ranges_filter_within_one_year(months):
    scale = periods.time_scale(months)
    assert scale.unit == "month"
    state = make_filter_state(months, days=(day_of(2014, 3), day_of(2014, 6, 30)))
    mask = claim_mask(months, state)
    # Row by row: dated claims overlapping March to June, and the undated one.
    start, end = months.claim_start_day, months.claim_end_day
    low, high = state.day_range
    expected = [s == UNDATED or (s <= high and e >= low) for s, e in zip(start, end, strict=True)]
    assert mask.tolist() == expected
    assert (
        sum(expected) == 5
    )  # allied (to 03-20), fights (from 06-01), funds, denied trains, undated
    text = apply_filters(months, state).counts_text()
    assert text.endswith("4 in 2014-03 – 2014-06 + 1 undated")


def test_the_whole_span_is_no_range(months):
    scale = periods.time_scale(months)
    assert make_filter_state(months, days=scale.full).day_range is None


@pytest.mark.parametrize(
    ("query", "period", "notices"),
    [
        ("?from=2014-03&to=2014-06", "2014-03 – 2014-06", []),
        ("?from=2014-03", "2014-03 – 2014-11", []),
        ("?from=2014&to=2014-02", "2014-01 – 2014-02", []),
        ("?from=2014-03-10&to=2014-06", "2014-03 – 2014-06", ["finer than"]),
        ("?from=2014-06&to=2014-03", "2014-03 – 2014-06", ["swapped"]),
        ("?from=2014-13", None, ["not a date"]),
    ],
)
def test_the_url_takes_months_for_month_data(months, query, period, notices):
    state, found = from_query(query, months)
    assert state.filters.period_label == period
    assert len(found) == len(notices) and all(n in f for n, f in zip(notices, found, strict=True))
    if not notices:
        again, _ = from_query(to_query(state, months), months)
        assert again == state


def test_days_for_data_within_weeks(days):
    state, notices = from_query("?from=2020-03-02&to=2020-03-12", days)
    assert notices == [] and state.filters.period_label == "2020-03-02 – 2020-03-12"
    assert to_query(state, days) == "?from=2020-03-02&to=2020-03-12"
    assert apply_filters(days, state.filters).n_claims == 2


def test_year_data_rounds_finer_dates_out_with_a_notice(network):
    state, notices = from_query("?from=1995-06&to=1998", network)
    assert state.filters.years == (1995, 1998)
    assert notices == [
        '"from=1995-06" is finer than this data\'s time slider (years); read as 1995'
    ]


def test_slider_values_are_in_the_slider_unit(months):
    notices = []
    first = 2014 * 12 + 2
    period = controls.parse_years([first, first + 3], months, notices)
    assert notices == [] and period_label(*period) == "2014-03 – 2014-06"
    values = controls.control_values(
        controls.view_state(months, {"years": [first, first + 3]}), months
    )
    assert values["years"] == [first, first + 3]


def test_year_slider_values_are_years(network):
    state = controls.view_state(network, {"years": [1991, 1998]})
    assert state.filters.years == (1991, 1998)
    assert controls.control_values(state, network)["years"] == [1991, 1998]
