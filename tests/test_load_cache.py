"""The load cache: a data set read and checked once opens from disk the next time, with
its report; any change to what it depends on reads it again."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.data.cache import load_cached
from dashboard.data.config import LoadOverrides
from tests.conftest import HEADER, TODAY

ACTORS = "id,name,type\niran,Iran,state\naq,al-Qaeda,armed group\nhamas,Hamas,armed group\n"
ROWS = (
    'iran,aq,trains,1992,1996,"He said, ""train"".",US State Department,,Report 1,,\n'
    "iran,hamas,funds,2001,,q,,,,,\n"  # no source: a warning
    "Iran,Hamas,Funds,2001,,q2,BBC,denies,,https://example.org/x,2001-02-03\n"
    "hamas,Hezbollah,fights,,,,Reuters,,,,\n"  # an unknown actor, no quote: warnings
)


@pytest.fixture(autouse=True)
def cache_everything(monkeypatch):
    monkeypatch.setattr("dashboard.data.cache.MIN_BYTES", 0)


def load(folder, cache, **kwargs):
    return load_cached(folder, today=kwargs.pop("today", TODAY), cache_dir=cache, **kwargs)


def test_the_second_load_comes_from_the_cache_and_is_the_same(data_dir, tmp_path):
    folder = data_dir(HEADER + ROWS, ACTORS)
    first = load(folder, tmp_path)
    again = load(folder, tmp_path)
    assert not first.from_cache and again.from_cache
    pd.testing.assert_frame_equal(again.dataset.claims, first.dataset.claims)
    pd.testing.assert_frame_equal(again.dataset.actors, first.dataset.actors)
    assert again.report.problems == first.report.problems
    assert again.report.warnings and again.report.format() == first.report.format()
    for field in ("name", "relation_families", "undirected_relations", "attribution", "preset"):
        assert getattr(again.dataset, field) == getattr(first.dataset, field)
    assert dict(again.dataset.documents) == dict(first.dataset.documents)


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "relations.csv").write_text(HEADER + ROWS + ROWS),
        lambda folder: (folder / "actors.csv").write_text(ACTORS + "x,X,state\n"),
        lambda folder: (folder / "dashboard.toml").write_text('title = "Other"\n'),
        lambda folder: (folder / "documents").mkdir(),
    ],
    ids=["relations", "actors", "settings file", "documents"],
)
def test_a_changed_input_is_read_again(data_dir, tmp_path, change):
    folder = data_dir(HEADER + ROWS, ACTORS)
    load(folder, tmp_path)
    change(folder)
    assert not load(folder, tmp_path).from_cache
    assert load(folder, tmp_path).from_cache


def test_other_options_are_another_entry(data_dir, tmp_path):
    folder = data_dir(HEADER + ROWS, ACTORS)
    load(folder, tmp_path)
    other = load(folder, tmp_path, mappings=LoadOverrides(date_order="DMY"))
    assert not other.from_cache
    assert load(folder, tmp_path).from_cache


def test_data_meaning_today_is_kept_for_the_day(data_dir, tmp_path):
    folder = data_dir(HEADER + "iran,aq,trains,2009,present,q,s,,,,\n", ACTORS)
    load(folder, tmp_path, today=date(2026, 1, 1))
    assert load(folder, tmp_path, today=date(2026, 1, 1)).from_cache
    later = load(folder, tmp_path, today=date(2026, 1, 2))
    assert not later.from_cache
    assert str(later.dataset.claims["span_end"].iloc[0].date()) == "2026-01-02"


def test_data_not_meaning_today_is_kept_across_days(data_dir, tmp_path):
    folder = data_dir(HEADER + ROWS, ACTORS)
    load(folder, tmp_path, today=date(2026, 1, 1))
    assert load(folder, tmp_path, today=date(2027, 5, 1)).from_cache


def test_data_with_errors_is_not_kept(data_dir, tmp_path):
    folder = data_dir(HEADER + "iran,aq,,1992,,q,s,,,,\n", ACTORS)  # no relation: an error
    first = load(folder, tmp_path)
    assert first.dataset is None and first.report.has_errors
    assert not load(folder, tmp_path).from_cache


def test_small_files_are_read_not_cached(data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("dashboard.data.cache.MIN_BYTES", 1 << 20)
    folder = data_dir(HEADER + ROWS, ACTORS)
    load(folder, tmp_path)
    assert not load(folder, tmp_path).from_cache
    assert not (tmp_path / "datasets").exists()


def test_a_damaged_entry_is_read_again(data_dir, tmp_path):
    folder = data_dir(HEADER + ROWS, ACTORS)
    key = load(folder, tmp_path).key
    (tmp_path / "datasets" / key / "claims.arrow").write_bytes(b"not arrow")
    again = load(folder, tmp_path)
    assert not again.from_cache and len(again.dataset.claims) == 4
    assert load(folder, tmp_path).from_cache


def test_only_the_entries_used_last_are_kept(tmp_path, monkeypatch):
    from tests.conftest import write_data

    monkeypatch.setattr("dashboard.data.cache.KEEP", 2)
    folders = [write_data(tmp_path / f"d{i}", HEADER + ROWS * (i + 1), ACTORS) for i in range(3)]
    for folder in folders:
        load(folder, tmp_path / "cache")
    assert len(list((tmp_path / "cache" / "datasets").iterdir())) == 2
    assert not load(folders[0], tmp_path / "cache").from_cache


def test_run_prints_the_warnings_again_when_reading_from_the_cache(data_dir, capsys):
    from dashboard.cli import _load_for_serving

    folder = data_dir(HEADER + ROWS, ACTORS)
    _load_for_serving(folder, LoadOverrides(), reopen=True)
    first = capsys.readouterr().err
    _load_for_serving(folder, LoadOverrides())
    again = capsys.readouterr().err
    assert "claim has no source" in first
    assert again.startswith(first) and "from the cache" in again


def test_a_server_serves_its_data_mapped_from_the_new_entry(data_dir, tmp_path, monkeypatch):
    from dashboard.data import cache

    read = cache._read
    mapped = []
    monkeypatch.setattr(cache, "_read", lambda *a: mapped.append(read(*a)) or mapped[-1])
    folder = data_dir(HEADER + ROWS, ACTORS)
    plain = load(folder, tmp_path / "plain")
    first = load(folder, tmp_path, reopen=True)
    assert not first.from_cache
    assert mapped[-1] is not None and first.dataset is mapped[-1][0]  # not the copy read
    assert first.report.format() == plain.report.format()
    pd.testing.assert_frame_equal(first.dataset.claims, plain.dataset.claims)
    pd.testing.assert_frame_equal(first.dataset.actors, plain.dataset.actors)
    assert load(folder, tmp_path).from_cache


def test_a_server_keeps_the_copy_read_when_the_entry_cannot_be_written(data_dir, tmp_path):
    folder = data_dir(HEADER + ROWS, ACTORS)
    (tmp_path / "datasets").write_text("a file where the cache's folder would be")
    first = load(folder, tmp_path, reopen=True)
    assert first.dataset is not None and len(first.dataset.claims) == 4
    assert not load(folder, tmp_path).from_cache


def test_cached_columns_map_back_as_one_array_each(tmp_path):
    """pyarrow's take of a few rows from a column in pieces copies the whole column (at
    1M claims a click on an edge took 0.4 s and 0.6 GB); Feather writes pieces of 65,536
    rows unless told otherwise."""
    from dashboard.data.cache import _open_frame, _save_frame

    n = 70_000
    frame = pd.DataFrame(
        {"quote": pd.Series([f"quote {i}" for i in range(n)], dtype="str"), "n": range(n)},
        index=pd.Index([f"c{i}" for i in range(n)], name="claim_id"),
    )
    _save_frame(frame, tmp_path / "f.arrow")
    mapped = _open_frame(tmp_path / "f.arrow")
    pd.testing.assert_frame_equal(mapped, frame)
    assert mapped["quote"].array._pa_array.num_chunks == 1
