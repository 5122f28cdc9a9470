"""Array helpers the query and drawing layers share.

>>> import numpy as np
>>> distinct(np.array([3, 1, 3, 2])).tolist(), distinct(np.array([], dtype=np.int64)).tolist()
([1, 2, 3], [])
"""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array: ``np.unique(values)``, by sorting.

    NumPy 2.4's ``np.unique`` without a ``return_*`` option takes a hash-table path that
    is far slower than sorting: 0.82 s against 0.01 s for 1.3M int64 on a 2-core machine
    (the distinct sources per edge at 1M claims, on every filter step).
    """
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
