"""The evidence appendix: every claim behind the visible edges, grouped by edge, each
numbered as the figure's footnotes number its source ("3", or "D1" for a denial).

Built once as plain data (:func:`build_appendix`, picklable for a worker process), then
written as Markdown, HTML (also what Chromium prints to PDF) or DOCX. Quotes are never
altered: HTML and Markdown escape them, DOCX holds them as text. A very large view is
bounded: at most ``CLAIM_LIMIT`` claims are listed, and the appendix says how many more
there are and where to find them (the claims CSV).

>>> from dashboard.data import load_or_raise
>>> from dashboard.draw.footnotes import footnotes
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> view = apply_filters(Network.from_dataset(load_or_raise("data")), FilterState())
>>> appendix = build_appendix(view, footnotes(view))
>>> appendix.listed, appendix.total, appendix.edges[0].sentence
(66, 66, '9/11 hijackers passed through Iran')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.data.claims import is_safe_url
from dashboard.draw.footnotes import Footnotes
from dashboard.query.evidence import edges_evidence
from dashboard.query.filters import View
from dashboard.text import plural

CLAIM_LIMIT = 1_000  # claims listed; a PDF of this many is ~100 pages and prints in seconds


@dataclass(frozen=True)
class AppendixClaim:
    mark: str  # the footnote number of its source: "3", or "D1" for a denial
    quote: str
    source: str
    stance: str
    when: str
    document: str
    url: str  # empty unless http(s)
    published: str
    verified: bool

    def details(self) -> str:
        """Source, stance, dates, document, date published and url, as one line."""
        parts = [self.source or "(no source)", self.stance, self.when]
        parts.append(f"in “{self.document}”" if self.document else "no document named")
        if self.published:
            parts.append(f"published {self.published}")
        if self.url:
            parts.append(self.url)
        if self.verified:
            parts.append("✓ verbatim (found in the local copy of the document)")
        return " · ".join(parts)


@dataclass(frozen=True)
class AppendixEdge:
    sentence: str  # "Iran shelters al-Qaeda"
    mark: str  # the edge's footnote mark, "1–3, D1"
    contested: bool
    claims: tuple[AppendixClaim, ...]
    total: int  # its claims that pass the filters (more than listed when cut)

    @property
    def heading(self) -> str:
        notes = [f"sources {self.mark}" if self.mark else "", "contested" if self.contested else ""]
        extra = "; ".join(n for n in notes if n)
        return f"{self.sentence} ({extra})" if extra else self.sentence


@dataclass(frozen=True)
class Appendix:
    edges: tuple[AppendixEdge, ...]
    listed: int  # claims listed
    total: int  # claims behind the visible edges
    total_edges: int

    def omitted_note(self) -> str:
        """What the appendix leaves out, and where it is; empty when nothing is."""
        if self.listed >= self.total:
            return ""
        return (
            f"This appendix lists the first {self.listed:,} of {self.total:,} claims "
            f"({len(self.edges):,} of {plural(self.total_edges, 'edge')}); the claims CSV "
            "export of the same view has every one."
        )


def build_appendix(view: View, notes: Footnotes, limit: int = CLAIM_LIMIT) -> Appendix:
    """The claims behind the view's visible edges, edge by edge (in the order of their
    sentences), oldest first within an edge, at most ``limit`` in all."""
    net = view.network
    edges = np.flatnonzero(view.edge_mask)
    names = net.actor_names
    relations = net.edges["relation"].to_numpy()
    sentences = {
        int(e): f"{names[net.edge_from[e]]} {relations[e]} {names[net.edge_to[e]]}"
        for e in edges.tolist()
    }
    ordered = sorted(sentences, key=lambda e: (sentences[e].casefold(), e))
    counts = view.edge_claims[ordered] if ordered else np.zeros(0, dtype=np.int64)
    total = int(counts.sum())
    # Whole edges while they fit, then part of the next one: never more than ``limit``.
    room = np.cumsum(counts) - counts < limit
    chosen = [e for e, keep in zip(ordered, room.tolist(), strict=True) if keep]
    found = edges_evidence(view, chosen)
    listed_edges, listed = [], 0
    for edge in chosen:
        evidence = found[edge]
        take = evidence.claims[: limit - listed]
        listed += len(take)
        listed_edges.append(
            AppendixEdge(
                sentence=sentences[edge],
                mark=notes.edge_mark(edge),
                contested=evidence.contested,
                claims=tuple(
                    AppendixClaim(
                        mark=notes.claim_marks.get(card.claim_id, ""),
                        quote=card.quote,
                        source=card.source,
                        stance=card.stance,
                        when=card.when,
                        document=card.document,
                        url=card.url if is_safe_url(card.url) else "",
                        published=card.published,
                        verified=card.verified,
                    )
                    for card in take
                ),
                total=evidence.total,
            )
        )
    return Appendix(tuple(listed_edges), listed, total, len(edges))
