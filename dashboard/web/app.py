"""The Dash application factory."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard.data import Dataset
from dashboard.draw.report_figure import export_engine_problem
from dashboard.graph import Network
from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import DEFAULT_LAYOUT
from dashboard.query.filters import FilterState, apply_filters
from dashboard.web.background import Background
from dashboard.web.callbacks import register_callbacks
from dashboard.web.components import page
from dashboard.web.guard import install_request_guard
from dashboard.web.hardening import HardenedDash, harden
from dashboard.web.sharing import register_sharing_callbacks

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def create_app(
    dataset: Dataset,
    layouts: LayoutCache | None = None,
    hosts: Iterable[str] | None = None,
    background: Background | None = None,
) -> Dash:
    """Build the app for one data set; nothing is loaded at import time.

    The network index is built here, once, and shared read-only by every request. The
    default layout is ready at once when small or cached; a large one is computed in
    the background while the page shows its progress. ``hosts``: the host names it
    answers to (default: loopback names only; see web/hardening.py). ``background``:
    where heavy work runs (default: a pool of one worker process; see web/background.py).
    """
    layouts = layouts or LayoutCache(Network.from_dataset(dataset))
    network = layouts.network
    layouts.ready_now(DEFAULT_LAYOUT)
    everything = apply_filters(network, FilterState())
    max_sources = int(everything.edge_sources.max()) if len(network.edges) else 1
    server = Flask(__name__)
    # Compress callback responses only: static files are cached by browsers anyway, and
    # flask-compress leaves their file handles open.
    server.config["COMPRESS_MIMETYPES"] = ["application/json"]
    # Level 1 takes a third of level 6's time on a large figure, for 10% more bytes.
    server.config["COMPRESS_LEVEL"] = 1
    app = HardenedDash(
        __name__,
        server=server,
        title=f"{dataset.name} · Actor Network Dashboard",
        assets_folder=str(ASSETS),
        update_title=None,
        # Gzip: a large figure's JSON shrinks three- to fourfold (bench/).
        compress=True,
    )
    engine_problem = export_engine_problem()
    app.layout = page(network, dataset.name, max_sources, engine_problem)
    background = background or Background.create()
    register_callbacks(app, network, layouts, dataset.name, background)
    register_sharing_callbacks(app, network, layouts, dataset.name, engine_problem, background)
    install_request_guard(app)
    harden(app, hosts)
    return app
