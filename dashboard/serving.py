"""Serving through gunicorn: several worker processes forked from one loaded app.

The master process loads the data and computes the layout before forking, so workers
start at once and share those pages of memory until they write to them (they never
do: everything shared is read-only).
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, wsgi_app, options: dict):
        self._wsgi_app = wsgi_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._wsgi_app


def serve_with_gunicorn(wsgi_app, host: str, port: int, workers: int, threads: int) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": 120,
        "accesslog": None,
        "loglevel": "warning",
    }
    _Gunicorn(wsgi_app, options).run()
