"""Large data: `--engine auto` picks DuckDB above the threshold only; DuckDB's own reading
checks every row (file, line, column) and shows what the careful reader shows."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard import cli, large_data
from dashboard.data import LoadOverrides, load_or_raise
from dashboard.data.duck_ingest import ingest
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.served import DuckEngine, edge_evidence
from tests.conftest import HEADER, TODAY, write_data

ACTORS = "id,name,type,aliases,description\na,Alpha,state,Al;A1,\nb,Beta,armed group,,\n"
ACTORS += "c,Gamma,state,,\nd,Delta,person,,\n"
GOOD = (
    HEADER
    + "Alpha,Beta,trains,2001,2003,q1,S1,asserts,,,\n"
    + "alpha,Beta,funds,2002-05,present,q2,S2,,,,\n"
    + "Beta,Gamma,Fights,1999,,q3,S1,,,,\n"
    + "Gamma,Beta,allied with,2000,2001,q4,S2,,,,\n"
    + "A1,Gamma,trains,,,q5,S3,denies,,,\n"
    + "Delta,,founded,2010-02-03,,q6,S1,,,,\n"
    + 'Beta,Alpha,trains,2004,2005,"two\nlines",S3,,,https://example.org/x,\n'
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_data(tmp_path_factory.mktemp("large") / "data", GOOD, ACTORS)


@pytest.mark.parametrize(
    ("rows", "threshold", "requested", "expected"),
    [
        (3, 2, "auto", "duckdb"),
        (3, 3, "auto", "memory"),
        (3, 10, "duckdb", "duckdb"),
        (3, 1, "memory", "memory"),
    ],
)
def test_auto_picks_the_engine_by_the_number_of_claims(
    tmp_path, rows, threshold, requested, expected
):
    path = tmp_path / "relations.csv"
    path.write_text(HEADER + "Alpha,Beta,trains,,,q,S,,,,\n" * rows)
    assert large_data.count_claims(path) == rows
    assert large_data.pick_engine(path, requested, threshold) == expected


@pytest.mark.parametrize(("threshold", "duck"), [(3, True), (100, False)])
def test_run_serves_from_duckdb_above_the_threshold(folder, monkeypatch, threshold, duck):
    """The app `dashboard run` builds gets DuckDB's engine above the threshold only."""
    made = {}

    def create_app(dataset, layouts, hosts, **options):
        made.update(options, dataset=dataset)
        return "app"

    monkeypatch.setattr(large_data, "THRESHOLD", threshold)
    monkeypatch.setattr("dashboard.web.app.create_app", create_app)
    cli._app_for_serving(folder, LoadOverrides(), "auto", frozenset(), wait=True)
    assert isinstance(made.get("engine"), DuckEngine) == duck
    assert (made["dataset"] is None) == duck


@pytest.mark.parametrize("extra", ["dashboard.toml", "no actors.csv", "--map"])
def test_auto_reads_into_memory_what_duckdb_cannot_read(tmp_path, monkeypatch, capsys, extra):
    """Above the threshold, data DuckDB's reader does not take (settings, no actors file,
    reading options) is read into memory as before, with a note why."""
    data = write_data(tmp_path / "data", GOOD, None if extra == "no actors.csv" else ACTORS)
    if extra == "dashboard.toml":
        (data / "dashboard.toml").write_text('title = "T"\n')
    overrides = LoadOverrides(mappings=("quote=quote",)) if extra == "--map" else LoadOverrides()
    made = {}
    monkeypatch.setattr(large_data, "THRESHOLD", 3)
    monkeypatch.setattr("dashboard.web.app.create_app", lambda *a, **k: made.update(k))
    cli._app_for_serving(data, overrides, "auto", frozenset(), wait=True)
    assert "engine" not in made
    assert "Many claims, read into memory" in capsys.readouterr().err


def test_no_relations_file_is_for_the_careful_reader(tmp_path):
    assert large_data.pick_engine(tmp_path, "auto", threshold=0) == "memory"


BAD = (
    HEADER
    + 'Alpha,Beta,trains,2001,2003,"a quote\nover two lines",S1,,,,\n'  # lines 2-3
    + "Alpha,Nobody,trains,2001,,q,S1,,,,\n"  # line 4
    + ",Beta,trains,2001,,q,S1,,,,\n"  # line 5
    + "Alpha,Beta,,2001,,q,S1,maybe,,,\n"  # line 6
    + "Alpha,Beta,funds,2001-13,,q,S1,,,,\n"  # line 7
    + "Alpha,Beta,funds,2003,2001,q,S1,,,javascript:alert(1),\n"  # line 8
    + "Alpha,Beta,funds,,2001,,,,,,\n"  # line 9
)


def test_every_bad_row_is_reported_with_its_line_and_column(tmp_path):
    data = write_data(tmp_path / "data", BAD, ACTORS + "a,Again,state,,\n,Nameless,state,,\n")
    report = ingest(data, tmp_path / "x.duckdb", today=TODAY.isoformat())
    found = {(p.file, p.line, p.column, p.kind) for p in report.problems}
    assert found >= {
        ("actors.csv", 6, "id", "duplicate actor id"),
        ("actors.csv", 7, "id", "actor without id"),
        ("relations.csv", 4, "to", "unknown actor"),
        ("relations.csv", 5, "from", "missing from"),
        ("relations.csv", 6, "relation", "missing relation"),
        ("relations.csv", 6, "stance", "bad stance"),
        ("relations.csv", 7, "start", "unreadable date"),
        ("relations.csv", 8, "end", "end before start"),
        ("relations.csv", 8, "url", "bad url"),
        ("relations.csv", 9, "start", "end without start"),
        ("relations.csv", 9, "quote", "no quote"),
    }
    assert not any(p.line in (2, 3) and p.file == "relations.csv" for p in report.problems)


def test_skip_invalid_serves_the_valid_rows(tmp_path):
    data = write_data(tmp_path / "data", BAD, ACTORS)
    engine, report = large_data.open_engine(data, TODAY, skip_invalid=True, cache_dir=tmp_path)
    assert report.has_errors
    assert engine.full.n_claims == 1


def test_errors_stop_the_start(tmp_path):
    data = write_data(tmp_path / "data", BAD, ACTORS)
    engine, report = large_data.open_engine(data, TODAY, cache_dir=tmp_path)
    assert engine is None and report.has_errors
    assert not list((tmp_path / "duckdb").glob("*"))


STATES = [
    FilterState(),
    FilterState(years=(2001, 2002)),
    FilterState(years=(2001, 2002), include_undated=False),
    FilterState(sources=frozenset({"S1"})),
    FilterState(stances=frozenset({"denies"})),
    FilterState(actor_types=frozenset({"state"})),
    FilterState(focus="b", depth=1),
    FilterState(min_sources=2),
]


@pytest.mark.parametrize("state", STATES)
def test_duckdb_reading_shows_what_the_careful_reader_shows(folder, tmp_path_factory, state):
    cache = tmp_path_factory.mktemp("duck-cache")
    engine, report = large_data.open_engine(folder, TODAY, cache_dir=cache)
    assert not report.has_errors, report.format()
    network = Network.from_dataset(load_or_raise(folder, today=TODAY))
    expected, found = apply_filters(network, state), engine(state)
    assert found.counts_text() == expected.counts_text()
    for name in ("edge_mask", "node_mask", "edge_claims", "edge_sources", "edge_denials",
                 "edge_opposed", "edge_first_day", "edge_last_day"):  # fmt: skip
        assert np.array_equal(getattr(found, name), getattr(expected, name)), name
    for edge in range(len(network.edges)):
        ours, theirs = edge_evidence(found, edge), edge_evidence(expected, edge)
        assert [c.quote for c in ours.claims] == [c.quote for c in theirs.claims]
        assert [c.line for c in ours.claims] == [c.line for c in theirs.claims]
        assert (ours.total, ours.hidden) == (theirs.total, theirs.hidden)


def test_a_second_start_opens_the_kept_database(folder, tmp_path):
    first, _ = large_data.open_engine(folder, TODAY, cache_dir=tmp_path)
    said = []
    second, _ = large_data.open_engine(folder, TODAY, say=said.append, cache_dir=tmp_path)
    assert said and said[0].startswith("reading claims checked before")
    assert second.full.n_claims == first.full.n_claims == 7


def test_a_file_duckdb_cannot_read_is_one_error(tmp_path):
    relations = HEADER + "Alpha,Beta,trains,2001,,q,S1,,,,\n" + 'Alpha,Beta,"unclosed,2001\n'
    data = write_data(tmp_path / "data", relations, ACTORS)
    report = ingest(data, tmp_path / "x.duckdb", today=TODAY.isoformat())
    assert [(p.file, p.kind) for p in report.errors] == [("relations.csv", "bad csv")]
    assert "cannot read the file as CSV" in report.errors[0].message
