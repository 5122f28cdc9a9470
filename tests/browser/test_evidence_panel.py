"""The evidence panel on hard cases: an edge of 10,000 claims, contested edges that name
their opposing claims, and a narrowed time range that says what undated claims it keeps."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.app import create_app
from tests.browser.helpers import click_edge, figure_data, open_edge_in_pair, set_range_slider
from tests.conftest import HEADER, write_data

CLAIMS_ON_ONE_EDGE = 10_000


@pytest.fixture(scope="module")
def crowded_dataset(tmp_path_factory):
    rows = [
        f"Alpha,Beta,funds,{1990 + i % 30},,Quote number {i:05d} about Alpha and Beta,"
        f"Source {i % 40:02d},asserts,Report {i % 7},,\n"
        for i in range(CLAIMS_ON_ONE_EDGE)
    ]
    rows.append("Beta,Gamma,fights,2001,,A second edge,Source 01,asserts,,,\n")
    folder = write_data(tmp_path_factory.mktemp("crowded") / "data", HEADER + "".join(rows))
    return load_or_raise(folder)


def test_an_edge_of_ten_thousand_claims_opens_a_page_at_a_time(dash_duo, crowded_dataset):
    network = Network.from_dataset(crowded_dataset)
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(crowded_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 10001)")
    dash_duo.wait_for_element("#network .scatterlayer .trace")
    click_edge(dash_duo, network, network.edge_number("Alpha", "Beta", "funds"), along=0.5)
    dash_duo.wait_for_contains_text("#evidence", "claims 1–50 of 10,000 (page 1 of 200)")
    assert len(dash_duo.driver.find_elements("css selector", "#evidence .claim")) == 50
    assert "Quote number 00000" in dash_duo.find_element("#evidence").text

    dash_duo.find_element("#evidence-next").click()
    dash_duo.wait_for_contains_text("#evidence", "claims 51–100 of 10,000 (page 2 of 200)")

    search = dash_duo.find_element("#evidence-search")
    search.send_keys("number 0424", Keys.ENTER)
    dash_duo.wait_for_contains_text("#evidence", 'matching "number 0424"')
    quotes = [q.text for q in dash_duo.driver.find_elements("css selector", "#evidence blockquote")]
    assert sorted(quotes) == [f"Quote number 0424{d} about Alpha and Beta" for d in range(10)]
    assert dash_duo.get_logs() == []


def test_a_contested_edge_is_dashed_and_names_the_claims_that_contest_it(explorer, network):
    edge = network.edge_number("iran", "al-qaeda", "shelters")
    dashed = [t for t in figure_data(explorer) if t["role"] == "edge-lines"]
    assert any(t["dash"] == "dash" for t in dashed)
    click_edge(explorer, network, edge, along=0.3)  # opens the pair: seven relations join them
    explorer.wait_for_contains_text("#evidence", "Iran and al-Qaeda")
    open_edge_in_pair(explorer, "Iran shelters al-Qaeda")
    explorer.wait_for_contains_text("#evidence", "Contested")
    opposing = explorer.driver.find_elements("css selector", "#evidence .opposing li")
    assert any("Iran fights al-Qaeda" in item.text for item in opposing)
    assert any("Iranian mission to the United Nations" in item.text for item in opposing)
    # Each contesting claim opens its own edge.
    button = explorer.driver.find_element("css selector", "#evidence .opposing .link-button")
    button.click()
    explorer.wait_for_contains_text("#evidence", "Iran fights al-Qaeda")
    explorer.wait_for_contains_text("#evidence", "Iran has fought ISIS")
    assert explorer.get_logs() == []


def test_a_narrowed_time_range_counts_undated_claims_apart_and_fades_them(explorer, network):
    set_range_slider(explorer, "time-range", 1991, 1998)
    expected = apply_filters(network, FilterState(years=(1991, 1998)))
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())
    assert explorer.find_element("#counts").text.endswith("16 in 1991–1998 + 45 undated")
    lines = [t for t in figure_data(explorer) if t["role"] == "edge-lines"]
    assert any(t["opacity"] < 1 for t in lines) and any(t["opacity"] == 1 for t in lines)
    assert explorer.get_logs() == []
