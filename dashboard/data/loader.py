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

from .actors import ActorTable, build_actor_table, empty_actor_table
from .assemble import dataset_fields, finish_claims, published_separator, shape_claims
from .claims import validate_claims
from .config import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    REQUIRED_ACTOR_COLUMNS,
    REQUIRED_CLAIM_COLUMNS,
    DataConfig,
    LoadOverrides,
    TableSpec,
    resolve_config,
)
from .documents import find_local_copies, verify_quotes
from .escaping import escaped_rows, unescape_rows, unescape_where
from .files import DataFolder
from .mapping import MAPPED_EXTRA_COLUMNS, MappedTable, pick_table
from .presets import PRESETS, name_positional_columns
from .reader import RawTable, read_table
from .report import Report


@dataclass(frozen=True)
class Dataset:
    """A validated data set. Treat the frames as read-only: they are shared by all users.

    ``claims`` is indexed by ``claim_id`` and holds our columns (see ``CLAIM_COLUMNS``)
    plus ``from_id``, ``to_id`` (``""`` for a claim with no target), ``span_start``,
    ``span_end`` (datetime64 days, NaT when undated), ``line``, ``verified`` (the
    quote was found in a local copy of its document), ``row_claims`` (how many claims
    the row made: more than one when it listed several actors), ``associated`` (the
    claim names an associated actor, such as ACLED's assoc_actor_1), ``sources`` (the
    claim's sources, joined by ``sources.SOURCE_SEPARATOR``; ``source`` shows them
    joined by "; "), ``directed`` (False for an undirected relation: its actors are in
    id order), ``relation_family`` (``""`` if none), ``date_precision`` (``day``,
    ``days``, ``week``, ``month``, ``year``; ``""`` when undated) and
    ``date_precision_code`` (the format's own code, e.g. ACLED's time_precision; ``""``
    if none), and ``key`` when the mapping names one. ``actors`` is indexed by id.

    ``attribution`` is the data's licence or citation line (from the settings or the
    preset); ``relation_families`` maps relations to their family;
    ``undirected_relations`` names the relations drawn without arrows.
    """

    name: str
    actors: pd.DataFrame
    claims: pd.DataFrame
    documents: Mapping[str, Path]
    relation_families: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    undirected_relations: frozenset[str] = frozenset()
    attribution: str = ""
    preset: str | None = None


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
    relations = _read_relations(config, display, report, progress)
    actors = _load_actors(config, display, report)
    if relations is None or actors is None:
        return None, report
    raw, mapped = relations
    file = raw.file
    # First, before any cell is read: our own export's escaping is undone exactly.
    escaped = escaped_rows(mapped.cells)
    cells, badly_escaped = unescape_rows(mapped.cells, raw.lines, file, report)
    sides = {
        side: tuple((unescape_where(column, escaped), split) for column, split in columns)
        for side, columns in mapped.sides.items()
    }
    mapped = replace(mapped, cells=cells, sides=MappingProxyType(sides))
    badly_escaped_lines = raw.lines[badly_escaped]
    shaped = shape_claims(
        mapped, raw.lines, file, config, actors, _has_actor_file(config), display, report
    )
    if shaped is None:
        return None, report
    lines, actors = shaped.lines, shaped.actors
    claims, invalid = validate_claims(
        shaped.cells,
        lines,
        file,
        report,
        today,
        config.claims.date_order,
        pivot=config.claims.two_digit_pivot,
        published_separator=published_separator(config),
        absent=shaped.absent,
        keys=shaped.keys,
        header_line=raw.header_line if config.relations.read.header else None,
    )
    claims = finish_claims(claims, shaped, file, report)
    if not _has_actor_file(config) and len(actors):
        untyped = int((actors.frame["type"] == "unknown").sum())
        report.warning(
            file,
            None,
            None,
            f"no actors.csv: created {len(actors)} actors from the names in {file}, "
            + ("all of type unknown" if untyped == len(actors) else f"{untyped} of type unknown"),
            kind="no actors file",
        )
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
    invalid |= misquoted | np.isin(lines, [*raw.bad_lines, *badly_escaped_lines.tolist()])
    if config.skip_invalid and invalid.any():
        claims = claims[~invalid]
        _leave_out(report, file, set(lines[invalid].tolist()))
    if report.has_errors:
        return None, report
    name = config.title or (data.name if data.is_dir() else data.stem)
    fields = dataset_fields(shaped, config)
    return Dataset(name, actors.frame, claims, MappingProxyType(copies), **fields), report


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


def _read_relations(
    config: DataConfig, display, report: Report, progress: bool
) -> tuple[RawTable, MappedTable] | None:
    """Read the relations file and pick our columns, extras (key, types...) included."""
    spec = config.relations
    assert spec.path is not None
    raw = read_table(spec.path, display(spec.path), report, spec.read, progress, config.folder)
    if raw is None:
        return None
    named = name_positional_columns(list(raw.frame.columns), PRESETS.get(config.preset or ""))
    if named is not None and not spec.read.header:
        raw = replace(raw, frame=raw.frame.set_axis(named, axis=1))
    claims = config.claims
    list_columns = {c: claims.list_separator for c in claims.list_columns}
    mapped = pick_table(
        raw.frame,
        spec.columns,
        CLAIM_COLUMNS + MAPPED_EXTRA_COLUMNS,
        REQUIRED_CLAIM_COLUMNS,
        report,
        raw.file,
        raw.header_line,
        raw.lines,
        list_columns,
    )
    return None if mapped is None else (raw, mapped)


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
    mapped = pick_table(
        raw.frame, mapping, ours, required, report, raw.file, raw.header_line, raw.lines
    )
    return None if mapped is None else mapped.cells[[c for c in ours if c in mapped.cells]]
