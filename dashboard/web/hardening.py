"""Protections for the page and its server: :class:`HardenedDash` and :func:`harden`.

- The page's ``<title>`` (the data set's name, which ``dashboard.toml`` may set) is
  HTML-escaped: Dash writes ``app.title`` into the page as it is. The page template's
  slots are filled in one pass, so a title such as ``{%scripts%}`` is shown as text
  rather than replaced by the scripts.
- A path under ``/_dash-component-suites/`` that names no file Dash serves is a 404
  (Dash raises an exception for it, which Flask would answer with a 500 and a logged
  traceback).
"""

from __future__ import annotations

import re
from html import escape

from dash import Dash
from dash.exceptions import DependencyException

_SLOT = re.compile(r"\{%(\w+)%\}")


class HardenedDash(Dash):
    """Dash, with the page template filled safely."""

    def interpolate_index(self, **kwargs) -> str:
        """The page: each ``{%slot%}`` of the template replaced once, the title escaped.

        >>> app = HardenedDash(__name__, title="<b>{%scripts%}</b>")
        >>> page = app.interpolate_index(title=app.title, scripts="<script></script>")
        >>> page.split("<title>")[1].split("</title>")[0]
        '&lt;b&gt;{%scripts%}&lt;/b&gt;'
        """
        values = {**kwargs, "title": escape(str(kwargs.get("title") or ""))}
        return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), self.index_string)


def harden(app: Dash) -> None:
    """Install every protection of this module on ``app``'s server."""
    server = app.server

    @server.errorhandler(DependencyException)
    def no_such_component_file(_error):
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}
