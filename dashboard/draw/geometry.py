"""Where edges run: each edge is a quadratic Bezier curve from its ``from`` actor to its
``to`` actor, bent by its rank among parallel edges; a self-loop is a small circle
through its actor. Pure numpy; assets/network.js evaluates the same curves.

>>> import numpy as np
>>> p0, p2 = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
>>> control, loop = control_points(p0, p2, np.array([0.0, 1.0]))
>>> control[0].tolist(), float(loop[0]), round(float(loop[1]), 3)
([0.5, 0.0], 0.0, 0.068)
>>> x, y, dx, dy = curve_points(p0, control, p2, loop, np.array([0.0, 0.5, 1.0]))
>>> x[0].tolist(), y[1].round(3).tolist()
([0.0, 0.5, 1.0], [1.0, 1.135, 1.0])
"""

from __future__ import annotations

import numpy as np

from dashboard.draw.style import BEND, LOOP_RADIUS


def control_points(
    p0: np.ndarray, p2: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each edge's Bezier control point, and its loop radius (0 unless a self-loop).

    ``offsets`` is the signed rank among parallel edges (0 for a lone edge).
    """
    delta = p2 - p0
    length = np.hypot(delta[:, 0], delta[:, 1])
    safe = np.where(length == 0, 1.0, length)[:, None]
    normal = np.stack([-delta[:, 1], delta[:, 0]], axis=1) / safe
    control = (p0 + p2) / 2 + normal * (offsets * BEND * length)[:, None]
    loop = np.where(length == 0, LOOP_RADIUS * (1 + 0.35 * np.abs(offsets)), 0.0)
    return control, loop


def curve_points(p0, control, p2, loop, t: np.ndarray):
    """Points along each curve, and the tangents there.

    ``t`` is either one row of fractions shared by all edges (giving arrays of
    len(edges) x len(t)) or one column with a fraction per edge (len(edges) x 1).
    """
    s = t if t.ndim == 2 else t[None, :]
    s = np.broadcast_to(s, (len(p0), s.shape[1]))
    x0, y0 = p0[:, :1], p0[:, 1:]
    cx, cy = control[:, :1], control[:, 1:]
    x2, y2 = p2[:, :1], p2[:, 1:]
    x = (1 - s) ** 2 * x0 + 2 * (1 - s) * s * cx + s**2 * x2
    y = (1 - s) ** 2 * y0 + 2 * (1 - s) * s * cy + s**2 * y2
    dx = 2 * (1 - s) * (cx - x0) + 2 * s * (x2 - cx)
    dy = 2 * (1 - s) * (cy - y0) + 2 * s * (y2 - cy)
    looped = loop > 0
    if looped.any():
        radius = loop[looped][:, None]
        angle = 2 * np.pi * s[looped]
        x[looped] = x0[looped] + radius * np.sin(angle)
        y[looped] = y0[looped] + radius * (1 - np.cos(angle))
        dx[looped] = np.cos(angle)
        dy[looped] = np.sin(angle)
    return x, y, dx, dy


def with_gaps(points: np.ndarray) -> np.ndarray:
    """Rows of points as one array with NaN between rows, so one trace draws many lines."""
    gapped = np.full((points.shape[0], points.shape[1] + 1), np.nan, dtype=float)
    gapped[:, :-1] = points
    return gapped.ravel()


def arrow_angles(dx: np.ndarray, dy: np.ndarray, step: float) -> np.ndarray:
    """Marker angles (degrees clockwise from up) rounded to ``step``: WebGL makes a glyph
    per distinct angle, so thousands of exact angles take seconds to draw."""
    angle = np.degrees(np.arctan2(dx, dy))
    return np.mod(np.round(angle / step) * step, 360.0)
