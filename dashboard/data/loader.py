"""Load a data set: read, map columns, validate, resolve actors, verify quotes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from .actors import (
    UNKNOWN_TYPE,
    ActorTable,
    build_actor_table,
    empty_actor_table,
    resolve_names,
)
from .claims import validate_claims
from .config import (
    ACTOR_COLUMNS,
    ACTOR_TYPE_COLUMNS,
    CLAIM_COLUMNS,
    EXTRA_CLAIM_COLUMNS,
    REQUIRED_ACTOR_COLUMNS,
    REQUIRED_CLAIM_COLUMNS,
    DataConfig,
    LoadOverrides,
    TableSpec,
    resolve_config,
)
from .documents import find_local_copies, verify_quotes
from .escaping import unescape_rows
from .files import DataFolder
from .reader import RawTable, read_table
from .relation_types import relation_types
from .report import Report
from .shaping import apply_relation_labels, expand_lists, relation_labels


@dataclass(frozen=True)
class Dataset:
    """A validated data set. Treat the frames as read-only: they are shared by all users.

    ``relation_families`` maps relations to family names as ``dashboard.toml`` declares
    them (see :mod:`dashboard.data.families`). ``claims`` is indexed by ``claim_id`` and holds our columns (see ``CLAIM_COLUMNS``)
    plus ``from_id``, ``to_id`` (``""`` for a claim with no target), ``span_start``,
    ``span_end`` (datetime64 days, NaT when undated), ``line``, ``verified`` (the
    quote was found in a local copy of its document) and ``row_claims`` (how many claims
    the row made: more than one when it listed several actors). ``actors`` is indexed
    by id.
    """

    name: str
    actors: pd.DataFrame
    claims: pd.DataFrame
    documents: Mapping[str, Path]
    relation_families: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


class DataError(Exception):
    """Raised by :func:`load_or_raise` when the data has errors; carries the report."""

    def __init__(self, report: Report):
        super().__init__(report.format())
        self.report = report


def load_dataset(
    data: Path | str,
    mappings: LoadOverrides | Iterable[str] = (),
    today: date | None = None,
    progress: bool = False,
) -> tuple[Dataset | None, Report]:
    """Load and check a data folder (or a single relations CSV).

    ``mappings`` is either ``--map`` strings or all the command-line options as a
    :class:`LoadOverrides`. Returns the data set, or None when there are errors, and the
    report of every problem found. Nothing is dropped silently: each row either loads
    or is reported; with ``skip_invalid``, rows with errors are left out and listed.
    ``progress`` shows a progress bar on the console for files of 100,000+ lines.
    ``today`` is the day an ``end`` of ``present`` stands for; None means the real date,
    which only the command line and the app should rely on (tests pass a fixed day).
    """
    report = Report()
    data = Path(data)
    if not data.exists():
        report.error(str(data), None, None, "no such folder or file", kind="data not found")
        return None, report
    config = resolve_config(data, mappings, report)
    display = config.display_name
    relations = _read_mapped(
        config.relations,
        CLAIM_COLUMNS + EXTRA_CLAIM_COLUMNS,
        REQUIRED_CLAIM_COLUMNS,
        display,
        report,
        progress,
        config.folder,
    )
    actors = _load_actors(config, display, report)
    if relations is None or actors is None:
        return None, report
    raw, cells = relations
    file, lines = raw.file, raw.lines
    # First, before any cell is read: our own export's escaping is undone exactly.
    cells, badly_escaped = unescape_rows(cells, lines, file, report)
    badly_escaped_lines = lines[badly_escaped]
    if config.claims.relation_labels is not None:
        labels = relation_labels(config.claims.relation_labels, display, report, config.folder)
        if labels is None:
            return None, report
        cells = apply_relation_labels(cells, lines, labels, file, report)
    cells, lines, made = expand_lists(
        cells, lines, config.claims.list_columns, config.claims.list_separator
    )
    # The claim is its claim columns: other columns never change its id.
    claims, invalid = validate_claims(
        cells[list(CLAIM_COLUMNS)], lines, file, report, today, config.claims.date_order
    )
    invalid |= np.isin(lines, badly_escaped_lines)
    claims["row_claims"] = made
    names = {side: cells[side] for side in ACTOR_TYPE_COLUMNS}
    types = {side: cells[column] for side, column in ACTOR_TYPE_COLUMNS.items()}
    ids, actors = resolve_names(
        names,
        lines,
        file,
        actors,
        report,
        _has_actor_file(config),
        relation_types(names, types, lines, file, actors, report),
    )
    if not _has_actor_file(config) and len(actors):
        unknown = int((actors.frame["type"] == UNKNOWN_TYPE).sum())
        report.warning(
            file,
            None,
            None,
            f"no actors.csv: created {len(actors)} actors from the names in {file}, "
            + (
                "all of type unknown"
                if unknown == len(actors)
                else f"typed by {' and '.join(ACTOR_TYPE_COLUMNS.values())} "
                f"({unknown} of type unknown)"
            ),
            kind="no actors file",
        )
    claims["from_id"] = ids["from"].to_numpy()
    claims["to_id"] = ids["to"].to_numpy()
    for i in np.flatnonzero((claims["from_id"] == claims["to_id"]).to_numpy()):
        report.warning(
            file,
            int(lines[i]),
            "to",
            "self-loop: the claim relates an actor to itself",
            "self-loop",
        )
    copies = find_local_copies(config.documents, claims["document"], display, report)
    claims["verified"], misquoted = verify_quotes(
        claims, copies, file, display, report, config.folder
    )
    invalid |= misquoted | np.isin(lines, list(raw.bad_lines))
    if config.skip_invalid and invalid.any():
        claims = claims[~invalid]
        _leave_out(report, file, set(lines[invalid].tolist()))
    if report.has_errors:
        return None, report
    name = config.title or (data.name if data.is_dir() else data.stem)
    dataset = Dataset(
        name, actors.frame, claims, MappingProxyType(copies), config.relation_families
    )
    return dataset, report


def _has_actor_file(config: DataConfig) -> bool:
    return config.actors.path is not None and config.actors.path.exists()


def _leave_out(report: Report, file: str, lines: set[int]) -> None:
    """With skip_invalid: the errors of the rows left out become warnings that say so."""
    kept = []
    for problem in report.problems:
        if problem.severity == "error" and problem.file == file and problem.line in lines:
            problem = replace(
                problem, severity="warning", message=f"row left out: {problem.message}"
            )
        kept.append(problem)
    report.problems[:] = kept
    report.warning(
        file,
        None,
        None,
        f"left out {len(lines)} rows with errors (listed above); loaded the rest",
        "rows left out",
    )


def load_or_raise(
    data: Path | str, mappings: LoadOverrides | Iterable[str] = (), today: date | None = None
) -> Dataset:
    """Like :func:`load_dataset`, but raise :class:`DataError` on errors."""
    dataset, report = load_dataset(data, mappings, today)
    if dataset is None:
        raise DataError(report)
    return dataset


def _load_actors(config: DataConfig, display, report: Report) -> ActorTable | None:
    spec = config.actors
    if spec.path is None or (not spec.required and not os.path.lexists(spec.path)):
        return empty_actor_table()
    mapped = _read_mapped(
        spec, ACTOR_COLUMNS, REQUIRED_ACTOR_COLUMNS, display, report, folder=config.folder
    )
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
    progress: bool = False,
    folder: DataFolder | None = None,
) -> tuple[RawTable, pd.DataFrame] | None:
    assert spec.path is not None
    raw = read_table(spec.path, display(spec.path), report, spec.read, progress, folder)
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
