"""The app under test as a user runs it, its memory, and the machine it runs on.

:class:`AppServer` starts ``dashboard run DATA --port P`` in a subprocess with a layout
cache of its own (empty: the first layout is computed, as on a first run) and waits until
it serves and its layout is ready. :class:`MemorySampler` sums the resident memory of a
process and all its children (the layout runs in a child process) several times a second.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss(process: psutil.Process) -> tuple[int, int, dict[int, int]]:
    """Resident bytes of ``process`` and of all its descendants, read now, and each
    one's high-water mark so far (Linux's VmHWM: the peak a sample can miss)."""
    own = children = 0
    peaks: dict[int, int] = {}
    with contextlib.suppress(psutil.Error):  # the process has ended
        own = process.memory_info().rss
        peaks[process.pid] = high_water_mark(process.pid)
        command = process.cmdline()
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # it ended after the listing
                # Between fork and exec a spawned child is a copy of this process: its
                # pages and its high-water mark are the parent's (and so is its ru_maxrss
                # ever after). Count a child once it runs a command of its own.
                if child.cmdline() == command:
                    continue
                children += child.memory_info().rss
                peaks[child.pid] = high_water_mark(child.pid)
    return own, children, peaks


def high_water_mark(pid: int) -> int:
    """The most resident memory process ``pid`` has had, in bytes (0 where unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class MemorySampler:
    """Peak resident memory of a process tree, sampled every ``interval`` seconds.

    RSS sums overcount pages that processes share, and sampling can miss a spike
    shorter than the interval; both are small next to a layout child of gigabytes.
    """

    def __init__(self, pid: int, interval: float = 0.1):
        self._process = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self.peak_total = self.peak_own = self.peak_children = 0
        self.high_water: dict[int, int] = {}  # pid: its VmHWM, last read while it lived
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            own, children, peaks = tree_rss(self._process)
            for pid, peak in peaks.items():
                self.high_water[pid] = max(self.high_water.get(pid, 0), peak)
            self.peak_total = max(self.peak_total, own + children)
            self.peak_own = max(self.peak_own, own)
            self.peak_children = max(self.peak_children, children)
            self._stop.wait(self._interval)

    def snapshot(self) -> dict:
        """Sampled peaks (the tree's sum at one moment), and the kernel's high-water marks
        of the process itself and of its largest child (each at its own moment)."""
        own_pid = self._process.pid
        children = [peak for pid, peak in self.high_water.items() if pid != own_pid]
        return {
            "peak_total_mb": self.peak_total / 1e6,
            "peak_server_mb": self.peak_own / 1e6,
            "peak_children_mb": self.peak_children / 1e6,
            "server_high_water_mb": max(self.high_water.get(own_pid, 0), self.peak_own) / 1e6,
            "child_high_water_mb": max([*children, self.peak_children]) / 1e6,
        }

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return self.snapshot()


def dashboard_command() -> list[str]:
    """``dashboard``, the command a user types, from this Python's environment."""
    script = Path(sys.executable).with_name("dashboard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dashboard"]


class AppServer:
    """``dashboard run DATA`` in a subprocess on a free port, with an empty layout cache.

    Ready means: the page answers and the console has not announced a layout in progress
    without announcing it ready (``dashboard run`` prints both; see cli.py).
    """

    def __init__(
        self, data: Path, timeout: float = 1800, cache_dir: Path | None = None, options=()
    ):
        """``cache_dir``: a cache to start with (a second start), else an empty one;
        ``options``: more of ``dashboard run``'s options."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self._cache = cache_dir or Path(tempfile.mkdtemp(prefix="bench-layouts-"))
        self.cache_dir = self._cache
        self._console: list[str] = []
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [*dashboard_command(), "run", str(data), "--port", str(self.port), *options],
            env={**os.environ, "DASHBOARD_CACHE_DIR": str(self._cache)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.memory = MemorySampler(self.process.pid)
        threading.Thread(target=self._read_console, name="console", daemon=True).start()
        self.serving_s = self._wait(self._answers, timeout, started)
        self.layout_ready_s = self._wait(self._layout_ready, timeout, started)
        self.startup_memory = self.memory.snapshot()

    def _read_console(self) -> None:
        for line in self.process.stdout:
            self._console.append(line.rstrip())

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url, timeout=5):
                return True
        except OSError:
            return False

    def _layout_ready(self) -> bool:
        text = "\n".join(self._console)
        if "The layout failed" in text:
            raise SystemExit(f"the app's layout failed:\n{text[-2000:]}")
        return "Laying out" not in text or "Layout ready" in text

    def _wait(self, condition, timeout: float, started: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                console = "\n".join(self._console[-30:])
                raise SystemExit(f"`dashboard run` stopped:\n{console}")
            if condition():
                return time.perf_counter() - started
            time.sleep(0.2)
        raise SystemExit(f"`dashboard run` was not ready after {timeout:.0f} s")

    def stop(self) -> dict:
        """Stop the server (and any child it left), and return its peak memory."""
        memory = self.memory.stop()
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            children = []
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for child in children:
            with contextlib.suppress(psutil.Error):  # already gone with its parent
                child.kill()
        return memory

    def remove_cache(self) -> None:
        shutil.rmtree(self._cache, ignore_errors=True)


def machine() -> dict:
    """What the numbers were measured on, and how busy it was."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "system": f"{platform.system()} {platform.machine()}",
        "cpu_model": model,
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
