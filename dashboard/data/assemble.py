"""From a file's mapped columns to claims, in the order the steps depend on each other.

1. relation codes become labels (and, from the lookup table, families and directions);
2. each row's sources are named, one spelling per source;
3. rows naming several actors (list cells, associated-actor columns) become one claim
   per pair; claims naming an associated actor are marked ``associated``;
4. actor names become ids; untyped actors take their type from ``from_type``/``to_type``;
5. undirected relations order their two actors by id, so A-B and B-A are one edge;

then :func:`validate_claims` checks the rows, and :func:`finish_claims` adds the columns
the evidence needs: ``sources``, ``associated``, ``directed``, ``relation_family``,
``date_precision`` (``day``, ``week``, ``month``, ``year``...) and ``date_precision_code``
(the format's own code, as the file has it), widening a day to the period its
precision code names.

Every step works on whole columns or on distinct values, never row by row in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from .actor_types import type_actors_from_claims
from .actors import ActorTable, resolve_names
from .config import CLAIM_COLUMNS, DataConfig
from .dates import widen_spans
from .mapping import MappedTable, as_spec
from .relation_families import RelationKind, TypedRelations, relation_key, type_relations
from .report import Report
from .shaping import apply_relation_labels, expand_actors, relation_labels
from .sources import name_sources

PRECISION_WORDS = ("day", "days", "week", "month", "year")


@dataclass(frozen=True)
class ShapedClaims:
    """Claims ready for validation, with what validation does not look at."""

    cells: pd.DataFrame  # our claim columns (CLAIM_COLUMNS), one row per claim
    lines: np.ndarray
    extras: pd.DataFrame  # key, types, precision codes, family cells, aligned with cells
    made: np.ndarray
    associated: np.ndarray
    sources: pd.Series
    ids: Mapping[str, pd.Series]
    actors: ActorTable
    relations: TypedRelations
    absent: frozenset[str]

    @property
    def keys(self) -> pd.Series | None:
        return self.extras.get("key")


def shape_claims(
    mapped: MappedTable,
    lines: np.ndarray,
    file: str,
    config: DataConfig,
    actors: ActorTable,
    warn_each_actor: bool,
    display: Callable,
    report: Report,
) -> ShapedClaims | None:
    """Steps 1 to 5 above; None when the relation lookup table cannot be read."""
    cells = mapped.cells[list(CLAIM_COLUMNS)]
    extras = mapped.cells[[c for c in mapped.cells.columns if c not in CLAIM_COLUMNS]]
    kinds = dict(config.claims.relation_kinds)
    if config.claims.relation_labels is not None:
        table_kinds: dict[str, RelationKind] = {}
        labels = relation_labels(
            config.claims.relation_labels, display, report, table_kinds, config.folder
        )
        if labels is None:
            return None
        cells = apply_relation_labels(cells, lines, labels, file, report)
        kinds = table_kinds | kinds  # dashboard.toml's [relation_families] wins
    # Sources are named per file row (their counts are rows), before rows become claims.
    shown, sources = name_sources(cells["source"], lines, file, report)
    cells = cells.assign(source=shown)
    extras = extras.assign(sources=sources)
    sides = dict(mapped.sides) or {s: ((cells[s], None),) for s in ("from", "to")}
    expanded = expand_actors(cells, lines, sides)
    cells, lines = expanded.cells, expanded.lines
    if len(expanded.rows) != len(extras) or not (expanded.rows == np.arange(len(extras))).all():
        extras = extras.iloc[expanded.rows].reset_index(drop=True)
    sources = extras["sources"]
    ids, actors = resolve_names(
        {"from": cells["from"], "to": cells["to"]}, lines, file, actors, report, warn_each_actor
    )
    if "from_type" in extras or "to_type" in extras:
        empty = pd.Series([""] * len(cells), dtype="str")
        typed_ids, typed = [], []
        for side, main in (("from", expanded.from_main), ("to", expanded.to_main)):
            if f"{side}_type" in extras:
                typed_ids.append(ids[side])
                typed.append(extras[f"{side}_type"].where(main, empty))
        actors = type_actors_from_claims(actors, typed_ids, typed, lines, file, report)
    relations = _type_relations(cells["relation"], kinds, extras)
    if relations.undirected:
        swap = ~relations.directed & (ids["to"] != "").to_numpy()
        swap &= (ids["from"] > ids["to"]).to_numpy()
        if swap.any():
            cells, ids = _swap_ends(cells, ids, swap)
    return ShapedClaims(
        cells,
        lines,
        extras,
        expanded.made,
        expanded.associated,
        sources,
        ids,
        actors,
        relations,
        mapped.absent,
    )


def _type_relations(relation, kinds, extras) -> TypedRelations:
    family_cells = extras.get("relation_family")
    if not kinds and family_cells is None:  # nothing declared: skip the work on big files
        n = len(relation)
        return TypedRelations(
            pd.Series(pd.Categorical.from_codes(np.zeros(n, np.int8), [""])),
            np.ones(n, dtype=bool),
            {},
            frozenset(),
        )
    codes, distinct = pd.factorize(relation, sort=False)
    keyed = pd.Series(np.asarray([relation_key(r) for r in distinct] or [""], dtype=object)[codes])
    return type_relations(keyed.astype("str"), kinds, family_cells)


def _swap_ends(cells: pd.DataFrame, ids: Mapping[str, pd.Series], swap: np.ndarray):
    """Exchange from and to (names and ids) where ``swap`` is set."""
    cells = cells.assign(
        **{
            "from": cells["from"].where(~swap, cells["to"]),
            "to": cells["to"].where(~swap, cells["from"]),
        }
    )
    ids = {
        "from": ids["from"].where(~swap, ids["to"]),
        "to": ids["to"].where(~swap, ids["from"]),
    }
    return cells, ids


def published_separator(config: DataConfig) -> str | None:
    """The separator between several dates in a ``published`` cell, if it may hold them."""
    spec = config.relations.columns.get("published")
    if spec is not None and as_spec(spec).split:
        return as_spec(spec).split
    return config.claims.list_separator if "published" in config.claims.list_columns else None


def finish_claims(
    claims: pd.DataFrame, shaped: ShapedClaims, file: str, report: Report
) -> pd.DataFrame:
    """Add the columns of :mod:`assemble` to validated claims (same rows, same order)."""
    claims["row_claims"] = shaped.made
    claims["sources"] = shaped.sources.array
    claims["associated"] = shaped.associated
    claims["directed"] = shaped.relations.directed
    claims["relation_family"] = shaped.relations.family.array
    claims["from_id"] = shaped.ids["from"].array
    claims["to_id"] = shaped.ids["to"].array
    if "key" in shaped.extras:
        claims["key"] = shaped.extras["key"].to_numpy()
    if "date_precision" in shaped.extras:
        coded = _precision_words(shaped.extras["date_precision"], shaped.lines, file, report)
        claims["date_precision_code"] = shaped.extras["date_precision_code"].to_numpy()
        has_code = coded != ""
        claims["span_start"], claims["span_end"] = widen_spans(
            claims["span_start"].to_numpy(dtype="datetime64[D]"),
            claims["span_end"].to_numpy(dtype="datetime64[D]"),
            coded,
        )
        undated = claims["span_start"].isna().to_numpy()
        claims["date_precision"] = np.where(
            has_code & ~undated, coded, claims["date_precision"].to_numpy(dtype=object)
        )
        claims["date_precision"] = claims["date_precision"].astype("str")
    else:
        claims["date_precision_code"] = ""
    return claims


def _precision_words(words: pd.Series, lines: np.ndarray, file: str, report: Report) -> np.ndarray:
    """The precision each row's code names; codes naming none are warned about once."""
    codes, distinct = pd.factorize(words.str.strip().str.lower(), sort=False)
    checked = []
    for i, word in enumerate(distinct):
        if word and word not in PRECISION_WORDS:
            report.warning(
                file,
                int(lines[int(np.argmax(codes == i))]),
                "date_precision",
                f'"{word}" is not a precision ({", ".join(PRECISION_WORDS)}); '
                "read the date as written",
                kind="bad date precision",
            )
            word = ""
        checked.append(word)
    return np.asarray(checked or [""], dtype=object)[codes]


def dataset_fields(shaped: ShapedClaims, config: DataConfig) -> dict:
    """The Dataset's fields this module fills."""
    return {
        "attribution": config.attribution,
        "preset": config.preset,
        "relation_families": MappingProxyType(dict(shaped.relations.families)),
        "undirected_relations": shaped.relations.undirected,
    }
