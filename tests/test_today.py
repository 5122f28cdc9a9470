"""No test depends on the real date: the fixtures hold whatever day is taken as today.

A claim ending "present" runs to the day the loader is given. The suite pins that day
(``tests.conftest.TODAY``); here the same fixtures are built for later days, as if the
suite ran in 2027 or 2030, and the views that used to follow the calendar are checked.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
import pytest

from dashboard.draw.assemble import Drawing, edge_hover_texts
from dashboard.draw.scene import build_scene, build_step
from dashboard.export.data_files import claims_csv, graph_file
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.url_codec import from_query
from tests.conftest import TODAY, load_bundled

DAYS = [TODAY, date(2027, 1, 2), date(2030, 6, 1)]


@pytest.fixture(scope="module", params=DAYS, ids=str)
def dated(request) -> tuple[date, Network]:
    return request.param, Network.from_dataset(load_bundled(request.param))


def test_present_is_the_day_given(dated):
    today, network = dated
    claims = network.claims
    ongoing = claims[claims["end"] == "present"]
    assert len(ongoing) == 2
    assert (ongoing["span_end"] == np.datetime64(today, "D")).all()
    assert network.year_bounds == (1990, today.year)


def test_the_full_view_does_not_depend_on_the_day(dated):
    _, network = dated
    view = apply_filters(network, FilterState())
    assert view.counts_text() == "28 actors · 50 edges · 66 claims (of 66)"


def test_a_repeated_year_parameter_runs_to_the_last_year(dated):
    today, network = dated
    state, notices = from_query("?from=1995&from=1996", network)
    assert state.filters.years == (1995, today.year)
    assert any("given 2 times" in notice for notice in notices)


def test_ongoing_edges_run_to_the_day_given(dated, tmp_path):
    today, network = dated
    view = apply_filters(network, FilterState())
    edge = network.edge_number("iran", "al-qaeda", "cooperates with")
    scene = build_scene(network, compute_layout(network, "force"))
    drawing = Drawing(scene, build_step(view, scene))
    text = edge_hover_texts(drawing)[int(np.flatnonzero(drawing.edges == edge)[0])]
    assert f"1990–{today.year} (+5 undated)" in text
    path = tmp_path / "view.graphml"
    path.write_bytes(graph_file(view, "graphml"))
    (data,) = [
        d
        for a, b, d in nx.read_graphml(path).edges(data=True)
        if (a, b) == ("iran", "al-qaeda") and d["relation"] == "cooperates with"
    ]
    assert (data["start"], data["end"]) == (1990, today.year)


def test_claims_csv_keeps_present_as_written(dated):
    _, network = dated
    text = claims_csv(apply_filters(network, FilterState()))
    assert text.count(",present,") == 2
