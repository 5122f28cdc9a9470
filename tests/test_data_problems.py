"""Every error and warning `dashboard check` knows, each with its file, line and column."""

from __future__ import annotations

import pytest

from dashboard.data import load_dataset
from tests.conftest import HEADER

ACTORS = (
    "id,name,type,aliases\niran,Iran,state,Islamic Republic\naq,al-Qaeda,armed group,al Qaeda\n"
)
GOOD = (
    "iran,aq,trains,1992,,they trained,9/11 Commission,,Report,https://example.org/r,2004-07-22\n"
)


def row(**cells: str) -> str:
    values = dict(zip(HEADER.strip().split(","), GOOD.strip().split(","), strict=True)) | cells
    return ",".join(values.values()) + "\n"


# (case id, relations.csv content, actors.csv content, extra files,
#  expected (severity, file, line, column, text in message))
CASES = [
    ("missing file", None, ACTORS, None, ("error", "relations.csv", None, None, "file not found")),
    ("empty file", "", ACTORS, None, ("error", "relations.csv", None, None, "file is empty")),
    (
        "blank file",
        "\n \r\n",
        ACTORS,
        None,
        ("error", "relations.csv", None, None, "file is empty"),
    ),
    (
        "header only",
        HEADER,
        ACTORS,
        None,
        ("error", "relations.csv", 1, None, "header but no rows"),
    ),
    (
        "missing required column",
        "from,to,quote\niran,aq,x\n",
        ACTORS,
        None,
        ("error", "relations.csv", 1, "relation", 'required column "relation" is missing'),
    ),
    (
        "binary file",
        b"GIF\r\n\x1a\n\x00\x00\x00\rIHDR",
        ACTORS,
        None,
        ("error", "relations.csv", 3, None, "NUL byte at byte offset 7"),
    ),
    (
        "html saved as csv",
        "<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
        ACTORS,
        None,
        ("error", "relations.csv", 1, None, "HTML page, not a CSV"),
    ),
    (
        "invalid utf-8",
        (HEADER + GOOD).encode() + b"iran,aq,trains,,,caf\xe9,src,,,,\n",
        ACTORS,
        None,
        ("error", "relations.csv", 3, None, "not valid utf-8 at byte offset"),
    ),
    (
        "unreadable start date",
        HEADER + GOOD + row(start="1998-13"),
        ACTORS,
        None,
        ("error", "relations.csv", 3, "start", 'cannot read the date "1998-13"'),
    ),
    (
        "unreadable end date",
        HEADER + row(end="soon"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "end", 'cannot read the date "soon"'),
    ),
    (
        "unreadable published date",
        HEADER + row(published="July 2018"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "published", 'cannot read the date "July 2018"'),
    ),
    (
        "end before start",
        HEADER + row(start="2009", end="2001"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "end", "is before start"),
    ),
    (
        "end without start",
        HEADER + row(start="", end="2001"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "start", "an end but no start"),
    ),
    (
        "unknown stance",
        HEADER + row(stance="maybe"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "stance", 'stance "maybe" is not one of'),
    ),
    (
        "javascript url",
        HEADER + row(url="javascript:alert(1)"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "url", "not an http(s) address"),
    ),
    (
        "ftp url",
        HEADER + row(url="ftp://example.org/x"),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "url", "not an http(s) address"),
    ),
    (
        "empty from",
        HEADER + row(**{"from": ""}),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "from", "no actor in from"),
    ),
    (
        "empty relation",
        HEADER + row(relation=""),
        ACTORS,
        None,
        ("error", "relations.csv", 2, "relation", "no relation"),
    ),
    (
        "duplicate actor id",
        HEADER + GOOD,
        ACTORS + "iran,Persia,state,\n",
        None,
        ("error", "actors.csv", 4, "id", 'duplicate actor id "iran" (first on line 2)'),
    ),
    (
        "alias pointing at two actors",
        HEADER + GOOD,
        ACTORS + "irgc,IRGC,agency,al Qaeda\n",
        None,
        ("error", "actors.csv", 4, "aliases", '"al Qaeda" points at two actors: "aq" and "irgc"'),
    ),
    (
        "actors file without id column",
        HEADER + GOOD,
        "name,type\nIran,state\n",
        None,
        ("error", "actors.csv", 1, "id", 'required column "id" is missing'),
    ),
    (
        "too many fields",
        HEADER + GOOD + GOOD.strip() + ",extra\n",
        ACTORS,
        None,
        ("error", "relations.csv", 3, "#12", "row has 12 fields but the header has 11"),
    ),
    (
        "duplicated header",
        "from,to,relation,from\niran,aq,trains,x\n",
        ACTORS,
        None,
        ("error", "relations.csv", 1, "from", "duplicated column name"),
    ),
    (
        "unterminated quote",
        HEADER + GOOD + 'iran,aq,trains,,,"never closed,src,,,,\n',
        ACTORS,
        None,
        ("error", "relations.csv", 3, None, "quoted field that starts on this line"),
    ),
    (
        "quote not in its document",
        HEADER + row(quote="they trained hard", document="Final Report"),
        ACTORS,
        {"documents/final-report.txt": "We found that they trained, for years.\n"},
        ("error", "relations.csv", 2, "quote", "not found verbatim"),
    ),
    (
        "unknown actor",
        HEADER + GOOD + row(to="Hezbollah"),
        ACTORS,
        None,
        ("warning", "relations.csv", 3, "to", 'actor "Hezbollah" is not in actors.csv'),
    ),
    (
        "no actors file",
        HEADER + GOOD,
        None,
        None,
        ("warning", "relations.csv", None, None, "no actors.csv: created 2 actors"),
    ),
    (
        "claim without quote",
        HEADER + row(quote=""),
        ACTORS,
        None,
        ("warning", "relations.csv", 2, "quote", "claim has no quote"),
    ),
    (
        "claim without source",
        HEADER + row(source=""),
        ACTORS,
        None,
        ("warning", "relations.csv", 2, "source", "claim has no source"),
    ),
    (
        "self-loop",
        HEADER + row(to="Iran"),
        ACTORS,
        None,
        ("warning", "relations.csv", 2, "to", "self-loop"),
    ),
    (
        "exact duplicate claim",
        HEADER + GOOD + row(quote="other") + GOOD,
        ACTORS,
        None,
        ("warning", "relations.csv", 4, "from", "exact duplicate of the claim on line 2"),
    ),
    (
        "short row",
        HEADER + "iran,aq,trains\n",
        ACTORS,
        None,
        ("warning", "relations.csv", 2, "start", "row has 3 fields but the header has 11"),
    ),
    (
        "spellings merged",
        HEADER + row(to="Hezbollah") + row(to="hezbollah"),
        ACTORS,
        None,
        ("warning", "relations.csv", 3, "to", 'merged into actor "Hezbollah"'),
    ),
]


@pytest.mark.parametrize(
    ("relations", "actors", "files", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_problem_is_reported_where_it_is(data_dir, relations, actors, files, expected):
    severity, file, line, column, text = expected
    dataset, report = load_dataset(data_dir(relations, actors, files))
    matches = [
        p
        for p in report.problems
        if (p.severity, p.file, p.line, p.column) == (severity, file, line, column)
        and text.lower() in p.message.lower()
    ]
    assert matches, report.format()
    assert (dataset is None) == (severity == "error" or report.has_errors)


WARNING_ONLY = [case for case in CASES if case[-1][0] == "warning"]


@pytest.mark.parametrize(
    ("relations", "actors", "files", "expected"),
    [case[1:] for case in WARNING_ONLY],
    ids=[case[0] for case in WARNING_ONLY],
)
def test_warnings_alone_still_load_every_row(data_dir, relations, actors, files, expected):
    dataset, report = load_dataset(data_dir(relations, actors, files))
    assert not report.has_errors, report.format()
    data_rows = [line for line in relations.splitlines()[1:] if line.strip()]
    assert len(dataset.claims) == len(data_rows)


def test_every_problem_in_a_file_is_reported_in_one_pass(data_dir):
    relations = HEADER + row(start="x") + GOOD + row(url="data:text/html;hi") + row(quote="")
    _, report = load_dataset(data_dir(relations, ACTORS))
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "start"),
        (4, "url"),
        (5, "quote"),
    ]
