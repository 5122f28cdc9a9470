"""Opening input files: regular files only, and inside the data folder unless the user asks.

A data folder often comes from someone else. Every file read on its behalf (the files
``dashboard.toml`` names, the default ``relations.csv`` and ``actors.csv``, the local
copies of documents) must lie inside it once links are followed, or a folder could show
``/etc/passwd`` as actors. Files the user names on the command line (``DATA`` itself,
``--relation-labels``) are the user's choice, and ``--allow-outside-data`` lifts the rule.
"""

from __future__ import annotations

import os
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
    if not path.exists():
        report.error(name, None, None, "file not found", kind="file not found")
        return None
    if path.is_dir():
        report.error(name, None, None, f"is a folder, expected {expected}")
        return None
    return path.read_bytes()
