"""Benchmark: the portable (Ibis) engine against the DuckDB engine and the in-memory one.

    python bench/portable.py --claims 100000            # DuckDB through Ibis, and Spark
    python bench/portable.py --claims 100000 --no-spark

On synthetic claims (bench/generate.py): publishing the claims; then, per engine, the
median of 3 runs of each question: the unfiltered view, a time range + sources, a
minimum of 2 sources, a focus, an evidence page, an actor card and the path hop pairs.
Spark runs in local mode on the machine's cores (a cluster spreads the same plans over
its executors). Prints one line per engine and question, in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.generate import generate
from dashboard.data import load_or_raise
from dashboard.graph import Network
from dashboard.query.duck import DuckClaims
from dashboard.query.evidence import actor_card, edge_evidence
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.paths import hop_graph
from dashboard.query.portable import PortableClaims


def median_time(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def questions(net: Network):
    hub = int(np.argmax(np.bincount(net.claim_from, minlength=net.n_actors)))
    busiest = int(np.argmax(net.edge_claim_totals))
    ranged = FilterState(years=(2000, 2015), sources=frozenset(net.sources[:5].tolist()))
    return (
        hub,
        busiest,
        {
            "all": FilterState(),
            "range+sources": ranged,
            "min 2 sources": FilterState(min_sources=2),
            "focus": FilterState(focus=net.actor_ids[hub], depth=2),
        },
    )


def run(engine_name: str, engine, net: Network) -> None:
    hub, busiest, states = questions(net)
    for name, state in states.items():
        seconds = median_time(lambda s=state: engine.edge_view(s))
        print(f"{engine_name:12} view {name:14} {seconds:7.3f}", flush=True)
    seconds = median_time(lambda: engine.evidence(busiest, FilterState(), 1, 50))
    print(f"{engine_name:12} evidence page       {seconds:7.3f}", flush=True)
    if hasattr(engine, "actor_card"):
        seconds = median_time(lambda: engine.actor_card(hub, FilterState()))
        print(f"{engine_name:12} actor card          {seconds:7.3f}", flush=True)
        seconds = median_time(lambda: engine.hop_pairs(FilterState()))
        print(f"{engine_name:12} hop pairs           {seconds:7.3f}", flush=True)


def run_in_memory(net: Network) -> None:
    hub, busiest, states = questions(net)
    for name, state in states.items():
        seconds = median_time(lambda s=state: apply_filters(net, s))
        print(f"{'in-memory':12} view {name:14} {seconds:7.3f}", flush=True)
    view = apply_filters(net, FilterState())
    seconds = median_time(lambda: edge_evidence(view, busiest, 1, 50))
    print(f"{'in-memory':12} evidence page       {seconds:7.3f}", flush=True)
    seconds = median_time(lambda: actor_card(view, hub))
    print(f"{'in-memory':12} actor card          {seconds:7.3f}", flush=True)
    seconds = median_time(lambda: hop_graph(view, False))
    print(f"{'in-memory':12} hop pairs           {seconds:7.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--no-spark", action="store_true")
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    import ibis

    with tempfile.TemporaryDirectory() as folder:
        net = Network.from_dataset(load_or_raise(generate(options.claims, Path(folder))))
        print(f"{options.claims:,} claims, {len(net.edges):,} edges, {net.n_actors:,} actors")
        run_in_memory(net)
        run("duckdb", DuckClaims.from_network(net), net)
        began = time.perf_counter()
        portable = PortableClaims.publish(net, ibis.duckdb.connect())
        print(f"{'ibis-duckdb':12} publish             {time.perf_counter() - began:7.3f}")
        run("ibis-duckdb", portable, net)
        if not options.no_spark:
            from pyspark.sql import SparkSession

            session = (
                SparkSession.builder.master("local[*]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", str(Path(folder) / "warehouse"))
                .getOrCreate()
            )
            session.sparkContext.setLogLevel("ERROR")
            began = time.perf_counter()
            spark = PortableClaims.publish(net, ibis.pyspark.connect(session))
            print(f"{'ibis-spark':12} publish             {time.perf_counter() - began:7.3f}")
            run("ibis-spark", spark, net)
            session.stop()


if __name__ == "__main__":
    main()
