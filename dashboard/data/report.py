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

Severity = Literal["error", "warning", "note"]
# Listed in this order: what was assumed (notes), what is wrong, what is worth a look.
_ORDER = {"note": 0, "error": 1, "warning": 2}

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
    """One thing wrong (error) or worth a look (warning) in the input, or how it was read
    (note: e.g. which preset a file was recognised as)."""

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

    def note(
        self, file: str, line: int | None, column: str | None, message: str, kind: str = ""
    ) -> None:
        self.add("note", file, line, column, message, kind)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if not n_err and not n_warn:
            return "no problems found"
        return f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}"

    def totals(self) -> list[tuple[str, str, int]]:
        """(kind, severity, count) per kind: notes, errors, then warnings, most first.

        >>> report = Report()
        >>> for line in (3, 4): report.warning("r.csv", line, "quote", "claim has no quote", "no quote")
        >>> report.error("r.csv", 5, "start", "cannot read the date", "unreadable date")
        >>> report.totals()
        [('unreadable date', 'error', 1), ('no quote', 'warning', 2)]
        """
        counts = Counter((p.severity, p.kind) for p in self.problems)
        ordered = sorted(counts.items(), key=lambda item: (_ORDER[item[0][0]], -item[1]))
        return [(kind, severity, n) for (severity, kind), n in ordered]

    def totals_table(self) -> str:
        """:meth:`totals` as an aligned text table."""
        rows = [("kind", "severity", "count")] + [
            (kind, severity, f"{n:,}") for kind, severity, n in self.totals()
        ]
        width = [max(len(r[i]) for r in rows) for i in range(2)]
        return "\n".join(
            f"{kind:<{width[0]}}  {severity:<{width[1]}}  {n:>7}" for kind, severity, n in rows
        )

    def format(self, max_per_kind: int | None = None, totals: bool = False) -> str:
        """Notes first, then errors, then warnings, each in file and line order.

        With ``max_per_kind``, at most that many problems of one kind are listed and the
        rest are counted, so a systematic fault in a million-row file stays readable.
        With ``totals``, a table of the count per kind comes first.
        """
        ordered = sorted(
            self.problems,
            key=lambda p: (_ORDER[p.severity], p.file, p.line or 0, p.column or ""),
        )
        shown: Counter[tuple[str, str]] = Counter()
        hidden: Counter[tuple[str, str]] = Counter()
        lines = [self.totals_table(), ""] if totals and self.problems else []
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
