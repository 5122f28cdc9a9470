"""HTTP-level protections for the app's Flask server, installed by :func:`harden`.

- A path under ``/_dash-component-suites/`` that names no file Dash serves is a 404
  (Dash raises an exception for it, which Flask would answer with a 500 and a logged
  traceback).
"""

from __future__ import annotations

from dash import Dash
from dash.exceptions import DependencyException


def harden(app: Dash) -> None:
    """Install every protection of this module on ``app``'s server."""
    server = app.server

    @server.errorhandler(DependencyException)
    def no_such_component_file(_error):
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}
