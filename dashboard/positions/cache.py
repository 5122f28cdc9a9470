"""Layouts, computed once per data set and layout choice: in memory, on disk, in the background.

A large network's first layout takes seconds to tens of seconds; after that it is read
from disk (keyed by a hash of the graph and the layout settings) in milliseconds. While
a layout is being computed the app keeps serving and the page shows its progress.

The cache directory is ``$DASHBOARD_CACHE_DIR`` if set, else the platform's user cache
directory (``~/.cache/actor-network-dashboard`` on Linux).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from hashlib import blake2b
from pathlib import Path

import numpy as np
import platformdirs

from dashboard.graph import Network
from dashboard.positions.compute import DEFAULT_LAYOUT, LAYOUTS, compute_layout, estimated_seconds
from dashboard.positions.force import SEED, fr_iterations

# Bump when a layout algorithm or its settings change, so stale files are not reused.
LAYOUT_VERSION = 4
DISK_CACHE_MIN_ACTORS = 100  # smaller layouts take less time than reading a file
_log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    configured = os.environ.get("DASHBOARD_CACHE_DIR")
    return (
        Path(configured)
        if configured
        else Path(platformdirs.user_cache_dir("actor-network-dashboard"))
    )


@dataclass(frozen=True)
class LayoutStatus:
    """Where a layout is: ready (with positions), or being computed (with progress)."""

    ready: bool
    positions: np.ndarray | None = None
    fraction: float = 0.0
    message: str = ""
    failed: bool = False


class LayoutCache:
    """Layouts of the whole graph, shared read-only by every user and thread.

    Layouts are pure functions of the data, so sharing them is safe; the lock only keeps
    two threads from computing the same layout at once.
    """

    def __init__(self, network: Network, cache_dir: Path | None = None, use_disk: bool = True):
        self._network = network
        self._dir = (cache_dir or default_cache_dir()) / "layouts"
        self._use_disk = use_disk and network.n_actors >= DISK_CACHE_MIN_ACTORS
        self._positions: dict[str, np.ndarray] = {}
        self._started: dict[str, float] = {}
        self._errors: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def network(self) -> Network:
        return self._network

    def get(self, name: str) -> np.ndarray:
        """The layout, computing it here and now if need be."""
        name = _known(name)
        with self._lock:
            if name in self._positions:
                return self._positions[name]
        positions = self._load(name)
        if positions is None:
            positions = compute_layout(self._network, name)
            self._save(name, positions)
        positions.setflags(write=False)
        with self._lock:
            return self._positions.setdefault(name, positions)

    def status(self, name: str) -> LayoutStatus:
        """Ready, or how far the background computation has got (see :meth:`start`)."""
        name = _known(name)
        with self._lock:
            if name in self._positions:
                return LayoutStatus(True, self._positions[name], 1.0)
            if name in self._errors:
                return LayoutStatus(
                    False, None, 0.0, f"The layout failed: {self._errors[name]}", failed=True
                )
            started = self._started.get(name)
        if started is None:
            return LayoutStatus(False, None, 0.0, self._describe(name, 0.0))
        fraction = min(
            0.99, (time.monotonic() - started) / max(estimated_seconds(self._network, name), 0.1)
        )
        return LayoutStatus(False, None, fraction, self._describe(name, fraction))

    def ready_now(self, name: str) -> LayoutStatus:
        """Like :meth:`status`, but small or cached layouts are made ready on the spot."""
        status = self.status(name)
        if status.ready or status.failed:
            return status
        if estimated_seconds(self._network, name) <= 1.0 or self._disk_path(name).is_file():
            return LayoutStatus(True, self.get(name), 1.0)
        self.start(name)
        return self.status(name)

    def start(self, name: str) -> None:
        """Compute the layout in a background thread, unless it is done or under way."""
        name = _known(name)
        with self._lock:
            if name in self._positions or name in self._started:
                return
            self._started[name] = time.monotonic()
        threading.Thread(
            target=self._compute, args=(name,), name=f"layout-{name}", daemon=True
        ).start()

    def _compute(self, name: str) -> None:
        try:
            self.get(name)
        except Exception as exc:  # reported in the page rather than lost in a thread
            _log.exception("layout %s failed", name)
            with self._lock:
                self._errors[name] = f"{type(exc).__name__}: {exc}"

    def _describe(self, name: str, fraction: float) -> str:
        done = f"{fraction:.0%}" if fraction < 0.99 else "taking longer than forecast, nearly done"
        return (
            f"Laying out {self._network.n_actors:,} actors ({LAYOUTS[name].lower()}): "
            f"{done}. This happens once; the result is kept for next time."
        )

    @cached_property
    def _graph_digest(self):
        """A hash of the graph's edges, taken once: a million edges take a while to hash."""
        digest = blake2b(digest_size=16)
        digest.update(self._network.edge_from.astype(np.int32).tobytes())
        digest.update(self._network.edge_to.astype(np.int32).tobytes())
        return digest

    def _disk_path(self, name: str) -> Path:
        """The cache file for layout ``name`` of this graph with today's settings."""
        digest = self._graph_digest.copy()
        n_actors = self._network.n_actors
        digest.update(
            f"|{LAYOUT_VERSION}|{name}|{n_actors}|{SEED}|{fr_iterations(n_actors)}".encode()
        )
        return self._dir / f"{digest.hexdigest()}.npy"

    def _load(self, name: str) -> np.ndarray | None:
        if not self._use_disk:
            return None
        path = self._disk_path(name)
        try:
            positions = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        return positions if positions.shape == (self._network.n_actors, 2) else None

    def _save(self, name: str, positions: np.ndarray) -> None:
        if not self._use_disk:
            return
        path = self._disk_path(name)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as out:
                np.save(out, positions, allow_pickle=False)
            os.replace(temporary, path)  # atomic: readers never see half a file
        except OSError as exc:
            _log.warning("could not cache the layout in %s: %s", path.parent, exc)
            temporary.unlink(missing_ok=True)


def _known(name: str) -> str:
    return name if name in LAYOUTS else DEFAULT_LAYOUT
