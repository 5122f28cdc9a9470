"""Numbers for the browser as plotly.js typed arrays: compact, and no Python per value.

plotly.js (2.28 and later) reads ``{"dtype": "f4", "bdata": <base64>}`` wherever it
takes an array of numbers; NaN stays NaN, which breaks a line between two edges.

>>> typed([1.5, float("nan")])
{'dtype': 'f4', 'bdata': 'AADAPwAAwH8='}
"""

from __future__ import annotations

import base64

import numpy as np


def typed(values, dtype: str = "f4") -> dict:
    array = np.ascontiguousarray(values, dtype={"f4": np.float32, "i4": np.int32}[dtype])
    return {"dtype": dtype, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def untyped(value) -> np.ndarray:
    """The numbers a typed array (or a plain list) holds: for tests and exports."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(
            base64.b64decode(value["bdata"]),
            dtype={"f4": np.float32, "i4": np.int32}[value["dtype"]],
        )
    return np.asarray(value, dtype=float)
