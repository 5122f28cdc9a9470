"""Paths in the URL, the page's callbacks, the command line and the report figure."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from dash import html, no_update

from dashboard.cli import main
from dashboard.data import load_or_raise
from dashboard.draw import roles
from dashboard.draw.figures import build_figure
from dashboard.draw.footnotes import footnotes
from dashboard.draw.path_overlay import FADED
from dashboard.draw.report_figure import describe_view
from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache
from dashboard.query.filters import FilterState, ViewMemo, apply_filters
from dashboard.query.paths import PathQuery, find_paths, path_claim_mask
from dashboard.query.view_state import ViewState
from dashboard.web import controls, ids
from dashboard.web.paths_panel import choose_path, draw_path, show_paths
from dashboard.web.url_codec import from_query, to_query
from dashboard.web.wiring import AppContext, Trigger
from tests.conftest import BUNDLED, HEADER

TURKEY_QUOTE = "the Turkish-backed Hayat Tahir al-Sham rebel group in Syria’s Idlib"


@pytest.fixture(scope="module")
def context(network):
    return AppContext(network, LayoutCache(network), "Test data", views=ViewMemo(network))


# The URL ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (PathQuery("turkey", "iran"), "?path=turkey~iran"),
        (
            PathQuery("911-hijackers", "al-qaeda", max_hops=6, directed=True, k=20, pick=3),
            "?path=911-hijackers~al-qaeda&hops=6&directed=1&k=20&pick=4",
        ),
    ],
)
def test_path_in_the_url_round_trips(network, path, query):
    state = ViewState(FilterState(years=(1991, 1998)), path=path)
    written = to_query(state, network)
    assert written == "?from=1991&to=1998&" + query.lstrip("?")
    assert from_query(written, network) == (state, [])


@pytest.mark.parametrize(
    ("query", "path", "notice"),
    [
        ("?path=Turkey~Iranian+regime", PathQuery("turkey", "iran"), None),
        ("?path=turkey", None, 'no path "turkey" (expected FROM~TO)'),
        ("?path=turkey~nobody", None, 'no actor "nobody" (path end) in this data'),
        (
            "?path=turkey~iran&hops=9",
            PathQuery("turkey", "iran", 6),
            '"hops=9" is out of range 1-6',
        ),
        ("?path=turkey~iran&k=0", PathQuery("turkey", "iran", k=1), '"k=0" is out of range 1-20'),
        ("?path=turkey~iran&pick=x", PathQuery("turkey", "iran"), '"pick=x" is not a whole number'),
        ("?path=turkey~iran&k=3&pick=9", PathQuery("turkey", "iran", k=3, pick=2), None),
        (
            "?path=turkey~iran&directed=2",
            PathQuery("turkey", "iran"),
            '"directed=2" should be 0 or 1',
        ),
        ("?hops=3&k=2", None, None),
    ],
)
def test_path_parameters_are_checked(network, query, path, notice):
    state, notices = from_query(query, network)
    assert state.path == path
    assert notices == ([notice] if notice else [])


def test_path_with_separators_in_ids_reopens(data_dir):
    row = '"A~B","C\\D",funds,,,quote,src,,,,\n'
    network = Network.from_dataset(load_or_raise(data_dir(HEADER + row)))
    state = ViewState(path=PathQuery(*network.actor_ids))
    assert from_query(to_query(state, network), network) == (state, [])


def test_controls_and_state_agree(network):
    state = ViewState(path=PathQuery("turkey", "iran", 5, True, 7, 1))
    values = controls.control_values(state, network)
    assert values["path_pick"] == 2 and values["path_directed"] == [controls.DIRECTED]
    assert controls.view_state(network, values) == state
    assert controls.control_values(ViewState(), network)["path_start"] is None


# The page's callbacks -------------------------------------------------------------------


def text_of(component) -> str:
    """All the text a component tree shows."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(text_of(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def test_paths_list_every_hop_with_its_quotes(context):
    children = show_paths(context, ViewState(path=PathQuery("turkey", "iran", k=3)))
    text = text_of(children)
    assert "Path 1: Turkey → Hayat Tahrir al-Sham → al-Qaeda → Iran" in text
    assert "Hop 3: al-Qaeda – Iran" in text and "⚠ contested" in text
    assert "single source" in text
    assert TURKEY_QUOTE in text
    assert "Iranian mission to the United Nations" in text  # the denial, in the evidence
    details = [c for c in children if isinstance(c, html.Details)]
    assert [d.open for d in details] == [True, False, False]


def test_no_path_says_what_hides_one(context):
    view = ViewState(FilterState(min_sources=2), path=PathQuery("turkey", "iran"))
    text = text_of(show_paths(context, view))
    assert "No path of at most 4 hops" in text
    assert "A 3-hop path exists through edges with fewer than 2 sources." in text
    assert show_paths(context, ViewState()) == []


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        (Trigger({"type": ids.PATH_CHOOSE, "index": 3}, 1), 3),
        (Trigger({"type": ids.PATH_CHOOSE, "index": 3}, 0), no_update),
        (Trigger({"type": ids.PATH_CHOOSE, "index": 99}, 1), no_update),
        (Trigger({"type": ids.PATH_CHOOSE, "index": "2"}, 1), no_update),
        (Trigger(None, None), no_update),
    ],
)
def test_choosing_a_path(context, trigger, expected):
    assert choose_path(context, trigger) == expected


def test_the_map_draws_the_chosen_path_and_fades_the_rest(context, network):
    view = ViewState(path=PathQuery("turkey", "iran", pick=1))  # the second path
    overlays = draw_path(context, view, None)
    by_role = {t["meta"]["role"]: t for t in overlays["traces"]}
    assert by_role[roles.PATH_HOP_NUMBERS]["text"] == ["1", "2", "3", "4"]  # path 2: 4 hops
    assert by_role[roles.PATH_ACTORS]["text"] == [
        "Turkey",
        "Hayat Tahrir al-Sham",
        "al-Qaeda",
        "United States",
        "Iran",
    ]
    positions = context.layouts.get("force")
    plain = build_figure(apply_filters(network, view.filters), positions)
    drawn = build_figure(apply_filters(network, view.filters), positions, overlays=overlays)
    assert roles.roles_of(drawn)[-3:] == [
        roles.PATH_LINES,
        roles.PATH_ACTORS,
        roles.PATH_HOP_NUMBERS,
    ]
    for before, after in zip(plain["data"], drawn["data"], strict=False):
        if after["meta"]["role"] in (roles.EDGE_LINES, roles.ACTORS, roles.EDGE_ARROWS):
            assert after["opacity"] == pytest.approx(before.get("opacity", 1.0) * FADED)
    assert draw_path(context, ViewState(), None) is None  # no path asked: nothing on top


# The command line ------------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(main, ["paths", str(BUNDLED), *args], catch_exceptions=False)


def test_cli_text_shows_each_hop_and_its_quotes():
    result = invoke("Turkey", "Iranian regime", "-k", "2")
    assert result.exit_code == 0, result.output
    assert "Path 1: Turkey → Hayat Tahrir al-Sham → al-Qaeda → Iran · 3 hops" in result.output
    assert "Path 2:" in result.output and "Path 3:" not in result.output
    assert f"“{TURKEY_QUOTE}”" in result.output
    assert "✓ verbatim" in result.output


def test_cli_json_and_csv_carry_the_evidence():
    data = json.loads(invoke("911-hijackers", "iran", "--format", "json").output)
    (path,) = data["paths"]
    (hop,) = path["hops"]
    (edge,) = hop["edges"]
    assert (edge["relation"], edge["claims"][0]["source"]) == ("passed through", "9/11 Commission")
    assert edge["claims"][0]["verbatim"] is True
    rows = list(
        csv.DictReader(io.StringIO(invoke("turkey", "iran", "-k", "1", "--format", "csv").output))
    )
    assert {row["hop"] for row in rows} == {"1", "2", "3"}
    assert all(row["quote"] for row in rows)


def test_cli_no_path_exits_1_with_the_reason():
    result = invoke("turkey", "iran", "--max-hops", "2")
    assert result.exit_code == 1
    assert "A 3-hop path exists; raise the hop limit." in result.output
    filtered = invoke("turkey", "iran", "--state", "?min_sources=2", "--format", "json")
    assert filtered.exit_code == 1 and json.loads(filtered.stdout)["paths"] == []


def test_cli_directed_and_unknown_actor():
    assert invoke("turkey", "iran", "--directed").exit_code == 1
    result = CliRunner().invoke(main, ["paths", str(BUNDLED), "nobody", "iran"])
    assert result.exit_code == 2 and "no actor 'nobody'" in result.output


# The report figure ----------------------------------------------------------------------


def test_report_caption_and_bibliography_name_the_path(network):
    state, _ = from_query("?path=turkey~iran&pick=2", network)
    view = apply_filters(network, state.filters)
    caption = describe_view(state, view)
    assert caption[1] == (
        "Path 2 of 5 from Turkey to Iran (at most 4 hops): Turkey → Hayat Tahrir al-Sham → "
        "al-Qaeda → United States → Iran (4 hops; hops 1, 2, 4 on a single source); its "
        "sources come first in the list below."
    )
    path = find_paths(view, state.path).chosen
    notes = footnotes(view, path_claim_mask(view, path))
    claims = network.claims[path_claim_mask(view, path) & ~network.claim_denies]
    behind = {s for s in claims["source"]}
    assert {entry.source for entry in notes.entries[: notes.leading]} == behind


def test_export_draws_the_path_in_the_figure(tmp_path):
    out = tmp_path / "path.svg"
    result = CliRunner().invoke(
        main,
        ["export", str(BUNDLED), "--out", str(out), "--state", "?path=turkey~iran"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    text = " ".join(re.findall(r">([^<>]+)<", out.read_text(encoding="utf-8")))
    assert "Path 1 of 5 from Turkey to Iran" in text
    assert "(1–" in text and "behind the path" in text


def test_large_data_searches_the_path_pickers_on_the_server(tmp_path, monkeypatch):
    from bench.generate import generate
    from dashboard.web.app import create_app

    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    dataset = load_or_raise(generate(10_000, tmp_path / "synthetic"))
    app = create_app(dataset)
    outputs = set(app.callback_map)
    assert {f"{ids.PATH_FROM}.options", f"{ids.PATH_TO}.options"} <= outputs


def test_past_the_evidence_budget_only_the_chosen_path_carries_claims(context, monkeypatch):
    from dashboard.web import paths_panel

    monkeypatch.setattr(paths_panel, "EVIDENCE_BUDGET", 1)
    children = show_paths(context, ViewState(path=PathQuery("turkey", "iran", k=3, pick=1)))
    paths = [c for c in children if isinstance(c, html.Details)]
    assert TURKEY_QUOTE in text_of(paths[1])
    assert "Show this path on the map to read its claims." in text_of(paths[0])
    assert TURKEY_QUOTE not in text_of(paths[0])
