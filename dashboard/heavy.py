"""Heavy work in a small pool of worker processes, each task with a time budget.

Some requests start work that takes seconds to minutes: betweenness of a large view,
laying out thousands of visible actors, rendering an image in Chromium. In a request
thread, igraph holds the GIL for its whole run and freezes every other request of the
server process; an image render holds the one browser every other export waits for.
Here such work runs in at most ``workers`` processes per server process (started on
first use, so each gunicorn worker gets its own after the fork), at low CPU priority so
that requests come first:

- a task that runs past its budget is stopped: its process is killed, with any browser
  it started, and the pool starts a fresh one (:class:`OverBudget`);
- tasks beyond the pool's size wait their turn, up to ``max_waiting`` of them; more are
  refused at once (:class:`Busy`), so request threads never pile up behind it;
- a task that dies (out of memory, a crash) is reported, not hung on (:class:`WorkFailed`).

Tasks are top-level functions and picklable arguments, as for any process pool. The pool
is pebble's ``ProcessPool`` (per-task timeouts that kill the task's process; Python's own
``ProcessPoolExecutor`` cannot stop a running task), with spawned workers (safe whatever
threads the server has).

>>> heavy = HeavyWork(workers=1)
>>> heavy.run(pow, 2, 10, budget=30)
1024
>>> heavy.shutdown()
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections import OrderedDict
from concurrent.futures import CancelledError
from dataclasses import dataclass, field

from pebble import ProcessExpired, ProcessPool

DEFAULT_WORKERS = 1
DEFAULT_WAITING = 4
KEPT_JOBS = 64  # finished jobs remembered by key, for callers that poll
_POOLS: weakref.WeakSet[HeavyWork] = weakref.WeakSet()


class Busy(RuntimeError):
    """Too much heavy work is under way; the message says so, for the user."""


class OverBudget(RuntimeError):
    """The task ran past its time budget and was stopped."""

    def __init__(self, budget: float):
        super().__init__(f"stopped after {budget:.0f} s, its time budget")
        self.budget = budget


class WorkFailed(RuntimeError):
    """The task failed; the message says how."""


def _worker_setup() -> None:
    """In each worker: low priority, and a process group of its own, so that stopping
    the worker stops everything it started (see :func:`_stop_everything`)."""
    with contextlib.suppress(OSError):
        os.setpgrp()
    with contextlib.suppress(OSError):
        os.nice(10)
    signal.signal(signal.SIGTERM, _stop_everything)


def _stop_everything(_signum=None, _frame=None) -> None:
    """Kill this worker's descendants, then the worker. Chromium (started by kaleido)
    runs in a session of its own, so the process group alone would miss it."""
    me = os.getpid()
    for pid in _descendants(me):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # the browser's own group, if it leads one
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _descendants(root: int) -> list[int]:
    """Every process below ``root``, read from /proc (Linux); none elsewhere."""
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                # pid (comm) state ppid ...: comm may hold spaces and parentheses.
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, frontier = [], [root]
    while frontier:
        children = parents.get(frontier.pop(), [])
        found += children
        frontier += children
    return found


@dataclass
class Job:
    """One task: running, waiting for a worker, or done."""

    future: object
    budget: float
    submitted: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> bool:
        return self.future.done()

    def elapsed(self) -> float:
        return time.monotonic() - self.submitted

    def result(self, timeout: float | None = None):
        """The task's value; raises OverBudget, WorkFailed, or TimeoutError if it is
        still running after ``timeout`` seconds of waiting here."""
        try:
            return self.future.result(timeout=timeout)
        except TimeoutError:
            if self.future.done():  # pebble's word for a task stopped at its budget
                raise OverBudget(self.budget) from None
            raise
        except ProcessExpired as exc:
            raise WorkFailed(f"the worker process died ({exc})") from exc
        except CancelledError as exc:
            raise WorkFailed("the task was cancelled") from exc
        except (OverBudget, WorkFailed, Busy):
            raise
        except Exception as exc:
            raise WorkFailed(f"{type(exc).__name__}: {exc}") from exc


class HeavyWork:
    """A small pool of worker processes shared by the app's requests."""

    def __init__(self, workers: int = DEFAULT_WORKERS, max_waiting: int = DEFAULT_WAITING):
        self.workers = workers
        self.max_waiting = max_waiting
        self._lock = threading.Lock()
        self._pool: ProcessPool | None = None
        self._pid = os.getpid()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._counter = 0
        _POOLS.add(self)

    def _live_pool(self) -> ProcessPool:
        """The pool of this process, started on first use (after a fork, anew)."""
        if self._pid != os.getpid():  # forked: the parent's pool is not ours to use
            self._pool, self._jobs, self._pid = None, OrderedDict(), os.getpid()
        if self._pool is None or not self._pool.active:
            self._pool = ProcessPool(
                max_workers=self.workers,
                initializer=_worker_setup,
                context=multiprocessing.get_context("spawn"),
            )
        return self._pool

    def outstanding(self) -> int:
        """Tasks running or waiting for a worker."""
        with self._lock:
            return sum(not job.done for job in self._jobs.values())

    def submit(self, function, *args, budget: float, key: str | None = None) -> Job:
        """Start ``function(*args)`` in a worker (or queue it); with ``key``, a task
        already submitted under that key is returned instead of starting another.

        Raises Busy when ``workers + max_waiting`` tasks are under way already.
        """
        with self._lock:
            if key is not None and key in self._jobs:
                self._jobs.move_to_end(key)
                return self._jobs[key]
            running = sum(not job.done for job in self._jobs.values())
            if running >= self.workers + self.max_waiting:
                raise Busy(
                    f"The server is busy with other heavy work ({running} tasks under way); "
                    "try again in a minute."
                )
            future = self._live_pool().schedule(function, args=args, timeout=budget)
            self._counter += 1
            job = Job(future, budget)
            self._jobs[key if key is not None else f"#{self._counter}"] = job
            while len(self._jobs) > KEPT_JOBS:
                oldest = next(iter(self._jobs))
                if not self._jobs[oldest].done:
                    break
                self._jobs.popitem(last=False)
            return job

    def job(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def forget(self, key: str) -> None:
        with self._lock:
            self._jobs.pop(key, None)

    def cancel(self, key: str) -> None:
        """Drop the task: a waiting one never starts, a running one's process is killed."""
        with self._lock:
            job = self._jobs.pop(key, None)
        if job is not None:
            job.future.cancel()

    def run(self, function, *args, budget: float):
        """``function(*args)`` in a worker, waiting here (without holding the GIL) for
        its value. Raises Busy, OverBudget or WorkFailed."""
        return self.submit(function, *args, budget=budget).result()

    def shutdown(self) -> None:
        """Stop the workers (running tasks are killed)."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._jobs.clear()
        if pool is not None and self._pid == os.getpid():
            pool.stop()
            pool.join(timeout=10)


@atexit.register
def shutdown_all() -> None:
    """Stop every pool of this process (at exit, and for test harnesses that stop
    threads they did not start)."""
    for heavy in list(_POOLS):
        heavy.shutdown()
