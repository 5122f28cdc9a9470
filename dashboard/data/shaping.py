"""Reshape claims as analysts' files have them, before validation.

- Numeric relation codes (CAMEO's ``190``, say) become labels through a lookup table.
- A cell naming several actors (``"Hamas; Hezbollah"``), in a column declared as a
  list, becomes one claim per pair of actors; each claim records how many its row made.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .files import DataFolder
from .reader import ReadOptions, read_table
from .report import Report


def relation_labels(
    source: Path | Mapping[str, str], display, report: Report, folder: DataFolder | None = None
) -> dict[str, str] | None:
    """The code -> label table, from a CSV file (columns ``code``, ``label``) or a mapping."""
    if isinstance(source, Mapping):
        return {str(code).strip(): str(label).strip() for code, label in source.items()}
    path = Path(source)
    table = read_table(path, display(path), report, ReadOptions(missing=()), folder=folder)
    if table is None:
        return None
    columns = {c.casefold(): c for c in table.frame.columns}
    if "code" not in columns or "label" not in columns:
        report.error(
            table.file,
            table.header_line,
            None,
            f"a relation lookup table needs the columns code and label; it has: {', '.join(table.frame.columns)}",
        )
        return None
    labels: dict[str, str] = {}
    codes, names = table.frame[columns["code"]], table.frame[columns["label"]]
    for code, label, line in zip(codes, names, table.lines, strict=True):
        if code in labels and labels[code] != label:
            report.error(
                table.file,
                int(line),
                "code",
                f'code "{code}" has two labels: "{labels[code]}" and "{label}"',
            )
        labels.setdefault(code, label)
    return labels


def apply_relation_labels(
    cells: pd.DataFrame, lines: np.ndarray, labels: Mapping[str, str], file: str, report: Report
) -> pd.DataFrame:
    """Replace relation codes by their labels; codes missing from the table stay, warned."""
    relation = cells["relation"]
    known = relation.isin(labels.keys()) | (relation == "")
    for code in pd.unique(relation[~known]):
        first = int(lines[np.flatnonzero((relation == code).to_numpy())[0]])
        report.warning(
            file,
            first,
            "relation",
            f'relation code "{code}" is not in the lookup table; kept as it is',
            kind="unknown relation code",
        )
    return cells.assign(relation=relation.map(lambda code: labels.get(code, code)))


def expand_lists(
    cells: pd.DataFrame, lines: np.ndarray, columns: tuple[str, ...], separator: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per pair of the actors listed in ``columns``.

    Returns the rows, their lines, and for each row how many claims its original row made
    (1 for an ordinary row).

    >>> cells = pd.DataFrame({"from": ["A; B", "C"], "to": ["D", "E; F"], "relation": ["funds"] * 2})
    >>> rows, lines, made = expand_lists(cells, np.array([2, 3]), ("from", "to"), ";")
    >>> rows[["from", "to"]].values.tolist(), lines.tolist(), made.tolist()
    ([['A', 'D'], ['B', 'D'], ['C', 'E'], ['C', 'F']], [2, 2, 3, 3], [2, 2, 2, 2])
    """
    if not columns:
        return cells, lines, np.ones(len(cells), dtype=np.int64)
    frame = cells.assign(_row=np.arange(len(cells)))
    for column in columns:
        parts = [
            [p.strip() for p in cell.split(separator) if p.strip()] or [""]
            for cell in frame[column]
        ]
        frame = frame.assign(**{column: parts}).explode(column)
    rows = frame["_row"].to_numpy(dtype=np.int64)
    made = np.bincount(rows, minlength=len(cells))[rows]
    expanded = frame.drop(columns="_row").reset_index(drop=True).astype("str")
    return expanded, lines[rows], made
