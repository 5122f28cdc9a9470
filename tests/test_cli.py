"""The `dashboard` command: check reports and exit codes; run refuses broken data."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from tests.conftest import BUNDLED, HEADER


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_bundled_data_is_clean():
    result = invoke("check", str(BUNDLED))
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output
    assert "66 quotes verified" in result.output


@pytest.mark.parametrize(
    ("relations", "exit_code", "text"),
    [
        (HEADER + "Iran,Hamas,funds,2001,,q,src,,,,\n", 0, "warning"),
        (
            HEADER + "Iran,Hamas,funds,20-01,,q,src,,,,\n",
            1,
            'relations.csv:2: error: column "start"',
        ),
        ("", 1, "relations.csv: error: file is empty"),
    ],
    ids=["warnings only", "bad date", "empty"],
)
def test_check_exit_codes(data_dir, relations, exit_code, text):
    result = invoke("check", str(data_dir(relations)))
    assert result.exit_code == exit_code
    assert text in result.output
    assert "Traceback" not in result.output


def test_run_refuses_data_with_errors_and_prints_the_report(data_dir):
    folder = data_dir(HEADER + "Iran,Hamas,funds,1999,1990,q,src,,,,\n")
    result = CliRunner().invoke(main, ["run", str(folder), "--port", "1"])
    assert result.exit_code == 1
    assert 'relations.csv:2: error: column "end"' in result.output
    assert "Not serving" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_missing_folder():
    result = invoke("check", "/nonexistent/data")
    assert result.exit_code == 1
    assert "/nonexistent/data: error: no such folder or file" in result.output


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", str(BUNDLED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no problems found" in result.stdout


def test_run_defaults_are_safe():
    import click

    command = main.commands["run"]
    context = click.Context(command)
    defaults = {p.name: p.get_default(context) for p in command.params}
    assert (defaults["host"], defaults["port"], defaults["debug"]) == ("127.0.0.1", 8050, False)


def test_run_serves_locally_without_debug_by_default(monkeypatch):
    served = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: served.update(kwargs))
    monkeypatch.setattr(
        "dash.Dash.run", lambda *a, **k: pytest.fail("the debug server must not start")
    )
    result = CliRunner().invoke(main, ["run"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 8050)
    assert "warning" not in result.output


def test_run_warns_when_listening_publicly(monkeypatch):
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: None)
    result = CliRunner().invoke(main, ["run", "--host", "0.0.0.0"], catch_exceptions=False)
    assert (
        "warning: listening on 0.0.0.0: anyone who can reach this machine can read the data"
        in result.output
    )


def test_debug_only_when_asked(monkeypatch):
    runs = []
    monkeypatch.setattr("dash.Dash.run", lambda self, **kwargs: runs.append(kwargs))
    result = CliRunner().invoke(main, ["run", "--debug"], catch_exceptions=False)
    assert result.exit_code == 0
    assert runs == [{"host": "127.0.0.1", "port": 8050, "debug": True}]


def test_loading_options_reach_the_loader(data_dir):
    folder = data_dir("2019;Iran;funds;Hamas\n")
    args = [
        "check",
        str(folder),
        "--no-header",
        "--map",
        "from=2",
        "--map",
        "relation=3",
        "--map",
        "to=4",
        "--map",
        "start=1",
    ]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "1 claim, 2 actors" in result.output


def test_a_malformed_allowed_host_is_refused():
    result = CliRunner().invoke(main, ["run", str(BUNDLED), "--allowed-host", "a b/c"])
    assert result.exit_code == 2
    assert "not a host name" in result.output
