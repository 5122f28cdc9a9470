"""Communities are found once per data set, off the first page's path, and large runs
leave the server's process free (dashboard/query/communities.py, web/app.py)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache
from dashboard.query import communities, filters
from dashboard.query.filters import FilterState, ViewMemo
from dashboard.web.app import start_preparing


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Network:
    """2,000 synthetic claims among 400 actors: above the map's community colouring."""
    return Network.from_dataset(load_or_raise(generate(2_000, tmp_path_factory.mktemp("d"))))


def counting(monkeypatch) -> list[int]:
    """Count detections (runs of igraph's multilevel) from here on, on a fresh cache."""
    communities._detect.cache_clear()
    runs: list[int] = []
    real = communities.multilevel

    def counted(*args):
        runs.append(1)
        return real(*args)

    monkeypatch.setattr(communities, "multilevel", counted)
    return runs


def test_callers_at_the_same_time_share_one_detection(network, monkeypatch):
    runs = counting(monkeypatch)
    found: list[communities.Communities] = []
    start = threading.Barrier(4)

    def ask() -> None:
        start.wait()
        found.append(communities.find_communities(network))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == 1
    assert all(f is found[0] for f in found)


def test_the_app_prepares_the_first_view_before_any_page_asks(network, monkeypatch, tmp_path):
    runs = counting(monkeypatch)
    views = ViewMemo(network)
    layouts = LayoutCache(network, cache_dir=tmp_path)
    layouts.ready_now("force")
    start_preparing(layouts, views).join(timeout=120)
    assert len(runs) == 1
    communities.find_communities(network)  # what the first scene asks: already there
    assert len(runs) == 1
    filtered = []
    monkeypatch.setattr(filters, "apply_filters", lambda *a: filtered.append(a))
    views(FilterState())  # what the first page asks: the view of all claims, there too
    assert filtered == []


def test_a_detection_in_a_child_process_finds_the_same_groups(network, monkeypatch):
    communities._detect.cache_clear()
    here = communities.find_communities(network)
    communities._detect.cache_clear()
    monkeypatch.setattr(communities, "CHILD_PROCESS_LIMIT", 0)
    child = communities.find_communities(network)
    communities._detect.cache_clear()
    assert child.names == here.names
    assert np.array_equal(child.membership, here.membership)
