"""Films of the playback: one frame per step, each a report figure of its period with the
caption and sources, all of one size; GIF by Pillow, MP4 and WebM by ffmpeg."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from PIL import Image

from dashboard.cli import main
from dashboard.draw.report_figure import ExportError
from dashboard.export.film import encode_gif, film_figures, render_film
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState
from dashboard.query.timeline import Playback, TimeView
from dashboard.query.view_state import ViewState
from tests.conftest import BUNDLED, TODAY

DECADES = ViewState(time=TimeView(playback=Playback(10, 10)))
PERIODS = ["1990–1999", "2000–2009", "2010–2019", "2020–2026"]


@pytest.fixture(scope="module")
def figures(network):
    positions = compute_layout(network, "force")
    return film_figures(network, DECADES, positions, "Iran and al-Qaeda", "bundled", today=TODAY)


def texts(figure) -> str:
    return json.dumps([a["text"] for a in figure["layout"]["annotations"]], ensure_ascii=False)


def test_each_frame_is_a_report_figure_of_its_period(figures):
    assert [f["layout"]["meta"]["period"] for f in figures] == PERIODS
    for figure, period in zip(figures, PERIODS, strict=True):
        caption = texts(figure)
        assert f"Period: {period}, undated claims included" in caption
        assert f"<b>{period}</b>" in caption  # written large in the corner
        assert "<b>Sources</b>" in caption and "Exported 2026-11-26" in caption
        assert "Iran and al-Qaeda" in caption  # the title


def test_frames_share_one_size_plot_area_and_place(figures):
    sizes = {(f["layout"]["width"], f["layout"]["height"]) for f in figures}
    margins = {json.dumps(f["layout"]["margin"], sort_keys=True) for f in figures}
    assert len(sizes) == 1 and len(margins) == 1
    # The same axis ranges: an actor is at the same pixel in every frame.
    ranges = {
        json.dumps([f["layout"]["xaxis"]["range"], f["layout"]["yaxis"]["range"]]) for f in figures
    }
    assert len(ranges) == 1


def test_the_gif_has_a_frame_per_step_with_the_figures_size(figures):
    gif = render_film(figures, "gif", fps=2)
    image = Image.open(io.BytesIO(gif))  # from memory: nothing to close
    assert image.format == "GIF" and image.n_frames == len(figures) == 4
    assert image.size == (figures[0]["layout"]["width"], figures[0]["layout"]["height"])
    assert image.info["duration"] == 500 and image.info["loop"] == 0


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="make test installs ffmpeg")
@pytest.mark.parametrize(("file_format", "codec"), [("mp4", "h264"), ("webm", "vp9")])
def test_videos_have_a_frame_per_step(figures, tmp_path, file_format, codec):
    film = tmp_path / f"film.{file_format}"
    film.write_bytes(render_film(figures[:2], file_format, fps=1))
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_entries",
         "stream=codec_name,nb_read_frames,width", "-of", "json", str(film)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    stream = json.loads(probe.stdout)["streams"][0]
    assert (stream["codec_name"], int(stream["nb_read_frames"]), stream["width"]) == (
        codec,
        2,
        figures[0]["layout"]["width"],
    )


def test_gif_frames_keep_their_order_and_timing():
    frames = []
    for colour in ("red", "green", "blue"):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), colour).save(out, format="PNG")
        frames.append(out.getvalue())
    image = Image.open(io.BytesIO(encode_gif(frames, fps=4)))
    assert image.n_frames == 3 and image.info["duration"] == 250
    image.seek(2)
    assert image.convert("RGB").getpixel((5, 5)) == (0, 0, 255)


def test_films_refuse_other_formats(figures):
    with pytest.raises(ExportError, match="choose one of gif, mp4, webm"):
        render_film(figures, "avi")


def test_the_cli_writes_a_film(tmp_path):
    out = tmp_path / "film.gif"
    result = CliRunner().invoke(
        main,
        ["export", str(BUNDLED), "--out", str(out), "--state", "?source=9%2F11+Commission",
         "--window", "all", "--step", "10y", "--fps", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 frames, 1990–1999 to 1990–2026" in result.output
    with Image.open(out) as image:
        assert image.n_frames == 4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--step", "6m"], '"--step=6m" is not whole years'),
        (["--window", "soon"], '"--window=soon" is not a period'),
    ],
)
def test_the_cli_says_why_a_film_cannot_be_made(tmp_path, options, message):
    out = tmp_path / "film.gif"
    result = CliRunner().invoke(main, ["export", str(BUNDLED), "--out", str(out), *options])
    assert result.exit_code == 1 and message in result.output and not out.exists()


def test_a_compared_view_plays_without_the_comparison(network, figures):
    compared = ViewState(
        filters=FilterState(), time=TimeView(playback=Playback(10, 10), compare=((0, 1), (2, 3)))
    )
    positions = compute_layout(network, "force")
    again = film_figures(network, compared, positions, "Iran and al-Qaeda", "bundled", today=TODAY)
    assert [texts(f) for f in again] == [texts(f) for f in figures]


def test_the_page_exports_a_film_named_after_the_view(network):
    from flask import Flask

    from dashboard.positions.cache import LayoutCache
    from dashboard.query.filters import ViewMemo
    from dashboard.web.film_panel import export_film
    from dashboard.web.wiring import AppContext

    context = AppContext(network, LayoutCache(network), "bundled", views=ViewMemo(network))
    view = ViewState(filters=FilterState(years=(1991, 1998)), time=TimeView(Playback(10, 10)))
    with Flask(__name__).test_request_context():
        result = export_film(context, ("Iran", None), "gif", 2.0, None, view)
    assert result["status"] == "Exported iran_1991-1998_film.gif (4 frames)."
    assert result["download"]["filename"] == "iran_1991-1998_film.gif"
    with Flask(__name__).test_request_context():
        refused = export_film(context, (None, "The title is too long."), "gif", 2.0, None, view)
    assert refused["status"] == "The title is too long."
