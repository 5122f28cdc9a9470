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
            f"**not bold** {SCRIPT} {IMAGE} {LINK}",
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
    # The counts come with the figure, but Plotly draws it later (its script loads first).
    dash_duo.wait_for_element("#network .scatterlayer .trace")

    click_edge(dash_duo, network, 0, along=0.5)
    dash_duo.wait_for_contains_text("#evidence", "not bold")
    evidence = dash_duo.find_element("#evidence").text
    for payload in (SCRIPT, IMAGE, LINK, "**not bold**"):
        assert payload in evidence
    assert_shown_as_text(dash_duo, SCRIPT, IMAGE, LINK, "**not bold**")
    link = dash_duo.find_element("#evidence a")
    assert link.get_attribute("href") == "https://example.org/r"
    assert link.text == SCRIPT  # the document's title, as text

    click_node(dash_duo, network, "evil")
    dash_duo.wait_for_contains_text("#evidence", "Also known as")
    card = dash_duo.find_element("#evidence").text
    assert IMAGE in card and SCRIPT in card and LINK in card

    assert_shown_as_text(dash_duo, SCRIPT, IMAGE, LINK)
    assert dash_duo.driver.execute_script("return window.__xss") is None
    assert dash_duo.get_logs() == []


def assert_shown_as_text(dash_duo, *payloads: str) -> None:
    """Each payload's characters are in the evidence panel's text nodes, and no element
    it spells out exists, there or anywhere in the page."""
    text, tags, bold = dash_duo.driver.execute_script(_TEXT_NODES_AND_TAGS, "#evidence")
    for payload in payloads:
        assert payload in text
    assert not {"SCRIPT", "IMG", "IFRAME", "U"} & set(tags)
    assert "not bold" not in bold  # markdown left as it is
    assert dash_duo.driver.execute_script(_FROM_PAYLOADS) == 0


# Under a selector: the text of every text node (joined), the tag of every element, and
# the text of its bold elements.
_TEXT_NODES_AND_TAGS = """
const root = document.querySelector(arguments[0]);
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const parts = [];
while (walker.nextNode()) parts.push(walker.currentNode.data);
const bold = [...root.querySelectorAll("strong, b")].map((e) => e.textContent).join(" ");
return [parts.join(""), [...root.querySelectorAll("*")].map((e) => e.tagName), bold];
"""
# Elements anywhere in the page that could only have come from the payloads (the page
# has inline scripts of its own: Dash's clientside callbacks).
_FROM_PAYLOADS = """
return document.querySelectorAll("[onerror], img[src=x], a[href^='javascript']").length;
"""
