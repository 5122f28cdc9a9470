"""Figures for reports: the view plus its title, caption, footnotes and sources.

A screenshot loses which filters were on and where each line comes from; an exported
figure carries both. Each visible edge is marked with the numbers of the source
documents behind its claims (see :mod:`dashboard.draw.footnotes`: denials are numbered
apart, D1, D2 ...). The figure is sized for a page (:class:`~dashboard.draw.report_layout.Frame`):
fonts are never under 7 pt at that size, the network fills its frame, labels are whole,
and the caption and sources come under the map. The selection's highlight is left out
unless asked for: a figure shows the evidence, not where the user last clicked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from html import escape

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.draw import roles
from dashboard.draw.assemble import assemble
from dashboard.draw.compare_overlay import comparison_caption, with_comparison
from dashboard.draw.figures import edge_curves
from dashboard.draw.footnotes import LIST_LIMIT, Footnotes, footnotes
from dashboard.draw.path_overlay import path_caption, path_overlay, path_result
from dashboard.draw.report_layout import (
    CAPTION_PX,
    DEFAULT_FRAME,
    FONT_FAMILY,
    GAP,
    LEGEND_RIGHT,
    TEXT_PX,
    TITLE_PX,
    WIDE_ENOUGH,
    Frame,
    fitted_ranges,
    label_box,
    legend_below_height,
    legend_beside_height,
    shrink_actors,
    text_height,
    wrap,
)
from dashboard.draw.scene import build_scene, build_step, resolve_sizing
from dashboard.graph import UNDATED, day_years
from dashboard.positions.compute import LAYOUTS
from dashboard.query.actor_types import TYPE_MATCHES
from dashboard.query.centrality import Sizing
from dashboard.query.filters import View
from dashboard.query.paths import path_claim_mask
from dashboard.query.view_state import ViewState
from dashboard.text import plural

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
FOOTNOTE_EDGE_LIMIT = 150  # above this, marks on edges would be unreadable
TITLE_LIMIT = 200  # characters: a title is a line; a longer one kept Chromium busy for minutes
EDGE_LABEL_LIMIT = 20  # relations written on the edges of a printed map up to this many
INK = "#1f2933"
HEADING = "\x00"  # starts a heading line among the sources
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
class ReportNotes:
    """What a report says in words: title, caption lines, and the footnotes as lines.
    Plain data (it goes to a worker process and into every format)."""

    title: str
    caption: list[str]
    sources: list[str]  # "1. Source, “Document”, date, url"
    denials: list[str]  # "D1. ... — denies"
    sources_note: str = ""  # e.g. " (1–3: behind the path)"
    omitted: list[str] = field(default_factory=list)  # what the lists leave out, and where it is


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
        f"numbers on edges refer to the sources listed below (D: a source that denies it).",
    ]


def report_notes(
    view: View,
    state: ViewState,
    title: str,
    data_name: str,
    today: date | None = None,
    sizing: Sizing | None = None,
) -> tuple[ReportNotes, Footnotes]:
    """The caption and the numbered footnotes of the view's report."""
    paths = path_result(view, state)
    path = paths.chosen if paths is not None else None
    notes = footnotes(view, path_claim_mask(view, path) if path is not None else None)
    caption = describe_view(state, view)
    if sizing is not None:
        caption.append(sizing.note)
    caption.append(
        f"Data: {data_name}. Exported {(today or date.today()).isoformat()} with Actor Network Dashboard."
    )
    n_edges = int(view.edge_mask.sum())
    omitted = []
    if n_edges > FOOTNOTE_EDGE_LIMIT:
        caption.append(f"Footnote marks left out: {n_edges} edges are too many to mark legibly.")
    for run, name in ((notes.entries, "sources"), (notes.denials, "denying sources")):
        if len(run) > LIST_LIMIT:
            omitted.append(
                f"… and {len(run) - LIST_LIMIT:,} more {name}; edges carry no marks. The "
                "evidence appendix (Export report) and the claims CSV list every claim."
            )
    sources, denials = notes.lines()
    lead = ""
    if path is not None and notes.leading:
        lead = (
            " (1: behind the path)"
            if notes.leading == 1
            else f" (1–{notes.leading}: behind the path)"
        )
    return ReportNotes(title, caption, sources, denials, lead, omitted), notes


def report_figure(
    view: View,
    positions: np.ndarray,
    state: ViewState,
    title: str,
    data_name: str,
    today: date | None = None,
    sizing: Sizing | None = None,
    frame: Frame = DEFAULT_FRAME,
    highlight: bool = False,
    ranges: dict | None = None,
) -> go.Figure:
    """The view as the browser shows it, fitted to ``frame``, with title, caption,
    footnote marks and sources (a PNG or SVG: one picture carries everything).

    ``sizing``: betweenness already computed (the app's); computed here when needed.
    ``ranges``: the map's axis ranges, for figures that must show one place alike (a
    film's frames); by default fitted to the visible actors.
    """
    notes, marks = report_notes(view, state, title, data_name, today, sizing)
    return report_map(view, positions, state, notes, marks, frame, sizing, highlight, True, ranges)


def report_map(
    view: View,
    positions: np.ndarray,
    state: ViewState,
    notes: ReportNotes,
    marks: Footnotes,
    frame: Frame = DEFAULT_FRAME,
    sizing: Sizing | None = None,
    highlight: bool = False,
    with_notes: bool = True,
    ranges: dict | None = None,
) -> go.Figure:
    """The map with its title, legend and footnote marks; with ``with_notes`` the caption
    and the sources under it, else (a document carries them as text) room for them is
    left on the page."""
    metric, sizing = resolve_sizing(view, state.size_by, sizing)
    paths = path_result(view, state)
    path = paths.chosen if paths is not None else None
    # Hop numbers a third of the way along, clear of the footnote marks.
    overlays = path_overlay(view, positions, path, numbers_at=0.3) if path is not None else None
    overlays = with_comparison(view, positions, state, overlays)
    scene = build_scene(view.network, positions)
    step = build_step(view, scene, metric, sizing, full_labels=True)
    beside = frame.legend_beside
    drawn = assemble(scene, step, state.selection if highlight else None, overlays, not beside)
    _print_sizes(drawn)
    edges = np.flatnonzero(view.edge_mask)
    marked = len(edges) <= FOOTNOTE_EDGE_LIMIT and marks.listable
    annotations = list(drawn["layout"]["annotations"])
    named = len(edges) <= EDGE_LABEL_LIMIT
    mark_boxes = _footnote_marks(view, positions, edges, marks if marked else None, named)
    annotations += [a for a, _ in mark_boxes]

    width = frame.inner_width
    title_lines = wrap([notes.title], width, TITLE_PX)
    title_h = text_height(len(title_lines), TITLE_PX) + GAP
    caption_lines = wrap(notes.caption, width, CAPTION_PX)
    columns = 2 if width >= WIDE_ENOUGH else 1
    source_columns = _columns(_source_lines(notes, (width - GAP) / columns), columns)
    caption_h = text_height(len(caption_lines), CAPTION_PX)
    sources_h = text_height(max(map(len, source_columns)), TEXT_PX)
    page_h = frame.height - 2 * frame.pad
    if not with_notes:  # the document flows them; keep the caption and a few sources on page 1
        sources_h = min(sources_h, text_height(8, TEXT_PX))

    def map_height(legend_h: float) -> float:
        return frame.map_height or max(
            page_h - title_h - legend_h - caption_h - sources_h - 3 * GAP, page_h * 0.5
        )

    # Beside the map only if it fits there: a legend taller than the map is cut.
    beside = beside and map_height(0) >= legend_beside_height(drawn["data"])
    if not beside:
        drawn = assemble(scene, step, state.selection if highlight else None, overlays, True)
        _print_sizes(drawn)
        annotations = list(drawn["layout"]["annotations"]) + [a for a, _ in mark_boxes]
    legend_h = 0.0 if beside else legend_below_height(drawn["data"], width)
    map_h = map_height(legend_h)
    map_w = width - (LEGEND_RIGHT if beside else 0)
    below = legend_h + (2 * GAP + caption_h + GAP + sources_h if with_notes else GAP)
    height = frame.pad * 2 + title_h + map_h + below
    shrink = shrink_actors(drawn, map_w)
    boxes = [b for _, b in mark_boxes]
    if ranges is None:
        ranges = fitted_ranges(view, positions, step, boxes, map_w, map_h, shrink)

    if with_notes:
        annotations += [
            _text_block("<br>".join(map(escape, caption_lines)), -(legend_h + 2 * GAP), CAPTION_PX),
            *(
                _text_block(
                    "<br>".join(_bold_headings(lines)),
                    -(legend_h + 3 * GAP + caption_h),
                    TEXT_PX,
                    x=i / columns + (GAP / width / 2 if i else 0),
                )
                for i, lines in enumerate(source_columns)
                if lines
            ),
        ]
    layout = drawn["layout"]
    layout["xaxis"]["range"] = ranges["x"]
    layout["yaxis"]["range"] = ranges["y"]
    layout["legend"]["font"] = {"size": TEXT_PX}
    if not beside:
        layout["legend"].update(y=-0.01, entrywidth=0, itemwidth=30)
    # The title as an annotation: Plotly places a title of several lines partly off the top.
    annotations.append(
        {
            **_text_block("<br>".join(map(escape, title_lines)), title_h, TITLE_PX),
            "yref": "paper",
            "y": 1,
        }
    )
    figure = go.Figure(drawn)
    figure.update_layout(
        font={"family": FONT_FAMILY, "color": INK},
        width=round(frame.width),
        height=round(height),
        margin={
            "l": frame.pad,
            "r": frame.pad + (LEGEND_RIGHT if beside else 0),
            "t": frame.pad + title_h,
            "b": frame.pad + below,
            "autoexpand": False,
        },
        annotations=annotations,
    )
    return figure


def _print_sizes(figure: dict) -> None:
    """No text under ``TEXT_PX`` (7.5 pt at the page's size): the map's labels are drawn
    for a screen, where 9 px reads. The relations written on edges go: the footnote
    marks say them (see :func:`_footnote_marks`), where they would otherwise overlap."""
    figure["data"] = [t for t in figure["data"] if t["meta"]["role"] != roles.EDGE_LABELS]
    for trace in figure["data"]:
        if "textfont" in trace:
            trace["textfont"] = {
                **trace["textfont"],
                "size": max(trace["textfont"].get("size", 0), TEXT_PX),
            }
    for note in figure["layout"]["annotations"]:
        note["font"] = {
            **note.get("font", {}),
            "size": max(note.get("font", {}).get("size", 0), TEXT_PX),
        }


def _columns(lines: list[str], count: int) -> list[list[str]]:
    """``lines`` in ``count`` columns of about equal length; no heading ends a column."""
    if count == 1:
        return [lines]
    cut = -(-len(lines) // 2)
    while cut > 1 and lines[cut - 1].startswith(HEADING):
        cut -= 1
    return [lines[:cut], lines[cut:]]


def _source_lines(notes: ReportNotes, width: float) -> list[str]:
    """The footnotes wrapped, under "Sources" and "Denials" headings (starting ``HEADING``)."""
    lines = [f"{HEADING}Sources{notes.sources_note}"]
    lines += wrap(notes.sources or ["none"], width, TEXT_PX)
    if notes.denials:
        lines += [f"{HEADING}Denials (D: a source that denies the relation it is marked on)"]
        lines += wrap(notes.denials, width, TEXT_PX)
    lines += wrap(notes.omitted, width, TEXT_PX) if notes.omitted else []
    return lines


def _bold_headings(lines: list[str]) -> list[str]:
    return [
        f"<b>{escape(line[1:])}</b>" if line.startswith(HEADING) else escape(line) for line in lines
    ]


def _text_block(text: str, shift: float, size: float, x: float = 0) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "yshift": shift,
        "align": "left",
        "showarrow": False,
        "font": {"size": size, "color": INK},
    }


def _footnote_marks(
    view: View,
    positions: np.ndarray,
    edges: np.ndarray,
    marks: Footnotes | None,
    named: bool,
) -> list[tuple[dict, tuple[float, float, float, float]]]:
    """At each edge's middle its footnote mark ("3, D1"), with its relation before it
    when few edges show ("funds · 3, D1"); and its place and half size in px (for
    fitting the map)."""
    if not len(edges) or (marks is None and not named):
        return []
    x, y, _, _ = edge_curves(view, positions, edges, np.array([0.5]))
    relations = view.network.edges["relation"].to_numpy()
    found = []
    for e, px, py in zip(edges.tolist(), x[:, 0].tolist(), y[:, 0].tolist(), strict=True):
        parts = [relations[e]] if named else []
        if marks is not None and (mark := marks.edge_mark(int(e))):
            parts.append(mark)
        if not parts:
            continue
        text = " · ".join(parts)
        w, h = label_box([text])
        note = {
            "text": escape(text),
            "x": px,
            "y": py,
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "font": {"size": TEXT_PX, "color": "#374151"},
            "bgcolor": "rgba(255,255,255,0.8)",
            "borderpad": 1,
        }
        found.append((note, (px, py, w / 2 + 2, h / 2 + 2)))
    return found


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
