"""Betweenness of the visible network: exact for small views, estimated for large ones,
computed away from the request threads (see :mod:`dashboard.heavy`).

Exact betweenness costs one shortest-path search per actor: at 20,000 visible actors
(100,000 claims) about a minute, holding the GIL throughout. Above ``EXACT_LIMIT``
visible actors it is *estimated* from shortest paths out of ``SAMPLED_SOURCES``
actors drawn at random (seeded, so the same view gives the same sizes), scaled up to
all actors: Brandes and Pich's source sampling, run by igraph's subset betweenness.
Brokers (the actors a sizing by betweenness is for) come out on top with either.

>>> import igraph as ig
>>> path = np.array([[0, 1], [1, 2], [2, 3]])
>>> exact = betweenness_scores(4, path, sources=None)
>>> exact.tolist()
[0.0, 2.0, 2.0, 0.0]
>>> bool(np.allclose(betweenness_scores(4, path, sources=4), exact))  # every source: exact
True
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np

from dashboard.arrays import distinct
from dashboard.heavy import Busy, HeavyWork, OverBudget, WorkFailed
from dashboard.query.filters import View

EXACT_LIMIT = 2000  # visible actors: exact betweenness up to here (about a second)
SAMPLED_SOURCES = 500  # source actors drawn above it (20,000 actors: about a second)
IN_REQUEST_LIMIT = 300  # so few actors that the exact answer takes milliseconds
EXACT_BUDGET = 20.0  # seconds for an exact run before falling back to the estimate
BUDGET = 60.0  # seconds for an estimate before giving up
SEED = 20261126
CACHED_VIEWS = 16
# The page asks about a view's betweenness every second while it waits; a computation
# nobody has asked about for this long has no one waiting for it (the user moved on, or
# left), and is stopped to free the pool.
ABANDONED_AFTER = 5.0


@dataclass(frozen=True)
class Betweenness:
    """Scores per actor (0 for hidden ones), and how they were computed."""

    scores: np.ndarray
    sources: int | None  # None: exact; else how many source actors were sampled
    actors: int  # visible actors with an edge

    def describe(self) -> str:
        """For the size key: which betweenness the sizes show.

        >>> Betweenness(np.zeros(3), None, 3).describe()
        'Node size: betweenness (exact).'
        >>> Betweenness(np.zeros(3), 500, 20_000).describe()
        'Node size: betweenness, estimated from 500 of 20,000 actors sampled (exact takes minutes above 2,000).'
        """
        if self.sources is None:
            return "Node size: betweenness (exact)."
        return (
            f"Node size: betweenness, estimated from {self.sources:,} of {self.actors:,} "
            f"actors sampled (exact takes minutes above {EXACT_LIMIT:,})."
        )


@dataclass(frozen=True)
class Sizing:
    """What to size nodes by now: betweenness (``values``), or claims meanwhile."""

    values: np.ndarray | None  # betweenness per actor; None: size by claims for now
    note: str  # the size key, for the figure
    pending: bool  # still computing: ask again soon


def visible_edges(view: View) -> tuple[np.ndarray, np.ndarray]:
    """The actors with a visible edge (codes), and the visible edges as row pairs."""
    net = view.network
    a, b = net.edge_from[view.edge_mask], net.edge_to[view.edge_mask]
    actors = distinct(np.concatenate([a, b]))
    return actors, np.column_stack([np.searchsorted(actors, a), np.searchsorted(actors, b)])


def sources_for(n_actors: int, exact_limit: int = EXACT_LIMIT) -> int | None:
    """How many sources to sample for a view of ``n_actors``: None means all (exact).

    >>> sources_for(1_500), sources_for(20_000)
    (None, 500)
    """
    return None if n_actors <= exact_limit else min(SAMPLED_SOURCES, n_actors)


def betweenness_scores(
    n_actors: int, pairs: np.ndarray, sources: int | None, seed: int = SEED
) -> np.ndarray:
    """Undirected betweenness of ``n_actors`` joined by ``pairs`` (rows of actor rows);
    exact, or estimated from ``sources`` sampled actors. Runs in a worker process."""
    import igraph as ig

    if not n_actors:
        return np.zeros(0)
    graph = ig.Graph(n=n_actors, edges=pairs.tolist(), directed=False).simplify()
    if sources is None or sources >= n_actors:
        return np.asarray(graph.betweenness(directed=False), dtype=float)
    chosen = np.random.default_rng(seed).choice(n_actors, size=sources, replace=False)
    partial = np.asarray(graph.betweenness(directed=False, sources=chosen.tolist()), dtype=float)
    return partial * (n_actors / sources)


def betweenness_now(view: View) -> Betweenness:
    """Betweenness computed here and now (for the command line, and small views)."""
    actors, pairs = visible_edges(view)
    sources = sources_for(len(actors))
    return _spread(view, actors, betweenness_scores(len(actors), pairs, sources), sources)


def _spread(view: View, actors: np.ndarray, scores: np.ndarray, sources) -> Betweenness:
    full = np.zeros(view.network.n_actors)
    full[actors] = scores
    full.setflags(write=False)
    return Betweenness(full, sources, len(actors))


def _failure_note(reason: str) -> str:
    return f"Node size: number of claims. Betweenness {reason}; narrow the filters to try again."


class BetweennessService:
    """Betweenness for the app's views: from a memo, computed on the spot when tiny, or
    in the heavy-work pool, with progress meanwhile. Safe to share between threads.

    :meth:`sizing` never waits: while the pool works, it says to size by claims and to
    ask again (the page polls). An exact run that exceeds its budget is replaced by the
    estimate; an estimate that exceeds its budget is given up, and the page says so. A
    computation nobody asks about any more is stopped (see ``ABANDONED_AFTER``).
    """

    def __init__(
        self,
        heavy: HeavyWork,
        exact_limit: int | None = None,
        in_request_limit: int | None = None,
        exact_budget: float | None = None,
        budget: float | None = None,
        compute=betweenness_scores,
        abandoned_after: float | None = None,
    ):
        """Limits and budgets default to this module's constants (read now)."""
        self._heavy = heavy
        self._exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
        self._in_request_limit = IN_REQUEST_LIMIT if in_request_limit is None else in_request_limit
        self._exact_budget = EXACT_BUDGET if exact_budget is None else exact_budget
        self._budget = BUDGET if budget is None else budget
        self._abandoned_after = ABANDONED_AFTER if abandoned_after is None else abandoned_after
        self._asked: dict[str, float] = {}  # job key: when a page last asked about it
        self._compute = compute
        self._tag = f"betweenness:{id(self):x}"  # its jobs' keys, apart from other users'
        self._done: OrderedDict[str, Betweenness | str] = OrderedDict()
        self._lock = threading.Lock()

    def sizing(self, view: View) -> Sizing:
        self._drop_abandoned()
        key = _view_key(view)
        with self._lock:
            done = self._done.get(key)
        if done is not None:
            return _ready(done)
        actors, pairs = visible_edges(view)
        if len(actors) <= self._in_request_limit:
            scores = self._compute(len(actors), pairs, None)
            return self._remember(key, _spread(view, actors, scores, None))
        sources = sources_for(len(actors), self._exact_limit)
        slow_exact = False
        if sources is None:
            job = self._start(key, actors, pairs, None)
            if job is None or not job.done:
                return _progress(job, "exact")
            outcome = _collect(job, view, actors, None)
            if outcome is not _OVER_BUDGET:
                return self._remember(key, outcome)
            sources, slow_exact = min(SAMPLED_SOURCES, len(actors)), True
        job = self._start(key, actors, pairs, sources)
        if job is None or not job.done:
            how = (
                f"exact took over {self._exact_budget:.0f} s"
                if slow_exact
                else f"exact takes minutes above {self._exact_limit:,} actors"
            )
            return _progress(
                job, f"estimated from {sources:,} of {len(actors):,} actors sampled, since {how}"
            )
        outcome = _collect(job, view, actors, sources)
        if outcome is _OVER_BUDGET:
            outcome = _failure_note(f"took longer than {self._budget:.0f} s and was stopped")
        return self._remember(key, outcome)

    def _start(self, key: str, actors, pairs, sources: int | None):
        """The job computing this view's betweenness (started now if need be), or None
        if the pool is too busy to take it."""
        tag = "exact" if sources is None else f"sampled-{sources}"
        job_key = f"{self._tag}:{key}:{tag}"
        try:
            job = self._heavy.submit(
                self._compute,
                len(actors),
                pairs,
                sources,
                budget=self._exact_budget if sources is None else self._budget,
                key=job_key,
            )
        except Busy:
            return None
        with self._lock:
            self._asked[job_key] = time.monotonic()
        return job

    def _drop_abandoned(self) -> None:
        now = time.monotonic()
        with self._lock:
            stale = [k for k, asked in self._asked.items() if now - asked > self._abandoned_after]
            for job_key in stale:
                del self._asked[job_key]
        for job_key in stale:
            job = self._heavy.job(job_key)
            if job is not None and not job.done:
                self._heavy.cancel(job_key)

    def wait(self, view: View, timeout: float) -> Sizing:
        """Like :meth:`sizing`, but waits up to ``timeout`` seconds for the answer (for
        exports, which cannot update later); never pending."""
        deadline = time.monotonic() + timeout
        while (sizing := self.sizing(view)).pending:
            if time.monotonic() >= deadline:
                return Sizing(
                    None,
                    f"Node size: number of claims. Betweenness was not ready within "
                    f"{timeout:.0f} s.",
                    pending=False,
                )
            time.sleep(0.2)
        return sizing

    def _remember(self, key: str, outcome: Betweenness | str) -> Sizing:
        with self._lock:
            self._done[key] = outcome
            self._done.move_to_end(key)
            while len(self._done) > CACHED_VIEWS:
                self._done.popitem(last=False)
        return _ready(outcome)


_OVER_BUDGET = object()


def _view_key(view: View) -> str:
    """Betweenness depends on the visible edges only: they are the key."""
    return blake2b(np.packbits(view.edge_mask).tobytes(), digest_size=16).hexdigest()


def _collect(job, view: View, actors: np.ndarray, sources: int | None):
    """A finished job's Betweenness, a failure note, or _OVER_BUDGET."""
    try:
        scores = job.result()
    except OverBudget:
        return _OVER_BUDGET
    except WorkFailed as exc:
        return _failure_note(f"could not be computed ({exc})")
    return _spread(view, actors, scores, sources)


def _progress(job, how: str) -> Sizing:
    if job is None:
        note = (
            "Node size: number of claims for now. Betweenness: waiting for the server, "
            "which is busy with other heavy work…"
        )
    else:
        note = (
            f"Node size: number of claims for now. Betweenness: computing… "
            f"({job.elapsed():.0f} s; {how})"
        )
    return Sizing(None, note, pending=True)


def _ready(outcome: Betweenness | str) -> Sizing:
    if isinstance(outcome, str):
        return Sizing(None, outcome, pending=False)
    return Sizing(outcome.scores, outcome.describe(), pending=False)
