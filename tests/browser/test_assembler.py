"""The browser draws what the server would: assets/network.js against draw/assemble.py,
and nodes that keep their place on screen while filtering."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from dash.testing.wait import until

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.draw.assemble import assemble
from dashboard.draw.scene import build_scene, build_step, decode, encode
from dashboard.draw.typed_arrays import untyped
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.view_state import Selection
from dashboard.web.controls import selection_value
from tests.browser.helpers import choose_in_dropdown

_ASSEMBLE_IN_BROWSER = """
const [scene, step, selection, narrow] = arguments;
const figure = window.dash_clientside.network.assembleFigure(scene, step, selection, null, narrow);
return JSON.stringify(figure, (key, value) =>
    ArrayBuffer.isView(value) ? Array.from(value) : value);
"""


def plain(value):
    """A figure value as plain numbers and strings, NaN as None, for comparison."""
    if isinstance(value, dict) and "bdata" in value:
        return [None if math.isnan(v) else float(v) for v in untyped(value)]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.integer | np.floating):
        return value.item()
    return value


def assert_same(python, browser, path="figure"):
    if isinstance(python, dict):
        assert isinstance(browser, dict), path
        assert set(python) == set(browser), (path, set(python) ^ set(browser))
        for key in python:
            assert_same(python[key], browser[key], f"{path}.{key}")
    elif isinstance(python, list):
        assert isinstance(browser, list) and len(python) == len(browser), path
        for i, (a, b) in enumerate(zip(python, browser, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(python, float) and isinstance(browser, int | float):
        # The server sends float32 coordinates; the browser computes in float64.
        assert browser == pytest.approx(python, rel=1e-5, abs=1e-6), path
    else:
        assert python == browser, path


def compare(explorer, network, positions, state, selection=None, narrow=False):
    scene = build_scene(network, positions)
    step = build_step(apply_filters(network, state), scene)
    wire_scene, wire_step = (
        json.loads(json.dumps(encode(scene))),
        json.loads(json.dumps(encode(step))),
    )
    python = plain(assemble(decode(wire_scene), decode(wire_step), selection, narrow=narrow))
    selected = selection_value(selection)
    browser = json.loads(
        explorer.driver.execute_script(
            _ASSEMBLE_IN_BROWSER, wire_scene, wire_step, selected, narrow
        )
    )
    assert_same(python, browser)
    return python


@pytest.mark.parametrize(
    ("state", "selection"),
    [
        (FilterState(), None),
        (FilterState(years=(1991, 1998)), None),
        (FilterState(stances=frozenset({"denies"})), None),
        (FilterState(focus="hamas"), ("node", "hamas")),
        (FilterState(), ("edge", ("iran", "al-qaeda", "shelters"))),
        (FilterState(years=(1991, 1998)), ("pair", ("al-qaeda", "iran"))),
        (FilterState(focus="irgc", depth=2), ("pair", ("iran", "iran"))),
    ],
    ids=[
        "everything",
        "1990s, undated faded",
        "denials",
        "focus, actor selected",
        "edge selected",
        "pair selected",
        "focus, an actor and itself",
    ],
)
@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_the_browser_assembles_the_figure_the_server_would(
    explorer, network, state, selection, narrow
):
    positions = compute_layout(network, "force")
    picked = None
    if selection and selection[0] == "node":
        picked = Selection("node", network.actor_code[selection[1]])
    elif selection and selection[0] == "pair":
        picked = Selection("pair", *(network.actor_code[a] for a in selection[1]))
    elif selection:
        picked = Selection("edge", network.edge_number(*selection[1]))
    compare(explorer, network, positions, state, picked, narrow)
    assert explorer.get_logs() == []


_ASSEMBLE_ON_OVERLAYS = """
const [scene, step, overlays, drawnWithPath] = arguments;
const gd = document.querySelector('#network .js-plotly-plot');
const saved = gd.data;
if (drawnWithPath) { gd.data = saved.concat([{meta: {role: 'path-lines'}}]); }
const clientside = window.dash_clientside;
clientside.callback_context = {triggered: [{prop_id: 'overlays.data', value: overlays}]};
try {
    const out = clientside.network.assemble(scene, step, overlays, null);
    return out.map(part => part === clientside.no_update ? 'no update' : 'drawn');
} finally {
    gd.data = saved;
    clientside.callback_context = {};
}
"""


@pytest.mark.parametrize(
    ("overlays", "drawn_with_path", "expected"),
    [
        (None, False, ["no update", "no update"]),  # nothing drawn, nothing to draw
        (None, True, ["drawn", "drawn"]),  # a path to take off the map
        ({"traces": [], "fade": 0.3}, False, ["drawn", "drawn"]),  # something to draw
    ],
    ids=["none again", "path taken off", "overlay drawn"],
)
def test_an_overlays_store_written_with_nothing_again_redraws_nothing(
    explorer, network, overlays, drawn_with_path, expected
):
    positions = compute_layout(network, "force")
    scene = json.loads(json.dumps(encode(build_scene(network, positions))))
    scene.update(key="k", revision="k")
    step = encode(build_step(apply_filters(network, FilterState()), decode(scene)))
    step = json.loads(json.dumps({**step, "sceneKey": "k"}))
    found = explorer.driver.execute_script(
        _ASSEMBLE_ON_OVERLAYS, scene, step, overlays, drawn_with_path
    )
    assert found == expected
    assert explorer.get_logs() == []


def test_bulk_views_and_self_loops_assemble_alike(explorer, tmp_path):
    folder = generate(10_000, tmp_path / "synthetic")
    with (folder / "relations.csv").open("a", encoding="utf-8") as out:
        out.write("Actor 000001,Actor 000001,praises,2001,,itself,Src,asserts,,,\n")
    network = Network.from_dataset(load_or_raise(folder))
    positions = compute_layout(network, "force")
    figure = compare(explorer, network, positions, FilterState())
    assert {t["type"] for t in figure["data"] if t["meta"]["role"] == "edge-lines"} == {"scattergl"}
    compare(explorer, network, positions, FilterState(years=(2000, 2003)))
    # Detailed edges (1,216) but a thousand actors: WebGL markers, names in their own trace.
    middle = compare(explorer, network, positions, FilterState(years=(1990, 1990)))
    by_role = {}
    for trace in middle["data"]:
        by_role.setdefault(trace["meta"]["role"], []).append(trace)
    assert {t["type"] for t in by_role["edge-lines"]} == {"scatter"}
    assert {t["type"] for t in by_role["actors"] + by_role["edge-hits"]} == {"scattergl"}
    assert [t["type"] for t in by_role["actor-labels"]] == ["scatter"]
    assert explorer.get_logs() == []


_NODE_ON_SCREEN = """
const gd = document.querySelector('#network .js-plotly-plot');
const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
const svg = gd.querySelector('.main-svg').getBoundingClientRect();
const out = {};
gd._fullData.forEach(t => {
    if (!t.meta || t.meta.role !== 'actors') return;
    Array.from(t.customdata).forEach((code, i) => {
        out[code] = [svg.left + xa._offset + xa.d2p(t.x[i]), svg.top + ya._offset + ya.d2p(t.y[i])];
    });
});
return out;
"""


def settled_positions(explorer) -> dict:
    """Actors' places on screen once the page has finished laying itself out (the strip
    under the map loads its parts after the map is first drawn)."""
    seen = [explorer.driver.execute_script(_NODE_ON_SCREEN)]

    def steady() -> bool:
        time.sleep(0.3)
        seen.append(explorer.driver.execute_script(_NODE_ON_SCREEN))
        return seen[-1] == seen[-2]

    until(steady, timeout=10)
    return seen[-1]


def test_actors_keep_their_place_on_screen_while_filtering(explorer, network):
    before = settled_positions(explorer)
    choose_in_dropdown(explorer, "source-filter", "9/11", "9/11 Commission")
    explorer.wait_for_text_to_equal("#counts", "5 actors · 5 edges · 5 claims (of 66)")
    until(lambda: len(explorer.driver.execute_script(_NODE_ON_SCREEN)) == 5, timeout=5)
    after = explorer.driver.execute_script(_NODE_ON_SCREEN)
    for code, (x, y) in after.items():
        assert abs(x - before[code][0]) <= 1 and abs(y - before[code][1]) <= 1, code
    assert explorer.get_logs() == []
