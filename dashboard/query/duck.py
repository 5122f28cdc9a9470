"""Claims in DuckDB: filters as SQL aggregations to edges, evidence fetched by edge, paged.

The in-memory engine (:func:`dashboard.query.filters.apply_filters`) keeps a number per
claim in numpy and the claims' text in pandas; at ten million claims the text alone is
several gigabytes. :class:`DuckClaims` keeps the claims in an embedded DuckDB database
(a file, so that its buffer manager pages them in and out within a memory limit) and
answers the two questions the page asks of them:

- :meth:`DuckClaims.edge_view`: for a :class:`FilterState`, the per-edge arrays a view is
  drawn from (which edges and actors show, claims, distinct sources, denials and undated
  claims per edge, which edges are contested, their first and last day): DuckDB says
  which claims pass and finds contested edges; the counts per edge are made in memory
  from a few numbers per claim (:class:`_PerClaim`), or by GROUP BY where those cannot
  (several sources per claim, more than 63 sources); the rules are the in-memory
  engine's (tests/test_duck_engine.py checks both agree on every filter);
- :meth:`DuckClaims.evidence`: one page of an edge's passing claims,
  ``WHERE edge = ? ORDER BY ... LIMIT 50 OFFSET ...``, with the totals.

The edge and actor index (from, to, relation of each edge; a few million rows at most)
stays in memory, in the :class:`~dashboard.graph.Network` the engine is built from.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState
>>> net = Network.from_dataset(load_or_raise("data"))
>>> duck = DuckClaims.from_network(net)
>>> view = duck.edge_view(FilterState(years=(1991, 1998), include_undated=False))
>>> int(view.edge_mask.sum()), view.n_claims
(13, 16)
>>> page = duck.evidence(net.edge_number("iran", "al-qaeda", "shelters"), FilterState())
>>> page.total, page.hidden, len(page.claims)
(5, 0, 5)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.arrays import distinct
from dashboard.graph import UNDATED, Network
from dashboard.query.actor_types import EITHER
from dashboard.query.filters import MAX_DEPTH, STANCES, FilterState

EVIDENCE_COLUMNS = (
    "claim_id",
    "quote",
    "source",
    "stance",
    "start",
    "end",
    "document",
    "url",
    "published",
    "verified",
    "line",
    "row_claims",
)
# DuckDB's buffer manager pages claims out beyond this. A GROUP BY of 10M claims into 9M
# edges needs about 2 GB of hash table; with 1 GB it spills to disk and takes 3x longer.
MEMORY_LIMIT = "3GB"
SOURCE_BITS = 63  # sources up to which a view counts an edge's distinct sources as bits
# What a view counts per edge, and the value of an edge no passing claim is on.
EMPTY_EDGE = {
    "claims": 0,
    "sources": 0,
    "denials": 0,
    "undated": 0,
    "first": UNDATED,
    "last": UNDATED,
}
ORDERS = {
    "date": "span_start IS NULL, span_start, source, line, row",
    "source": "lower(source), span_start IS NULL, span_start, line, row",
}


@dataclass(frozen=True)
class EdgeView:
    """What :meth:`DuckClaims.edge_view` answers: a View's arrays, without a per-claim mask."""

    edge_mask: np.ndarray
    node_mask: np.ndarray
    edge_claims: np.ndarray
    edge_sources: np.ndarray
    edge_denials: np.ndarray
    edge_undated: np.ndarray
    edge_opposed: np.ndarray
    edge_first_day: np.ndarray
    edge_last_day: np.ndarray
    n_claims: int
    # (actor, passing claims, of which undated) of claims naming no target; None when
    # not asked for (an old database's kept full view is read without it).
    one_sided: np.ndarray | None = None


@dataclass(frozen=True)
class EvidencePage:
    claims: pd.DataFrame
    total: int
    hidden: int
    page: int


class DuckClaims:
    """Claims in a DuckDB database, with the network's edge and actor index beside them."""

    def __init__(self, connection, network: Network):
        self._db = connection
        self.network = network
        tables = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
        self._multi = bool(connection.execute(tables, ["claim_sources"]).fetchone()[0])
        self._full: EdgeView | None = None
        self._per_claim = None if self._multi else _PerClaim.read(connection, network)
        if connection.execute(tables, ["full_view"]).fetchone()[0]:
            self._full = self._read_full_view()

    def keep_full_view(self) -> None:
        """Work out the unfiltered view once and store it in the database: the first view
        a start shows, and the one Reset returns to, is then read rather than computed."""
        view = self.edge_view(FilterState())
        frame = pd.DataFrame({name: getattr(view, name) for name in _FULL_VIEW_EDGES})
        self._db.register("full_frame", frame)
        self._db.execute("CREATE OR REPLACE TABLE full_view AS SELECT * FROM full_frame")
        self._db.unregister("full_frame")
        nodes = pd.DataFrame({"node_mask": view.node_mask})
        self._db.register("node_frame", nodes)
        self._db.execute("CREATE OR REPLACE TABLE full_view_nodes AS SELECT * FROM node_frame")
        self._db.unregister("node_frame")
        self._full = view

    def _read_full_view(self) -> EdgeView:
        edges = self._db.execute("SELECT * FROM full_view").fetchnumpy()
        nodes = self._db.execute("SELECT node_mask FROM full_view_nodes").fetchnumpy()
        arrays = {name: np.asarray(edges[name]) for name in _FULL_VIEW_EDGES}
        return EdgeView(
            node_mask=np.asarray(nodes["node_mask"], dtype=bool),
            n_claims=int(self._db.execute("SELECT count(*) FROM claims").fetchone()[0]),
            one_sided=self._one_sided("TRUE"),
            **arrays,
        )

    @classmethod
    def from_network(cls, network: Network, path: Path | str | None = None) -> DuckClaims:
        """Copy the network's claims (numbers and text) into DuckDB: in memory, or into the
        database file ``path`` (replaced if it exists)."""
        import duckdb

        if path is not None:
            Path(path).unlink(missing_ok=True)
        connection = duckdb.connect(str(path) if path is not None else ":memory:")
        connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        connection.register("numbers", _claim_numbers(network))
        connection.register("texts", _claim_texts(network))
        connection.execute(
            "CREATE TABLE claims AS SELECT * FROM numbers POSITIONAL JOIN texts ORDER BY edge"
        )
        connection.unregister("numbers")
        connection.unregister("texts")
        if network.source_pairs is not None:
            pairs = pd.DataFrame(
                {"row": network.source_pairs[0], "source_code": network.source_pairs[1]}
            )
            connection.register("pairs", pairs)
            connection.execute("CREATE TABLE claim_sources AS SELECT * FROM pairs")
            connection.unregister("pairs")
        duck = cls(connection, network)
        duck.keep_full_view()
        return duck

    @classmethod
    def open(cls, path: Path | str, network: Network) -> DuckClaims:
        import duckdb

        connection = duckdb.connect(str(path), read_only=True)
        connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        return cls(connection, network)

    def close(self) -> None:
        self._db.close()

    # -- filters ---------------------------------------------------------------------

    def _where(self, state: FilterState) -> str:
        """The SQL condition for a claim to pass ``state``'s claim filters."""
        net = self.network
        parts = ["TRUE"]
        if state.day_range is not None:
            start, end = state.day_range
            overlaps = f"(c.start_day <= {end} AND c.end_day >= {start})"
            parts.append(
                f"(c.start_day IS NULL OR {overlaps})" if state.include_undated else overlaps
            )
        elif not state.include_undated:
            parts.append("c.start_day IS NOT NULL")
        if state.sources:
            codes = _codes(net.sources, state.sources)
            if self._multi:
                parts.append(
                    f"c.row IN (SELECT row FROM claim_sources WHERE source_code IN {codes})"
                )
            else:
                parts.append(f"c.source_code IN {codes}")
        if state.relations:
            parts.append(f"c.relation_code IN {_codes(net.relations, state.relations)}")
        if state.stances and set(state.stances) != set(STANCES):
            parts.append("c.denies" if "denies" in state.stances else "NOT c.denies")
        if state.actor_types:
            types = _codes(net.actor_types, state.actor_types)
            source, target = f"c.from_type IN {types}", f"(c.to_code >= 0 AND c.to_type IN {types})"
            if state.type_match == EITHER:
                parts.append(f"({source} OR {target})")
            else:
                parts.append(f"{source} AND (c.to_code < 0 OR c.to_type IN {types})")
        return " AND ".join(parts)

    def edge_view(self, state: FilterState) -> EdgeView:
        """The per-edge arrays of the view ``state`` asks for (see the module's doc)."""
        if state == FilterState() and self._full is not None:
            return self._full
        net = self.network
        where = self._where(state)
        every_claim = where == "TRUE" and self._full is not None
        if every_claim:  # only edges are filtered (focus, sources per edge): the full view's
            full = self._full
            counts = {
                "claims": full.edge_claims,
                "sources": full.edge_sources,
                "denials": full.edge_denials,
                "undated": full.edge_undated,
                "first": full.edge_first_day,
                "last": full.edge_last_day,
            }
        else:
            counts = self._edge_counts(where, state)
        claims, sources = counts["claims"], counts["sources"]
        edge_mask = (claims > 0) & (sources >= state.min_sources)
        keep_nodes = None
        if state.focus is not None and state.focus in net.actor_code:
            keep_nodes = _neighbourhood(net, edge_mask, net.actor_code[state.focus], state.depth)
            edge_mask &= keep_nodes[net.edge_from] & keep_nodes[net.edge_to]
        narrowed = keep_nodes is not None or state.min_sources > 1
        # Edges with passing claims that the view still hides (a focus, too few sources)
        # count nothing. Edges without passing claims count nothing already: the six
        # arrays are rewritten only when there are hidden ones (at 10M claims, 9.3M edges,
        # the rewrite took 0.4 s of a 0.7 s step).
        if bool(np.any((claims > 0) & ~edge_mask)):
            for name, fill in EMPTY_EDGE.items():
                counts[name] = np.where(edge_mask, counts[name], fill)
        first, last = counts["first"], counts["last"]
        one_sided = self._one_sided(where)  # passing claims without a target: their actors
        if keep_nodes is not None:
            one_sided = one_sided[keep_nodes[one_sided[:, 0]]]
        node_mask = np.zeros(net.n_actors, dtype=bool)
        node_mask[net.edge_from[edge_mask]] = True
        node_mask[net.edge_to[edge_mask]] = True
        node_mask[one_sided[:, 0]] = True
        # Fewer claims contradict fewer edges: with every claim passing, only the edges the
        # full view marks can be contested, and only their pairs' claims need a look.
        candidates = np.flatnonzero(self._full.edge_opposed & edge_mask) if every_claim else None
        opposed = (
            self._opposed(where, state, edge_mask if narrowed else None, candidates) & edge_mask
        )
        return EdgeView(
            edge_mask,
            node_mask,
            counts["claims"],
            counts["sources"],
            counts["denials"],
            counts["undated"],
            opposed,
            first,
            last,
            int(counts["claims"].sum() + one_sided[:, 1].sum()),
            one_sided,
        )

    def _edge_counts(self, where: str, state: FilterState) -> dict[str, np.ndarray]:
        n_edges = len(self.network.edges)
        if self._per_claim is not None:  # the passing claims' rows from DuckDB, counted here
            rows = self._db.execute(
                f"SELECT row FROM claims c WHERE edge >= 0 AND {where}"
            ).fetchnumpy()["row"]
            return self._per_claim.edge_counts(np.asarray(rows, dtype=np.int64), n_edges)
        if self._multi:
            chosen = (
                f"AND s.source_code IN {_codes(self.network.sources, state.sources)}"
                if state.sources
                else ""
            )
            sources_sql = f"""
                SELECT c.edge, count(DISTINCT s.source_code) AS sources
                FROM claims c JOIN claim_sources s ON s.row = c.row
                WHERE c.edge >= 0 AND {where} {chosen} GROUP BY c.edge"""
        else:
            sources_sql = None
        # A set of sources per edge: with few sources, one bit each (bit_count of their
        # OR is 3x quicker than count(DISTINCT) at 10M claims); otherwise a hash set.
        distinct = (
            "bit_count(bit_or(1::BIGINT << source_code))"
            if len(self.network.sources) <= SOURCE_BITS
            else "count(DISTINCT source_code)"
        )
        rows = self._db.execute(
            f"""SELECT edge, count(*) AS claims, {distinct} AS sources,
                       count(*) FILTER (WHERE denies) AS denials,
                       count(*) FILTER (WHERE start_day IS NULL) AS undated,
                       coalesce(min(start_day), {UNDATED}) AS first,
                       coalesce(max(end_day), {UNDATED}) AS last
                FROM claims c WHERE edge >= 0 AND {where} GROUP BY edge"""
        ).fetchnumpy()
        edges = rows["edge"].astype(np.int64)
        found = {
            name: _spread(edges, rows[name], n_edges, fill) for name, fill in EMPTY_EDGE.items()
        }
        if sources_sql is not None:
            cited = self._db.execute(sources_sql).fetchnumpy()
            found["sources"] = _spread(cited["edge"].astype(np.int64), cited["sources"], n_edges, 0)
        return found

    def _one_sided(self, where: str) -> np.ndarray:
        """(actor, passing claims, of which undated) of claims naming no target."""
        rows = self._db.execute(
            "SELECT from_code, count(*) AS n, count(*) FILTER (WHERE start_day IS NULL) AS u "
            f"FROM claims c WHERE to_code < 0 AND {where} GROUP BY from_code ORDER BY from_code"
        ).fetchnumpy()
        if not len(rows["from_code"]):
            return np.zeros((0, 3), dtype=np.int64)
        return np.column_stack([rows["from_code"], rows["n"], rows["u"]]).astype(np.int64)

    def _opposed(
        self,
        where: str,
        state: FilterState,
        shown: np.ndarray | None,
        candidates: np.ndarray | None = None,
    ) -> np.ndarray:
        """Edges one of whose passing assertions a passing assertion of the opposite
        family contradicts: same two actors (either way), another source, overlapping
        periods (undated overlaps all). As :func:`filters._opposed_edges`, in SQL."""
        net = self.network
        opposed = np.zeros(len(net.edges), dtype=bool)
        on_shown = ""
        if shown is not None:  # the shorter list: the edges shown, or those hidden
            hidden = int(len(shown) - shown.sum()) < int(shown.sum())
            edges = np.flatnonzero(~shown if hidden else shown)
            self._db.register("shown", pd.DataFrame({"edge": edges}))
            on_shown = f"AND edge {'NOT ' if hidden else ''}IN (SELECT edge FROM shown)"
        in_pairs = ""
        if candidates is not None:  # the claims of these edges' pairs only
            if not len(candidates):
                if shown is not None:
                    self._db.unregister("shown")
                return opposed
            a, b = net.edge_from[candidates], net.edge_to[candidates]
            pairs = distinct(np.minimum(a, b) * (net.n_actors + 1) + np.maximum(a, b))
            self._db.register("candidate_pairs", pd.DataFrame({"pair": pairs}))
            in_pairs = "AND c.pair IN (SELECT pair FROM candidate_pairs)"
        if self._multi:
            chosen = (
                f"AND s.source_code IN {_codes(net.sources, state.sources)}"
                if state.sources
                else ""
            )
            voices = f"""SELECT c.edge, c.pair, c.positive, s.source_code, c.start_day, c.end_day
                FROM claims c JOIN claim_sources s ON s.row = c.row
                WHERE c.mixed AND NOT c.denies AND c.edge >= 0 AND {where}
                {on_shown.replace("edge", "c.edge", 1)} {chosen} {in_pairs}"""
        else:
            voices = f"""SELECT edge, pair, positive, source_code, start_day, end_day
                FROM claims c WHERE mixed AND NOT denies AND edge >= 0 AND {where}
                {on_shown} {in_pairs}"""
        rows = self._db.execute(
            f"""WITH v AS ({voices})
                SELECT DISTINCT a.edge FROM v a WHERE EXISTS (
                    SELECT 1 FROM v b WHERE b.pair = a.pair AND b.positive <> a.positive
                    AND b.source_code <> a.source_code
                    AND (a.start_day IS NULL OR b.start_day IS NULL
                         OR (b.start_day <= a.end_day AND b.end_day >= a.start_day)))"""
        ).fetchnumpy()
        if shown is not None:
            self._db.unregister("shown")
        if candidates is not None:
            self._db.unregister("candidate_pairs")
        opposed[rows["edge"].astype(np.int64)] = True
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
        where = self._where(state)
        match, parameters = "", [int(edge)]
        if search:
            match = (
                "AND (quote ILIKE ? ESCAPE '\\' OR source ILIKE ? ESCAPE '\\' "
                "OR document ILIKE ? ESCAPE '\\')"
            )
            like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            parameters += [like + "%"] * 3
        total, on_edge = self._db.execute(
            f"SELECT count(*) FILTER (WHERE {where} {match}), count(*) FROM claims c "
            "WHERE edge = ?",
            [*parameters[1:], int(edge)] if search else parameters,
        ).fetchone()
        passing = self._db.execute(
            f"SELECT count(*) FROM claims c WHERE edge = ? AND {where}", [int(edge)]
        ).fetchone()[0]
        page = min(max(page, 0), max(0, -(-total // per_page) - 1))
        columns = ", ".join(f'"{c}"' for c in (*EVIDENCE_COLUMNS, "span_start"))
        claims = self._db.execute(
            f"""SELECT {columns} FROM claims c WHERE edge = ? AND {where} {match}
                ORDER BY {ORDERS.get(order, ORDERS["date"])}
                LIMIT {int(per_page)} OFFSET {int(page * per_page)}""",
            parameters,
        ).df()
        return EvidencePage(claims.set_index("claim_id"), int(total), int(on_edge - passing), page)

    def claim_rows(self, condition: str, parameters=(), limit: int | None = None) -> pd.DataFrame:
        """The evidence columns of the claims meeting ``condition`` (SQL on ``c``), by
        ``row``, indexed by claim id: what the panels show of them."""
        columns = ", ".join(f'"{c}"' for c in (*EVIDENCE_COLUMNS, "span_start", "row"))
        bound = f"LIMIT {int(limit)}" if limit is not None else ""
        return (
            self._db.execute(
                f"SELECT {columns} FROM claims c WHERE {condition} ORDER BY row {bound}",
                list(parameters),
            )
            .df()
            .set_index("claim_id")
        )

    def one_sided_claims(self, actor: int, state: FilterState) -> pd.DataFrame:
        """The passing claims of ``actor`` that name no target."""
        return self.claim_rows(
            f"c.from_code = ? AND c.to_code < 0 AND {self._where(state)}", [int(actor)]
        )

    def one_sided_totals(self) -> np.ndarray:
        """(actor, claims) of claims naming no target, all filters aside."""
        return self._one_sided("TRUE")[:, :2]

    def opposing_rows(
        self, edge: int, state: FilterState, pair_edges: np.ndarray, limit: int
    ) -> pd.DataFrame:
        """The passing assertions on ``pair_edges`` (the other shown edges between the
        edge's two actors) that contradict one on ``edge``: the other family, another
        source, an overlapping period. As :func:`filters.opposing_claims` without its
        denials, in SQL; with ``edge`` and ``from_code``, ``to_code``, ``relation_code``."""
        if not len(pair_edges):
            return self.claim_rows("FALSE")
        where = self._where(state)
        if self._multi:
            chosen = (
                f"AND s.source_code IN {_codes(self.network.sources, state.sources)}"
                if state.sources
                else ""
            )
            voice = "s.source_code FROM claims c JOIN claim_sources s ON s.row = c.row"
        else:
            chosen, voice = "", "c.source_code FROM claims c"
        polar = f"NOT c.denies AND c.polarity <> 0 AND {where} {chosen}"
        # One selection per edge: DuckDB skips the row groups of other edges for
        # ``edge = k`` (the claims are stored in edge order), not for ``edge IN (...)``.
        edges = [int(e) for e in pair_edges]
        others = " UNION ALL ".join(
            f"SELECT c.row, c.positive, c.start_day, c.end_day, {voice} "
            f"WHERE c.edge = {e} AND {polar}"
            for e in edges
        )
        rows = self._db.execute(
            f"""WITH mine AS (SELECT c.positive, c.start_day, c.end_day, {voice}
                    WHERE c.edge = {int(edge)} AND {polar}),
                others AS ({others})
                SELECT DISTINCT o.row FROM others o JOIN mine m ON o.positive <> m.positive
                    AND o.source_code <> m.source_code
                    AND (o.start_day IS NULL OR m.start_day IS NULL
                         OR (o.start_day <= m.end_day AND o.end_day >= m.start_day))
                ORDER BY o.row LIMIT {int(limit)}"""
        ).fetchnumpy()["row"]
        if not len(rows):
            return self.claim_rows("FALSE")
        listed = ", ".join(str(int(r)) for r in rows)
        columns = ", ".join(f'"{c}"' for c in (*EVIDENCE_COLUMNS, "span_start", "row"))
        found = " UNION ALL ".join(
            f"SELECT {columns}, edge, from_code, to_code, relation_code FROM claims c "
            f"WHERE c.edge = {e} AND c.row IN ({listed})"
            for e in edges
        )
        return self._db.execute(f"{found} ORDER BY row").df().set_index("claim_id")

    def totals(self) -> dict:
        """What the filter panel lists and counts, all filters aside: claims per source
        (every source a claim cites), per relation, per actor type (both rules), the
        number of claims and the years they cover; claims per edge."""
        db = self._db
        n_edges = len(self.network.edges)
        per_edge = db.execute(
            "SELECT edge, count(*) AS n FROM claims WHERE edge >= 0 GROUP BY edge"
        ).fetchnumpy()
        table = "claim_sources" if self._multi else "claims"
        sources = db.execute(
            f"SELECT source_code, count(*) AS n FROM {table} GROUP BY source_code"
        ).fetchall()
        relations = db.execute(
            "SELECT relation_code, count(*) FROM claims GROUP BY relation_code"
        ).fetchall()
        both = db.execute(
            "SELECT from_type, count(*) FROM claims WHERE to_code < 0 OR to_type = from_type "
            "GROUP BY from_type"
        ).fetchall()
        either = db.execute(
            """SELECT t, count(*) FROM (SELECT from_type AS t FROM claims UNION ALL
               SELECT to_type FROM claims WHERE to_code >= 0 AND to_type <> from_type)
               GROUP BY t"""
        ).fetchall()
        n_claims, first, last = db.execute(
            "SELECT count(*), min(start_day), max(end_day) FROM claims"
        ).fetchone()
        net = self.network
        return {
            "edge_claims": _spread(per_edge["edge"].astype(np.int64), per_edge["n"], n_edges, 0),
            "sources": {str(net.sources[code]): int(n) for code, n in sources},
            "relations": {str(net.relations[code]): int(n) for code, n in relations},
            "types": {
                "both": _type_counts(net.actor_types, both),
                "either": _type_counts(net.actor_types, either),
            },
            "n_claims": int(n_claims),
            "days": None if first is None else (int(first), int(last)),
        }


_FULL_VIEW_EDGES = (
    "edge_mask",
    "edge_claims",
    "edge_sources",
    "edge_denials",
    "edge_undated",
    "edge_opposed",
    "edge_first_day",
    "edge_last_day",
)


def _codes(labels: np.ndarray, chosen) -> str:
    """A SQL list of the positions of ``chosen`` among ``labels`` (never empty)."""
    codes = [i for i, label in enumerate(labels) if label in chosen]
    return "(" + ", ".join(str(c) for c in codes or [-1]) + ")"


def _type_counts(types: np.ndarray, rows) -> dict[str, int]:
    found = {int(code): int(n) for code, n in rows}
    return {str(name): found.get(i, 0) for i, name in enumerate(types)}


@dataclass(frozen=True)
class _PerClaim:
    """The numbers a view counts, one per claim by row, kept in memory beside DuckDB.

    With them a filter step asks DuckDB only which claims pass (their rows) and counts
    them per edge here, in the claims' edge order: a GROUP BY of 8M passing claims into
    7.7M edges took 2-3 s at 10M claims and 2 GB of hash table; fetching the rows and
    counting them takes a fraction of that. One source per claim, at most 63 sources (a
    bit each, for the distinct sources per edge); otherwise the GROUP BY stays.
    """

    edge: np.ndarray  # int32
    source: np.ndarray  # uint8
    denies: np.ndarray  # bool
    start: np.ndarray  # int64, UNDATED when undated
    end: np.ndarray

    @classmethod
    def read(cls, connection, network: Network) -> _PerClaim | None:
        if len(network.sources) > SOURCE_BITS:
            return None
        numbers = connection.execute(
            f"""SELECT row, edge, source_code, denies, coalesce(start_day, {UNDATED}) AS start,
                       coalesce(end_day, {UNDATED}) AS end FROM claims"""
        ).fetchnumpy()
        rows = np.asarray(numbers["row"], dtype=np.int64)
        size = int(rows.max()) + 1 if len(rows) else 0
        arrays = {}
        for name, column, dtype in (
            ("edge", "edge", np.int32),
            ("source", "source_code", np.uint8),
            ("denies", "denies", bool),
            ("start", "start", np.int64),
            ("end", "end", np.int64),
        ):
            values = np.zeros(size, dtype=dtype)
            values[rows] = np.asarray(numbers.pop(column), dtype=dtype)
            arrays[name] = values
        return cls(**arrays)

    def edge_counts(self, rows: np.ndarray, n_edges: int) -> dict[str, np.ndarray]:
        """As ``DuckClaims._edge_counts``' GROUP BY, for the passing claims ``rows``."""
        edge = self.edge[rows]
        if len(edge) > 1 and not bool(np.all(edge[1:] >= edge[:-1])):
            # DuckDB returns a table's rows in its order (edge order); sorted if not
            order = np.argsort(edge, kind="stable")
            rows, edge = rows[order], edge[order]
        if not len(edge):
            return {
                name: np.full(n_edges, fill, dtype=np.int64) for name, fill in EMPTY_EDGE.items()
            }
        starts = np.flatnonzero(np.concatenate([[True], edge[1:] != edge[:-1]]))
        edges = edge[starts].astype(np.int64)
        start, end = self.start[rows], self.end[rows]
        undated = start == UNDATED
        latest = np.iinfo(np.int64).max
        bits = np.left_shift(np.uint64(1), self.source[rows].astype(np.uint64))
        first = np.minimum.reduceat(np.where(undated, latest, start), starts)
        found = {
            "claims": np.diff(np.append(starts, len(edge))),
            "sources": np.bitwise_count(np.bitwise_or.reduceat(bits, starts)),
            "denials": np.add.reduceat(self.denies[rows].astype(np.int64), starts),
            "undated": np.add.reduceat(undated.astype(np.int64), starts),
            "first": np.where(first == latest, UNDATED, first),
            "last": np.maximum.reduceat(np.where(undated, UNDATED, end), starts),
        }
        return {
            name: _spread(edges, values, n_edges, EMPTY_EDGE[name])
            for name, values in found.items()
        }


def _spread(edges: np.ndarray, values, n_edges: int, fill) -> np.ndarray:
    out = np.full(n_edges, fill, dtype=np.int64)
    out[edges] = np.asarray(values, dtype=np.int64)
    return out


def _neighbourhood(net: Network, edge_mask: np.ndarray, centre: int, depth: int) -> np.ndarray:
    from dashboard.query.filters import neighbourhood

    return neighbourhood(net, edge_mask, centre, min(depth, MAX_DEPTH))


def _claim_numbers(network: Network) -> pd.DataFrame:
    """The numbers the filters read, one row per claim in the network's order."""
    net = network
    to = net.claim_to
    low = np.minimum(net.claim_from, to).astype(np.int64)
    high = np.maximum(net.claim_from, to).astype(np.int64)
    polarity = net.relation_polarity[net.claim_relation]
    undated = net.claim_start_day == UNDATED
    pair = low * (net.n_actors + 1) + high
    # Only pairs of actors asserted in both families (cooperation and conflict) can hold a
    # contradiction, whatever the filters: the contested query looks at their claims only.
    polar = (polarity != 0) & ~net.claim_denies & (net.claim_edge >= 0)
    sides = distinct(pair[polar] * 2 + (polarity[polar] > 0))
    both = sides[1:][(sides[1:] // 2 == sides[:-1] // 2)] // 2
    mixed = polar & np.isin(pair, both)
    return pd.DataFrame(
        {
            "row": np.arange(net.n_claims, dtype=np.int64),
            "edge": net.claim_edge,
            "from_code": net.claim_from,
            "to_code": to,
            "from_type": net.actor_type[net.claim_from],
            "to_type": np.where(to >= 0, net.actor_type[np.maximum(to, 0)], -1),
            "relation_code": net.claim_relation,
            "source_code": net.claim_source,
            "denies": net.claim_denies,
            "start_day": pd.arrays.IntegerArray(net.claim_start_day.astype(np.int64), undated),
            "end_day": pd.arrays.IntegerArray(net.claim_end_day.astype(np.int64), undated),
            "pair": pair,
            "polarity": polarity,
            "mixed": mixed,
            "positive": polarity > 0,
        }
    )


def _claim_texts(network: Network) -> pd.DataFrame:
    """What the evidence panel shows of each claim."""
    claims = network.claims
    texts = {"claim_id": claims.index.to_numpy()}
    for column in EVIDENCE_COLUMNS[1:]:
        if column in claims.columns:
            texts[column] = claims[column].to_numpy()
        elif column == "row_claims":
            texts[column] = np.ones(len(claims), dtype=np.int64)
    texts["span_start"] = claims["span_start"].to_numpy()
    return pd.DataFrame(texts)
