"""The browser benchmark's table: one row per measure, one column per size (Markdown)."""

from __future__ import annotations

import re
import statistics

STEP_LABELS = {
    "navigation": "navigation → network on screen",
    "source": "pick one source → redrawn",
    "time": "then time range from 2000 → redrawn",
    "reset": "then Reset → redrawn",
    "click": "click an edge → evidence shown",
    "second_visit": "second visit (browser cache) → on screen",
}
ANCHOR_LABELS = {
    "navigation": "sigma.js anchor: navigation → drawn",
    "source": "sigma.js anchor: one source → drawn",
    "time": "sigma.js anchor: from 2000 → drawn",
    "reset": "sigma.js anchor: Reset → drawn",
}
SERVER_STEPS = ("navigation", "source", "time", "reset", "click")


def medians(runs: list[dict]) -> dict:
    """Per step: the median seconds, and the median server time summed over callbacks."""
    out = {}
    for step in STEP_LABELS:
        present = [r[step] for r in runs if step in r]
        if not present:
            continue
        seconds = [r["s"] for r in present if r.get("s") is not None]
        server = [sum(r.get("callback_server_ms", [])) for r in present]
        out[step] = {
            "s": statistics.median(seconds) if seconds else None,
            "server_ms": statistics.median(server),
            "callbacks": statistics.median(r.get("callbacks", 0) for r in present),
            "raw_bytes": statistics.median(r.get("raw_bytes", 0) for r in present),
            "wire_bytes": statistics.median(r.get("wire_bytes", 0) for r in present),
            "sent_bytes": statistics.median(r.get("sent_body_bytes", 0) for r in present),
            "counts": present[0].get("counts", ""),
        }
    return out


def same_views(result: dict) -> list[str]:
    """Where the anchor page showed other actors, edges or claims than the dashboard did
    (then it did not do the same work, and its times say less)."""
    problems = []
    for step in ANCHOR_LABELS:
        ours = _shown(_step(result, "app", step).get("counts", ""))
        theirs = _shown(_step(result, "anchor", step).get("counts", ""))
        if theirs and ours != theirs:
            problems.append(f"{step}: the dashboard showed {ours}, the anchor {theirs}")
    return problems


def _seconds(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _mb(value) -> str:
    return "—" if value is None else f"{value / 1e6:.2f}"


def _step(result: dict, side: str, step: str) -> dict:
    return result.get(side, {}).get("median", {}).get(step, {})


def _shown(counts: str) -> tuple[int, ...]:
    """(actors, edges, claims) from a counts text.

    >>> _shown("19,533 actors · 98722 edges · 100000 claims (of 100000)")
    (19533, 98722, 100000)
    """
    found = re.findall(r"([\d,]+) (?:actors|edges|claims)\b", counts)
    return tuple(int(n.replace(",", "")) for n in found)


def _first_load_kind(result: dict, kind: str) -> tuple[float, float] | None:
    runs = result.get("app", {}).get("runs", [])
    if not runs:
        return None
    entry = runs[0]["navigation"].get("by_kind", {}).get(kind)
    return (entry["raw_bytes"], entry["wire_bytes"]) if entry else None


def rows(results: list[dict]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []

    def row(label: str, cell) -> None:
        out.append((label, [cell(r) for r in results]))

    for step, label in STEP_LABELS.items():
        row(f"{label}, s", lambda r, s=step: _seconds(_step(r, "app", s).get("s")))
        if step in ANCHOR_LABELS:
            row(
                f"{ANCHOR_LABELS[step]}, s",
                lambda r, s=step: _seconds(_step(r, "anchor", s).get("s")),
            )
    row(
        "callbacks fired: load / source / time / Reset / click",
        lambda r: " / ".join(f"{_step(r, 'app', s).get('callbacks', 0):g}" for s in SERVER_STEPS),
    )
    row(
        "their server time, ms (summed): load / source / time / Reset / click",
        lambda r: " / ".join(f"{_step(r, 'app', s).get('server_ms', 0):.0f}" for s in SERVER_STEPS),
    )
    row(
        "first load, MB raw / on the wire",
        lambda r: (
            f"{_mb(_step(r, 'app', 'navigation').get('raw_bytes'))} / "
            f"{_mb(_step(r, 'app', 'navigation').get('wire_bytes'))}"
        ),
    )
    row(
        "of which JS and CSS, MB raw / on the wire",
        lambda r: " / ".join(_mb(v) for v in (_first_load_kind(r, "js/css") or (None, None))),
    )
    row(
        "second visit, MB on the wire",
        lambda r: _mb(_step(r, "app", "second_visit").get("wire_bytes")),
    )
    for step in ("source", "time", "reset", "click"):
        row(
            f"{STEP_LABELS[step].split(' →')[0]}: MB on the wire (raw)",
            lambda r, s=step: (
                f"{_mb(_step(r, 'app', s).get('wire_bytes'))} "
                f"({_mb(_step(r, 'app', s).get('raw_bytes'))})"
            ),
        )
    row(
        "sigma.js anchor: first load, MB (uncompressed)",
        lambda r: _mb(_step(r, "anchor", "navigation").get("wire_bytes")),
    )
    row("start → serving, s", lambda r: _seconds(r.get("serving_s")))
    row("start → layout ready, s", lambda r: _seconds(r.get("layout_ready_s")))
    row("peak memory, MB: server + largest child (each its own peak)", _memory_cell)
    row(
        "peak memory, MB: server and children at one moment (sampled)",
        lambda r: f"{r['memory']['peak_total_mb']:,.0f}",
    )
    for step in ("source", "time", "reset"):
        row(
            f"{STEP_LABELS[step].split(' →')[0]}: edges shown (anchor)",
            lambda r, s=step: _edges_cell(r, s),
        )
    row("load average before → after", lambda r: f"{r['load_before'][0]} → {r['load_after'][0]}")
    return out


def _memory_cell(result: dict) -> str:
    memory = result["memory"]
    server = memory.get("server_high_water_mb", memory["peak_server_mb"])
    child = memory.get("child_high_water_mb", memory["peak_children_mb"])
    return f"{server:,.0f} + {child:,.0f}"


def _edges_cell(result: dict, step: str) -> str:
    ours = _shown(_step(result, "app", step).get("counts", ""))
    theirs = _shown(_step(result, "anchor", step).get("counts", ""))
    edges = lambda shown: f"{shown[1]:,}" if len(shown) > 1 else "—"  # noqa: E731
    return f"{edges(ours)} ({edges(theirs)})"


def table(summary: dict) -> str:
    results = summary["results"]
    m = summary["machine"]
    head = (
        f"{m['system']}, {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gb']} GiB, "
        f"Python {m['python']}, Chromium {results[0].get('chromium', '?') if results else '?'}; "
        f"{summary['date']}; median of {summary['settings']['repeats']} runs; "
        f"load average {summary['load_before']} before, {summary.get('load_after', '?')} after"
    )
    sizes = [f"{r['claims']:,} claims" for r in results]
    lines = [head, "", "| measure | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows(results)]
    return "\n".join(lines)
