"""Protections for the page and its server: :class:`HardenedDash` and :func:`harden`.

- The page's ``<title>`` (the data set's name, which ``dashboard.toml`` may set) is
  HTML-escaped: Dash writes ``app.title`` into the page as it is. The page template's
  slots are filled in one pass, so a title such as ``{%scripts%}`` is shown as text
  rather than replaced by the scripts.
- The page's config leaves out the Python version and build (Dash puts ``sys.version``
  there for its dev tools, which are off).
- Every answer carries a Content-Security-Policy that allows the app's own scripts (and
  Dash's inline ones, by hash) and nothing else, and headers against sniffing, framing
  and referrer leaks (:func:`security_headers`).
- A request whose ``Host`` header names none of the allowed hosts gets a 400, against
  DNS rebinding: a hostile page whose name is made to point at this machine would
  otherwise read the data through the visitor's browser (:class:`HostCheck`).
- A path under ``/_dash-component-suites/`` that names no file Dash serves is a 404
  (Dash raises an exception for it, which Flask would answer with a 500 and a logged
  traceback).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from html import escape

from dash import Dash
from dash.exceptions import DependencyException

_SLOT = re.compile(r"\{%(\w+)%\}")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_NAME = re.compile(r"[a-z0-9._-]+")
_IPV6 = re.compile(r"[0-9a-f:.]+")


class HardenedDash(Dash):
    """Dash, with the page template filled safely and no Python build in its config."""

    def interpolate_index(self, **kwargs) -> str:
        """The page: each ``{%slot%}`` of the template replaced once, the title escaped.

        >>> app = HardenedDash(__name__, title="<b>{%scripts%}</b>")
        >>> page = app.interpolate_index(title=app.title, scripts="<script></script>")
        >>> page.split("<title>")[1].split("</title>")[0]
        '&lt;b&gt;{%scripts%}&lt;/b&gt;'
        """
        values = {**kwargs, "title": escape(str(kwargs.get("title") or ""))}
        return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), self.index_string)

    def _config(self):
        config = super()._config()
        config.pop("python_version", None)
        return config


def host_name(header: str | None) -> str | None:
    """The host name of a ``Host`` header, lower case and without its port, or None if
    the header is missing or malformed.

    >>> host_name("LocalHost:8050"), host_name("[::1]:8050"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    >>> host_name(""), host_name("evil.com:99999"), host_name("a b"), host_name("x:1:2")
    (None, None, None, None)
    """
    if not header:
        return None
    text = header.strip().lower()
    if text.startswith("["):  # an IPv6 address, [::1]:8050
        name, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")) or not _IPV6.fullmatch(name):
            return None
        port = rest[1:]
    else:
        name, _, port = text.partition(":")
        if not _NAME.fullmatch(name):
            return None
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        return None
    return name


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names requests may be addressed to, for a server bound to ``bind``.

    Loopback names always (a hostile page cannot make a browser send them), the bound
    address itself when it is one address (not all of them), and the names given.

    >>> sorted(allowed_hosts("127.0.0.1"))
    ['127.0.0.1', '::1', 'localhost']
    >>> sorted(allowed_hosts("0.0.0.0", ["Dash.Example.org"]))
    ['127.0.0.1', '::1', 'dash.example.org', 'localhost']
    >>> sorted(allowed_hosts("192.168.1.5"))
    ['127.0.0.1', '192.168.1.5', '::1', 'localhost']
    """
    names = set(LOOPBACK_NAMES)
    names.update(name for name in (host_name(e) for e in extra) if name)
    try:
        address = ipaddress.ip_address(bind.strip("[]"))
    except ValueError:
        address = None
    if address is None or not address.is_unspecified:
        names.add(bind.strip("[]").lower())
    return frozenset(names)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to bind to) is this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The page's CSP: its own origin only; inline scripts only by hash.

    ``'unsafe-eval'``: Plotly's WebGL traces (scattergl, used for large views) compile
    their drawing and picking code at run time (regl); without it a large network is
    drawn but its edges cannot be clicked (checked in Chromium). Markup injected into
    the page still cannot run: inline scripts and event handlers need a hash. Styles
    may be inline (Dash components and Plotly set style attributes and inject style
    elements); images may be ``data:`` URIs (Plotly's modebar and exports).
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(csp: str) -> list[tuple[str, str]]:
    return [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]


class HostCheck:
    """WSGI middleware: refuses requests addressed to other hosts, and adds the security
    headers to every answer (Dash's, Flask's error pages, static files and its own)."""

    def __init__(self, wsgi_app, hosts: frozenset[str], headers: list[tuple[str, str]]):
        self.wsgi_app = wsgi_app
        self.hosts = hosts
        self.headers = headers
        self._header_names = {name.lower() for name, _ in headers}

    def __call__(self, environ, start_response):
        def with_headers(status, response_headers, exc_info=None):
            kept = [(n, v) for n, v in response_headers if n.lower() not in self._header_names]
            return start_response(status, kept + self.headers, exc_info)

        if host_name(environ.get("HTTP_HOST")) not in self.hosts:
            body = b"Bad request: this server does not answer to that host name.\n"
            with_headers(
                "400 Bad Request",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        return self.wsgi_app(environ, with_headers)


def harden(app: Dash, hosts: Iterable[str] | None = None) -> None:
    """Install every protection of this module on ``app``'s server.

    ``hosts``: the host names requests may be addressed to (default: loopback names).
    Call after every callback is registered: the policy hashes Dash's inline scripts.
    """
    server = app.server

    @server.errorhandler(DependencyException)
    def no_such_component_file(_error):
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}

    csp = content_security_policy(app.csp_hashes())
    server.wsgi_app = HostCheck(
        server.wsgi_app,
        frozenset(hosts) if hosts is not None else frozenset(LOOPBACK_NAMES),
        security_headers(csp),
    )
