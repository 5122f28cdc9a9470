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

from .columns import strings_from
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


# Python's white space among ASCII characters (what str.split() splits on).
_ASCII_SPACE_RUN = "[\t\n\x0b\x0c\r\x1c-\x1f ]+"


def name_keys(values) -> list[str]:
    """:func:`name_key` of each of ``values``, by pyarrow when they are all ASCII.

    >>> name_keys(["  Al-Nusra   Front ", "HAMAS\tgroup"]), name_keys(["Straße"])
    (['al-nusra front', 'hamas group'], ['strasse'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(values, type=pa.string())
    if not len(texts) or not pc.all(pc.string_is_ascii(texts)).as_py():
        return [name_key(text) for text in texts.to_pylist()]
    spaced = pc.replace_substring_regex(texts, _ASCII_SPACE_RUN, " ")
    return pc.ascii_lower(pc.ascii_trim(spaced, " ")).to_pylist()


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
    for i, (actor_id, key) in enumerate(zip(ids.tolist(), name_keys(ids), strict=True)):
        if not keep[i]:
            continue
        other = first_by_key.setdefault(key, actor_id)
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
    ids = frame.index.tolist()
    lookup: dict[str, str] = dict(zip(name_keys(ids), ids, strict=True))
    name_keyed = name_keys(frame["name"])
    rows = zip(ids, frame["name"].tolist(), name_keyed, frame["aliases"].tolist(), strict=True)
    for actor_id, name, key, aliases in rows:
        labels = [(name, "name", key)] + [(a, "aliases", name_key(a)) for a in aliases]
        for label, column, label_key in labels:
            owner = lookup.setdefault(label_key, actor_id)
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
    # Distinct names in the order they first occur, and the row of each first occurrence.
    codes, distinct = pd.factorize(names, sort=False)
    distinct = distinct.tolist()
    first_rows = np.unique(codes, return_index=True)[1] if len(codes) else codes
    first_row = dict(zip(distinct, first_rows.tolist(), strict=True))
    created: dict[str, str] = {}  # actor id -> type
    variants: dict[str, list[str]] = {}
    mapping: dict[str, str] = {"": ""}
    for name, key, row in zip(distinct, name_keys(distinct), first_rows.tolist(), strict=True):
        if name == "":
            continue
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
    resolved = [mapping[name] for name in distinct]
    ids = {
        column: strings_from(resolved, codes[i * len(lines) : (i + 1) * len(lines)], values.index)
        for i, (column, values) in enumerate(columns.items())
    }
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
