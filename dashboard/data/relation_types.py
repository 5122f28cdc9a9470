"""Actor types given in the relations file: the optional ``from_type`` and ``to_type``.

An actor named in relations but missing from actors.csv is created with the type its
rows give (``unknown`` if none do), so a file that carries its actors' types (our claims
export does) needs no actors.csv. actors.csv wins where it has the actor; a row that
says otherwise is warned about, and so is a row that gives an actor another type than
an earlier row. ``unknown`` and empty cells give no type.

>>> from dashboard.data.actors import empty_actor_table
>>> report = Report()
>>> names = {"from": pd.Series(["Iran", "iran"]), "to": pd.Series(["Hamas", ""])}
>>> types = {"from": pd.Series(["State", "agency"]), "to": pd.Series(["armed group", ""])}
>>> given = relation_types(names, types, np.array([2, 3]), "r.csv", empty_actor_table(), report)
>>> given
{'iran': 'state', 'hamas': 'armed group'}
>>> print(report.problems[0].message)
from_type "agency" contradicts "state", given to the actor "iran" on line 2; kept "state"
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .actors import UNKNOWN_TYPE, ActorTable, name_key
from .config import ACTOR_TYPE_COLUMNS
from .report import Report


def relation_types(
    names: Mapping[str, pd.Series],
    types: Mapping[str, pd.Series],
    lines: np.ndarray,
    file: str,
    actors: ActorTable,
    report: Report,
) -> dict[str, str]:
    """The type the relations give each actor they create, by name key (see ``name_key``).

    ``names`` and ``types`` are the relations' actor columns (``from``, ``to``) and their
    type columns, aligned. Contradictions are warned about at the type cell.
    """
    parts = []
    for side, column in names.items():
        kinds = types[side].str.lower()
        keep = ((kinds != "") & (kinds != UNKNOWN_TYPE) & (column != "")).to_numpy()
        parts.append(
            pd.DataFrame(
                {"name": column[keep], "kind": kinds[keep], "line": lines[keep], "side": side}
            )
        )
    rows = pd.concat(parts, ignore_index=True).sort_values("line", kind="stable")
    keys = {name: name_key(name) for name in pd.unique(rows["name"])}
    rows["key"] = rows["name"].map(keys)
    rows["listed"] = rows["key"].map(actors.lookup)
    in_file = rows["listed"].notna()
    listed = rows[in_file].assign(known=lambda r: r["listed"].map(actors.frame["type"]))
    for row in listed[listed["kind"] != listed["known"]].itertuples():
        column = ACTOR_TYPE_COLUMNS[row.side]
        report.warning(
            file,
            int(row.line),
            column,
            f'{column} "{row.kind}" contradicts actors.csv, which gives the actor '
            f'"{row.listed}" the type "{row.known}"; kept "{row.known}"',
            kind="contradicting actor type",
        )
    new = rows[~in_file]
    first = new.groupby("key", sort=False)[["kind", "line"]].transform("first")
    for row, (kind, line) in zip(
        new[new["kind"] != first["kind"]].itertuples(),
        first[new["kind"] != first["kind"]].itertuples(index=False),
        strict=True,
    ):
        column = ACTOR_TYPE_COLUMNS[row.side]
        report.warning(
            file,
            int(row.line),
            column,
            f'{column} "{row.kind}" contradicts "{kind}", given to the actor '
            f'"{" ".join(row.name.split())}" on line {line}; kept "{kind}"',
            kind="contradicting actor type",
        )
    return new.groupby("key", sort=False)["kind"].first().to_dict()
