"""dashboard/arrays.py: ``distinct`` is ``np.unique`` by sorting."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.arrays import distinct


@pytest.mark.parametrize(
    "values",
    [
        np.array([], dtype=np.int64),
        np.array([7], dtype=np.int64),
        np.array([3, 1, 3, 2, 1], dtype=np.int64),
        np.array([-5, 2**40, -5, 0], dtype=np.int64),
        np.array([2, 2, 2], dtype=np.int32),
        np.random.default_rng(0).integers(0, 50, size=1000),
    ],
    ids=["empty", "one", "repeats", "wide", "int32", "random"],
)
def test_distinct_is_numpys_unique(values):
    found = distinct(values)
    assert np.array_equal(found, np.unique(values))
    assert found.dtype == values.dtype
