"""Reshape claims as analysts' files have them, before validation.

- Numeric relation codes (CAMEO's ``190``, say) become labels through a lookup table.
- A cell naming several actors (``"Hamas; Hezbollah"``), in a column declared as a
  list, becomes one claim per pair of actors; each claim records how many its row made.
  So do several columns of actors on one side (``actor1`` and ``assoc_actor_1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .files import DataFolder
from .reader import ReadOptions, read_table
from .report import Report


def relation_labels(
    source: Path | Mapping[str, str],
    display,
    report: Report,
    kinds: dict | None = None,
    folder: DataFolder | None = None,
) -> dict[str, str] | None:
    """The code -> label table, from a CSV file (columns ``code``, ``label``) or a mapping.

    A file may also have the columns ``family`` and ``directed`` (yes/no): with a
    ``kinds`` dict, each label's :class:`~dashboard.data.relation_families.RelationKind`
    goes into it.
    """
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
    if kinds is not None:
        _label_types(table, columns, kinds, report)
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


def _label_types(table, columns: dict[str, str], kinds: dict, report: Report) -> None:
    from .relation_families import RelationKind, family_name, read_directed, relation_key

    if "family" not in columns and "directed" not in columns:
        return
    empty = pd.Series([""] * len(table.frame), dtype="str")
    families = table.frame[columns["family"]] if "family" in columns else empty
    directions = table.frame[columns["directed"]] if "directed" in columns else empty
    rows = zip(table.frame[columns["label"]], families, directions, table.lines, strict=True)
    for label, family, directed_text, line in rows:
        directed = read_directed(directed_text)
        if directed is None:
            report.error(table.file, int(line), "directed", f'"{directed_text}" is not yes or no')
        else:
            kinds[relation_key(label)] = RelationKind(family_name(family), directed)


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
    sides = {
        side: ((cells[side], separator if side in columns else None),) for side in ("from", "to")
    }
    expanded = expand_actors(cells, lines, sides)
    return expanded.cells, expanded.lines, expanded.made


@dataclass(frozen=True)
class Expanded:
    """Claims after :func:`expand_actors`: ``rows`` maps each to the row it came from;
    ``from_main`` and ``to_main`` say whether its actor came from the side's first
    (main) column; ``made`` is how many claims its row made."""

    cells: pd.DataFrame
    lines: np.ndarray
    rows: np.ndarray
    made: np.ndarray
    from_main: np.ndarray
    to_main: np.ndarray

    @property
    def associated(self) -> np.ndarray:
        """Claims naming an actor from a side's other columns (e.g. assoc_actor_1)."""
        return ~(self.from_main & self.to_main)


def expand_actors(
    cells: pd.DataFrame,
    lines: np.ndarray,
    sides: Mapping[str, tuple[tuple[pd.Series, str | None], ...]],
) -> Expanded:
    """One claim per pair of the actors a row names on its ``from`` and ``to`` sides.

    Each side is one or more columns (the first is the main one: ``actor1``, then
    ``assoc_actor_1``), each with the separator its cells use to list several actors
    (None: one per cell). Empty names are skipped; a side naming nobody gives one
    claim with an empty actor there (validation reports it). Column-wise: pandas
    explode and merge, no Python loop over rows.

    >>> cells = pd.DataFrame({"from": ["A", "C"], "to": ["D", "E"]})
    >>> sides = {"from": ((cells["from"], None), (pd.Series(["B; X", ""]), ";")),
    ...          "to": ((cells["to"], None),)}
    >>> out = expand_actors(cells, np.array([2, 3]), sides)
    >>> out.cells.values.tolist(), out.made.tolist(), out.associated.tolist()
    ([['A', 'D'], ['B', 'D'], ['X', 'D'], ['C', 'E']], [3, 3, 3, 1], [False, True, True, False])
    """
    n = len(cells)
    if all(len(parts) == 1 and parts[0][1] is None for parts in sides.values()):
        main = np.ones(n, dtype=bool)
        return Expanded(cells, lines, np.arange(n), np.ones(n, np.int64), main, main.copy())
    long = {side: _side_names(parts, n) for side, parts in sides.items()}
    pairs = long["from"].merge(long["to"], on="row", suffixes=("_from", "_to"), sort=False)
    rows = pairs["row"].to_numpy(dtype=np.int64)
    expanded = cells.iloc[rows].reset_index(drop=True)
    expanded["from"] = pd.Series(pairs["name_from"].to_numpy(), dtype="str")
    expanded["to"] = pd.Series(pairs["name_to"].to_numpy(), dtype="str")
    made = np.bincount(rows, minlength=n)[rows]
    return Expanded(
        expanded,
        lines[rows],
        rows,
        made,
        (pairs["origin_from"] == 0).to_numpy(),
        (pairs["origin_to"] == 0).to_numpy(),
    )


def _side_names(parts: tuple[tuple[pd.Series, str | None], ...], n: int) -> pd.DataFrame:
    """(row, name, origin) for every actor a side names, in row then column order."""
    frames = []
    for origin, (values, separator) in enumerate(parts):
        values = values.reset_index(drop=True)
        if separator is not None:
            values = values.str.split(separator, regex=False).explode().str.strip()
        frames.append(
            pd.DataFrame(
                {
                    "row": values.index.to_numpy(dtype=np.int64),
                    "name": values.to_numpy(dtype=object),
                    "origin": origin,
                }
            )
        )
    names = pd.concat(frames, ignore_index=True)
    names = names[names["name"].notna() & (names["name"] != "")]
    names = names.drop_duplicates(["row", "name"])
    nobody = np.setdiff1d(np.arange(n), names["row"].to_numpy())
    if len(nobody):
        names = pd.concat(
            [names, pd.DataFrame({"row": nobody, "name": "", "origin": 0})], ignore_index=True
        )
    return names.sort_values(["row", "origin"], kind="stable")
