"""Selecting redraws the highlight alone: Plotly gets the same traces and the axes as it
drew them, so it recomputes and redraws no trace (1 s a click at 100k claims when the
highlight was traces, and again when the patched layout carried the axes as sent)."""

from __future__ import annotations

from dash.testing.wait import until

from tests.browser.helpers import click_edge, click_node, highlighted

# Records, for every Plotly.react of the map, what differs from the plot as drawn.
_WATCH = """
const gd = document.querySelector('#network .js-plotly-plot');
window.__reacts = [];
const react = window.Plotly.react;
window.Plotly.react = function (target, figure) {
    if (target === gd || target.id === 'network' || target.parentElement.id === 'network') {
        const drawn = gd.layout, sent = figure.layout;
        window.__reacts.push({
            sameData: figure.data.length === gd.data.length &&
                figure.data.every((t, i) => t === gd.data[i]),
            changedLayout: Object.keys(Object.assign({}, drawn, sent)).filter(
                k => JSON.stringify(drawn[k]) !== JSON.stringify(sent[k])),
        });
    }
    return react.apply(this, arguments);
};
"""


def test_selecting_changes_the_highlight_shapes_and_nothing_else(explorer, network):
    explorer.driver.execute_script(_WATCH)
    click_edge(explorer, network, network.edge_number("al-qaeda", "hts", "fights"), along=0.6)
    explorer.wait_for_contains_text("#evidence", "al-Qaeda fights Hayat Tahrir al-Sham")
    until(lambda: highlighted(explorer)["selected actors"] == 2, timeout=5)
    click_node(explorer, network, "hamas")
    until(lambda: highlighted(explorer)["selected actors"] == 1, timeout=5)
    reacts = explorer.driver.execute_script("return window.__reacts;")
    assert len(reacts) >= 2
    assert all(r["sameData"] for r in reacts), reacts
    assert all(r["changedLayout"] == ["shapes"] for r in reacts), reacts
    assert explorer.get_logs() == []
