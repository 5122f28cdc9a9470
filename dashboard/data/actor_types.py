"""Actor types from columns of the relations file (``from_type``, ``to_type``).

Event data often codes each actor's type on the row (ACLED's ``inter1``, GDELT's
``Actor1Type1Code``). An actor that ``actors.csv`` does not type (created from the
relations, or typed ``unknown``) takes the type most of its rows give it; when rows
disagree, the choice is reported.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from .actors import UNKNOWN_TYPE, ActorTable
from .report import Report

VARIANTS_SHOWN = 5


def type_actors_from_claims(
    actors: ActorTable,
    ids: list[pd.Series],
    types: list[pd.Series],
    lines: np.ndarray,
    file: str,
    report: Report,
) -> ActorTable:
    """Type the untyped actors by the type cells next to their ids (pairs of aligned
    Series: ``ids[k]`` names an actor, ``types[k]`` its type on that row)."""
    frame = pd.DataFrame(
        {
            "id": pd.concat(ids, ignore_index=True).to_numpy(dtype=object),
            "type": pd.concat(types, ignore_index=True).str.strip().str.lower().to_numpy(),
            "line": np.tile(lines, len(ids)),
        }
    )
    frame = frame[(frame["id"] != "") & (frame["type"] != "") & (frame["type"] != UNKNOWN_TYPE)]
    untyped = actors.frame.index[actors.frame["type"] == UNKNOWN_TYPE]
    _warn_contradicting_actor_file(actors, frame[~frame["id"].isin(untyped)], file, report)
    frame = frame[frame["id"].isin(untyped)]
    if frame.empty:
        return actors
    counts = (
        frame.groupby(["id", "type"], sort=False)
        .agg(rows=("line", "size"), first=("line", "min"))
        .reset_index()
        .sort_values(["id", "rows", "first"], ascending=[True, False, True], kind="stable")
    )
    chosen = counts.drop_duplicates("id").set_index("id")["type"]
    for actor_id, group in counts.groupby("id", sort=False):
        if len(group) > 1:
            shown = ", ".join(
                f"{t} ({n} row{'s' * (n != 1)})"
                for t, n in zip(group["type"][:VARIANTS_SHOWN], group["rows"], strict=False)
            )
            report.warning(
                file,
                int(group["first"].min()),
                "from_type",
                f'actor "{actor_id}" has several types in {file}: {shown}; '
                f'kept "{chosen[actor_id]}"',
                kind="actor with several types",
            )
    updated = actors.frame.copy()
    updated.loc[chosen.index, "type"] = chosen.to_numpy()
    return ActorTable(updated, MappingProxyType(dict(actors.lookup)))


def _warn_contradicting_actor_file(
    actors: ActorTable, typed: pd.DataFrame, file: str, report: Report
) -> None:
    """A type on a row that actors.csv contradicts: actors.csv wins, once said per type."""
    known = actors.frame["type"]
    differs = typed[typed["type"].to_numpy() != known.reindex(typed["id"]).to_numpy()]
    for (actor_id, kind), group in differs.groupby(["id", "type"], sort=True):
        report.warning(
            file,
            int(group["line"].min()),
            "from_type",
            f'type "{kind}" contradicts actors.csv, which gives the actor "{actor_id}" the '
            f'type "{known[actor_id]}"; kept "{known[actor_id]}"',
            kind="type contradicts actors.csv",
        )
