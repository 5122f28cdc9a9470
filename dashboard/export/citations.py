"""Citations of the sources behind claims: Chicago author-date as plain text, BibTeX,
and CSL-JSON (what Zotero, Mendeley and pandoc read), for one claim or a whole view.

A source document is (source, document, published, url): the source is the author (an
organisation, usually, kept whole as a literal name), the document the title. The
records are four fields, so they are written here rather than through a citation
processor: CSL-JSON is the exchange format reference managers import, and BibTeX's
special characters are escaped so that any text from the data compiles.

>>> ref = Reference("9/11 Commission", "The 9/11 Commission Report", "2004-07-22",
...                 "https://www.9-11commission.gov/report/")
>>> chicago(ref)
'9/11 Commission. 2004. “The 9/11 Commission Report.” July 22, 2004. https://www.9-11commission.gov/report/.'
>>> chicago(Reference("UN", "Letter?", "", ""))
'UN. n.d. “Letter?”'
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from dashboard.data.sources import SHOWN_SEPARATOR
from dashboard.draw.footnotes import Entry, Footnotes

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


@dataclass(frozen=True)
class Reference:
    source: str
    document: str
    published: str
    url: str

    @classmethod
    def of(cls, entry: Entry) -> Reference:
        return cls(entry.source, entry.document, entry.published, entry.url)

    @property
    def date_parts(self) -> list[int]:
        """[year], [year, month] or [year, month, day] of ``published``; [] if none."""
        found = _DATE.match(self.published or "")
        if not found:
            return []
        parts = [int(p) for p in found.groups() if p]
        if len(parts) > 1 and not 1 <= parts[1] <= 12:
            parts = parts[:1]
        return parts

    @property
    def year(self) -> str:
        parts = self.date_parts
        return str(parts[0]) if parts else "n.d."

    @property
    def authors(self) -> list[str]:
        return [a for a in self.source.split(SHOWN_SEPARATOR) if a] or ["(no source)"]

    @property
    def key(self) -> str:
        """A BibTeX / CSL key: the source's first letters, the year and a short hash
        (stable: the same document gets the same key in every export)."""
        stem = re.sub(r"[^A-Za-z0-9]", "", self.authors[0])[:16] or "source"
        digest = hashlib.sha1(repr(self).encode()).hexdigest()[:6]
        return f"{stem}{self.year if self.year != 'n.d.' else 'nd'}{digest}"


def _end(text: str) -> str:
    """``text`` ended with a period unless it already ends with one (or ? or !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _long_date(parts: list[int]) -> str:
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return ""


def chicago(ref: Reference) -> str:
    """The reference-list entry in Chicago author-date style."""
    text = f"{_end(ref.source or '(no source)')} {_end(ref.year)}"
    if ref.document:
        title = ref.document.strip()
        title = title if title.endswith(("?", "!", ".")) else f"{title}."
        text += f" “{title}”"
    if when := _long_date(ref.date_parts):
        text += f" {when}."
    elif ref.published and not ref.date_parts:
        text += f" {_end(ref.published)}"
    if ref.url:
        text += f" {ref.url}."
    return text


def claim_citation(quote: str, ref: Reference) -> str:
    """A claim to paste: the quotation with its in-text citation, then the reference.

    >>> print(claim_citation("ties", Reference("UN", "Report", "2019", "")))
    “ties” (UN 2019)
    <BLANKLINE>
    UN. 2019. “Report.”
    """
    cite = f"({ref.authors[0]} {ref.year})"
    head = f"“{quote}” {cite}" if quote else cite
    return f"{head}\n\n{chicago(ref)}"


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    r"""Text that BibTeX and LaTeX print as written.

    >>> bibtex_escape("R&D {50%} $x_1")
    'R\\&D \\{50\\%\\} \\$x\\_1'
    """
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def _bibtex_url(url: str) -> str:
    """A url for BibTeX's verbatim field: braces, spaces and backslashes percent-encoded."""
    return url.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20").replace("\\", "%5C")  # fmt: skip


def bibtex(ref: Reference, quote: str = "", note: str = "") -> str:
    """A ``@misc`` entry; corporate authors in braces, so BibTeX keeps them whole."""
    fields = [("author", " and ".join(f"{{{bibtex_escape(a)}}}" for a in ref.authors))]
    if ref.document:
        fields.append(("title", f"{{{bibtex_escape(ref.document)}}}"))
    parts = ref.date_parts
    if parts:
        fields.append(("year", str(parts[0])))
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    if ref.url:
        fields.append(("url", _bibtex_url(ref.url)))
    notes = [n for n in (f"Quoted: “{quote}”" if quote else "", note) if n]
    if notes:
        fields.append(("note", bibtex_escape(". ".join(notes))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{ref.key},\n{body}\n}}\n"


def csl_item(ref: Reference, quote: str = "", note: str = "") -> dict:
    """A CSL-JSON item (the format reference managers exchange)."""
    item: dict = {
        "id": ref.key,
        "type": "document",
        "author": [{"literal": a} for a in ref.authors],
    }
    if ref.document:
        item["title"] = ref.document
    if parts := ref.date_parts:
        item["issued"] = {"date-parts": [parts]}
    if ref.url:
        item["URL"] = ref.url
    notes = [n for n in (f"Quoted: “{quote}”" if quote else "", note) if n]
    if notes:
        item["note"] = ". ".join(notes)
    return item


BIBLIOGRAPHY_FORMATS = {"bib": "BibTeX", "json": "CSL-JSON", "txt": "text"}


def _numbered(notes: Footnotes) -> list[tuple[Entry, Reference]]:
    return [(entry, Reference.of(entry)) for entry in (*notes.entries, *notes.denials)]


def bibliography_file(notes: Footnotes, file_format: str) -> str:
    """Every source document behind the view, numbered as the figure's footnotes: a
    numbered Chicago list (txt), BibTeX (bib) or CSL-JSON (json). A document behind
    both assertions and denials is one BibTeX / CSL entry noting both numbers."""
    numbered = _numbered(notes)
    if file_format == "txt":
        lines = ["Sources", ""]
        lines += [f"{e.number}. {chicago(r)}" for e, r in numbered if e.stance != "denies"]
        denials = [
            f"{e.number}. {chicago(r)} (denies)" for e, r in numbered if e.stance == "denies"
        ]
        if denials:
            lines += ["", "Denials (D: a source that denies the relation it is marked on)", ""]
            lines += denials
        return "\n".join(lines) + "\n"
    merged: dict[Reference, list[str]] = {}
    for entry, ref in numbered:
        merged.setdefault(ref, []).append(entry.number)
    note = {ref: "Footnote " + ", ".join(numbers) for ref, numbers in merged.items()}
    if file_format == "bib":
        return "\n".join(bibtex(ref, note=note[ref]) for ref in merged)
    if file_format == "json":
        items = [csl_item(ref, note=note[ref]) for ref in merged]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(
        f"no bibliography format {file_format!r}; use one of {', '.join(BIBLIOGRAPHY_FORMATS)}"
    )
