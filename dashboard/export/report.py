"""Exports of a view for reports: a figure (PNG, SVG, PDF) or a report with its evidence
appendix (PDF, HTML, Markdown, DOCX), at a size that prints.

:func:`export_job` does what needs the network (the figure, the footnotes, the
appendix) and returns plain data; :func:`render` turns that into bytes and needs only
a browser, so the app runs it in a worker process within a time budget.

- PNG and SVG: one picture carries everything: title, map, legend, caption, sources.
- PDF: the map as vector SVG on the first page, with the caption and the sources as
  text flowing under it onto more pages when long, and the appendix after.
- HTML: the same page as the PDF. DOCX: the map as a picture, the rest as text.
  Markdown: the words only; the figure is its own file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from dashboard.draw.report_figure import (
    ExportError,
    ReportNotes,
    render_image,
    report_map,
    report_notes,
)
from dashboard.export.appendix import Appendix, build_appendix
from dashboard.export.page_sizes import PAGE_SIZES, PageSize
from dashboard.query.centrality import Sizing
from dashboard.query.filters import View
from dashboard.query.view_state import ViewState

FIGURE_FORMATS = ("png", "svg", "pdf")
DOCUMENT_FORMATS = ("pdf", "html", "md", "docx")
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOCX_SCALE = 3  # the map's picture in a Word file: 288 dpi at the page's width


@dataclass(frozen=True)
class ExportJob:
    """What a worker needs to draw an export: plain data, no network."""

    file_format: str
    size: str  # a PAGE_SIZES name
    figure: dict | None  # the map's figure (Plotly JSON); None for Markdown
    notes: ReportNotes
    appendix: Appendix | None
    scale: float = 2


def export_job(
    view: View,
    positions: np.ndarray,
    state: ViewState,
    title: str,
    data_name: str,
    file_format: str,
    size: PageSize | str = "a4-landscape",
    *,
    appendix: bool = False,
    highlight: bool = False,
    scale: float = 2,
    sizing: Sizing | None = None,
    today: date | None = None,
) -> ExportJob:
    """Everything the export of ``view`` as ``file_format`` says, for :func:`render`."""
    if file_format not in MEDIA_TYPES:
        raise ExportError(f"cannot export {file_format!r}; choose one of {', '.join(MEDIA_TYPES)}")
    page = PAGE_SIZES[size] if isinstance(size, str) else size
    notes, marks = report_notes(view, state, title, data_name, today, sizing)
    figure = None
    if file_format != "md":
        in_picture = file_format in ("png", "svg")
        figure = report_map(
            view,
            positions,
            state,
            notes,
            marks,
            page.frame(whole_page=in_picture),
            sizing,
            highlight,
            with_notes=in_picture,
        ).to_plotly_json()
    found = build_appendix(view, marks) if appendix and file_format in DOCUMENT_FORMATS else None
    return ExportJob(file_format, page.name, figure, notes, found, scale)


def render(job: ExportJob, file_format: str | None = None, scale: float | None = None) -> bytes:
    """The export's bytes (a browser draws the figure; see :func:`render_image`).

    Raises ExportError with a message for the user.
    """
    from dashboard.export import report_files

    file_format = file_format or job.file_format
    page = PAGE_SIZES[job.size]
    if file_format in ("png", "svg"):
        return render_image(job.figure, file_format, scale or job.scale)
    if file_format == "md":
        return report_files.report_markdown(job.notes, job.appendix).encode("utf-8")
    if file_format == "docx":
        picture = render_image(job.figure, "png", DOCX_SCALE)
        return report_files.report_docx(job.notes, job.appendix, picture, page)
    svg = render_image(job.figure, "svg").decode("utf-8")
    html = report_files.report_html(job.notes, job.appendix, svg, page)
    if file_format == "html":
        return html.encode("utf-8")
    from dashboard.export.printing import print_pdf

    try:
        return print_pdf(html, page)
    except Exception as exc:  # the browser fails in many ways; say which
        raise ExportError(f"printing the PDF failed: {type(exc).__name__}: {exc}") from exc
