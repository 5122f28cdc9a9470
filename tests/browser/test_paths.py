"""Why are A and B connected? Paths picked, read and shared in a real browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from dash.testing.wait import until
from selenium.webdriver.common.by import By

from tests.browser.helpers import choose_in_dropdown, figure_data

TURKEY_QUOTE = "the Turkish-backed Hayat Tahir al-Sham rebel group in Syria’s Idlib"
PIPELINE_2009 = "core facilitation pipeline through Iran since at least 2009"


def overlay(dash_duo) -> dict[str, int]:
    """How many points each path-overlay trace draws now."""
    return {
        t["role"]: t["n"] for t in figure_data(dash_duo) if (t["role"] or "").startswith("path")
    }


def test_picking_two_actors_shows_each_hop_and_its_quotes(explorer):
    choose_in_dropdown(explorer, "path-from", "Turkey", "Turkey")
    choose_in_dropdown(explorer, "path-to", "Iranian regime", "Iran (state)")  # by alias
    explorer.wait_for_contains_text(
        "#path-results", "Path 1: Turkey → Hayat Tahrir al-Sham → al-Qaeda → Iran"
    )
    chosen = explorer.find_element("#path-results details.path.chosen")
    hops = chosen.find_elements(By.CSS_SELECTOR, "details.hop > summary")
    assert [h.text.split(" · ")[0] for h in hops] == [
        "Hop 1: Turkey – Hayat Tahrir al-Sham",
        "Hop 2: Hayat Tahrir al-Sham – al-Qaeda",
        "Hop 3: al-Qaeda – Iran",
    ]
    for hop in hops:
        hop.click()  # each hop opens to its claims
    text = chosen.text
    assert TURKEY_QUOTE in text
    assert PIPELINE_2009 in text
    assert "⚠ contested" in text and "single source" in text
    until(lambda: overlay(explorer).get("path-hop-numbers") == 3, timeout=5)
    assert overlay(explorer)["path-actors"] == 4
    until(lambda: "path=turkey~iran" in explorer.driver.current_url, timeout=5)
    assert explorer.get_logs() == []


def test_another_path_on_the_map_and_in_the_link(explorer):
    explorer.driver.get(explorer.server_url + "?path=turkey~iran&k=3")
    explorer.wait_for_contains_text("#path-results", "Path 3:")
    until(lambda: overlay(explorer).get("path-hop-numbers") == 3, timeout=5)
    second = explorer.find_elements("#path-results details.path")[1]
    second.find_element(By.CSS_SELECTOR, "summary").click()
    second.find_element(By.CSS_SELECTOR, "button").click()
    until(lambda: overlay(explorer).get("path-hop-numbers") == 4, timeout=5)
    until(lambda: "pick=2" in explorer.driver.current_url, timeout=5)
    query = parse_qs(urlsplit(explorer.driver.current_url).query)
    assert query == {"path": ["turkey~iran"], "k": ["3"], "pick": ["2"]}
    explorer.wait_for_contains_text("#path-results details.path.chosen summary", "Path 2:")

    explorer.driver.get(explorer.driver.current_url)  # the link reopens the same path
    explorer.wait_for_contains_text("#path-results details.path.chosen summary", "Path 2:")
    until(lambda: overlay(explorer).get("path-hop-numbers") == 4, timeout=5)
    assert explorer.get_logs() == []


def test_a_filter_that_hides_the_path_is_named(explorer):
    explorer.driver.get(explorer.server_url + "?min_sources=2&path=turkey~iran")
    explorer.wait_for_contains_text("#path-results", "No path of at most 4 hops")
    assert (
        "A 3-hop path exists through edges with fewer than 2 sources."
        in explorer.find_element("#path-results").text
    )
    assert explorer.get_logs() == []
