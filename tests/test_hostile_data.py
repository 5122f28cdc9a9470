"""A hostile data provider's corpus: folders built here that try to crash, hang, mislead or
read outside themselves. Whatever `check` passes, `run` serves; whatever it refuses, it
refuses in one line naming the file, never with a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.data import load_dataset
from dashboard.draw.assemble import assemble
from dashboard.draw.scene import decode

HEADER = "from,to,relation,start,end,quote,source,document\n"
RELATIONS = HEADER + "Iran,Hamas,funds,2001,,a quote,a source,\n"
ACTORS = "id,name,type\niran,Iran,state\nhamas,Hamas,armed group\n"
# Stand-ins for what a hostile folder reaches for outside itself (never real system files).
SECRET = "root:x:0:0:root:/root:/bin/bash"
OUTSIDE = {
    "passwd": f"{SECRET}\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
    "article.txt": "The secret article says: the claimed words, verbatim.",
    "labels.csv": "code,label\n190,fights\n",
    "relations.csv": RELATIONS,
}


@dataclass(frozen=True)
class Link:
    """A symbolic link; ``{outside}`` in the target is the folder beside the data folder."""

    target: str


FIFO = "a named pipe"
FOLDER = "a folder"


@dataclass(frozen=True)
class Case:
    """One hostile data set and what `check` must say about it."""

    id: str
    files: dict = field(default_factory=dict)  # over relations.csv = RELATIONS; None removes
    args: tuple[str, ...] = ()
    exit_code: int = 1
    shows: tuple[str, ...] = ()  # each appears in check's output
    hides: tuple[str, ...] = ()  # none appears
    data: str = ""  # DATA: "" for the folder, a name in it, or an absolute path
    unreadable: str = ""  # a file reading is denied to


CASES: list[Case] = []


@pytest.fixture
def build(tmp_path, monkeypatch):
    """Write a case's folder (and the outside files) and return the DATA argument and args."""
    watchdogs: list[threading.Timer] = []
    restore: list[Path] = []

    def make(case: Case) -> tuple[str, list[str], Path]:
        outside, folder = tmp_path / "outside", tmp_path / "data"
        outside.mkdir()
        for name, content in OUTSIDE.items():
            (outside / name).write_text(content, encoding="utf-8")
        folder.mkdir()
        for name, content in ({"relations.csv": RELATIONS} | case.files).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if content is None:
                continue
            if isinstance(content, Link):
                path.symlink_to(content.target.format(outside=outside))
            elif content == FIFO:
                os.mkfifo(path)
                watchdogs.append(_unblock_later(path))
            elif content == FOLDER:
                path.mkdir()
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content.replace("{outside}", str(outside)), encoding="utf-8")
        if case.unreadable:
            deny_reading(folder / case.unreadable, monkeypatch)
            restore.append(folder / case.unreadable)
        data = case.data.format(outside=outside) if case.data else ""
        data_path = str(folder / data) if data and not os.path.isabs(data) else data
        args = [a.format(outside=outside, folder=folder) for a in case.args]
        return data_path or str(folder), args, outside

    yield make
    for watchdog in watchdogs:
        watchdog.cancel()
    for path in restore:
        path.chmod(0o755 if path.is_dir() else 0o644)  # so that pytest can clean up


def _unblock_later(fifo: Path) -> threading.Timer:
    """Should a reader ever wait on the pipe (the bug), end its wait so the test fails
    on its assertions instead of hanging the suite."""

    def unblock() -> None:
        with contextlib.suppress(OSError):  # ENXIO: nobody is waiting, nothing to do
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    watchdog = threading.Timer(120, unblock)
    watchdog.daemon = True
    watchdog.start()
    return watchdog


def deny_reading(path: Path, monkeypatch) -> None:
    """Make ``path`` unreadable: chmod 000, or, as root (whom chmod does not stop), make
    opening it fail as it would for anyone else."""
    if os.geteuid() != 0:
        path.chmod(0)
        return
    from dashboard.data import files

    real_open = files._open_fd

    def open_denied(target):
        if Path(target) == path:
            raise PermissionError(13, "Permission denied", str(target))
        return real_open(target)

    monkeypatch.setattr(files, "_open_fd", open_denied)


def check(data: str, args: list[str], max_per_kind: str = "50"):
    return CliRunner().invoke(
        main, ["check", data, "--max-per-kind", max_per_kind, *args], catch_exceptions=False
    )


# ---------------------------------------------------------------- 3: check and run agree on dates

CASES += [
    Case(
        "dates from year 1 to 9999",
        {
            "relations.csv": HEADER
            + "Iran,Hamas,funds,0001,,q,s,\nHamas,Iran,funds,9999-12-31,,q,s,\n"
        },
        exit_code=0,
        shows=(
            'relations.csv:2: warning: column "start": implausible date, before the year 1000, '
            "on 1 row (line 2)",
            'relations.csv:3: warning: column "start": implausible date, the year 9999',
        ),
    ),
    Case(
        "a placeholder end on many rows: one warning",
        {
            "relations.csv": HEADER
            + "".join(f"Iran,Hamas,funds,{1990 + i},9999,q,s{i},\n" for i in range(30))
        },
        exit_code=0,
        shows=("on 30 rows (lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 20 more)",),
    ),
]


@pytest.mark.parametrize(
    ("cell", "today", "warned"),
    [
        ("2031", date(2020, 1, 1), "more than 5 years after today (2020-01-01)"),
        ("2025", date(2020, 1, 1), None),
        ("999-12-31", date(2020, 1, 1), None),  # not a date we read: an error instead
        ("0999", date(2020, 1, 1), "before the year 1000"),
        ("1000", date(2020, 1, 1), None),
        ("9999-12-31", date(2020, 1, 1), "the year 9999, a common placeholder"),
    ],
)
def test_implausible_years_are_warned_about(tmp_path, cell, today, warned):
    (tmp_path / "relations.csv").write_text(HEADER + f"Iran,Hamas,funds,{cell},,q,s,\n")
    _dataset, report = load_dataset(tmp_path, today=today)
    implausible = [p.message for p in report.warnings if p.kind == "implausible date"]
    assert len(implausible) == (warned is not None), report.format()
    if warned:
        assert warned in implausible[0]


def test_year_marks_fit_any_span():
    from dashboard.web.page import year_marks

    marks = list(year_marks(1, 9999))
    assert marks[0] == 1 and marks[-1] == 9999 and len(marks) <= 7


# ---------------------------------------------------------------- 4: ids that fold together

CASES += [
    Case(
        "actor ids differing in spacing",
        {
            "relations.csv": HEADER + "al qaeda,iran,funds,2001,,q,s,\n",
            "actors.csv": "id,name,type\nal qaeda,Al-Qaeda,armed group\nal  qaeda,Other,state\n"
            "iran,Iran,state\n",
        },
        shows=(
            'actors.csv:3: error: column "id": actor id "al  qaeda" and actor id "al qaeda" '
            "on line 2 differ only in case, spacing or invisible characters",
        ),
        hides=("no problems found",),
    ),
    Case(
        "actor ids differing in case",
        {
            "relations.csv": HEADER + "foo,iran,funds,2001,,q,s,\n",
            "actors.csv": "id,name,type\nFoo,Foo,state\nfoo,Other foo,state\niran,Iran,state\n",
        },
        shows=('actors.csv:3: error: column "id": actor id "foo" and actor id "Foo" on line 2',),
    ),
]


# ---------------------------------------------------------------- 5: nothing read from outside

QUOTED = HEADER + "Iran,Hamas,funds,2001,,the claimed words,a source,Doc\n"
REFUSED = "lies outside the data folder (it is {outside}/%s); pass --allow-outside-data to read it"
CASES += [
    Case(
        "actors file climbing out of the folder",
        {
            "dashboard.toml": '[actors]\nfile = "../outside/passwd"\ndelimiter = ":"\n'
            "header = false\n[actors.columns]\nid = 1\n"
        },
        shows=("../outside/passwd: error: " + REFUSED % "passwd",),
        hides=(SECRET,),
    ),
    Case(
        "actors file by absolute path",
        {"dashboard.toml": '[actors]\nfile = "{outside}/passwd"\ndelimiter = ":"\n'},
        shows=("{outside}/passwd: error: " + REFUSED % "passwd",),
        hides=(SECRET,),
    ),
    Case(
        "relations file climbing out",
        {"dashboard.toml": '[relations]\nfile = "../outside/relations.csv"\n'},
        shows=(REFUSED % "relations.csv",),
    ),
    Case(
        "relation labels climbing out",
        {"dashboard.toml": '[relations]\nrelation_labels = "../outside/labels.csv"\n'},
        shows=(REFUSED % "labels.csv",),
    ),
    Case(
        "relations.csv linking out",
        {"relations.csv": Link("{outside}/relations.csv")},
        shows=("relations.csv: error: " + REFUSED % "relations.csv",),
    ),
    Case(
        "actors.csv linking to accounts",
        {"actors.csv": Link("{outside}/passwd")},
        shows=("actors.csv: error: " + REFUSED % "passwd",),
        hides=(SECRET,),
    ),
    Case(
        "dashboard.toml linking out",
        {"dashboard.toml": Link("{outside}/passwd")},
        shows=("dashboard.toml: error: " + REFUSED % "passwd",),
        hides=(SECRET,),
    ),
    Case(
        "a document linking out",
        {"relations.csv": QUOTED, "documents/doc.txt": Link("{outside}/article.txt")},
        shows=("documents/doc.txt: error: " + REFUSED % "article.txt",),
        hides=("1 quote verified",),
    ),
    Case(
        "the documents folder linking out",
        {"relations.csv": QUOTED.replace(",Doc", ",Article"), "documents": Link("{outside}")},
        shows=("documents/article.txt: error: " + REFUSED % "article.txt",),
        hides=("1 quote verified",),
    ),
    Case(
        "a document linking out, allowed on the command line",
        {"relations.csv": QUOTED, "documents/doc.txt": Link("{outside}/article.txt")},
        args=("--allow-outside-data",),
        exit_code=0,
        shows=("1 quote verified",),
    ),
    Case(
        "relation labels outside, named on the command line",
        {"relations.csv": HEADER + "Iran,Hamas,190,2001,,q,s,\n", "actors.csv": ACTORS},
        args=("--relation-labels", "{outside}/labels.csv"),
        exit_code=0,
        shows=("no problems found", "1 claim"),
    ),
    Case(
        "DATA a link to a file elsewhere: the user named it",
        {"mine.csv": Link("{outside}/relations.csv")},
        data="mine.csv",
        exit_code=0,
    ),
    Case(
        "DATA a file: its folder is the data folder",
        {"dashboard.toml": '[actors]\nfile = "../outside/passwd"\n'},
        data="relations.csv",
        shows=(REFUSED % "passwd",),
        hides=(SECRET,),
    ),
    Case(
        "links inside the folder are fine",
        {
            "actors.csv": Link("people/actors.csv"),
            "people/actors.csv": ACTORS,
            "relations.csv": QUOTED,
            "documents/doc.txt": Link("../sources/doc.txt"),
            "sources/doc.txt": "As reported: the claimed words.",
        },
        exit_code=0,
        shows=("1 quote verified",),
    ),
]


def test_a_data_folder_reached_through_a_link_reads_itself(tmp_path):
    folder = tmp_path / "real"
    (folder / "documents").mkdir(parents=True)
    (folder / "relations.csv").write_text(QUOTED)
    (folder / "actors.csv").write_text(ACTORS)
    (folder / "documents" / "doc.txt").write_text("the claimed words")
    (tmp_path / "link").symlink_to(folder)
    dataset, report = load_dataset(tmp_path / "link")
    assert dataset is not None, report.format()
    assert dataset.claims["verified"].tolist() == [True]


# ---------------------------------------------------------------- 6: misspelled settings

# Every setting the README documents, so that none of them is ever called unknown.
EVERY_SETTING = """title = "My data set"

[relations]
file = "events.csv"
delimiter = "comma"
encoding = "utf-8"
header = true
missing = ["NA", "-"]
date_order = "DMY"
list_columns = ["to"]
list_separator = ";"
relation_labels = "codes.csv"
[relations.columns]
from = "Actor1"
to = "Actor2"
relation = "Code"

[actors]
file = "people.csv"
delimiter = ","
encoding = "utf-8"
header = true
missing = ["NA"]
[actors.columns]
id = "Key"

[relation_families]
"fights" = "conflict"
"""
CASES += [
    Case(
        "the command line's spelling in the settings file",
        {"dashboard.toml": '[relations]\ndate-order = "DMY"\n'},
        shows=(
            'dashboard.toml:2: error: unknown setting "relations.date-order"; '
            'did you mean "date_order"?',
        ),
    ),
    Case(
        "a table's setting at the top",
        {"dashboard.toml": 'title = "x"\ndate_order = "DMY"\n'},
        shows=(
            'dashboard.toml:2: error: unknown setting "date_order"; did you mean "date_order" '
            "under [relations]?",
        ),
    ),
    Case(
        "a misspelled section",
        {"dashboard.toml": '[relatons]\nfile = "relations.csv"\n'},
        shows=('dashboard.toml:1: error: unknown section "relatons"; did you mean "relations"?',),
    ),
    Case(
        "a misspelled column",
        {"dashboard.toml": '[relations.columns]\nform = "from"\n'},
        shows=(
            'dashboard.toml:2: error: unknown setting "relations.columns.form"; '
            'did you mean "from"?',
        ),
    ),
    Case(
        "a misspelled column in an inline table",
        {"dashboard.toml": '[actors]\ncolumns = { idd = "id" }\n'},
        shows=(
            'dashboard.toml:2: error: unknown setting "actors.columns.idd"; did you mean "id"?',
        ),
    ),
    Case(
        "nothing like a setting",
        {"dashboard.toml": 'colour = "red"\n'},
        shows=(
            'unknown setting "colour"; known: title, preset, attribution, relation_labels, relation_families, relations, actors',
        ),
    ),
    Case(
        "every documented setting",
        {
            "dashboard.toml": EVERY_SETTING,
            "events.csv": "Actor1,Actor2,Code,start,quote,source\nIran,Hamas,190,3/4/2005,q,s\n",
            "codes.csv": "code,label\n190,fights\n",
            "people.csv": "Key,name\niran,Iran\nhamas,Hamas\n",
        },
        exit_code=0,
        shows=("no problems found",),
    ),
]


def test_the_settings_file_is_read_as_written(tmp_path):
    (tmp_path / "dashboard.toml").write_text('[relations]\ndate_order = "DMY"\n')
    (tmp_path / "relations.csv").write_text(HEADER + "Iran,Hamas,funds,03/04/2005,,q,s,\n")
    dataset, report = load_dataset(tmp_path)
    assert str(dataset.claims["span_start"].iloc[0])[:10] == "2005-04-03", report.format()


# ---------------------------------------------------------------- 7: no traceback, no hang

DENIED = "error: cannot open the file: permission denied"
NOT_A_FILE = "is not a regular file (a pipe, device or socket)"
SURROGATE = "it decodes to half a character (U+D83D, a lone surrogate)"
WITH_DOC = {"relations.csv": QUOTED, "actors.csv": ACTORS, "documents/doc.txt": "the claimed words"}
CASES += [
    *(
        Case(
            f"unreadable {name}",
            WITH_DOC | {"dashboard.toml": "title = 'x'\n"},
            unreadable=name,
            shows=(f"{name}: {DENIED}",),
        )
        for name in ("relations.csv", "actors.csv", "dashboard.toml", "documents/doc.txt")
    ),
    *(
        Case(
            f"{name} a named pipe", WITH_DOC | {name: FIFO}, shows=(f"{name}: error: {NOT_A_FILE}",)
        )
        for name in ("relations.csv", "actors.csv", "dashboard.toml", "documents/doc.txt")
    ),
    Case("DATA a named pipe", {"pipe.csv": FIFO}, data="pipe.csv", shows=(NOT_A_FILE,)),
    Case(
        "relation labels from a named pipe",
        {"pipe.csv": FIFO},
        args=("--relation-labels", "{folder}/pipe.csv"),
        shows=(f"pipe.csv: error: {NOT_A_FILE}",),
    ),
    # Reported by its name in its folder, as relations.csv would be.
    Case("DATA a device", data="/dev/zero", shows=(f"zero: error: {NOT_A_FILE}",)),
    Case(
        "relation labels from a device",
        args=("--relation-labels", "/dev/zero"),
        shows=(f"/dev/zero: error: {NOT_A_FILE}",),
    ),
    Case(
        "a folder named like a document",
        WITH_DOC | {"documents/doc.txt": FOLDER},
        shows=("documents/doc.txt: error: is a folder, expected a text file",),
    ),
    Case(
        "a folder named relations.csv",
        {"relations.csv": FOLDER},
        shows=("relations.csv: error: is a folder, expected a CSV file",),
    ),
    *(
        Case(
            f"{name} a broken link",
            WITH_DOC | {"dashboard.toml": "", name: Link("gone.csv")},
            shows=(f"{name}: error: file not found: a broken link (to gone.csv)",),
        )
        for name in ("relations.csv", "actors.csv", "dashboard.toml", "documents/doc.txt")
    ),
    Case(
        "an empty list separator on the command line",
        args=("--list-separator", "", "--list-column", "to"),
        shows=("--list-separator: error: the list separator cannot be empty",),
    ),
    Case(
        "an empty list separator in the settings",
        {"dashboard.toml": '[relations]\nlist_separator = ""\nlist_columns = ["to"]\n'},
        shows=("dashboard.toml: error: the list separator cannot be empty",),
    ),
    Case(
        "settings nested a hundred thousand deep",
        {"dashboard.toml": "title = " + "[" * 100_000 + "]" * 100_000 + "\n"},
        shows=("dashboard.toml: error: cannot read the settings file: it is nested too deeply",),
    ),
    Case(
        "punycode",
        args=("--encoding", "punycode"),
        shows=("relations.csv: error: not valid punycode",),
    ),
    Case(
        "an encoding name with a NUL",
        args=("--encoding", "utf\x00"),
        shows=('relations.csv: error: unknown text encoding "utf',),
    ),
    Case(
        "an encoding name with a NUL in the settings",
        {"dashboard.toml": '[relations]\nencoding = "utf\\u0000"\n'},
        shows=('relations.csv: error: unknown text encoding "utf',),
    ),
    Case(
        "utf-7 with a lone surrogate",
        {"relations.csv": (HEADER + "Iran,Hamas,funds,2001,,q+2D0-,s,\n").encode()},
        args=("--encoding", "utf-7"),
        shows=(f"relations.csv:2: error: not valid utf-7: {SURROGATE}",),
    ),
    Case(
        "escapes decoding to a lone surrogate",
        {"relations.csv": (HEADER + "Iran,Hamas,funds,2001,,q,s,\n\nx\\ud83d,y,z\n").encode()},
        args=("--encoding", "unicode_escape"),
        shows=(f"relations.csv:4: error: not valid unicode_escape: {SURROGATE}",),
    ),
]


def test_a_busy_port_is_one_line(tmp_path):
    import socket

    (tmp_path / "relations.csv").write_text(RELATIONS)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(main, ["run", str(tmp_path), "--port", port])
    assert result.exit_code == 1
    assert f"error: cannot listen on 127.0.0.1:{port}: the port is in use" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError)


@pytest.mark.parametrize("command", ["run", "serve"])
@pytest.mark.parametrize("host", ["", "  "])
def test_an_empty_host_is_refused(command, host):
    result = CliRunner().invoke(main, [command, "--host", host])
    assert result.exit_code == 2
    assert "Invalid value for '--host': give an address" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_by_its_mode(tmp_path):
    (tmp_path / "relations.csv").write_text(RELATIONS)
    (tmp_path / "relations.csv").chmod(0)
    try:
        result = check(str(tmp_path), [])
    finally:
        (tmp_path / "relations.csv").chmod(0o644)
    assert f"relations.csv: {DENIED}" in result.output


# ---------------------------------------------------------------- 13: old Mac line ends

OLD_MAC = (
    "from,to,relation,start,quote,source\rIran,Hamas,funds,2001,q,s\rHamas,Iran,funds,2002,q,s\r"
)
CASES += [
    Case(
        "a NUL byte on line 4 of a CR-only file",
        {"relations.csv": OLD_MAC.encode() + b"Iran,Hamas,funds,\x00,q,s\r"},
        shows=("relations.csv:4: error: binary data (a NUL byte at byte offset",),
    ),
    Case(
        "invalid UTF-8 on line 4 of a CR-only file",
        {"relations.csv": OLD_MAC.encode() + b"Iran,Hamas,funds,2003,caf\xe9,s\r"},
        shows=("relations.csv:4: error: not valid utf-8 at byte offset",),
    ),
    Case(
        "invalid UTF-8 on line 4 of a CRLF file",
        {
            "relations.csv": OLD_MAC.replace("\r", "\r\n").encode()
            + b"Iran,Hamas,funds,2003,caf\xe9,s\r\n"
        },
        shows=("relations.csv:4: error: not valid utf-8 at byte offset",),
    ),
    Case(
        "a bad date on line 4 of a CR-only file",
        {"relations.csv": OLD_MAC + "Iran,Hamas,funds,20x3,q,s\r"},
        shows=('relations.csv:4: error: column "start": cannot read the date "20x3"',),
    ),
]


# ---------------------------------------------------------------- 15: absurdly wide files


def wide(columns: int) -> str:
    names = ["from", "to", "relation", *(f"c{i}" for i in range(columns - 3))]
    return (
        ",".join(names) + "\n" + ",".join(["Iran", "Hamas", "funds"] + [""] * (columns - 3)) + "\n"
    )


CASES += [
    Case(
        "a header of 100,000 columns",
        {"relations.csv": wide(100_000)},
        shows=("relations.csv:1: error: 100,000 columns in the header: more than 1,000",),
    ),
    Case(
        "a header of 1,001 columns",
        {"relations.csv": wide(1001)},
        shows=("relations.csv:1: error: 1,001 columns in the header",),
    ),
    Case(
        "a first row of 5,000 columns without a header",
        {"relations.csv": wide(5000).split("\n", 1)[1]},
        args=("--no-header", "--map", "from=1", "--map", "to=2", "--map", "relation=3"),
        shows=("relations.csv:1: error: 5,000 columns in the first row",),
    ),
    Case(
        "a header of 1,000 columns is still a table",
        {"relations.csv": wide(1000), "actors.csv": ACTORS},
        exit_code=0,
        shows=("1 claim, 2 actors",),
    ),
]


# ---------------------------------------------------------------- 16: what the console shows

# Clear the screen, CSI in its one-byte C1 form, a bell, a right-to-left override.
CONTROLS = "\x1b[2J\x9b31m\x07\u202e"
CASES += [
    Case(
        "terminal escapes in a date and a name",
        {
            "relations.csv": HEADER + f"Iran{CONTROLS},Hamas,funds,20{CONTROLS},,q,s,\n",
            "actors.csv": ACTORS,
        },
        shows=(
            'cannot read the date "20\\x1b[2J\\x9b31m\\x07\\u202e"',
            'actor "Iran\\x1b[2J\\x9b31m\\x07\\u202e" is not in actors.csv',
        ),
        hides=("\x1b", "\x9b", "\x07", "\u202e"),
    ),
    Case(
        "a NUL in an encoding name, printed back",
        args=("--encoding", "utf\x00"),
        shows=('relations.csv: error: unknown text encoding "utf\\x00"',),
        hides=("\x00",),
    ),
    Case(
        "names differing only by a zero-width space",
        {
            "relations.csv": HEADER
            + "alqaeda,Iran,funds,2001,,q,s,\nal\u200bqaeda,Iran,funds,2002,,q,s,\n"
        },
        exit_code=0,
        shows=(
            "names differing only in case, spacing or invisible characters were merged into "
            'actor "alqaeda": "alqaeda", "al\\u200bqaeda"',
            'the name "al\\u200bqaeda" holds invisible characters (U+200B)',
            "2 claims, 2 actors",
        ),
        hides=("\u200b",),
    ),
    *(
        Case(
            f"actor ids differing by U+{ord(mark):04X}",
            {
                "relations.csv": HEADER + "foo,iran,funds,2001,,q,s,\n",
                "actors.csv": f"id,name,type\nfoo,Foo,state\nf{mark}oo,Other,state\niran,Iran,state\n",
            },
            shows=(
                f'actors.csv:3: error: column "id": actor id "f\\u{ord(mark):04x}oo" and actor id "foo"',
            ),
        )
        for mark in "\u200b\u200c\u200d\ufeff\u2060"
    ),
]


def test_a_negative_limit_is_refused(tmp_path):
    (tmp_path / "relations.csv").write_text(HEADER + "Iran,Hamas,funds,20x1,,q,s,\n")
    result = check(str(tmp_path), [], max_per_kind="-1")
    assert result.exit_code == 2
    assert "Invalid value for '--max-per-kind'" in result.output


def test_escaping_for_the_console_leaves_the_data_alone(tmp_path):
    quote = f"a quote with {CONTROLS} inside"
    (tmp_path / "relations.csv").write_text(HEADER + f"Iran,Hamas,funds,2001,,{quote},s,\n")
    dataset, _report = load_dataset(tmp_path)
    assert dataset.claims["quote"].tolist() == [quote]


# ---------------------------------------------------------------- end: the corpus, and agreement


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_reports_each_hostile_data_set(build, case):
    data, args, outside = build(case)
    result = check(data, args)
    assert result.exit_code == case.exit_code, result.output
    for text in case.shows:
        assert text.replace("{outside}", str(outside)) in result.output
    for text in (*case.hides, "Traceback"):
        assert text.replace("{outside}", str(outside)) not in result.output


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_what_check_passes_run_serves(build, case, monkeypatch):
    """The data set `check` passed builds the app, and the page's first figure request works."""
    loaded = []

    def load_and_keep(*args, **kwargs):
        loaded.append(load_dataset(*args, **kwargs))
        return loaded[-1]

    monkeypatch.setattr("dashboard.cli.load_dataset", load_and_keep)
    data, args, _outside = build(case)
    if check(data, args).exit_code != 0:
        return  # refused: run refuses it too, with the same report
    from dashboard.web.app import create_app

    app = create_app(loaded[0][0])
    scene = initial_request(app, "scene.data")
    assert scene.status_code == 200, scene.get_data(as_text=True)
    scene = scene.get_json()["response"]["scene"]["data"]
    step = initial_request(app, "step.data", {"scene": scene})
    assert step.status_code == 200, step.get_data(as_text=True)
    step = step.get_json()["response"]["step"]["data"]
    # What the browser then draws (assets/network.js does the same as this).
    figure = assemble(decode(scene), decode(step))
    assert figure["data"]


def initial_request(app, output: str, given: dict | None = None):
    """Post what the browser posts for ``output`` when the page opens."""
    components = _components(app.layout, {})
    key = next(k for k in app.callback_map if output in k and "@" not in k)
    spec = app.callback_map[key]
    given = given or {}

    def initial(dependency: dict):
        if dependency["id"] in given:
            return given[dependency["id"]]
        return getattr(components.get(dependency["id"]), dependency["property"], None)

    body = {
        "output": key,
        "outputs": [
            {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
            for p in key.strip(".").split("...")
        ],
        "inputs": [{**i, "value": initial(i)} for i in spec["inputs"]],
        "state": [{**s, "value": initial(s)} for s in spec.get("state", [])],
        "changedPropIds": [],
    }
    client = app.server.test_client()
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


def _components(component, found: dict) -> dict:
    if getattr(component, "id", None) is not None:
        found[component.id] = component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            _components(child, found)
    return found
