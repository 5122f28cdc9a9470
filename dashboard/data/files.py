"""Opening input files: regular files only, and inside the data folder unless the user asks.

A data folder often comes from someone else. Every file read on its behalf (the files
``dashboard.toml`` names, the default ``relations.csv`` and ``actors.csv``, the local
copies of documents) must lie inside it once links are followed, or a folder could show
``/etc/passwd`` as actors. Files the user names on the command line (``DATA`` itself,
``--relation-labels``) are the user's choice, and ``--allow-outside-data`` lifts the rule.

Only regular files are read: a FIFO would wait forever and ``/dev/zero`` never ends. Every
failure is one problem in the report, naming the file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .report import Report

OUTSIDE_OPTION = "--allow-outside-data"


@dataclass(frozen=True)
class DataFolder:
    """The folder the data set may read from, and the files allowed outside it."""

    root: Path
    allow_outside: bool = False
    named_by_user: frozenset[Path] = frozenset()

    def refusal(self, path: Path) -> str | None:
        """Why ``path`` may not be read, or None when it may.

        >>> folder = DataFolder(Path("/data"))
        >>> folder.refusal(Path("/data/relations.csv")) is None
        True
        >>> folder.refusal(Path("/data/../etc/passwd"))
        'lies outside the data folder (it is /etc/passwd); pass --allow-outside-data to read it'
        """
        if self.allow_outside or path in self.named_by_user:
            return None
        target = Path(os.path.realpath(path))
        if target.is_relative_to(Path(os.path.realpath(self.root))):
            return None
        return f"lies outside the data folder (it is {target}); pass {OUTSIDE_OPTION} to read it"


def read_input(
    path: Path,
    name: str,
    report: Report,
    folder: DataFolder | None = None,
    expected: str = "a CSV file",
) -> bytes | None:
    """The bytes of ``path`` (reported as ``name``), or None after reporting why not.

    ``folder``, when given, confines the read to the data folder (see :class:`DataFolder`).
    """
    refusal = folder.refusal(path) if folder is not None else None
    if refusal is not None:
        report.error(name, None, None, refusal, kind="outside the data folder")
        return None
    try:
        descriptor = _open_fd(path)
    except FileNotFoundError:
        if os.path.islink(path):
            message = f"file not found: a broken link (to {os.readlink(path)})"
        else:
            message = "file not found"
        report.error(name, None, None, message, kind="file not found")
        return None
    except OSError as exc:
        report.error(name, None, None, _cannot("open", exc), kind="unreadable file")
        return None
    mode = os.fstat(descriptor).st_mode
    problem = None
    if stat.S_ISDIR(mode):
        problem = f"is a folder, expected {expected}"
    elif not stat.S_ISREG(mode):
        problem = f"is not a regular file (a pipe, device or socket), expected {expected}"
    if problem is not None:
        os.close(descriptor)
        report.error(name, None, None, problem, kind="not a file")
        return None
    with os.fdopen(descriptor, "rb") as file:
        try:
            return file.read()
        except OSError as exc:
            report.error(name, None, None, _cannot("read", exc), kind="unreadable file")
            return None


def _open_fd(path: Path) -> int:
    # Non-blocking, so that opening a FIFO returns at once; fstat then refuses it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags)


def _cannot(action: str, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"cannot {action} the file: {reason[:1].lower()}{reason[1:]}"
