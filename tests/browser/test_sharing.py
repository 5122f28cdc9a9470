"""The view in the URL, and exports, in a real browser."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from dash.testing.wait import until

from dashboard.query.filters import FilterState, apply_filters
from tests.browser.helpers import choose_in_dropdown, click_edge, open_edge_in_pair

STATE = "?from=1991&to=1998&source=9%2F11+Commission"


def slider_values(dash_duo) -> list[int]:
    thumbs = dash_duo.driver.find_elements("css selector", "#time-range [role=slider]")
    return [int(t.get_attribute("aria-valuenow")) for t in thumbs]


def test_a_crafted_url_opens_the_filtered_view(explorer, network):
    explorer.driver.get(explorer.server_url + STATE)
    expected = apply_filters(
        network, FilterState(years=(1991, 1998), sources=frozenset({"9/11 Commission"}))
    )
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())
    assert slider_values(explorer) == [1991, 1998]
    assert explorer.find_element("#time-range-text").text == "1991–1998"
    assert "9/11 Commission" in explorer.find_element("#source-filter").text
    assert urlsplit(explorer.driver.current_url).query == STATE[1:]
    assert explorer.find_element("#url-notice").text == ""
    assert explorer.get_logs() == []


def test_the_url_follows_the_user_and_reopens_the_same_view(explorer, network):
    choose_in_dropdown(explorer, "focus-actor", "Hezbollah", "Hezbollah")
    until(lambda: "focus=hezbollah" in explorer.driver.current_url, timeout=5)
    edge = network.edge_number("hezbollah", "al-qaeda", "trains")
    click_edge(explorer, network, edge, along=0.5, state=FilterState(focus="hezbollah"))
    explorer.wait_for_contains_text("#evidence", "Hezbollah and al-Qaeda")  # several relations
    until(lambda: "pair=hezbollah~al-qaeda" in explorer.driver.current_url, timeout=5)
    open_edge_in_pair(explorer, "Hezbollah trains al-Qaeda")
    until(lambda: "edge=hezbollah~trains~al-qaeda" in explorer.driver.current_url, timeout=5)
    link = explorer.driver.current_url
    counts = explorer.find_element("#counts").text

    explorer.driver.get(explorer.server_url)  # elsewhere, then back through the link
    explorer.wait_for_text_to_equal("#counts", "28 actors · 50 edges · 66 claims (of 66)")
    explorer.driver.get(link)
    explorer.wait_for_text_to_equal("#counts", counts)
    explorer.wait_for_contains_text("#evidence", "Hezbollah provided explosives training")
    assert explorer.get_logs() == []


def test_a_malformed_url_is_ignored_with_a_visible_notice(explorer):
    explorer.driver.get(explorer.server_url + "?from=abc&colour=red&focus=Nobody&edge=%3Cscript%3E")
    explorer.wait_for_contains_text("#url-notice", "Parts of the address were ignored")
    notice = explorer.find_element("#url-notice").text
    for part in (
        '"from=abc" is not a year',
        'unknown parameter "colour"',
        'no actor "Nobody"',
        'no edge "<script>"',
    ):
        assert part in notice
    explorer.wait_for_text_to_equal("#counts", "28 actors · 50 edges · 66 claims (of 66)")
    assert explorer.get_logs() == []


def wait_for_download(folder: str, suffix: str, timeout: float = 30) -> Path:
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = [p for p in Path(folder).iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file downloaded to {folder}: {list(Path(folder).iterdir())}")


def test_exports_download_the_current_view(explorer, network):
    explorer.driver.get(explorer.server_url + STATE)
    expected = apply_filters(
        network, FilterState(years=(1991, 1998), sources=frozenset({"9/11 Commission"}))
    )
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())

    explorer.find_element("#export-menu summary").click()  # the menu at the top
    explorer.find_element("#export-csv").click()
    csv_file = wait_for_download(explorer.download_path, ".csv")
    rows = csv_file.read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == 1 + expected.n_claims

    explorer.find_element("#export-format label:nth-child(2)").click()  # SVG
    title = explorer.find_element("#export-title")
    title.clear()
    title.send_keys("Talks in Sudan\n")
    explorer.find_element("#export-figure").click()
    svg = wait_for_download(explorer.download_path, ".svg", timeout=60)
    assert svg.name == "talks-in-sudan_1991-1998_9-11-commission.svg"
    text = svg.read_text(encoding="utf-8")
    assert "Talks in Sudan" in text and "Sources: 9/11 Commission" in text
    explorer.wait_for_contains_text("#export-status", "Exported talks-in-sudan")
    assert explorer.get_logs() == []
