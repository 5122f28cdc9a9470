"""A report as a document: the figure, its caption and sources, then the evidence
appendix; as HTML (which Chromium also prints to PDF), Markdown, or DOCX.

Every text from the data is escaped for the format (HTML entities, Markdown
backslashes) or held as plain text (DOCX): a quote reads exactly as written and never
becomes markup or a link. Only http(s) urls become links.
"""

from __future__ import annotations

import io
import re
from html import escape

from dashboard.data.claims import is_safe_url
from dashboard.draw.report_figure import ReportNotes
from dashboard.export.appendix import Appendix
from dashboard.export.page_sizes import PageSize

FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"


def _css(page: PageSize) -> str:
    margin = page.margin_mm
    height = page.height_mm
    # Wide pages (landscape, a slide) set the footnotes in two columns, as the PNG does.
    columns = 2 if page.width_mm - 2 * margin >= 230 else 1
    # Sizes in pt: nothing under 7.5 pt.
    return f"""
@page {{ size: {page.width_mm}mm {height}mm; margin: {margin}mm; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: {FONT}; font-size: 9pt; color: #1f2933; line-height: 1.3; }}
.figure svg {{ display: block; }}
.caption p {{ margin: 0 0 2pt 0; font-size: 8.5pt; }}
h2 {{ font-size: 11pt; margin: 8pt 0 3pt 0; break-after: avoid; }}
h3 {{ font-size: 9.5pt; margin: 8pt 0 2pt 0; break-after: avoid; }}
ol.notes {{ list-style: none; padding: 0; margin: 0; font-size: 7.5pt; columns: {columns}; column-gap: 12pt; }}
ol.notes li {{ margin: 0 0 1pt 0; overflow-wrap: anywhere; break-inside: avoid; }}
.claim {{ margin: 0 0 5pt 0; break-inside: avoid; font-size: 8pt; }}
.claim blockquote {{ margin: 0 0 1pt 0; padding-left: 6pt; border-left: 2pt solid #9ca3af; }}
.claim .details {{ color: #374151; overflow-wrap: anywhere; }}
.mark {{ font-weight: bold; }}
.date {{ white-space: nowrap; }}
.denies blockquote {{ border-left-color: #6b7280; border-left-style: dotted; }}
.appendix {{ break-before: page; }}
.note {{ font-style: italic; }}
"""


def _link(url: str) -> str:
    text = escape(url)
    return f'<a href="{text}">{text}</a>' if is_safe_url(url) else text


_DATE = re.compile(r"(\b\d{4}-\d{2}(?:-\d{2})?\b)")


def _unbroken_dates(escaped: str) -> str:
    """Dates kept on one line: a narrow column would break 2018-03 at its hyphen."""
    return _DATE.sub(r'<span class="date">\1</span>', escaped)


def _linked(line: str) -> str:
    """A footnote line, escaped, with its http(s) url as a link."""
    parts = re.split(r"(https?://\S+)", line)
    return "".join(_link(p) if i % 2 else _unbroken_dates(escape(p)) for i, p in enumerate(parts))


def report_html(
    notes: ReportNotes,
    appendix: Appendix | None,
    figure_svg: str,
    page: PageSize,
) -> str:
    """The report as one HTML page: figure (inline SVG), caption, sources, appendix."""
    svg = figure_svg[figure_svg.find("<svg") :] if "<svg" in figure_svg else ""
    body = [f'<div class="figure">{svg}</div>', '<div class="caption">']
    body += [f"<p>{escape(line)}</p>" for line in notes.caption]
    body.append("</div>")
    body.append(f"<h2>Sources{escape(notes.sources_note)}</h2>")
    body.append('<ol class="notes">')
    body += [f"<li>{_linked(line)}</li>" for line in notes.sources or ["none"]]
    body.append("</ol>")
    if notes.denials:
        body.append("<h2>Denials (D: a source that denies the relation it is marked on)</h2>")
        body.append('<ol class="notes">')
        body += [f"<li>{_linked(line)}</li>" for line in notes.denials]
        body.append("</ol>")
    body += [f'<p class="note">{escape(line)}</p>' for line in notes.omitted]
    if appendix is not None:
        body.append(_appendix_html(appendix))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(notes.title)}</title><style>{_css(page)}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def _appendix_html(appendix: Appendix) -> str:
    parts = ['<section class="appendix"><h2>Evidence appendix</h2>']
    parts.append(
        "<p>Every claim behind the edges shown, edge by edge; the number before each "
        "claim is its source's footnote number (D: a denial).</p>"
    )
    if note := appendix.omitted_note():
        parts.append(f'<p class="note">{escape(note)}</p>')
    for edge in appendix.edges:
        parts.append(f"<h3>{escape(edge.heading)}</h3>")
        if edge.total > len(edge.claims):
            parts.append(
                f'<p class="note">{len(edge.claims):,} of {edge.total:,} claims listed.</p>'
            )
        for claim in edge.claims:
            quote = escape(claim.quote) if claim.quote else "<i>(no quote given)</i>"
            details = _linked(claim.details())
            parts.append(
                f'<div class="claim {escape(claim.stance)}"><blockquote>'
                f'<span class="mark">[{escape(claim.mark)}]</span> {quote}</blockquote>'
                f'<div class="details">{details}</div></div>'
            )
    parts.append("</section>")
    return "".join(parts)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: its special characters backslashed.

    >>> md_escape("[click](javascript:x) *now*")
    '\\\\[click\\\\]\\\\(javascript:x\\\\) \\\\*now\\\\*'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_link(url: str) -> str:
    return f"<{url}>" if is_safe_url(url) and " " not in url and ">" not in url else md_escape(url)


def report_markdown(notes: ReportNotes, appendix: Appendix | None) -> str:
    """The report's words as Markdown: title, caption, sources, appendix. The figure
    itself is a separate file (PNG, SVG or PDF export)."""
    lines = [f"# {md_escape(notes.title)}", ""]
    lines += [md_escape(line) + "  " for line in notes.caption]
    lines += ["", f"## Sources{md_escape(notes.sources_note)}", ""]
    lines += [f"- {md_escape(line)}" for line in notes.sources or ["none"]]
    if notes.denials:
        lines += ["", "## Denials (D: a source that denies the relation it is marked on)", ""]
        lines += [f"- {md_escape(line)}" for line in notes.denials]
    lines += ["", *(f"*{md_escape(line)}*" for line in notes.omitted)]
    if appendix is not None:
        lines += ["", "## Evidence appendix", ""]
        lines.append(
            "Every claim behind the edges shown, edge by edge; the number before each claim "
            "is its source's footnote number (D: a denial)."
        )
        if note := appendix.omitted_note():
            lines += ["", f"*{md_escape(note)}*"]
        for edge in appendix.edges:
            lines += ["", f"### {md_escape(edge.heading)}", ""]
            for claim in edge.claims:
                quote = md_escape(claim.quote) if claim.quote else "*(no quote given)*"
                details = md_escape(claim.details())
                if claim.url:
                    details = details.replace(md_escape(claim.url), _md_link(claim.url), 1)
                lines += [f"> **\\[{md_escape(claim.mark)}\\]** {quote}", ">", f"> {details}", ""]
    return "\n".join(lines).rstrip() + "\n"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible_controls(text: str) -> str:
    """Control characters, which a Word file (XML) cannot hold, as their visible
    pictures (U+2400 ...): shown, not dropped, so the quote is still all there.

    >>> visible_controls("a\\x0bb")
    'a␋b'
    """
    return _CONTROL.sub(lambda m: chr(0x2421 if m[0] == "\x7f" else 0x2400 + ord(m[0])), text)


def _paragraph(document, text: str, size: float | None = None, italic: bool = False) -> None:
    from docx.shared import Pt

    run = document.add_paragraph().add_run(visible_controls(text))
    run.italic = italic
    if size:
        run.font.size = Pt(size)


def report_docx(
    notes: ReportNotes, appendix: Appendix | None, figure_png: bytes, page: PageSize
) -> bytes:
    """The report as a Word document (python-docx): the figure as a picture the width of
    the page's text, then caption, sources and appendix as text an editor can paste."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    if page.fits_content:  # a figure width: put it on an A4 page
        section.page_width, section.page_height = Mm(210), Mm(297)
    margin = Mm(max(page.margin_mm, 15))
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(9)
    document.add_picture(io.BytesIO(figure_png), width=section.page_width - section.left_margin * 2)
    for line in notes.caption:
        _paragraph(document, line, size=8.5)
    document.add_heading(visible_controls(f"Sources{notes.sources_note}"), level=2)
    for line in notes.sources or ["none"]:
        _paragraph(document, line, size=8)
    if notes.denials:
        document.add_heading("Denials (D: a source that denies the relation it is marked on)", 2)
        for line in notes.denials:
            _paragraph(document, line, size=8)
    for line in notes.omitted:
        _paragraph(document, line, italic=True)
    if appendix is not None:
        document.add_page_break()
        document.add_heading("Evidence appendix", level=2)
        document.add_paragraph(
            "Every claim behind the edges shown, edge by edge; the number before each "
            "claim is its source's footnote number (D: a denial)."
        )
        if note := appendix.omitted_note():
            _paragraph(document, note, italic=True)
        for edge in appendix.edges:
            document.add_heading(visible_controls(edge.heading), level=3)
            for claim in edge.claims:
                quote = document.add_paragraph(style="Quote")
                quote.add_run(visible_controls(f"[{claim.mark}] ")).bold = True
                quote.add_run(visible_controls(claim.quote or "(no quote given)"))
                _paragraph(document, claim.details(), size=8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
