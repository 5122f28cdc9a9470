"""Playback in the browser: each frame drawn from the pack (assets/playback.js) is the step
the server would send for that frame's period; playing moves time, not actors; pausing
leaves the view, the time slider and the URL at the frame."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from dash.testing.wait import until

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.draw import style
from dashboard.draw.playback import playback_pack
from dashboard.draw.scene import build_scene, build_step, decode, encode, focus_camera
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query import periods
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.timeline import Playback, frame_filters, frames
from tests.browser.helpers import figure_data, node_positions
from tests.conftest import HEADER, write_data

_FRAME_IN_BROWSER = """
const [pack, scene, frame, camera] = arguments;
scene.key = "k";
return JSON.stringify(window.dash_clientside.playback.frameStep(pack, scene, frame, camera));
"""


def plain(value):
    """A step as plain numbers and strings (typed arrays decoded)."""
    if isinstance(value, np.ndarray):
        return [float(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return float(value)


def compare_frames(explorer, network, filters, playback, size_by="claims", which=None):
    positions = compute_layout(network, "force")
    wire_scene = json.loads(json.dumps(encode(build_scene(network, positions))))
    scene = decode(wire_scene)
    pack = json.loads(json.dumps(playback_pack(network, filters, playback, size_by)))
    assert "fallback" not in pack
    # Frames keep the camera of the view the playback started from.
    camera = focus_camera(apply_filters(network, filters), positions)
    found = frames(periods.time_scale(network), playback)
    checked = 0
    for k in which if which is not None else range(len(found)):
        view = apply_filters(network, frame_filters(network, filters, found[k]))
        step = build_step(
            view, scene, size_by, camera=camera, detail_edge_limit=style.FRAME_DETAIL_EDGE_LIMIT
        )
        python = plain(decode(json.loads(json.dumps(encode(step)))))
        browser = json.loads(
            explorer.driver.execute_script(_FRAME_IN_BROWSER, pack, wire_scene, k, camera)
        )
        assert browser.pop("sceneKey") == "k" and browser.pop("playback") is True
        assert plain(browser) == python, f"frame {k}: {found[k][2]}"
        checked += 1
    return checked


CASES = {
    "everything, by year": (FilterState(), Playback(1, 1), "claims"),
    "denials, five years": (FilterState(stances=frozenset({"denies"})), Playback(5, 5), "claims"),
    "two sources, cumulative": (
        FilterState(sources=frozenset({"9/11 Commission", "UN report"})),
        Playback(0, 5),
        "claims",
    ),
    "two sources per edge": (FilterState(min_sources=2), Playback(10, 5), "claims"),
    "focus, by degree": (FilterState(focus="iran", depth=2), Playback(3, 1), "degree"),
    "undated hidden": (FilterState(include_undated=False), Playback(2, 1), "claims"),
}


@pytest.mark.parametrize(("filters", "playback", "size_by"), list(CASES.values()), ids=list(CASES))
def test_frames_drawn_in_the_browser_are_the_servers(explorer, network, filters, playback, size_by):
    assert compare_frames(explorer, network, filters, playback, size_by) > 0
    assert explorer.get_logs() == []


def test_claims_citing_several_sources_count_each_in_frames(explorer, tmp_path):
    rows = [
        "Iran,al-Qaeda,shelters,1995,1999,q1,A; B,asserts,,,",
        "Iran,al-Qaeda,fights,1997,,q2,B,asserts,,,",
        "Iran,al-Qaeda,fights,1998,,q3,A; C,asserts,,,",
        "al-Qaeda,Iran,allied with,,,q4,C,asserts,,,",
        "Hamas,Iran,trains,1996,2001,q5,A; B; C,denies,,,",
        "Hamas,Iran,praises,1999,,q6,C,asserts,,,",
    ]
    folder = write_data(
        tmp_path / "multi",
        HEADER + "\n".join(rows),
        files={"dashboard.toml": '[relations]\nlist_columns = ["source"]\n'},
    )
    network = Network.from_dataset(load_or_raise(folder))
    assert network.source_pairs is not None
    for filters in (
        FilterState(),
        FilterState(sources=frozenset({"B"})),
        FilterState(min_sources=2),
    ):
        compare_frames(explorer, network, filters, Playback(1, 1))
    assert explorer.get_logs() == []


def test_large_views_frames_agree_in_bulk_and_by_community(explorer, tmp_path):
    network = Network.from_dataset(load_or_raise(generate(10_000, tmp_path / "synthetic")))
    # The whole span (bulk, coloured by community), a year, and five years.
    scale = periods.time_scale(network)
    last = len(frames(scale, Playback(0, 5))) - 1
    compare_frames(explorer, network, FilterState(), Playback(0, 5), which=[0, last])
    compare_frames(explorer, network, FilterState(), Playback(1, 1), which=[10])
    compare_frames(explorer, network, FilterState(sources=frozenset({"Reuters"})), Playback(5, 5))
    assert explorer.get_logs() == []


_FRAME_FIGURE = """
const [pack, scene, frame] = arguments;
scene.key = "k";
const step = window.dash_clientside.playback.frameStep(pack, scene, frame, null);
const figure = window.dash_clientside.network.assemble(scene, step, null, null)[0];
return [step.mode, figure.data.filter(t => t.meta.role === 'edge-arrows').length];
"""


def test_frames_of_many_edges_go_to_webgl_without_arrowheads(explorer, tmp_path):
    network = Network.from_dataset(load_or_raise(generate(10_000, tmp_path / "synthetic")))
    positions = compute_layout(network, "force")
    wire_scene = json.loads(json.dumps(encode(build_scene(network, positions))))
    dated = FilterState(include_undated=False)  # from a few edges a frame to thousands
    pack = json.loads(json.dumps(playback_pack(network, dated, Playback(0, 1))))
    found = frames(periods.time_scale(network), Playback(0, 1))
    seen = set()
    for k in range(0, len(found), 3):
        view = apply_filters(network, frame_filters(network, dated, found[k]))
        drawn = int(view.edge_mask.sum())
        mode, arrows = explorer.driver.execute_script(_FRAME_FIGURE, pack, wire_scene, k)
        bulk = drawn > style.FRAME_DETAIL_EDGE_LIMIT
        assert mode == ("bulk" if bulk else "detailed"), (k, drawn)
        assert (arrows == 0) == bulk, (k, drawn, arrows)
        seen.add(mode)
    assert seen == {"bulk", "detailed"}
    assert explorer.get_logs() == []


def _frame_label(dash_duo) -> str:
    return dash_duo.find_element("#play-frame").text


def test_playing_three_frames_moves_time_not_actors(explorer, network):
    before = node_positions(explorer)
    explorer.find_element("#play").click()
    seen = []
    for k in (1, 2, 3):
        until(lambda k=k: f"frame {k} of" in _frame_label(explorer), timeout=10)
        label = _frame_label(explorer)
        year = label.split(" · ")[0]
        counts = explorer.find_element("#counts").text
        assert f"in {year}" in counts, (label, counts)
        seen.append(counts)
        # Every actor drawn sits where it sat before playing.
        for code, (x, y) in node_positions(explorer).items():
            assert (x, y) == pytest.approx(before[code], abs=1e-6), code
    explorer.find_element("#play").click()  # pause
    until(lambda: "▶ Play" in explorer.find_element("#play").text, timeout=5)
    assert len(set(seen)) >= 2
    paused_at = _frame_label(explorer).split(" · ")[0]
    until(lambda: "from=" in explorer.driver.current_url, timeout=10)
    query = parse_qs(urlparse(explorer.driver.current_url).query)
    assert query["from"] == query["to"] == [paused_at]
    explorer.wait_for_contains_text("#counts", f"in {paused_at}")
    explorer.wait_for_text_to_equal("#time-range-text", paused_at)
    until(lambda: "playback-gone" not in [t["role"] for t in figure_data(explorer)], timeout=10)
    assert explorer.get_logs() == []


_SHADING = """
const gd = document.querySelector('#timeline .js-plotly-plot'), axis = gd._fullLayout.xaxis;
const box = document.getElementById('timeline-shade'), plot = gd.getBoundingClientRect();
const drawn = box.getBoundingClientRect();
const label = document.getElementById('play-frame').textContent;
const year = parseInt(label.split(' · ')[0], 10);
return {
    label: label, year: year, hidden: box.hidden,
    left: drawn.left - plot.left, right: drawn.right - plot.left,
    expected: [axis._offset + axis.l2p(year - 0.5), axis._offset + axis.l2p(year + 0.5)],
    shapes: (gd.layout.shapes || []).map(s => [s.x0, s.x1]),
};
"""


def _box_over(shading) -> bool:
    return not shading["hidden"] and all(
        abs(shading[side] - at) <= 1.5
        for side, at in zip(("left", "right"), shading["expected"], strict=True)
    )


def test_the_frame_playing_is_shaded_over_the_timeline_without_redrawing_it(explorer):
    explorer.find_element("#play").click()
    until(lambda: "frame 2 of" in _frame_label(explorer), timeout=10)
    # A box over the frame's period, and no shape redrawn in the figure (read at once:
    # the frames move on every second).
    until(lambda: _box_over(explorer.driver.execute_script(_SHADING)), timeout=5)
    assert explorer.driver.execute_script(_SHADING)["shapes"] == []
    explorer.find_element("#play").click()  # pause: the figure's shape, at the frame
    until(lambda: "▶ Play" in explorer.find_element("#play").text, timeout=5)

    def shaded_in_the_figure():
        shading = explorer.driver.execute_script(_SHADING)
        year = shading["year"]
        return shading["hidden"] and shading["shapes"] == [[year - 0.5, year + 0.5]]

    until(shaded_in_the_figure, timeout=10)
    assert explorer.get_logs() == []


_GONE_IN_BROWSER = """
const [pack, scene, frame] = arguments;
scene.key = "k";
const playback = window.dash_clientside.playback;
const before = playback.frameStep(pack, scene, frame - 1), step = playback.frameStep(pack, scene, frame);
step.gone = playback.goneSince(before, step, pack.nEdges);
const figure = window.dash_clientside.network.assemble(scene, step, null, null)[0];
const trace = figure.data.find(t => t.meta.role === 'playback-gone');
return [step.gone, trace ? Array.from(trace.x).filter(v => !Number.isNaN(v)).length : 0];
"""


def test_edges_gone_since_the_last_frame_fade_out(explorer, network):
    positions = compute_layout(network, "force")
    wire_scene = json.loads(json.dumps(encode(build_scene(network, positions))))
    pack = json.loads(json.dumps(playback_pack(network, FilterState(), Playback(1, 1))))
    found = frames(periods.time_scale(network), Playback(1, 1))
    counted = 0
    for k in (1, 9, 10, 12):  # none gone into 1991; 5 into 1999, 2 into 2000, 2 into 2002
        shown = [
            apply_filters(network, frame_filters(network, FilterState(), found[i])).edge_mask
            for i in (k - 1, k)
        ]
        gone = np.flatnonzero(shown[0] & ~shown[1]).tolist()
        edges, points = explorer.driver.execute_script(_GONE_IN_BROWSER, pack, wire_scene, k)
        assert edges == gone
        loops = int((network.edge_from[gone] == network.edge_to[gone]).sum())
        assert points == 9 * (len(gone) - loops)  # nine points along each gone curve
        counted += len(gone)
    assert counted == 9
    assert explorer.get_logs() == []


def test_next_frame_while_paused_goes_through_the_slider(explorer):
    explorer.find_element("#play-next").click()
    explorer.wait_for_contains_text("#play-frame", "frame 1 of 37")
    explorer.wait_for_contains_text("#counts", "49 claims (of 66): 4 in 1990 + 45 undated")
    until(lambda: "from=1990&to=1990" in explorer.driver.current_url, timeout=10)
    explorer.find_element("#play-next").click()
    explorer.wait_for_contains_text("#play-frame", "frame 2 of 37")
    explorer.wait_for_contains_text("#counts", "in 1991")
    explorer.find_element("#reset").click()
    explorer.wait_for_text_to_equal("#counts", "28 actors · 50 edges · 66 claims (of 66)")
    assert explorer.get_logs() == []
