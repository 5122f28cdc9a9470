"""Cells escaped against spreadsheet formulas, and undone exactly when a file says so.

A spreadsheet runs a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula; OWASP's advice is to put an apostrophe in front. Our claims export
does so, and also in front of a cell that already starts with an apostrophe, so that
the escaping can be undone exactly: remove one leading apostrophe. It marks every row
it writes that way with ``apostrophe`` in the ``escaping`` column. The loader undoes
the escaping in those rows only: in any other file an apostrophe is the data's own.

>>> [escape_cell(c) for c in ["=1+1", "'quoted'", "-", "Iran"]]
["'=1+1", "''quoted'", "'-", 'Iran']
>>> [unescape_cell(escape_cell(c)) for c in ["=1+1", "'quoted'", "-", "Iran"]]
['=1+1', "'quoted'", '-', 'Iran']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import ESCAPING_COLUMN
from .report import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "apostrophe"  # the escaping column's value in rows escaped this way


def escape_cell(cell: str) -> str:
    """``cell`` with an apostrophe in front if a spreadsheet would run it (or it has one)."""
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def unescape_cell(cell: str) -> str:
    """The inverse of :func:`escape_cell`: one leading apostrophe removed."""
    return cell[1:] if cell.startswith("'") else cell


def unescape_rows(
    cells: pd.DataFrame, lines: np.ndarray, file: str, report: Report
) -> tuple[pd.DataFrame, np.ndarray]:
    """Undo the escaping in the rows whose ``escaping`` cell says ``apostrophe``.

    Returns the cells without the escaping column, and a boolean array marking rows whose
    escaping is one we do not know (reported as errors: their cells cannot be read).
    """
    if ESCAPING_COLUMN not in cells.columns:
        return cells, np.zeros(len(cells), dtype=bool)
    marks = cells[ESCAPING_COLUMN].str.casefold()
    cells = cells.drop(columns=ESCAPING_COLUMN)
    unknown = ~marks.isin(["", APOSTROPHE])
    for i in np.flatnonzero(unknown.to_numpy()):
        report.error(
            file,
            int(lines[i]),
            ESCAPING_COLUMN,
            f'unknown escaping "{marks.iat[i]}" (the one known is "{APOSTROPHE}")',
            kind="unknown escaping",
        )
    escaped = (marks == APOSTROPHE).to_numpy()
    for column in cells.columns:
        cells[column] = unescape_where(cells[column], escaped)
    return cells, unknown.to_numpy()


def escaped_rows(cells: pd.DataFrame) -> np.ndarray:
    """The rows our export escaped (see :func:`unescape_rows`)."""
    if ESCAPING_COLUMN not in cells.columns:
        return np.zeros(len(cells), dtype=bool)
    return (cells[ESCAPING_COLUMN].str.casefold() == APOSTROPHE).to_numpy()


def unescape_where(values: pd.Series, rows: np.ndarray) -> pd.Series:
    """``values`` with the escaping undone in ``rows`` (a boolean mask)."""
    if not rows.any():
        return values
    values = values.copy()
    values[rows] = values[rows].map(unescape_cell)
    return values
