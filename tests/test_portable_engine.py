"""The portable (Ibis) engine answers as the in-memory one, on DuckDB and on Spark (local
mode): the same edges, counts, contested edges and actors for every filter, the same
evidence pages, actor cards and path hops.

Spark needs Java. `make test` installs Debian's JDK when there is none; a machine without
Java skips the Spark cases and says why, except on CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from dashboard.data import LoadOverrides, load_or_raise
from dashboard.graph import Network
from dashboard.query.evidence import actor_card, edge_evidence
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.paths import hop_graph
from dashboard.query.portable import PortableClaims
from tests.conftest import HEADER, TODAY, write_data
from tests.test_duck_engine import ARRAYS, states_for

BACKENDS = ["duckdb", "pyspark"]
# PySpark's Java gateway leaves sockets for the garbage collector to close.
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
    ),
]


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One Spark session for the whole run: local, one core, one shuffle partition, no
    web UI; its warehouse (where published tables go) in a folder of the run's. Without
    code generation and adaptive plans, which pay off on large data only: the tests' many
    small queries run 2-3x quicker."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI"):
            pytest.fail("Java is missing on CI: `make test` installs default-jdk-headless")
        pytest.skip("PySpark needs Java, which is not installed here (`make test` installs it)")
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("dashboard-tests")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def connect(request):
    """A function giving a fresh connection to the named backend."""

    def connection(backend: str):
        import ibis

        if backend == "duckdb":
            return ibis.duckdb.connect()
        return ibis.pyspark.connect(request.getfixturevalue("spark"))

    return connection


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Network:
    from bench.generate import generate

    folder = generate(2_000, tmp_path_factory.mktemp("synthetic"))
    return Network.from_dataset(load_or_raise(folder, today=TODAY))


@pytest.fixture(scope="module")
def several_sources(tmp_path_factory) -> Network:
    rows = (
        "Iran,Hamas,funds,2001,2003,q1,Airwars; BBC,,,,\n"
        "Iran,Hamas,funds,2002,,q2,BBC,,,,\n"
        "Hamas,Iran,fights,2002,,q3,Reuters; Airwars,,,,\n"
        "Iran,Hamas,fights,,,q4,AP,denies,,,\n"
        "Iran,,announces,2005,,q5,AP; BBC,,,,\n"
        "Hamas,Hezbollah,trains,1999,2001,q6,BBC,,,,\n"
    )
    folder = write_data(tmp_path_factory.mktemp("several"), HEADER + rows)
    overrides = LoadOverrides(list_columns=("source",))
    return Network.from_dataset(load_or_raise(folder, overrides, today=TODAY))


@pytest.fixture(scope="module")
def dense(tmp_path_factory) -> Network:
    """Few actors, many claims per edge: pages, ties of date and source (in any case),
    undated claims, denials, and cooperation against conflict between the same pairs."""
    rng = np.random.default_rng(12)
    actors, relations = ["Iran", "Hamas", "Hezbollah", "Syria"], ["funds", "fights", "arms"]
    sources = ["BBC", "bbc", "AP", "Reuters", "al Jazeera"]
    rows = []
    for i in range(160):
        a, b = rng.choice(len(actors), 2, replace=False)
        start = int(rng.integers(1995, 2021)) if rng.random() > 0.2 else None
        end = start + int(rng.integers(0, 4)) if start and rng.random() > 0.5 else None
        quote = f"Report {i % 13} says {rng.choice(['the', 'THE', '50%', 'a_b', 'no'])} {i}"
        rows.append(
            ",".join(
                [
                    actors[a],
                    actors[b] if rng.random() > 0.05 else "",
                    str(rng.choice(relations)),
                    "" if start is None else str(start),
                    "" if end is None else str(end),
                    quote,
                    str(rng.choice(sources)),
                    "denies" if rng.random() < 0.1 else "",
                    f"doc {i % 7}",
                    "",
                    "",
                ]
            )
        )
    folder = write_data(tmp_path_factory.mktemp("dense"), HEADER + "\n".join(rows) + "\n")
    return Network.from_dataset(load_or_raise(folder, today=TODAY))


_published: dict[tuple[str, int], PortableClaims] = {}


def engine_for(connect, backend: str, network: Network, table: str) -> PortableClaims:
    """The network's claims published once per backend and table, for every test."""
    key = (backend, id(network))
    if key not in _published:
        _published[key] = PortableClaims.publish(network, connect(backend), table)
    return _published[key]


def all_states(network: Network) -> list[FilterState]:
    """The DuckDB engine's table of filters, and the type rule 'either end'."""
    types = network.actor_types.tolist()
    return [
        *states_for(network),
        FilterState(actor_types=frozenset(types[:2]), type_match="either"),
    ]


def agree(network: Network, engine: PortableClaims, state: FilterState) -> None:
    expected = apply_filters(network, state)
    found = engine.edge_view(state)
    for name in ARRAYS:
        assert np.array_equal(getattr(found, name), getattr(expected, name)), (name, state)
    assert found.n_claims == expected.n_claims, state


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_bundled_data_agrees_on_every_filter(connect, network, backend):
    engine = engine_for(connect, backend, network, "bundled")
    for state in all_states(network):
        agree(network, engine, state)


# Spark compiles the same expressions as DuckDB: the bundled data's filter table, several
# sources per claim, evidence pages, cards and hops run on both; the larger synthetic
# set on DuckDB only, which keeps Spark's share of the suite near a minute.
@pytest.mark.parametrize("backend", ["duckdb"])
def test_synthetic_data_agrees_on_every_filter(connect, synthetic, backend):
    engine = engine_for(connect, backend, synthetic, "synthetic")
    for state in all_states(synthetic):
        agree(synthetic, engine, state)


@pytest.mark.parametrize("backend", BACKENDS)
def test_claims_citing_several_sources_agree(connect, several_sources, backend):
    assert several_sources.source_pairs is not None
    engine = engine_for(connect, backend, several_sources, "several")
    for state in [
        *all_states(several_sources),
        FilterState(sources=frozenset({"BBC"})),
        FilterState(sources=frozenset({"Airwars"}), min_sources=1),
        FilterState(sources=frozenset({"Airwars", "BBC"}), min_sources=2),
    ]:
        agree(several_sources, engine, state)


def evidence_cases(network: Network):
    """(state, edge, page, order, search) for the three busiest edges: every page of each
    in both orders, and searches (some with LIKE's wildcards) on the first two pages."""
    busy = np.argsort(network.edge_claim_totals, kind="stable")[::-1][:3].tolist()
    sources = frozenset(network.sources.tolist()[:3])
    narrowed = FilterState(years=(2000, 2015), sources=sources)
    for edge in busy:
        for page in range(-(-int(network.edge_claim_totals[edge]) // PER_PAGE) + 1):
            yield FilterState(), edge, page, "date", ""
            yield narrowed, edge, page, "source", ""
        for search in ("the", "REPORT 1", "%", "_", "bbc"):
            for page in (0, 1):
                yield FilterState(), edge, page, "date", search


PER_PAGE = 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_evidence_pages_are_the_same(connect, dense, backend):
    engine = engine_for(connect, backend, dense, "dense")
    views = {}
    later_pages = 0
    for state, edge, page, order, search in evidence_cases(dense):
        view = views.get(state) or views.setdefault(state, apply_filters(dense, state))
        expected = edge_evidence(view, edge, page, PER_PAGE, order, search)
        found = engine.evidence(edge, state, page, PER_PAGE, order, search)
        case = (state, edge, page, order, search)
        assert found.claims.index.tolist() == [c.claim_id for c in expected.claims], case
        assert found.claims["quote"].tolist() == [c.quote for c in expected.claims], case
        assert (found.total, found.hidden, found.page) == (
            expected.total,
            expected.hidden,
            expected.page,
        ), case
        later_pages += found.page > 0 and len(found.claims) > 0
    assert later_pages >= 10  # the cases reach beyond the first page


def data_sets(backend: str, network: Network, synthetic: Network) -> list:
    both = [(network, "bundled"), (synthetic, "synthetic")]
    return both if backend == "duckdb" else both[:1]


def card_counts(network: Network, state: FilterState, actor: int):
    card = actor_card(apply_filters(network, state), actor)
    lines = sorted(
        (line.edge, line.shown, line.total) for lines in card.relations.values() for line in lines
    )
    ones = tuple(c.claim_id for c in card.one_sided)
    return tuple(lines), ones, card.shown_claims, card.total_claims


@pytest.mark.parametrize("backend", BACKENDS)
def test_actor_cards_are_the_same(connect, network, synthetic, backend):
    for net, table in data_sets(backend, network, synthetic):
        engine = engine_for(connect, backend, net, table)
        hubs = np.argsort(np.bincount(net.claim_from, minlength=net.n_actors))[::-1][:2]
        lonely = np.flatnonzero(
            np.bincount(net.claim_from[net.claim_to < 0], minlength=net.n_actors)
        )
        for actor in sorted({*hubs.tolist(), *lonely[:2].tolist()}):
            for state in all_states(net)[::2]:
                found = engine.actor_card(actor, state)
                got = (found.edges, found.one_sided, found.shown_claims, found.total_claims)
                assert got == card_counts(net, state, actor), (actor, state)


@pytest.mark.parametrize("backend", BACKENDS)
def test_path_hops_are_the_same(connect, network, synthetic, backend):
    for net, table in data_sets(backend, network, synthetic):
        engine = engine_for(connect, backend, net, table)
        for state in all_states(net)[::2]:
            view = apply_filters(net, state)
            for directed in (False, True):
                graph = hop_graph(view, directed)
                present = np.flatnonzero(graph.hop_claims > 0)
                keys = graph.pairs.keys[present]
                found = engine.hop_pairs(state, directed)
                case = (state, directed)
                assert found.heads.tolist() == (keys // net.n_actors).tolist(), case
                assert found.tails.tolist() == (keys % net.n_actors).tolist(), case
                assert found.claims.tolist() == graph.hop_claims[present].tolist(), case
                assert found.sources.tolist() == graph.hop_sources[present].tolist(), case


def test_the_engine_needs_no_claims_in_memory(connect, network):
    """Beside the table, the engine holds the edge and actor index only."""
    engine = engine_for(connect, "duckdb", network, "bundled")
    assert engine.network.n_claims == 0
    assert len(engine.network.edges) == len(network.edges)


def test_an_engine_is_reached_by_its_url(network, tmp_path):
    """Published into a DuckDB file, then reached as a cluster would be: by URL."""
    import ibis

    url = f"duckdb://{tmp_path / 'claims.ddb'}"
    publisher = ibis.connect(url)
    PortableClaims.publish(network, publisher, "claims")
    publisher.disconnect()
    engine = PortableClaims.connect(url, network)
    agree(network, engine, FilterState(years=(2000, 2010), min_sources=2))
    engine.connection.disconnect()
