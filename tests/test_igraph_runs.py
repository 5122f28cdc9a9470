"""Large igraph runs go to a light child process (dashboard/igraph_runs.py): it returns
what the run returns here, says why it failed, and imports none of the program's heavy
libraries (at 1M claims those imports were 0.14 GB of a 0.33 GB child)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.igraph_runs import here, in_child_process
from dashboard.positions.force import fruchterman_reingold
from dashboard.query.multilevel import multilevel

HEAVY = ("pandas", "dash", "plotly", "networkx", "flask", "pyarrow")
RUNS_AND_MODULES = (
    "(__import__('dashboard.positions.force'), __import__('dashboard.query.multilevel'),"
    " sorted(__import__('sys').modules))[-1]"
)


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        (max, (2, 3), 3),
        (sorted, ([3, 1, 2],), [1, 2, 3]),
        (print, ("printed by the run, not its result",), None),
    ],
)
def test_a_child_returns_what_the_function_returns(function, args, expected):
    assert in_child_process(function, *args) == expected


def test_a_child_that_fails_says_why():
    with pytest.raises(
        ChildProcessError, match=r"(?s)int failed in a child process.*invalid literal for int"
    ):
        in_child_process(int, "x")


def test_a_child_imports_the_runs_without_the_heavy_libraries():
    loaded = set(in_child_process(eval, RUNS_AND_MODULES))
    assert {"dashboard.positions.force", "dashboard.query.multilevel", "numpy"} <= loaded
    assert not loaded & set(HEAVY)


def ring_with_chords(n: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.arange(n)
    return np.concatenate([a, a[::7]]), np.concatenate([(a + 1) % n, (a[::7] * 3) % n])


@pytest.mark.parametrize("run", [fruchterman_reingold, multilevel])
def test_a_run_in_a_child_is_the_run_here(run):
    a, b = ring_with_chords(300)
    args = (300, np.ones(300, dtype=bool), a, b) if run is fruchterman_reingold else None
    args = args or (300, np.column_stack([a, b]))
    for child, local in zip(in_child_process(run, *args), here(run, *args), strict=True):
        np.testing.assert_array_equal(child, local)
