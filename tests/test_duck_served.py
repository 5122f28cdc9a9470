"""The app served from DuckDB answers as the app served from memory: the same callback
requests, replayed against both apps (the engine forced) on the bundled data, get the
same answers; `--engine auto` picks DuckDB above the threshold only."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dashboard.data import LoadOverrides, load_or_raise
from dashboard.graph import Network
from dashboard.query.filters import FilterState, ViewMemo, apply_filters
from dashboard.query.served import (
    REFUSED,
    DuckEngine,
    DuckView,
    ServedView,
    ViewSource,
    actor_card,
    edge_evidence,
)
from dashboard.web.app import create_app
from tests.conftest import HEADER, TODAY, write_data
from tests.dash_requests import post_callback

BASE = {
    "time-range.value": None,
    "include-undated.value": ["show"],
    "stance-filter.value": ["asserts", "denies"],
    "min-sources.value": 1,
    "focus-depth.value": 1,
    "layout-choice.value": "force",
    "size-by.value": "claims",
}
FILTERS = {
    "everything": {},
    "1991-1998, no undated": {"time-range.value": [1991, 1998], "include-undated.value": []},
    "one source": {"source-filter.value": ["UN Monitoring Team"]},
    "two relations": {"relation-filter.value": ["trains", "funds"]},
    "states, both ends": {"actor-type-filter.value": ["state"]},
    "states, either end": {
        "actor-type-filter.value": ["state"],
        "actor-type-match.value": "either",
    },
    "denials": {"stance-filter.value": ["denies"]},
    "two sources per edge": {"min-sources.value": 2},
    "focus on Iran, depth 2": {"focus-actor.value": "iran", "focus-depth.value": 2},
    "sized by degree": {"size-by.value": "degree"},
}


@pytest.fixture(scope="module")
def apps(bundled_dataset, network):
    memory = create_app(bundled_dataset)
    duck = create_app(bundled_dataset, engine=DuckEngine.from_network(network))
    return {"memory": memory, "duckdb": duck}


def answer(app, output: str, values: dict, changed=None) -> dict:
    response = post_callback(app.server.test_client(), app, output, values, changed)
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    return response.get_json() if response.status_code == 200 else {}


def both(apps, output: str, values: dict, changed=None) -> tuple[dict, dict]:
    return tuple(answer(apps[name], output, values, changed) for name in ("memory", "duckdb"))


def years(network) -> dict:
    return {"time-range.value": list(network.year_bounds)}


@pytest.mark.parametrize("name", FILTERS)
def test_a_filter_step_is_the_same(apps, network, name):
    values = {**BASE, **years(network), **FILTERS[name]}
    scene, _ = both(apps, "scene.data", values)
    values["scene.data"] = scene["response"]["scene"]["data"]
    memory, duck = both(apps, "step.data", values)
    assert memory == duck
    assert memory["response"]["step"]["data"] is not None


def selections(network) -> list[dict]:
    degree = np.bincount(network.edge_from, minlength=network.n_actors)
    busiest = int(np.argmax(degree))
    view = apply_filters(network, FilterState())
    contested = np.flatnonzero(view.edge_opposed)
    edges = sorted({0, len(network.edges) - 1, *contested[:3].tolist()})
    return [{"kind": "node", "index": busiest}, {"kind": "node", "index": 0}] + [
        {"kind": "edge", "index": int(e)} for e in edges
    ]


@pytest.mark.parametrize("name", ["everything", "1991-1998, no undated", "focus on Iran, depth 2",
                                  "states, either end", "two sources per edge"])  # fmt: skip
def test_evidence_and_cards_are_the_same(apps, network, name):
    for selection in selections(network):
        values = {**BASE, **years(network), **FILTERS[name], "selection.data": selection}
        memory, duck = both(apps, "evidence.children", values)
        assert memory == duck, selection


@pytest.mark.parametrize(
    "extra",
    [
        {"evidence-order.value": "source"},
        {"evidence-search.value": "train"},
        {"evidence-page.data": 1},
    ],
)
def test_evidence_pages_are_the_same(apps, network, extra):
    totals = network.edge_claim_totals
    for edge in np.argsort(-totals, kind="stable")[:3].tolist():
        values = {**BASE, **years(network), "selection.data": {"kind": "edge", "index": edge}}
        memory, duck = both(apps, "evidence.children", {**values, **extra})
        assert memory == duck


@pytest.mark.parametrize("match", ["both", "either"])
def test_type_options_are_the_same(apps, match):
    memory, duck = both(apps, "actor-type-filter.options", {"actor-type-match.value": match})
    assert memory == duck


DATA_EXPORTS = ("export-csv", "export-graphml", "export-gexf", "export-bibtex", "export-csl",
                "export-sources-text")  # fmt: skip


def refused_data_exports(layout):
    """``layout`` with its data export buttons disabled and their hint saying why."""
    hint = "The claims behind this view (loads back as data), or the visible graph for Gephi."
    if isinstance(layout, list):
        return [refused_data_exports(item) for item in layout]
    if not isinstance(layout, dict):
        return REFUSED["export"] if layout == hint else layout
    out = {key: refused_data_exports(value) for key, value in layout.items()}
    if layout.get("props", {}).get("id") in DATA_EXPORTS:
        out["props"]["disabled"] = True
    return out


def test_the_page_is_the_same_but_for_the_data_exports(apps):
    memory, duck = (
        json.loads(apps[name].server.test_client().get("/_dash-layout").data) for name in apps
    )
    assert memory != duck
    assert refused_data_exports(memory) == duck  # disabled, and the menu says why


def test_a_pair_is_refused_with_a_message(apps, network):
    values = {**BASE, **years(network), "selection.data": {"kind": "pair", "index": 0, "other": 1}}
    duck = answer(apps["duckdb"], "evidence.children", values)
    assert "not listed for data served from DuckDB" in json.dumps(duck)


def test_both_engines_satisfy_the_protocol(network):
    engine = DuckEngine.from_network(network)
    memo = ViewMemo(network)
    for source in (memo, engine):
        assert isinstance(source, ViewSource)
        assert isinstance(source(FilterState()), ServedView)
    state = FilterState(years=(1991, 1998))
    memory, duck = memo(state), engine(state)
    assert isinstance(duck, DuckView)
    assert edge_evidence(memory, 3) == edge_evidence(duck, 3)
    assert actor_card(memory, 1) == actor_card(duck, 1)


def test_a_map_of_the_strongest_edges_keeps_every_count(network):
    """Above the drawn limit the map holds the strongest edges; counts cover them all."""
    engine = DuckEngine.from_network(network, drawn_limit=10)
    view = engine(FilterState())
    assert len(engine.network.edges) == 10
    kept = engine.kept_edges
    everything = apply_filters(network, FilterState())
    assert view.edge_claims.tolist() == everything.edge_claims[kept].tolist()
    assert view.counts_text().startswith(everything.counts_text())
    assert "the map holds the 10 edges" in view.counts_text()
    evidence = edge_evidence(view, 0)
    assert (evidence.from_id, evidence.to_id) == network.edge_key(int(kept[0]))[:2]


MULTI = (
    HEADER
    + "A,B,allied with,2001,2003,q1,S1; S2,,,,\n"
    + "B,A,fights,2002,,q2,S2,,,,\n"
    + "A,B,fights,2010,,q3,S1; S3,,,,\n"
    + "A,B,allied with,,,q4,S3,denies,,,\n"
    + "B,C,funds,1999,2004,q5,S1; S2; S3,,,,\n"
    + "C,B,fights,2000,,q6,S1,,,,\n"
    + "C,,founded,1995,,q7,S2,,,,\n"
)


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(sources=frozenset({"S2"})),
        FilterState(sources=frozenset({"S1", "S3"})),
        FilterState(years=(2001, 2003)),
        FilterState(min_sources=2),
        FilterState(focus="C"),
    ],
)
def test_claims_citing_several_sources_count_alike(tmp_path_factory, state):
    folder = write_data(tmp_path_factory.mktemp("multi") / "data", MULTI)
    overrides = LoadOverrides(list_columns=("source",))
    network = Network.from_dataset(load_or_raise(folder, overrides, today=TODAY))
    assert network.source_pairs is not None
    engine = DuckEngine.from_network(network)
    memory, duck = apply_filters(network, state), engine(state)
    assert memory.counts_text() == duck.counts_text()
    for name in ("edge_mask", "edge_sources", "edge_opposed", "node_mask"):
        assert np.array_equal(getattr(memory, name), getattr(duck, name)), name
    for edge in range(len(network.edges)):
        assert edge_evidence(memory, edge) == edge_evidence(duck, edge), edge
    for actor in range(network.n_actors):
        assert actor_card(memory, actor) == actor_card(duck, actor), actor


def test_an_app_on_a_map_of_the_strongest_edges_answers(bundled_dataset, network):
    engine = DuckEngine.from_network(network, drawn_limit=12)
    app = create_app(None, engine=engine, name="strongest")
    values = {**BASE, **years(network)}
    scene = answer(app, "scene.data", values)["response"]["scene"]["data"]
    step = answer(app, "step.data", {**values, "scene.data": scene})["response"]
    assert "the map holds the 12 edges with the most claims" in step["counts"]["children"]
    for selection in ({"kind": "edge", "index": 11}, {"kind": "node", "index": 0}):
        panel = answer(app, "evidence.children", {**values, "selection.data": selection})
        assert panel["response"]["evidence"]["children"]
    focus = engine.network.actor_ids[0]
    focused = {**values, "focus-actor.value": focus, "scene.data": scene}
    assert answer(app, "step.data", focused)["response"]["step"]["data"] is not None


def test_a_click_on_a_bundled_edge_opens_the_edge_where_pairs_are_not_listed(apps, network):
    """In memory, an edge between two actors joined by others opens their pair; served
    from DuckDB, which does not list pairs, it opens the edge itself."""
    low, high = (
        np.minimum(network.edge_from, network.edge_to),
        np.maximum(network.edge_from, network.edge_to),
    )
    pairs = low * network.n_actors + high
    edge = int(np.flatnonzero(np.bincount(pairs)[pairs] > 1)[0])
    values = {
        **BASE,
        **years(network),
        "network.clickData": {"points": [{"curveNumber": 0, "customdata": edge}]},
        "figure-roles.data": ["edge-hits"],
    }
    memory, duck = both(apps, "selection.data", values, changed=["network.clickData"])
    assert memory["response"]["selection"]["data"]["kind"] == "pair"
    assert duck["response"]["selection"]["data"] == {"kind": "edge", "index": edge}


def test_time_views_that_need_every_claim_say_so_when_served_from_duckdb(apps):
    """The timeline and two periods compared count claims per period; from DuckDB the page
    says they are not offered, and playback's frames come from the server."""
    memory, duck = both(apps, "timeline.figure", {})
    assert memory["response"]["timeline"]["figure"]["data"]
    duck_figure = duck["response"]["timeline"]["figure"]
    assert not duck_figure["data"]
    assert "not drawn for data served from DuckDB" in json.dumps(duck_figure)
    compared = {
        "compare-on.value": ["on"],
        "compare-a.value": [1991, 2000],
        "compare-b.value": [2001, 2010],
    }
    memory, duck = both(apps, "compare-results.children", compared)
    assert "compare-table" in json.dumps(memory)
    assert "not compared for data served from DuckDB" in json.dumps(duck)
    pack = answer(apps["duckdb"], "play-pack.data", {"play-armed.data": True})
    assert "fallback" in pack["response"]["play-pack"]["data"]
