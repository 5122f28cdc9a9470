"""Column helpers: work once per distinct value, and build string columns in pyarrow.

A column of a million cells often holds a few thousand distinct texts. Computing on the
distinct ones and spreading the results with integer codes is what keeps loading
column-wise; building the result as an Arrow array (``take``) rather than from a
million Python strings keeps it fast.

>>> values = pd.Series(["Trains", "funds", "Trains"], dtype="str")
>>> map_strings(values, str.lower).tolist()
['trains', 'funds', 'trains']
>>> map_values(values, lambda v: v.islower(), bool).tolist()
[False, True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


def arrow_strings(arrow_type=None):
    """pandas' ``str`` dtype backed by Arrow, for ``to_pandas(types_mapper=...)``."""
    return pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_column(values: pd.Series):
    """The column as a pyarrow ChunkedArray of strings, without copying when it is
    Arrow-backed (``pa.array`` would convert a many-chunk column through Python objects).
    """
    import pyarrow as pa

    array = values.array
    if hasattr(array, "__arrow_array__"):
        column = array.__arrow_array__()
        if isinstance(column, pa.ChunkedArray) and pa.types.is_string(column.type):
            return column
        if isinstance(column, pa.ChunkedArray) and pa.types.is_large_string(column.type):
            return column
    return pa.chunked_array([pa.array(values.astype(object), type=pa.string())])


def strings_from(distinct: Sequence[str], codes: np.ndarray, index=None) -> pd.Series:
    """The column whose row ``i`` is ``distinct[codes[i]]``, as a ``str`` Series."""
    import pyarrow as pa

    taken = pa.array(list(distinct) or [""], type=pa.string()).take(
        pa.array(np.asarray(codes, dtype=np.int64))
    )
    series = pd.Series(taken.to_pandas(types_mapper=arrow_strings), dtype="str")
    if index is not None:
        series.index = index
    return series


def map_strings(values: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """``values.map(function)`` as a ``str`` Series, calling ``function`` once per
    distinct value."""
    codes, distinct = pd.factorize(values, sort=False)
    return strings_from([function(v) for v in distinct], codes, values.index)


def map_values(values: pd.Series, function: Callable[[str], object], dtype) -> np.ndarray:
    """``values.map(function)`` as a numpy array, calling ``function`` once per
    distinct value."""
    codes, distinct = pd.factorize(values, sort=False)
    results = np.asarray([function(v) for v in distinct], dtype=dtype)
    return results[codes] if len(distinct) else np.zeros(len(values), dtype=dtype)
