"""Heavy work runs outside the request threads, in a bounded pool, within a budget; the
page gets a figure at once and progress, then betweenness (exact, or estimated and
saying so)."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

import dashboard.query.centrality as centrality
import dashboard.web.background as background_module
from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.heavy import Busy, HeavyWork, OverBudget, WorkFailed
from dashboard.query.centrality import (
    BetweennessService,
    Sizing,
    betweenness_now,
    betweenness_scores,
)
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.app import create_app
from dashboard.web.background import Background
from tests.conftest import BUNDLED
from tests.dash_requests import post_callback

PATIENCE = 120  # seconds before a test gives up waiting for a worker (a failure, not a measure)


# Tasks for the workers: top-level, so that a spawned process can import them.
def sleep_then(seconds: float, value):
    time.sleep(seconds)
    return value


def pid_scores(n_actors: int, pairs, sources):
    """Scores that tell which process computed them."""
    return np.full(n_actors, float(os.getpid()))


def slow_when_exact(n_actors: int, pairs, sources):
    if sources is None:
        time.sleep(60)
    return betweenness_scores(n_actors, pairs, sources)


def always_slow(n_actors: int, pairs, sources):
    time.sleep(60)


def slow_layout(*args):
    time.sleep(60)


@pytest.fixture(scope="module")
def heavy():
    pool = HeavyWork(workers=1, max_waiting=1)
    yield pool
    pool.shutdown()


@pytest.fixture(scope="module")
def network():
    return Network.from_dataset(load_or_raise(BUNDLED))


def until_ready(service: BetweennessService, view) -> tuple[Sizing, list[Sizing]]:
    """Ask as the page's poll does until the answer is final; every answer seen."""
    seen = [service.sizing(view)]
    deadline = time.monotonic() + PATIENCE
    while seen[-1].pending and time.monotonic() < deadline:
        time.sleep(0.1)
        seen.append(service.sizing(view))
    return seen[-1], seen


def test_tasks_run_in_another_process(heavy):
    assert heavy.run(os.getpid, budget=PATIENCE) != os.getpid()


def test_a_task_over_its_budget_is_stopped_and_the_pool_goes_on(heavy):
    with pytest.raises(OverBudget):
        heavy.run(sleep_then, 60, "late", budget=0.5)
    assert heavy.run(sleep_then, 0, "next", budget=PATIENCE) == "next"


@pytest.mark.parametrize(
    ("function", "args"), [(int, ("x",)), (os._exit, (3,))], ids=["raises", "dies"]
)
def test_a_failing_task_is_reported(heavy, function, args):
    with pytest.raises(WorkFailed):
        heavy.run(function, *args, budget=PATIENCE)


def test_work_beyond_the_pool_and_its_queue_is_refused(heavy):
    running = heavy.submit(sleep_then, 2, 1, budget=PATIENCE)
    waiting = heavy.submit(sleep_then, 0, 2, budget=PATIENCE)
    with pytest.raises(Busy, match="busy with other heavy work"):
        heavy.submit(sleep_then, 0, 3, budget=PATIENCE)
    assert (running.result(), waiting.result()) == (1, 2)


def test_a_keyed_task_is_started_once(heavy):
    first = heavy.submit(sleep_then, 0.5, "x", budget=PATIENCE, key="same")
    assert heavy.submit(sleep_then, 0.5, "y", budget=PATIENCE, key="same") is first
    assert first.result() == "x"


def test_small_views_are_computed_in_the_request(network):
    pool = HeavyWork(workers=1)
    service = BetweennessService(pool)
    sizing = service.sizing(apply_filters(network, FilterState()))
    assert not sizing.pending and sizing.note == "Node size: betweenness (exact)."
    assert pool.outstanding() == 0 and pool._pool is None  # no worker was even started


def test_large_views_are_computed_in_the_pool(heavy, network):
    service = BetweennessService(heavy, in_request_limit=0, compute=pid_scores)
    view = apply_filters(network, FilterState())
    final, seen = until_ready(service, view)
    assert seen[0].pending and seen[0].values is None
    assert "Betweenness: computing…" in seen[0].note and "exact" in seen[0].note
    assert not final.pending
    shown = final.values[view.node_mask & (view.node_degrees > 0)]
    assert set(shown.tolist()) == {shown[0]} and shown[0] != os.getpid()


def test_exact_results_from_the_pool_match_the_direct_ones(heavy, network):
    service = BetweennessService(heavy, in_request_limit=0)
    view = apply_filters(network, FilterState(years=(1995, 2010)))
    final, _ = until_ready(service, view)
    np.testing.assert_allclose(final.values, betweenness_now(view).scores)
    assert final.note == "Node size: betweenness (exact)."


def test_above_the_exact_limit_betweenness_is_estimated_and_says_so(heavy, network):
    service = BetweennessService(heavy, in_request_limit=0, exact_limit=5)
    final, seen = until_ready(service, apply_filters(network, FilterState()))
    assert "estimated from" in seen[0].note
    assert final.note.startswith("Node size: betweenness, estimated from")
    assert final.values is not None


def test_an_exact_run_over_its_budget_yields_the_estimate(heavy, network):
    service = BetweennessService(
        heavy, in_request_limit=0, exact_budget=0.5, compute=slow_when_exact
    )
    view = apply_filters(network, FilterState(stances=frozenset({"asserts"})))
    final, seen = until_ready(service, view)
    assert any("exact took over" in s.note for s in seen), [s.note for s in seen]
    assert final.note.startswith("Node size: betweenness, estimated from")
    assert final.values is not None and final.values.max() > 0


def test_an_estimate_over_its_budget_gives_up_and_says_so(heavy, network):
    service = BetweennessService(
        heavy, in_request_limit=0, exact_limit=0, budget=0.5, compute=always_slow
    )
    final, _ = until_ready(service, apply_filters(network, FilterState(min_sources=2)))
    assert final.values is None and not final.pending
    assert "took longer than 0 s and was stopped" in final.note


def test_a_busy_pool_is_said_and_asked_again(network):
    pool = HeavyWork(workers=1, max_waiting=0)
    try:
        pool.submit(sleep_then, 3, None, budget=PATIENCE)
        service = BetweennessService(pool, in_request_limit=0)
        first = service.sizing(apply_filters(network, FilterState()))
        assert first.pending and "busy with other heavy work" in first.note
    finally:
        pool.shutdown()


def test_relayout_of_many_actors_runs_in_the_pool_within_its_budget(heavy, network, monkeypatch):
    monkeypatch.setattr(background_module, "LARGE_GRAPH", 0)
    view = apply_filters(network, FilterState())
    work = Background(heavy, BetweennessService(heavy))
    positions, problem = work.relayout(network, "force", view)
    assert problem is None and positions.shape == (network.n_actors, 2)
    monkeypatch.setattr(background_module, "compute_layout", slow_layout)
    work.relayout_budget = 0.5
    positions, problem = work.relayout(network, "force", view)
    assert positions is None and "took longer than 0 s and was stopped" in problem


def test_the_page_gets_a_figure_at_once_then_the_betweenness(monkeypatch):
    """Replayed against the app: the first step is sized by claims with a size key saying
    betweenness is being computed, and the poll switched on; the poll's ticks bring the
    progress; the last step has the betweenness sizes and stops the poll."""
    monkeypatch.setattr(centrality, "IN_REQUEST_LIMIT", 0)
    monkeypatch.setattr(centrality, "EXACT_LIMIT", 5)
    app = create_app(load_or_raise(BUNDLED))
    client = app.server.test_client()
    values = {
        "size-by.value": "betweenness",
        "layout-choice.value": "force",
        "include-undated.value": ["show"],
    }
    first = post_callback(client, app, "step.data", values).get_json()["response"]
    key = first["step"]["data"]["sizeKey"]["note"]
    assert key.startswith("Node size: number of claims for now. Betweenness: computing")
    assert "estimated from" in key
    assert first["sizing-poll"]["disabled"] is False

    tick = {**values, "sizing-poll.n_intervals": 1}
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        answer = post_callback(
            client, app, "step.data", tick, changed=["sizing-poll.n_intervals"]
        ).get_json()["response"]
        if answer["sizing-poll"]["disabled"]:
            break
        time.sleep(0.2)
    assert answer["step"]["data"]["sizeKey"]["note"].startswith(
        "Node size: betweenness, estimated from"
    )


def test_a_computation_nobody_asks_about_is_stopped(heavy, network):
    service = BetweennessService(
        heavy, in_request_limit=0, exact_limit=0, compute=always_slow, abandoned_after=0.5
    )
    left = apply_filters(network, FilterState(relations=frozenset({"trains", "funds"})))
    assert service.sizing(left).pending
    (job_key,) = [k for k in service._asked]
    job = heavy.job(job_key)
    time.sleep(1.0)  # the page that asked has gone quiet
    service.sizing(apply_filters(network, FilterState(relations=frozenset({"shelters"}))))
    assert job.future.cancelled() and heavy.job(job_key) is None
    for job_key in list(service._asked):
        heavy.cancel(job_key)
