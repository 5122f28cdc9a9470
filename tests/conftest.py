from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from dashboard.data import Dataset, load_or_raise
from dashboard.graph import Network

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data"
HEADER = "from,to,relation,start,end,quote,source,stance,document,url,published\n"
# The day the tests take as today: a claim ending "present" runs to it. Never the real
# date, so that no test changes its mind on New Year's Day (tests/test_today.py checks
# that the fixtures below hold for other days too).
TODAY = date(2026, 11, 26)


def load_bundled(today: date = TODAY) -> Dataset:
    """The bundled data set, with ``today`` as the day "present" stands for."""
    return load_or_raise(BUNDLED, today=today)


@pytest.fixture(scope="session", autouse=True)
def cache_of_its_own(tmp_path_factory):
    """Layouts and data sets the tests cache go to a folder of the session's, never to
    the user's cache directory."""
    before = os.environ.get("DASHBOARD_CACHE_DIR")
    os.environ["DASHBOARD_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("DASHBOARD_CACHE_DIR", None)
    else:
        os.environ["DASHBOARD_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def both_readers(monkeypatch):
    """Every file a test reads is read by the fast reader and the careful one, which
    must agree wherever the fast one reads at all (see dashboard/data/reader.py)."""
    monkeypatch.setattr("dashboard.data.reader.CHECK_FAST_PATH", True)


@pytest.fixture(scope="session")
def bundled_dataset() -> Dataset:
    return load_bundled()


@pytest.fixture(scope="session")
def network(bundled_dataset: Dataset) -> Network:
    """The bundled data's network, shared read-only by every test."""
    return Network.from_dataset(bundled_dataset)


def write_data(
    folder: Path,
    relations: str | bytes | None,
    actors: str | bytes | None = None,
    files: dict[str, str | bytes] | None = None,
) -> Path:
    """Write a data folder; str content is written as UTF-8 with newlines kept as given."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"relations.csv": relations, "actors.csv": actors, **(files or {})}
    for name, content in contents.items():
        if content is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path):
    def make(relations, actors=None, files=None) -> Path:
        return write_data(tmp_path / "data", relations, actors, files)

    return make
