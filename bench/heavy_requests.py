"""Benchmark: does one user's heavy request hold up another user's light one?

    python bench/heavy_requests.py --claims 100000
    make heavy-bench

At 100,000 claims (bench/generate.py), one client sizes the nodes by betweenness on the
full view, as a click on "Betweenness" does, and keeps polling as the page does until
the sizes arrive; meanwhile a second client asks for an edge's evidence every 0.25 s
(first alone, for its latency without heavy work). Each server runs in its own process,
the clients in this one, with the layout cached beforehand:

- ours: `dashboard run` (waitress), betweenness in the heavy-work pool
  (dashboard/heavy.py), the figure at once;
- naive: the same app with betweenness computed in the request thread, the previous way
  (igraph, paths of up to 4 steps above 2,000 actors);

then against `dashboard serve --workers 2` (gunicorn), four clients asking for
betweenness at once while the probe asks for evidence. Prints the figures and writes
bench/out/heavy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import BROWSER_ENCODINGS, OUT, data_folder, decompress  # noqa: E402

PROBE_EVERY = 0.25  # seconds between the second client's evidence requests
BASELINE_SECONDS = 3.0  # the probe alone, before the heavy requests
PATIENCE = 600  # seconds before giving up on betweenness


def naive_betweenness(n_actors: int, pairs, sources):
    """The previous way: exact up to 2,000 actors, else paths of up to 4 steps only."""
    import igraph as ig
    import numpy as np

    graph = ig.Graph(n=n_actors, edges=pairs.tolist(), directed=False).simplify()
    cutoff = None if n_actors <= 2000 else 4
    return np.asarray(graph.betweenness(directed=False, cutoff=cutoff), dtype=float)


def callback_body(app, output: str, values: dict, changed: str) -> bytes:
    """The POST the page sends for the callback that writes ``output``."""
    key = next(
        k
        for k in app.callback_map
        if output in [p.split("@")[0] for p in k.strip(".").split("...")]
    )
    spec = app.callback_map[key]
    parts = key.strip(".").split("...")
    outputs = [
        {"id": p.split("@")[0].rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts
    ]

    def filled(item):
        if item["id"].startswith("{"):
            return []
        return {**item, "value": values.get(f"{item['id']}.{item['property']}")}

    body = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [filled(i) for i in spec["inputs"]],
        "state": [filled(s) for s in spec.get("state", [])],
        "changedPropIds": [changed],
    }
    return json.dumps(body).encode()


def post(port: int, body: bytes) -> tuple[float, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Encoding": BROWSER_ENCODINGS},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=PATIENCE) as response:
        raw = decompress(response.read(), response.headers.get("Content-Encoding"))
    return time.perf_counter() - start, json.loads(raw)["response"]


VIEW = {
    "include-undated.value": ["show"],
    "stance-filter.value": ["asserts", "denies"],
    "min-sources.value": 1,
    "focus-depth.value": 1,
    "layout-choice.value": "force",
}


def requests_for(app) -> dict[str, bytes]:
    betweenness = {**VIEW, "size-by.value": "betweenness", "layout-poll.n_intervals": 0}
    tick = {**betweenness, "layout-poll.n_intervals": 1, "figure-traces.data": 10}
    evidence = {**VIEW, "selection.data": {"kind": "edge", "index": 0}}
    return {
        "ask": callback_body(app, "network.figure", betweenness, "size-by.value"),
        "tick": callback_body(app, "network.figure", tick, "layout-poll.n_intervals"),
        "evidence": callback_body(app, "evidence.children", evidence, "selection.data"),
    }


def ask_for_betweenness(port: int, bodies: dict, result: dict) -> None:
    """As the page: ask, then poll every second until the poll is switched off."""
    started = time.perf_counter()
    seconds, answer = post(port, bodies["ask"])
    result["first_answer_s"] = seconds
    while not answer["layout-poll"]["disabled"]:
        if time.perf_counter() - started > PATIENCE:
            raise SystemExit("betweenness did not arrive")
        time.sleep(1.0)
        _, answer = post(port, bodies["tick"])
    key = answer["network"]["figure"]["layout"]["annotations"][0]["text"]
    result["betweenness_s"] = time.perf_counter() - started
    result["size_key"] = key


def probe(port: int, body: bytes, stop: threading.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        seconds, _ = post(port, body)
        latencies.append(seconds)
        stop.wait(PROBE_EVERY)


def scenario(port: int, bodies: dict, askers: int = 1) -> dict:
    """``askers`` clients ask for betweenness while the probe asks for evidence."""
    latencies: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe, args=(port, bodies["evidence"], stop, latencies))
    prober.start()
    time.sleep(BASELINE_SECONDS)  # the probe alone first: its latency without heavy work
    alone = list(latencies)
    results = [{} for _ in range(askers)]
    threads = [
        threading.Thread(target=ask_for_betweenness, args=(port, bodies, r)) for r in results
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    prober.join()
    meanwhile = latencies[len(alone) :]
    return {
        "alone_p50_s": statistics.median(alone),
        "alone_max_s": max(alone),
        "first_answer_s": max(r["first_answer_s"] for r in results),
        "betweenness_s": max(r["betweenness_s"] for r in results),
        "size_key": results[0]["size_key"],
        "probe_requests": len(meanwhile),
        "probe_p50_s": statistics.median(meanwhile),
        "probe_max_s": max(meanwhile),
    }


def naive_server(folder: Path, port: int) -> None:
    """`dashboard run` as it was: betweenness computed in the request thread."""
    from waitress import serve

    from dashboard.data import load_or_raise
    from dashboard.heavy import HeavyWork
    from dashboard.query.centrality import BetweennessService
    from dashboard.web.app import create_app
    from dashboard.web.background import Background

    heavy = HeavyWork()
    service = BetweennessService(heavy, in_request_limit=10**9, compute=naive_betweenness)
    app = create_app(load_or_raise(folder), background=Background(heavy, service))
    serve(app.server, host="127.0.0.1", port=port, threads=8, _quiet=True)


def served(folder: Path, cache: str, bodies: dict, command: list[str], askers: int) -> dict:
    """Start a server (its own process, as in use), run the scenario, stop it."""
    from bench.load_test import free_port, wait_until_up

    port = free_port()
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env={**os.environ, "DASHBOARD_CACHE_DIR": cache},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(port, server)
        return scenario(port, bodies, askers)
    finally:
        server.terminate()
        server.wait(timeout=60)


ROWS = [
    ("alone_p50_s", "evidence alone (before): median s", "{:.3f}"),
    ("alone_max_s", "evidence alone (before): slowest s", "{:.3f}"),
    ("first_answer_s", "betweenness request: first answer s", "{:.2f}"),
    ("betweenness_s", "betweenness shown after s", "{:.1f}"),
    ("probe_requests", "evidence requests meanwhile", "{}"),
    ("probe_p50_s", "evidence meanwhile: median s", "{:.3f}"),
    ("probe_max_s", "evidence meanwhile: slowest s", "{:.3f}"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--askers", type=int, default=4, help="clients asking under gunicorn")
    parser.add_argument("--skip-serve", action="store_true", help="leave out gunicorn")
    parser.add_argument("--naive-server", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive_server:
        naive_server(args.naive_server, args.port)
        return

    from dashboard.data import load_or_raise
    from dashboard.graph import Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.web.app import create_app

    folder = data_folder(args.claims)
    dataset = load_or_raise(folder)
    bodies = requests_for(create_app(dataset))
    columns = {}
    with tempfile.TemporaryDirectory() as cache:
        # The layout first, on disk for every server: the runs measure betweenness alone.
        LayoutCache(Network.from_dataset(dataset), Path(cache)).get("force")
        dashboard = [sys.executable, "-m", "dashboard"]
        print("ours (dashboard run) ...", file=sys.stderr)
        columns["ours (run)"] = served(folder, cache, bodies, [*dashboard, "run", str(folder)], 1)
        print("naive (betweenness in the request thread) ...", file=sys.stderr)
        naive = [sys.executable, __file__, "--naive-server", str(folder)]
        columns["naive (run)"] = served(folder, cache, bodies, naive, 1)
        if not args.skip_serve:
            print(f"ours (serve --workers {args.workers}) ...", file=sys.stderr)
            command = [*dashboard, "serve", str(folder), "--workers", str(args.workers)]
            columns[f"ours (serve, {args.askers} clients)"] = served(
                folder, cache, bodies, command, args.askers
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "heavy.json").write_text(json.dumps({"claims": args.claims, **columns}, indent=2))
    names = list(columns)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{args.claims:,} claims; evidence probed every {PROBE_EVERY} s; load average {load}\n")
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key, label, style in ROWS:
        print(f"| {label} | " + " | ".join(style.format(columns[n][key]) for n in names) + " |")
    for name in names:
        if not name.startswith("naive"):  # naive: paths of up to 4 steps, whatever it says
            print(f"\n{name}: {columns[name]['size_key']}")
    ours = columns["ours (run)"]["probe_max_s"]
    verdict = "under" if ours < 0.5 else "NOT under"
    print(
        f"\nWhile betweenness was computed, evidence answered in at most {ours:.3f} s ({verdict} 0.5 s)."
    )


if __name__ == "__main__":
    main()
