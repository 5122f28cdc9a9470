"""The claim queries written once, in Ibis, for any engine Ibis drives: DuckDB, Spark,
Trino, ClickHouse, BigQuery, Postgres and more.

:class:`PortableClaims` asks a claims table (the columns of
:class:`~dashboard.query.duck.DuckClaims`' table, one row per claim) the four questions
the page asks, each as an Ibis expression that the backend compiles to its own SQL:

- :meth:`PortableClaims.edge_view`: filter -> per-edge aggregates (claims, distinct
  sources, denials, undated claims, first and last day), one-sided claims per actor, and
  the contested edges (a semi self-join: same pair of actors, opposite family, another
  source, overlapping periods); the same :class:`~dashboard.query.duck.EdgeView` as the
  in-memory engine's arrays;
- :meth:`PortableClaims.evidence`: one page of an edge's passing claims, ordered (by
  ``row_number()`` over the panel's order), with the totals;
- :meth:`PortableClaims.actor_card`: an actor's edges with their shown and total claims,
  its one-sided claims;
- :meth:`PortableClaims.hop_pairs`: the pairs of actors that passing assertions on shown
  edges join, with their claims and distinct sources (what the path search walks).

What Ibis cannot say portably is worked out in Python from the aggregated answer, on the
edge and actor index (a :class:`~dashboard.graph.Network`, which may be
:meth:`~dashboard.graph.Network.without_claims`): the focus's neighbourhood (a
breadth-first walk over the shown edges) and the spreading of per-edge rows into arrays.
When the minimum-sources or focus filter hides edges, the shown (or hidden, whichever is
shorter) edge numbers go to the backend as a small table, as in the DuckDB engine.

>>> import ibis
>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState
>>> net = Network.from_dataset(load_or_raise("data"))
>>> connection = ibis.duckdb.connect()
>>> engine = PortableClaims.publish(net, connection)
>>> view = engine.edge_view(FilterState(years=(1991, 1998), include_undated=False))
>>> int(view.edge_mask.sum()), view.n_claims
(13, 16)
>>> page = engine.evidence(net.edge_number("iran", "al-qaeda", "shelters"), FilterState())
>>> page.total, page.hidden, len(page.claims)
(5, 0, 5)
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from ibis import _

from dashboard.graph import UNDATED, Network
from dashboard.query.actor_types import EITHER
from dashboard.query.duck import (
    EVIDENCE_COLUMNS,
    EdgeView,
    EvidencePage,
    _claim_numbers,
    _claim_texts,
)
from dashboard.query.filters import MAX_DEPTH, STANCES, FilterState, neighbourhood

# The claims table's text columns that the evidence panel reads (`span_start`, a timestamp
# in DuckDB's table, is left out: engines differ on time zones; `start_day` orders).
TEXT_COLUMNS = EVIDENCE_COLUMNS


@dataclass(frozen=True)
class ActorCounts:
    """What an actor card counts: each edge touching the actor (edge, shown claims, all
    claims), its passing one-sided claims (ids, oldest first) and its claims shown and
    in all."""

    actor: int
    edges: tuple[tuple[int, int, int], ...]
    one_sided: tuple[str, ...]
    shown_claims: int
    total_claims: int


@dataclass(frozen=True)
class HopPairs:
    """Pairs of actors (``heads[i]``, ``tails[i]``; the lower code first when undirected)
    that passing assertions on shown edges join, with those claims and their distinct
    sources; sorted by (head, tail). Self-loops are left out (they lie on no path)."""

    heads: np.ndarray
    tails: np.ndarray
    claims: np.ndarray
    sources: np.ndarray


class PortableClaims:
    """A claims table in any Ibis backend, with the network's edge and actor index beside
    it. ``cited`` names a table of (row, source_code) pairs when claims cite several
    sources (as the DuckDB engine's ``claim_sources``)."""

    def __init__(self, connection, network: Network, table: str = "claims", cited=None):
        self.connection = connection
        self.network = network
        self.claims = connection.table(table)
        self.cited = connection.table(cited) if cited is not None else None

    @classmethod
    def publish(cls, network: Network, connection, table: str = "claims") -> PortableClaims:
        """Write the network's claims into ``connection`` as ``table`` (and
        ``{table}_sources`` when claims cite several sources), replacing them; the engine
        over them. (Spark: a table in its warehouse directory.)

        The claims go through a local Parquet file, which every engine reads alike (Ibis'
        route from memory to Spark goes through pandas, and there the nullable day
        columns arrived all NULL: Ibis 12, PySpark 4.0, pandas 3). On a cluster whose
        workers cannot see this machine's temporary folder, put the Parquet on shared
        storage and create the table there."""
        frame = pd.concat([_claim_numbers(network), _claim_texts(network)], axis=1)
        tables = {table: _arrow(frame.drop(columns=["span_start"]))}
        cited = None
        if network.source_pairs is not None:
            cited = f"{table}_sources"
            tables[cited] = pa.table(
                {
                    "row": pa.array(network.source_pairs[0], pa.int64()),
                    "source_code": pa.array(network.source_pairs[1], pa.int64()),
                }
            )
        with tempfile.TemporaryDirectory() as folder:
            for name, data in tables.items():
                path = Path(folder) / f"{name}.parquet"
                pq.write_table(data, path)
                connection.create_table(name, connection.read_parquet(path), overwrite=True)
        return cls(connection, network.without_claims(), table, cited)

    @classmethod
    def connect(cls, url: str, network: Network, table: str = "claims", cited=None):
        """The engine over ``table`` of the backend at ``url``, as Ibis understands it:
        ``duckdb:///claims.ddb``, ``trino://user@host:8080/catalog/schema``,
        ``clickhouse://host:9000/db``, ``bigquery://project/dataset``,
        ``postgres://user@host/db`` ... (Spark has no URL: pass
        ``ibis.pyspark.connect(session)`` to the constructor)."""
        return cls(ibis.connect(url), network.without_claims(), table, cited)

    # -- filters ---------------------------------------------------------------------

    def _conditions(self, state: FilterState, t=None) -> list:
        """Ibis conditions for a claim of ``t`` (the claims table) to pass the claim
        filters of ``state``: the rules of :func:`dashboard.query.filters.claim_mask`."""
        t = self.claims if t is None else t
        net = self.network
        found = []
        if state.day_range is not None:
            start, end = state.day_range
            overlaps = (t.start_day <= end) & (t.end_day >= start)
            found.append(t.start_day.isnull() | overlaps if state.include_undated else overlaps)
        elif not state.include_undated:
            found.append(t.start_day.notnull())
        if state.sources:
            codes = _codes(net.sources, state.sources)
            if self.cited is None:
                found.append(t.source_code.isin(codes))
            else:  # a claim citing several sources passes when one of them is chosen
                chosen = self.cited.filter(self.cited.source_code.isin(codes))
                found.append(t.row.isin(chosen.row))
        if state.relations:
            found.append(t.relation_code.isin(_codes(net.relations, state.relations)))
        if state.stances and set(state.stances) != set(STANCES):
            found.append(t.denies if "denies" in state.stances else ~t.denies)
        if state.actor_types:
            types = _codes(net.actor_types, state.actor_types)
            source, target = t.from_type.isin(types), (t.to_code >= 0) & t.to_type.isin(types)
            if state.type_match == EITHER:
                found.append(source | target)
            else:
                found.append(source & ((t.to_code < 0) | target))
        return found

    def _passing(self, state: FilterState):
        t = self.claims
        conditions = self._conditions(state)
        return t.filter(*conditions) if conditions else t

    def edge_view(self, state: FilterState) -> EdgeView:
        """The per-edge arrays of the view ``state`` asks for (see the module's doc)."""
        return self._edge_view(state)[0]

    def _edge_view(self, state: FilterState) -> tuple[EdgeView, np.ndarray | None]:
        net = self.network
        counts = self._edge_counts(state)
        claims, sources = counts["claims"], counts["sources"]
        edge_mask = (claims > 0) & (sources >= state.min_sources)
        keep_nodes = None
        if state.focus is not None and state.focus in net.actor_code:
            centre = net.actor_code[state.focus]
            keep_nodes = neighbourhood(net, edge_mask, centre, min(state.depth, MAX_DEPTH))
            edge_mask &= keep_nodes[net.edge_from] & keep_nodes[net.edge_to]
        narrowed = keep_nodes is not None or state.min_sources > 1
        for name in ("claims", "sources", "denials", "undated"):
            counts[name] = np.where(edge_mask, counts[name], 0)
        one_sided = self._one_sided(state)  # (actor, passing claims naming no target)
        if keep_nodes is not None:
            one_sided = one_sided[keep_nodes[one_sided[:, 0]]]
        node_mask = np.zeros(net.n_actors, dtype=bool)
        node_mask[net.edge_from[edge_mask]] = True
        node_mask[net.edge_to[edge_mask]] = True
        node_mask[one_sided[:, 0]] = True
        opposed = self._opposed(state, edge_mask if narrowed else None) & edge_mask
        view = EdgeView(
            edge_mask,
            node_mask,
            counts["claims"],
            counts["sources"],
            counts["denials"],
            counts["undated"],
            opposed,
            np.where(edge_mask, counts["first"], UNDATED),
            np.where(edge_mask, counts["last"], UNDATED),
            int(counts["claims"].sum() + one_sided[:, 1].sum()),
            one_sided,
        )
        return view, keep_nodes

    def _edge_counts(self, state: FilterState) -> dict[str, np.ndarray]:
        n_edges = len(self.network.edges)
        passing = self._passing(state).filter(_.edge >= 0)
        rows = _fetch(
            passing.group_by("edge").aggregate(
                claims=_.count(),
                sources=_.source_code.nunique(),
                denials=_.count(where=_.denies),
                undated=_.count(where=_.start_day.isnull()),
                first=_.start_day.min(),
                last=_.end_day.max(),
            )
        )
        edges = rows["edge"]
        found = {
            name: _spread(edges, rows[name], n_edges, fill)
            for name, fill in (
                ("claims", 0),
                ("sources", 0),
                ("denials", 0),
                ("undated", 0),
                ("first", UNDATED),
                ("last", UNDATED),
            )
        }
        if self.cited is not None:  # every chosen source of every passing claim counts
            cited = self._voices(passing, state)
            rows = _fetch(cited.group_by("edge").aggregate(sources=_.source_code.nunique()))
            found["sources"] = _spread(rows["edge"], rows["sources"], n_edges, 0)
        return found

    def _voices(self, claims, state: FilterState):
        """(claim columns, source_code) once per source a claim cites that the source
        filter lets through; ``claims`` itself when each cites one."""
        if self.cited is None:
            return claims
        pairs = self.cited
        if state.sources:
            pairs = pairs.filter(
                pairs.source_code.isin(_codes(self.network.sources, state.sources))
            )
        return claims.drop("source_code").join(pairs, "row")

    def _one_sided(self, state: FilterState) -> np.ndarray:
        """(actor, passing claims, of which undated) of claims naming no target."""
        rows = _fetch(
            self._passing(state)
            .filter(_.to_code < 0)
            .group_by("from_code")
            .aggregate(n=_.count(), u=_.count(where=_.start_day.isnull()))
            .order_by("from_code")
        )
        found = [rows["from_code"], rows["n"], rows["u"]]
        return np.column_stack(found).astype(np.int64).reshape(-1, 3)

    def _on_shown(self, claims, shown: np.ndarray | None):
        """``claims`` on shown edges: the shown edge numbers, or the hidden ones when
        fewer, sent to the backend as a table."""
        if shown is None:
            return claims
        hidden = int(len(shown) - shown.sum()) < int(shown.sum())
        edges = np.flatnonzero(~shown if hidden else shown).astype(np.int64)
        listed = ibis.memtable(pa.table({"edge": pa.array(edges, pa.int64())}))
        inside = claims.edge.isin(listed.edge)
        return claims.filter(~inside if hidden else inside)

    def _opposed(self, state: FilterState, shown: np.ndarray | None) -> np.ndarray:
        """Edges one of whose passing assertions a passing assertion of the opposite
        family contradicts: same two actors (either way), another source, overlapping
        periods (undated overlaps all). As :func:`filters._opposed_edges`, as a semi
        self-join."""
        asserted = self._passing(state).filter(_.mixed, ~_.denies, _.edge >= 0)
        voices = self._voices(self._on_shown(asserted, shown), state).select(
            "edge", "pair", "positive", "source_code", "start_day", "end_day"
        )
        other = voices.view()
        overlapping = (
            voices.start_day.isnull()
            | other.start_day.isnull()
            | ((other.start_day <= voices.end_day) & (other.end_day >= voices.start_day))
        )
        contradicted = voices.semi_join(
            other,
            [
                voices.pair == other.pair,
                voices.positive != other.positive,
                voices.source_code != other.source_code,
                overlapping,
            ],
        )
        rows = _fetch(contradicted.select("edge").distinct())
        opposed = np.zeros(len(self.network.edges), dtype=bool)
        opposed[rows["edge"]] = True
        return opposed

    # -- evidence --------------------------------------------------------------------

    def evidence(
        self,
        edge: int,
        state: FilterState,
        page: int = 0,
        per_page: int = 50,
        order: str = "date",
        search: str = "",
    ) -> EvidencePage:
        """One page of the passing claims on ``edge`` (matching ``search`` in the quote,
        source or document, any case), in ``order``; how many pass and how many the
        filters hide. The edge's own visibility (focus, minimum sources) is the caller's."""
        t = self.claims
        on_edge = t.filter(t.edge == int(edge))
        conditions = self._conditions(state, on_edge)
        passing = on_edge.filter(*conditions) if conditions else on_edge
        matching = passing
        if search:
            wanted = search.upper()
            matching = passing.filter(
                passing.quote.upper().contains(wanted)
                | passing.source.upper().contains(wanted)
                | passing.document.upper().contains(wanted)
            )
        totals = _fetch(
            ibis.union(
                on_edge.aggregate(n=_.count()).mutate(k=0),
                passing.aggregate(n=_.count()).mutate(k=1),
                matching.aggregate(n=_.count()).mutate(k=2),
            )
        )
        n = dict(zip(totals["k"].tolist(), totals["n"].tolist(), strict=True))
        total, hidden = n[2], n[0] - n[1]
        page = min(max(page, 0), max(0, -(-total // per_page) - 1))
        # The page by rank, not LIMIT/OFFSET: Ibis 12 words OFFSET for Spark as a row
        # number over an unordered window (in no sure order, and its column leaks out).
        ranked = matching.mutate(rank=ibis.row_number().over(order_by=_order(matching, order)))
        first = int(page * per_page)
        claims = (
            ranked.filter(ranked.rank >= first, ranked.rank < first + int(per_page))
            .order_by("rank")
            .select(*TEXT_COLUMNS)
            .to_pyarrow()  # not Ibis' to_pandas: it asks pandas 3 for a deprecated option
            .to_pandas()
        )
        return EvidencePage(claims.set_index("claim_id"), int(total), int(hidden), page)

    # -- actor card ------------------------------------------------------------------

    def actor_card(self, actor: int, state: FilterState) -> ActorCounts:
        """The actor's edges with their shown (0 when hidden) and total claims, its
        passing one-sided claims (oldest first), and its claims shown and in all: what
        :func:`dashboard.query.evidence.actor_card` counts."""
        view, keep_nodes = self._edge_view(state)
        t = self.claims
        mine = t.filter((t.from_code == int(actor)) | (t.to_code == int(actor)))
        totals = _fetch(mine.group_by("edge").aggregate(n=_.count()))
        totals = dict(zip(totals["edge"].tolist(), totals["n"].tolist(), strict=True))
        one_sided_total = totals.pop(-1, 0)
        edges = tuple(
            (edge, int(view.edge_claims[edge]) if view.edge_mask[edge] else 0, n)
            for edge, n in sorted(totals.items())
        )
        one_sided: tuple[str, ...] = ()
        if keep_nodes is None or keep_nodes[actor]:
            alone = mine.filter(mine.to_code < 0, *self._conditions(state, mine))
            ordered = alone.order_by(_order(alone, "date")).select("claim_id").to_pyarrow()
            one_sided = tuple(ordered["claim_id"].to_pylist())
        return ActorCounts(
            actor=int(actor),
            edges=edges,
            one_sided=one_sided,
            shown_claims=sum(line[1] for line in edges) + len(one_sided),
            total_claims=sum(totals.values()) + one_sided_total,
        )

    # -- paths -----------------------------------------------------------------------

    def hop_pairs(
        self, state: FilterState, directed: bool = False, count_denials: bool = False
    ) -> HopPairs:
        """The pairs of actors the path search may step between under ``state`` (see
        :func:`dashboard.query.paths.hop_graph`): passing claims on shown edges,
        assertions only unless ``count_denials``, grouped by pair with their claims and
        distinct sources (each claim's first source, as the path search counts)."""
        view, keep_nodes = self._edge_view(state)
        narrowed = keep_nodes is not None or state.min_sources > 1
        claims = self._passing(state).filter(_.edge >= 0, _.from_code != _.to_code)
        if not count_denials:
            claims = claims.filter(~_.denies)
        claims = self._on_shown(claims, view.edge_mask if narrowed else None)
        if directed:
            ends = {"head": claims.from_code, "tail": claims.to_code}
        else:
            ends = {
                "head": ibis.least(claims.from_code, claims.to_code),
                "tail": ibis.greatest(claims.from_code, claims.to_code),
            }
        rows = _fetch(
            claims.mutate(**ends)
            .group_by("head", "tail")
            .aggregate(claims=_.count(), sources=_.source_code.nunique())
            .order_by("head", "tail")
        )
        return HopPairs(rows["head"], rows["tail"], rows["claims"], rows["sources"])


ORDERS = {
    "date": ("undated", "start_day", "source", "line", "row"),
    "source": ("lower_source", "undated", "start_day", "line", "row"),
}


def _order(claims, order: str) -> list:
    """The evidence panel's order as Ibis keys: oldest first (undated last), or by source
    (any case) then oldest first; the claims' own order breaks ties."""
    keys = {
        "undated": claims.start_day.isnull(),
        "start_day": claims.start_day,
        "source": claims.source,
        "lower_source": claims.source.lower(),
        "line": claims.line,
        "row": claims.row,
    }
    return [keys[name] for name in ORDERS.get(order, ORDERS["date"])]


def _codes(labels: np.ndarray, chosen) -> list[int]:
    """The positions of ``chosen`` among ``labels`` (never empty: -1 matches nothing)."""
    return [i for i, label in enumerate(labels) if label in chosen] or [-1]


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """The claims frame as Arrow, with plain (not dictionary or object) columns."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.replace_schema_metadata(None)


def _fetch(expression) -> dict[str, np.ndarray]:
    """An Ibis expression's columns as int64 arrays (nulls as :data:`UNDATED`, which
    only the day columns hold)."""
    table = expression.to_pyarrow()
    return {
        name: pc.fill_null(column, UNDATED).to_numpy().astype(np.int64)
        if column.null_count
        else np.asarray(column.to_numpy(), dtype=np.int64)
        for name, column in zip(table.column_names, table.columns, strict=True)
    }


def _spread(edges: np.ndarray, values: np.ndarray, n_edges: int, fill) -> np.ndarray:
    out = np.full(n_edges, fill, dtype=np.int64)
    out[edges] = values
    return out
