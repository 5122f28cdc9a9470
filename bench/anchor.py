"""The anchor: the same graph, drawn by sigma.js on a static page, measured the same way.

Built here from npm's sigma (3) and graphology (0.26), bundled by esbuild (all three
installed into bench/anchor/node_modules by ``npm ci``, not committed). The page loads
the same actors (positions from the dashboard's own layout), the same edges and the
claims behind them, and applies the same three filter steps in JavaScript by hiding
nodes and edges through graphology's attributes (bench/anchor/src/anchor.js).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

import numpy as np

from bench.netlog import NetLog, summary

ANCHOR = Path(__file__).resolve().parent / "anchor"
NPM_PACKAGES = ("sigma", "graphology", "esbuild")


def build(site: Path) -> Path:
    """Install the npm packages if need be, bundle the page into ``site``."""
    modules = ANCHOR / "node_modules"
    if not all((modules / name).is_dir() for name in NPM_PACKAGES):
        print("installing sigma, graphology and esbuild from npm ...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ANCHOR, check=True)
    site.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(modules / ".bin" / "esbuild"),
            str(ANCHOR / "src" / "anchor.js"),
            "--bundle",
            "--minify",
            "--format=iife",
            f"--outfile={site / 'anchor.js'}",
            "--log-level=warning",
        ],
        check=True,
    )
    shutil.copy(ANCHOR / "index.html", site / "index.html")
    return site


def write_graph(data: Path, layout_cache: Path, site: Path, name: str) -> dict:
    """The data set as the page reads it: ``name``.json (names, sources, array layout)
    and ``name``.bin (the arrays), positions from the layout the app computed."""
    from dashboard.data import load_or_raise
    from dashboard.graph import UNDATED, Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.positions.compute import DEFAULT_LAYOUT

    network = Network.from_dataset(load_or_raise(data))
    positions = np.nan_to_num(LayoutCache(network, layout_cache).get(DEFAULT_LAYOUT))

    def days(values: np.ndarray) -> np.ndarray:
        out = np.clip(values, -(2**31) + 1, 2**31 - 1).astype(np.int32)
        out[values == UNDATED] = -(2**31)
        return out

    columns = {
        "x": positions[:, 0].astype(np.float32),
        "y": positions[:, 1].astype(np.float32),
        "edge_from": network.edge_from.astype(np.int32),
        "edge_to": network.edge_to.astype(np.int32),
        "claim_edge": network.claim_edge.astype(np.int32),
        "claim_from": network.claim_from.astype(np.int32),
        "claim_to": network.claim_to.astype(np.int32),
        "claim_source": network.claim_source.astype(np.int32),
        "claim_start": days(network.claim_start_day),
        "claim_end": days(network.claim_end_day),
    }
    layout, offset = {}, 0
    with (site / f"{name}.bin").open("wb") as out:
        for key, values in columns.items():
            layout[key] = {
                "type": "f32" if values.dtype == np.float32 else "i32",
                "offset": offset,
                "length": len(values),
            }
            out.write(values.tobytes())
            offset += values.nbytes
    meta = {
        "actors": network.n_actors,
        "edges": len(network.edges),
        "claims": network.n_claims,
        "names": network.actor_names.tolist(),
        "sources": network.sources.tolist(),
        "arrays": layout,
    }
    (site / f"{name}.json").write_text(json.dumps(meta))
    return {"year_bounds": network.year_bounds, "sources": network.sources.tolist()}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class StaticServer:
    """The anchor page, served as plain files (no compression) on 127.0.0.1."""

    def __init__(self, site: Path):
        handler = functools.partial(_Quiet, directory=str(site))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def measure(browser, url: str, steps: list[tuple[str, dict]], timeout: float) -> dict:
    """One fresh page: navigation until drawn, then each step until drawn."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        net = NetLog().attach(context.new_cdp_session(page))
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            "() => window.bench || window.benchError", timeout=timeout * 1000, polling=100
        )
        failure = page.evaluate("() => window.benchError")
        if failure:
            raise RuntimeError(f"the anchor page failed: {failure}")
        result = {
            "navigation": {
                "s": page.evaluate("() => window.bench.drawnAt") / 1000,
                "counts": page.inner_text("#counts"),
                **summary(net.since(0)),
            }
        }
        for name, spec in steps:
            outcome = page.evaluate("spec => window.bench.step(spec)", spec)
            result[name] = {
                "s": outcome["ms"] / 1000,
                "counts": f"{outcome['nodes']} actors · {outcome['edges']} edges · "
                f"{outcome['claims']} claims",
            }
        result["errors"] = errors
        return result
    finally:
        context.close()
