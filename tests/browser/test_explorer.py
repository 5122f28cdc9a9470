"""The explorer in a real browser: click, filter, focus; and never a console error."""

from __future__ import annotations

from dash.testing.wait import until

from dashboard.query.filters import FilterState, apply_filters
from tests.browser.helpers import (
    choose_in_dropdown,
    click_edge,
    click_node,
    highlighted,
    node_positions,
    open_edge_in_pair,
    set_range_slider,
    shown_actor_ids,
)

PIPELINE_2009 = "core facilitation pipeline through Iran since at least 2009"
UN_QUOTE = "al-Qaeda leaders in Iran have grown more prominent"


def test_page_shows_the_whole_network_without_console_errors(explorer, network):
    assert explorer.find_element("#counts").text == "28 actors · 50 edges · 66 claims (of 66)"
    assert len(shown_actor_ids(explorer, network)) == 28
    assert "Click an edge" in explorer.find_element("#evidence").text
    assert explorer.get_logs() == []


def test_clicking_an_iran_al_qaeda_edge_shows_its_quotes_and_highlights_it(explorer, network):
    edge = network.edge_number("iran", "al-qaeda", "shelters")
    click_edge(explorer, network, edge, along=0.3)  # one of seven: the pair opens
    explorer.wait_for_contains_text("#evidence", UN_QUOTE)
    open_edge_in_pair(explorer, "Iran shelters al-Qaeda")
    evidence = explorer.find_element("#evidence").text
    assert "Iran shelters al-Qaeda" in evidence
    assert PIPELINE_2009 in evidence
    assert "5 claims shown" in evidence
    assert "UN report" in evidence
    drawn = highlighted(explorer)
    assert drawn["selected"] > 0
    assert drawn["selected actors"] == 2
    assert explorer.get_logs() == []


def test_any_point_along_an_edge_selects_it(explorer, network):
    edge = network.edge_number("al-qaeda", "hts", "fights")
    click_edge(explorer, network, edge, along=0.75)
    explorer.wait_for_contains_text("#evidence", "al-Qaeda fights Hayat Tahrir al-Sham")
    assert "Iran-based al-Qaeda leaders" in explorer.find_element("#evidence").text
    assert explorer.get_logs() == []


def test_contested_edge_says_so(explorer, network):
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    click_edge(explorer, network, edge, along=0.4)
    explorer.wait_for_contains_text("#evidence", "Iran and al-Qaeda")
    open_edge_in_pair(explorer, "Iran cooperates with al-Qaeda")
    explorer.wait_for_contains_text("#evidence", "Contested")
    evidence = explorer.find_element("#evidence").text
    assert "Iranian mission to the United Nations" in evidence
    assert "denies" in evidence
    assert explorer.get_logs() == []


def test_narrowing_time_range_to_1991_1998_removes_the_2009_claims(explorer, network):
    edge = network.edge_number("iran", "al-qaeda", "shelters")
    click_edge(explorer, network, edge, along=0.3)
    explorer.wait_for_contains_text("#evidence", PIPELINE_2009)

    set_range_slider(explorer, "time-range", 1991, 1998)

    expected = apply_filters(network, FilterState(years=(1991, 1998)))
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())
    explorer.wait_for_contains_text("#evidence", "hidden by the current filters")
    evidence = explorer.find_element("#evidence").text
    assert PIPELINE_2009 not in evidence
    assert expected.n_claims < 66
    assert explorer.get_logs() == []


def test_picking_one_source_leaves_only_its_claims(explorer, network):
    choose_in_dropdown(explorer, "source-filter", "9/11", "9/11 Commission")
    expected = apply_filters(network, FilterState(sources=frozenset({"9/11 Commission"})))
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())

    state = FilterState(sources=frozenset({"9/11 Commission"}))
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    click_edge(explorer, network, edge, along=0.4, state=state)
    explorer.wait_for_contains_text("#evidence", "In late 1991 or 1992")
    sources = {e.text for e in explorer.driver.find_elements("css selector", "#evidence .source")}
    assert sources == {"9/11 Commission"}
    assert "hidden by the current filters" in explorer.find_element("#evidence").text
    assert explorer.get_logs() == []


def test_focus_on_an_actor_found_by_alias_shows_its_neighbourhood(explorer, network):
    choose_in_dropdown(explorer, "focus-actor", "Hizballah", "Hezbollah")
    expected = apply_filters(network, FilterState(focus="hezbollah", depth=1))
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())
    neighbours = {"hezbollah", "iran", "al-qaeda", "egyptian-islamic-jihad", "imad-mughniyah"}
    assert shown_actor_ids(explorer, network) == neighbours

    explorer.find_element("#focus-depth label:nth-child(2)").click()
    deeper = apply_filters(network, FilterState(focus="hezbollah", depth=2))
    explorer.wait_for_text_to_equal("#counts", deeper.counts_text())
    assert len(shown_actor_ids(explorer, network)) > len(neighbours)

    explorer.find_element("#reset").click()
    explorer.wait_for_text_to_equal("#counts", "28 actors · 50 edges · 66 claims (of 66)")
    assert explorer.get_logs() == []


def test_clicking_a_node_shows_its_card_and_a_relation_opens_its_evidence(explorer, network):
    click_node(explorer, network, "hezbollah")
    explorer.wait_for_contains_text("#evidence", "Also known as: Hizballah; Hizbullah")
    card = explorer.find_element("#evidence").text
    assert "armed group" in card
    assert "trains" in card

    # The card's relation lines (its neighbours, listed first, open pairs).
    lines = "#evidence .relation-list:not(.neighbours) .link-button"
    buttons = explorer.driver.find_elements("css selector", lines)
    egyptian = [b for b in buttons if "Egyptian Islamic Jihad" in b.text]
    egyptian[0].click()
    explorer.wait_for_contains_text("#evidence", "Hezbollah provided explosives training")
    assert "Hezbollah trains Egyptian Islamic Jihad" in explorer.find_element("#evidence h2").text
    assert explorer.get_logs() == []


def test_relayout_visible_moves_only_what_is_shown_and_reset_restores(explorer, network):
    before = node_positions(explorer)
    choose_in_dropdown(explorer, "focus-actor", "Hamas", "Hamas")
    explorer.find_element("#focus-depth label:nth-child(2)").click()
    expected = apply_filters(network, FilterState(focus="hamas", depth=2))
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())
    focused = node_positions(explorer)
    assert all(focused[n] == before[n] for n in focused)  # filtering never moves a node

    explorer.find_element("#relayout-visible").click()
    explorer.wait_for_contains_text("#relayout-status", f"Laid out the {expected.n_actors} visible")
    until(lambda: node_positions(explorer) != focused, timeout=10)
    relaid = node_positions(explorer)
    assert set(relaid) == set(focused)

    explorer.find_element("#reset").click()
    explorer.wait_for_text_to_equal("#counts", "28 actors · 50 edges · 66 claims (of 66)")
    explorer.wait_for_text_to_equal("#relayout-status", "")
    until(lambda: node_positions(explorer) == before, timeout=10)
    assert explorer.get_logs() == []


def test_the_first_page_asks_for_its_step_once(dash_duo, bundled_dataset, monkeypatch):
    """Scene and step are asked for side by side; the step again only when a layout the
    page waited for is ready (at 100k claims a second step held the first view 0.2 s)."""
    import time

    from dashboard.web import callbacks
    from dashboard.web.app import create_app
    from tests.browser.helpers import wait_for_map

    built = []
    real = callbacks.build_step
    monkeypatch.setattr(callbacks, "build_step", lambda *a, **k: built.append(1) or real(*a, **k))
    dash_duo.start_server(create_app(bundled_dataset))
    wait_for_map(dash_duo)
    time.sleep(1.0)  # time for a second request, were one coming
    assert len(built) == 1
    assert dash_duo.get_logs() == []


_HEIGHTS = """
const long = arguments[0];
const heights = () => ['.top', '#network'].map(q => document.querySelector(q).getBoundingClientRect().height);
const before = heights();
if (long) { document.getElementById('counts').textContent = long; }
return [before, heights()];
"""


def test_a_counts_line_of_two_lines_does_not_shrink_the_map(explorer):
    """At 10M claims the counts wrap to two lines after a time-range step: the bar grew,
    the map shrank by 16 px, and Plotly redrew it whole (0.5 s)."""
    long = "309919 actors · 396995 edges · 402605 claims (of 10000000): " * 2
    before, after = explorer.driver.execute_script(_HEIGHTS, long)
    assert after == before
    assert explorer.find_element("#counts").size["height"] > 20  # it did wrap
