"""Playback as a film: an animated GIF, an MP4 or a WebM, one frame per playback step.

Each frame is the report figure (:func:`dashboard.draw.report_figure.report_figure`:
title, caption with every filter, legend, footnote marks and the list of sources) of
the view with the frame's period as its time range, plus the period written large in
the corner. Positions never move: every frame has the same size, the same plot area
(taller caption or bibliography or not) and the same axis ranges, fitted to the actors of
the whole span.

Frames are drawn by Chromium through kaleido (one browser session for the whole film,
``plotly.io.write_images``); Pillow assembles the GIF, and Debian's ``ffmpeg`` encodes
MP4 (H.264) and WebM (VP9).

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.positions.compute import compute_layout
>>> from dashboard.query.timeline import Playback, TimeView
>>> from dashboard.query.view_state import ViewState
>>> net = Network.from_dataset(load_or_raise("data"))
>>> state = ViewState(time=TimeView(playback=Playback(10, 10)))
>>> figures = film_figures(net, state, compute_layout(net, "force"), "Iran", "bundled")
>>> len(figures), {f["layout"]["height"] for f in figures} == {figures[0]["layout"]["height"]}
(4, True)
>>> figures[0]["layout"]["meta"]["period"], figures[-1]["layout"]["meta"]["period"]
('1990–1999', '2020–2026')
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from dashboard.draw.report_figure import ExportError, export_engine_problem, report_figure
from dashboard.draw.report_layout import Frame
from dashboard.graph import Network
from dashboard.query import periods
from dashboard.query.filters import apply_filters
from dashboard.query.timeline import frame_filters, frames, parse_spec
from dashboard.query.view_state import ViewState

FILM_FORMATS = {"gif": "image/gif", "mp4": "video/mp4", "webm": "video/webm"}
MAX_FILM_FRAMES = 400
# 1280 px wide, as a screen recording; the map 640 px high whatever the notes need.
FILM_FRAME = Frame(1280, 1000, 16, map_height=640)
FFMPEG_CODECS = {
    "mp4": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "23"],
    "webm": ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "36",
             "-deadline", "realtime", "-cpu-used", "8"],
}  # fmt: skip


def film_engine_problem(file_format: str) -> str | None:
    """Why this machine cannot make a film of ``file_format``, or None if it can."""
    problem = export_engine_problem()
    if problem:
        return problem
    if file_format in FFMPEG_CODECS and shutil.which("ffmpeg") is None:
        return (
            f"{file_format.upper()} export needs ffmpeg, and none was found. Install it "
            "(Debian or Ubuntu: apt-get install ffmpeg), or export a GIF."
        )
    return None


def film_figures(
    network: Network,
    state: ViewState,
    positions: np.ndarray,
    title: str,
    data_name: str,
    today: date | None = None,
) -> list[dict]:
    """The report figure of each frame of ``state``'s playback, as figure dicts of one
    size, each with its period in ``layout.meta`` and written in its corner."""
    scale = periods.time_scale(network)
    if scale is None:
        raise ExportError("No claim is dated: there is nothing to play.")
    found = frames(scale, state.time.playback)
    if len(found) > MAX_FILM_FRAMES:
        raise ExportError(
            f"{len(found):,} frames are too many for a film (at most {MAX_FILM_FRAMES}); "
            "choose a longer step."
        )
    plain = replace(state, time=replace(state.time, compare=None))
    # One place for every frame: the map fitted to the whole span's actors, at one size.
    whole = replace(plain, filters=plain.filters.without_time())
    ranges = _ranges_of(
        report_figure(
            apply_filters(network, whole.filters), positions, whole, title, data_name, today,
            frame=FILM_FRAME,
        )
    )  # fmt: skip
    figures = []
    for number, frame in enumerate(found):
        filters = frame_filters(network, state.filters, frame)
        view = apply_filters(network, filters)
        figure = report_figure(
            view, positions, replace(plain, filters=filters), title, data_name, today,
            frame=FILM_FRAME, ranges=ranges,
        ).to_plotly_json()  # fmt: skip
        layout = figure["layout"]
        layout["annotations"] = [*layout.get("annotations", ()), _period_mark(frame[2])]
        layout["meta"] = {"frame": number, "frames": len(found), "period": frame[2]}
        figures.append(figure)
    top = math.ceil(max(f["layout"]["margin"]["t"] for f in figures))
    bottom = math.ceil(max(f["layout"]["margin"]["b"] for f in figures))
    bottom += (FILM_FRAME.map_height + top + bottom) % 2  # H.264 wants even sizes
    for figure in figures:  # one size and one plot area for every frame
        figure["layout"]["margin"].update(t=top, b=bottom)
        figure["layout"]["height"] = FILM_FRAME.map_height + top + bottom
        figure["layout"]["width"] = FILM_FRAME.width
    return figures


def _ranges_of(figure) -> dict:
    layout = figure.layout
    return {"x": list(layout.xaxis.range), "y": list(layout.yaxis.range)}


def _period_mark(label: str) -> dict:
    return {
        "text": f"<b>{label}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 0.005,
        "y": 0.995,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 30, "color": "#1f2933"},
        "bgcolor": "rgba(255,255,255,0.85)",
    }


def render_frames(figures: list[dict], scale: float = 1.0) -> list[bytes]:
    """PNG bytes of each figure, drawn by one Chromium session (kaleido)."""
    import plotly.io as pio

    problem = export_engine_problem()
    if problem:
        raise ExportError(problem)
    with tempfile.TemporaryDirectory(prefix="film-") as folder:
        paths = [Path(folder) / f"frame-{i:04d}.png" for i in range(len(figures))]
        try:
            pio.write_images(
                figures,
                paths,
                format="png",
                scale=scale,
                width=[f["layout"]["width"] for f in figures],
                height=[f["layout"]["height"] for f in figures],
                validate=False,
            )
        except Exception as exc:  # kaleido and the browser fail in many ways; say which
            raise ExportError(f"drawing the frames failed: {type(exc).__name__}: {exc}") from exc
        return [path.read_bytes() for path in paths]


def encode_gif(pngs: list[bytes], fps: float) -> bytes:
    """An animated GIF that loops, each frame shown 1/fps seconds (Pillow)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(png)).convert("RGB") for png in pngs]
    out = io.BytesIO()
    images[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=round(1000 / fps),
        loop=0,
        optimize=False,
    )
    return out.getvalue()


def encode_video(pngs: list[bytes], fps: float, file_format: str) -> bytes:
    """An MP4 (H.264) or WebM (VP9) of the frames, by ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ExportError(film_engine_problem(file_format) or "ffmpeg was not found")
    with tempfile.TemporaryDirectory(prefix="film-") as folder:
        for i, png in enumerate(pngs):
            (Path(folder) / f"frame-{i:04d}.png").write_bytes(png)
        target = Path(folder) / f"film.{file_format}"
        command = [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-framerate", f"{fps:g}", "-i", str(Path(folder) / "frame-%04d.png"),
            # Even sizes, as H.264's and VP9's 4:2:0 sampling want.
            "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white",
            *FFMPEG_CODECS[file_format], str(target),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ExportError(f"ffmpeg failed: {done.stderr.strip()[-500:]}")
        return target.read_bytes()


def render_film(
    figures: list[dict], file_format: str, fps: float = 1.0, scale: float = 1.0
) -> bytes:
    """The film's bytes: frames drawn, then assembled (runs in a worker process)."""
    if file_format not in FILM_FORMATS:
        raise ExportError(
            f"cannot make a {file_format!r} film; choose one of {', '.join(FILM_FORMATS)}"
        )
    problem = film_engine_problem(file_format)
    if problem:
        raise ExportError(problem)
    pngs = render_frames(figures, scale)
    if file_format == "gif":
        return encode_gif(pngs, fps)
    return encode_video(pngs, fps, file_format)


def write_film(
    network: Network,
    state: ViewState,
    out: Path,
    title: str,
    data_name: str,
    window: str | None = None,
    step: str | None = None,
    fps: float = 1.0,
) -> str:
    """``dashboard export DATA --out film.gif``: the film of ``state``'s playback, its
    window and step replaced by ``window`` and ``step`` when given (``1y``, ``6m``,
    ``all``). Returns what was written; raises ValueError for a window or step this
    data's time slider cannot take, ExportError when the film cannot be made."""
    from dashboard.positions.cache import LayoutCache

    scale = periods.time_scale(network)
    unit = "year" if scale is None else scale.unit
    notices: list[str] = []
    playback = state.time.playback
    if window is not None:
        width = parse_spec(window, unit, True, notices, "--window")
        playback = replace(playback, window=playback.window if width is None else width)
    if step is not None:
        stride = parse_spec(step, unit, False, notices, "--step")
        playback = replace(playback, step=playback.step if stride is None else stride)
    if notices:
        raise ValueError("; ".join(notices))
    state = replace(state, time=replace(state.time, playback=playback))
    positions = LayoutCache(network).get(state.layout)
    figures = film_figures(network, state, positions, title, data_name)
    file_format = out.suffix.lower().lstrip(".")
    out.write_bytes(render_film(figures, file_format, fps))
    first, last = figures[0]["layout"]["meta"]["period"], figures[-1]["layout"]["meta"]["period"]
    return f"Wrote {out} ({len(figures)} frames, {first} to {last}, {fps:g} a second)"
