"""Figures for reports: the view plus its title, caption, footnotes and bibliography.

A screenshot loses which filters were on and where each line comes from; an exported
figure carries both. Each visible edge is marked with the numbers of the bibliography
entries (source and document) behind its claims.
"""

from __future__ import annotations

import textwrap
import threading
from dataclasses import dataclass
from datetime import date
from html import escape

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.draw.compare_overlay import comparison_caption, with_comparison
from dashboard.draw.figures import build_figure, edge_curves
from dashboard.draw.path_overlay import path_caption, path_overlay, path_result
from dashboard.draw.scene import resolve_sizing
from dashboard.graph import NO_SOURCE, UNDATED, day_years
from dashboard.positions.compute import LAYOUTS
from dashboard.query.actor_types import TYPE_MATCHES
from dashboard.query.centrality import Sizing
from dashboard.query.filters import View
from dashboard.query.paths import path_claim_mask
from dashboard.query.view_state import ViewState
from dashboard.text import plural

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
WIDTH, PLOT_HEIGHT = 1400, 900
BIBLIOGRAPHY_LIMIT = 60  # entries listed; the claims CSV has them all
FOOTNOTE_EDGE_LIMIT = 150  # above this, marks on edges would be unreadable
LINE_HEIGHT = 15
WRAP = 190
TITLE_LIMIT = 200  # characters: a title is a line; a longer one kept Chromium busy for minutes
_render_lock = threading.Lock()


def title_problem(title: str) -> str | None:
    """Why ``title`` cannot be a figure's title, or None if it can.

    >>> title_problem("Iran and al-Qaeda"), title_problem("x" * 201)
    (None, 'The title has 201 characters; at most 200 fit a figure. Shorten it.')
    """
    if len(title) > TITLE_LIMIT:
        return f"The title has {len(title):,} characters; at most {TITLE_LIMIT} fit a figure. Shorten it."
    return None


@dataclass(frozen=True)
class Bibliography:
    entries: tuple[str, ...]  # plain text, numbered from 1
    edge_references: dict[int, tuple[int, ...]]
    omitted: int
    leading: int = 0  # entries numbered first, behind the claims ``first`` named


def bibliography(view: View, first: np.ndarray | None = None) -> Bibliography:
    """Number each distinct (source, document) behind the shown claims, per edge too;
    those behind the claims in ``first`` (a claim mask: a path's) come first."""
    net = view.network
    claims = net.claims[view.claim_mask]
    edges = net.claim_edge[view.claim_mask]
    leading = np.zeros(len(claims), dtype=bool) if first is None else first[view.claim_mask]
    keys = list(
        zip(
            claims["source"].replace("", NO_SOURCE).tolist(),
            claims["document"].tolist(),
            claims["url"].tolist(),
            claims["published"].tolist(),
            strict=True,
        )
    )
    led = {key for key, lead in zip(keys, leading.tolist(), strict=True) if lead}
    ordered = sorted(
        set(keys), key=lambda k: (k not in led, k[0].casefold(), k[1].casefold(), k[2], k[3])
    )
    number = {key: i + 1 for i, key in enumerate(ordered)}
    references: dict[int, set[int]] = {}
    for edge, key in zip(edges.tolist(), keys, strict=True):
        if edge >= 0:
            references.setdefault(edge, set()).add(number[key])
    entries = tuple(_entry(*key) for key in ordered)
    return Bibliography(
        entries[:BIBLIOGRAPHY_LIMIT],
        {e: tuple(sorted(refs)) for e, refs in references.items()},
        max(0, len(entries) - BIBLIOGRAPHY_LIMIT),
        len(led),
    )


def _entry(source: str, document: str, url: str, published: str) -> str:
    parts = [source]
    if document:
        parts.append(f"in “{document}”")
    if published:
        parts.append(f"published {published}")
    if url:
        parts.append(url)
    return ", ".join(parts)


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


def describe_view(state: ViewState, view: View) -> list[str]:
    """The caption, as plain sentences: the period, every active filter, what is shown."""
    f = state.filters
    net = view.network
    if f.period_label is not None:
        period = f.period_label
        period += ", undated claims included" if f.include_undated else ", undated claims left out"
    else:
        shown = view.claim_mask & (net.claim_start_day != UNDATED)
        undated = int((view.claim_mask & (net.claim_start_day == UNDATED)).sum())
        span = (
            f"{day_years(net.claim_start_day[shown].min())}–{day_years(net.claim_end_day[shown].max())}"
            if shown.any()
            else "none dated"
        )
        period = f"all dates (claims shown span {span}"
        period += f"; {undated} undated" if f.include_undated and undated else ""
        period += ")" if f.include_undated else "; undated claims left out)"
    active = [f"Period: {period}"]
    for label, values in (
        ("Sources", f.sources),
        ("Relations", f.relations),
        (f"Actor types ({TYPE_MATCHES[f.type_match]} of a claim)", f.actor_types),
        ("Stance", f.stances),
    ):
        if values:
            active.append(f"{label}: {', '.join(sorted(values))}")
    if f.min_sources > 1:
        active.append(f"At least {plural(f.min_sources, 'source')} per edge")
    if f.focus:
        name = net.actor_names[net.actor_code[f.focus]] if f.focus in net.actor_code else f.focus
        active.append(f"Focus: {name}, {plural(f.depth, 'step')} around")
    if len(active) == 1:
        active.append("no other filters")
    paths = path_result(view, state)
    return [
        " · ".join(active),
        *([path_caption(view, paths)] if paths is not None else []),
        *comparison_caption(view, state),
        f"Shown: {view.counts_text()}. Layout: {LAYOUTS.get(state.layout, state.layout).lower()}. "
        f"Edges: colour = relation, width = number of sources, dashed = contested; "
        f"numbers on edges refer to the sources listed below.",
    ]


def _wrapped(lines: list[str]) -> str:
    """Escaped text with <br> breaks: Plotly neither wraps nor escapes annotation text."""
    return "<br>".join(escape(part) for line in lines for part in textwrap.wrap(line, WRAP) or [""])


def report_figure(
    view: View,
    positions: np.ndarray,
    state: ViewState,
    title: str,
    data_name: str,
    today: date | None = None,
    sizing: Sizing | None = None,
) -> go.Figure:
    """The view as the browser shows it, plus title, caption, footnotes and bibliography.

    ``sizing``: betweenness already computed (the app's); computed here when needed.
    """
    metric, sizing = resolve_sizing(view, state.size_by, sizing)
    paths = path_result(view, state)
    path = paths.chosen if paths is not None else None
    # Hop numbers a third of the way along, clear of the footnote marks.
    overlays = path_overlay(view, positions, path, numbers_at=0.3) if path is not None else None
    overlays = with_comparison(view, positions, state, overlays)
    drawn = build_figure(
        view,
        positions,
        size_by=metric,
        selection=state.selection,
        sizing=sizing,
        overlays=overlays,
    )
    figure = go.Figure(drawn)
    books = bibliography(view, path_claim_mask(view, path) if path is not None else None)
    caption = describe_view(state, view)
    if sizing is not None:
        caption.append(sizing.note)
    caption.append(
        f"Data: {data_name}. Exported {(today or date.today()).isoformat()} with Actor Network Dashboard."
    )
    edges = np.flatnonzero(view.edge_mask)
    annotations = []
    if len(edges) <= FOOTNOTE_EDGE_LIMIT:
        annotations += _footnote_marks(view, positions, edges, books)
    else:
        caption.append(f"Footnote marks left out: {len(edges)} edges are too many to mark legibly.")
    entries = [f"{i}. {text}" for i, text in enumerate(books.entries, start=1)]
    if books.omitted:
        entries.append(f"… and {books.omitted} more; export the claims as CSV for every source.")
    caption_lines = sum(len(textwrap.wrap(line, WRAP)) or 1 for line in caption)
    bibliography_lines = sum(len(textwrap.wrap(line, WRAP)) or 1 for line in entries) + 1
    top = 70 + LINE_HEIGHT * caption_lines
    bottom = 30 + LINE_HEIGHT * bibliography_lines
    annotations += [
        _text_block(_wrapped(caption), y=1, anchor="bottom", shift=10, size=12),
        _text_block(
            f"<b>Sources</b>{_path_entries(books) if path is not None else ''}<br>"
            + _wrapped(entries),
            y=0,
            anchor="top",
            shift=-10,
            size=11,
        ),
    ]
    figure.update_layout(
        title={
            "text": escape(title),
            "x": 0.01,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "font": {"size": 22},
        },
        width=WIDTH,
        height=PLOT_HEIGHT + top + bottom,
        margin={"l": 20, "r": 20, "t": top, "b": bottom},
        annotations=annotations,
    )
    return figure


def _path_entries(books: Bibliography) -> str:
    if not books.leading:
        return ""
    span = "1" if books.leading == 1 else f"1–{books.leading}"
    return f" ({span}: behind the path)"


def _text_block(text: str, y: float, anchor: str, shift: int, size: int) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": anchor,
        "yshift": shift,
        "align": "left",
        "showarrow": False,
        "font": {"size": size, "color": "#1f2933"},
    }


def _footnote_marks(
    view: View, positions: np.ndarray, edges: np.ndarray, books: Bibliography
) -> list[dict]:
    x, y, _, _ = edge_curves(view, positions, edges, np.array([0.5]))
    return [
        {
            "text": compact_numbers(books.edge_references.get(int(e), ())),
            "x": float(px),
            "y": float(py),
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "font": {"size": 9, "color": "#374151"},
            "bgcolor": "rgba(255,255,255,0.8)",
            "borderpad": 1,
        }
        for e, px, py in zip(edges.tolist(), x[:, 0], y[:, 0], strict=True)
    ]


def export_engine_problem() -> str | None:
    """Why static images cannot be made on this machine, or None if they can."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return "Image export needs the kaleido package (pip install 'kaleido>=1')."
    if Chromium.find_browser(skip_local=False) is None:
        return (
            "Image export needs Chromium or Google Chrome, and none was found. Install one "
            "(Debian or Ubuntu: apt-get install chromium) or set BROWSER_PATH to its path."
        )
    return None


class ExportError(RuntimeError):
    """A static image could not be made; the message says why, for the user."""


def render_image(figure: go.Figure | dict, file_format: str, scale: float = 2) -> bytes:
    """PNG (at ``scale``), SVG or PDF bytes of ``figure``, through kaleido and Chromium.

    ``figure`` may be a figure's dict (``to_plotly_json()``), as sent to a worker
    process: it is drawn as it is, without validating it again.
    """
    if file_format not in IMAGE_FORMATS:
        raise ExportError(
            f"cannot export {file_format!r}; choose one of {', '.join(IMAGE_FORMATS)}"
        )
    problem = export_engine_problem()
    if problem:
        raise ExportError(problem)
    # One Chromium at a time: kaleido drives a single browser process.
    with _render_lock:
        try:
            return pio.to_image(
                figure,
                format=file_format,
                scale=scale if file_format == "png" else 1,
                validate=not isinstance(figure, dict),
            )
        except Exception as exc:  # kaleido and the browser fail in many ways; say which
            raise ExportError(f"image export failed: {type(exc).__name__}: {exc}") from exc
