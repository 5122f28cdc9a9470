"""Real user actions for browser tests: mouse clicks at screen points, keys, typing."""

from __future__ import annotations

import time

import numpy as np
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.draw.figures import edge_curves
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters

_DATA_TO_SCREEN = """
const gd = document.querySelector('#network .js-plotly-plot');
const svg = gd.querySelector('.main-svg').getBoundingClientRect();
const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
return [svg.left + xa._offset + xa.d2p(arguments[0]), svg.top + ya._offset + ya.d2p(arguments[1])];
"""


_MAP_DRAWN = """
const gd = document.querySelector('#network .js-plotly-plot');
return !!(gd && gd._fullLayout && gd._fullLayout.xaxis && gd._fullData &&
          gd._fullData.some(t => t.meta && t.meta.role === 'actors'));
"""


def wait_for_map(dash_duo, timeout: float = 15) -> None:
    """Until Plotly has drawn the map (the figure is assembled in the browser after the
    counts arrive, so the counts alone do not say the map is there)."""
    until(lambda: dash_duo.driver.execute_script(_MAP_DRAWN), timeout=timeout)


def click_at(dash_duo, x: float, y: float) -> None:
    """Move the mouse to viewport point (x, y) and click, as a user would."""
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(round(x), round(y))
    actions.pointer_action.pause(0.2)
    actions.pointer_action.click()
    actions.perform()


def click_edge(
    dash_duo,
    network: Network,
    edge: int,
    along: float = 0.35,
    state: FilterState | None = None,
    layout: str = "force",
) -> None:
    """Click the drawn curve of ``edge`` at fraction ``along`` of its length."""
    wait_for_map(dash_duo)
    view = apply_filters(network, state or FilterState())
    positions = compute_layout(network, layout)
    x, y, _, _ = edge_curves(view, positions, np.array([edge]), np.array([along]))
    screen = dash_duo.driver.execute_script(_DATA_TO_SCREEN, float(x[0, 0]), float(y[0, 0]))
    click_at(dash_duo, *screen)


def click_node(dash_duo, network: Network, actor_id: str, layout: str = "force") -> None:
    wait_for_map(dash_duo)
    positions = compute_layout(network, layout)
    code = network.actor_code[actor_id]
    screen = dash_duo.driver.execute_script(
        _DATA_TO_SCREEN, float(positions[code, 0]), float(positions[code, 1])
    )
    click_at(dash_duo, *screen)


def set_range_slider(dash_duo, slider_id: str, low: int, high: int) -> None:
    """Move both thumbs with the keyboard, the accessible way a user can."""
    thumbs = dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{slider_id} [role=slider]")
    for thumb, target in ((thumbs[0], low), (thumbs[1], high)):
        current = int(thumb.get_attribute("aria-valuenow"))
        key = Keys.ARROW_RIGHT if target > current else Keys.ARROW_LEFT
        ActionChains(dash_duo.driver).click(thumb).perform()
        for _ in range(abs(target - current)):
            thumb.send_keys(key)
        assert int(thumb.get_attribute("aria-valuenow")) == target


def choose_in_dropdown(dash_duo, dropdown_id: str, search: str, option_text: str) -> None:
    """Open a dropdown, type into its search box, click the option showing ``option_text``."""
    dash_duo.find_element(f"#{dropdown_id}").click()
    box = dash_duo.wait_for_element(".dash-dropdown-search")
    box.send_keys(search)
    time.sleep(0.2)
    options = dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
    matching = [o for o in options if option_text in o.text]
    assert matching, [o.text for o in options]
    matching[0].click()
    # A multi-select stays open; a single select has closed itself already.
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()


def figure_data(dash_duo) -> list[dict]:
    """The traces Plotly is drawing now (name, point count, customdata).

    Read from ``_fullData``: ``data`` may still hold base64-encoded typed arrays.
    """
    return dash_duo.driver.execute_script(
        """
        const gd = document.querySelector('#network .js-plotly-plot');
        return gd._fullData.map(t => ({
            name: t.name,
            role: t.meta && t.meta.role,
            dash: t.line && t.line.dash,
            opacity: t.opacity,
            n: t.x ? Array.from(t.x).filter(v => v !== null && !Number.isNaN(v)).length : 0,
            customdata: t.customdata ? Array.from(t.customdata) : null,
        }));
        """
    )


_HIGHLIGHT = """
const gd = document.querySelector('#network .js-plotly-plot');
const shapes = (gd._fullLayout.shapes || []);
const path = shapes.filter(s => s.type === 'path').map(s => s.path).join('');
return {
    selected: (path.match(/[ML]/g) || []).length,
    'selected actors': shapes.filter(s => s.type === 'circle').length,
    drawn: gd.querySelectorAll('.shapelayer path').length,
};
"""


def highlighted(dash_duo) -> dict:
    """What the selection's highlight draws now: points along the highlighted edges
    (``selected``), rings round actors (``selected actors``), and the shapes Plotly drew."""
    drawn = dash_duo.driver.execute_script(_HIGHLIGHT)
    assert drawn.pop("drawn") == (drawn["selected"] > 0) + drawn["selected actors"]
    return drawn


def shown_actor_ids(dash_duo, network: Network) -> set[str]:
    codes = {
        value
        for trace in figure_data(dash_duo)
        if trace["role"] == "actors"
        for value in (trace["customdata"] or [])
    }
    return {network.actor_ids[int(c)] for c in codes}


def node_positions(dash_duo) -> dict[int, tuple[float, float]]:
    """Where each drawn actor (by code) is, in data coordinates."""
    rows = dash_duo.driver.execute_script(
        """
        const gd = document.querySelector('#network .js-plotly-plot');
        const out = [];
        gd._fullData.forEach(t => {
            if (!t.meta || t.meta.role !== 'actors') return;
            Array.from(t.customdata).forEach((c, i) => out.push([c, t.x[i], t.y[i]]));
        });
        return out;
        """
    )
    return {code: (x, y) for code, x, y in rows}


def open_edge_in_pair(dash_duo, sentence: str) -> None:
    """In the pair view, open one of its relations alone by its group's heading."""
    buttons = dash_duo.driver.find_elements(
        By.CSS_SELECTOR, "#evidence .pair-group h3 .link-button"
    )
    matching = [b for b in buttons if b.text == sentence]
    assert matching, [b.text for b in buttons]
    matching[0].click()
    dash_duo.wait_for_element("#evidence .claim-meta")  # the edge's own panel
    until(lambda: not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#evidence .pair-group"), 5)
