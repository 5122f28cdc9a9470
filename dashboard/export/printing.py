"""HTML to PDF pages with Chromium's own printer, driven through choreographer (which
kaleido brings for the figures): the browser the figure export already needs.

Why Chromium and not a PDF library: quotes come in any script (Arabic, Persian, Hebrew,
Cyrillic ...). Chromium shapes and orders every script and falls back across the
system's fonts glyph by glyph, so a quote prints exactly as written; fpdf2 or reportlab
would need a font covering every script and a separate shaping engine. The HTML that
Chromium prints is the same HTML the report is also saved as.
"""

from __future__ import annotations

import asyncio
import base64
import tempfile
from pathlib import Path

from dashboard.export.page_sizes import PageSize

MM_PER_INCH = 25.4
PX_PER_MM = 96 / 25.4


def print_pdf(html: str, page: PageSize) -> bytes:
    """The PDF of ``html`` on pages of ``page``'s size; a page that fits its content
    (a figure width) is as tall as the content, up to ``page.height_mm``."""
    return asyncio.run(_print(html, page))


async def _open(browser, html: str, folder: str):
    path = Path(folder) / "report.html"
    path.write_text(html, encoding="utf-8")
    tab = await browser.create_tab()
    loaded = tab.subscribe_once("Page.loadEventFired")
    await tab.send_command("Page.enable")
    await tab.send_command("Page.navigate", params={"url": path.as_uri()})
    await loaded
    return tab


async def _content_height_mm(tab, page: PageSize) -> float:
    width_px = (page.width_mm - 2 * page.margin_mm) * PX_PER_MM
    await tab.send_command(
        "Emulation.setDeviceMetricsOverride",
        params={"width": round(width_px), "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )
    await tab.send_command("Emulation.setEmulatedMedia", params={"media": "print"})
    response = await tab.send_command(
        "Runtime.evaluate", params={"expression": "document.documentElement.scrollHeight"}
    )
    await tab.send_command("Emulation.clearDeviceMetricsOverride")
    height_px = float(response["result"]["result"]["value"])
    return height_px / PX_PER_MM + 2 * page.margin_mm + 1  # 1 mm: rounding never spills a line


async def _print(html: str, page: PageSize) -> bytes:
    import choreographer

    with tempfile.TemporaryDirectory(prefix="dashboard-print-") as folder:
        async with choreographer.Browser(headless=True) as browser:
            tab = await _open(browser, html, folder)
            height = page.height_mm
            if page.fits_content:
                height = min(await _content_height_mm(tab, page), page.height_mm)
            margin = page.margin_mm / MM_PER_INCH
            response = await tab.send_command(
                "Page.printToPDF",
                params={
                    "printBackground": True,
                    "preferCSSPageSize": False,
                    "paperWidth": page.width_mm / MM_PER_INCH,
                    "paperHeight": height / MM_PER_INCH,
                    "marginTop": margin,
                    "marginBottom": margin,
                    "marginLeft": margin,
                    "marginRight": margin,
                },
            )
    if "error" in response:
        raise RuntimeError(f"Chromium could not print: {response['error']}")
    return base64.b64decode(response["result"]["data"])
