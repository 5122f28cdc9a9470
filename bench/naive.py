"""The usual Plotly network recipe, as a baseline measured on the same data.

Plotly's documentation draws a network as one SVG ``go.Scatter`` for the edges, built in
Python loops with ``None`` separators, and one for the nodes; a dashboard on top of it
filters the claims with a pandas mask (copying every column of the kept rows), embeds
the evidence in hover text, and runs ``networkx.spring_layout`` on each load. Its
interaction is measured in-process (no HTTP): filter, build, ``to_json``.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time

import networkx as nx
import pandas as pd
import plotly.graph_objects as go


def interaction(claims: pd.DataFrame, names: dict, positions: dict, years, sources) -> str:
    """One filter change: the figure's JSON, as the naive recipe would send it."""
    first, last = pd.Timestamp(f"{years[0]}-01-01"), pd.Timestamp(f"{years[1]}-12-31")
    dated = claims["span_start"].notna()
    overlaps = (claims["span_start"] <= last) & (claims["span_end"] >= first)
    shown = claims[(overlaps | ~dated) & claims["source"].isin(sources)]
    edge_x, edge_y, mid_x, mid_y, evidence = [], [], [], [], []
    for row in shown.itertuples():
        if not row.to_id:
            continue
        x0, y0 = positions[row.from_id]
        x1, y1 = positions[row.to_id]
        edge_x += [x0, x1, None]
        edge_y += [y0, y1, None]
        mid_x.append((x0 + x1) / 2)
        mid_y.append((y0 + y1) / 2)
        evidence.append(
            f"{names[row.from_id]} {row.relation} {names[row.to_id]}<br>“{row.quote}”<br>"
            f"{row.source}, {row.document} ({row.start}–{row.end})"
        )
    nodes = sorted(set(shown["from_id"]) | set(shown.loc[shown["to_id"] != "", "to_id"]))
    figure = go.Figure(
        [
            go.Scatter(
                x=edge_x,
                y=edge_y,
                mode="lines",
                line={"width": 0.5, "color": "#888"},
                hoverinfo="none",
            ),
            go.Scatter(
                x=mid_x,
                y=mid_y,
                mode="markers",
                marker={"opacity": 0},
                hovertext=evidence,
                hoverinfo="text",
            ),
            go.Scatter(
                x=[positions[n][0] for n in nodes],
                y=[positions[n][1] for n in nodes],
                mode="markers",
                text=[names[n] for n in nodes],
                hoverinfo="text",
            ),
        ]
    )
    return figure.to_json()


def _spring(edges: list[tuple[str, str]]) -> None:
    graph = nx.Graph()
    graph.add_edges_from(edges)
    nx.spring_layout(graph, seed=1)


def spring_layout_seconds(claims: pd.DataFrame, timeout: float) -> str:
    """Time networkx's spring layout on the graph, giving up after ``timeout`` seconds."""
    drawn = claims[claims["to_id"] != ""]
    edges = list(zip(drawn["from_id"], drawn["to_id"], strict=True))
    process = multiprocessing.get_context("spawn").Process(target=_spring, args=(edges,))
    start = time.perf_counter()
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.terminate()
        process.join()
        return f"> {timeout:.0f} s (stopped)"
    return f"{time.perf_counter() - start:.1f} s"


def measure_interaction(
    dataset, positions, spec: dict, repeats: int = 3, zstd_level: int = 3
) -> tuple[float, int, int]:
    """Median seconds of one filter change; the bytes of JSON it produces, raw and as
    zstd at ``zstd_level`` would send them (the dashboard's compression for Chromium)."""
    from flask_compress.compat import compression

    ids = dataset.actors.index
    names = dict(zip(ids, dataset.actors["name"], strict=True))
    by_id = {
        actor_id: (float(x), float(y)) for actor_id, (x, y) in zip(ids, positions, strict=True)
    }
    times, sent = [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        sent = interaction(dataset.claims, names, by_id, spec["years"], spec["sources"])
        times.append(time.perf_counter() - start)
    raw = sent.encode()
    return statistics.median(times), len(raw), len(compression.zstd.compress(raw, zstd_level))
