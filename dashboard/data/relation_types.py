"""What kind of relation each relation is: its family, and whether it has a direction.

Declared in ``dashboard.toml``::

    [relation_types]
    "allied with" = {family = "cooperation", directed = false}
    "fights" = {family = "conflict"}

or in the relation lookup table (``relation_labels``) as optional columns ``family`` and
``directed``, or per row from a mapped ``relation_family`` column (CAMEO's quad class in
GDELT, say). An undirected relation (``directed = false``) is one edge between two
actors whichever way a row names them: the loader orders its two actors by id.

>>> types = parse_relation_types({"Allied  With": {"family": "cooperation", "directed": False}},
...                              Report())
>>> types["allied with"]
RelationType(family='cooperation', directed=False)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .report import Report

FAMILIES = (
    "cooperation",
    "conflict",
    "hierarchy-membership",
    "communication",
    "other",
    # CAMEO's quad classes, for CAMEO-coded data (ICEWS, GDELT)
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
)
_TRUE = ("true", "yes", "1", "directed")
_FALSE = ("false", "no", "0", "undirected")


@dataclass(frozen=True)
class RelationType:
    family: str = ""
    directed: bool = True


def relation_key(text: str) -> str:
    """Relations compare as the loader normalises them: lower case, single spaces."""
    return " ".join(str(text).split()).lower()


def check_family(family: str) -> str | None:
    """The family in canonical form, or None when it is not one of :data:`FAMILIES`."""
    family = " ".join(family.split()).lower()
    return family if family in FAMILIES else None


def family_hint(family: str) -> str:
    close = difflib.get_close_matches(family.lower(), FAMILIES, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return f'family "{family}" is not one of: {", ".join(FAMILIES)}{hint}'


def parse_relation_types(
    table, report: Report, where: str = "dashboard.toml"
) -> dict[str, RelationType]:
    """The ``[relation_types]`` table: relation = {family = ..., directed = ...}."""
    if not isinstance(table, dict):
        report.error(where, None, "relation_types", "[relation_types] must be a table")
        return {}
    types = {}
    for relation, entry in table.items():
        if not isinstance(entry, dict) or set(entry) - {"family", "directed"}:
            report.error(
                where,
                None,
                "relation_types",
                f'"{relation}" must be a table such as {{family = "conflict", directed = false}}',
            )
            continue
        family = check_family(str(entry.get("family", "other")))
        if "family" in entry and family is None:
            report.error(
                where, None, "relation_types", f'"{relation}": ' + family_hint(entry["family"])
            )
            continue
        directed = entry.get("directed", True)
        if not isinstance(directed, bool):
            report.error(
                where, None, "relation_types", f'"{relation}": directed must be true or false'
            )
            continue
        types[relation_key(relation)] = RelationType(family if "family" in entry else "", directed)
    return types


def read_directed(text: str) -> bool | None:
    """A ``directed`` cell of a lookup table: None when it is not a yes or no."""
    text = text.strip().lower()
    return True if text in _TRUE or text == "" else False if text in _FALSE else None


@dataclass(frozen=True)
class TypedRelations:
    """Per claim its family (``""`` if none) and whether it is directed; per relation its
    family (the most frequent) and the set of undirected relations."""

    family: pd.Series
    directed: np.ndarray
    families: Mapping[str, str]
    undirected: frozenset[str]


def type_relations(
    relation: pd.Series,
    types: Mapping[str, RelationType],
    family_cells: pd.Series | None,
    lines: np.ndarray,
    file: str,
    report: Report,
) -> TypedRelations:
    """Give each claim its relation's family and direction; column-wise, per distinct value.

    ``family_cells`` (a mapped ``relation_family`` column, codes already looked up)
    wins over the relation's declared family where it is not empty; values that are no
    family are warned about once each and left out.
    """
    codes, distinct = pd.factorize(relation, sort=False)
    declared = [types.get(r, RelationType()) for r in distinct]
    family = np.asarray([t.family for t in declared] or [""], dtype=object)[codes]
    undirected = frozenset(r for r, t in zip(distinct, declared, strict=True) if not t.directed)
    directed = np.asarray([t.directed for t in declared] or [True], dtype=bool)[codes]
    if family_cells is not None:
        cell_codes, cell_values = pd.factorize(family_cells, sort=False)
        checked = []
        for i, value in enumerate(cell_values):
            canonical = check_family(value) if value else ""
            if canonical is None:
                first = int(lines[int(np.argmax(cell_codes == i))])
                report.warning(
                    file, first, "relation_family", family_hint(value) + "; left out", "bad family"
                )
                canonical = ""
            checked.append(canonical)
        from_cells = np.asarray(checked or [""], dtype=object)[cell_codes]
        family = np.where(from_cells != "", from_cells, family)
    family = pd.Series(family, index=relation.index, dtype="str")
    named = family != ""
    families = {}
    if named.any():
        counted = pd.DataFrame({"relation": relation[named], "family": family[named]})
        top = counted.value_counts().reset_index().drop_duplicates("relation")
        families = dict(zip(top["relation"], top["family"], strict=True))
    return TypedRelations(family, directed, families, undirected)
