"""Sizing by betweenness in the browser: the figure at once with a note that it is being
computed (in a worker process), progress, then the sizes and a key saying which."""

from __future__ import annotations

import os
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.heavy import HeavyWork
from dashboard.query.centrality import BetweennessService, betweenness_scores
from dashboard.web.app import create_app
from dashboard.web.background import Background

RELEASE = "DASHBOARD_TEST_RELEASE_FILE"


def held_scores(n_actors, pairs, sources):
    """Betweenness, once the test has seen the progress (a file it creates says so)."""
    release = Path(os.environ[RELEASE])
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return betweenness_scores(n_actors, pairs, sources)


def size_key(dash_duo) -> str:
    """The size key as drawn: the figure's annotations' text in the page."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#network .annotation-text'),"
        " a => a.textContent).join(' | ')"
    )


def wait_for_size_key(dash_duo, text: str, timeout: float = 60) -> str:
    WebDriverWait(dash_duo.driver, timeout).until(lambda _: text in size_key(dash_duo))
    return size_key(dash_duo)


def test_betweenness_shows_progress_then_sizes(dash_duo, bundled_dataset, tmp_path, monkeypatch):
    release = tmp_path / "release"
    monkeypatch.setenv(RELEASE, str(release))  # read by the worker, spawned after this
    heavy = HeavyWork(workers=1)
    service = BetweennessService(heavy, in_request_limit=0, compute=held_scores)
    try:
        dash_duo.driver.set_window_size(1500, 1000)
        dash_duo.start_server(create_app(bundled_dataset, background=Background(heavy, service)))
        dash_duo.wait_for_contains_text("#counts", "claims (of 66)")
        dash_duo.wait_for_element("#network .scatterlayer .trace")
        dash_duo.driver.find_element(
            By.XPATH, "//*[@id='size-by']//label[contains(., 'Betweenness')]"
        ).click()
        first = wait_for_size_key(dash_duo, "Betweenness: computing")
        assert first.startswith("Node size: number of claims for now.")
        WebDriverWait(dash_duo.driver, 30).until(lambda _: size_key(dash_duo) != first)
        assert "Betweenness: computing" in size_key(dash_duo)  # progress, patched in by the poll
        release.touch()
        assert wait_for_size_key(dash_duo, "Node size: betweenness (exact).") == (
            "Node size: betweenness (exact)."
        )
        assert dash_duo.get_logs() == []
    finally:
        heavy.shutdown()
