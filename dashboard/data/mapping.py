"""The mapping language: how a file's columns become ours.

In ``dashboard.toml``, under ``[relations.columns]`` (or ``[actors.columns]``), each of
our columns takes one of these forms::

    from = "Actor1"                          # one column (or its position, from 1)
    from = ["actor1", "assoc_actor_1"]       # all of several columns (from, to, source)
    key = ["story_id", "sentence_number"]    # a key from several columns
    source = {first = ["source_original", "source_office"]}   # the first non-empty
    source = {value = "ACLED"}               # a constant for the whole file
    source = {column = "source", split = ";"}           # a cell holding several values
    from_type = {column = "inter1", values = {"1" = "state forces"}}  # codes to values

``split`` may go with ``column`` or ``columns`` for from, to, source and published;
``values`` with any form (a key may end in ``*`` to match every code starting so:
``"19*" = "material conflict"``). Codes missing from ``values`` are kept as they are,
with a warning.

>>> spec = parse_spec("source", {"first": ["a", "b"]}, Report())
>>> raw = pd.DataFrame({"a": ["x", ""], "b": ["y", "z"]})
>>> pick(raw, spec).tolist()
['x', 'z']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from types import MappingProxyType

import numpy as np
import pandas as pd

from .report import Report

# Our columns beyond the claim's own, which a mapping may fill.
MAPPED_EXTRA_COLUMNS = (
    "key",
    "from_type",
    "to_type",
    "date_precision",
    "relation_family",
    "escaping",  # how our own export escaped the row (escaping.py)
)
MULTI_VALUED = ("from", "to", "source")  # several values, from several columns or split cells
SPLITTABLE = (*MULTI_VALUED, "published")
JOINED = ("key",)  # several columns make one value
# Several values of one source cell, joined until they are named (see sources.py).
VALUE_SEPARATOR = "\x1f"
KEY_SEPARATOR = " / "
_FORMS = ("column", "columns", "first", "value")
_OPTIONS = ("split", "values")


@dataclass(frozen=True)
class ColumnSpec:
    """Where one of our columns comes from: ``how`` is one, all, first or value."""

    columns: tuple[str, ...] = ()
    how: str = "one"
    value: str = ""
    split: str | None = None
    values: Mapping[str, str] | None = None

    @classmethod
    def column(cls, name: str | int) -> ColumnSpec:
        return cls((str(name).strip(),))


def as_spec(value: ColumnSpec | str | int) -> ColumnSpec:
    return value if isinstance(value, ColumnSpec) else ColumnSpec.column(value)


def parse_spec(
    ours: str, value, report: Report, where: str = "dashboard.toml"
) -> ColumnSpec | None:
    """Read one entry of a ``columns`` table; None (and an error) when it makes no sense."""

    def bad(message: str) -> None:
        report.error(where, None, ours, message, kind="bad column mapping")

    if isinstance(value, str | int) and not isinstance(value, bool):
        return ColumnSpec.column(value)
    if isinstance(value, list):
        value = {"columns": value}
    if not isinstance(value, dict):
        bad(f"{ours} must name a column, a list of columns or a table such as {{first = [...]}}")
        return None
    unknown = sorted(set(value) - set(_FORMS) - set(_OPTIONS))
    forms = [f for f in _FORMS if f in value]
    if unknown or len(forms) != 1:
        bad(
            f"{ours} = {{...}} takes one of {', '.join(_FORMS)} and optionally "
            f"{' and '.join(_OPTIONS)}" + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
        return None
    form = forms[0]
    names = value[form]
    if form == "value":
        spec = ColumnSpec(how="value", value=str(names))
    else:
        names = [names] if form == "column" else names
        if not isinstance(names, list) or not names or not all(_is_name(n) for n in names):
            bad(f"{ours}.{form} must be a list of column names (or positions)")
            return None
        how = {"column": "one", "columns": "all", "first": "first"}[form]
        if how == "all" and len(names) == 1:
            how = "one"
        if how == "all" and ours not in MULTI_VALUED + JOINED:
            bad(
                f"only {', '.join(MULTI_VALUED + JOINED)} can take several columns; for "
                f"the first non-empty of several, write {ours} = {{first = [...]}}"
            )
            return None
        spec = ColumnSpec(tuple(str(n).strip() for n in names), how)
    split = value.get("split")
    if split is not None and (ours not in SPLITTABLE or not isinstance(split, str) or not split):
        bad(f'split must be a separator such as ";", for {", ".join(SPLITTABLE)} only')
        return None
    lookup = value.get("values")
    if lookup is not None:
        if not isinstance(lookup, dict) or not all(
            isinstance(v, str | int | float) for v in lookup.values()
        ):
            bad(f'{ours}.values must be a table of code = value, e.g. {{"1" = "state forces"}}')
            return None
        lookup = MappingProxyType({str(k): str(v) for k, v in lookup.items()})
    return ColumnSpec(spec.columns, spec.how, spec.value, split, lookup)


def _is_name(name) -> bool:
    return isinstance(name, str | int) and not isinstance(name, bool) and str(name).strip() != ""


def parse_specs(columns, report: Report, where: str = "dashboard.toml") -> dict[str, ColumnSpec]:
    """All the entries of a ``columns`` table; bad ones are reported and left out."""
    if not isinstance(columns, dict):
        report.error(where, None, "columns", "[...columns] must map our names to column names")
        return {}
    specs = {}
    for ours, value in columns.items():
        spec = parse_spec(str(ours), value, report, where)
        if spec is not None:
            specs[str(ours)] = spec
    return specs


@dataclass(frozen=True)
class MappedTable:
    """Our columns, picked from a file. ``sides`` holds, for ``from`` and ``to``, each
    column naming actors with its separator (None: one actor per cell); the first is
    the main one. ``absent`` lists our optional columns that the file does not have."""

    cells: pd.DataFrame
    sides: Mapping[str, tuple[tuple[pd.Series, str | None], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    absent: frozenset[str] = frozenset()


def pick_table(
    frame: pd.DataFrame,
    mapping: Mapping[str, ColumnSpec | str],
    ours: tuple[str, ...],
    required: tuple[str, ...],
    report: Report,
    file: str,
    header_line: int,
    lines: np.ndarray,
    list_columns: Mapping[str, str] | None = None,
) -> MappedTable | None:
    """Pick our columns ``ours`` out of ``frame``, by mapping or by name (any case).

    Columns we do not know are ignored; optional columns that are absent read as empty
    (and are listed in ``absent``). ``list_columns`` gives a separator for columns whose
    cells may hold several values (the ``list_columns`` setting). Returns None when a
    mapped or required column is missing.
    """
    header = list(frame.columns)
    by_folded = {h.casefold(): h for h in header}
    specs = {c: as_spec(s) for c, s in mapping.items()}
    picked: dict[str, pd.Series] = {}
    sides: dict[str, tuple[tuple[pd.Series, str | None], ...]] = {}
    absent: set[str] = set()
    ok = True
    for column in ours:
        spec = specs.get(column)
        if spec is None:
            found = by_folded.get(column.casefold())
            if found is None:
                if column in required:
                    report.error(
                        file,
                        header_line,
                        column,
                        f'required column "{column}" is missing; the file\'s columns are: '
                        f"{', '.join(header)} (map yours with --map {column}=YOURS)",
                        kind="required column missing",
                    )
                    ok = False
                absent.add(column)
                continue
            spec = ColumnSpec((found,))
        missing = [c for c in spec.columns if c.casefold() not in by_folded]
        if missing:
            for theirs in missing:
                report.error(
                    file,
                    header_line,
                    theirs,
                    f'column "{theirs}" (mapped to {column}) is not in the file; '
                    f"its columns are: {', '.join(header)}",
                    kind="mapped column missing",
                )
            ok = False
            continue
        series = [frame[by_folded[c.casefold()]] for c in spec.columns]
        if column == "date_precision":  # the format's own code, kept for the evidence
            picked["date_precision_code"] = _combine(series, spec, len(frame))
        if spec.values is not None:
            series = [_look_up(s, spec.values, lines, file, column, report) for s in series]
        split = spec.split or (list_columns or {}).get(column)
        if column in ("from", "to"):
            sides[column] = tuple((s, split) for s in series)
            picked[column] = series[0]
        elif column == "source" and spec.how == "all":
            picked[column] = _joined_values(series, split)
        elif column == "source" and split:
            picked[column] = _joined_values([_combine(series, spec, len(frame))], split)
        else:
            picked[column] = _combine(series, spec, len(frame))
    if not ok:
        return None
    empty = pd.Series([""] * len(frame), dtype="str")
    # Absent claim columns read as empty; absent extras (a key, types...) are left out.
    named = [c for c in ours if c in picked or (c in absent and c not in MAPPED_EXTRA_COLUMNS)]
    named += [c for c in picked if c not in ours]
    cells = pd.DataFrame({c: picked.get(c, empty) for c in named})
    return MappedTable(cells, MappingProxyType(sides), frozenset(absent))


def pick(frame: pd.DataFrame, spec: ColumnSpec) -> pd.Series:
    """One of our columns from ``frame`` by ``spec`` (its columns must exist)."""
    by_folded = {h.casefold(): h for h in frame.columns}
    series = [frame[by_folded[c.casefold()]] for c in spec.columns]
    return _combine(series, spec, len(frame))


def _combine(series: list[pd.Series], spec: ColumnSpec, n: int) -> pd.Series:
    if spec.how == "value":
        return pd.Series([spec.value] * n, dtype="str")
    if spec.how == "first":
        result = series[0]
        for other in series[1:]:
            result = result.where(result != "", other)
        return result
    if spec.how == "all":  # a key: the cells side by side
        return series[0].str.cat(series[1:], sep=KEY_SEPARATOR)
    return series[0]


def _joined_values(series: list[pd.Series], split: str | None) -> pd.Series:
    """Several values per row, from several columns and split cells, joined by
    :data:`VALUE_SEPARATOR` (empty parts are dropped later, where they are named)."""
    if split is not None:
        series = [s.str.replace(split, VALUE_SEPARATOR, regex=False) for s in series]
    return series[0] if len(series) == 1 else series[0].str.cat(series[1:], sep=VALUE_SEPARATOR)


def _look_up(
    values: pd.Series,
    table: Mapping[str, str],
    lines: np.ndarray,
    file: str,
    column: str,
    report: Report,
) -> pd.Series:
    """Codes to values through ``table`` (keys ending in * match by prefix); codes not in
    the table stay, with one warning each at their first row."""
    codes, distinct = pd.factorize(values, sort=False)
    patterns = [(k[:-1], v) for k, v in table.items() if k.endswith("*")]
    looked_up = []
    for i, code in enumerate(distinct):
        value = table.get(code)
        if value is None:
            # The longest matching prefix wins: "190*" before "19*".
            matches = [(len(p), v) for p, v in patterns if fnmatchcase(code, p + "*")]
            value = max(matches)[1] if matches else None
        if value is None and code != "":
            first = int(lines[int(np.argmax(codes == i))])
            report.warning(
                file,
                first,
                column,
                f'"{code}" is not in the values table for {column}; kept as it is',
                kind="value not in lookup",
            )
        looked_up.append(code if value is None else value)
    if not len(distinct):
        return values
    return pd.Series(np.asarray(looked_up, dtype=object)[codes], index=values.index, dtype="str")
