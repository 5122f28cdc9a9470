"""Benchmark: the DuckDB engine at millions of claims (2M-10M), against numpy where it fits.

    python bench/large.py --sizes 2000000 10000000
    make bench SIZES=10000000        # sizes from LARGE_CLAIMS up run here

Per size, in a fresh process: the claims CSV goes straight into a DuckDB database file
(``read_csv``, then codes for actors, relations, sources and edges by SQL, in the same
order the Network numbers them), *without the loader's checks* (see below); the edge and
actor index is read back into memory; then filter steps (the full view, a narrow and a
broad time range + sources, a focus on the busiest actor, a minimum of two sources) and
evidence pages (first page of the busiest edge, page 3, a search) are timed, each the
median of 3. Peak memory is the process's own high-water mark (DuckDB runs inside it).
Below ``--numpy-up-to`` claims the same data is also loaded by the real loader, and the
in-memory engine's filter steps are timed beside DuckDB's.

What this does not do: the loader's validation at these sizes. The loader checks every
row with the whole file in memory (1M claims: about 1.2 GB at its peak), which does not
fit 10M claims in 6 GB; validating in chunks is not done yet. Claim ids here are row
numbers, not the loader's content hashes.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from bench.generate import SOURCES  # noqa: E402
from bench.run import data_folder  # noqa: E402

REPEATS = 3


def ingest(folder: Path, database: Path, today: str = "2026-11-28") -> None:
    """The CSV files into a DuckDB database file, with the codes the engine reads."""
    import duckdb

    from dashboard.data.families import RelationFamilies

    database.unlink(missing_ok=True)
    db = duckdb.connect(str(database))
    db.execute("SET memory_limit = '3GB'")
    db.execute(
        """CREATE MACRO first_day(t) AS CAST(CASE length(t) WHEN 4 THEN t || '-01-01'
               WHEN 7 THEN t || '-01' ELSE t END AS DATE) - DATE '1970-01-01';
           CREATE MACRO last_day_of(t) AS CASE length(t)
               WHEN 4 THEN CAST(t || '-12-31' AS DATE)
               WHEN 7 THEN last_day(CAST(t || '-01' AS DATE))
               ELSE CAST(t AS DATE) END - DATE '1970-01-01';"""
    )
    db.execute(
        f"""CREATE TABLE actors AS
        SELECT row_number() OVER () - 1 AS code, * FROM read_csv('{folder}/actors.csv',
            all_varchar = true, header = true)"""
    )
    db.execute(
        f"""CREATE TEMP TABLE raw AS
        SELECT row_number() OVER () - 1 AS row, * FROM read_csv('{folder}/relations.csv',
            all_varchar = true, header = true, quote = '"', escape = '"')"""
    )
    query = "SELECT DISTINCT relation FROM raw ORDER BY 1"
    relations = [r for (r,) in db.execute(query).fetchall()]
    families = RelationFamilies.for_relations(np.array(relations, dtype=object), None)
    codes = pd.DataFrame(
        {
            "relation": relations,
            "relation_code": np.arange(len(relations), dtype=np.int32),
            "polarity": [families.polarity_of(r) for r in relations],
        }
    )
    db.register("relation_frame", codes)
    db.execute("CREATE TABLE relation_codes AS SELECT * FROM relation_frame")
    db.execute(
        """CREATE TABLE source_codes AS SELECT source, row_number() OVER (ORDER BY source) - 1
        AS source_code FROM (SELECT DISTINCT source FROM raw)"""
    )
    db.execute(
        """CREATE TABLE type_codes AS SELECT type, row_number() OVER (ORDER BY type) - 1
        AS type_code FROM (SELECT DISTINCT type FROM actors)"""
    )
    db.execute(
        f"""CREATE TEMP TABLE coded AS
        SELECT r.row, a.code AS from_code, coalesce(b.code, -1) AS to_code,
               ta.type_code AS from_type, coalesce(tb.type_code, -1) AS to_type,
               rc.relation_code, rc.polarity, sc.source_code, r.stance = 'denies' AS denies,
               CASE WHEN coalesce(r.start, '') = '' THEN NULL ELSE first_day(r.start) END
                   AS start_day,
               CASE WHEN coalesce(r.start, '') = '' THEN NULL
                    WHEN r."end" = 'present' THEN DATE '{today}' - DATE '1970-01-01'
                    WHEN coalesce(r."end", '') = '' THEN last_day_of(r.start)
                    ELSE last_day_of(r."end") END AS end_day,
               r.quote, r.source, r.stance, r.start, r."end", r.document, r.url,
               r.published, r.row + 2 AS line
        FROM raw r JOIN actors a ON a.name = r."from"
        LEFT JOIN actors b ON b.name = r."to"
        JOIN type_codes ta ON ta.type = a.type LEFT JOIN type_codes tb ON tb.type = b.type
        JOIN relation_codes rc ON rc.relation = r.relation
        JOIN source_codes sc ON sc.source = r.source"""
    )
    db.execute("DROP TABLE raw")
    db.execute(
        """CREATE TABLE edges AS
        SELECT row_number() OVER (ORDER BY from_code, to_code, relation_code) - 1 AS edge,
               from_code, to_code, relation_code
        FROM (SELECT DISTINCT from_code, to_code, relation_code FROM coded WHERE to_code >= 0)"""
    )
    n_actors = db.execute("SELECT count(*) FROM actors").fetchone()[0]
    db.execute(
        f"""CREATE TABLE claims AS
        SELECT c.row, coalesce(e.edge, -1) AS edge, c.from_code, c.to_code, c.from_type,
               c.to_type, c.relation_code, c.source_code, c.denies, c.start_day, c.end_day,
               least(c.from_code, c.to_code) * ({n_actors} + 1)
                   + greatest(c.from_code, c.to_code) AS pair,
               c.polarity, c.polarity > 0 AS positive, 'r' || c.row AS claim_id, c.quote,
               c.source, c.stance, c.start, c."end", c.document, c.url, c.published,
               false AS verified, c.line, 1 AS row_claims,
               CAST(DATE '1970-01-01' + CAST(c.start_day AS INTEGER) AS TIMESTAMP)
                   AS span_start
        FROM coded c LEFT JOIN edges e ON e.from_code = c.from_code
             AND e.to_code = c.to_code AND e.relation_code = c.relation_code
        ORDER BY edge, row"""
    )
    db.execute("DROP TABLE coded")
    # Pairs of actors asserted in both families: only their claims can contradict.
    db.execute(
        """ALTER TABLE claims ADD COLUMN mixed BOOLEAN DEFAULT false;
        UPDATE claims SET mixed = true WHERE polarity <> 0 AND NOT denies AND edge >= 0
            AND pair IN (SELECT pair FROM claims WHERE polarity <> 0 AND NOT denies
                         AND edge >= 0 GROUP BY pair
                         HAVING bool_or(positive) AND bool_or(NOT positive))"""
    )
    db.execute("CHECKPOINT")
    db.close()


def _ingest_and_keep_full_view(folder: Path, database: Path) -> None:
    ingest(folder, database)
    duck = open_engine(database, read_only=False)
    duck.keep_full_view()
    duck.close()


def open_engine(database: Path, read_only: bool = True):
    """The engine on the database file, with the edge and actor index in memory."""
    import duckdb

    from dashboard.data.families import RelationFamilies
    from dashboard.graph import Network
    from dashboard.query.duck import MEMORY_LIMIT, DuckClaims

    db = duckdb.connect(str(database), read_only=read_only)
    db.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    actors = db.execute("SELECT id, name, type FROM actors ORDER BY code").df().set_index("id")
    edges = db.execute("SELECT from_code, to_code, relation_code FROM edges ORDER BY edge").df()

    def names(sql: str) -> np.ndarray:
        return np.array([value for (value,) in db.execute(sql).fetchall()], dtype=object)

    relations = names("SELECT relation FROM relation_codes ORDER BY relation_code")
    sources = names("SELECT source FROM source_codes ORDER BY source_code")
    types = names("SELECT type FROM type_codes ORDER BY type_code")
    none32, none64 = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    network = Network(  # the index only: the claims stay in DuckDB
        actors=actors,
        claims=pd.DataFrame(index=pd.RangeIndex(0)),
        edges=pd.DataFrame(
            {
                "from": edges["from_code"].to_numpy(np.int32),
                "to": edges["to_code"].to_numpy(np.int32),
                "relation_code": edges["relation_code"].to_numpy(np.int32),
                "relation": relations[edges["relation_code"].to_numpy()],
            }
        ),
        sources=sources,
        relations=relations,
        actor_types=types,
        claim_from=none32,
        claim_to=none32,
        claim_edge=none32,
        claim_source=none32,
        claim_relation=none32,
        claim_denies=np.zeros(0, dtype=bool),
        claim_start_day=none64,
        claim_end_day=none64,
        actor_type=pd.Index(types).get_indexer(actors["type"]).astype(np.int32),
        families=RelationFamilies.for_relations(relations, None),
        relation_family=np.zeros(len(relations), dtype=np.int16),
    )
    return DuckClaims(db, network)


def timed(function, *args, repeats: int = 1):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(*args)
        seconds.append(time.perf_counter() - start)
    return result, statistics.median(seconds)


def states(network, hub: str):
    from dashboard.query.filters import FilterState

    return {
        "all claims": FilterState(),
        "narrow: 2000-2010, one source": FilterState(
            years=(2000, 2010), sources=frozenset({"Reuters"})
        ),
        "broad: 1995-2020, ten sources": FilterState(
            years=(1995, 2020), sources=frozenset(sorted(SOURCES)[:10])
        ),
        "focus on the busiest actor, depth 2": FilterState(focus=hub, depth=2),
        "at least 2 sources per edge": FilterState(min_sources=2),
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(size: int, numpy_up_to: int) -> dict:
    from dashboard.query.filters import FilterState

    folder = data_folder(size)
    database = OUT / f"claims-{size}.duckdb"
    result: dict = {"claims": size}
    _, result["ingest_s"] = timed(_ingest_and_keep_full_view, folder, database)
    result["ingest_peak_mb"] = peak_mb()
    duck, result["open_s"] = timed(open_engine, database)
    net = duck.network
    result["actors"], result["edges"] = net.n_actors, len(net.edges)
    result["database_mb"] = database.stat().st_size / 1e6
    degree = np.bincount(net.edge_from, minlength=net.n_actors)
    hub = str(net.actor_ids[int(np.argmax(degree))])
    steps = {}
    for name, state in states(net, hub).items():
        view, seconds = timed(duck.edge_view, state, repeats=REPEATS)
        steps[name] = {"s": seconds, "edges": int(view.edge_mask.sum()), "claims": view.n_claims}
    result["filters"] = steps
    busiest = int(
        duck._db.execute(
            "SELECT edge FROM claims WHERE edge >= 0 GROUP BY edge ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    )
    evidence = {}
    for name, args in {
        "first page of the busiest edge": (busiest, FilterState(), 0),
        "its page 3": (busiest, FilterState(), 2),
        "its first page, 2000-2010": (busiest, FilterState(years=(2000, 2010)), 0),
    }.items():
        _, evidence[name] = timed(duck.evidence, *args, repeats=REPEATS)
    _, evidence["a search in it"] = timed(
        lambda: duck.evidence(busiest, FilterState(), 0, 50, "date", "weapons"), repeats=REPEATS
    )
    result["evidence"] = evidence
    result["peak_mb"] = peak_mb()  # before the in-memory engine's load below
    if size <= numpy_up_to:
        result["numpy"] = _numpy_steps(folder, hub, steps)
    return result


def _numpy_steps(folder: Path, hub: str, duck_steps: dict) -> dict:
    """The in-memory engine on the same data, through the real loader (and its cache, in
    bench/out/cache); whether it shows the same numbers of edges and claims."""
    from dashboard.data.cache import load_cached
    from dashboard.graph import Network
    from dashboard.query.filters import apply_filters

    loaded, load_s = timed(load_cached, folder, (), None, False, OUT / "cache")
    network = Network.from_dataset(loaded.dataset)
    steps = {"load_s": load_s, "from_cache": loaded.from_cache, "same": True}
    for name, state in states(network, hub).items():
        view, steps[name] = timed(apply_filters, network, state, repeats=REPEATS)
        shown = {"edges": view.n_edges, "claims": view.n_claims}
        steps["same"] &= shown == {k: duck_steps[name][k] for k in shown}
    steps["peak_mb"] = peak_mb()
    return steps


def table(results: list[dict]) -> str:
    sizes = [f"{r['claims']:,} claims" for r in results]
    lines = ["| measure | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]

    def row(label, values):
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("actors / edges", [f"{r['actors']:,} / {r['edges']:,}" for r in results])
    row(
        "first load: CSV into DuckDB (unchecked), unfiltered view kept, s",
        [f"{r['ingest_s']:.1f}" for r in results],
    )
    row("database file, MB", [f"{r['database_mb']:,.0f}" for r in results])
    row(
        "start: open it, index and the unfiltered view into memory, s",
        [f"{r['open_s']:.2f}" for r in results],
    )
    for name in results[0]["filters"]:
        row(f"filter, DuckDB: {name}, s", [f"{r['filters'][name]['s']:.2f}" for r in results])
        row(
            f"filter, numpy: {name}, s",
            [f"{r['numpy'][name]:.2f}" if "numpy" in r else "—" for r in results],
        )
    for name in results[0]["evidence"]:
        row(f"evidence: {name}, s", [f"{r['evidence'][name]:.3f}" for r in results])
    row(
        "same edges and claims shown by both engines",
        [("yes" if r["numpy"]["same"] else "NO") if "numpy" in r else "—" for r in results],
    )
    row("peak memory, MB (DuckDB engine)", [f"{r['peak_mb']:,.0f}" for r in results])
    row(
        "numpy engine: load (cache) s / peak MB",
        [
            f"{r['numpy']['load_s']:.1f} ({'hit' if r['numpy']['from_cache'] else 'miss'}) / "
            f"{r['numpy']['peak_mb']:,.0f}"
            if "numpy" in r
            else "—"
            for r in results
        ],
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000_000])
    parser.add_argument("--numpy-up-to", type=int, default=2_000_000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=OUT / "large.json")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.numpy_up_to)))
        return
    from bench.processes import load_average, machine

    before = load_average()
    results = []
    for size in args.sizes:
        data_folder(size)
        print(f"measuring {size:,} claims with DuckDB ...", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--numpy-up-to", str(args.numpy_up_to)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"measuring {size} claims failed")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    summary = {"machine": machine(), "load_before": before, "load_after": load_average()}
    summary["results"] = results
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2))
    print(f"load average {summary['load_before']} before, {summary['load_after']} after\n")
    print(table(results))


if __name__ == "__main__":
    main()
