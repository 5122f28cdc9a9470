"""The Dash application factory."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from .callbacks import register_callbacks
from .components import page
from .data import Dataset
from .filters import FilterState, apply_filters
from .graph import Network
from .layout import DEFAULT_LAYOUT, LayoutCache
from .report_figure import export_engine_problem
from .sharing import register_sharing_callbacks

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def create_app(dataset: Dataset) -> Dash:
    """Build the app for one data set; nothing is loaded at import time.

    The network index and the default layout are computed here, once, and shared
    read-only by every request.
    """
    network = Network.from_dataset(dataset)
    layouts = LayoutCache(network)
    layouts.get(DEFAULT_LAYOUT)
    everything = apply_filters(network, FilterState())
    max_sources = int(everything.edge_sources.max()) if len(network.edges) else 1
    app = Dash(
        __name__,
        title=f"{dataset.name} · Actor Network Dashboard",
        assets_folder=str(ASSETS),
        update_title=None,
    )
    engine_problem = export_engine_problem()
    app.layout = page(network, dataset.name, max_sources, engine_problem)
    register_callbacks(app, network, layouts, dataset.name)
    register_sharing_callbacks(app, network, layouts, dataset.name, engine_problem)
    return app
