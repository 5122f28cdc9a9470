"""What kind of relation each relation is: its family, and whether it has a direction.

Declared in ``dashboard.toml``, one line per relation::

    [relation_families]
    "fights" = "conflict"
    "allied with" = {family = "cooperation", directed = false}

or in the relation lookup table (``relation_labels``) as optional columns ``family`` and
``directed`` (yes/no), or per row from a mapped ``relation_family`` column (CAMEO's quad
class in GDELT, say). Families are names: cooperation, conflict, hierarchy and
membership, communication, other, and CAMEO's quad classes for CAMEO-coded data (see
``families.py`` for how the map reads them). An undirected relation (``directed =
false``) is one edge between two actors whichever way a row names them: the loader
orders its two actors by id.

>>> kinds = parse_relation_families(
...     {"Allied  With": {"family": "Cooperation", "directed": False}, "fights": "conflict"},
...     Report())
>>> kinds["allied with"], kinds["fights"]
(RelationKind(family='cooperation', directed=False), RelationKind(family='conflict', directed=True))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .report import Report

# The families the presets use (any other name is a family too).
FAMILIES = (
    "cooperation",
    "conflict",
    "hierarchy and membership",
    "communication",
    "other",
    "verbal cooperation",  # CAMEO's quad classes, for ICEWS and GDELT
    "material cooperation",
    "verbal conflict",
    "material conflict",
)
_TRUE = ("true", "yes", "1", "directed")
_FALSE = ("false", "no", "0", "undirected")


@dataclass(frozen=True)
class RelationKind:
    family: str = ""
    directed: bool = True


def relation_key(text: str) -> str:
    """Relations compare as the loader normalises them: lower case, single spaces."""
    return " ".join(str(text).split()).lower()


def family_name(text: str) -> str:
    """A family as the map reads it: lower case, single spaces."""
    return " ".join(str(text).split()).casefold()


def parse_relation_families(
    table, report: Report, where: str = "dashboard.toml"
) -> dict[str, RelationKind]:
    """``[relation_families]``: relation = family, or relation = {family, directed}."""
    if not isinstance(table, dict):
        report.error(where, None, "relation_families", "[relation_families] must be a table")
        return {}
    kinds = {}
    for relation, entry in table.items():
        if isinstance(entry, str) and entry.strip():
            entry = {"family": entry}
        family, directed = (
            (entry.get("family", ""), entry.get("directed", True))
            if isinstance(entry, dict)
            else (None, None)
        )
        if (
            not isinstance(entry, dict)
            or set(entry) - {"family", "directed"}
            or not isinstance(family, str)
            or not isinstance(directed, bool)
        ):
            report.error(
                where,
                None,
                "relation_families",
                f'"{relation}" must be a family ("conflict") or a table such as '
                '{family = "conflict", directed = false}',
            )
            continue
        kinds[relation_key(relation)] = RelationKind(family_name(family), directed)
    return kinds


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
    relation: pd.Series, kinds: Mapping[str, RelationKind], family_cells: pd.Series | None
) -> TypedRelations:
    """Give each claim its relation's family and direction; per distinct value.

    ``family_cells`` (a mapped ``relation_family`` column, codes already looked up) wins
    over the relation's declared family where it is not empty.
    """
    codes, distinct = pd.factorize(relation, sort=False)
    declared = [kinds.get(r, RelationKind()) for r in distinct]
    family = np.asarray([k.family for k in declared] or [""], dtype=object)[codes]
    undirected = frozenset(r for r, k in zip(distinct, declared, strict=True) if not k.directed)
    directed = np.asarray([k.directed for k in declared] or [True], dtype=bool)[codes]
    if family_cells is not None:
        cell_codes, cell_values = pd.factorize(family_cells, sort=False)
        named = np.asarray([family_name(v) for v in cell_values] or [""], dtype=object)
        from_cells = named[cell_codes]
        family = np.where(from_cells != "", from_cells, family)
    family = pd.Series(family, index=relation.index, dtype="str")
    has_family = family != ""
    families = {}
    if has_family.any():
        counted = pd.DataFrame({"relation": relation[has_family], "family": family[has_family]})
        top = counted.value_counts().reset_index().drop_duplicates("relation")
        families = dict(zip(top["relation"], top["family"], strict=True))
    return TypedRelations(family, directed, families, undirected)
