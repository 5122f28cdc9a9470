"""Where things go on a report's page: the frame, text sizes, and axis ranges that fit
the visible network tightly.

Sizes are CSS pixels, 96 to the inch, as Chromium lays out and prints them: a 10 px font
is 7.5 pt on paper at the page's size. The page's figure fixes its axes from the whole
layout so that nothing moves while filtering; an export instead fits what is visible,
labels and footnote marks included (:func:`fit_ranges`).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np

from dashboard.draw import roles
from dashboard.draw.figures import edge_curves
from dashboard.draw.typed_arrays import typed, untyped
from dashboard.query.filters import View

PX_PER_PT = 96 / 72
PX_PER_MM = 96 / 25.4
MIN_FONT_PT = 7.0
TEXT_PX = 10.0  # 7.5 pt: labels, marks, legend, sources; nothing smaller is drawn
CAPTION_PX = 11.0
TITLE_PX = 18.0
LINE = 1.3  # a line's height, in font sizes
CHAR_WIDTH = 0.56  # average glyph width in font sizes (Liberation Sans is ~0.5; margin)
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
LEGEND_RIGHT = 180.0  # px of legend beside the map, on frames wide enough for it
WIDE_ENOUGH = 900.0  # px: narrower frames put the legend under the map
GAP = 10.0  # px between blocks


@dataclass(frozen=True)
class Frame:
    """A figure's size in px: ``width`` and the page's ``height`` (the figure grows when
    its notes need more), ``pad`` around everything (a page's margins), and the map's
    height (None: what the page leaves after title, legend and notes)."""

    width: float
    height: float
    pad: float = 0.0
    map_height: float | None = None

    @property
    def inner_width(self) -> float:
        return self.width - 2 * self.pad

    @property
    def legend_beside(self) -> bool:
        return self.inner_width >= WIDE_ENOUGH


DEFAULT_FRAME = Frame(297 * PX_PER_MM, 210 * PX_PER_MM, 12 * PX_PER_MM)  # A4 landscape


def wrap(lines: list[str], width_px: float, font_px: float) -> list[str]:
    """Lines broken to fit ``width_px`` at ``font_px`` (long words are split, not cut).

    >>> wrap(["one two three four"], 60, 10)
    ['one two', 'three four']
    """
    columns = max(8, math.floor(width_px / (font_px * CHAR_WIDTH)))
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, columns, break_on_hyphens=False) or [""]
    return out


def text_height(n_lines: int, font_px: float) -> float:
    return n_lines * font_px * LINE


def label_box(text_lines: list[str], font_px: float = TEXT_PX) -> tuple[float, float]:
    """Width and height in px of a block of text lines."""
    longest = max((len(line) for line in text_lines), default=0)
    return longest * font_px * CHAR_WIDTH, text_height(len(text_lines), font_px)


def fit_ranges(
    x: np.ndarray,
    y: np.ndarray,
    extents: np.ndarray,
    width: float,
    height: float,
    pad: float = 6.0,
) -> dict:
    """Axis ranges in which every point, with its extent in px around it (left, right,
    down, up), fits a ``width`` x ``height`` px plot at one scale for both axes, as
    large as possible.

    >>> r = fit_ranges(np.array([0.0, 1.0]), np.array([0.0, 0.0]), np.zeros((2, 4)), 100, 100, 0)
    >>> [round(v, 3) for v in r["x"]], [round(v, 3) for v in r["y"]]
    ([0.0, 1.0], [-0.5, 0.5])
    """
    if not len(x):
        return {"x": [-1.0, 1.0], "y": [-1.0, 1.0]}
    left, right, down, up = (extents[:, i] + pad for i in range(4))

    def needed(scale: float) -> tuple[float, float]:
        w = np.max(x * scale + right) - np.min(x * scale - left)
        h = np.max(y * scale + up) - np.min(y * scale - down)
        return w, h

    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-9)
    low, high = 0.0, 4 * max(width, height) / span
    for _ in range(60):  # bisection: the needed size grows with the scale
        middle = (low + high) / 2
        w, h = needed(middle)
        low, high = (middle, high) if w <= width and h <= height else (low, middle)
    scale = max(low, 1e-9)
    x_low, x_high = np.min(x - left / scale), np.max(x + right / scale)
    y_low, y_high = np.min(y - down / scale), np.max(y + up / scale)
    x_mid, y_mid = (x_low + x_high) / 2, (y_low + y_high) / 2
    half_w, half_h = width / scale / 2, height / scale / 2
    return {
        "x": [float(x_mid - half_w), float(x_mid + half_w)],
        "y": [float(y_mid - half_h), float(y_mid + half_h)],
    }


ITEM_PX = 19.0  # a legend row at TEXT_PX, as Plotly draws it


def legend_groups(traces: list[dict]) -> list[tuple[str, list[str]]]:
    groups: dict[str, tuple[str, list[str]]] = {}
    for trace in traces:
        if trace.get("meta", {}).get("role") == roles.LEGEND:
            title = (trace.get("legendgrouptitle") or {}).get("text") or ""
            found = groups.setdefault(trace.get("legendgroup", ""), (title, []))
            found[1].append(trace.get("name", ""))
    return list(groups.values())


def group_height(names: list[str]) -> float:
    return ITEM_PX * (len(names) + 1) + 5


def legend_beside_height(traces: list[dict]) -> float:
    return sum(group_height(names) for _, names in legend_groups(traces))


def legend_below_height(traces: list[dict], width: float) -> float:
    """A horizontal legend puts its groups side by side, each a column of items, and
    wraps the groups into rows."""
    rows: list[tuple[float, float]] = []  # (width used, height)
    for title, names in legend_groups(traces):
        # Measured on Plotly's drawing at TEXT_PX: a 40 px swatch, ~0.45 em a character.
        items = 40 + max((len(n) for n in names), default=0) * TEXT_PX * 0.45
        group_w = max(len(title) * TEXT_PX * 0.5, items) + 8
        if rows and rows[-1][0] + group_w <= width:
            used, height = rows[-1]
            rows[-1] = (used + group_w, max(height, group_height(names)))
        else:
            rows.append((group_w, group_height(names)))
    return sum(height for _, height in rows) + GAP


def fitted_ranges(
    view: View,
    positions: np.ndarray,
    step: dict,
    mark_boxes: list[tuple[float, float, float, float]],
    width: float,
    height: float,
    shrink: float = 1.0,
) -> dict:
    """Axis ranges that fit the visible actors with their labels, the edges' curves and
    the footnote marks into the map's ``width`` x ``height`` px."""
    nodes = np.flatnonzero(view.node_mask)
    sizes = np.asarray(step["nodeSize"], dtype=float)
    radius = sizes * shrink / 2 + 2
    labels = dict(zip(np.asarray(step["labels"]).tolist(), step["labelTexts"], strict=True))
    xs, ys, boxes = [], [], []
    for node, r in zip(nodes.tolist(), radius.tolist(), strict=True):
        text = labels.get(node)
        w, h = label_box(text.split("<br>")) if text else (0.0, 0.0)
        xs.append(positions[node, 0])
        ys.append(positions[node, 1])
        boxes.append((max(r, w / 2), max(r, w / 2), r + h + 2, r))
    edges = np.flatnonzero(view.edge_mask)
    if len(edges) and len(edges) <= 20_000:
        x, y, _, _ = edge_curves(view, positions, edges, np.linspace(0, 1, 9))
        xs += x.ravel().tolist()
        ys += y.ravel().tolist()
        boxes += [(2.0, 2.0, 2.0, 2.0)] * x.size
    for px, py, half_w, half_h in mark_boxes:
        xs.append(px)
        ys.append(py)
        boxes.append((half_w, half_w, half_h, half_h))
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    extents = np.asarray(boxes, dtype=float).reshape(-1, 4)
    keep = np.isfinite(x) & np.isfinite(y)
    return fit_ranges(x[keep], y[keep], extents[keep], width, height)


SMALL_MAP = 700.0  # px: narrower maps draw actors smaller, down to ...
SMALLEST_ACTORS = 0.55  # ... this share of their size on screen


def shrink_actors(figure: dict, map_width: float) -> float:
    """Actors drawn smaller on a small map (a journal column): at their screen size of up
    to 44 px they would cover it. Returns the factor."""
    factor = float(np.clip(map_width / SMALL_MAP, SMALLEST_ACTORS, 1.0))
    if factor < 1:
        for trace in figure["data"]:
            if trace["meta"]["role"] == roles.ACTORS:
                marker = trace["marker"]
                marker["size"] = typed(untyped(marker["size"]) * factor)
    return factor
