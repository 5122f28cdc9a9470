"""Problems found while loading data, and the report that collects them.

Every problem names the file, the line (1-based, physical line in the file, so a
quoted field spanning two lines counts as two) and the column it concerns, so a
user can open the file in an editor and go straight to it.

>>> report = Report()
>>> report.error("relations.csv", 12, "start", 'cannot read the date "1998-13"')
>>> report.warning("relations.csv", 14, "quote", "claim has no quote")
>>> print(report.format())
relations.csv:12: error: column "start": cannot read the date "1998-13"
relations.csv:14: warning: column "quote": claim has no quote
1 error, 1 warning
>>> report.has_errors
True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# What a terminal would act on or hide rather than show: C0 and C1 controls (ESC starts
# escape sequences), line and paragraph separators, bidirectional overrides, embeddings
# and isolates, and zero-width characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """``text`` for a terminal: characters it would act on or hide become escapes.

    The data itself is never changed; only what is printed.

    >>> print(printable("red\\x1b[31m, \\u202eevil, zero\\u200bwidth"))
    red\\x1b[31m, \\u202eevil, zero\\u200bwidth
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (error) or worth a look (warning) in the input."""

    file: str
    line: int | None
    column: str | None
    severity: Severity
    message: str
    kind: str = field(default="", compare=False)

    def format(self) -> str:
        """One line for the console: unprintable characters from the data are escaped."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        col = f'column "{self.column}": ' if self.column else ""
        return printable(f"{where}: {self.severity}: {col}{self.message}")


@dataclass
class Report:
    """An ordered collection of problems. Loading never stops at the first one."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        file: str,
        line: int | None,
        column: str | None,
        message: str,
        kind: str = "",
    ) -> None:
        self.problems.append(Problem(file, line, column, severity, message, kind or message))

    def error(
        self, file: str, line: int | None, column: str | None, message: str, kind: str = ""
    ) -> None:
        self.add("error", file, line, column, message, kind)

    def warning(
        self, file: str, line: int | None, column: str | None, message: str, kind: str = ""
    ) -> None:
        self.add("warning", file, line, column, message, kind)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if not n_err and not n_warn:
            return "no problems found"
        return f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}"

    def format(self, max_per_kind: int | None = None) -> str:
        """Errors first, then warnings, each in file and line order.

        With ``max_per_kind``, at most that many problems of one kind are listed and the
        rest are counted, so a systematic fault in a million-row file stays readable.
        """
        ordered = sorted(
            self.problems,
            key=lambda p: (p.severity != "error", p.file, p.line or 0, p.column or ""),
        )
        shown: Counter[tuple[str, str]] = Counter()
        hidden: Counter[tuple[str, str]] = Counter()
        lines = []
        for problem in ordered:
            key = (problem.severity, problem.kind)
            if max_per_kind is not None and shown[key] >= max_per_kind:
                hidden[key] += 1
                continue
            shown[key] += 1
            lines.append(problem.format())
        for (severity, kind), count in hidden.items():
            lines.append(printable(f"... and {count} more {severity}s like: {kind}"))
        lines.append(self.summary())
        return "\n".join(lines)
