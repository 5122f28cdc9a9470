"""Sizes that print: pages (A4, US Letter, either way up), journal figure widths and a
slide, with the frame a report figure is drawn in.

Pages carry margins and a fixed height: a PDF page is exactly that size, and the caption
and sources flow onto more pages when they are long; a PNG or SVG grows taller instead.
Figure widths (a journal column, a full-width figure) have no margin: the figure is the
page, as tall as it needs to be, up to ``height_mm`` a PDF page.

>>> size = PAGE_SIZES["a4"]
>>> round(size.width_pt), round(size.height_pt), size.frame().legend_beside
(595, 842, False)
>>> PAGE_SIZES["slide"].label
'Slide (16:9)'
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.draw.report_layout import PX_PER_MM, Frame

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class PageSize:
    name: str
    label: str
    width_mm: float
    height_mm: float  # a page's height; for a figure width, the tallest page
    margin_mm: float
    fits_content: bool = False  # a figure width: the page is as tall as its content
    map_ratio: float = 0.0  # a figure width: the map's height over its width

    @property
    def width_pt(self) -> float:
        return self.width_mm / MM_PER_PT

    @property
    def height_pt(self) -> float:
        return self.height_mm / MM_PER_PT

    def frame(self, whole_page: bool = True) -> Frame:
        """The frame to draw in: the whole page with its margins (a PNG or SVG), or the
        area inside the margins (a figure placed in a document)."""
        width, height = self.width_mm * PX_PER_MM, self.height_mm * PX_PER_MM
        margin = self.margin_mm * PX_PER_MM
        inner = width - 2 * margin
        map_height = inner * self.map_ratio if self.fits_content else None
        if whole_page:
            return Frame(width, height, margin, map_height)
        return Frame(inner, height - 2 * margin, 0.0, map_height)


PAGE_SIZES = {
    size.name: size
    for size in (
        PageSize("a4", "A4 portrait", 210, 297, 15),
        PageSize("a4-landscape", "A4 landscape", 297, 210, 12),
        PageSize("letter", "US Letter portrait", 215.9, 279.4, 15),
        PageSize("letter-landscape", "US Letter landscape", 279.4, 215.9, 12),
        PageSize("column", "Journal column (85 mm)", 85, 240, 2, fits_content=True, map_ratio=0.9),
        PageSize(
            "full-width",
            "Full-width figure (170 mm)",
            170,
            240,
            2,
            fits_content=True,
            map_ratio=0.7,
        ),
        # PowerPoint's and Google Slides' 16:9: 13.333 x 7.5 in.
        PageSize("slide", "Slide (16:9)", 338.67, 190.5, 8),
    )
}
DEFAULT_SIZE = "a4-landscape"
