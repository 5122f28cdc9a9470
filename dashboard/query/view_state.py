"""Everything that defines what the user sees, as one value: filters, layout, node
size and the selection. The URL codec (``web/url_codec.py``), the callbacks and the
command line's ``--state`` all produce and consume a :class:`ViewState`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.positions.compute import DEFAULT_LAYOUT
from dashboard.query import periods
from dashboard.query.filters import FilterState
from dashboard.query.paths import PathQuery
from dashboard.query.timeline import TimeView

SIZE_METRICS = {
    "claims": "Number of claims",
    "degree": "Degree",
    "betweenness": "Betweenness (estimated above 2,000 actors)",
}
DEFAULT_SIZE = "claims"


@dataclass(frozen=True)
class Selection:
    """What the user clicked: an edge (by number), a node (by actor code), or a pair of
    actors (``index`` and ``other``, actor codes: everything between them)."""

    kind: str
    index: int
    other: int | None = None


@dataclass(frozen=True)
class ViewState:
    """Everything that defines what the user sees."""

    filters: FilterState = field(default_factory=FilterState)
    layout: str = DEFAULT_LAYOUT
    size_by: str = DEFAULT_SIZE
    selection: Selection | None = None
    path: PathQuery | None = None  # "why are A and B connected?" (query/paths.py)
    # Playback's window and step, the timeline's bars, periods compared (query/timeline.py).
    time: TimeView = field(default_factory=TimeView)


def file_stem(state: ViewState, title: str) -> str:
    """A file name that says what the view is, e.g. ``iran_1991-1998_9-11-commission``."""
    parts = [title]
    f = state.filters
    if f.day_range:
        parts.append("-".join(periods.bound_texts(*f.day_range)))
    parts += sorted(f.sources)[:3]
    if f.focus:
        parts.append(f"focus-{f.focus}")
    if state.path:
        parts.append(f"path-{state.path.start}-{state.path.end}")
    slug = "_".join(re.sub(r"[^0-9a-z]+", "-", p.casefold()).strip("-") for p in parts)
    return slug[:100].strip("-_") or "actor-network"
