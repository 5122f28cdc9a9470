"""`dashboard serve DATA --engine URL`: the claims written to the engine at an Ibis URL
and served from it answer as the in-memory engine and the DuckDB engine do (views,
evidence pages, contested edges, actor cards, the totals the page lists); the app built
for such a URL serves the page and its callbacks; a URL that cannot be served is one
line of error. Only ``duckdb://`` (DuckDB through Ibis) is run: no cluster here."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from dashboard.cli import BUNDLED_DATA, _app_for_serving, _hosts_for, main
from dashboard.data import LoadOverrides
from dashboard.query.filters import FilterState, ViewMemo, apply_filters
from dashboard.query.portable_served import (
    EngineUnavailable,
    index_with_totals,
    serve_from_url,
)
from dashboard.query.served import (
    DuckEngine,
    actor_card,
    edge_evidence,
    refusal,
    refused,
    serves_from_duckdb,
)
from tests.dash_requests import post_callback
from tests.test_duck_engine import several_sources  # noqa: F401 - a fixture
from tests.test_duck_served import BASE

STATES = {
    "everything": FilterState(),
    "1991-1998, no undated": FilterState(years=(1991, 1998), include_undated=False),
    "one source": FilterState(sources=frozenset({"UN Monitoring Team"})),
    "denials": FilterState(stances=frozenset({"denies"})),
    "two sources per edge": FilterState(min_sources=2),
    "focus on Iran, depth 2": FilterState(focus="iran", depth=2),
    "states, either end": FilterState(actor_types=frozenset({"state"}), type_match="either"),
}
ARRAYS = ("edge_mask", "node_mask", "edge_claims", "edge_sources", "edge_denials",
          "edge_undated", "edge_opposed", "edge_first_day", "edge_last_day")  # fmt: skip


@pytest.fixture(scope="module")
def engines(network):
    return {
        "url": serve_from_url("duckdb://", network),
        "duckdb": DuckEngine.from_network(network),
        "memory": ViewMemo(network),
    }


@pytest.mark.parametrize("name", STATES)
def test_a_view_is_the_same_as_in_memory(engines, name):
    state = STATES[name]
    served, memory = engines["url"](state), engines["memory"](state)
    assert served.counts_text() == memory.counts_text()
    for array in ARRAYS:
        assert np.array_equal(getattr(served, array), getattr(memory, array)), array
    assert np.array_equal(served.node_claim_counts, memory.node_claim_counts)


def busy_and_contested(network) -> dict[str, int]:
    view = apply_filters(network, FilterState())
    return {
        "busy": int(np.argmax(network.edge_claim_totals)),
        "contested": int(np.flatnonzero(view.edge_opposed)[0]),
    }


@pytest.mark.parametrize("name", ["everything", "1991-1998, no undated", "one source",
                                  "focus on Iran, depth 2"])  # fmt: skip
@pytest.mark.parametrize("kind", ["busy", "contested"])
@pytest.mark.parametrize(
    "options", [{}, {"order": "source"}, {"search": "train"}, {"page": 1}], ids=str
)
def test_evidence_pages_are_the_same(engines, network, name, kind, options):
    edge = busy_and_contested(network)[kind]
    found = {
        engine: edge_evidence(engines[engine](STATES[name]), edge, **options)
        for engine in ("url", "duckdb", "memory")
    }
    assert found["url"] == found["duckdb"]
    ids = {engine: [card.claim_id for card in page.claims] for engine, page in found.items()}
    assert ids["url"] == ids["memory"]
    assert (found["url"].total, found["url"].hidden) == (
        found["memory"].total,
        found["memory"].hidden,
    )
    assert [c.card.claim_id for c in found["url"].opposing] == [
        c.card.claim_id for c in found["memory"].opposing
    ]


def test_a_contested_edge_lists_its_opposing_claims(engines, network):
    edge = busy_and_contested(network)["contested"]
    page = edge_evidence(engines["url"](FilterState()), edge)
    assert page.contested and page.opposing
    assert page.opposing == edge_evidence(engines["duckdb"](FilterState()), edge).opposing


@pytest.mark.parametrize("name", ["everything", "1991-1998, no undated", "focus on Iran, depth 2"])
def test_actor_cards_are_the_same(engines, network, name):
    url, duck = engines["url"](STATES[name]), engines["duckdb"](STATES[name])
    for actor in range(network.n_actors):
        assert actor_card(url, actor) == actor_card(duck, actor), actor


@pytest.mark.parametrize("data", ["network", "several_sources"])
def test_the_totals_counted_before_the_claims_go_are_duckdbs(request, data):
    network = request.getfixturevalue(data)
    ours = index_with_totals(network, "DuckDB").totals
    theirs = DuckEngine.from_network(network).full.totals
    assert ours.keys() == theirs.keys()
    for key in ("edge_claims", "one_sided"):
        assert np.array_equal(ours[key], theirs[key]), key
    for key in ("sources", "relations", "types", "n_claims", "days"):
        assert ours[key] == theirs[key], key


def test_claims_citing_several_sources_are_served_alike(several_sources):  # noqa: F811
    url = serve_from_url("duckdb://", several_sources)
    duck = DuckEngine.from_network(several_sources)
    for state in (FilterState(), FilterState(sources=frozenset({"BBC"}), min_sources=1)):
        assert url(state).counts_text() == duck(state).counts_text()
        for edge in range(len(several_sources.edges)):
            assert edge_evidence(url(state), edge) == edge_evidence(duck(state), edge)


def test_the_server_keeps_the_index_not_the_claims(engines, network):
    served = engines["url"]
    assert serves_from_duckdb(served.network)
    assert len(served.network.claims) == 0 and len(served.network.claim_edge) == 0
    assert served.network.n_claims == network.n_claims
    assert served.duck.claims.network is served.network


def test_refusals_name_the_engine_that_serves(engines):
    view = engines["url"](FilterState())
    assert refusal(view, "pair") == refused(view.network, "pair")
    assert "served from DuckDB" in refusal(view, "pair")
    trino = replace(view.network, engine_name="Trino")
    assert "served from Trino" in refused(trino, "paths")
    assert "DuckDB" not in refused(trino, "paths")


def test_a_file_url_is_connected_again_after_a_fork(tmp_path, network):
    """gunicorn forks its workers from the loaded app: each connects again by the URL."""
    served = serve_from_url(f"duckdb:///{tmp_path}/claims.ddb", network)
    before = served(FilterState(years=(1991, 1998))).counts_text()
    first = served.duck.claims
    served.duck._pid = -1  # as if in a forked worker
    served._views.clear()
    assert served(FilterState(years=(1991, 1998))).counts_text() == before
    assert served.duck.claims is not first


# -- the command line -------------------------------------------------------------------


@pytest.fixture(scope="module")
def apps():
    hosts = _hosts_for("127.0.0.1", ())
    return {
        engine: _app_for_serving(BUNDLED_DATA, LoadOverrides(), engine, hosts, wait=True)[0]
        for engine in ("memory", "duckdb://")
    }


def answer(app, output: str, values: dict) -> dict:
    response = post_callback(app.server.test_client(), app, output, values)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_app_for_a_url_serves_the_page_and_its_callbacks(apps):
    page = apps["duckdb://"].server.test_client().get("/")
    assert page.status_code == 200
    answers = {}
    for engine, app in apps.items():
        values = dict(BASE)
        values["scene.data"] = answer(app, "scene.data", values)["response"]["scene"]["data"]
        answers[engine] = answer(app, "step.data", values)["response"]["step"]["data"]
    assert answers["duckdb://"] == answers["memory"]
    selection = {**BASE, "selection.data": {"kind": "edge", "index": 0}}
    memory, url = (json.dumps(answer(apps[e], "evidence.children", selection)) for e in apps)
    assert url == memory


def test_serving_from_a_url_says_the_claims_table_is_replaced(capsys):
    _app_for_serving(BUNDLED_DATA, LoadOverrides(), "duckdb://", frozenset(), wait=False)
    said = capsys.readouterr().err
    assert "as table 'claims', replacing any table of that name" in said
    assert "claims in DuckDB; serving from it" in said


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("nosuchbackend://x", "Ibis has no backend 'nosuchbackend'"),
        ("duckdb:///no/such/folder/claims.ddb", "cannot connect to duckdb:///no/such/folder"),
        ("postgres://ana:secret@127.0.0.1:1/db", "postgres://ana:***@127.0.0.1:1/db"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "run"])
def test_a_url_that_cannot_be_served_is_one_line_of_error(url, says, command):
    result = CliRunner().invoke(main, [command, "--engine", url, str(BUNDLED_DATA)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot connect to "), result.output
    assert says in lines[0]
    assert "Traceback" not in result.output and "secret" not in result.output


def test_an_engine_that_is_neither_a_name_nor_a_url_is_refused():
    result = CliRunner().invoke(main, ["serve", "--engine", "bogus", str(BUNDLED_DATA)])
    assert result.exit_code == 2
    assert "give auto, memory, duckdb or an Ibis connection URL" in result.output


def test_engine_unavailable_is_an_exception():
    with pytest.raises(EngineUnavailable, match="cannot connect to nosuchbackend://x"):
        serve_from_url("nosuchbackend://x", None)
