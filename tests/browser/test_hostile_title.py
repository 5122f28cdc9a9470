"""A hostile data set title (dashboard.toml's `title`) is shown as text and never runs."""

from __future__ import annotations

import json

from dashboard.data import load_or_raise
from dashboard.web.app import create_app
from tests.conftest import BUNDLED, write_data
from tests.hostile_strings import TITLES


def test_hostile_titles_are_text(dash_duo, tmp_path):
    # All payloads in one title: one page load checks them all.
    title = " | ".join(TITLES)
    folder = write_data(
        tmp_path / "data",
        (BUNDLED / "relations.csv").read_text(encoding="utf-8"),
        (BUNDLED / "actors.csv").read_text(encoding="utf-8"),
        {"dashboard.toml": f"title = {json.dumps(title)}\n"},
    )
    dash_duo.driver.set_window_size(1500, 1000)  # narrow windows hide the title (CSS)
    dash_duo.start_server(create_app(load_or_raise(folder)))
    dash_duo.wait_for_contains_text("#counts", "claims (of 66)")
    dash_duo.wait_for_element("#network .scatterlayer .trace")

    assert dash_duo.driver.title == f"{title} · Actor Network Dashboard"
    assert dash_duo.find_element(".top .dataset").text == title
    assert dash_duo.find_element("#export-title").get_attribute("value") == title[:200]
    assert dash_duo.driver.execute_script("return window.__xss") is None
    assert dash_duo.find_elements("head img, head svg, iframe, body > img") == []
    assert dash_duo.get_logs() == []
