"""Files as analysts have them: other separators, no header, NA cells, US dates, lists..."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.data import LoadOverrides, load_dataset
from dashboard.data.dates import parse_period
from dashboard.graph import Network
from dashboard.query.evidence import actor_card
from dashboard.query.filters import FilterState, apply_filters
from tests.conftest import HEADER

ACTORS = "id,name,type,aliases\niran,Iran,state,Islamic Republic\naq,al-Qaeda,armed group,al Qaeda\nhz,Hezbollah,armed group,\n"


def load(data_dir, relations, actors=ACTORS, files=None, **options):
    dataset, report = load_dataset(data_dir(relations, actors, files), LoadOverrides(**options))
    return dataset, report


def pairs(dataset) -> list[tuple[str, str, str]]:
    claims = dataset.claims
    return list(zip(claims["from_id"], claims["to_id"], claims["relation"], strict=True))


# (case, relations file, options, expected (from, to, relation) per claim)
SHAPES = [
    (
        "tab separated",
        "from\tto\trelation\nIran\tal-Qaeda\ttrains\n",
        {},
        [("iran", "aq", "trains")],
    ),
    (
        "semicolon separated",
        "from;to;relation;quote\nIran;al-Qaeda;trains;a, b\n",
        {},
        [("iran", "aq", "trains")],
    ),
    ("pipe separated", "from|to|relation\nIran|al-Qaeda|trains\n", {}, [("iran", "aq", "trains")]),
    (
        "separator given",
        "from;to;relation\nIran;al-Qaeda;trains\n",
        {"delimiter": ";"},
        [("iran", "aq", "trains")],
    ),
    (
        "named separator",
        "from\tto\trelation\nIran\tal-Qaeda\ttrains\n",
        {"delimiter": "tab"},
        [("iran", "aq", "trains")],
    ),
    (
        "no header, columns by position",
        "2019,Iran,trains,al-Qaeda\n",
        {"no_header": True, "mappings": ("from=2", "relation=3", "to=4", "start=1")},
        [("iran", "aq", "trains")],
    ),
    (
        "their own headers",
        "Source Actor,Target Actor,Event Type\nIran,al-Qaeda,trains\n",
        {"mappings": ("from=Source Actor", "to=Target Actor", "relation=Event Type")},
        [("iran", "aq", "trains")],
    ),
    (
        "quoted newlines, commas and escaped quotes",
        'from,to,relation,quote\nIran,al-Qaeda,trains,"He said ""yes"",\nthen left"\n',
        {},
        [("iran", "aq", "trains")],
    ),
    (
        "case and spacing differences merge",
        "from,to,relation\n  iran ,AL-QAEDA,trains\nIRAN,al-qaeda  ,funds\n",
        {},
        [("iran", "aq", "trains"), ("iran", "aq", "funds")],
    ),
    (
        "several actors in one cell",
        "from,to,relation\nIran; Hezbollah,al-Qaeda,trains\n",
        {"list_columns": ("from",)},
        [("iran", "aq", "trains"), ("hz", "aq", "trains")],
    ),
    (
        "lists on both sides, comma separated",
        'from,to,relation\n"Iran, Hezbollah","al-Qaeda, Hezbollah",funds\n',
        {"list_columns": ("from", "to"), "list_separator": ","},
        [
            ("iran", "aq", "funds"),
            ("iran", "hz", "funds"),
            ("hz", "aq", "funds"),
            ("hz", "hz", "funds"),
        ],
    ),
    ("one-sided event", "from,to,relation\nIran,,announces\n", {}, [("iran", "", "announces")]),
    (
        "missing-value markers",
        "from,to,relation,start,end,quote\nIran,NA,announces,N/A,-,null\n",
        {},
        [("iran", "", "announces")],
    ),
]


@pytest.mark.parametrize(
    ("relations", "options", "expected"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES]
)
def test_real_world_shapes_load(data_dir, relations, options, expected):
    dataset, report = load(data_dir, relations, **options)
    assert dataset is not None, report.format()
    assert pairs(dataset) == expected


def test_quoted_field_keeps_its_newline_comma_and_quotes(data_dir):
    dataset, _ = load(
        data_dir, 'from,to,relation,quote\nIran,al-Qaeda,trains,"He said ""yes"",\nthen left"\n'
    )
    assert dataset.claims["quote"].iloc[0] == 'He said "yes",\nthen left'


def test_list_cells_are_marked_as_one_row_of_several_claims(data_dir):
    dataset, _report = load(
        data_dir,
        "from,to,relation\nIran; Hezbollah,al-Qaeda,trains\nIran,al-Qaeda,funds\n",
        list_columns=("from",),
    )
    assert dataset.claims["row_claims"].tolist() == [2, 2, 1]
    assert dataset.claims["line"].tolist() == [2, 2, 3]
    assert len(set(dataset.claims.index)) == 3


def test_merged_spellings_are_reported(data_dir):
    relations = "from,to,relation\nAl-Nusra Front ,Iran,fights\nal-nusra  front,Iran,funds\n"
    dataset, report = load(data_dir, relations)
    assert len(set(dataset.claims["from_id"])) == 1
    assert any("merged" in p.message and "Al-Nusra Front" in p.message for p in report.warnings)


def test_missing_markers_are_configurable(data_dir):
    dataset, _ = load(
        data_dir, "from,to,relation,quote\nIran,al-Qaeda,trains,NA\n", missing=("n.a.",)
    )
    assert dataset.claims["quote"].tolist() == ["NA"]
    dataset, report = load(data_dir, "from,to,relation,quote\nIran,al-Qaeda,trains,NA\n")
    assert dataset.claims["quote"].tolist() == [""]
    assert any(p.message == "claim has no quote" for p in report.warnings)


def test_one_sided_claims_are_counted_and_on_the_card_but_not_drawn(data_dir):
    dataset, _ = load(
        data_dir,
        "from,to,relation,quote\nIran,,announces,We will respond\nIran,al-Qaeda,trains,q\n",
    )
    network = Network.from_dataset(dataset)
    view = apply_filters(network, FilterState())
    assert (view.n_claims, view.n_edges) == (2, 1)
    card = actor_card(view, network.actor_code["iran"])
    assert [c.quote for c in card.one_sided] == ["We will respond"]


@pytest.mark.parametrize(
    ("text", "order", "first", "last"),
    [
        ("2005", "MDY", "2005-01-01", "2005-12-31"),
        ("2005-03", "MDY", "2005-03-01", "2005-03-31"),
        ("2005-00-00", "MDY", "2005-01-01", "2005-12-31"),
        ("2014-02-00", "MDY", "2014-02-01", "2014-02-28"),
        ("3/4/2005", "MDY", "2005-03-04", "2005-03-04"),
        ("3/4/2005", "DMY", "2005-04-03", "2005-04-03"),
        ("12/31/98", "MDY", "1998-12-31", "1998-12-31"),
        ("1/2/05", "MDY", "2005-01-02", "2005-01-02"),
        ("1/2/68", "MDY", "2068-01-02", "2068-01-02"),
        ("1/2/69", "MDY", "1969-01-02", "1969-01-02"),
        ("31/12/1998", "DMY", "1998-12-31", "1998-12-31"),
        ("2014-02-03T23:15:00Z", "MDY", "2014-02-03", "2014-02-03"),
        ("2014-02-03 23:15", "MDY", "2014-02-03", "2014-02-03"),
        ("2014-02-03T23:15:00.123+05:30", "MDY", "2014-02-03", "2014-02-03"),
        ("2014/02/03", "MDY", "2014-02-03", "2014-02-03"),
        ("20140203", "MDY", "2014-02-03", "2014-02-03"),
        ("03 February 2014", "MDY", "2014-02-03", "2014-02-03"),  # ACLED's exports
        ("3 Feb 2014", "DMY", "2014-02-03", "2014-02-03"),
        ("1/2/68", "pivot 30", "1968-01-02", "1968-01-02"),
    ],
)
def test_date_formats(text, order, first, last):
    pivot = {"pivot 30": 30}.get(order, 69)
    order = "MDY" if order.startswith("pivot") else order
    assert [str(d) for d in parse_period(text, order, pivot)] == [first, last]


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("13/4/2005", "MDY"),  # no 13th month: not silently read as 13 April
        ("4/13/2005", "DMY"),
        ("2/30/2005", "MDY"),
        ("2005-13", "MDY"),
        ("2005-00-07", "MDY"),
        ("2014-02-03T25:00", "MDY"),
        ("31 February 2014", "MDY"),
        ("03 Febtober 2014", "MDY"),
        ("1/2/3", "MDY"),
        ("20141303", "MDY"),
        ("yesterday", "MDY"),
    ],
)
def test_unreadable_dates_are_errors_naming_the_row(data_dir, text, order):
    assert parse_period(text, order) is None
    relations = (
        HEADER + "Iran,al-Qaeda,trains,2001,,q,s,,,,\n" + f'Iran,al-Qaeda,funds,"{text}",,q,s,,,,\n'
    )
    dataset, report = load(data_dir, relations, date_order=order)
    assert dataset is None
    (problem,) = report.errors
    assert (problem.line, problem.column) == (3, "start")
    assert f'"{text}"' in problem.message


def test_start_and_end_in_columns_of_their_own(data_dir):
    relations = "Actor1,Actor2,Event,Begin,Finish\nIran,al-Qaeda,trains,3/1/1992,12/31/1993\n"
    options = {
        "mappings": ("from=Actor1", "to=Actor2", "relation=Event", "start=Begin", "end=Finish")
    }
    dataset, _report = load(data_dir, relations, **options)
    claim = dataset.claims.iloc[0]
    assert (str(claim["span_start"].date()), str(claim["span_end"].date())) == (
        "1992-03-01",
        "1993-12-31",
    )


def test_date_order_from_the_settings_file(data_dir):
    settings = '[relations]\ndate_order = "DMY"\n'
    dataset, _ = load(
        data_dir,
        "from,to,relation,start\nIran,al-Qaeda,trains,3/4/2005\n",
        files={"dashboard.toml": settings},
    )
    assert str(dataset.claims["span_start"].iloc[0].date()) == "2005-04-03"


@pytest.mark.parametrize("where", ["file", "inline"])
def test_relation_codes_become_labels(data_dir, where):
    relations = "from,to,relation\nIran,al-Qaeda,190\nIran,Hezbollah,042\nIran,al-Qaeda,999\n"
    if where == "file":
        files = {
            "codes.csv": "code,label\n190,fights\n042,supports\n",
            "dashboard.toml": '[relations]\nrelation_labels = "codes.csv"\n',
        }
    else:
        files = {"dashboard.toml": '[relation_labels]\n"190" = "fights"\n"042" = "supports"\n'}
    dataset, report = load(data_dir, relations, files=files)
    assert dataset.claims["relation"].tolist() == ["fights", "supports", "999"]
    (warning,) = [p for p in report.warnings if "lookup table" in p.message]
    assert (warning.line, warning.column) == (4, "relation")


def test_relation_labels_from_the_command_line(data_dir, tmp_path):
    codes = tmp_path / "cameo.csv"
    codes.write_text("CODE,Label\n190,fights\n", encoding="utf-8")
    dataset, _ = load(data_dir, "from,to,relation\nIran,al-Qaeda,190\n", relation_labels=codes)
    assert dataset.claims["relation"].tolist() == ["fights"]


def test_a_lookup_table_without_its_columns_is_an_error(data_dir):
    files = {
        "codes.csv": "a,b\n1,2\n",
        "dashboard.toml": '[relations]\nrelation_labels = "codes.csv"\n',
    }
    dataset, report = load(data_dir, "from,to,relation\nIran,al-Qaeda,190\n", files=files)
    assert dataset is None
    assert "needs the columns code and label" in report.errors[0].message


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('[relations]\ndelimiter = "::"\n', "must be one character"),
        ('[relations]\ndate_order = "YMD"\n', "must be MDY or DMY"),
        (
            '[relations]\nlist_columns = ["quote"]\n',
            "only from, to, source, published can hold several values",
        ),
        ('[relations]\nheader = "no"\n', "header must be true or false"),
        ("[relations\n", "cannot read the settings file"),
    ],
)
def test_bad_settings_are_reported(data_dir, settings, message):
    _, report = load(
        data_dir, "from,to,relation\nIran,al-Qaeda,trains\n", files={"dashboard.toml": settings}
    )
    assert any(message in p.message for p in report.errors), report.format()


def test_large_files_show_a_progress_bar(data_dir, monkeypatch, capsys):
    monkeypatch.setattr("dashboard.data.reader.PROGRESS_LINES", 10)
    relations = "from,to,relation\n" + "Iran,al-Qaeda,trains\n" * 50
    dataset, _ = load_dataset(data_dir(relations, ACTORS), progress=True)
    assert len(dataset.claims) == 50
    assert "Reading relations.csv" in capsys.readouterr().err


def test_no_progress_bar_for_small_files(data_dir, capsys):
    load_dataset(data_dir("from,to,relation\nIran,al-Qaeda,trains\n", ACTORS), progress=True)
    assert capsys.readouterr().err == ""


def test_today_fills_in_present(data_dir):
    dataset, _ = load_dataset(
        data_dir("from,to,relation,start,end\nIran,al-Qaeda,trains,2009,present\n", ACTORS),
        today=date(2030, 1, 1),
    )
    assert dataset.claims["span_end"].iloc[0] == pd.Timestamp("2030-01-01")


def test_the_evidence_panel_says_a_claim_came_from_a_list_row(data_dir):
    from dashboard.query.evidence import edge_evidence
    from dashboard.web.panels import edge_panel
    from tests.test_hostile import texts_in

    dataset, _ = load(
        data_dir, "from,to,relation\nIran; Hezbollah,al-Qaeda,trains\n", list_columns=("from",)
    )
    network = Network.from_dataset(dataset)
    view = apply_filters(network, FilterState())
    panel = edge_panel(edge_evidence(view, network.edge_number("iran", "aq", "trains")))
    assert any(
        "one of 2 claims from line 2, which names several actors" in t for t in texts_in(panel)
    )
