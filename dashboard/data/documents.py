"""Local copies of documents, and checking that quotes occur in them verbatim.

A claim's ``document`` has a local copy when ``documents/<slug>.txt`` (or ``.md``)
exists in the data folder, where the slug is the title in lower case with every run
of other characters turned into one hyphen:

>>> document_slug("Iran, al-Qaeda partners in terrorism")
'iran-al-qaeda-partners-in-terrorism'

The check ignores only differences of white space and of curly versus straight
quotation marks, so a quote that was retyped, shortened or "improved" fails:

>>> text = "He said that “every group … trained in Iran,”\\nper the transcripts."
>>> quote_occurs('every group … trained in Iran,"  per the', normalise_for_match(text))
True
>>> quote_occurs("every group trained in Iran", normalise_for_match(text))
False
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .files import DataFolder, read_input
from .report import Report

DOCUMENT_SUFFIXES = (".txt", ".md")
_SLUG_SEPARATORS = re.compile(r"[^0-9a-z]+")
_WHITESPACE = re.compile(r"\s+")
# Curly, low and reversed single and double quotation marks, as straight ones.
_STRAIGHTEN = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b", "'") | dict.fromkeys("\u201c\u201d\u201e\u201f", '"')
)


def document_slug(title: str) -> str:
    return _SLUG_SEPARATORS.sub("-", title.casefold()).strip("-")


def normalise_for_match(text: str) -> str:
    return _WHITESPACE.sub(" ", text.translate(_STRAIGHTEN)).strip()


def quote_occurs(quote: str, normalised_document: str) -> bool:
    return normalise_for_match(quote) in normalised_document


def find_local_copies(
    folder: Path, titles: pd.Series, display=str, report: Report | None = None
) -> dict[str, Path]:
    """Map each document title that has a local copy in ``folder`` to that file."""
    if not folder.is_dir():
        return {}
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        if report is not None:
            reason = exc.strerror or type(exc).__name__
            report.error(display(folder), None, None, f"cannot list the documents: {reason}")
        return {}
    files = {p.stem.casefold(): p for p in entries if p.suffix in DOCUMENT_SUFFIXES}
    copies = {}
    for title in pd.unique(titles):
        path = files.get(document_slug(title)) if title else None
        if path is not None:
            copies[title] = path
    return copies


def verify_quotes(
    claims: pd.DataFrame,
    copies: dict[str, Path],
    file: str,
    display,
    report: Report,
    folder: DataFolder | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Report every quote not found verbatim in its document's local copy.

    Returns two boolean arrays: the quotes checked and found, and those not found. A copy
    that cannot be read (or, with ``folder``, lies outside the data folder) is an error.
    """
    verified = np.zeros(len(claims), dtype=bool)
    failed = np.zeros(len(claims), dtype=bool)
    if not copies:
        return verified, failed
    for title, path in copies.items():
        data = read_input(path, display(path), report, folder, expected="a text file")
        if data is None:
            continue
        text = normalise_for_match(data.decode("utf-8", errors="replace"))
        rows = np.flatnonzero(
            (claims["document"] == title).to_numpy() & (claims["quote"] != "").to_numpy()
        )
        for i in rows:
            if quote_occurs(claims["quote"].iat[i], text):
                verified[i] = True
            else:
                failed[i] = True
                report.error(
                    file,
                    int(claims["line"].iat[i]),
                    "quote",
                    f"quote not found verbatim in its document's copy {display(path)}",
                    kind="quote not in document",
                )
    return verified, failed
