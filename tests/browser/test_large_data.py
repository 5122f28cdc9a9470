"""A large network in the browser: WebGL drawing, clicks, server-side actor search."""

from __future__ import annotations

import time

import numpy as np
import pytest

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.draw.figures import edge_curves
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.app import create_app
from tests.browser.helpers import choose_in_dropdown, click_at


@pytest.fixture(scope="module")
def large_dataset(tmp_path_factory):
    return load_or_raise(generate(10_000, tmp_path_factory.mktemp("large") / "data"))


@pytest.fixture
def large(dash_duo, large_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(large_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 10000)")
    dash_duo.wait_for_element("#network .gl-container canvas")
    return dash_duo


def test_large_network_draws_with_webgl_without_console_errors(large, large_dataset):
    network = Network.from_dataset(large_dataset)
    assert large.find_element("#counts").text == apply_filters(network, FilterState()).counts_text()
    assert large.get_logs() == []


def test_an_edge_in_a_large_network_is_clickable(large, large_dataset):
    network = Network.from_dataset(large_dataset)
    view = apply_filters(network, FilterState())
    positions = compute_layout(network, "force")
    drawn = np.flatnonzero(view.edge_mask)
    mx, my, _, _ = edge_curves(view, positions, drawn, np.array([0.5]))
    middles = np.column_stack([mx[:, 0], my[:, 0]])
    # In a hairball, pick the edge whose middle stands clearest of all the others.
    nearest = [np.sort(np.hypot(*(middles - m).T))[1] for m in middles]
    edge = int(drawn[int(np.argmax(nearest))])
    a, b = network.edges["from"].iat[edge], network.edges["to"].iat[edge]
    x, y, _, _ = edge_curves(view, positions, np.array([edge]), np.array([0.5]))
    screen = large.driver.execute_script(
        """
        const gd = document.querySelector('#network .js-plotly-plot');
        const svg = gd.querySelector('.main-svg').getBoundingClientRect();
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        return [svg.left + xa._offset + xa.d2p(arguments[0]), svg.top + ya._offset + ya.d2p(arguments[1])];
        """,
        float(x[0, 0]),
        float(y[0, 0]),
    )
    click_at(large, *screen)
    relation = network.edges["relation"].iat[edge]
    large.wait_for_contains_text(
        "#evidence", f"{network.actor_names[a]} {relation} {network.actor_names[b]}", timeout=10
    )
    assert large.get_logs() == []


def test_focus_searches_actors_on_the_server(large, large_dataset):
    network = Network.from_dataset(large_dataset)
    choose_in_dropdown(large, "focus-actor", "Group 14", "Actor 000014")
    expected = apply_filters(network, FilterState(focus="a14"))
    large.wait_for_text_to_equal("#counts", expected.counts_text())
    assert large.get_logs() == []


def test_a_slow_first_layout_shows_progress_then_the_network(
    dash_duo, large_dataset, tmp_path, monkeypatch
):
    import threading

    import dashboard.positions.cache as layout_cache

    real = layout_cache.compute_layout
    release = threading.Event()

    def slow(*args, **kwargs):
        release.wait(60)  # until the test has seen the progress message
        return real(*args, **kwargs)

    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(layout_cache, "compute_layout", slow)
    monkeypatch.setattr(layout_cache, "estimated_seconds", lambda network, name: 4.0)
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(large_dataset))
    try:
        dash_duo.wait_for_contains_text("#network", "Laying out 2,000 actors", timeout=30)
    finally:
        release.set()
    dash_duo.wait_for_element("#network .gl-container canvas", timeout=30)
    assert "Laying out" not in dash_duo.find_element("#network").text
    assert dash_duo.get_logs() == []


def test_a_focus_link_works_when_actors_are_searched_on_the_server(
    dash_duo, large_dataset, tmp_path, monkeypatch
):
    network = Network.from_dataset(large_dataset)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(large_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 10000)")
    dash_duo.driver.get(dash_duo.server_url + "/?focus=a14&depth=2")
    expected = apply_filters(network, FilterState(focus="a14", depth=2))
    dash_duo.wait_for_text_to_equal("#counts", expected.counts_text(), timeout=15)
    assert "Actor 000014" in dash_duo.find_element("#focus-actor").text
    assert "focus=a14" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_a_pair_stays_open_when_actors_are_searched_on_the_server(large, large_dataset):
    """Above 1,000 actors the pair's lists start empty and are searched on the server: a
    link (or a click) that sets them must not lose the pair when the lists fill."""
    network = Network.from_dataset(large_dataset)
    edge = int(np.argmax(network.edge_claim_totals))
    a, b = network.edges["from"].iat[edge], network.edges["to"].iat[edge]
    ids_ = network.actor_ids
    large.driver.get(large.server_url + f"/?pair={ids_[a]}~{ids_[b]}")
    large.wait_for_element("#evidence .pair-group", timeout=15)
    time.sleep(2)  # the lists' searches have answered
    assert large.find_elements("#evidence .pair-group")
    assert network.actor_names[a] in large.find_element("#pair-a").text
    assert network.actor_names[b] in large.find_element("#pair-b").text
    assert f"pair={ids_[a]}~{ids_[b]}" in large.driver.current_url
    assert large.get_logs() == []


def test_webgl_draws_at_the_screens_resolution(large):
    """Plotly's default is twice the screen's: four times the pixels to paint."""
    canvases = large.driver.execute_script(
        """
        return [window.devicePixelRatio, ...Array.from(
            document.querySelectorAll('#network canvas.gl-canvas'),
            c => [c.width, c.getBoundingClientRect().width])];
        """
    )
    ratio, *sizes = canvases
    assert sizes
    for width, css_width in sizes:
        assert width == pytest.approx(css_width * ratio, abs=2)
    assert large.get_logs() == []


def test_the_page_draws_with_its_own_plotly(large):
    """Plotly with the three trace types the page draws (tools/plotly-bundle), not the
    full bundle dcc.Graph would load (4.8 MB, 0.66 s to evaluate)."""
    traces, loaded = large.driver.execute_script(
        """
        return [Object.keys(Plotly.PlotSchema.get().traces).sort(),
                performance.getEntriesByType('resource').map(e => e.name)
                    .filter(name => name.includes('plotly'))];
        """
    )
    assert traces == ["bar", "scatter", "scattergl"]
    assert len(loaded) == 1 and "/dashboard/web/vendor/plotly-map" in loaded[0]
    assert large.get_logs() == []
