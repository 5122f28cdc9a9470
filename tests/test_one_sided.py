"""Data whose claims are all one-sided (an empty `to`) has no edge to draw: every callback
and every export still answers, with the actors and their claims."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.data import load_or_raise
from dashboard.draw.assemble import assemble
from dashboard.draw.scene import decode
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.app import create_app
from tests.conftest import HEADER, write_data
from tests.dash_requests import post_callback

ONE_SIDED = (
    HEADER
    + "A,,founded,2001,,q1,S1,,,,\n"
    + "B,,founded,2003,,q2,S2,,,,\n"
    + "A,,says,2004,,q3,S2,asserts,,,\n"
)
STATES = ["", "?focus=A", "?focus=A&depth=3", "?min_sources=2", "?min_sources=2&focus=B"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_data(tmp_path_factory.mktemp("one-sided") / "data", ONE_SIDED)


@pytest.fixture(scope="module")
def app(folder):
    return create_app(load_or_raise(folder))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def controls(focus=None, min_sources=1, depth=1) -> dict:
    return {
        "time-range.value": [2001, 2004],
        "include-undated.value": ["show"],
        "stance-filter.value": ["asserts", "denies"],
        "min-sources.value": min_sources,
        "focus-actor.value": focus,
        "focus-depth.value": depth,
        "layout-choice.value": "force",
        "size-by.value": "claims",
    }


FILTERS = {
    "all": controls(),
    "focus": controls(focus="A"),
    "focus depth 3": controls(focus="A", depth=3),
    "min sources": controls(min_sources=2),
    "both": controls(focus="B", min_sources=2),
}


@pytest.mark.parametrize("state", STATES)
def test_filters_keep_the_one_sided_claims(folder, state):
    network = Network.from_dataset(load_or_raise(folder))
    focus = "A" if "focus=A" in state else "B" if "focus=B" in state else None
    view = apply_filters(
        network,
        FilterState(focus=focus, min_sources=2 if "min_sources" in state else 1),
    )
    assert view.n_edges == 0
    assert view.n_claims == (2 if focus == "A" else 1 if focus == "B" else 3)


@pytest.mark.parametrize("filters", list(FILTERS))
@pytest.mark.parametrize("layout", ["force", "spring", "shells", "circular"])
@pytest.mark.parametrize("size", ["claims", "degree", "betweenness"])
def test_the_figure_is_drawn(app, client, filters, layout, size):
    values = {**FILTERS[filters], "layout-choice.value": layout, "size-by.value": size}
    scene = post_callback(client, app, "scene.data", values)
    assert scene.status_code == 200, scene.get_data(as_text=True)[:300]
    values["scene.data"] = scene.get_json()["response"]["scene"]["data"]
    response = post_callback(client, app, "step.data", values)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()["response"]
    assert "0 edges" in answer["counts"]["children"]
    # What the browser then draws (assets/network.js does the same as this).
    figure = assemble(decode(values["scene.data"]), decode(answer["step"]["data"]))
    assert figure["data"]


@pytest.mark.parametrize("filters", list(FILTERS))
@pytest.mark.parametrize(
    "selection", [{"kind": "node", "index": 0}, {"kind": "node", "index": 1}, None]
)
def test_evidence_answers(app, client, filters, selection):
    values = {**FILTERS[filters], "selection.data": selection}
    evidence = post_callback(client, app, "evidence.children", values)
    assert evidence.status_code == 200, evidence.get_data(as_text=True)[:300]


@pytest.mark.parametrize("filters", list(FILTERS))
def test_relayout_visible_answers(app, client, filters):
    values = {**FILTERS[filters], "relayout-visible.n_clicks": 1}
    response = post_callback(
        client, app, "positions-override.data", values, changed=["relayout-visible.n_clicks"]
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("search", STATES[1:])
def test_opening_a_link_answers(app, client, search):
    response = post_callback(
        client, app, "url-notice.children", {"url.pathname": "/", "url.search": search}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("filters", list(FILTERS))
@pytest.mark.parametrize("button", ["export-csv", "export-graphml", "export-gexf"])
def test_data_exports_answer(app, client, filters, button):
    values = {**FILTERS[filters], f"{button}.n_clicks": 1}
    response = post_callback(
        client, app, "download-data.data", values, changed=[f"{button}.n_clicks"]
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


CLI_EXPORTS = [(s, f) for s in STATES for f in ("csv", "graphml", "gexf")] + [
    ("?focus=A", "svg"),
    ("?min_sources=2", "png"),
]


@pytest.mark.parametrize(("state", "suffix"), CLI_EXPORTS)
def test_cli_export(folder, tmp_path, state, suffix):
    out = tmp_path / f"view.{suffix}"
    result = CliRunner().invoke(
        main, ["export", str(folder), "--out", str(out), "--state", state], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert out.stat().st_size > 0


@pytest.mark.parametrize("filters", ["focus", "min sources"])
def test_figure_export_answers(app, client, filters):
    values = {**FILTERS[filters], "export-figure.n_clicks": 1, "export-format.value": "svg"}
    response = post_callback(client, app, "export-status.children", values)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "Exported" in response.get_json()["response"]["export-status"]["children"]
