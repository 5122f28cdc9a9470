"""Report-ready exports: sizes that print, what is exported is what is meant, the
evidence appendix, citations. PDFs are read back page by page with pypdf: their text,
page sizes and every glyph's font size."""

from __future__ import annotations

import io
import json
import math
import re
import struct
import zlib

import numpy as np
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dashboard.cli import main
from dashboard.data import load_dataset
from dashboard.draw import roles
from dashboard.draw.footnotes import footnotes
from dashboard.draw.report_layout import MIN_FONT_PT, TEXT_PX
from dashboard.export.appendix import build_appendix
from dashboard.export.citations import (
    Reference,
    bibliography_file,
    bibtex,
    bibtex_escape,
    chicago,
    claim_citation,
    csl_item,
)
from dashboard.export.page_sizes import PAGE_SIZES
from dashboard.export.report import export_job
from dashboard.export.report_files import report_docx, report_html, report_markdown
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.view_state import ViewState
from dashboard.web.url_codec import from_query
from tests.conftest import HEADER, TODAY, write_data

# Asserted by three sources, denied by one; a long name; urls and publication dates.
RELATIONS = HEADER + (
    "Iran,Hezbollah,funds,1990,2000,Iran pays Hezbollah every year,US Treasury,asserts,"
    "Treasury designation,https://home.treasury.gov/news/sb0001,2004-07-22\n"
    "Iran,Hezbollah,funds,1995,,No money flows to Hezbollah,Iranian mission to the UN,denies,"
    "Letter to the Security Council,https://www.un.org/letter/1,2018-03\n"
    "Hezbollah,Hamas,trains,2001,,Hezbollah trains Hamas fighters,Reuters,asserts,"
    "Training camps,https://www.reuters.com/world/a,2010\n"
    "National Islamic Front of Sudan,Iran,cooperates with,1991,1996,"
    '"Sudan\'s rulers and Iran <script>x</script> [a](javascript:b)",BBC,asserts,'
    "Sudan and Iran,,\n"
)
SOURCES = ("US Treasury", "Iranian mission to the UN", "Reuters", "BBC")
URLS = (
    "https://home.treasury.gov/news/sb0001",
    "https://www.un.org/letter/1",
    "https://www.reuters.com/world/a",
)
QUOTES = (
    "Iran pays Hezbollah every year",
    "No money flows to Hezbollah",
    "Hezbollah trains Hamas fighters",
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return write_data(tmp_path_factory.mktemp("sample"), RELATIONS)


@pytest.fixture(scope="module")
def sample_view(sample):
    dataset, report = load_dataset(sample)
    assert not report.has_errors, report.format()
    network = Network.from_dataset(dataset)
    return apply_filters(network, FilterState()), compute_layout(network, "force")


def cli_export(folder, out, *extra) -> str:
    result = CliRunner().invoke(
        main, ["export", str(folder), "--out", str(out), *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def _times(a, b):
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def pages_read(path) -> list[dict]:
    """Each page's size in pt, text, and the font sizes in pt of every piece of text
    (the Tf size scaled by the text and graphics matrices)."""
    pages = []
    for page in PdfReader(path).pages:
        sizes: list[float] = []

        def visit(text, cm, tm, _font, size, sizes=sizes):
            if text.strip():
                matrix = _times(tm, cm)
                sizes.append(size * math.hypot(matrix[2], matrix[3]))

        text = page.extract_text(visitor_text=visit)
        pages.append(
            {
                "width": float(page.mediabox.width),
                "height": float(page.mediabox.height),
                "text": " ".join(text.split()),
                "sizes": sizes,
            }
        )
    return pages


@pytest.fixture(scope="module")
def pdfs(sample, tmp_path_factory):
    """The sample's figure as PDF at every size (drawn once for the module)."""
    folder = tmp_path_factory.mktemp("pdfs")
    found = {}
    for name in PAGE_SIZES:
        out = folder / f"{name}.pdf"
        cli_export(sample, out, "--size", name, "--title", "Iran and its partners")
        found[name] = pages_read(out)
    return found


@pytest.mark.parametrize("size", list(PAGE_SIZES))
def test_pdf_pages_have_the_size_chosen(pdfs, size):
    page = PAGE_SIZES[size]
    for read in pdfs[size]:
        assert read["width"] == pytest.approx(page.width_pt, abs=1.5)
        if page.fits_content:  # a figure width: as tall as its content, at most the page
            assert read["height"] <= page.height_pt + 1.5
        else:
            assert read["height"] == pytest.approx(page.height_pt, abs=1.5)


@pytest.mark.parametrize("size", list(PAGE_SIZES))
def test_pdf_text_is_never_under_7_pt(pdfs, size):
    sizes = [s for read in pdfs[size] for s in read["sizes"]]
    assert sizes, "no text found in the PDF"
    assert min(sizes) >= MIN_FONT_PT


@pytest.mark.parametrize("size", list(PAGE_SIZES))
def test_pdf_carries_caption_every_footnote_and_every_source(pdfs, size):
    first = pdfs[size][0]["text"]
    text = " ".join(read["text"] for read in pdfs[size])
    assert "Iran and its partners" in first
    assert "Period: all dates" in first  # the caption is on the figure's page
    for number in ("1. ", "2. ", "3. ", "D1. "):
        assert re.search(rf"(^|\s){re.escape(number)}", text), number
    for source in SOURCES:
        assert source in text
    for url in URLS:
        assert url in text
    assert "2004-07-22" in text and "2018-03" in text  # the documents' dates
    assert "— denies" in text
    # Labels whole (wrapped onto lines), never cut with an ellipsis.
    assert "National Islamic Front of" in first and "…" not in first


def test_edge_marks_number_denials_apart(sample_view):
    view, _ = sample_view
    notes = footnotes(view)
    net = view.network
    funds = net.edge_number(net.find_actor("Iran"), net.find_actor("Hezbollah"), "funds")
    assert [e.source for e in notes.denials] == ["Iranian mission to the UN"]
    assert notes.edge_mark(funds) == "3, D1"  # US Treasury is the 3rd source A-Z
    assert notes.denials[0].text() == (
        "D1. Iranian mission to the UN, “Letter to the Security Council”, 2018-03, "
        "https://www.un.org/letter/1 — denies"
    )


def test_png_svg_and_pdf_share_their_numbers(sample_view):
    view, positions = sample_view
    state = ViewState(FilterState())
    jobs = {
        f: export_job(view, positions, state, "T", "d", f, "a4", today=TODAY)
        for f in ("png", "svg", "pdf")
    }
    notes = {f: (job.notes.sources, job.notes.denials) for f, job in jobs.items()}
    assert notes["png"] == notes["svg"] == notes["pdf"]

    def marks(job) -> list[str]:
        return sorted(
            a["text"] for a in job.figure["layout"]["annotations"] if a.get("xref") == "x"
        )

    expected = ["cooperates with · 1", "funds · 3, D1", "trains · 2"]
    assert marks(jobs["png"]) == marks(jobs["pdf"]) == expected


def font_sizes(figure: dict) -> list[float]:
    """Every font size a figure sets, traces and layout."""
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            if key in ("font", "textfont") and "size" in value:
                found.append(float(value["size"]))
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)

    walk(figure)
    return found


@pytest.mark.parametrize("size", list(PAGE_SIZES))
@pytest.mark.parametrize("query", ["", "?focus=iran&depth=1", "?path=turkey~iran"])
def test_figure_fonts_and_fitted_map_at_every_size(network, size, query):
    state, _ = from_query(query, network)
    view = apply_filters(network, state.filters)
    positions = compute_layout(network, state.layout)
    job = export_job(view, positions, state, "T", "d", "png", size, today=TODAY)
    assert min(font_sizes(job.figure)) >= TEXT_PX  # 7.5 pt at the page's size
    layout = job.figure["layout"]
    shown = positions[view.node_mask]
    x, y = layout["xaxis"]["range"], layout["yaxis"]["range"]
    assert (shown[:, 0] > x[0]).all() and (shown[:, 0] < x[1]).all()
    assert (shown[:, 1] > y[0]).all() and (shown[:, 1] < y[1]).all()
    # The visible actors fill the map along one axis at least (labels take the rest).
    spans = np.ptp(shown, axis=0) / np.array([x[1] - x[0], y[1] - y[0]])
    assert spans.max() >= 0.5
    actors = [t for t in job.figure["data"] if t["meta"]["role"] == roles.ACTORS]
    labels = [text for t in actors for text in t["text"] if text]
    assert labels and not any("…" in text for text in labels)


def test_selection_highlight_only_when_asked(network):
    state, _ = from_query("?edge=iran~shelters~al-qaeda", network)
    view = apply_filters(network, state.filters)
    positions = compute_layout(network, state.layout)

    def highlighted(**options) -> bool:
        job = export_job(view, positions, state, "T", "d", "svg", "a4", today=TODAY, **options)
        return any(shape["type"] == "path" for shape in job.figure["layout"].get("shapes", []))

    assert not highlighted()
    assert highlighted(highlight=True)


def test_report_pdf_has_the_figure_then_every_claim(sample, tmp_path):
    out = tmp_path / "report.pdf"
    cli_export(sample, out, "--appendix", "--size", "a4")
    pages = pages_read(out)
    assert len(pages) >= 2
    assert "Period: all dates" in pages[0]["text"]
    rest = " ".join(p["text"] for p in pages[1:])
    assert "Evidence appendix" in " ".join(p["text"] for p in pages)
    for quote in QUOTES:
        assert quote in rest
    assert "<script>x</script>" in rest  # shown as text, as written
    assert "[D1] No money flows to Hezbollah" in rest
    assert "[3] Iran pays Hezbollah every year" in rest
    assert "Iranian mission to the UN · denies · 1995" in rest
    assert min(s for p in pages for s in p["sizes"]) >= MIN_FONT_PT


def tiny_png() -> bytes:
    """A 1 x 1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def appendix_of(view):
    return build_appendix(view, footnotes(view))


def test_appendix_groups_claims_by_edge_with_the_footnote_numbers(sample_view):
    view, _ = sample_view
    appendix = appendix_of(view)
    by_edge = {edge.sentence: edge for edge in appendix.edges}
    funds = by_edge["Iran funds Hezbollah"]
    assert funds.heading == "Iran funds Hezbollah (sources 3, D1; contested)"
    assert [(c.mark, c.stance, c.when) for c in funds.claims] == [
        ("3", "asserts", "1990 – 2000"),
        ("D1", "denies", "1995"),
    ]
    assert funds.claims[0].details() == (
        "US Treasury · asserts · 1990 – 2000 · in “Treasury designation” · "
        "published 2004-07-22 · https://home.treasury.gov/news/sb0001"
    )


def test_appendix_marks_verbatim_quotes(network):
    view = apply_filters(network, FilterState())
    claims = [c for edge in appendix_of(view).edges for c in edge.claims]
    assert len(claims) == 66 and any(c.verified for c in claims)
    assert all("✓ verbatim" in c.details() for c in claims if c.verified)


def test_a_large_appendix_is_bounded_and_says_so(network):
    view = apply_filters(network, FilterState())
    appendix = build_appendix(view, footnotes(view), limit=10)
    assert appendix.listed == 10 == sum(len(e.claims) for e in appendix.edges)
    assert appendix.omitted_note().startswith("This appendix lists the first 10 of 66 claims")


def test_appendix_as_markdown_html_and_docx(sample_view):
    from docx import Document

    view, positions = sample_view
    job = export_job(view, positions, ViewState(FilterState()), "T", "d", "pdf", "a4",
                     appendix=True, today=TODAY)  # fmt: skip
    markdown = report_markdown(job.notes, job.appendix)
    assert "## Evidence appendix" in markdown
    assert "\\[a\\]\\(javascript:b\\)" in markdown  # a link in a quote stays text
    assert "<https://www.un.org/letter/1>" in markdown
    html = report_html(job.notes, job.appendix, "<svg></svg>", PAGE_SIZES["a4"])
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert '<a href="https://www.reuters.com/world/a">' in html
    assert "javascript:b" in html and 'href="javascript' not in html
    png = tiny_png()
    document = Document(io.BytesIO(report_docx(job.notes, job.appendix, png, PAGE_SIZES["a4"])))
    text = "\n".join(p.text for p in document.paragraphs)
    for quote in QUOTES:
        assert quote in text
    assert "[D1] No money flows to Hezbollah" in text
    assert "Sudan's rulers and Iran <script>x</script> [a](javascript:b)" in text


# Citations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            Reference("US Treasury", "Treasury designation", "2004-07-22", "https://t.gov/a"),
            "US Treasury. 2004. “Treasury designation.” July 22, 2004. https://t.gov/a.",
        ),
        (Reference("UN", "Letter", "2018-03", ""), "UN. 2018. “Letter.” March 2018."),
        (Reference("Reuters", "", "2010", ""), "Reuters. 2010."),
        (Reference("BBC", "Why?", "", ""), "BBC. n.d. “Why?”"),
        (Reference("Airwars; BBC", "Strikes", "spring 2016", ""), "Airwars; BBC. n.d. “Strikes.” spring 2016."),
    ],
)  # fmt: skip
def test_chicago_author_date(reference, expected):
    assert chicago(reference) == expected


def test_claim_citation_quotes_and_cites():
    ref = Reference("US Treasury", "Treasury designation", "2004-07-22", "")
    assert claim_citation("Iran pays", ref) == (
        "“Iran pays” (US Treasury 2004)\n\nUS Treasury. 2004. “Treasury designation.” July 22, 2004."
    )


def test_bibtex_escapes_what_latex_would_run():
    ref = Reference("R&D {Unit}_1", "100% $ure #1 ~ ^", "2004-7-2", "https://x.org/a b{c}")
    entry = bibtex(ref, quote="a \\ b")
    assert "author = {{R\\&D \\{Unit\\}\\_1}}" in entry
    assert "title = {{100\\% \\$ure \\#1 \\textasciitilde{} \\textasciicircum{}}}" in entry
    assert "date = {2004-07-02}" in entry
    assert "url = {https://x.org/a%20b%7Bc%7D}" in entry
    assert "note = {Quoted: “a \\textbackslash{} b”}" in entry
    assert bibtex_escape("plain") == "plain"
    # Braces balance: BibTeX reads the entry to its end.
    body = re.sub(r"\\[{}]", "", entry)
    assert body.count("{") == body.count("}")


def test_csl_json_item():
    item = csl_item(Reference("Airwars; BBC", "Strikes", "2016-05", "https://a.org"))
    assert item["author"] == [{"literal": "Airwars"}, {"literal": "BBC"}]
    assert item["issued"] == {"date-parts": [[2016, 5]]}
    assert item["type"] == "document" and item["URL"] == "https://a.org"


@pytest.mark.parametrize("file_format", ["bib", "json", "txt"])
def test_bibliography_files_from_the_command_line(sample, tmp_path, file_format):
    out = tmp_path / f"sources.{file_format}"
    cli_export(sample, out)
    text = out.read_text("utf-8")
    for source in SOURCES:
        assert source in text
    if file_format == "txt":
        assert "3. US Treasury. 2004. “Treasury designation.” July 22, 2004." in text
        assert "D1. Iranian mission to the UN. 2018." in text and "(denies)" in text
    elif file_format == "json":
        items = json.loads(text)
        assert len(items) == 4 and len({i["id"] for i in items}) == 4
        assert {i["note"] for i in items} >= {"Footnote D1", "Footnote 3"}
    else:
        assert text.count("@misc{") == 4


def test_bibliography_numbers_match_the_figure(sample_view):
    view, _ = sample_view
    notes = footnotes(view)
    listed = bibliography_file(notes, "txt")
    for entry in (*notes.entries, *notes.denials):
        assert f"\n{entry.number}. {entry.source}." in listed


def test_evidence_panel_offers_citations_to_copy(sample_view):
    from dash import dcc

    from dashboard.query.evidence import edge_evidence
    from dashboard.web.panels import claim_item

    view, _ = sample_view
    net = view.network
    evidence = edge_evidence(
        view, net.edge_number(net.find_actor("Iran"), net.find_actor("Hezbollah"), "funds")
    )
    item = claim_item(evidence.claims[0])
    found = []

    def walk(component):
        if isinstance(component, dcc.Clipboard):
            found.append(component.content)
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(item)
    citation, entry = found
    assert citation.startswith("“Iran pays Hezbollah every year” (US Treasury 2004)")
    assert "US Treasury. 2004. “Treasury designation.”" in citation
    assert entry.startswith("@misc{") and "Quoted: “Iran pays Hezbollah every year”" in entry


# The page -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_app(sample):
    from dashboard.web.app import create_app

    dataset, _ = load_dataset(sample)
    return create_app(dataset)


def page_values(**extra) -> dict:
    return {
        "export-title.value": "A view",
        "export-size.value": "a4",
        "include-undated.value": ["show"],
        "layout-choice.value": "force",
        "size-by.value": "claims",
        **extra,
    }


def downloaded(response, output: str) -> tuple[str, bytes]:
    import base64

    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    found = response.get_json()["response"][output]["data"]
    content = found["content"]
    return found["filename"], base64.b64decode(content) if found["base64"] else content.encode()


def test_page_exports_the_report_with_its_appendix(sample_app):
    from tests.dash_requests import post_callback

    values = page_values(**{"export-report.n_clicks": 1, "export-report-format.value": "md"})
    response = post_callback(
        sample_app.server.test_client(), sample_app, "report-status.children", values
    )
    name, content = downloaded(response, "download-report")
    assert name.endswith("_report.md")
    text = content.decode("utf-8")
    assert "## Evidence appendix" in text and "No money flows to Hezbollah" in text


@pytest.mark.parametrize(
    ("button", "suffix", "expected"),
    [
        ("export-bibtex", ".bib", "@misc{"),
        ("export-csl", ".json", '"literal": "US Treasury"'),
        ("export-sources-text", ".txt", "D1. Iranian mission to the UN."),
    ],
)
def test_page_exports_the_bibliography(sample_app, button, suffix, expected):
    from tests.dash_requests import post_callback

    response = post_callback(
        sample_app.server.test_client(),
        sample_app,
        "download-data.data",
        page_values(**{f"{button}.n_clicks": 1}),
        changed=[f"{button}.n_clicks"],
    )
    assert response.status_code == 200
    found = response.get_json()["response"]["download-data"]["data"]
    assert found["filename"].endswith(f"_sources{suffix}")
    assert expected in found["content"]


def test_docx_shows_control_characters_it_cannot_hold(tmp_path):
    from docx import Document

    folder = write_data(tmp_path / "d", HEADER + 'Iran,Hamas,funds,,,"a\x0bb",src,,doc,,\n')
    dataset, _ = load_dataset(folder)
    network = Network.from_dataset(dataset)
    view = apply_filters(network, FilterState())
    job = export_job(view, compute_layout(network, "force"), ViewState(FilterState()), "T", "d",
                     "md", "a4", appendix=True, today=TODAY)  # fmt: skip
    document = Document(
        io.BytesIO(report_docx(job.notes, job.appendix, tiny_png(), PAGE_SIZES["a4"]))
    )
    assert "[1] a␋b" in "\n".join(p.text for p in document.paragraphs)


def test_appendix_on_a_picture_is_a_warning(sample, tmp_path):
    output = cli_export(sample, tmp_path / "sources.txt", "--appendix")
    assert (
        "warning: --appendix: a .txt file has none; it goes into .pdf, .html, .md, .docx" in output
    )
