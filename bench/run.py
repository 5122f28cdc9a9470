"""Benchmark: the dashboard's server side at 1k-1M claims, against the naive recipe.

    python bench/run.py                      # 1k, 10k, 100k claims
    python bench/run.py --sizes 1000000      # or any sizes
    make bench

Per size, in a fresh process (so that peak memory is that size's own): the first load
(read, check, write the load cache), the reopen (from that cache); network build; layout
cold and cached; startup with a cached load and layout; the initial figure, each with its
wall and CPU time and the process's memory after it;
a filter interaction (time range + source) through the running Dash server's callback
endpoint, JSON and compression included; bytes sent for the initial view and per
interaction, raw and on the wire; peak memory of this process and its layout child. Then
the naive recipe (see bench/naive.py) on the same data, its bytes raw and as the same
compression would send them. Prints a table, then how each step's time and memory grow
from one size to the next (time ~ claims^k), and writes bench/out/results.json.

Sizes from 2,000,000 claims up run bench/large.py instead: the claims in DuckDB.

This times the server only: one figure callback, no browser. bench/browser.py measures
what the user waits for.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from bench.generate import SOURCES, generate  # noqa: E402

# Two filter changes a user makes: a narrow one (few claims pass) and a broad one.
INTERACTIONS = {
    "narrow": {"years": [2000, 2010], "sources": ["Reuters"]},
    "broad": {"years": [1995, 2020], "sources": sorted(SOURCES)[:10]},
}
REPEATS = 9
# From this many claims the bench measures the DuckDB engine (bench/large.py) instead.
LARGE_CLAIMS = 2_000_000


def data_folder(size: int) -> Path:
    folder = OUT / f"data-{size}"
    if not (folder / "relations.csv").is_file():
        print(f"generating {size:,} claims ...", file=sys.stderr)
        generate(size, folder)
    return folder


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


class Steps:
    """Each step's wall and CPU time, the process's memory after it and its peak so far."""

    def __init__(self, result: dict):
        import psutil

        self._result = result
        self._process = psutil.Process()

    def __call__(self, name: str, function, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        value = function(*args, **kwargs)
        self._result[f"{name}_s"] = time.perf_counter() - wall
        self._result[f"{name}_cpu_s"] = time.process_time() - cpu
        self._result[f"{name}_rss_mb"] = self._process.memory_info().rss / 2**20
        self._result[f"{name}_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return value


def measure_one(size: int, naive_layout_timeout: float) -> dict:
    """Everything for one size; runs in its own process."""
    from bench.processes import MemorySampler

    memory = MemorySampler(os.getpid())  # this process and its layout child, together
    from dashboard.data.cache import load_cached
    from dashboard.draw.figures import build_figure
    from dashboard.graph import Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.query.filters import FilterState, apply_filters
    from dashboard.web.app import create_app

    folder = data_folder(size)
    result: dict = {"claims": size}
    step = Steps(result)
    with tempfile.TemporaryDirectory() as cache:
        # The first load reads and checks the CSV, and writes the load cache; a reopen
        # (a second start) reads the cache.
        loaded = step("load", load_cached, folder, (), None, False, Path(cache))
        dataset = loaded.dataset
        assert dataset is not None, loaded.report.format(5)
        result["actors"] = len(dataset.actors)
        network = step("graph", Network.from_dataset, dataset)
        result["edges"] = len(network.edges)
        step("layout_cold", LayoutCache(network, Path(cache)).get, "force")
        started = time.perf_counter()
        again = step("reopen", load_cached, folder, (), None, False, Path(cache))
        assert again.from_cache
        dataset_again = again.dataset
        layouts = LayoutCache(Network.from_dataset(dataset_again), Path(cache))
        step("layout_cached", layouts.get, "force")
        app = create_app(dataset_again, layouts)
        result["startup_cached_s"] = time.perf_counter() - started
    positions = layouts.get("force")
    view = step("filter", apply_filters, network, FilterState())
    figure = step("figure", build_figure, view, positions)
    result["figure_json_mb"] = len(json.dumps(figure)) / 1e6

    server = _serve(app)
    try:
        initial = _post(server, _payload(app, network, None))
        result["initial_bytes"] = initial["wire"]
        result["initial_raw_bytes"] = initial["raw"]
        result["page_bytes"] = _get(server, "/_dash-layout")["wire"]
        for name, spec in INTERACTIONS.items():
            runs = [_post(server, _payload(app, network, spec)) for _ in range(REPEATS)]
            result[f"{name}_s"] = statistics.median(r["seconds"] for r in runs)
            result[f"{name}_bytes"] = runs[0]["wire"]
            result[f"{name}_raw_bytes"] = runs[0]["raw"]
            result[f"{name}_claims"] = apply_filters(network, _state(network, spec)).n_claims
    finally:
        server.close()
    peaks = memory.stop()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The layout's child (spawned above 5,000 linked actors), by its own high-water mark:
    # RUSAGE_CHILDREN would report this process's size at the fork instead.
    result["peak_child_mb"] = peaks["child_high_water_mb"]
    result["peak_tree_mb"] = max(peaks["peak_total_mb"], result["peak_rss_mb"])

    from bench import naive

    repeats = 5 if size < 1_000_000 else 1
    level = app.server.config["COMPRESS_ZSTD_LEVEL"]
    for name, spec in INTERACTIONS.items():
        seconds, raw, wire = naive.measure_interaction(dataset, positions, spec, repeats, level)
        result[f"naive_{name}_s"] = seconds
        result[f"naive_{name}_raw_bytes"], result[f"naive_{name}_wire_bytes"] = raw, wire
        result[f"{name}_speedup"] = seconds / result[f"{name}_s"]
        result[f"{name}_raw_ratio"] = raw / result[f"{name}_raw_bytes"]
        result[f"{name}_wire_ratio"] = wire / result[f"{name}_bytes"]
    result["naive_layout"] = naive.spring_layout_seconds(dataset.claims, naive_layout_timeout)
    return result


def _state(network, spec: dict):
    from dashboard.query.filters import make_filter_state

    return make_filter_state(
        network, years=tuple(spec["years"]), sources=frozenset(spec["sources"])
    )


class _Server:
    def __init__(self, app):
        from waitress.server import create_server

        self._server = create_server(app.server, host="127.0.0.1", port=0, threads=4)
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.close()


def _serve(app) -> _Server:
    return _Server(app)


def _payload(app, network, interaction: dict | None) -> dict:
    """The POST the browser sends when a filter changes (see app.callback_map)."""
    # A filter change is the step callback (what the filters decide; the browser assembles
    # the figure from it and the scene, sent once per layout).
    key = next(k for k in app.callback_map if "step.data" in k and "@" not in k)
    spec = app.callback_map[key]
    first, last = network.year_bounds
    values = {
        "time-range": [first, last],
        "include-undated": ["show"],
        "source-filter": [],
        "relation-filter": [],
        "actor-type-filter": [],
        "stance-filter": ["asserts", "denies"],
        "min-sources": 1,
        "focus-actor": None,
        "focus-depth": 1,
        "layout-choice": "force",
        "size-by": "claims",
        "positions-override": None,
        "layout-poll": 0,
    }
    if interaction:
        values["time-range"] = interaction["years"]
        values["source-filter"] = interaction["sources"]
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in key.strip(".").split("...")
    ]
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [{**item, "value": values.get(item["id"])} for item in spec["inputs"]],
        "changedPropIds": ["time-range.value"] if interaction else [],
        "state": [{**item, "value": None} for item in spec["state"]],
    }


def _request(server: _Server, path: str, body: bytes | None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}",
        data=body,
        # What Chromium sends: the server picks zstd, as it does for the browser.
        headers={"Content-Type": "application/json", "Accept-Encoding": BROWSER_ENCODINGS},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        wire = response.read()
        encoding = response.headers.get("Content-Encoding")
    seconds = time.perf_counter() - start
    raw = decompress(wire, encoding)
    if body is not None:
        assert b'"response"' in raw, raw[:300]
    return {"seconds": seconds, "wire": len(wire), "raw": len(raw)}


BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


def decompress(data: bytes, encoding: str | None) -> bytes:
    if encoding == "zstd":
        from flask_compress.compat import compression  # zstd on every Python version

        return compression.zstd.decompress(data)
    if encoding == "br":
        import brotli

        return brotli.decompress(data)
    return gzip.decompress(data) if encoding == "gzip" else data


def _post(server: _Server, payload: dict) -> dict:
    return _request(server, "/_dash-update-component", json.dumps(payload).encode())


def _get(server: _Server, path: str) -> dict:
    return _request(server, path, None)


COLUMNS = [
    ("claims", "claims", "{:,}"),
    ("actors", "actors", "{:,}"),
    ("load_s", "first load (read, check, write the cache) s", "{:.2f}"),
    ("load_cpu_s", "first load, CPU s", "{:.2f}"),
    ("reopen_s", "reopen (from the load cache) s", "{:.2f}"),
    ("reopen_cpu_s", "reopen, CPU s", "{:.2f}"),
    ("graph_s", "graph s", "{:.2f}"),
    ("layout_cold_s", "layout cold s", "{:.1f}"),
    ("layout_cached_s", "layout cached s", "{:.3f}"),
    ("startup_cached_s", "startup (cached data and layout) s", "{:.1f}"),
    ("figure_s", "initial figure s", "{:.2f}"),
    ("initial_raw_bytes", "initial view MB raw", "mb"),
    ("initial_bytes", "initial view MB on the wire", "mb"),
    ("peak_rss_mb", "peak memory MB: the app's process", "{:,.0f}"),
    ("peak_child_mb", "peak memory MB: its layout child", "{:,.0f}"),
    ("peak_tree_mb", "peak memory MB: both at one moment (sampled)", "{:,.0f}"),
    ("narrow_claims", "narrow filter: claims shown", "{:,}"),
    ("narrow_s", "narrow filter: ours s", "{:.3f}"),
    ("naive_narrow_s", "narrow filter: naive s", "{:.3f}"),
    ("narrow_speedup", "narrow filter: ours x faster", "{:.1f}"),
    ("narrow_raw_bytes", "narrow filter: ours MB raw", "mb"),
    ("naive_narrow_raw_bytes", "narrow filter: naive MB raw", "mb"),
    ("narrow_raw_ratio", "narrow filter: naive/ours bytes, raw", "{:.1f}"),
    ("narrow_bytes", "narrow filter: ours MB on the wire", "mb"),
    ("naive_narrow_wire_bytes", "narrow filter: naive MB on the wire, compressed alike", "mb"),
    ("narrow_wire_ratio", "narrow filter: naive/ours bytes, on the wire", "{:.1f}"),
    ("broad_claims", "broad filter: claims shown", "{:,}"),
    ("broad_s", "broad filter: ours s", "{:.3f}"),
    ("naive_broad_s", "broad filter: naive s", "{:.3f}"),
    ("broad_speedup", "broad filter: ours x faster", "{:.1f}"),
    ("broad_raw_bytes", "broad filter: ours MB raw", "mb"),
    ("naive_broad_raw_bytes", "broad filter: naive MB raw", "mb"),
    ("broad_raw_ratio", "broad filter: naive/ours bytes, raw", "{:.1f}"),
    ("broad_bytes", "broad filter: ours MB on the wire", "mb"),
    ("naive_broad_wire_bytes", "broad filter: naive MB on the wire, compressed alike", "mb"),
    ("broad_wire_ratio", "broad filter: naive/ours bytes, on the wire", "{:.1f}"),
    ("naive_layout", "naive spring layout", "{}"),
]


# The steps whose time and memory are followed from size to size, and why a step may
# grow faster than the claims (stated, not guessed; a step not listed has no excuse).
STEPS = {
    "load": "first load",
    "reopen": "reopen",
    "graph": "graph",
    "layout_cold": "layout cold",
    "filter": "filter (all claims)",
    "figure": "initial figure",
}
SUPERLINEAR_REASONS = {
    "layout_cold": "a child process starts above 5,000 actors (a fixed 1-2 s), and "
    "Fruchterman-Reingold's 500 iterations each cost O(actors + edges)",
}


def growth(results: list[dict]) -> str:
    """Per step, how time and memory grow from one size to the next, as the exponent k
    of time ~ claims^k (1: linear), and a verdict."""
    import math

    ordered = sorted(results, key=lambda r: r["claims"])
    pairs = list(itertools.pairwise(ordered))
    if not pairs:
        return ""
    heads = [f"{a['claims']:,} → {b['claims']:,}" for a, b in pairs]
    lines = [
        "| step: time (memory after) | " + " | ".join(heads) + " | verdict |",
        "|---|" + "---|" * (len(pairs) + 1),
    ]
    for key, label in STEPS.items():
        cells, worst = [], 0.0
        for a, b in pairs:
            ratio = math.log(b["claims"] / a["claims"])
            times = [a.get(f"{key}_cpu_s"), b.get(f"{key}_cpu_s")]
            mems = [a.get(f"{key}_rss_mb"), b.get(f"{key}_rss_mb")]
            if None in times or None in mems or min(times) <= 0:
                cells.append("—")
                continue
            k_time = math.log(times[1] / times[0]) / ratio
            k_mem = math.log(mems[1] / mems[0]) / ratio
            # Below 0.2 s of CPU, fixed costs dominate: no verdict from them.
            if times[0] >= 0.2:
                worst = max(worst, k_time)
            cells.append(f"k={k_time:.2f} ({k_mem:.2f})")
        if worst <= 1.15:
            verdict = "linear or better"
        else:
            reason = SUPERLINEAR_REASONS.get(key, "not explained: look into it")
            verdict = f"superlinear (k up to {worst:.2f}): {reason}"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {verdict} |")
    return "\n".join(lines)


def _cell(value, style: str) -> str:
    if value is None:
        return "—"
    if style == "mb":
        return f"{value / 1e6:.2f}"
    return style.format(value)


def table(results: list[dict]) -> str:
    """A Markdown table: one row per measure, one column per size."""
    sizes = [f"{r['claims']:,} claims" for r in results]
    lines = ["| measure | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    for key, label, style in COLUMNS[1:]:
        lines.append(f"| {label} | " + " | ".join(_cell(r.get(key), style) for r in results) + " |")
    return "\n".join(lines)


def machine() -> str:
    from bench.processes import machine as facts

    m = facts()
    return f"{m['system']}, {m['cpus']} CPUs ({m['cpu_model']}), Python {m['python']}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark the dashboard against the naive recipe."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--naive-layout-timeout", type=float, default=120.0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=OUT / "results.json")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.naive_layout_timeout)))
        return
    from bench.processes import load_average

    large = [size for size in args.sizes if size >= LARGE_CLAIMS]
    if large:  # claims in DuckDB: bench/large.py
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "large.py"), "--sizes", *map(str, large)],
            check=True,
        )
    sizes = [size for size in args.sizes if size < LARGE_CLAIMS]
    if not sizes:
        return
    load_before = load_average()
    results = []
    for size in sizes:
        data_folder(size)
        print(f"measuring {size:,} claims ...", file=sys.stderr)
        completed = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--naive-layout-timeout",
                str(args.naive_layout_timeout),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            print(completed.stderr, file=sys.stderr)
            raise SystemExit(f"measuring {size} claims failed")
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    summary = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "load_before": load_before,  # other work on the machine slows everything down
        "load_after": load_average(),
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2))
    print(
        f"{summary['machine']}, {summary['date']}, load average {summary['load_before']} "
        f"before, {summary['load_after']} after\n"
    )
    print(table(results))
    print(
        "\nGrowth: time ~ claims^k from one size to the next, CPU time (memory after the "
        "step in brackets); k=1 is linear. Under 0.2 s of CPU, fixed costs dominate.\n"
    )
    print(growth(results))
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
