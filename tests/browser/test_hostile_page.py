"""Markup in the data is shown as text in the real page, and never runs."""

from __future__ import annotations

import csv
import io

from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.web.app import create_app
from tests.browser.helpers import click_edge, click_node
from tests.conftest import write_data

SCRIPT = "<script>window.__xss = 'script'</script>"
IMAGE = "<img src=x onerror=\"window.__xss = 'img'\">"
LINK = "<a href=\"javascript:window.__xss='link'\">read more</a>"


def table(*rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_xss_payloads_are_rendered_as_text(dash_duo, tmp_path):
    relations = table(
        ["from", "to", "relation", "quote", "source", "document", "url"],
        [
            "evil",
            "Iran",
            "funds",
            f"{SCRIPT} {IMAGE} {LINK} **not bold**",
            IMAGE,
            SCRIPT,
            "https://example.org/r",
        ],
    )
    actors = table(
        ["id", "name", "type", "aliases", "description"],
        ["evil", IMAGE, "armed group", SCRIPT, LINK],
        ["iran", "Iran", "state", "", ""],
    )
    dataset = load_or_raise(write_data(tmp_path / "data", relations, actors))
    network = Network.from_dataset(dataset)
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(dataset))
    dash_duo.wait_for_contains_text("#counts", "1 claim (of 1)")

    click_edge(dash_duo, network, 0, along=0.5)
    dash_duo.wait_for_contains_text("#evidence", "not bold")
    evidence = dash_duo.find_element("#evidence").text
    for payload in (SCRIPT, IMAGE, LINK, "**not bold**"):
        assert payload in evidence
    link = dash_duo.find_element("#evidence a")
    assert link.get_attribute("href") == "https://example.org/r"
    assert link.text == SCRIPT  # the document's title, as text

    click_node(dash_duo, network, "evil")
    dash_duo.wait_for_contains_text("#evidence", "Also known as")
    card = dash_duo.find_element("#evidence").text
    assert IMAGE in card and SCRIPT in card and LINK in card

    assert dash_duo.driver.execute_script("return window.__xss") is None
    assert (
        dash_duo.find_elements("#evidence script, #evidence img, #evidence a[href^=javascript]")
        == []
    )
    assert dash_duo.get_logs() == []
