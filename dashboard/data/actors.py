"""Actors: the table of who is who, and matching the names used in relations to it.

Names match by id, name or alias, ignoring case, runs of white space and invisible
(zero-width) characters, so ``"Al-Nusra Front "``, ``"al-nusra  front"`` and
``"al-\u200bnusra front"`` are one actor.

>>> name_key("  Al-Nusra   Front "), name_key("al-\u200bnusra\ufefffront")
('al-nusra front', 'al-nusrafront')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from .report import Report

UNKNOWN_TYPE = "unknown"
ALIAS_SEPARATOR = ";"
# Zero-width space, non-joiner, joiner, word joiner and byte-order mark: a pasted name may
# carry one unseen, and two names that look the same must not be two actors.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_DROP_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))
_HAS_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")


def name_key(text: str) -> str:
    """The form in which two spellings of one name compare equal."""
    return " ".join(text.translate(_DROP_ZERO_WIDTH).split()).casefold()


@dataclass(frozen=True)
class ActorTable:
    """Actors indexed by id, with a lookup from every name key to its actor id.

    ``frame`` columns: ``name``, ``type``, ``aliases`` (a tuple), ``description``,
    ``auto_created`` (named in relations only) and ``line`` (in actors.csv, 0 if none).
    """

    frame: pd.DataFrame
    lookup: Mapping[str, str]

    def __len__(self) -> int:
        return len(self.frame)


def empty_actor_table() -> ActorTable:
    frame = pd.DataFrame(
        {
            "name": pd.Series([], dtype="str"),
            "type": pd.Series([], dtype="str"),
            "aliases": pd.Series([], dtype=object),
            "description": pd.Series([], dtype="str"),
            "auto_created": pd.Series([], dtype=bool),
            "line": pd.Series([], dtype=np.int64),
        },
        index=pd.Index([], dtype="str", name="id"),
    )
    return ActorTable(frame, MappingProxyType({}))


def build_actor_table(
    cells: pd.DataFrame, lines: np.ndarray, file: str, report: Report
) -> ActorTable:
    """Validate the rows of actors.csv (already mapped to our column names)."""
    ids = cells["id"]
    keep = np.ones(len(cells), dtype=bool)
    for i in np.flatnonzero((ids == "").to_numpy()):
        report.error(file, int(lines[i]), "id", "actor has no id", kind="actor without id")
        keep[i] = False
    first_line: dict[str, int] = {}
    first_by_key: dict[str, str] = {}  # ids that name_key makes one: claims cannot tell them apart
    for i, actor_id in enumerate(ids):
        if not keep[i]:
            continue
        other = first_by_key.setdefault(name_key(actor_id), actor_id)
        if actor_id in first_line:
            report.error(
                file,
                int(lines[i]),
                "id",
                f'duplicate actor id "{actor_id}" (first on line {first_line[actor_id]})',
                kind="duplicate actor id",
            )
            keep[i] = False
        elif other != actor_id:
            report.error(
                file,
                int(lines[i]),
                "id",
                f'actor id "{actor_id}" and actor id "{other}" on line {first_line[other]} '
                "differ only in case, spacing or invisible characters, so relations cannot "
                "tell them apart: give them distinct ids",
                kind="colliding actor ids",
            )
            keep[i] = False
        else:
            first_line[actor_id] = int(lines[i])
    cells, lines = cells[keep], lines[keep]
    names = cells["name"].where(cells["name"] != "", cells["id"])
    aliases = cells["aliases"].map(_split_aliases)
    frame = pd.DataFrame(
        {
            "name": names.to_numpy(),
            "type": cells["type"].str.lower().replace("", UNKNOWN_TYPE).to_numpy(),
            "aliases": aliases.to_numpy(),
            "description": cells["description"].to_numpy(),
            "auto_created": np.zeros(len(cells), dtype=bool),
            "line": lines,
        },
        index=pd.Index(cells["id"].to_numpy(), dtype="str", name="id"),
    )
    lookup = build_lookup(frame, file, report)
    return ActorTable(frame, MappingProxyType(lookup))


def _split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip())


def build_lookup(
    frame: pd.DataFrame, file: str = "", report: Report | None = None
) -> dict[str, str]:
    """Map every id, name and alias key to one actor; ids win over other actors' names.

    With a ``report``, a key naming two actors is reported as an error (at the line
    in ``frame["line"]``); the first actor keeps it.
    """
    lookup: dict[str, str] = {name_key(actor_id): actor_id for actor_id in frame.index}
    rows = zip(frame.index, frame["name"], frame["aliases"], strict=True)
    for actor_id, name, aliases in rows:
        for label, column in [(name, "name")] + [(a, "aliases") for a in aliases]:
            owner = lookup.setdefault(name_key(label), actor_id)
            if owner != actor_id and report is not None:
                report.error(
                    file,
                    int(frame.at[actor_id, "line"]),
                    column,
                    f'"{label}" points at two actors: "{owner}" and "{actor_id}"',
                    kind="ambiguous actor name",
                )
    return lookup


def resolve_names(
    columns: Mapping[str, pd.Series],
    lines: np.ndarray,
    file: str,
    actors: ActorTable,
    report: Report,
    warn_each: bool,
) -> tuple[dict[str, pd.Series], ActorTable]:
    """Turn the names in relations columns (e.g. ``from``, ``to``) into actor ids.

    Unknown names become new actors of type "unknown" (typed later from the rows'
    ``from_type``/``to_type`` if any, see :mod:`actor_types`). Returns the ids per column
    (``""`` where the cell is empty) and the actor table with any new actors. With
    ``warn_each`` every created actor gets a warning; otherwise (no actors.csv at all)
    the caller reports them once.
    """
    lookup = dict(actors.lookup)
    names = pd.concat(list(columns.values()), ignore_index=True)
    row_lines = np.tile(lines, len(columns))
    row_columns = np.repeat(list(columns), len(lines))
    first_row = pd.Series(np.arange(len(names))).groupby(names.to_numpy()).first()
    created: dict[str, str] = {}  # actor id -> type
    variants: dict[str, list[str]] = {}
    mapping: dict[str, str] = {"": ""}
    for name, row in sorted(first_row.items(), key=lambda item: item[1]):
        if name == "":
            continue
        key = name_key(name)
        variants.setdefault(key, []).append(name)
        if _HAS_ZERO_WIDTH.search(name):
            invisible = sorted({f"U+{ord(c):04X}" for c in name if c in ZERO_WIDTH})
            report.warning(
                file,
                int(row_lines[row]),
                str(row_columns[row]),
                f'the name "{name}" holds invisible characters ({", ".join(invisible)}); '
                "it is matched as if they were not there",
                kind="invisible characters in a name",
            )
        if key not in lookup:
            lookup[key] = actor_id = " ".join(name.split())
            created[actor_id] = UNKNOWN_TYPE
            if warn_each:
                report.warning(
                    file,
                    int(row_lines[row]),
                    str(row_columns[row]),
                    f'actor "{name}" is not in actors.csv; created it with type "{created[actor_id]}"',
                    kind="unknown actor",
                )
        mapping[name] = lookup[key]
    for spellings in variants.values():
        if len(spellings) > 1:
            row = first_row[spellings[1]]
            shown = ", ".join(f'"{s}"' for s in spellings)
            report.warning(
                file,
                int(row_lines[row]),
                str(row_columns[row]),
                "names differing only in case, spacing or invisible characters were merged "
                f'into actor "{mapping[spellings[0]]}": {shown}',
                kind="merged spellings",
            )
    ids = {column: values.map(mapping) for column, values in columns.items()}
    if not created:
        return ids, actors
    new = pd.DataFrame(
        {
            "name": list(created),
            "type": list(created.values()),
            "aliases": [() for _ in created],
            "description": "",
            "auto_created": True,
            "line": 0,
        },
        index=pd.Index(list(created), dtype="str", name="id"),
    )
    frame = pd.concat([actors.frame, new]) if len(actors.frame) else new
    frame["aliases"] = frame["aliases"].astype(object)
    return ids, ActorTable(frame, MappingProxyType(lookup))
