"""Nothing on the graph sends data off the machine, and the legend is no back door
around the filters."""

from __future__ import annotations

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from tests.browser.helpers import figure_data

FORBIDDEN = ("share", "cloud", "chart studio", "edit", "download", "snapshot", "png")


def modebar_titles(dash_duo) -> list[str]:
    buttons = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#network .modebar-btn")
    return [(b.get_attribute("data-title") or "").casefold() for b in buttons]


def test_modebar_has_no_button_that_uploads_or_saves_a_bare_picture(explorer):
    # The modebar is drawn on hover; show it, then read every button it has.
    explorer.driver.execute_script(
        "document.querySelector('#network .modebar-container').style.display = 'block';"
    )
    titles = modebar_titles(explorer)
    assert titles, "the modebar should still offer zoom and pan"
    assert "pan" in titles
    assert not [t for t in titles if any(word in t for word in FORBIDDEN)], titles
    links = explorer.driver.find_elements(
        By.CSS_SELECTOR, "#network a[href*='plotly'], #network a[href*='chart-studio']"
    )
    assert links == []
    assert explorer.get_logs() == []


def test_clicking_a_legend_entry_hides_nothing(explorer):
    before = {(t["name"], t["role"]): t["n"] for t in figure_data(explorer)}
    counts = explorer.find_element("#counts").text
    url = explorer.driver.current_url
    entries = explorer.driver.find_elements(By.CSS_SELECTOR, "#network .legend .legendtoggle")
    assert len(entries) > 5
    for entry in entries[:3] + entries[-3:]:
        ActionChains(explorer.driver).move_to_element(entry).click().perform()
        time.sleep(0.3)
    hidden = explorer.driver.execute_script(
        "return document.querySelector('#network .js-plotly-plot')._fullData"
        ".filter(t => t.visible === 'legendonly').map(t => t.name);"
    )
    assert hidden == [], hidden
    assert {(t["name"], t["role"]): t["n"] for t in figure_data(explorer)} == before
    assert explorer.find_element("#counts").text == counts
    assert explorer.driver.current_url == url
    assert explorer.get_logs() == []
