"""The Dash application factory."""

from __future__ import annotations

from dash import Dash, html

from .data import Dataset


def create_app(dataset: Dataset) -> Dash:
    """Build the app for one data set; nothing is loaded at import time."""
    app = Dash(__name__, title="Actor Network Dashboard")
    claims = dataset.claims
    app.layout = html.Main(
        [
            html.H1("Actor Network Dashboard"),
            html.P(
                f"{dataset.name}: {len(dataset.actors)} actors, {len(claims)} claims",
                id="counts",
            ),
        ]
    )
    return app
