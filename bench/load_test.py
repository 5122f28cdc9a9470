"""Load test: concurrent clients change filters against `dashboard serve` on 127.0.0.1.

    python bench/load_test.py --claims 100000 --workers 2 --clients 8 --requests 25
    make loadtest

Starts ``dashboard serve`` with N gunicorn workers on the synthetic data, then C client
threads each send R filter changes (random time ranges and sources) to the callback
endpoint, as the page does. Reports throughput, latency percentiles and errors, and
writes bench/out/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
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

from bench.generate import SOURCES  # noqa: E402
from bench.run import BROWSER_ENCODINGS, OUT, _payload, data_folder  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start in time")


def client(port: int, payloads: list[bytes], latencies: list[float], errors: list[str]) -> None:
    for body in payloads:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/_dash-update-component",
            data=body,
            headers={"Content-Type": "application/json", "Accept-Encoding": BROWSER_ENCODINGS},
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                if response.status != 200:
                    errors.append(f"status {response.status}")
        except Exception as exc:  # every failure counts, whatever its kind
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    args = parser.parse_args()

    from dashboard.data import load_or_raise
    from dashboard.graph import Network
    from dashboard.web.app import create_app

    folder = data_folder(args.claims)
    dataset = load_or_raise(folder)
    network = Network.from_dataset(dataset)
    app = create_app(dataset)  # only to build the same requests the page sends
    rng = random.Random(1)
    payloads = []
    for _ in range(args.clients * args.requests):
        first = rng.randint(1990, 2020)
        spec = {
            "years": [first, rng.randint(first, 2025)],
            "sources": rng.sample(SOURCES, rng.randint(1, 8)),
        }
        payloads.append(json.dumps(_payload(app, network, spec)).encode())

    port = free_port()
    with tempfile.TemporaryDirectory() as cache:
        command = [
            *(sys.executable, "-m", "dashboard", "serve", str(folder)),
            *("--port", str(port), "--workers", str(args.workers)),
        ]
        server = subprocess.Popen(
            command,
            env={**os.environ, "DASHBOARD_CACHE_DIR": cache},
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until_up(port, server)
            latencies: list[float] = []
            errors: list[str] = []
            threads = [
                threading.Thread(
                    target=client, args=(port, payloads[i :: args.clients], latencies, errors)
                )
                for i in range(args.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

    latencies.sort()
    result = {
        "claims": args.claims,
        "workers": args.workers,
        "clients": args.clients,
        "requests": len(latencies),
        "errors": len(errors),
        "throughput_per_s": len(latencies) / elapsed,
        "p50_s": statistics.median(latencies),
        "p95_s": latencies[int(0.95 * (len(latencies) - 1))],
        "max_s": latencies[-1],
    }
    (OUT / "load.json").write_text(json.dumps(result, indent=2))
    print(
        f"{result['requests']} filter changes from {args.clients} clients against {args.workers} workers "
        f"({args.claims:,} claims): {result['throughput_per_s']:.1f}/s, p50 {result['p50_s'] * 1000:.0f} ms, "
        f"p95 {result['p95_s'] * 1000:.0f} ms, max {result['max_s'] * 1000:.0f} ms, errors {result['errors']}"
    )
    if errors:
        print("first errors:", *errors[:5], sep="\n  ")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
