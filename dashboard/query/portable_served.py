"""Serving the page from any engine Ibis drives: ``dashboard serve DATA --engine URL``.

:class:`~dashboard.query.served.DuckEngine` draws views, pages evidence and fills actor
cards from an object that answers a few questions of the claims (``edge_view``,
``evidence``, ``claim_rows``, ``opposing_rows``, ``one_sided_claims``, ``network``,
``close``): :class:`~dashboard.query.duck.DuckClaims` in DuckDB, or
:class:`PortableServed` here, which asks :class:`~dashboard.query.portable.PortableClaims`
(Ibis expressions, compiled by the backend at the URL). The server keeps the actor and
edge index (an :class:`~dashboard.query.served.IndexNetwork`, with the totals the page
shows, counted here once before the claims are let go); the claims stay in the backend.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, ViewMemo
>>> net = Network.from_dataset(load_or_raise("data"))
>>> engine = serve_from_url("duckdb://", net)
>>> state = FilterState(years=(1991, 1998), include_undated=False)
>>> engine(state).counts_text() == ViewMemo(net)(state).counts_text()
True
>>> engine.network.engine_name
'DuckDB'
"""

from __future__ import annotations

import os
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import ibis
import numpy as np
import pandas as pd

from dashboard.arrays import distinct
from dashboard.graph import UNDATED, Network
from dashboard.query.duck import EdgeView, EvidencePage
from dashboard.query.filters import FilterState
from dashboard.query.portable import TEXT_COLUMNS, PortableClaims, _fetch
from dashboard.query.served import DuckEngine, IndexNetwork, _index_of

# Ibis' backend names as people write them; the rest are shown as Ibis spells them.
ENGINE_NAMES = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "trino": "Trino",
                "clickhouse": "ClickHouse", "bigquery": "BigQuery", "pyspark": "Spark",
                "snowflake": "Snowflake", "mysql": "MySQL", "sqlite": "SQLite"}  # fmt: skip
# URL schemes whose Ibis extra has another name.
EXTRAS = {"postgresql": "postgres", "spark": "pyspark"}
ROW_COLUMNS = (*TEXT_COLUMNS, "row", "start_day")


class EngineUnavailable(Exception):
    """The backend at a URL cannot be reached or is not installed (one line, to print)."""


def shown_url(url: str) -> str:
    """``url`` without its password, for the console.

    >>> shown_url("postgres://ana:secret@db.example:5432/claims")
    'postgres://ana:***@db.example:5432/claims'
    >>> shown_url("duckdb://")
    'duckdb://'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def extra_for(url: str) -> str:
    """The Ibis extra that installs the backend of ``url``.

    >>> extra_for("postgresql://host/db"), extra_for("trino://u@h:8080/c/s")
    ('ibis-framework[postgres]', 'ibis-framework[trino]')
    """
    scheme = urlsplit(url).scheme.lower()
    return f"ibis-framework[{EXTRAS.get(scheme, scheme)}]"


def connect(url: str):
    """``ibis.connect(url)``, or :class:`EngineUnavailable` saying why in one line."""
    try:
        return ibis.connect(url)
    except ImportError:
        raise EngineUnavailable(
            f"cannot connect to {shown_url(url)}: Ibis' backend for it is not installed "
            f"(pip install '{extra_for(url)}')"
        ) from None
    except Exception as exc:  # every backend raises its own errors
        if str(exc).startswith("Don't know how to connect"):  # no backend of that name
            scheme = urlsplit(url).scheme
            raise EngineUnavailable(
                f"cannot connect to {shown_url(url)}: Ibis has no backend {scheme!r} (see "
                "https://ibis-project.org/backends for their URLs)"
            ) from None
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise EngineUnavailable(
            f"cannot connect to {shown_url(url)}: {why} (its Ibis backend is installed with "
            f"pip install '{extra_for(url)}')"
        ) from None


def serve_from_url(url: str, network: Network, connection=None, **options) -> DuckEngine:
    """The engine serving ``network``'s claims from the backend at ``url``: the claims
    are published there as table ``claims`` (replaced), the server keeps the index."""
    connection = connect(url) if connection is None else connection
    index = index_with_totals(network, ENGINE_NAMES.get(connection.name, connection.name))
    try:
        published = PortableClaims.publish(network, connection)
    except Exception as exc:  # every backend raises its own errors
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise EngineUnavailable(f"cannot write the claims to {shown_url(url)}: {why}") from None
    published.network = index
    return DuckEngine(PortableServed(published, url), **options)


def index_with_totals(network: Network, engine_name: str) -> IndexNetwork:
    """``network``'s index without its claims, with the totals the page shows counted
    from them: what :meth:`DuckClaims.totals` and ``one_sided_totals`` count in SQL."""
    types = network.actor_types
    from_type = network.actor_type[network.claim_from]
    to = network.claim_to
    to_type = np.where(to >= 0, network.actor_type[np.maximum(to, 0)], -1)
    both = from_type[(to < 0) | (to_type == from_type)]
    either = np.concatenate([from_type, to_type[(to >= 0) & (to_type != from_type)]])
    sources = network.claim_source if network.source_pairs is None else network.source_pairs[1]
    alone = network.claim_from[to < 0]
    actors, claims = np.unique(alone, return_counts=True)
    totals = {
        "edge_claims": network.edge_claim_totals.astype(np.int64),
        "sources": _named(network.sources, sources),
        "relations": _named(network.relations, network.claim_relation),
        "types": {"both": _per_type(types, both), "either": _per_type(types, either)},
        "n_claims": int(network.n_claims),
        "days": network.dated_days,
        "one_sided": np.column_stack([actors, claims]).astype(np.int64).reshape(-1, 2),
    }
    return replace(_index_of(network), totals=totals, engine_name=engine_name)


def _named(labels: np.ndarray, codes: np.ndarray) -> dict[str, int]:
    found = np.bincount(codes, minlength=len(labels))
    return {str(labels[i]): int(n) for i, n in enumerate(found) if n}


def _per_type(types: np.ndarray, codes: np.ndarray) -> dict[str, int]:
    found = np.bincount(codes, minlength=len(types))
    return {str(name): int(found[i]) for i, name in enumerate(types)}


class PortableServed:
    """What :class:`DuckEngine` asks of :class:`DuckClaims`, answered by
    :class:`PortableClaims`. After a fork (gunicorn's workers) each process connects
    again, except to an in-memory DuckDB, which only the inherited copy holds."""

    def __init__(self, claims: PortableClaims, url: str):
        self.claims = claims
        self.url = url
        self._pid = os.getpid()

    @property
    def network(self) -> IndexNetwork:
        return self.claims.network

    @network.setter
    def network(self, index: IndexNetwork) -> None:
        self.claims.network = index

    def _portable(self) -> PortableClaims:
        if self._pid != os.getpid() and not _in_memory(self.url):
            old = self.claims
            table = old.claims.get_name()
            cited = old.cited.get_name() if old.cited is not None else None
            self.claims = PortableClaims(connect(self.url), old.network, table, cited)
            self._pid = os.getpid()
        return self.claims

    def edge_view(self, state: FilterState) -> EdgeView:
        return self._portable().edge_view(state)

    def evidence(self, edge, state, page=0, per_page=50, order="date", search="") -> EvidencePage:
        return self._portable().evidence(edge, state, page, per_page, order, search)

    def claim_rows(self, condition: str) -> pd.DataFrame:
        """No claims (``condition`` "FALSE", the one DuckEngine asks of any engine): the
        evidence columns, empty."""
        if condition != "FALSE":
            raise ValueError("only the empty selection is asked of a portable engine")
        return _rows(self._portable().claims.limit(0))

    def one_sided_claims(self, actor: int, state: FilterState) -> pd.DataFrame:
        """The passing claims of ``actor`` that name no target."""
        portable = self._portable()
        t = portable.claims
        conditions = portable._conditions(state, t)
        mine = t.filter(t.from_code == int(actor), t.to_code < 0, *conditions)
        return _rows(mine.order_by("row"))

    def opposing_rows(
        self, edge: int, state: FilterState, pair_edges: np.ndarray, limit: int
    ) -> pd.DataFrame:
        """As :meth:`DuckClaims.opposing_rows`: the passing assertions on ``pair_edges``
        that contradict one on ``edge`` (the other family, another source, overlapping
        periods). The few claims of the pair's edges come from the backend; the pairing
        is done here."""
        portable = self._portable()
        t = portable.claims
        if not len(pair_edges):
            return _rows(t.limit(0))
        edges = [int(edge), *(int(e) for e in pair_edges)]
        near = t.filter(t.edge.isin(edges))
        polar = near.filter(~near.denies, near.polarity != 0, *portable._conditions(state, near))
        voices = portable._voices(polar, state).select(
            "row", "edge", "positive", "source_code", "start_day", "end_day"
        )
        found = pd.DataFrame(_fetch(voices))
        mine, others = found[found["edge"] == int(edge)], found[found["edge"] != int(edge)]
        pairs = others.merge(mine, how="cross", suffixes=("", "_mine"))
        undated = (pairs["start_day"] == UNDATED) | (pairs["start_day_mine"] == UNDATED)
        overlapping = (pairs["start_day"] <= pairs["end_day_mine"]) & (
            pairs["end_day"] >= pairs["start_day_mine"]
        )
        against = pairs[
            (pairs["positive"] != pairs["positive_mine"])
            & (pairs["source_code"] != pairs["source_code_mine"])
            & (undated | overlapping)
        ]
        rows = distinct(against["row"].to_numpy())[: int(limit)].tolist()
        if not rows:
            return _rows(t.limit(0))
        chosen = t.filter(t.edge.isin(edges), t.row.isin(rows)).order_by("row")
        return _rows(chosen, ("edge", "from_code", "to_code", "relation_code"))

    def close(self) -> None:
        self.claims.connection.disconnect()


def _in_memory(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "duckdb" and parts.path in ("", "/", "/:memory:", ":memory:")


def _rows(expression, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The evidence columns of ``expression``'s claims, indexed by claim id, with the
    ``span_start`` the panels order by (the start day; the backend's table has no
    timestamps, whose time zones engines treat apiece)."""
    frame = expression.select(*ROW_COLUMNS, *extra).to_pyarrow().to_pandas()
    frame["span_start"] = pd.to_datetime(frame.pop("start_day").astype("Int64"), unit="D")
    return frame.set_index("claim_id")
