"""Exports: report figures from the command line, claims as CSV, the graph for Gephi."""

from __future__ import annotations

import re
import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.data import load_dataset
from dashboard.export.data_files import claims_csv, graph_file
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.url_codec import from_query
from tests.conftest import BUNDLED, HEADER, write_data

STATE = "?from=1991&to=1998&source=9%2F11+Commission"


def export(tmp_path, name: str, *extra: str):
    out = tmp_path / name
    result = CliRunner().invoke(
        main, ["export", str(BUNDLED), "--out", str(out), *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out, result


@pytest.mark.parametrize(
    ("name", "magic", "minimum"),
    [
        ("view.png", b"\x89PNG\r\n\x1a\n", 50_000),
        ("view.svg", b"<svg", 20_000),
        ("view.pdf", b"%PDF-", 20_000),
    ],
)
def test_cli_exports_images_of_the_view(tmp_path, name, magic, minimum):
    out, result = export(tmp_path, name, "--state", STATE)
    data = out.read_bytes()
    assert data.startswith(magic)
    assert len(data) > minimum
    assert "5 claims (of 66)" in result.output


def test_svg_caption_states_the_filters_and_lists_the_sources(tmp_path):
    out, _ = export(tmp_path, "view.svg", "--state", STATE, "--title", "Talks in Sudan")
    text = " ".join(re.findall(r">([^<>]+)<", out.read_text(encoding="utf-8")))
    for expected in (
        "Talks in Sudan",
        "Period: 1991–1998",
        "Sources: 9/11 Commission",
        "5 claims (of 66)",
        "1. 9/11 Commission, “Iran, al-Qaeda partners in terrorism”, undated",
    ):
        assert expected in text, expected


def test_png_scale_sets_the_pixel_size(tmp_path):
    def width(path) -> int:
        return int.from_bytes(path.read_bytes()[16:20], "big")

    small, _ = export(tmp_path, "one.png", "--scale", "1")
    large, _ = export(tmp_path, "two.png", "--scale", "2")
    assert width(large) == 2 * width(small)


def test_missing_browser_is_reported_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "dashboard.draw.report_figure.export_engine_problem", lambda: "needs Chromium"
    )
    result = CliRunner().invoke(main, ["export", str(BUNDLED), "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "error: needs Chromium" in result.output
    assert not (tmp_path / "x.png").exists()


def test_bad_state_is_a_warning_not_a_failure(tmp_path):
    _, result = export(tmp_path, "view.csv", "--state", "?colour=red&from=abc")
    assert 'unknown parameter "colour"' in result.output
    assert '"from=abc" is not a year' in result.output


@pytest.mark.parametrize("query", ["", STATE, "?focus=hezbollah&depth=2", "?stance=denies"])
def test_claims_csv_loads_back_with_the_same_claims(tmp_path, network, query):
    state, _ = from_query(query, network)
    view = apply_filters(network, state.filters)
    folder = write_data(
        tmp_path / "again", claims_csv(view), (BUNDLED / "actors.csv").read_text("utf-8")
    )
    shutil.copytree(BUNDLED / "documents", folder / "documents")
    reloaded, report = load_dataset(folder)
    assert not report.has_errors, report.format()
    assert set(reloaded.claims.index) == set(network.claims.index[view.claim_mask])
    assert reloaded.claims["verified"].all()


def test_csv_export_neutralises_formulas_from_the_data(tmp_path):
    relations = HEADER + 'Iran,Hamas,funds,,,"=HYPERLINK(""http://evil"")",@src,,,,\n'
    dataset, _ = load_dataset(write_data(tmp_path / "d", relations))
    network = Network.from_dataset(dataset)
    text = claims_csv(apply_filters(network, FilterState()))
    assert "'=HYPERLINK" in text and ",'@src," in text


@pytest.mark.parametrize("file_format", ["graphml", "gexf"])
@pytest.mark.parametrize("query", ["", STATE, "?focus=iran&depth=1"])
def test_graph_files_parse_back_with_the_same_counts(tmp_path, network, file_format, query):
    state, _ = from_query(query, network)
    view = apply_filters(network, state.filters)
    path = tmp_path / f"view.{file_format}"
    path.write_bytes(graph_file(view, file_format))
    graph = nx.read_graphml(path) if file_format == "graphml" else nx.read_gexf(path)
    assert graph.number_of_nodes() == view.n_actors
    assert graph.number_of_edges() == view.n_edges


def test_graph_files_carry_claims_sources_and_time_spans(tmp_path, network):
    view = apply_filters(network, FilterState())
    path = tmp_path / "view.graphml"
    path.write_bytes(graph_file(view, "graphml"))
    graph = nx.read_graphml(path)
    edges = [
        d
        for a, b, d in graph.edges(data=True)
        if (a, b) == ("iran", "al-qaeda") and d["relation"] == "cooperates with"
    ]
    (edge,) = edges
    assert (edge["claims"], edge["n_sources"], edge["denials"], edge["contested"]) == (
        7,
        7,
        1,
        True,
    )
    assert (edge["start"], edge["end"]) == (1990, 2026)
    assert "9/11 Commission" in edge["sources"]
    assert graph.nodes["iran"]["label"] == "Iran"


@pytest.mark.parametrize("file_format", ["graphml", "gexf"])
def test_graph_files_survive_hostile_text(tmp_path, file_format):
    relations = HEADER + 'A\x0bB,"<b>x</b> & ""y""",funds,,,q,src,,,,\n'
    dataset, _ = load_dataset(write_data(tmp_path / "d", relations))
    view = apply_filters(Network.from_dataset(dataset), FilterState())
    path = tmp_path / f"g.{file_format}"
    path.write_bytes(graph_file(view, file_format))
    graph = nx.read_graphml(path) if file_format == "graphml" else nx.read_gexf(path)
    assert graph.number_of_edges() == 1
    labels = set(nx.get_node_attributes(graph, "label").values())
    assert '<b>x</b> & "y"' in labels
