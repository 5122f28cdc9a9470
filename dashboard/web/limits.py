"""How much text the page may send, checked where it enters: the callbacks.

The page's own controls never send more (the title box stops at ``TITLE_LIMIT``
characters); a hand-made request may, and a long title once kept Chromium busy for
minutes, a long address made thousands of notices. Too long is refused with a message,
or ignored with a notice, never worked on.
"""

from __future__ import annotations

from dashboard.draw.report_figure import TITLE_LIMIT, title_problem

SEARCH_LIMIT = 200  # characters typed into the focus search
QUERY_LIMIT = 8192  # characters of the page address's query string

__all__ = ["QUERY_LIMIT", "SEARCH_LIMIT", "TITLE_LIMIT", "export_title", "query", "search_text"]


def export_title(value, default: str) -> tuple[str | None, str | None]:
    """The figure title to use, or None and why not (for the page). A title typed in
    is refused when too long; the default (the data set's name) is shortened.

    >>> export_title("  My view ", "Data"), export_title(None, "Data")
    (('My view', None), ('Data', None))
    >>> export_title("x" * 300, "Data")[1]
    'The title has 300 characters; at most 200 fit a figure. Shorten it.'
    >>> len(export_title("", "y" * 300)[0])
    200
    """
    typed = value.strip() if isinstance(value, str) else ""
    title = typed or default[:TITLE_LIMIT]
    problem = title_problem(title)
    return (None, problem) if problem else (title, None)


def search_text(value) -> str | None:
    """What the user typed into a search box, if it is text of a searchable length.

    >>> search_text("hez"), search_text("x" * 201), search_text(["x"])
    ('hez', None, None)
    """
    return value if isinstance(value, str) and len(value) <= SEARCH_LIMIT else None


def query(value) -> tuple[str, str | None]:
    """The address's query string to read, and a notice if it was too long to read.

    >>> query("?from=1991")
    ('?from=1991', None)
    >>> query("?" + "a=1&" * 3000)[1]
    'the address is 12,001 characters long (at most 8,192 are read): it was ignored'
    """
    if not isinstance(value, str):
        return "", None
    if len(value) > QUERY_LIMIT:
        return "", (
            f"the address is {len(value):,} characters long "
            f"(at most {QUERY_LIMIT:,} are read): it was ignored"
        )
    return value, None
