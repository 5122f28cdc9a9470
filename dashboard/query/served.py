"""What the web layer reads of a view, from either engine: numpy in memory, or DuckDB.

The page asks three things of the claims: a view per filter state (which edges and
actors show, with recounts: :class:`ServedView`), a page of an edge's evidence, and an
actor's card. The in-memory engine answers with :class:`~dashboard.query.filters.View`
(a :class:`~dashboard.query.filters.ViewMemo` memoises them); above a few million claims
:class:`DuckEngine` answers from DuckDB (:class:`~dashboard.query.duck.DuckClaims`),
with :class:`DuckView`, which holds per-edge and per-actor arrays only. Both satisfy
:class:`ServedView` and :class:`ViewSource`; :func:`edge_evidence_of` and
:func:`actor_card_of` fetch the evidence from whichever engine made the view.

The map of a DuckDB-served data set holds at most ``DRAWN_EDGES_LIMIT`` edges (those
with the most claims) and their actors: a scene of millions of edges could not reach a
browser. Filters still count every claim; the counts say how much the map leaves out.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, ViewMemo
>>> net = Network.from_dataset(load_or_raise("data"))
>>> engine = DuckEngine.from_network(net)
>>> state = FilterState(years=(1991, 1998), include_undated=False)
>>> engine(state).counts_text() == ViewMemo(net)(state).counts_text()
True
>>> isinstance(engine(state), ServedView), isinstance(engine, ViewSource)
(True, True)
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from dashboard.arrays import distinct
from dashboard.data.families import RelationFamilies
from dashboard.graph import Network
from dashboard.query import evidence
from dashboard.query.duck import DuckClaims, EdgeView, EvidencePage
from dashboard.query.filters import FilterState, counts_line

DRAWN_EDGES_LIMIT = 100_000  # edges the map of a DuckDB-served data set holds
OPPOSING_LIMIT = evidence.OPPOSING_LIMIT
REFUSED = {
    "pair": "Everything between two actors is not listed for data served from DuckDB "
    "(millions of claims): open one of their edges on the map.",
    "paths": "Paths are not searched for data served from DuckDB (millions of claims): "
    "focus on an actor to see its neighbourhood.",
    "betweenness": "Sized by claims: betweenness is not computed for data served from "
    "DuckDB (millions of claims).",
    "export": "Exports are not made for data served from DuckDB (millions of claims).",
    "relayout": "Re-layout is not offered for data served from DuckDB (millions of claims).",
    "timeline": "The timeline is not drawn for data served from DuckDB (millions of claims); "
    "the time range and playback work.",
    "compare": "Two periods are not compared for data served from DuckDB (millions of "
    "claims): set each as the time range in turn.",
}


@runtime_checkable
class ServedView(Protocol):
    """What the drawing and the panels read of a view (both engines' views have it)."""

    network: Network
    state: FilterState
    edge_mask: np.ndarray
    node_mask: np.ndarray
    edge_claims: np.ndarray
    edge_sources: np.ndarray
    edge_denials: np.ndarray
    edge_undated: np.ndarray
    edge_opposed: np.ndarray
    edge_first_day: np.ndarray
    edge_last_day: np.ndarray

    @property
    def n_claims(self) -> int: ...

    @property
    def n_edges(self) -> int: ...

    @property
    def n_actors(self) -> int: ...

    @property
    def edge_contested(self) -> np.ndarray: ...

    @property
    def node_claim_counts(self) -> np.ndarray: ...

    @property
    def node_degrees(self) -> np.ndarray: ...

    def counts_text(self) -> str: ...


@runtime_checkable
class ViewSource(Protocol):
    """A view per filter state, memoised: ``ViewMemo`` and :class:`DuckEngine`."""

    network: Network

    def __call__(self, state: FilterState) -> ServedView: ...

    def most_sources(self) -> int: ...


def refusal(view, feature: str) -> str | None:
    """Why ``feature`` (a key of ``REFUSED``) is not offered for this view, or None."""
    return refused(view.network, feature) if isinstance(view, DuckView) else None


def refused(network: Network, feature: str) -> str:
    """Why ``feature`` is not offered for data served from a database, naming the engine
    that serves ``network`` (DuckDB, or the backend at ``--engine URL``)."""
    name = getattr(network, "engine_name", "DuckDB")
    return REFUSED[feature].replace("from DuckDB", f"from {name}")


def serves_from_duckdb(network: Network) -> bool:
    """Whether the claims are served from a database (DuckDB, or a backend Ibis drives)
    rather than from memory."""
    return isinstance(network, IndexNetwork)


def edge_evidence(view, edge: int, page: int = 0, order: str = "date", search: str = ""):
    """A page of ``edge``'s evidence, from the engine that made ``view``."""
    if isinstance(view, DuckView):
        return view.engine.edge_evidence(view, edge, page, order=order, search=search)
    return evidence.edge_evidence(view, edge, page, order=order, search=search)


def actor_card(view, actor: int):
    """``actor``'s card, from the engine that made ``view``."""
    if isinstance(view, DuckView):
        return view.engine.actor_card(view, actor)
    return evidence.actor_card(view, actor)


edge_evidence_of, actor_card_of = edge_evidence, actor_card


def claim_facets(network: Network) -> tuple[Counter, Counter]:
    """Claims per source (every source a claim cites) and per relation, for the filter
    lists: counted in memory, or read from the totals DuckDB worked out."""
    if isinstance(network, IndexNetwork):
        return Counter(network.totals["sources"]), Counter(network.totals["relations"])
    # Counted by code, not by name: a Counter over a million names took 0.7 s of a start.
    per_source = np.bincount(network.pair_source, minlength=len(network.sources))
    sources = Counter({s: int(n) for s, n in zip(network.sources, per_source, strict=True) if n})
    return sources, Counter(network.claims["relation"].value_counts().to_dict())


@dataclass(frozen=True, eq=False)
class IndexNetwork(Network):
    """A network's actor and edge index without its claims (they stay in DuckDB), with
    the totals the page shows worked out there: claims per edge, source, relation, type."""

    totals: dict = field(default_factory=dict)
    undirected: np.ndarray | None = None
    engine_name: str = "DuckDB"  # what serves the claims, as the page names it

    @property
    def n_claims(self) -> int:
        return int(self.totals["n_claims"])

    @cached_property
    def edge_claim_totals(self) -> np.ndarray:
        return self.totals["edge_claims"]

    @cached_property
    def dated_days(self) -> tuple[int, int] | None:
        days = self.totals["days"]
        return None if days is None else (int(days[0]), int(days[1]))

    @cached_property
    def edge_undirected(self) -> np.ndarray:
        if self.undirected is not None:
            return self.undirected
        return np.zeros(len(self.edges), dtype=bool)


def type_counts(network: Network, match: str) -> dict[str, int] | None:
    """Claims per actor type under ``match``, as DuckDB counted them (None in memory)."""
    return network.totals["types"][match] if isinstance(network, IndexNetwork) else None


def _empty_claims() -> dict:
    none32, none64 = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    return {
        "claims": pd.DataFrame(index=pd.Index([], name="claim_id")),
        "claim_from": none32,
        "claim_to": none32,
        "claim_edge": none32,
        "claim_source": none32,
        "claim_relation": none32,
        "claim_denies": np.zeros(0, dtype=bool),
        "claim_start_day": none64,
        "claim_end_day": none64,
        "source_pairs": None,
    }


def index_from_database(db) -> IndexNetwork:
    """The actor and edge index of an ingested database (data/duck_ingest.py)."""
    from dashboard.data.actors import ALIAS_SEPARATOR

    actors = db.execute(
        "SELECT id, name, type, aliases, description FROM actors ORDER BY code"
    ).df()
    actors["aliases"] = [
        tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip()) if text else ()
        for text in actors["aliases"].tolist()
    ]
    actors = actors.set_index("id")
    edges = db.execute(
        "SELECT from_code, to_code, relation_code FROM edges ORDER BY edge"
    ).fetchnumpy()

    def names(sql: str) -> np.ndarray:
        return np.array([value for (value,) in db.execute(sql).fetchall()], dtype=object)

    relations = names("SELECT relation FROM relation_codes ORDER BY relation_code")
    sources = names("SELECT source FROM source_codes ORDER BY source_code")
    types = names("SELECT type FROM type_codes ORDER BY type_code")
    families = RelationFamilies.for_relations(relations, None)
    family_code = {name: i for i, name in enumerate(families.names)}
    relation_code = np.asarray(edges["relation_code"], dtype=np.int32)
    return IndexNetwork(
        actors=actors,
        edges=pd.DataFrame(
            {
                "from": np.asarray(edges["from_code"], dtype=np.int32),
                "to": np.asarray(edges["to_code"], dtype=np.int32),
                "relation_code": relation_code,
                "relation": relations[relation_code] if len(relation_code) else [],
            }
        ),
        sources=sources,
        relations=relations,
        actor_types=types,
        actor_type=pd.Index(types).get_indexer(actors["type"]).astype(np.int32),
        families=families,
        relation_family=np.array(
            [family_code[families.family_of(r)] for r in relations], dtype=np.int16
        ),
        **_empty_claims(),
    )


def _index_of(network: Network) -> IndexNetwork:
    """``network``'s index, without its claims."""
    fields = {name: getattr(network, name) for name in network.__dataclass_fields__}
    fields.update(_empty_claims())
    return IndexNetwork(**fields, undirected=network.edge_undirected)


def _save_totals(db, totals: dict) -> None:
    kept = {k: v for k, v in totals.items() if k not in ("edge_claims", "one_sided")}
    db.execute("CREATE OR REPLACE TABLE served_totals AS SELECT ? AS totals", [json.dumps(kept)])
    db.register("edge_totals", pd.DataFrame({"n": totals["edge_claims"]}))
    db.execute("CREATE OR REPLACE TABLE served_edge_totals AS SELECT * FROM edge_totals")
    db.unregister("edge_totals")
    one_sided = pd.DataFrame(totals["one_sided"], columns=["actor", "n"])
    db.register("one_sided_totals", one_sided)
    db.execute("CREATE OR REPLACE TABLE served_one_sided AS SELECT * FROM one_sided_totals")
    db.unregister("one_sided_totals")


def _read_totals(db) -> dict | None:
    tables = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    if not db.execute(tables, ["served_totals"]).fetchone()[0]:
        return None
    totals = json.loads(db.execute("SELECT totals FROM served_totals").fetchone()[0])
    if totals["days"] is not None:
        totals["days"] = tuple(totals["days"])
    edge_totals = db.execute("SELECT n FROM served_edge_totals").fetchnumpy()["n"]
    totals["edge_claims"] = np.asarray(edge_totals, dtype=np.int64)
    one_sided = db.execute("SELECT actor, n FROM served_one_sided ORDER BY actor").fetchnumpy()
    totals["one_sided"] = np.column_stack([one_sided["actor"], one_sided["n"]]).astype(np.int64)
    return totals


class DuckEngine:
    """Views, evidence and cards from DuckDB, for a map of at most ``drawn_limit`` edges."""

    def __init__(self, duck: DuckClaims, drawn_limit: int = DRAWN_EDGES_LIMIT, size: int = 8):
        self.duck = duck
        full = duck.network
        self.full = full
        totals = full.totals
        strongest = np.argsort(-totals["edge_claims"], kind="stable")[:drawn_limit]
        if len(strongest) >= len(full.edges):
            self.kept_edges = self.kept_actors = None
            self.network: IndexNetwork = full
        else:
            self.kept_edges = np.sort(strongest)
            self.kept_actors = distinct(
                np.concatenate([full.edge_from[self.kept_edges], full.edge_to[self.kept_edges]])
            )
            self.network = self._drawn(full)
        self.database: Path | None = None  # set by open: reopened after a fork
        self._pid = os.getpid()
        self._size = size
        self._views: OrderedDict[FilterState, DuckView] = OrderedDict()
        self._lock = threading.Lock()
        self._query_lock = threading.Lock()  # one DuckDB connection, one query at a time

    # -- building ----------------------------------------------------------------------

    @classmethod
    def from_network(cls, network: Network, path=None, **options) -> DuckEngine:
        """The claims of an in-memory network copied into DuckDB (tests; small data with
        ``--engine duckdb`` and the careful reader's options)."""
        index = _index_of(network)
        duck = DuckClaims.from_network(network, path)
        duck.network = index
        totals = duck.totals()
        totals["one_sided"] = duck.one_sided_totals()
        duck.network = replace(index, totals=totals)
        return cls(duck, **options)

    @classmethod
    def prepare(cls, database: Path) -> None:
        """Work out, once after the ingest, what a start reads: the totals the page
        shows and the unfiltered view."""
        from dashboard.data.duck_ingest import connect

        db = connect(database)
        try:
            index = index_from_database(db)
            duck = DuckClaims(db, index)
            totals = duck.totals()
            totals["one_sided"] = duck.one_sided_totals()
            _save_totals(db, totals)
            duck.network = replace(index, totals=totals)
            duck.keep_full_view()
            db.execute("CHECKPOINT")
        finally:
            db.close()

    @classmethod
    def open(cls, database: Path, **options) -> DuckEngine:
        """The engine on a prepared database file, opened read-only (several server
        processes may share it)."""
        from dashboard.data.duck_ingest import connect

        db = connect(database, read_only=True)
        index = index_from_database(db)
        totals = _read_totals(db)
        duck = DuckClaims(db, replace(index, totals=totals))
        engine = cls(duck, **options)
        engine.database = Path(database)
        return engine

    def _claims(self) -> DuckClaims:
        """The claims, on a connection of this process's own: DuckDB's connections do not
        survive a fork (gunicorn forks its workers from the loaded app)."""
        if self._pid != os.getpid() and self.database is not None:
            from dashboard.data.duck_ingest import connect

            self.duck = DuckClaims(connect(self.database, read_only=True), self.duck.network)
            self._pid = os.getpid()
            self._query_lock = threading.Lock()
        return self.duck

    def _drawn(self, full: IndexNetwork) -> IndexNetwork:
        kept_edges, kept_actors = self.kept_edges, self.kept_actors
        recode = np.full(full.n_actors, -1, dtype=np.int32)
        recode[kept_actors] = np.arange(len(kept_actors), dtype=np.int32)
        edges = full.edges.iloc[kept_edges].reset_index(drop=True)
        edges["from"] = recode[edges["from"].to_numpy()]
        edges["to"] = recode[edges["to"].to_numpy()]
        totals = dict(full.totals, edge_claims=full.totals["edge_claims"][kept_edges])
        return replace(
            full,
            actors=full.actors.iloc[kept_actors],
            edges=edges,
            actor_type=full.actor_type[kept_actors],
            totals=totals,
            undirected=full.edge_undirected[kept_edges],
        )

    # -- views -------------------------------------------------------------------------

    def most_sources(self) -> int:
        """The most sources behind one edge, over all claims (at least 1)."""
        full = self(FilterState())
        return max(int(full.edge_sources.max()), 1) if len(self.network.edges) else 1

    def __call__(self, state: FilterState) -> DuckView:
        with self._lock:
            if state in self._views:
                self._views.move_to_end(state)
                return self._views[state]
        with self._query_lock:
            found = self._claims().edge_view(state)
        view = self._view(found, state)
        with self._lock:
            self._views[state] = view
            while len(self._views) > self._size:
                self._views.popitem(last=False)
        return view

    def _view(self, found: EdgeView, state: FilterState) -> DuckView:
        one_sided = found.one_sided if found.one_sided is not None else np.zeros((0, 3), int)
        arrays = {
            name: getattr(found, name)
            for name in (
                "edge_mask",
                "edge_claims",
                "edge_sources",
                "edge_denials",
                "edge_undated",
                "edge_opposed",
                "edge_first_day",
                "edge_last_day",
            )
        }
        actors, claims = one_sided[:, 0], one_sided[:, 1]
        node_mask = found.node_mask
        if self.kept_edges is not None:
            arrays = {name: values[self.kept_edges] for name, values in arrays.items()}
            position = np.searchsorted(self.kept_actors, actors)
            kept = position < len(self.kept_actors)
            kept[kept] = self.kept_actors[position[kept]] == actors[kept]
            actors, claims = position[kept], claims[kept]
            net = self.network
            node_mask = np.zeros(net.n_actors, dtype=bool)
            node_mask[net.edge_from[arrays["edge_mask"]]] = True
            node_mask[net.edge_to[arrays["edge_mask"]]] = True
            node_mask[actors] = True
        undated = int(found.edge_undated.sum() + one_sided[:, 2].sum())
        return DuckView(
            network=self.network,
            state=state,
            node_mask=node_mask,
            **arrays,
            engine=self,
            full=FullCounts(
                found.edge_mask,
                int(found.node_mask.sum()),
                int(found.edge_mask.sum()),
                int(found.n_claims),
            ),
            one_sided_actors=actors,
            one_sided_claims=claims,
            undated_claims=undated,
        )

    # -- evidence ----------------------------------------------------------------------

    def full_edge(self, edge: int) -> int:
        return int(edge if self.kept_edges is None else self.kept_edges[edge])

    def drawn_edge(self, full_edge: int) -> int:
        """The map's number of a full-index edge; -1 when the map leaves it out."""
        if self.kept_edges is None:
            return int(full_edge)
        position = int(np.searchsorted(self.kept_edges, full_edge))
        found = position < len(self.kept_edges) and self.kept_edges[position] == full_edge
        return position if found else -1

    def full_actor(self, actor: int) -> int:
        return int(actor if self.kept_actors is None else self.kept_actors[actor])

    def edge_evidence(
        self, view: DuckView, edge: int, page: int = 0, order: str = "date", search: str = ""
    ) -> evidence.EdgeEvidence:
        net = self.network
        full_edge = self.full_edge(edge)
        if view.edge_mask[edge]:
            with self._query_lock:
                found = self._claims().evidence(full_edge, view.state, page, evidence.PER_PAGE,
                                           order, search)  # fmt: skip
                opposing = self._opposing(view, edge, full_edge)
        else:  # hidden by a focus or a minimum of sources: none of its claims shows
            nothing = self._claims().claim_rows("FALSE")
            hidden = int(net.edge_claim_totals[edge])
            found, opposing = EvidencePage(nothing, 0, hidden, 0), ()
        from_code, to_code = int(net.edge_from[edge]), int(net.edge_to[edge])
        return evidence.EdgeEvidence(
            edge=edge,
            from_id=net.actor_ids[from_code],
            from_name=net.actor_names[from_code],
            relation=net.edges["relation"].iat[edge],
            to_id=net.actor_ids[to_code],
            to_name=net.actor_names[to_code],
            claims=evidence._card_list(found.claims),
            hidden=found.hidden,
            contested=bool(view.edge_mask[edge] and view.edge_contested[edge]),
            denials=int(view.edge_denials[edge]),
            total=found.total,
            page=found.page,
            per_page=evidence.PER_PAGE,
            order=order if order in evidence.ORDERS else "date",
            search=search,
            opposing=opposing,
        )

    def _opposing(self, view: DuckView, edge: int, full_edge: int) -> tuple:
        if not (view.edge_mask[edge] and view.edge_opposed[edge]):
            return ()
        full, shown = self.full, view.full.edge_mask
        a, b = full.edge_from[full_edge], full.edge_to[full_edge]
        same = ((full.edge_from == a) & (full.edge_to == b)) | (
            (full.edge_from == b) & (full.edge_to == a)
        )
        others = np.flatnonzero(same & shown)
        others = others[others != full_edge]
        rows = self._claims().opposing_rows(full_edge, view.state, others, OPPOSING_LIMIT)
        cards = evidence._card_list(rows)
        names, relations = full.actor_names, full.relations
        return tuple(
            evidence.OpposingClaim(
                edge=self.drawn_edge(int(row.edge)),
                sentence=" ".join(
                    [
                        names[int(row.from_code)],
                        relations[int(row.relation_code)],
                        names[int(row.to_code)],
                    ]
                ),
                card=card,
            )
            for row, card in zip(rows.itertuples(), cards, strict=True)
        )

    def actor_card(self, view: DuckView, actor: int) -> evidence.ActorCard:
        net = self.network
        row = net.actors.iloc[actor]
        relations = net.edges["relation"].to_numpy()
        touching = np.flatnonzero((net.edge_from == actor) | (net.edge_to == actor))
        groups: dict[str, list[evidence.RelationLine]] = {}
        for e in touching.tolist():
            outgoing = int(net.edge_from[e]) == actor
            other = int(net.edge_to[e] if outgoing else net.edge_from[e])
            groups.setdefault(relations[e], []).append(
                evidence.RelationLine(
                    edge=e,
                    relation=relations[e],
                    outgoing=outgoing,
                    other_name=net.actor_names[other],
                    shown=int(view.edge_claims[e]) if view.edge_mask[e] else 0,
                    total=int(net.edge_claim_totals[e]),
                )
            )
        ordered = {
            relation: tuple(sorted(lines, key=lambda r: (not r.outgoing, -r.shown, r.other_name)))
            for relation, lines in sorted(groups.items())
        }
        full_actor = self.full_actor(actor)
        narrowed = view.state.focus is not None and not view.node_mask[actor]
        if narrowed:
            one_sided = evidence._cards(self._claims().claim_rows("FALSE"))
        else:
            with self._query_lock:
                one_sided = evidence._cards(self._claims().one_sided_claims(full_actor, view.state))
        all_one_sided = self.full.totals["one_sided"]
        listed = all_one_sided[all_one_sided[:, 0] == full_actor, 1]
        return evidence.ActorCard(
            actor_id=net.actor_ids[actor],
            name=row["name"],
            type=row["type"],
            aliases=tuple(row["aliases"]),
            description=row["description"],
            relations=ordered,
            one_sided=one_sided,
            shown_claims=int(view.edge_claims[touching].sum()) + len(one_sided),
            total_claims=int(net.edge_claim_totals[touching].sum() + listed.sum()),
        )

    def close(self) -> None:
        self.duck.close()


@dataclass(frozen=True)
class FullCounts:
    """What a view shows of all the data, beyond the map: which edges, how many actors,
    edges and claims (a view keeps these, not DuckDB's per-edge arrays of all edges)."""

    edge_mask: np.ndarray
    n_actors: int
    n_edges: int
    n_claims: int


@dataclass(frozen=True, eq=False)
class DuckView:
    """A view as DuckDB answered it: per-edge and per-actor arrays over the map's index,
    and the whole data's counts (``full``)."""

    network: Network
    state: FilterState
    edge_mask: np.ndarray
    node_mask: np.ndarray
    edge_claims: np.ndarray
    edge_sources: np.ndarray
    edge_denials: np.ndarray
    edge_undated: np.ndarray
    edge_opposed: np.ndarray
    edge_first_day: np.ndarray
    edge_last_day: np.ndarray
    engine: DuckEngine
    full: FullCounts
    one_sided_actors: np.ndarray
    one_sided_claims: np.ndarray
    undated_claims: int

    @property
    def n_claims(self) -> int:
        return int(self.full.n_claims)

    @property
    def n_edges(self) -> int:
        return int(self.edge_mask.sum())

    @property
    def n_actors(self) -> int:
        return int(self.node_mask.sum())

    @property
    def edge_contested(self) -> np.ndarray:
        return (self.edge_denials > 0) | self.edge_opposed

    @property
    def edge_denied_only(self) -> np.ndarray:
        return (self.edge_claims > 0) & (self.edge_denials == self.edge_claims)

    @property
    def edge_undated_only(self) -> np.ndarray:
        return (self.edge_claims > 0) & (self.edge_undated == self.edge_claims)

    @cached_property
    def node_claim_counts(self) -> np.ndarray:
        net, n = self.network, self.network.n_actors
        counts = np.bincount(net.edge_from, weights=self.edge_claims, minlength=n)
        counts += np.bincount(net.edge_to, weights=self.edge_claims, minlength=n)
        counts += np.bincount(self.one_sided_actors, weights=self.one_sided_claims, minlength=n)
        return counts.astype(np.int64)

    @cached_property
    def node_degrees(self) -> np.ndarray:
        net, mask, n = self.network, self.edge_mask, self.network.n_actors
        return np.bincount(net.edge_from[mask], minlength=n) + np.bincount(
            net.edge_to[mask], minlength=n
        )

    def counts_text(self) -> str:
        """As :meth:`View.counts_text`, over all the data; and how much the map holds
        when it holds only the strongest edges."""
        full = self.full
        period = self.state.period_label
        text = counts_line(
            full.n_actors,
            full.n_edges,
            self.n_claims,
            self.network.n_claims,
            period,
            self.undated_claims if period is not None else 0,
        )
        if self.engine.kept_edges is not None:
            text += (
                f" · the map holds the {len(self.engine.kept_edges):,} edges with the most claims"
            )
        return text
