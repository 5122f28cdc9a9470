"""Load a data set: read, map columns, validate, resolve actors, verify quotes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from .actors import ActorTable, build_actor_table, empty_actor_table, resolve_names
from .claims import validate_claims
from .config import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    REQUIRED_ACTOR_COLUMNS,
    REQUIRED_CLAIM_COLUMNS,
    DataConfig,
    TableSpec,
    resolve_config,
)
from .documents import find_local_copies, verify_quotes
from .reader import RawTable, read_table
from .report import Report


@dataclass(frozen=True)
class Dataset:
    """A validated data set. Treat the frames as read-only: they are shared by all users.

    ``claims`` is indexed by ``claim_id`` and holds our columns (see ``CLAIM_COLUMNS``)
    plus ``from_id``, ``to_id`` (``""`` for a claim with no target), ``span_start``,
    ``span_end`` (datetime64 days, NaT when undated), ``line`` and ``verified`` (the
    quote was found in a local copy of its document). ``actors`` is indexed by id.
    """

    name: str
    actors: pd.DataFrame
    claims: pd.DataFrame
    documents: Mapping[str, Path]


class DataError(Exception):
    """Raised by :func:`load_or_raise` when the data has errors; carries the report."""

    def __init__(self, report: Report):
        super().__init__(report.format())
        self.report = report


def load_dataset(
    data: Path | str, mappings: Iterable[str] = (), today: date | None = None
) -> tuple[Dataset | None, Report]:
    """Load and check a data folder (or a single relations CSV).

    Returns the data set, or None when there are errors, and the report of every
    problem found. Nothing is dropped silently: each row either loads or is reported.
    """
    report = Report()
    data = Path(data)
    if not data.exists():
        report.error(str(data), None, None, "no such folder or file", kind="data not found")
        return None, report
    config = resolve_config(data, mappings, report)
    display = config.display_name
    relations = _read_mapped(
        config.relations, CLAIM_COLUMNS, REQUIRED_CLAIM_COLUMNS, display, report
    )
    actors = _load_actors(config, display, report)
    if relations is None or actors is None:
        return None, report
    raw, cells = relations
    file = raw.file
    claims = validate_claims(cells, raw.lines, file, report, today)
    has_actor_file = config.actors.path is not None and config.actors.path.exists()
    ids, actors = resolve_names(
        {"from": cells["from"], "to": cells["to"]}, raw.lines, file, actors, report, has_actor_file
    )
    if not has_actor_file and len(actors):
        report.warning(
            file,
            None,
            None,
            f"no actors.csv: created {len(actors)} actors from the names in {file}, "
            "all of type unknown",
            kind="no actors file",
        )
    claims["from_id"] = ids["from"].to_numpy()
    claims["to_id"] = ids["to"].to_numpy()
    for i in np.flatnonzero((claims["from_id"] == claims["to_id"]).to_numpy()):
        report.warning(
            file,
            int(raw.lines[i]),
            "to",
            "self-loop: the claim relates an actor to itself",
            "self-loop",
        )
    copies = find_local_copies(config.documents, claims["document"])
    claims["verified"] = verify_quotes(claims, copies, file, display, report)
    if report.has_errors:
        return None, report
    name = config.title or (data.name if data.is_dir() else data.stem)
    return Dataset(name, actors.frame, claims, MappingProxyType(copies)), report


def load_or_raise(data: Path | str, mappings: Iterable[str] = ()) -> Dataset:
    """Like :func:`load_dataset`, but raise :class:`DataError` on errors."""
    dataset, report = load_dataset(data, mappings)
    if dataset is None:
        raise DataError(report)
    return dataset


def _load_actors(config: DataConfig, display, report: Report) -> ActorTable | None:
    spec = config.actors
    if spec.path is None or (not spec.required and not spec.path.exists()):
        return empty_actor_table()
    mapped = _read_mapped(spec, ACTOR_COLUMNS, REQUIRED_ACTOR_COLUMNS, display, report)
    if mapped is None:
        return None
    raw, cells = mapped
    return build_actor_table(cells, raw.lines, raw.file, report)


def _read_mapped(
    spec: TableSpec,
    ours: tuple[str, ...],
    required: tuple[str, ...],
    display,
    report: Report,
) -> tuple[RawTable, pd.DataFrame] | None:
    assert spec.path is not None
    raw = read_table(spec.path, display(spec.path), report, spec.read)
    if raw is None:
        return None
    cells = map_columns(raw, spec.columns, ours, required, report)
    return None if cells is None else (raw, cells)


def map_columns(
    raw: RawTable,
    mapping: Mapping[str, str],
    ours: tuple[str, ...],
    required: tuple[str, ...],
    report: Report,
) -> pd.DataFrame | None:
    """Pick our columns out of the file's, by mapping or by name (any case).

    Columns we do not know are ignored; optional columns that are absent read as empty.
    """
    header = list(raw.frame.columns)
    by_folded = {h.casefold(): h for h in header}
    picked: dict[str, pd.Series] = {}
    ok = True
    for column in ours:
        theirs = mapping.get(column)
        found = by_folded.get((theirs or column).casefold())
        if theirs is not None and found is None:
            report.error(
                raw.file,
                raw.header_line,
                theirs,
                f'column "{theirs}" (mapped to {column}) is not in the file; '
                f"its columns are: {', '.join(header)}",
                kind="mapped column missing",
            )
            ok = False
        elif found is None and column in required:
            report.error(
                raw.file,
                raw.header_line,
                column,
                f'required column "{column}" is missing; the file\'s columns are: '
                f"{', '.join(header)} (map yours with --map {column}=YOURS)",
                kind="required column missing",
            )
            ok = False
        else:
            picked[column] = raw.frame[found] if found is not None else None
    if not ok:
        return None
    empty = pd.Series([""] * len(raw.frame), dtype="str")
    return pd.DataFrame({c: (s if s is not None else empty) for c, s in picked.items()})
