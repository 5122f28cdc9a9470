"""The claims CSV export loads back as the same claims: ids, every cell, actor types.

Cells a spreadsheet would run as formulas are escaped with an apostrophe, and the rows
say so (``escaping`` = ``apostrophe``): the loader undoes exactly that, in those rows
only. Actor types travel as ``from_type`` and ``to_type``.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.data import CLAIM_COLUMNS, load_dataset
from dashboard.export.data_files import claims_csv, escape_cell
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.url_codec import from_query
from tests.conftest import HEADER, TODAY, write_data

ACTORS = """id,name,type,aliases,description
iran,Iran,state,Islamic Republic;=IR,
=cmd,=cmd,armed group,,"=1+1, said the description"
@org,@org,organization,,
'quoted,'quoted,person,,
-dash,-dash,agency,+dash,
"""


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return HEADER + out.getvalue()


# from, to, relation, start, end, quote, source, stance, document, url, published
HOSTILE = csv_text(
    [
        [
            "Iran",
            "=cmd",
            "funds",
            "1999",
            "present",
            '=HYPERLINK("http://evil")',
            "@src",
            "",
            "=doc",
            "https://example.org/?q=-1",
            "2001",
        ],
        ["=IR", "@org", "Trains ", "", "", "+44 20 7946 0000", "-source-", "DENIES", "", "", ""],
        [
            "Islamic Republic",
            "'quoted",
            "shelters",
            "2001-02",
            "",
            "'starts with an apostrophe",
            "''two",
            "asserts",
            "'doc'",
            "",
            "",
        ],
        [
            "-dash",
            "+dash",
            "arms",
            "",
            "",
            'line one\nline two, with "quotes", and, commas',
            "src",
            "",
            "",
            "",
            "",
        ],
        ["@org", "", "announces", "", "", "\t=tab first, then a formula", "src", "", "", "", ""],
        ["'quoted", "Iran", "meets", "", "", "a\r\nb\rc", "\r=cr first", "", "", "", ""],
        ["Hamas", "=cmd", "@relation", "", "", "-", "=1", "", "", "", ""],
        [
            "Iran",
            "=cmd",
            "funds",
            "1999",
            "present",
            '=HYPERLINK("http://evil")',
            "@src",
            "",
            "=doc",
            "https://example.org/?q=-1",
            "2001",
        ],
    ]
)


def actor_types(dataset, side: str) -> list[str]:
    return dataset.actors["type"].reindex(dataset.claims[f"{side}_id"]).fillna("").tolist()


def round_trip(tmp_path, dataset, state: FilterState | None = None):
    """Export the claims ``state`` shows, and load the file back alone (no actors.csv)."""
    view = apply_filters(Network.from_dataset(dataset), state or FilterState())
    path = tmp_path / "export" / "export.csv"
    path.parent.mkdir()
    path.write_text(claims_csv(view), encoding="utf-8")
    reloaded, report = load_dataset(path, today=TODAY)
    assert reloaded is not None, report.format()
    shown = dataset.claims[view.claim_mask]
    return shown, reloaded


def assert_same_claims(original, shown: pd.DataFrame, reloaded) -> None:
    assert reloaded.claims.index.tolist() == shown.index.tolist()
    for column in CLAIM_COLUMNS:
        assert reloaded.claims[column].tolist() == shown[column].tolist(), column
    for side in ("from", "to"):
        kept = original.claims.index.isin(shown.index)
        expected = [t for t, k in zip(actor_types(original, side), kept, strict=True) if k]
        assert actor_types(reloaded, side) == expected, side


def test_hostile_claims_load_back_unchanged(tmp_path):
    original, report = load_dataset(write_data(tmp_path / "d", HOSTILE, ACTORS), today=TODAY)
    assert original is not None, report.format()
    shown, reloaded = round_trip(tmp_path, original)
    assert_same_claims(original, shown, reloaded)
    assert len(reloaded.claims) == 8  # the exact duplicate too, with the same "-2" id
    assert {"armed group", "organization", "person", "agency", "state", "unknown"} <= set(
        reloaded.actors["type"]
    )


@pytest.mark.parametrize(
    "query", ["", "?from=1991&to=1998&source=9%2F11+Commission", "?stance=denies"]
)
def test_bundled_claims_load_back_unchanged(tmp_path, bundled_dataset, network, query):
    state, _ = from_query(query, network)
    shown, reloaded = round_trip(tmp_path, bundled_dataset, state.filters)
    assert_same_claims(bundled_dataset, shown, reloaded)


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("'quoted'", "''quoted'"),
        ("Iran", "Iran"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_escaped(cell, safe):
    assert escape_cell(cell) == safe


def test_export_marks_every_row_and_carries_types(bundled_dataset):
    view = apply_filters(Network.from_dataset(bundled_dataset), FilterState())
    rows = list(csv.DictReader(io.StringIO(claims_csv(view))))
    assert len(rows) == 66
    assert {row["escaping"] for row in rows} == {"apostrophe"}
    assert {row["from_type"] for row in rows} >= {"state", "armed group"}


def test_an_ordinary_file_keeps_its_apostrophes(data_dir):
    relations = HEADER + "Iran,Hamas,funds,,,'Tis true,'src,,,,\n"
    dataset, _ = load_dataset(data_dir(relations, ACTORS))
    claim = dataset.claims.iloc[0]
    assert (claim["quote"], claim["source"]) == ("'Tis true", "'src")


def test_unknown_escaping_is_an_error_at_its_cell(data_dir):
    relations = HEADER.strip() + ",escaping\nIran,Hamas,funds,,,'q,src,,,,,quotes\n"
    dataset, report = load_dataset(data_dir(relations, ACTORS))
    assert dataset is None
    assert 'relations.csv:2: error: column "escaping": unknown escaping "quotes"' in report.format()


def test_extra_columns_do_not_change_claim_ids(tmp_path):
    row = "Iran,Hamas,funds,1999,,q,src,,,,"
    plain, _ = load_dataset(write_data(tmp_path / "a", HEADER + row + "\n", ACTORS))
    extra = HEADER.strip() + ",from_type,to_type,escaping\n" + row + ",state,armed group,\n"
    typed, _ = load_dataset(write_data(tmp_path / "b", extra, ACTORS))
    assert typed.claims.index.tolist() == plain.claims.index.tolist()


def test_types_given_in_relations_type_the_actors_they_create(data_dir):
    relations = (
        "from,to,relation,From Type,to_type\n"
        "Iran,Hamas,funds,agency,armed group\n"
        "Hamas,Hezbollah,allied with,state,\n"
        "Hezbollah,Hamas,allied with,,unknown\n"
    )
    dataset, report = load_dataset(data_dir(relations, ACTORS), ["from_type=From Type"])
    types = dataset.actors["type"]
    assert (types["Hamas"], types["Hezbollah"], types["iran"]) == (
        "armed group",
        "unknown",
        "state",
    )
    warnings = [f"{p.line}:{p.column}: {p.message}" for p in report.problems]
    assert (
        '2:from_type: type "agency" contradicts actors.csv, which gives the actor '
        '"iran" the type "state"; kept "state"' in warnings
    )
    assert (
        '2:from_type: actor "Hamas" has several types in relations.csv: armed group (1 row), '
        'state (1 row); kept "armed group"' in warnings
    )
