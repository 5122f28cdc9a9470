"""The Dash application factory."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard.data import Dataset
from dashboard.draw.report_figure import export_engine_problem
from dashboard.draw.scene import prepare_scene
from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import DEFAULT_LAYOUT
from dashboard.query.filters import FilterState, ViewMemo
from dashboard.query.served import ViewSource
from dashboard.web.background import Background
from dashboard.web.callbacks import register_callbacks
from dashboard.web.compare_panel import (
    compare_controls,
    compare_results,
    register_compare_callbacks,
)
from dashboard.web.film_panel import film_controls, register_film_callbacks
from dashboard.web.guard import install_request_guard
from dashboard.web.hardening import HardenedDash, harden
from dashboard.web.overlays import register_overlay_callbacks
from dashboard.web.page import page
from dashboard.web.paths_panel import path_controls, path_results, register_path_callbacks
from dashboard.web.sharing import register_sharing_callbacks
from dashboard.web.time_panel import register_time_callbacks, time_strip
from dashboard.web.wiring import AppContext

_log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parents[2] / "assets"
# Callback responses, the page, and the scripts and styles (2.9 MB on a first load, with
# the page's own Plotly; 0.9 MB compressed). Python names JavaScript's type differently
# across versions.
COMPRESSED_TYPES = [
    "application/json",
    "text/html",
    "text/css",
    "application/javascript",
    "text/javascript",
]
BUNDLES = "/_dash-component-suites/"
# The page's Plotly: scatter, scattergl and bar only (tools/plotly-bundle), 1.6 MB where
# Plotly's full bundle is 4.8 MB and took 0.66 s to evaluate before the first view could
# draw. Served as Dash serves its own bundles: fingerprinted, cached, compressed once.
PLOTLY_BUNDLE = {"relative_package_path": "web/vendor/plotly-map.min.js", "namespace": "dashboard"}


def bundle_cache_key(request) -> str:
    """Dash's bundles are compressed once per encoding and kept (they never change while
    the app runs; zstd takes 60 ms on Plotly's 4.8 MB). Anything else gets an empty key,
    which :class:`BundleCache` never stores: callback responses differ every time."""
    return request.path if request.method == "GET" and BUNDLES in request.path else ""


class BundleCache:
    """flask-compress's cache backend, keeping only keys from :func:`bundle_cache_key`
    (flask-compress prefixes them with the encoding: ``zstd;/_dash-component-suites/…``).

    >>> cache = BundleCache()
    >>> cache.set("zstd;/_dash-component-suites/dash/x.js", b"z"); cache.set("zstd;", b"no")
    >>> cache.get("zstd;/_dash-component-suites/dash/x.js"), cache.get("zstd;")
    (b'z', None)
    """

    def __init__(self) -> None:
        self._compressed: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._compressed.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";"):
            self._compressed[key] = value


def start_preparing(layouts: LayoutCache, views: ViewSource) -> threading.Thread:
    """Prepare what the first view of every visitor needs in the background: the view of
    all claims at once (1.3 s at 1M claims, which the server need not wait for to
    start), then, once the default layout is ready, the communities and escaped names
    (see ``prepare_scene``): not alongside the layout, so that two child processes do
    not hold their memory at once.

    Left to the first page, the scene and the step each started the detection (at
    100,000 claims the first view waited 0.7 s for both; at 1,000,000, 4.4 s)."""

    def prepare() -> None:
        try:
            views(FilterState())
        except Exception:  # the first page's own request meets it again, and says so
            _log.exception("preparing the first view failed")
        while not (status := layouts.status(DEFAULT_LAYOUT)).ready and not status.failed:
            time.sleep(0.5)
        try:
            prepare_scene(layouts.network)
        except Exception:  # the first page's own request meets it again, and says so
            _log.exception("preparing the first view failed")

    thread = threading.Thread(target=prepare, name="prepare-first-view", daemon=True)
    thread.start()
    return thread


def create_app(
    dataset: Dataset | None,
    layouts: LayoutCache | None = None,
    hosts: Iterable[str] | None = None,
    background: Background | None = None,
    engine: ViewSource | None = None,
    name: str | None = None,
) -> Dash:
    """Build the app for one data set; nothing is loaded at import time.

    The network index is built here, once, and shared read-only by every request. The
    default layout is ready at once when small or cached; a large one is computed in
    the background while the page shows its progress. ``hosts``: the host names it
    answers to (default: loopback names only; see web/hardening.py). ``background``:
    where heavy work runs (default: a pool of one worker process; see web/background.py).
    ``engine``: where views come from (default: the in-memory engine on ``dataset``'s
    network; query/served.py's DuckEngine serves claims from DuckDB, with ``name``).
    """
    if engine is not None:
        layouts = layouts or LayoutCache(engine.network)
    layouts = layouts or LayoutCache(Network.from_dataset(dataset))
    network = layouts.network
    views = engine if engine is not None else ViewMemo(network)
    name = dataset.name if dataset is not None else (name or "data")
    layouts.ready_now(DEFAULT_LAYOUT)
    start_preparing(layouts, views)
    max_sources = views.most_sources()
    server = Flask(__name__)
    server.config["COMPRESS_MIMETYPES"] = COMPRESSED_TYPES
    # Files streamed from disk (assets/, a few kilobytes) stay uncompressed: flask-compress
    # (1.25) leaves their file handles open when it compresses a stream. Dash serves its
    # bundles from memory, so they are compressed; they carry caching headers already
    # (a year for versioned URLs, an ETag otherwise).
    server.config["COMPRESS_STREAMS"] = False
    server.config["COMPRESS_CACHE_BACKEND"] = BundleCache
    server.config["COMPRESS_CACHE_KEY"] = bundle_cache_key
    # Level 1 takes a third of level 6's time on a large figure, for 10% more bytes.
    server.config["COMPRESS_LEVEL"] = 1
    app = HardenedDash(
        __name__,
        server=server,
        title=f"{name} · Actor Network Dashboard",
        assets_folder=str(ASSETS),
        update_title=None,
        # Gzip: a large figure's JSON shrinks three- to fourfold (bench/).
        compress=True,
    )
    app.scripts.append_script(PLOTLY_BUNDLE)  # dcc.Graph uses it rather than load its own
    context = AppContext(
        network=network,
        layouts=layouts,
        title=name,
        engine_problem=export_engine_problem(),
        background=background or Background.create(),
        views=views,
    )
    app.layout = page(
        network,
        name,
        max_sources,
        context.engine_problem,
        extra_controls=[*path_controls(network), *compare_controls(network), *film_controls()],
        extra_panels=[path_results(), *compare_results()],
        below_map=[time_strip(network)],
    )
    register_callbacks(app, context)
    register_sharing_callbacks(app, context)
    register_path_callbacks(app, context)
    register_time_callbacks(app, context)
    register_compare_callbacks(app, context)
    register_overlay_callbacks(app, context)
    register_film_callbacks(app, context)
    install_request_guard(app)
    harden(app, hosts)
    return app
