"""What loads, and how: encodings, line endings, quoting, whitespace, mappings, ids."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data import load_dataset
from tests.conftest import HEADER

ACTORS = (
    "id,name,type,aliases\niran,Iran,state,Islamic Republic\naq,al-Qaeda,armed group,al Qaeda\n"
)
ROWS = (
    'Iran,al Qaeda,Trains,1992,,"trained in explosives, in Iran",9/11 Commission,,,,\n'
    'Islamic Republic,aq,shelters,2009,present,"a ""core pipeline""\nthrough Iran",US State Department,,,,\n'
)


def encode(text: str, *, bom: bool = False, crlf: bool = False) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"bom": True},
        {"crlf": True},
        {"bom": True, "crlf": True},
    ],
    ids=["plain", "utf-8 bom", "crlf", "bom and crlf"],
)
def test_encodings_and_line_endings_load_the_same_claims(data_dir, variant):
    dataset, report = load_dataset(data_dir(encode(HEADER + ROWS, **variant), ACTORS))
    assert not report.problems, report.format()
    claims = dataset.claims
    assert list(claims["from_id"]) == ["iran", "iran"]
    assert list(claims["to_id"]) == ["aq", "aq"]
    assert list(claims["relation"]) == ["trains", "shelters"]
    assert claims["quote"].iloc[0] == "trained in explosives, in Iran"
    # A newline inside a quoted field is kept as written, as \n whatever the file used.
    assert claims["quote"].iloc[1].replace("\r\n", "\n") == 'a "core pipeline"\nthrough Iran'
    assert list(claims["line"]) == [2, 3]


def test_stray_whitespace_around_values_and_headers_is_ignored(data_dir):
    text = " from , to ,relation, start\n  Iran ,  al Qaeda , trains ,  1992 \n"
    dataset, report = load_dataset(data_dir(text, ACTORS))
    assert not report.has_errors, report.format()
    claim = dataset.claims.iloc[0]
    assert (claim["from_id"], claim["to_id"], claim["relation"], claim["start"]) == (
        "iran",
        "aq",
        "trains",
        "1992",
    )


def test_line_numbers_count_physical_lines_after_multiline_fields(data_dir):
    text = HEADER + 'Iran,aq,trains,,,"one\ntwo\nthree",src,,,,\n\nIran,aq,funds,20x1,,q,src,,,,\n'
    _, report = load_dataset(data_dir(text, ACTORS))
    assert [(p.line, p.column) for p in report.errors] == [(6, "start")]


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        ("1998", "", "1998-01-01", "1998-12-31"),
        ("1998-08", "", "1998-08-01", "1998-08-31"),
        ("1998-08-07", "", "1998-08-07", "1998-08-07"),
        ("1991", "1992", "1991-01-01", "1992-12-31"),
        ("2014-02-00", "", "2014-02-01", "2014-02-28"),
        ("2005-00-00", "", "2005-01-01", "2005-12-31"),
        ("2009", "present", "2009-01-01", "2026-11-26"),
        ("", "", "NaT", "NaT"),
    ],
)
def test_time_spans_cover_whole_periods(data_dir, start, end, first, last):
    from datetime import date

    text = HEADER + f"Iran,aq,trains,{start},{end},q,src,,,,\n"
    dataset, report = load_dataset(data_dir(text, ACTORS), today=date(2026, 11, 26))
    assert not report.has_errors, report.format()
    claim = dataset.claims.iloc[0]
    assert (day(claim["span_start"]), day(claim["span_end"])) == (first, last)


def day(value) -> str:
    return "NaT" if pd.isna(value) else str(pd.Timestamp(value).date())


def test_claim_ids_are_stable_when_rows_move(data_dir, tmp_path):
    lines = ROWS.replace("\nthrough", " through").splitlines(keepends=True)
    first, _ = load_dataset(data_dir(HEADER + "".join(lines), ACTORS))
    from tests.conftest import write_data

    moved, _ = load_dataset(
        write_data(tmp_path / "moved", HEADER + "".join(reversed(lines)), ACTORS)
    )
    assert set(first.claims.index) == set(moved.claims.index)
    assert first.claims.loc[moved.claims.index[0], "relation"] == moved.claims["relation"].iloc[0]


def test_exact_duplicates_get_distinct_ids(data_dir):
    line = "Iran,aq,trains,1992,,q,src,,,,\n"
    dataset, _ = load_dataset(data_dir(HEADER + line + line, ACTORS))
    ids = list(dataset.claims.index)
    assert ids[1] == ids[0] + "-2"


def test_claim_without_target_is_kept_as_one_sided(data_dir):
    dataset, report = load_dataset(data_dir(HEADER + "Iran,,announces,2019,,q,src,,,,\n", ACTORS))
    assert not report.has_errors
    assert dataset.claims["to_id"].tolist() == [""]


def test_single_csv_file_loads(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "Iran,al-Qaeda,trains,,,q,src,,,,\n", encoding="utf-8")
    dataset, report = load_dataset(path)
    assert dataset is not None, report.format()
    assert dataset.name == "events"
    assert set(dataset.actors.index) == {"Iran", "al-Qaeda"}


THEIR_FILE = "Actor1,Actor2,Event,Text,Who\nIran,aq,trains,trained them,UN\n"


def test_column_mapping_from_settings_file(data_dir):
    settings = (
        '[relations]\nfile = "events.csv"\n[relations.columns]\n'
        'from = "Actor1"\nto = "Actor2"\nrelation = "Event"\nquote = "Text"\nsource = "Who"\n'
    )
    folder = data_dir(None, ACTORS, {"events.csv": THEIR_FILE, "dashboard.toml": settings})
    dataset, report = load_dataset(folder)
    assert not report.problems, report.format()
    claim = dataset.claims.iloc[0]
    assert (claim["from_id"], claim["to_id"], claim["quote"], claim["source"]) == (
        "iran",
        "aq",
        "trained them",
        "UN",
    )


def test_column_mapping_from_options(data_dir):
    folder = data_dir(THEIR_FILE, ACTORS)
    maps = ["from=Actor1", "to=Actor2", "relation=Event", "quote=Text", "source=Who"]
    dataset, report = load_dataset(folder, maps)
    assert not report.problems, report.format()
    assert dataset.claims["quote"].tolist() == ["trained them"]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (["from=Nope"], 'column "Nope" (mapped to from) is not in the file'),
        (["frm=Actor1"], 'cannot use "frm=Actor1"'),
        (["from"], 'cannot use "from"'),
    ],
)
def test_bad_mappings_are_errors(data_dir, mapping, message):
    dataset, report = load_dataset(data_dir(THEIR_FILE, ACTORS), mapping)
    assert dataset is None
    assert any(message in p.message for p in report.errors), report.format()
