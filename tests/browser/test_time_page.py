"""The timeline and the comparison in the page: a brush or a click on the timeline sets
the time range (slider and URL follow), month data gets a month slider, and two periods
compared show on the map, in a table and in the claims of both periods."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from dashboard.data import load_or_raise
from dashboard.draw.assemble import assemble
from dashboard.draw.compare_overlay import compare_overlay
from dashboard.draw.scene import build_scene, build_step, decode, encode
from dashboard.positions.compute import compute_layout
from dashboard.query.compare import compare_periods
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.periods import parse_bound
from dashboard.web.app import create_app
from tests.browser.helpers import click_at, figure_data, wait_for_map
from tests.browser.test_assembler import assert_same, plain
from tests.conftest import write_data
from tests.test_periods import MONTHS

_TIMELINE_POINT = """
const gd = document.querySelector('#timeline .js-plotly-plot');
const box = gd.querySelector('.main-svg').getBoundingClientRect();
const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
return [box.left + xa._offset + xa.d2p(arguments[0]), box.top + ya._offset + ya._length * arguments[1]];
"""


def timeline_point(dash_duo, x: float, down: float = 0.5):
    until(
        lambda: dash_duo.driver.execute_script(
            "const gd = document.querySelector('#timeline .js-plotly-plot');"
            "return !!(gd && gd._fullLayout && gd._fullLayout.xaxis && gd.data.length);"
        ),
        timeout=10,
    )
    return dash_duo.driver.execute_script(_TIMELINE_POINT, x, down)


def query_of(dash_duo) -> dict:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def drag(dash_duo, start, end, steps: int = 5) -> None:
    """Press at viewport point ``start``, move to ``end`` in a few steps, release."""
    actions = ActionBuilder(dash_duo.driver)
    pointer = actions.pointer_action
    pointer.move_to_location(round(start[0]), round(start[1]))
    pointer.pointer_down()
    for i in range(1, steps + 1):
        pointer.pause(0.05)
        pointer.move_to_location(
            round(start[0] + (end[0] - start[0]) * i / steps),
            round(start[1] + (end[1] - start[1]) * i / steps),
        )
    pointer.pointer_up()
    actions.perform()


def test_brushing_the_timeline_sets_the_time_range(explorer):
    drag(explorer, timeline_point(explorer, 1994.7), timeline_point(explorer, 2000.2))
    explorer.wait_for_text_to_equal("#time-range-text", "1995–2000")
    explorer.wait_for_contains_text("#counts", "in 1995–2000")
    until(lambda: query_of(explorer).get("from") == ["1995"], timeout=10)
    assert query_of(explorer)["to"] == ["2000"]
    assert explorer.get_logs() == []


def test_clicking_a_bar_picks_its_year_and_the_range_is_shaded(explorer):
    click_at(explorer, *timeline_point(explorer, 1998, down=0.9))
    explorer.wait_for_text_to_equal("#time-range-text", "1998")
    until(
        lambda: explorer.driver.execute_script(
            "const s = document.querySelector('#timeline .js-plotly-plot').layout.shapes;"
            "return s && s.length === 1 && s[0].x0 === 1997.5 && s[0].x1 === 1998.5;"
        ),
        timeout=10,
    )
    assert explorer.get_logs() == []


@pytest.fixture
def month_page(dash_duo, tmp_path):
    dash_duo.driver.set_window_size(1500, 1000)
    folder = write_data(tmp_path / "months", MONTHS)
    dash_duo.start_server(create_app(load_or_raise(folder)))
    dash_duo.wait_for_contains_text("#counts", "claims (of 7)")
    wait_for_map(dash_duo)
    return dash_duo


def test_a_year_of_data_gets_a_slider_in_months(month_page):
    dash_duo = month_page
    dash_duo.wait_for_text_to_equal("#time-range-text", "2014-01 – 2014-11")
    thumbs = dash_duo.driver.find_elements("css selector", "#time-range [role=slider]")
    thumbs[0].click()
    for _ in range(2):
        thumbs[0].send_keys("\ue014")  # arrow right: one month
    dash_duo.wait_for_text_to_equal("#time-range-text", "2014-03 – 2014-11")
    dash_duo.wait_for_contains_text("#counts", "in 2014-03 – 2014-11")
    until(lambda: query_of(dash_duo).get("from") == ["2014-03"], timeout=10)
    assert "to" in query_of(dash_duo) and query_of(dash_duo)["to"] == ["2014-11"]
    assert dash_duo.get_logs() == []


def test_a_month_range_in_the_url_opens_at_months(dash_duo, tmp_path):
    dash_duo.driver.set_window_size(1500, 1000)
    folder = write_data(tmp_path / "months", MONTHS)
    dash_duo.start_server(create_app(load_or_raise(folder)))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?from=2014-03&to=2014-06")
    dash_duo.wait_for_text_to_equal("#time-range-text", "2014-03 – 2014-06")
    dash_duo.wait_for_text_to_equal(
        "#counts", "4 actors · 5 edges · 5 claims (of 7): 4 in 2014-03 – 2014-06 + 1 undated"
    )
    assert dash_duo.get_logs() == []


def test_two_periods_compared_on_the_map_in_a_table_and_their_claims(month_page):
    dash_duo = month_page
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?a=2014-01..2014-04&b=2014-06..2014-10")
    dash_duo.wait_for_contains_text("#compare-results", "changed: 2")
    text = dash_duo.find_element("#compare-results").text
    assert "only in B (2014-06 – 2014-10): 2" in text and "only in A (2014-01 – 2014-04): 2" in text
    assert "A: cooperation (allied with) → B: conflict (fights)" in text
    until(lambda: any(t["role"] == "compare-lines" for t in figure_data(dash_duo)), timeout=10)
    legend = [t["name"] for t in figure_data(dash_duo) if t["role"] == "compare-lines"]
    assert legend == ["only in B: 2", "only in A: 2", "in both: 0", "changed: 2"]
    dash_duo.find_element(".compare-changed .link-button").click()
    dash_duo.wait_for_contains_text("#compare-claims", "Period A: 2014-01 – 2014-04")
    claims = dash_duo.find_element("#compare-claims").text
    assert "Alpha and Beta agreed" in claims or "q1" in claims
    assert "No claim of this edge in 2014-06 – 2014-10." in claims
    assert dash_duo.get_logs() == []


def test_the_browser_draws_the_comparison_as_the_exports_do(explorer, network):
    positions = compute_layout(network, "force")
    comparison = compare_periods(
        network, FilterState(), (parse_bound("1991", 0), parse_bound("2000", 1)),
        (parse_bound("2001", 0), parse_bound("2010", 1)),
    )  # fmt: skip
    overlays = json.loads(json.dumps(compare_overlay(comparison, positions)))
    scene = build_scene(network, positions)
    step = build_step(apply_filters(network, FilterState()), scene)
    wire_scene, wire_step = (
        json.loads(json.dumps(encode(scene))),
        json.loads(json.dumps(encode(step))),
    )
    python = plain(assemble(decode(wire_scene), decode(wire_step), None, overlays))
    browser = json.loads(
        explorer.driver.execute_script(
            """
            const [scene, step, overlays] = arguments;
            const figure = window.dash_clientside.network.assembleFigure(scene, step, null, overlays, false);
            return JSON.stringify(figure, (key, value) =>
                ArrayBuffer.isView(value) ? Array.from(value) : value);
            """,
            wire_scene,
            wire_step,
            overlays,
        )
    )
    assert_same(python, plain(browser))
    roles = [t["meta"]["role"] for t in python["data"]]
    assert roles[-3:] == ["compare-lines", "compare-hits", "compare-actors"]
    assert explorer.get_logs() == []
