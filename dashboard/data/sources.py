"""Sources of claims: several per claim, and one spelling per source.

A claim may cite several sources (``"Airwars; BBC"`` in a cell declared to hold
several, or several source columns): it stays one claim, and each source counts in the
source filter. Source names that differ only in case or spacing (``"Airwars"``,
``"airwars"``, ``"AIrwars"``) are one source, spelled as most rows spell it; the merge
is reported, as for actor names.

>>> from dashboard.data.report import Report
>>> cells = pd.Series(["Airwars\\x1fBBC", "airwars", "Airwars", " BBC "])
>>> shown, joined = name_sources(cells, np.array([2, 3, 4, 5]), "r.csv", Report())
>>> shown.tolist()
['Airwars; BBC', 'Airwars', 'Airwars', 'BBC']
>>> joined.tolist()[0].split(SOURCE_SEPARATOR)
['Airwars', 'BBC']
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from .actors import name_key
from .mapping import VALUE_SEPARATOR
from .report import Report

SOURCE_SEPARATOR = VALUE_SEPARATOR  # between the sources of one claim in ``sources``
SHOWN_SEPARATOR = "; "  # between them in ``source``, as people read it
VARIANTS_SHOWN = 10


def name_sources(
    cells: pd.Series, lines: np.ndarray, file: str, report: Report
) -> tuple[pd.Series, pd.Series]:
    """Each row's sources, in one spelling each: as text (``source``: ``"A; B"``) and as
    a list joined by :data:`SOURCE_SEPARATOR` (``sources``). Works on distinct cells."""
    codes, distinct = pd.factorize(cells, sort=False)
    counts = np.bincount(codes, minlength=len(distinct)) if len(distinct) else codes
    parts = [_parts(text) for text in distinct]
    # How many rows use each spelling, and where each is first seen (file order).
    spellings: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, names in enumerate(parts):
        for name in names:
            spellings[name] += int(counts[i])
            first_seen.setdefault(name, i)
    by_key: dict[str, list[str]] = {}
    for name in sorted(spellings, key=first_seen.__getitem__):
        by_key.setdefault(name_key(name), []).append(name)
    canonical = {}
    for variants in by_key.values():
        chosen = max(variants, key=lambda v: (spellings[v], -first_seen[v]))
        canonical.update(dict.fromkeys(variants, chosen))
        if len(variants) > 1:
            _report_merge(variants, chosen, spellings, first_seen, codes, lines, file, report)
    named = [list(dict.fromkeys(canonical[n] for n in names)) for names in parts]
    unchanged = all(
        len(names) <= 1 and (names[0] if names else "") == text
        for names, text in zip(named, distinct, strict=True)
    )
    if unchanged:  # the usual case: one source per cell, already in its one spelling
        return cells, cells
    shown = np.asarray([SHOWN_SEPARATOR.join(n) for n in named], dtype=object)
    joined = np.asarray([SOURCE_SEPARATOR.join(n) for n in named], dtype=object)
    return (
        pd.Series(shown[codes], index=cells.index, dtype="str"),
        pd.Series(joined[codes], index=cells.index, dtype="str"),
    )


def split_sources(joined: str) -> list[str]:
    """The sources of one claim from its ``sources`` cell (none for ``""``)."""
    return joined.split(SOURCE_SEPARATOR) if joined else []


def _parts(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split(SOURCE_SEPARATOR) if p.strip()]


def _report_merge(variants, chosen, spellings, first_seen, codes, lines, file, report) -> None:
    second = min((v for v in variants if v != chosen), key=first_seen.__getitem__)
    row = int(np.argmax(codes == first_seen[second]))
    shown = ", ".join(
        f'"{v}" ({spellings[v]} row{"s" * (spellings[v] != 1)})' for v in variants[:VARIANTS_SHOWN]
    )
    more = len(variants) - VARIANTS_SHOWN
    report.warning(
        file,
        int(lines[row]),
        "source",
        f'source names differing only in case or spacing were merged into "{chosen}" '
        f"(the most frequent spelling): {shown}" + (f" and {more} more" if more > 0 else ""),
        kind="merged source spellings",
    )
