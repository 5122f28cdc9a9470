"""Footnotes of a report: the source documents behind the shown claims, numbered.

Two runs, so that a reader tells at a glance who asserts and who denies: the documents
behind asserting claims are numbered 1, 2, 3 ...; those behind denials D1, D2 ... A
document that asserts one relation and denies another is in both runs. Each visible
edge is marked with the numbers of the documents behind its claims ("1–3, D1"), and
each claim knows its marks, so that the evidence appendix numbers claims the same way.
The same numbers go into every format (PNG, SVG, PDF, appendix, bibliography).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> net = Network.from_dataset(load_or_raise("data"))
>>> notes = footnotes(apply_filters(net, FilterState()))
>>> notes.entries[0].number, notes.denials[0].number, notes.denials[0].stance
('1', 'D1', 'denies')
>>> edge = net.edge_number("iran", "al-qaeda", "cooperates with")
>>> notes.edge_mark(edge)
'1,3,6,8,13–14, D1'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.graph import NO_SOURCE
from dashboard.query.filters import View

LIST_LIMIT = 300  # entries per run listed in a figure; above, marks would point at nothing


@dataclass(frozen=True)
class Entry:
    """One source document behind shown claims: the footnote's number and its parts."""

    number: str  # "3", or "D2" in the run of denials
    source: str
    document: str
    published: str
    url: str
    stance: str  # "asserts" or "denies"

    def text(self) -> str:
        """The footnote as a line: source, document, date, url; denials say so.

        >>> Entry("D1", "UN", "Letter", "", "https://un.org/l", "denies").text()
        'D1. UN, “Letter”, undated, https://un.org/l — denies'
        """
        parts = [self.source]
        if self.document:
            parts.append(f"“{self.document}”")
        parts.append(self.published or "undated")
        if self.url:
            parts.append(self.url)
        line = f"{self.number}. {', '.join(parts)}"
        return line + " — denies" if self.stance == "denies" else line


@dataclass(frozen=True)
class Footnotes:
    entries: tuple[Entry, ...]  # the asserting run, 1, 2, ...
    denials: tuple[Entry, ...]  # the denying run, D1, D2, ...
    edge_numbers: dict[int, tuple[int, ...]]  # edge -> its asserting entries' numbers
    edge_denials: dict[int, tuple[int, ...]]  # edge -> its denying entries' numbers (D...)
    claim_marks: dict[str, str] = field(repr=False)  # claim id -> its mark, "3" or "D1"
    leading: int = 0  # asserting entries numbered first: behind the claims ``first`` named

    @property
    def listable(self) -> bool:
        """Whether every entry fits the figure's list (else edges carry no marks)."""
        return max(len(self.entries), len(self.denials)) <= LIST_LIMIT

    def edge_mark(self, edge: int) -> str:
        """The footnote mark on an edge: its asserting numbers, then its denials."""
        parts = []
        if numbers := self.edge_numbers.get(edge):
            parts.append(compact_numbers(numbers))
        if denials := self.edge_denials.get(edge):
            parts.append(", ".join(f"D{n}" for n in denials))
        return ", ".join(parts)

    def lines(self) -> tuple[list[str], list[str]]:
        """The listed footnotes of each run as lines (at most ``LIST_LIMIT`` each)."""
        return (
            [e.text() for e in self.entries[:LIST_LIMIT]],
            [e.text() for e in self.denials[:LIST_LIMIT]],
        )


def footnotes(view: View, first: np.ndarray | None = None) -> Footnotes:
    """Number each distinct (source, document, url, published) behind the shown claims,
    asserting and denying claims apart; those behind the claims in ``first`` (a claim
    mask: a path's) come first in the asserting run."""
    net = view.network
    codes = np.flatnonzero(view.claim_mask)
    claims = net.claims.iloc[codes]
    edges = net.claim_edge[codes]
    denies = net.claim_denies[codes]
    leading = np.zeros(len(codes), dtype=bool) if first is None else first[codes]
    keys = list(
        zip(
            claims["source"].replace("", NO_SOURCE).tolist(),
            claims["document"].tolist(),
            claims["url"].tolist(),
            claims["published"].tolist(),
            strict=True,
        )
    )
    runs: dict[bool, dict[tuple, int]] = {}
    for deny in (False, True):
        picked = [k for k, d in zip(keys, denies.tolist(), strict=True) if d == deny]
        led = set() if deny else {k for k, lead in zip(keys, leading.tolist(), strict=True) if lead}
        order = sorted(set(picked), key=lambda k: (k not in led, *_sort_key(k)))
        runs[deny] = {key: i + 1 for i, key in enumerate(order)}
    numbers: dict[int, set[int]] = {}
    denials: dict[int, set[int]] = {}
    marks: dict[str, str] = {}
    ids = [str(i) for i in claims.index]
    for claim_id, edge, key, deny in zip(ids, edges.tolist(), keys, denies.tolist(), strict=True):
        number = runs[deny][key]
        marks[claim_id] = f"D{number}" if deny else str(number)
        if edge >= 0:
            (denials if deny else numbers).setdefault(edge, set()).add(number)
    return Footnotes(
        entries=_entries(runs[False], "asserts"),
        denials=_entries(runs[True], "denies"),
        edge_numbers={e: tuple(sorted(n)) for e, n in numbers.items()},
        edge_denials={e: tuple(sorted(n)) for e, n in denials.items()},
        claim_marks=marks,
        leading=_led_count(keys, leading, denies),
    )


def _led_count(keys: list[tuple], leading: np.ndarray, denies: np.ndarray) -> int:
    """How many asserting entries lead the run (those behind a path's asserting claims)."""
    flags = zip(keys, leading.tolist(), denies.tolist(), strict=True)
    return len({key for key, lead, deny in flags if lead and not deny})


def _sort_key(key: tuple) -> tuple:
    source, document, url, published = key
    return (source.casefold(), document.casefold(), url, published)


def _entries(numbered: dict[tuple, int], stance: str) -> tuple[Entry, ...]:
    prefix = "D" if stance == "denies" else ""
    return tuple(
        Entry(f"{prefix}{number}", source, document, published, url, stance)
        for (source, document, url, published), number in sorted(
            numbered.items(), key=lambda item: item[1]
        )
    )


def compact_numbers(numbers: tuple[int, ...]) -> str:
    """``(1, 2, 3, 5)`` -> ``"1–3,5"``: footnote marks that stay short.

    >>> compact_numbers((1, 2, 3, 5, 7, 8))
    '1–3,5,7–8'
    """
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
