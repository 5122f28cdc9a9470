"""Heavy work for the callbacks, away from the request threads: betweenness of large
views (with progress in the page), re-layout of many visible actors, image export.

One :class:`Background` per app, shared by its callbacks: one pool of worker processes
(see dashboard/heavy.py) per server process.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard.draw.report_figure import ExportError
from dashboard.export.report import render
from dashboard.graph import Network
from dashboard.heavy import Busy, HeavyWork, OverBudget, WorkFailed
from dashboard.positions.compute import LARGE_GRAPH, compute_layout
from dashboard.query.centrality import BetweennessService
from dashboard.query.filters import View

RELAYOUT_BUDGET = 90.0  # seconds for laying out the visible actors
EXPORT_BUDGET = 120.0  # seconds for Chromium to draw an image (20,000 edges took ~15 s)
DEFAULT_WORKERS = 2  # per server process: an export does not hold up betweenness
CHECK_EVERY = 0.5  # seconds between checks that the client still waits


@dataclass
class Background:
    heavy: HeavyWork
    betweenness: BetweennessService
    relayout_budget: float = RELAYOUT_BUDGET
    export_budget: float = EXPORT_BUDGET
    renderer: Callable = render  # an ExportJob -> bytes; replaceable in tests; in a worker

    @classmethod
    def create(cls, workers: int = DEFAULT_WORKERS) -> Background:
        heavy = HeavyWork(workers=workers)
        return cls(heavy, BetweennessService(heavy))

    def export_image(
        self, job, file_format: str, scale: float, client_gone: Callable[[], bool]
    ) -> bytes | None:
        """The export (an image, or a report: see dashboard/export/report.py ``render``),
        drawn by Chromium in a worker within ``export_budget`` seconds (see
        :meth:`render_for`)."""
        return self.render_for(
            client_gone,
            self.export_budget,
            f"The export took longer than {self.export_budget:.0f} s and was stopped; "
            "narrow the filters (fewer edges draw faster) and try again.",
            self.renderer,
            job,
            file_format,
            scale,
        )

    def render_for(
        self, client_gone: Callable[[], bool], budget: float, too_long: str, work, *args
    ):
        """``work(*args)`` in a worker within ``budget`` seconds, for a client waiting on
        it: an image, a report, a film.

        Raises ExportError with a message for the user (``too_long`` when over budget).
        Returns None if the client left before the work was done: it is stopped, since
        nobody would get it.
        """
        try:
            job = self.heavy.submit(work, *args, budget=budget)
        except Busy as exc:
            raise ExportError(str(exc)) from exc
        while True:
            try:
                return job.result(timeout=CHECK_EVERY)
            except TimeoutError:
                if client_gone():
                    job.future.cancel()
                    return None
            except OverBudget as exc:
                raise ExportError(too_long) from exc
            except WorkFailed as exc:
                cause = exc.__cause__
                raise ExportError(str(cause if isinstance(cause, ExportError) else exc)) from exc

    def relayout(
        self, network: Network, layout_name: str, view: View
    ) -> tuple[np.ndarray | None, str | None]:
        """Positions for the visible actors alone, or None and why not (for the page).

        Small views are laid out here (networkx, milliseconds); larger ones, which igraph
        lays out holding the GIL, in the pool, within ``relayout_budget`` seconds.
        """
        if view.n_actors <= LARGE_GRAPH:
            return compute_layout(network, layout_name, view.node_mask, view.edge_mask), None
        try:
            positions = self.heavy.run(
                compute_layout,
                _without_claims(network),
                layout_name,
                view.node_mask,
                view.edge_mask,
                budget=self.relayout_budget,
            )
        except Busy as exc:
            return None, str(exc)
        except OverBudget:
            return None, (
                f"Laying out {view.n_actors:,} actors took longer than "
                f"{self.relayout_budget:.0f} s and was stopped; narrow the filters and try again."
            )
        except WorkFailed as exc:
            return None, f"The layout failed: {exc}"
        return positions, None


def _without_claims(network: Network) -> Network:
    """The network without its claims (quotes, per-claim arrays): what a layout needs."""
    return network.without_claims()


def client_gone_check(environ: dict) -> Callable[[], bool]:
    """A function telling whether the client of this request has disconnected.

    Waitress says so itself (``waitress.client_disconnected``, when it reads ahead:
    `dashboard run` sets ``channel_request_lookahead``); under gunicorn the request's
    socket is peeked at: readable with nothing to read means the client closed it.
    Elsewhere the answer is always "still there" (the time budget bounds the work).
    """
    waitress = environ.get("waitress.client_disconnected")
    if callable(waitress):
        return waitress
    connection = environ.get("gunicorn.socket")
    if isinstance(connection, socket.socket):
        return lambda: _closed(connection)
    return lambda: False


def _closed(connection: socket.socket) -> bool:
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except (OSError, ValueError):
        return True
