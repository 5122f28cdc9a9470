"""The browser benchmark's bookkeeping: requests as Chromium reports them, medians, table.

The measuring itself needs Chromium and a running server (``make bench-browser``); what
is checked here is that its numbers are added up and compared honestly.
"""

from __future__ import annotations

import pytest

from bench.netlog import NetLog, short_output, summary
from bench.report import medians, same_views, table


class FakeCDP:
    """Stands in for a Playwright CDP session: records handlers, replays events."""

    def __init__(self):
        self.handlers = {}

    def on(self, event, handler):
        self.handlers[event] = handler

    def send(self, method, params=None):
        return {}

    def emit(self, event, **payload):
        self.handlers[event](payload)


def callback(cdp, request_id, output, sent_end, headers_end, raw, wire, encoding="zstd"):
    body = f'{{"output": "{output}", "inputs": []}}'
    cdp.emit(
        "Network.requestWillBeSent",
        requestId=request_id,
        request={"url": "http://127.0.0.1:1/_dash-update-component?x=1", "method": "POST",
                 "postData": body},
    )  # fmt: skip
    cdp.emit(
        "Network.responseReceived",
        requestId=request_id,
        response={"status": 200, "headers": {"Content-Encoding": encoding},
                  "timing": {"sendEnd": sent_end, "receiveHeadersEnd": headers_end}},
    )  # fmt: skip
    cdp.emit("Network.dataReceived", requestId=request_id, dataLength=raw // 2)
    cdp.emit("Network.dataReceived", requestId=request_id, dataLength=raw - raw // 2)
    cdp.emit("Network.loadingFinished", requestId=request_id, encodedDataLength=wire)
    return len(body)


def test_callbacks_are_counted_with_their_server_time_and_bytes_both_ways():
    cdp = FakeCDP()
    log = NetLog().attach(cdp)
    cdp.emit(
        "Network.requestWillBeSent",
        requestId="page",
        request={"url": "http://127.0.0.1:1/", "method": "GET"},
    )
    cdp.emit("Network.loadingFinished", requestId="page", encodedDataLength=900)
    mark = log.mark()
    sent = callback(cdp, "a", "..network.figure...counts.children..", 1.0, 41.0, 5000, 1200)
    sent += callback(cdp, "b", "evidence.children", 2.0, 12.5, 300, 250, encoding="")
    step = summary(log.since(mark))
    assert step["callbacks"] == 2
    assert step["callback_outputs"] == ["network.figure+1", "evidence.children"]
    assert step["callback_server_ms"] == [40.0, 10.5]
    assert (step["raw_bytes"], step["wire_bytes"]) == (5300, 1450)
    assert step["sent_body_bytes"] == sent
    assert log.in_flight() == 0


def test_a_request_still_loading_is_in_flight_and_an_aborted_one_is_counted():
    cdp = FakeCDP()
    log = NetLog().attach(cdp)
    for request_id in ("slow", "cut"):
        cdp.emit(
            "Network.requestWillBeSent",
            requestId=request_id,
            request={"url": "http://h/_dash-update-component", "method": "POST", "postData": "{}"},
        )
    cdp.emit("Network.loadingFailed", requestId="cut", errorText="net::ERR_ABORTED")
    assert log.in_flight() == 1
    assert summary(log.since(0))["callbacks_aborted"] == 1


@pytest.mark.parametrize(
    ("output", "short"),
    [
        ("..network.figure...counts.children...figure-roles.data..", "network.figure+2"),
        ("network.figure@5f1c", "network.figure"),
        ("url.search", "url.search"),
    ],
)
def test_callback_outputs_are_named_briefly(output, short):
    assert short_output(output) == short


def run(seconds: float, server_ms: list[float], counts: str = "3 actors · 2 edges · 2 claims"):
    step = {"s": seconds, "callbacks": len(server_ms), "callback_server_ms": server_ms}
    return {"raw_bytes": 10, "wire_bytes": 5, "counts": counts, **step}


def test_medians_take_the_middle_run_of_each_step():
    runs = [
        {"source": run(0.3, [10, 20])},
        {"source": run(9.0, [100, 200])},
        {"source": run(0.5, [15, 20])},
    ]
    assert medians(runs)["source"]["s"] == 0.5
    assert medians(runs)["source"]["server_ms"] == 35


def sized(claims: int, ours: str, anchor: str) -> dict:
    app_runs = [{step: run(1.0, [5.0], ours) for step in ("navigation", "source", "time", "reset")}]
    anchor_runs = [{step: run(0.1, [], anchor) for step in ("navigation", "source")}]
    return {
        "claims": claims,
        "app": {"runs": app_runs, "median": medians(app_runs)},
        "anchor": {"runs": anchor_runs, "median": medians(anchor_runs)},
        "memory": {
            "peak_total_mb": 500.0,
            "peak_server_mb": 400.0,
            "peak_children_mb": 90.0,
            "server_high_water_mb": 410.0,
            "child_high_water_mb": 120.0,
        },
        "load_before": [1.0, 1.0, 1.0],
        "load_after": [2.0, 2.0, 2.0],
    }


def test_the_anchor_must_show_what_the_dashboard_shows():
    same = sized(1000, "3 actors · 2 edges · 2 claims (of 9)", "3 actors · 2 edges · 2 claims")
    other = sized(1000, "3 actors · 2 edges · 2 claims (of 9)", "4 actors · 2 edges · 2 claims")
    assert same_views(same) == []
    assert [p.split(":")[0] for p in same_views(other)] == ["navigation", "source"]


def test_the_table_has_a_column_per_size_and_names_the_machine_and_its_load():
    summary_ = {
        "machine": {"system": "Linux", "cpus": 2, "cpu_model": "EPYC", "memory_gb": 24,
                    "python": "3.11"},
        "date": "2026-11-28",
        "settings": {"repeats": 3},
        "load_before": [3.5, 2, 1],
        "load_after": [4.0, 2, 1],
        "results": [sized(1000, "3 actors · 2 edges · 2 claims", "x"), sized(10_000, "", "")],
    }  # fmt: skip
    text = table(summary_)
    assert "2 CPUs (EPYC)" in text and "[3.5, 2, 1] before" in text
    assert "| measure | 1,000 claims | 10,000 claims |" in text
    assert "| navigation → network on screen, s | 1.00 | 1.00 |" in text
    assert "| peak memory, MB: server + largest child (each its own peak) | 410 + 120 |" in text
    assert "| peak memory, MB: server and children at one moment (sampled) | 500 | 500 |" in text
