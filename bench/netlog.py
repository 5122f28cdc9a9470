"""Every request a page makes, as Chromium saw it (DevTools protocol, Network domain).

Per request: the URL, the bytes of the request body, the response body's bytes raw
(decoded) and on the wire (as received, compressed if it was, headers included), where
it came from (network or the browser's cache), and the server's time: from the request
sent to the first byte of the response's headers (on loopback, that is the server's
work, compression included). Callbacks (``_dash-update-component``) also record which
outputs they were for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Request:
    url: str
    method: str
    body_bytes: int = 0
    output: str = ""
    raw_bytes: int = 0
    wire_bytes: int = 0
    server_ms: float | None = None
    from_cache: bool = False
    status: int | None = None
    encoding: str = ""
    done: bool = False
    failed: str = ""

    @property
    def is_callback(self) -> bool:
        return self.url.split("?", 1)[0].endswith("/_dash-update-component")


@dataclass
class NetLog:
    """Attach with :meth:`attach` to a Playwright CDP session; read with :meth:`since`."""

    requests: dict[str, Request] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def attach(self, cdp) -> NetLog:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        # Bodies above this size arrive without their data and would count as empty (a
        # 3.8 MB request went unseen that way): allow the largest the server accepts.
        cdp.send("Network.enable", {"maxPostDataSize": 8 * 1024 * 1024})
        return self

    def _sent(self, event: dict) -> None:
        request = event["request"]
        body = request.get("postData") or ""
        if not body and request.get("postDataEntries"):
            body = "".join(e.get("bytes", "") for e in request["postDataEntries"])
        record = Request(request["url"], request["method"], body_bytes=len(body.encode()))
        if record.is_callback and body:
            try:
                record.output = json.loads(body).get("output", "")
            except ValueError:
                record.output = "?"
        if event["requestId"] in self.requests:  # a redirect reuses the id
            return
        self.requests[event["requestId"]] = record
        self.order.append(event["requestId"])

    def _from_cache(self, event: dict) -> None:
        if record := self.requests.get(event["requestId"]):
            record.from_cache = True

    def _response(self, event: dict) -> None:
        record = self.requests.get(event["requestId"])
        if record is None:
            return
        response = event["response"]
        record.status = response.get("status")
        record.from_cache = record.from_cache or bool(response.get("fromDiskCache"))
        headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
        record.encoding = headers.get("content-encoding", "")
        timing = response.get("timing")
        if timing and timing.get("sendEnd", -1) >= 0:
            record.server_ms = timing["receiveHeadersEnd"] - timing["sendEnd"]

    def _data(self, event: dict) -> None:
        if record := self.requests.get(event["requestId"]):
            record.raw_bytes += event.get("dataLength", 0)

    def _finished(self, event: dict) -> None:
        if record := self.requests.get(event["requestId"]):
            record.wire_bytes = int(event.get("encodedDataLength", 0))
            record.done = True

    def _failed(self, event: dict) -> None:
        if record := self.requests.get(event["requestId"]):
            record.failed = event.get("errorText", "failed")
            record.done = True

    def mark(self) -> int:
        return len(self.order)

    def since(self, mark: int) -> list[Request]:
        return [self.requests[i] for i in self.order[mark:]]

    def in_flight(self) -> int:
        return sum(not r.done for r in self.requests.values())


def short_output(output: str) -> str:
    """A callback's outputs as ``network.figure+3`` (the first, and how many more).

    >>> short_output("..network.figure...counts.children..@1f2e"), short_output("url.search")
    ('network.figure+1', 'url.search')
    """
    parts = [p.split("@")[0] for p in output.strip(".").split("...") if p]
    if not parts:
        return output
    return parts[0] + (f"+{len(parts) - 1}" if len(parts) > 1 else "")


def summary(requests: list[Request]) -> dict:
    """Bytes both ways and the callbacks among ``requests``."""
    callbacks = [r for r in requests if r.is_callback]
    return {
        "requests": len(requests),
        "from_cache": sum(r.from_cache for r in requests),
        "sent_body_bytes": sum(r.body_bytes for r in requests),
        "raw_bytes": sum(r.raw_bytes for r in requests),
        "wire_bytes": sum(r.wire_bytes for r in requests),
        "callbacks": len(callbacks),
        "callback_outputs": [short_output(r.output) for r in callbacks],
        "callback_server_ms": [round(r.server_ms, 1) for r in callbacks if r.server_ms is not None],
        "callbacks_aborted": sum(bool(r.failed) for r in callbacks),
        "callback_raw_bytes": sum(r.raw_bytes for r in callbacks),
        "callback_wire_bytes": sum(r.wire_bytes for r in callbacks),
        "failed": [f"{r.url}: {r.failed}" for r in requests if r.failed and not r.is_callback],
    }


def by_kind(requests: list[Request]) -> dict:
    """First-load bytes split into scripts and styles, callbacks, and the rest."""
    kinds: dict[str, dict] = {}
    for r in requests:
        path = r.url.split("?", 1)[0]
        kind = (
            "callbacks"
            if r.is_callback
            else "js/css"
            if path.endswith((".js", ".css"))
            else "other"
        )
        entry = kinds.setdefault(kind, {"raw_bytes": 0, "wire_bytes": 0, "requests": 0})
        entry["raw_bytes"] += r.raw_bytes
        entry["wire_bytes"] += r.wire_bytes
        entry["requests"] += 1
    return kinds
