"""Hostile and broken input: caught with a clear message, nothing valid lost, nothing unsafe."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from dash import html

from dashboard.data import LoadOverrides, load_dataset
from dashboard.draw.figures import build_figure
from dashboard.export.data_files import claims_csv, graph_file
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.evidence import actor_card, edge_evidence
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.panels import actor_panel, edge_panel
from tests.conftest import HEADER

SCRIPT = '<script>alert("x")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
MARKDOWN = "**bold** [click](javascript:alert(1)) <b>html</b>"


def csv_text(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def relations(*rows: list[str]) -> str:
    return HEADER + csv_text(*rows)


def claim(**cells: str) -> list[str]:
    values = dict.fromkeys(HEADER.strip().split(","), "") | {
        "from": "iran",
        "to": "evil",
        "relation": "funds",
    }
    return list((values | cells).values())


ACTORS = csv_text(
    ["id", "name", "type", "aliases", "description"],
    ["evil", IMAGE, "armed group", SCRIPT, MARKDOWN],
    ["iran", "Iran", "state", "", ""],
)
RELATIONS = relations(
    claim(
        **{"from": "evil", "to": "Iran", "relation": "<u>funds</u>", "start": "2001"},
        quote=f"{SCRIPT} {IMAGE} {MARKDOWN}",
        source=SCRIPT,
        document=IMAGE,
    )
)


@pytest.fixture
def hostile(data_dir):
    dataset, report = load_dataset(data_dir(RELATIONS, ACTORS))
    assert dataset is not None, report.format()
    return Network.from_dataset(dataset)


def texts_in(component) -> list[str]:
    """Every string a Dash component tree would show as text."""
    found = []
    children = getattr(component, "children", component)
    for child in children if isinstance(children, list | tuple) else [children]:
        if isinstance(child, str):
            found.append(child)
        elif child is not None:
            found += texts_in(child)
    return found


def test_markup_in_data_is_text_in_every_panel(hostile):
    view = apply_filters(hostile, FilterState())
    evidence = edge_panel(edge_evidence(view, 0))
    card = actor_panel(actor_card(view, hostile.actor_code["evil"]))
    shown = " ".join(texts_in(evidence) + texts_in(card))
    for payload in (SCRIPT, IMAGE, MARKDOWN, "<u>funds</u>"):
        assert payload in shown  # shown as the characters it is made of
    components = [c for c in _walk(evidence + card) if not isinstance(c, str)]
    assert not any(isinstance(c, html.Iframe | html.Script) for c in components)
    assert not any(str(getattr(c, "href", "")).startswith("javascript") for c in components)


def _walk(children):
    for child in children if isinstance(children, list | tuple) else [children]:
        yield child
        if not isinstance(child, str) and child is not None:
            yield from _walk(getattr(child, "children", []))


def test_markup_in_data_is_escaped_in_the_figure(hostile):
    figure = build_figure(apply_filters(hostile, FilterState()), compute_layout(hostile, "force"))
    payload = json.dumps(figure)
    for raw in ("<script", "<img", "<u>", "<b>html"):
        assert raw not in payload
    assert "&lt;img src=x onerror=alert(1)&gt;" in payload


def test_markup_in_data_survives_exports_as_text(hostile, tmp_path):
    view = apply_filters(hostile, FilterState())
    assert SCRIPT.replace('"', '""') in claims_csv(view)
    import networkx as nx

    path = tmp_path / "g.graphml"
    path.write_bytes(graph_file(view, "graphml"))
    assert nx.read_graphml(path).nodes["evil"]["label"] == IMAGE


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:x",
        "file:///etc/passwd",
        "http:/no-host",
        "//evil.example/x",
    ],
)
def test_unsafe_urls_are_errors_and_never_links(data_dir, url):
    dataset, report = load_dataset(
        data_dir(HEADER + f'iran,evil,funds,,,q,s,,d,"{url}",\n', ACTORS)
    )
    assert dataset is None
    assert [(p.line, p.column) for p in report.errors] == [(2, "url")]


# (case, file content, options, expected (severity, line, text in message))
BROKEN = [
    ("excel workbook", b"PK\x03\x04\x14\x00\x06\x00", {}, ("error", None, "zip archive (an .xlsx")),
    ("old excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", {}, ("error", None, "old Excel (.xls)")),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3", {}, ("error", None, "a PDF document")),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00", {}, ("error", None, "a PNG image")),
    (
        "html page",
        b"  \n<html><head><title>404</title></head></html>",
        {},
        ("error", 1, "HTML page"),
    ),
    ("utf-16 text", "from,to,relation\n".encode("utf-16"), {}, ("error", None, "UTF-16 text")),
    (
        "invalid utf-8",
        HEADER.encode() + b"iran,evil,funds,,,caf\xe9,s,,,,\n",
        {},
        ("error", 2, "byte offset"),
    ),
    (
        "unknown encoding",
        HEADER.encode(),
        {"encoding": "klingon"},
        ("error", None, 'unknown text encoding "klingon"'),
    ),
    (
        "ragged, too long",
        HEADER + "iran,evil,funds,,,q,s,,,,,extra\n",
        {},
        ("error", 2, "12 fields"),
    ),
    ("ragged, too short", HEADER + "iran,evil,funds\n", {}, ("warning", 2, "3 fields")),
    (
        "duplicated header",
        "from,to,relation,to\niran,evil,funds,x\n",
        {},
        ("error", 1, "duplicated column"),
    ),
]


@pytest.mark.parametrize(
    ("content", "options", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_files_get_a_clear_report(data_dir, content, options, expected):
    severity, line, text = expected
    _, report = load_dataset(data_dir(content, ACTORS), LoadOverrides(**options))
    matching = [
        p
        for p in report.problems
        if p.severity == severity and p.line == line and text in p.message
    ]
    assert matching, report.format()
    assert matching[0].file == "relations.csv"


def test_invalid_utf8_reads_under_an_explicit_encoding(data_dir):
    content = relations(claim(quote="café “quoted”", source="s")).encode("cp1252")
    dataset, report = load_dataset(data_dir(content, ACTORS), LoadOverrides(encoding="cp1252"))
    assert dataset is not None, report.format()
    assert dataset.claims["quote"].tolist() == ["café “quoted”"]


def test_utf16_reads_under_an_explicit_encoding(data_dir):
    content = relations(claim(quote="q", source="s")).encode("utf-16")
    dataset, report = load_dataset(
        data_dir(content, ACTORS.encode("utf-16")), LoadOverrides(encoding="utf-16")
    )
    assert dataset is not None, report.format()
    assert len(dataset.claims) == 1


def test_ten_thousand_character_cells_load_whole(data_dir):
    quote = "word " * 2000 + "end"
    dataset, _report = load_dataset(
        data_dir(HEADER + f'iran,evil,funds,,,"{quote}",s,,,,\n', ACTORS)
    )
    assert dataset.claims["quote"].iloc[0] == quote
    assert len(quote) > 10_000


MIXED = (
    HEADER
    + "iran,evil,funds,2001,,good one,s,,,,\n"
    + "iran,evil,arms,20x1,,bad date,s,,,,\n"
    + "iran,evil,trains,,,bad url,s,,,javascript:alert(1),\n"
    + "iran,evil,shelters,,,too long,s,,,,,oops\n"
    + "evil,iran,funds,1999,,another good one,s,,,,\n"
)


def test_strict_loading_refuses_any_error(data_dir):
    dataset, report = load_dataset(data_dir(MIXED, ACTORS))
    assert dataset is None
    assert sorted(p.line for p in report.errors) == [3, 4, 5]


def test_skip_invalid_keeps_every_valid_row_and_lists_the_rest(data_dir):
    dataset, report = load_dataset(data_dir(MIXED, ACTORS), LoadOverrides(skip_invalid=True))
    assert dataset is not None, report.format()
    assert dataset.claims["quote"].tolist() == ["good one", "another good one"]
    assert not report.errors
    left_out = [p for p in report.warnings if p.message.startswith("row left out")]
    assert sorted(p.line for p in left_out) == [3, 4, 5]
    assert any("left out 3 rows" in p.message for p in report.warnings)


def test_file_level_errors_are_not_skipped(data_dir):
    dataset, report = load_dataset(
        data_dir("from,to\niran,evil\n", ACTORS), LoadOverrides(skip_invalid=True)
    )
    assert dataset is None
    assert "required column" in report.errors[0].message


def test_reports_never_contain_a_traceback(data_dir):
    for content, _, _ in [b[1:] for b in BROKEN]:
        _, report = load_dataset(data_dir(content, ACTORS))
        assert not re.search(r"Traceback|File \".*\.py\"", report.format())
