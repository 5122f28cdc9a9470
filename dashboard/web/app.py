"""The Dash application factory."""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard.data import Dataset
from dashboard.draw.report_figure import export_engine_problem
from dashboard.graph import BetweennessCache, Network
from dashboard.positions.cache import LayoutCache
from dashboard.positions.compute import DEFAULT_LAYOUT
from dashboard.query.filters import FilterState, ViewMemo, apply_filters
from dashboard.web.callbacks import register_callbacks
from dashboard.web.guard import install_request_guard
from dashboard.web.page import page
from dashboard.web.paths_panel import path_controls, path_results, register_path_callbacks
from dashboard.web.sharing import register_sharing_callbacks
from dashboard.web.wiring import AppContext

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def create_app(dataset: Dataset, layouts: LayoutCache | None = None) -> Dash:
    """Build the app for one data set; nothing is loaded at import time.

    The network index is built here, once, and shared read-only by every request. The
    default layout is ready at once when small or cached; a large one is computed in
    the background while the page shows its progress.
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
    app = Dash(
        __name__,
        server=server,
        title=f"{dataset.name} · Actor Network Dashboard",
        assets_folder=str(ASSETS),
        update_title=None,
        # Gzip: a large figure's JSON shrinks three- to fourfold (bench/).
        compress=True,
    )
    context = AppContext(
        network=network,
        layouts=layouts,
        title=dataset.name,
        engine_problem=export_engine_problem(),
        betweenness=BetweennessCache(),
        views=ViewMemo(network),
    )
    app.layout = page(
        network,
        dataset.name,
        max_sources,
        context.engine_problem,
        extra_controls=path_controls(network),
        extra_panels=[path_results()],
    )
    register_callbacks(app, context)
    register_sharing_callbacks(app, context)
    register_path_callbacks(app, context)
    install_request_guard(app)
    return app
