"""Real event data end to end: presets for ACLED, UCDP GED, ICEWS, MMP and GDELT files.

Every file here is written by the test, with the format's published header and made-up
rows (tests/event_formats.py).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dashboard.data import LoadOverrides, load_dataset
from dashboard.data.sources import split_sources
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from tests.event_formats import (
    ACLED_HEADER,
    ICEWS_HEADER,
    MMP_HEADER,
    UCDP_GED_HEADER,
    acled_rows,
    gdelt_header,
    gdelt_rows,
    icews_rows,
    mmp_rows,
    rows_text,
    ucdp_rows,
    write,
)

TODAY = date(2026, 1, 1)


def load(path, **options):
    return load_dataset(path, LoadOverrides(**options), today=TODAY)


def by_line(dataset):
    return dataset.claims.sort_values(["line", "from_id", "to_id"])


# (preset, file name, text, claims expected, title in the notice)
FILES = [
    ("acled", "events.csv", lambda: rows_text(ACLED_HEADER, acled_rows()), 9, "ACLED"),
    ("ucdp-ged", "ged.csv", lambda: rows_text(UCDP_GED_HEADER, ucdp_rows()), 3, "UCDP GED"),
    ("icews", "events.tab", lambda: rows_text(ICEWS_HEADER, icews_rows(), "\t"), 3, "ICEWS"),
    ("mmp", "relationships.csv", lambda: rows_text(MMP_HEADER, mmp_rows()), 3, "Mapping Militants"),
    (
        "gdelt",
        "20150218.export.CSV",
        lambda: rows_text(gdelt_header(2), gdelt_rows(), "\t", with_header=False),
        2,
        "GDELT",
    ),
    (
        "gdelt",
        "20130401.export.CSV",
        lambda: rows_text(gdelt_header(1), gdelt_rows(1), "\t", with_header=False),
        2,
        "GDELT",
    ),
    ("gdelt", "bigquery.csv", lambda: rows_text(gdelt_header(2), gdelt_rows()), 2, "GDELT"),
]


@pytest.mark.parametrize(
    ("preset", "name", "text", "n_claims", "title"),
    FILES,
    ids=[f"{f[0]}:{f[1]}" for f in FILES],
)
def test_each_format_is_detected_and_loads_every_row(tmp_path, preset, name, text, n_claims, title):
    path = write(tmp_path, name, text())
    dataset, report = load(path)
    assert dataset is not None, report.format()
    assert not report.errors
    assert len(dataset.claims) == n_claims
    assert dataset.preset == preset
    assert dataset.attribution
    [note] = report.notes
    assert note.message == (
        f"looks like {title}; read with the {preset} preset (--preset none to turn off)"
    )
    # The explicit preset reads the same, without the notice.
    named, named_report = load(path, preset=preset)
    assert named is not None and not named_report.notes
    assert sorted(named.claims.index) == sorted(dataset.claims.index)


def test_preset_none_turns_detection_off(tmp_path):
    path = write(tmp_path, "events.csv", rows_text(ACLED_HEADER, acled_rows()))
    dataset, report = load(path, preset="none")
    assert dataset is None
    assert not report.notes
    assert any("required column" in p.message for p in report.errors)


def test_preset_named_in_the_settings_file(tmp_path):
    folder = tmp_path / "data"
    write(folder, "relations.csv", rows_text(ACLED_HEADER, acled_rows()))
    write(folder, "dashboard.toml", 'preset = "acled"\nattribution = "Our own line"\n')
    dataset, report = load(folder)
    assert dataset.preset == "acled" and not report.notes
    assert dataset.attribution == "Our own line"  # the settings win over the preset


def test_hand_mapped_columns_are_not_overridden_by_detection(tmp_path):
    folder = tmp_path / "data"
    write(folder, "relations.csv", rows_text(ACLED_HEADER, acled_rows()))
    write(
        folder,
        "dashboard.toml",
        '[relations.columns]\nfrom = "actor1"\nto = "actor2"\nrelation = "event_type"\n',
    )
    dataset, report = load(folder)
    assert dataset.preset is None and not report.notes
    assert len(dataset.claims) == 4  # one per row: associated actors are not mapped


def test_unknown_preset_is_an_error(tmp_path):
    folder = tmp_path / "data"
    write(folder, "relations.csv", "from,to,relation\nA,B,funds\n")
    write(folder, "dashboard.toml", 'preset = "acled2"\n')
    dataset, report = load(folder)
    assert dataset is None
    assert any('unknown preset "acled2"' in p.message for p in report.errors)


# --- ACLED -------------------------------------------------------------------------------


@pytest.fixture
def acled(tmp_path):
    dataset, report = load(write(tmp_path, "events.csv", rows_text(ACLED_HEADER, acled_rows())))
    assert dataset is not None, report.format()
    return dataset, report


def test_acled_associated_actors_are_claims_of_their_own(acled):
    dataset, _ = acled
    first_row = dataset.claims[dataset.claims["line"] == 2]
    # 3 actors on side 1 (actor1 + two associated) x 2 on side 2: 6 claims, 5 associated.
    assert len(first_row) == 6
    assert first_row["row_claims"].tolist() == [6] * 6
    assert int(first_row["associated"].sum()) == 5
    main = first_row[~first_row["associated"]]
    assert {main["from_id"].iat[0], main["to_id"].iat[0]} == {
        "Military Forces of Xland",
        "Front for Liberty",
    }
    assert "Police Forces of Xland" in set(first_row["from_id"]) | set(first_row["to_id"])


def test_acled_sources_split_and_merge_case_variants(acled):
    dataset, report = acled
    claims = by_line(dataset)
    assert claims["source"].tolist()[0] == "Airwars; Local Radio"
    assert [split_sources(s) for s in claims.drop_duplicates("line")["sources"]] == [
        ["Airwars", "Local Radio"],
        ["Airwars"],
        ["Airwars"],  # "AIrwars;Airwars": one source, cited once
        ["Local Radio"],
    ]
    [merge] = [p for p in report.warnings if p.kind == "merged source spellings"]
    assert merge.line == 3
    assert '"Airwars" (2 rows), "airwars" (1 row), "AIrwars" (1 row)' in merge.message
    # The source filter counts every claim citing Airwars, alone or with others.
    network = Network.from_dataset(dataset)
    assert sorted(network.sources) == ["Airwars", "Local Radio"]
    view = apply_filters(network, FilterState(sources=frozenset({"Airwars"})))
    assert view.n_claims == 8  # 6 from the first row, the protest, the agreement
    local = apply_filters(network, FilterState(sources=frozenset({"Local Radio"})))
    assert local.n_claims == 7
    # An edge cited by both counts two sources.
    everything = apply_filters(network, FilterState())
    assert everything.edge_sources.max() == 2


def test_acled_actor_types_from_inter_codes_numbers_and_words(acled):
    dataset, _ = acled
    types = dataset.actors["type"]
    assert types["Military Forces of Xland"] == "state forces"
    assert types["Front for Liberty"] == "rebel group"
    assert types["Protesters (Xland)"] == "protesters"
    assert types["Civilians (Xland)"] == "civilians"
    # inter1 types actor1 only: associated actors are not typed by it.
    assert types["Police Forces of Xland"] == "unknown"


def test_acled_time_precision_is_kept_and_honoured(acled):
    dataset, _ = acled
    claims = by_line(dataset).drop_duplicates("line")
    assert claims["date_precision_code"].tolist() == ["1", "3", "2", "1"]
    assert claims["date_precision"].tolist() == ["day", "month", "week", "day"]
    spans = [
        (str(a.date()), str(b.date()))
        for a, b in zip(claims["span_start"], claims["span_end"], strict=True)
    ]
    assert spans == [
        ("2020-02-12", "2020-02-12"),
        ("2020-03-01", "2020-03-31"),  # "14 March 2020", month precision: all of March
        ("2020-03-29", "2020-04-04"),  # the week around 1 April
        ("2020-05-05", "2020-05-05"),
    ]


def test_acled_relations_are_undirected_with_families(acled):
    dataset, _ = acled
    claims = dataset.claims
    assert not claims["directed"].any()  # "actor 1 and actor 2 do not imply directionality"
    drawn = claims[claims["to_id"] != ""]
    assert (drawn["from_id"] < drawn["to_id"]).all()  # canonical order: A-B and B-A are one
    assert dataset.relation_families["agreement"] == "cooperation"
    assert dataset.relation_families["armed clash"] == "conflict"
    assert "armed clash" in dataset.undirected_relations
    # The agreement (Front -> Military in the file) and the clash (Military -> Front)
    # run the same way: an undirected relation is one edge whichever way rows name it.
    network = Network.from_dataset(dataset)
    ends = {network.actor_code["Military Forces of Xland"], network.actor_code["Front for Liberty"]}
    between = [
        (int(a), int(b))
        for a, b in zip(network.edge_from, network.edge_to, strict=True)
        if {int(a), int(b)} == ends
    ]
    assert len(between) == 2 and len(set(between)) == 1
    assert network.edge_undirected.all()  # every ACLED relation is drawn without arrows


def test_acled_event_id_is_the_key(acled):
    dataset, _ = acled
    assert set(dataset.claims["key"]) == {"XYZ1", "XYZ2", "XYZ3", "XYZ4"}


# --- UCDP GED ----------------------------------------------------------------------------


@pytest.fixture
def ucdp(tmp_path):
    dataset, report = load(write(tmp_path, "ged.csv", rows_text(UCDP_GED_HEADER, ucdp_rows())))
    assert dataset is not None, report.format()
    return dataset, report


def test_ucdp_source_original_else_source_office(ucdp):
    dataset, _ = ucdp
    claims = by_line(dataset)
    assert claims["source"].tolist() == [
        "Local police; Witnesses",
        "Agency A; Agency B",
        "Agency B",
    ]


def test_ucdp_published_cell_with_several_dates_loads(ucdp):
    dataset, report = ucdp
    assert by_line(dataset)["published"].iat[1] == (
        "2019-04-03 00:00:00.000;2019-04-05 00:00:00.000"
    )
    assert not any(p.kind == "unreadable date" for p in report.problems)


def test_ucdp_precision_codes_and_relation_labels(ucdp):
    dataset, _ = ucdp
    claims = by_line(dataset)
    assert claims["relation"].tolist() == [
        "state-based armed conflict",
        "one-sided violence",
        "non-state conflict",
    ]
    assert claims["date_precision_code"].tolist() == ["1", "2", "4"]
    assert claims["date_precision"].tolist() == ["day", "days", "month"]
    assert claims["directed"].tolist() == [False, True, False]  # one-sided: side A acts
    assert [str(d.date()) for d in claims["span_end"]] == [
        "2019-03-01",
        "2019-04-03",
        "2019-06-30",
    ]


def test_ucdp_without_quotes_is_one_warning_not_one_per_row(ucdp):
    _, report = ucdp
    quotes = [p for p in report.problems if p.column == "quote"]
    assert [(p.kind, p.message) for p in quotes] == [
        ("no quote column", "the file has no quote column: no claim has a quote")
    ]


# --- ICEWS -------------------------------------------------------------------------------


def test_icews_events_alike_but_for_their_ids_are_not_duplicates(tmp_path):
    path = write(tmp_path, "events.tab", rows_text(ICEWS_HEADER, icews_rows(), "\t"))
    dataset, report = load(path)
    assert len(set(dataset.claims.index)) == 3
    assert not any("duplicate" in p.kind for p in report.problems)
    # With a key that does not tell them apart, they are duplicates.
    _, plain = load(path, preset="icews", mappings=("key=Latitude",))
    assert any(p.kind == "duplicate key" for p in plain.warnings)


def test_icews_families_are_cameo_quad_classes(tmp_path):
    dataset, _ = load(write(tmp_path, "e.tab", rows_text(ICEWS_HEADER, icews_rows(), "\t")))
    assert dataset.relation_families == {
        "make statement": "verbal cooperation",
        "fight with small arms and light weapons": "material conflict",
    }
    assert dataset.claims["directed"].all()


# --- Mapping Militants -------------------------------------------------------------------


def test_mmp_two_digit_years_relations_families_and_direction(tmp_path):
    path = write(tmp_path, "relationships.csv", rows_text(MMP_HEADER, mmp_rows()))
    dataset, report = load(path)
    claims = by_line(dataset)
    assert str(claims["span_start"].iat[0].date()) == "1968-01-01"  # 1/1/68, not 2068
    assert not any(p.kind == "two-digit year in the future" for p in report.problems)
    assert claims["relation"].tolist() == ["allied with", "has splinter group", "rivals"]
    assert claims["relation_family"].tolist() == [
        "cooperation",
        "hierarchy and membership",
        "conflict",
    ]
    assert claims["directed"].tolist() == [False, True, False]
    assert claims["date_precision"].tolist() == ["day", "year", "day"]
    network = Network.from_dataset(dataset)
    undirected = dict(zip(network.edges["relation"], network.edge_undirected, strict=True))
    assert undirected == {"allied with": True, "has splinter group": False, "rivals": True}
    # "New Front rivals Front for Liberty" is drawn between the two, in id order.
    assert (claims["from_id"].iat[2], claims["to_id"].iat[2]) == ("Front for Liberty", "New Front")


# --- GDELT -------------------------------------------------------------------------------


def test_gdelt_types_families_and_root_labels(tmp_path):
    text = rows_text(gdelt_header(2), gdelt_rows(), "\t", with_header=False)
    dataset, _ = load(write(tmp_path, "20150218.export.CSV", text))
    assert dataset.actors.loc["XLAND", "type"] == "government"
    assert dataset.actors.loc["FRONT FOR LIBERTY", "type"] == "rebels"
    claims = by_line(dataset)
    assert claims["relation"].tolist() == ["fight", "consult"]
    assert claims["relation_family"].tolist() == ["material conflict", "verbal cooperation"]
    assert claims["key"].tolist() == ["410000001", "410000002"]
    assert claims["source"].tolist() == ["GDELT", "GDELT"]  # a constant for the whole file


def test_gdelt_rows_naming_no_first_actor_are_errors_to_skip(tmp_path):
    rows = [*gdelt_rows(), {**gdelt_rows()[0], "GLOBALEVENTID": "410000003", "Actor1Name": ""}]
    path = write(tmp_path, "x.CSV", rows_text(gdelt_header(2), rows, "\t", with_header=False))
    dataset, report = load(path)
    assert dataset is None and report.errors[0].message == "claim has no actor in from"
    kept, _ = load(path, skip_invalid=True)
    assert len(kept.claims) == 2


def test_precision_code_outside_the_table_is_a_warning(tmp_path):
    rows = acled_rows()
    rows[0]["time_precision"] = "9"
    dataset, report = load(write(tmp_path, "e.csv", rows_text(ACLED_HEADER, rows)))
    assert dataset is not None
    [warning] = [p for p in report.warnings if p.kind == "value not in lookup"]
    assert warning.line == 2 and '"9"' in warning.message
    assert np.all(dataset.claims.loc[dataset.claims["line"] == 2, "date_precision"] == "day")


# --- one claim, several sources, downstream ---------------------------------------------


def test_a_claim_citing_several_sources_counts_once_per_source_everywhere(tmp_path):
    from dashboard.export.data_files import graph_file
    from dashboard.web.page import filter_panel

    relations = 'from,to,relation,source\nA,B,funds,"S1; S2"\nA,B,fights,S1\nC,D,funds,S3\n'
    folder = tmp_path / "data"
    write(folder, "relations.csv", relations)
    write(folder, "dashboard.toml", '[relations]\nlist_columns = ["source"]\n')
    dataset, report = load(folder)
    assert dataset is not None, report.format()
    network = Network.from_dataset(dataset)
    view = apply_filters(network, FilterState())
    funds = network.edge_number("A", "B", "funds")
    fights = network.edge_number("A", "B", "fights")
    assert view.n_claims == 3
    assert view.edge_sources[funds] == 2
    # S2 says funds where S1 says fights: both edges are contested; S1 alone would not be.
    assert view.edge_contested[funds] and view.edge_contested[fights]
    only_s1 = apply_filters(network, FilterState(sources=frozenset({"S1"})))
    assert only_s1.n_claims == 2 and only_s1.edge_sources[funds] == 1
    only_s2 = apply_filters(network, FilterState(sources=frozenset({"S2"})))
    assert only_s2.n_claims == 1
    assert b"S1; S2" in graph_file(view, "graphml")
    # The source list counts claims per source: S1 is cited by two, S2 by one.
    panel = str(filter_panel(network, 3, []))
    assert "S1 (2)" in panel and "S2 (1)" in panel
