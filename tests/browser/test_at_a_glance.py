"""The map answers at a glance (issue 13): one click on a bundle shows everything between
two actors; a click on empty space clears the selection; the actor-type rule is said and
chosen; a focus frames its neighbourhood."""

from __future__ import annotations

import time

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By

from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.pairs import pair_claims
from dashboard.web.app import create_app
from tests.browser.helpers import (
    choose_in_dropdown,
    click_at,
    click_edge,
    click_node,
    figure_data,
    highlighted,
    node_positions,
    open_edge_in_pair,
)
from tests.conftest import HEADER, write_data

_PLOT_CORNER = """
const gd = document.querySelector('#network .js-plotly-plot');
const svg = gd.querySelector('.main-svg').getBoundingClientRect();
const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
return [svg.left + xa._offset + xa._length - 25, svg.top + ya._offset + ya._length - 25];
"""
_X_RANGE = """
return document.querySelector('#network .js-plotly-plot')._fullLayout.xaxis.range.slice();
"""


def evidence_text(dash_duo) -> str:
    return dash_duo.find_element("#evidence").text


def test_one_click_on_the_iran_al_qaeda_bundle_shows_all_its_claims(explorer, network):
    iran, aq = network.actor_code["iran"], network.actor_code["al-qaeda"]
    click_edge(explorer, network, network.edge_number("iran", "al-qaeda", "trains"), along=0.4)
    explorer.wait_for_contains_text("#evidence", "Iran and al-Qaeda")
    text = evidence_text(explorer)
    assert "7 relations · 20 claims shown (19 assert, 1 denies)" in text
    quotes = network.claims["quote"].to_numpy()[pair_claims(network, iran, aq)]
    for quote in quotes:
        assert " ".join(quote.split())[:60] in " ".join(text.split()), quote
    # Each relation has its group; the denial stands beside the assertions it contests.
    groups = explorer.driver.find_elements(By.CSS_SELECTOR, "#evidence .pair-group")
    assert len(groups) == 7
    side = explorer.driver.find_elements(By.CSS_SELECTOR, "#evidence .side-by-side")
    assert len(side) == 1 and "Iranian mission to the United Nations" in side[0].text
    until(lambda: "pair=iran~al-qaeda" in explorer.driver.current_url, timeout=5)
    until(lambda: highlighted(explorer).get("selected actors") == 2, timeout=5)
    assert explorer.find_element("#pair-a").text.startswith("Iran")
    assert explorer.find_element("#pair-b").text.startswith("al-Qaeda")

    # One relation alone, and back to the whole bundle.
    open_edge_in_pair(explorer, "Iran trains al-Qaeda")
    explorer.wait_for_contains_text("#evidence", "3 claims shown")
    explorer.find_element("#evidence .pair-link").click()
    explorer.wait_for_contains_text("#evidence", "7 relations · 20 claims shown")
    assert explorer.get_logs() == []


def test_two_actors_picked_by_alias_or_a_neighbour_on_a_card_open_the_pair(explorer, network):
    choose_in_dropdown(explorer, "pair-a", "Hizballah", "Hezbollah")
    choose_in_dropdown(explorer, "pair-b", "Iranian regime", "Iran")
    explorer.wait_for_contains_text("#evidence", "Hezbollah and Iran")
    until(lambda: "pair=hezbollah~iran" in explorer.driver.current_url, timeout=5)

    click_node(explorer, network, "quds-force")
    explorer.wait_for_contains_text("#evidence", "Neighbours")
    neighbours = explorer.driver.find_elements(By.CSS_SELECTOR, "#evidence .neighbours button")
    (iran,) = [b for b in neighbours if b.text.startswith("Iran ")]
    iran.click()
    explorer.wait_for_contains_text("#evidence", "Quds Force and Iran")
    assert explorer.get_logs() == []


def test_a_link_reopens_the_pair(explorer, network):
    explorer.driver.get(explorer.server_url + "/?pair=al-qaeda~Iranian+regime&from=1991&to=1998")
    explorer.wait_for_contains_text("#evidence", "al-Qaeda and Iran")
    explorer.wait_for_contains_text("#evidence", "hidden by the current filters")
    assert "In late 1991 or 1992" in evidence_text(explorer)
    until(lambda: explorer.find_element("#pair-a").text.startswith("al-Qaeda"), timeout=5)
    assert explorer.get_logs() == []


def drag_from(dash_duo, x: float, y: float, dx: int, dy: int) -> None:
    """Press at viewport point (x, y), move by (dx, dy) in steps, release: a pan."""
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(round(x), round(y)).pointer_down()
    for step in range(1, 6):
        actions.pointer_action.move_to_location(round(x + dx * step / 5), round(y + dy * step / 5))
    actions.pointer_action.pointer_up()
    actions.perform()


def test_a_click_on_empty_space_clears_the_selection_and_a_drag_does_not(explorer, network):
    edge = network.edge_number("hezbollah", "egyptian-islamic-jihad", "trains")
    click_edge(explorer, network, edge, along=0.5)
    explorer.wait_for_contains_text("#evidence", "Hezbollah trains Egyptian Islamic Jihad")
    until(lambda: "edge=" in explorer.driver.current_url, timeout=5)
    corner = explorer.driver.execute_script(_PLOT_CORNER)

    # Panning the map from empty space is no click: the selection stays.
    whole = explorer.driver.execute_script(_X_RANGE)
    drag_from(explorer, *corner, dx=-120, dy=-80)
    until(lambda: explorer.driver.execute_script(_X_RANGE) != whole, timeout=5)
    time.sleep(0.5)
    assert "Hezbollah trains Egyptian Islamic Jihad" in evidence_text(explorer)

    click_at(explorer, *corner)
    explorer.wait_for_contains_text("#evidence", "Click an edge")
    until(lambda: "edge=" not in explorer.driver.current_url, timeout=5)
    until(lambda: highlighted(explorer).get("selected", 0) == 0, timeout=5)
    assert explorer.get_logs() == []


def test_the_actor_type_filter_says_its_rule_and_offers_both(explorer, network):
    choose_in_dropdown(explorer, "actor-type-filter", "state", "state")
    both = apply_filters(network, FilterState(actor_types=frozenset({"state"})))
    explorer.wait_for_text_to_equal("#counts", both.counts_text())
    assert (
        "Both ends: a claim shows when both its actors"
        in explorer.find_element("#actor-type-filter").find_element(By.XPATH, "../..").text
    )

    explorer.find_element("#actor-type-match label:nth-child(2)").click()  # either end
    either = apply_filters(
        network, FilterState(actor_types=frozenset({"state"}), type_match="either")
    )
    explorer.wait_for_text_to_equal("#counts", either.counts_text())
    assert either.n_claims > both.n_claims
    until(lambda: "type_match=either" in explorer.driver.current_url, timeout=5)
    explorer.find_element("#actor-type-filter").click()
    until(
        lambda: any(
            o.text == f"state ({either.n_claims})"
            for o in explorer.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
        ),
        timeout=5,
    )
    assert explorer.get_logs() == []


def test_a_focus_rings_its_actor_and_zooms_to_its_neighbourhood(explorer, network):
    before, whole = node_positions(explorer), explorer.driver.execute_script(_X_RANGE)
    choose_in_dropdown(explorer, "focus-actor", "Hamas", "Hamas")
    expected = apply_filters(network, FilterState(focus="hamas"))
    explorer.wait_for_text_to_equal("#counts", expected.counts_text())
    until(lambda: explorer.driver.execute_script(_X_RANGE) != whole, timeout=5)
    zoomed = explorer.driver.execute_script(_X_RANGE)
    assert zoomed[1] - zoomed[0] < (whole[1] - whole[0]) * 0.8
    ring = [t for t in figure_data(explorer) if t["role"] == "focus-ring"]
    assert [t["n"] for t in ring] == [1]
    focused = node_positions(explorer)
    assert all(focused[c] == before[c] for c in focused)  # zoomed, not moved

    explorer.find_element("#reset").click()
    until(lambda: explorer.driver.execute_script(_X_RANGE) == whole, timeout=5)
    assert explorer.get_logs() == []


PAIR_RELATIONS = 30
CLAIMS_PER_RELATION = 200


@pytest.fixture(scope="module")
def crowded_pair(tmp_path_factory):
    rows = [
        f"Alpha,Beta,relation {r:02d},{1990 + i % 30},,Quote {r:02d}-{i:03d},"
        f"Source {i % 9},{'denies' if i % 10 == 0 else 'asserts'},,,\n"
        for r in range(PAIR_RELATIONS)
        for i in range(CLAIMS_PER_RELATION)
    ]
    folder = write_data(tmp_path_factory.mktemp("pair") / "data", HEADER + "".join(rows))
    return load_or_raise(folder)


def test_six_thousand_claims_between_two_actors_open_a_page_at_a_time(dash_duo, crowded_pair):
    network = Network.from_dataset(crowded_pair)
    total = PAIR_RELATIONS * CLAIMS_PER_RELATION
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(crowded_pair))
    dash_duo.wait_for_contains_text("#counts", f"claims (of {total})")
    click_edge(dash_duo, network, network.edge_number("Alpha", "Beta", "relation 07"), along=0.5)
    dash_duo.wait_for_contains_text("#evidence", "Alpha and Beta")
    text = evidence_text(dash_duo)
    assert f"30 relations · {total:,} claims shown (5,400 assert, 600 deny)" in text
    assert "Relations 1–10 of 30 (page 1 of 3)" in text
    assert len(dash_duo.driver.find_elements(By.CSS_SELECTOR, "#evidence .claim")) == 10 * 20
    assert "170 more: open the relation above" in text  # 180 assert, 20 deny: 10 of each shown
    dash_duo.find_element("#evidence-next").click()
    dash_duo.wait_for_contains_text("#evidence", "Relations 11–20 of 30 (page 2 of 3)")
    assert dash_duo.get_logs() == []
