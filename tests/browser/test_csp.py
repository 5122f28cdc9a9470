"""The page works under its Content-Security-Policy: drawn, clickable, filterable, with
no policy violation and a clean console, for a small (SVG) and a large (WebGL) view."""

from __future__ import annotations

import pytest

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.app import create_app
from tests.browser.helpers import click_at, click_edge, set_range_slider

# Installed before any page script runs, so every violation from the first byte is kept.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def record_violations(dash_duo) -> None:
    dash_duo.driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS}
    )


def violations(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script("return window.__cspViolations")


def test_the_page_works_under_the_policy(dash_duo, bundled_dataset, network):
    record_violations(dash_duo)
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(bundled_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 66)")
    dash_duo.wait_for_element("#network .scatterlayer .trace")
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    click_edge(dash_duo, network, edge)
    dash_duo.wait_for_contains_text("#evidence", "cooperates with")
    set_range_slider(dash_duo, "time-range", 1991, 1998)
    dash_duo.wait_for_contains_text("#time-range-text", "1991–1998")  # a clientside callback
    expected = apply_filters(network, FilterState(years=(1991, 1998)))
    dash_duo.wait_for_text_to_equal("#counts", expected.counts_text())
    assert violations(dash_duo) == []
    assert dash_duo.get_logs() == []


@pytest.fixture(scope="module")
def webgl_dataset(tmp_path_factory):
    return load_or_raise(generate(10_000, tmp_path_factory.mktemp("webgl") / "data"))


def test_a_webgl_view_works_under_the_policy(dash_duo, webgl_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    record_violations(dash_duo)
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(webgl_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 10000)")
    dash_duo.wait_for_element("#network .gl-container canvas")
    # Click the edge hit marker that stands clearest of the others, where Plotly drew it.
    point = dash_duo.driver.execute_script(
        """
        const gd = document.querySelector('#network .js-plotly-plot');
        const t = gd._fullData.find(t => t.meta && t.meta.role === 'edge-hits');
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const svg = gd.querySelector('.main-svg').getBoundingClientRect();
        const pts = Array.from(t.x, (x, i) => [xa.d2p(x), ya.d2p(t.y[i]), t.customdata[i]]);
        let best = null, room = -1;
        for (const p of pts) {
            let nearest = Infinity;
            for (const q of pts) if (q !== p) nearest = Math.min(nearest, Math.hypot(p[0]-q[0], p[1]-q[1]));
            if (nearest > room) { room = nearest; best = p; }
        }
        return [svg.left + xa._offset + best[0], svg.top + ya._offset + best[1], best[2]];
        """
    )
    click_at(dash_duo, point[0], point[1])
    network = Network.from_dataset(webgl_dataset)
    edge = int(point[2])  # an edge-hits marker's customdata is its edge number
    a, b, relation = network.edge_key(edge)
    names = network.actor_names[[network.actor_code[a], network.actor_code[b]]]
    dash_duo.wait_for_contains_text("#evidence", f"{names[0]} {relation} {names[1]}", timeout=10)
    assert violations(dash_duo) == []
    assert dash_duo.get_logs() == []
