"""Benchmark: paths between two actors (k=5, at most 4 hops) against networkx, in one run.

    python bench/paths.py                 # 100,000 claims (20,000 actors)
    python bench/paths.py --claims 10000
    make bench-paths

On synthetic data (bench/generate.py), for seeded random pairs of actors that some path
of at most 4 hops joins, per pair (median of 3 runs):

- ours, query: ``find_paths`` over the claims that pass the filters (the hop graph built
  from the filtered claims, distances, enumeration, ranking, each hop's details); and the
  search alone (``ranked_paths``) on a hop graph built beforehand, as networkx's is;
- ours, callback: the page's whole answer server-side (``show_paths``: filters applied,
  paths found, every hop's evidence rendered as components; its memo emptied first) and
  the map's Patch (``draw_path``, which finds the list's answer in the memo, as in the page);
- networkx: ``shortest_simple_paths`` (Yen's algorithm), the first 5, on the same hop graph
  (as an ``nx.Graph``, or ``nx.DiGraph`` when directed), built beforehand and timed
  apart. It does not rank ties or stop at 4 hops; the hop counts of its 5 paths must
  equal ours, which the run checks. Two ratios: the two searches on graphs built
  beforehand, and networkx with its graph built per query (as filters that change the
  claims would need) against our whole query, which builds its hop graph every time.

Pairs with no path within 4 hops are timed too (ours then also works out which limit or
filter hides one). Prints a table and writes bench/out/paths.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from bench.run import data_folder, machine  # noqa: E402
from dashboard.data import load_or_raise  # noqa: E402
from dashboard.graph import BetweennessCache, Network  # noqa: E402
from dashboard.positions.cache import LayoutCache  # noqa: E402
from dashboard.positions.compute import DEFAULT_LAYOUT  # noqa: E402
from dashboard.query.filters import FilterState, apply_filters  # noqa: E402
from dashboard.query.paths import PathQuery, find_paths, hop_graph, ranked_paths  # noqa: E402
from dashboard.query.view_state import ViewState  # noqa: E402
from dashboard.web.callbacks import render_view  # noqa: E402
from dashboard.web.paths_panel import _answer, draw_path, show_paths  # noqa: E402
from dashboard.web.wiring import AppContext, Trigger  # noqa: E402

K, HOPS, REPEATS = 5, 4, 3


def timed(function, *args, before=None) -> tuple[object, float, float]:
    """The result, and the median wall and CPU times of ``REPEATS`` calls, in seconds
    (``before`` runs untimed before each call). CPU time is this process's own: on a
    shared machine it shows what waiting for the processor hides."""
    walls, cpus = [], []
    for _ in range(REPEATS):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def networkx_graph(view, directed: bool) -> nx.Graph:
    graph = hop_graph(view, directed)
    pairs = np.column_stack([graph.pairs.keys // graph.n_actors, graph.pairs.keys % graph.n_actors])
    built = nx.DiGraph() if directed else nx.Graph()
    built.add_nodes_from(range(graph.n_actors))
    built.add_edges_from(pairs[graph.hop_claims > 0].tolist())
    return built


def pick_pairs(view, directed: bool, count: int, connected: bool, seed: int) -> list[tuple]:
    """Seeded random (start, end) actor codes, joined within ``HOPS`` or not at all."""
    graph = hop_graph(view, directed)
    rng = np.random.default_rng(seed)
    touching = np.flatnonzero(view.node_degrees > 0)
    pairs: list[tuple] = []
    while len(pairs) < count:
        start, end = (int(c) for c in rng.choice(touching, 2, replace=False))
        near = np.isfinite(graph.distances(start, HOPS)[end])
        if near == connected:
            pairs.append((start, end))
    return pairs


def measure(claims: int, pairs_per_kind: int) -> dict:
    network = Network.from_dataset(load_or_raise(data_folder(claims)))
    layouts = LayoutCache(network)
    layouts.get(DEFAULT_LAYOUT)
    context = AppContext(network, layouts, "bench", None, BetweennessCache())
    figure_roles = render_view(context, ViewState(), None, None)["roles"]
    view = apply_filters(network, FilterState())
    rows = []
    for directed in (False, True):
        start = time.perf_counter()
        graph = networkx_graph(view, directed)
        nx_build = time.perf_counter() - start
        hops = hop_graph(view, directed)
        for connected in (True, False):
            for a, b in pick_pairs(view, directed, pairs_per_kind, connected, seed=7):
                ids = network.actor_ids
                query = PathQuery(ids[a], ids[b], HOPS, directed, K)
                state = ViewState(path=query)
                result, ours, ours_cpu = timed(find_paths, view, query, FilterState())
                _, prebuilt, _ = timed(ranked_paths, hops, a, b, HOPS, K, ids)
                # The list cold (its memo emptied); then the map, which the page asks at
                # the same time and which finds the list's answer in the memo.
                _, callback, callback_cpu = timed(
                    show_paths, context, state, before=_answer.cache_clear
                )
                _, patch, _ = timed(draw_path, context, state, None, figure_roles, Trigger())
                row = {
                    "directed": directed,
                    "connected": connected,
                    "hops": [p.n_hops for p in result.paths],
                    "ours_s": ours,
                    "ours_cpu_s": ours_cpu,
                    "prebuilt_s": prebuilt,
                    "callback_s": callback,
                    "callback_cpu_s": callback_cpu,
                    "patch_s": patch,
                }
                if connected:
                    found, theirs, _ = timed(
                        lambda: list(islice(nx.shortest_simple_paths(graph, a, b), K))  # noqa: B023
                    )
                    nx_hops = [len(p) - 1 for p in found]
                    assert sorted(row["hops"]) == nx_hops[: len(row["hops"])], (row, nx_hops)
                    row |= {"networkx_s": theirs, "networkx_build_s": nx_build}
                rows.append(row)
    return {"claims": claims, "actors": network.n_actors, "edges": len(network.edges), "rows": rows}


def summarise(rows: list[dict]) -> list[tuple[str, str]]:
    lines = []
    for directed in (False, True):
        for connected in (True, False):
            group = [r for r in rows if r["directed"] == directed and r["connected"] == connected]
            label = ("directed" if directed else "undirected") + (
                "" if connected else ", no path within 4 hops"
            )

            def stat(key: str, rows=group) -> str:
                values = [r[key] for r in rows]
                return f"{1000 * statistics.median(values):.1f} / {1000 * max(values):.1f}"

            cells = [
                stat("ours_s"),
                stat("ours_cpu_s"),
                stat("prebuilt_s"),
                stat("callback_s"),
                stat("callback_cpu_s"),
                stat("patch_s"),
            ]
            if connected:
                search = [r["networkx_s"] / r["prebuilt_s"] for r in group]
                built = [(r["networkx_s"] + r["networkx_build_s"]) / r["ours_s"] for r in group]
                cells += [
                    stat("networkx_s"),
                    f"{statistics.median(search):.2f}x",
                    f"{statistics.median(built):.0f}x",
                ]
            else:
                cells += ["—", "—", "—"]
            lines.append((f"{label} ({len(group)} pairs)", " | ".join(cells)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=20, help="pairs per kind of query")
    parser.add_argument("--json", type=Path, default=OUT / "paths.json")
    args = parser.parse_args()
    result = measure(args.claims, args.pairs)
    summary = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), **result}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2))
    builds = {
        r["directed"]: r["networkx_build_s"] for r in result["rows"] if "networkx_build_s" in r
    }
    print(
        f"{summary['machine']}, {summary['date']}: {result['claims']:,} claims, "
        f"{result['actors']:,} actors, {result['edges']:,} edges; k={K}, at most {HOPS} hops\n"
    )
    print(
        "| queries (ms: median / max) | ours: query | ours: query, CPU "
        "| ours: search on a built hop graph | ours: page's list | ours: page's list, CPU "
        "| ours: map patch | networkx shortest_simple_paths on a built graph "
        "| networkx / ours, searches on built graphs | networkx with its graph built / ours, query |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, cells in summarise(result["rows"]):
        print(f"| {label} | {cells} |")
    print(
        f"\nnetworkx graph build (once, not in its timings): undirected "
        f"{1000 * builds[False]:.0f} ms, directed {1000 * builds[True]:.0f} ms"
    )
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
