"""The mapping language on files of any shape: combined columns, constants, fallbacks,
several values in a cell, source spellings, undirected relations, actor types from
relation columns, keys, two-digit years, and reports that summarise before listing."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.data import LoadOverrides, load_dataset
from dashboard.data.mapping import ColumnSpec, parse_spec
from dashboard.data.report import Report
from dashboard.data.sources import split_sources

TODAY = date(2026, 1, 1)


def load_folder(tmp_path, relations: str, toml: str = "", actors: str | None = None, **options):
    folder = tmp_path / "data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "relations.csv").write_text(relations, encoding="utf-8")
    if toml:
        (folder / "dashboard.toml").write_text(toml, encoding="utf-8")
    if actors is not None:
        (folder / "actors.csv").write_text(actors, encoding="utf-8")
    return load_dataset(folder, LoadOverrides(**options), today=TODAY)


def column(dataset, name):
    return dataset.claims.sort_values("line")[name].tolist()


@pytest.mark.parametrize(
    ("toml", "relations", "column_name", "expected"),
    [
        (
            '[relations.columns]\nsource = {value = "Our archive"}',
            "from,to,relation\nA,B,funds\nB,C,arms\n",
            "source",
            ["Our archive", "Our archive"],
        ),
        (
            '[relations.columns]\nsource = {first = ["original", "office"]}',
            "from,to,relation,original,office\nA,B,funds,Police,Agency\nB,C,arms,,Agency\n",
            "source",
            ["Police", "Agency"],
        ),
        (
            '[relations.columns]\nsource = ["outlet", "wire"]',
            "from,to,relation,outlet,wire\nA,B,funds,Daily,Wire\nB,C,arms,,Wire\n",
            "source",
            ["Daily; Wire", "Wire"],
        ),
        (
            '[relations.columns]\nsource = {column = "refs", split = "|"}',
            "from,to,relation,refs\nA,B,funds,Daily|Wire\n",
            "source",
            ["Daily; Wire"],
        ),
        (
            '[relations]\nlist_columns = ["source"]',
            "from,to,relation,source\nA,B,funds,Daily; Wire\n",
            "source",
            ["Daily; Wire"],
        ),
        (
            '[relations.columns]\nkey = ["story", "sentence"]',
            "from,to,relation,story,sentence\nA,B,funds,77,1\nA,B,funds,77,2\n",
            "key",
            ["77 / 1", "77 / 2"],
        ),
        (
            '[relations.columns]\nrelation = {column = "code", values = {"19*" = "fights", '
            '"190" = "shoots at", "04" = "meets"}}',
            "from,to,code\nA,B,190\nA,B,193\nA,B,04\n",
            "relation",
            ["shoots at", "fights", "meets"],
        ),
    ],
    ids=["constant", "fallback", "all of columns", "split cell", "list column", "key", "codes"],
)
def test_mapping_forms(tmp_path, toml, relations, column_name, expected):
    dataset, report = load_folder(tmp_path, relations, toml)
    assert dataset is not None, report.format()
    assert column(dataset, column_name) == expected


def test_a_list_of_actors_from_several_columns_marks_the_associated(tmp_path):
    relations = "a1,assoc,a2,relation\nIran,Hezbollah; IRGC,Hamas,funds\n"
    toml = '[relations.columns]\nfrom = {columns = ["a1", "assoc"], split = ";"}\nto = "a2"\n'
    dataset, _ = load_folder(tmp_path, relations, toml)
    assert column(dataset, "from_id") == ["Iran", "Hezbollah", "IRGC"]
    assert column(dataset, "associated") == [False, True, True]
    assert column(dataset, "row_claims") == [3, 3, 3]


def test_identical_rows_with_different_keys_are_not_duplicates(tmp_path):
    relations = "from,to,relation,story,sentence\nA,B,funds,77,1\nA,B,funds,78,1\nA,B,funds,78,1\n"
    toml = '[relations.columns]\nkey = ["story", "sentence"]\n'
    dataset, report = load_folder(tmp_path, relations, toml)
    assert len(dataset.claims) == 3
    [duplicate] = [p for p in report.warnings if "duplicate" in p.kind]
    assert (duplicate.line, duplicate.kind) == (4, "duplicate key")
    assert 'same key "78 / 1"' in duplicate.message and "line 3" in duplicate.message
    # Without a key, rows alike in every mapped cell are exact duplicates.
    _, plain = load_folder(
        tmp_path / "plain", "from,to,relation\nA,B,funds\nA,B,funds\nA,B,funds\n"
    )
    assert sum(p.kind == "duplicate claim" for p in plain.warnings) == 2


def test_published_cells_with_several_dates(tmp_path):
    relations = 'from,to,relation,published\nA,B,funds,"2001-02-03; 2001-02-10"\n'
    dataset, report = load_folder(
        tmp_path, relations, '[relations.columns]\npublished = {column = "published", split = ";"}'
    )
    assert dataset is not None, report.format()
    # Without the split the same cell is not a date: an error, as before.
    refused, report = load_folder(tmp_path, relations, " ")
    assert refused is None and report.errors[0].kind == "unreadable date"


def test_source_spellings_merge_to_the_most_frequent(tmp_path):
    relations = (
        "from,to,relation,source\nA,B,funds,airwars\nA,C,funds,Airwars\nB,C,funds,Airwars\n"
        "C,A,funds,AIRWARS \n"
    )
    dataset, report = load_folder(tmp_path, relations)
    assert set(column(dataset, "source")) == {"Airwars"}
    [merge] = [p for p in report.warnings if p.kind == "merged source spellings"]
    assert merge.message.startswith(
        'source names differing only in case or spacing were merged into "Airwars" '
        '(the most frequent spelling): "airwars" (1 row), "Airwars" (2 rows), "AIRWARS" (1 row)'
    )


def test_undirected_relations_from_the_settings_and_the_lookup_table(tmp_path):
    relations = "from,to,relation\nB,A,allied with\nA,B,allied with\nB,A,1\nB,A,funds\n"
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "codes.csv").write_text("code,label,family,directed\n1,rivals,conflict,no\n")
    toml = (
        '[relations]\nrelation_labels = "codes.csv"\n'
        '[relation_families]\n"allied with" = {family = "cooperation", directed = false}\n'
    )
    dataset, report = load_folder(tmp_path, relations, toml)
    assert dataset is not None, report.format()
    claims = dataset.claims.sort_values("line")
    assert list(zip(claims["from_id"], claims["to_id"], claims["directed"], strict=True)) == [
        ("A", "B", False),
        ("A", "B", False),
        ("A", "B", False),
        ("B", "A", True),  # funds keeps its direction
    ]
    assert dataset.undirected_relations == {"allied with", "rivals"}
    assert dataset.relation_families == {"allied with": "cooperation", "rivals": "conflict"}
    # B-A and A-B with the same cells are one claim said twice.
    assert sum(p.kind == "duplicate claim" for p in report.warnings) == 1


def test_actor_types_from_relation_columns(tmp_path):
    relations = (
        "from,to,relation,from_type,to_type\n"
        "Iran,Hamas,funds,state,armed group\n"
        "Iran,Hezbollah,arms,State,\n"
        "Hamas,Fatah,fights,party,party\n"
    )
    actors = "id,type\nFatah,organization\n"
    dataset, report = load_folder(tmp_path, relations, actors=actors)
    types = dataset.actors["type"]
    assert types["Iran"] == "state" and types["Hezbollah"] == "unknown"
    assert types["Fatah"] == "organization"  # actors.csv wins
    assert types["Hamas"] == "armed group"  # first seen among equally frequent types
    [several] = [p for p in report.warnings if p.kind == "actor with several types"]
    assert '"Hamas"' in several.message and "armed group (1 row), party (1 row)" in several.message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["a", "b"], "only from, to, source, key can take several columns"),
        ({"first": "a"}, "quote.first must be a list"),
        ({"column": "a", "value": "b"}, "takes one of column, columns, first, value"),
        ({"column": "a", "split": ";"}, "split must be a separator"),
        ({"column": "a", "values": ["x"]}, "quote.values must be a table"),
        ({"colum": "a"}, "unknown: colum"),
        (True, "quote must name a column"),
    ],
)
def test_bad_column_specs_are_errors(value, message):
    report = Report()
    assert parse_spec("quote", value, report) is None
    assert message in report.errors[0].message


def test_column_spec_forms():
    assert parse_spec("from", 3, Report()) == ColumnSpec(("3",))
    assert parse_spec("from", ["a"], Report()) == ColumnSpec(("a",))
    assert parse_spec("key", ["a", "b"], Report()).how == "all"


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('[relation_families]\n"fights" = {directed = "no"}', '"fights" must be a family'),
        ('[relation_families]\n"fights" = {family = "conflict", arrows = 1}', "must be a family"),
        ("[relations]\ntwo_digit_pivot = 150", "two_digit_pivot must be a whole number"),
        ('[relations.columns]\nquote = {first = ["a"], value = "b"}', "takes one of"),
    ],
)
def test_bad_new_settings_are_errors(tmp_path, toml, problem):
    dataset, report = load_folder(tmp_path, "from,to,relation\nA,B,fights\n", toml)
    assert dataset is None
    assert any(problem in p.message for p in report.errors), report.format()


# --- dates --------------------------------------------------------------------------------


def test_two_digit_years_in_the_future_are_a_warning_naming_the_rows(tmp_path):
    relations = "from,to,relation,start\n" + "".join(
        f"A,B,funds,{text}\n" for text in ("1/1/68", "1/1/68", "3/4/05", "12/31/98", "1/2/27")
    )
    dataset, report = load_folder(tmp_path, relations)
    assert dataset is not None  # a warning, not an error
    future = [p for p in report.warnings if p.kind == "two-digit year in the future"]
    assert [(p.line, p.column) for p in future] == [(2, "start"), (6, "start")]
    assert future[0].message == (
        '"1/1/68" has a two-digit year that reads as 2068, after today (2026-01-01); on '
        "lines 2, 3. If it means the 1900s, set two_digit_pivot (e.g. --two-digit-pivot 27)"
    )


@pytest.mark.parametrize("how", ["toml", "option"])
def test_the_pivot_can_be_set(tmp_path, how):
    relations = "from,to,relation,start\nA,B,funds,1/1/68\nA,B,arms,1/1/26\n"
    toml = "[relations]\ntwo_digit_pivot = 27\n" if how == "toml" else ""
    options = {"two_digit_pivot": 27} if how == "option" else {}
    dataset, report = load_folder(tmp_path, relations, toml, **options)
    assert [str(d.date()) for d in dataset.claims.sort_values("line")["span_start"]] == [
        "1968-01-01",
        "2026-01-01",
    ]
    assert not any(p.kind == "two-digit year in the future" for p in report.problems)


def test_date_precision_from_the_text(tmp_path):
    relations = "from,to,relation,start,end\nA,B,r,1998,\nA,B,s,2014-02-00,\nA,B,t,3/4/05,\nA,B,u,,\nA,B,v,1998-05-02,1999\n"
    dataset, _ = load_folder(tmp_path, relations)
    assert column(dataset, "date_precision") == ["year", "month", "day", "", "year"]
    assert column(dataset, "date_precision_code") == [""] * 5


# --- reports ------------------------------------------------------------------------------


def test_check_prints_totals_per_kind_before_examples(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    rows = "".join(f"A{i},B{i},funds,,\n" for i in range(30))
    (folder / "relations.csv").write_text(
        "from,to,relation,source,start\n" + rows + "A,B,x,UN,13/13/13\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", str(folder), "--max-per-kind", "2"])
    lines = result.output.splitlines()
    table = lines[: lines.index("")]
    assert [line.split() for line in table] == [
        ["kind", "severity", "count"],
        ["unreadable", "date", "error", "1"],
        ["no", "source", "warning", "30"],
        ["no", "quote", "column", "warning", "1"],
        ["no", "actors", "file", "warning", "1"],
    ]
    # No quote column at all: one line, not one per row.
    assert [line for line in lines if 'column "quote"' in line] == [
        'relations.csv:1: warning: column "quote": the file has no quote column: '
        "no claim has a quote"
    ]
    assert "... and 28 more warnings like: no source" in result.output
    assert result.exit_code == 1


def test_check_offers_presets_and_pivot():
    result = CliRunner().invoke(main, ["check", "--help"])
    assert "--preset [acled|ucdp-ged|icews|mmp|gdelt|none]" in result.output
    assert "--two-digit-pivot" in result.output


def test_sources_of_a_claim_read_back():
    assert split_sources("") == [] and split_sources("A\x1fB") == ["A", "B"]
