"""Benchmark what the user waits for: the dashboard in headless Chromium, against sigma.js.

    python bench/browser.py                          # 1k, 10k, 100k claims, 3 runs each
    python bench/browser.py --sizes 1000000          # 1M when asked
    make bench-browser SIZES="1000 10000 100000"

Per size: ``dashboard run DATA --port P`` in a subprocess with an empty layout cache (as a
first run), its memory and its children's (the layout child) sampled throughout. Once it
serves and its layout is ready, each run opens a fresh page (an empty browser cache) in
Debian's Chromium (software WebGL) and times, from the user's input to the network
redrawn on screen (Plotly's afterplot, then two animation frames):

1. navigation → network on screen; 2. pick one source in the source list; 3. then the
time range from 2000; 4. then Reset; 5. click an edge → its evidence shown; and a second
visit in the same page (what the browser cache saves). Every step records the callbacks
it fired, their server times and the bytes both ways (raw and on the wire, as Chromium
counts them). Then the same graph, with the dashboard's layout, on a static sigma.js +
graphology page (bench/anchor.py), with the same three filter steps done in the browser.

Prints a table of medians and writes bench/out/browser.json (every run, the machine and
its load average before and after each size).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import anchor  # noqa: E402
from bench.app_page import AppPage  # noqa: E402
from bench.processes import AppServer, load_average, machine  # noqa: E402
from bench.report import medians, same_views, table  # noqa: E402
from bench.run import OUT, data_folder  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Without these Chromium tries to reach the network (see shared notes on the toolchain).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SOURCE = "Reuters"
FROM_YEAR = 2000


def measure_app(browser, url: str, repeats: int, quiet: float, timeout: float) -> dict:
    warm = AppPage(browser, url, quiet, timeout)  # the first page after start warms up
    try:
        warm_up = warm.navigate()
    finally:
        warm.close()
    runs = []
    for number in range(repeats):
        print(f"  app run {number + 1}/{repeats}", flush=True)
        page = AppPage(browser, url, quiet, timeout)
        try:
            run = {
                "navigation": page.navigate(),
                "source": page.pick_source(SOURCE),
                "time": page.time_range_from(FROM_YEAR),
                "reset": page.reset(),
                "click": page.click_edge(),
                "second_visit": page.navigate(),
                "page_errors": page.errors,
            }
        finally:
            page.close()
        runs.append(run)
    return {"warm_up": warm_up, "runs": runs, "median": medians(runs)}


def measure_anchor(browser, folder: Path, layout_cache: Path, size: int, args) -> dict:
    site = anchor.build(OUT / "anchor-site")
    name = f"graph-{size}"
    facts = anchor.write_graph(folder, layout_cache, site, name)
    last_year = facts["year_bounds"][1]
    steps = [
        ("source", {"source": SOURCE}),
        ("time", {"source": SOURCE, "years": [FROM_YEAR, last_year]}),
        ("reset", {}),
    ]
    server = anchor.StaticServer(site)
    try:
        runs = []
        for number in range(args.repeats):
            print(f"  anchor run {number + 1}/{args.repeats}", flush=True)
            runs.append(
                anchor.measure(browser, f"{server.url}index.html?data={name}", steps, args.timeout)
            )
    finally:
        server.close()
    return {"runs": runs, "median": medians(runs)}


def measure_size(playwright, size: int, args) -> dict:
    folder = data_folder(size)
    result: dict = {"claims": size, "load_before": load_average()}
    print(f"{size:,} claims: starting `dashboard run` ...", flush=True)
    server = AppServer(folder, timeout=args.timeout * 6)
    try:
        result["serving_s"] = server.serving_s
        result["layout_ready_s"] = server.layout_ready_s
        result["startup_memory"] = server.startup_memory
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result["chromium"] = browser.version
        try:
            result["app"] = measure_app(browser, server.url, args.repeats, args.quiet, args.timeout)
        finally:
            browser.close()
    finally:
        result["memory"] = server.stop()
    try:
        if not args.no_anchor:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                result["anchor"] = measure_anchor(browser, folder, server.cache_dir, size, args)
            finally:
                browser.close()
    finally:
        server.remove_cache()
    result["load_after"] = load_average()
    for problem in same_views(result):
        print(f"  warning: {problem}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--quiet", type=float, default=2.0, help="seconds without activity that end a step"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per step at most")
    parser.add_argument("--no-anchor", action="store_true", help="skip the sigma.js page")
    parser.add_argument("--json", type=Path, default=OUT / "browser.json")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    summary = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_before": load_average(),
        "settings": {"repeats": args.repeats, "quiet_s": args.quiet, "source": SOURCE},
        "results": [],
    }
    with sync_playwright() as playwright:
        for size in args.sizes:
            summary["results"].append(measure_size(playwright, size, args))
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(summary, indent=1))
    summary["load_after"] = load_average()
    args.json.write_text(json.dumps(summary, indent=1))
    print()
    print(table(summary))
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
