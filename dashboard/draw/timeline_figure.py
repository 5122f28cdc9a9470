"""The timeline under the map: claims per period, stacked by relation family or stance,
with the undated claims counted in a bar of their own beside the axis.

The x axis is in the time slider's values (years, month indices or day numbers), so a
brush or a click on it converts to a time range without any calendar arithmetic in
the browser; the ticks are written as dates. The current time range is shaded by the
browser (assets/timeline.js) as the slider or playback moves.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> from dashboard.query.timeline import histogram
>>> net = Network.from_dataset(load_or_raise("data"))
>>> figure = timeline_figure(histogram(apply_filters(net, FilterState())))
>>> [t["name"] for t in figure["data"] if t["xaxis"] == "x"][:3]
['cooperation', 'conflict', 'hierarchy and membership']
>>> figure["layout"]["meta"]["unit"], figure["layout"]["meta"]["undated"]
('year', 45)
"""

from __future__ import annotations

from html import escape

from dashboard.draw import style
from dashboard.query.timeline import Histogram

STANCE_COLOURS = {"asserts": "#374151", "denies": "#b91c1c"}
HEIGHT = 150
RANGE_FILL = "rgba(37, 99, 235, 0.13)"


def group_colours(histogram: Histogram) -> list[str]:
    if histogram.stack == "stance":
        return [STANCE_COLOURS[g] for g in histogram.groups]
    colours = style.family_colours(histogram.groups)
    return [colours[g] for g in histogram.groups]


def timeline_figure(histogram: Histogram | None) -> dict:
    """A stacked bar chart of claims per period; an empty figure saying so without
    dated claims."""
    if histogram is None:
        return {
            "data": [],
            "layout": {
                "height": HEIGHT,
                "xaxis": {"visible": False},
                "yaxis": {"visible": False},
                "annotations": [
                    {"text": "No claim is dated: nothing to place in time.", "showarrow": False}
                ],
                "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            },
        }
    scale, width = histogram.scale, histogram.width
    centres = histogram.starts + (width - 1) / 2
    labels = [histogram.label(i) for i in range(len(histogram.starts))]
    unit = "year" if width == 1 else f"{width} years"
    if scale.unit != "year":
        unit = scale.unit
    traces = []
    undated_total = int(histogram.undated.sum())
    for group, (name, colour) in enumerate(
        zip(histogram.groups, group_colours(histogram), strict=True)
    ):
        counts = histogram.counts[group]
        if not counts.any() and not histogram.undated[group]:
            continue
        traces.append(
            {
                "type": "bar",
                "x": centres.tolist(),
                "y": counts.tolist(),
                "width": width * 0.92,
                "name": escape(name),
                "legendgroup": escape(name),
                # Families have the map's colours and its legend; stances need their own.
                "showlegend": histogram.stack == "stance",
                "marker": {"color": colour, "line": {"width": 0}},
                "customdata": labels,
                "hovertemplate": f"%{{customdata}}<br>{escape(name)}: %{{y}} claims<extra></extra>",
                "xaxis": "x",
                "yaxis": "y",
            }
        )
        traces.append(
            {
                "type": "bar",
                "x": ["undated"],
                "y": [int(histogram.undated[group])],
                "name": escape(name),
                "legendgroup": escape(name),
                "showlegend": False,
                "marker": {"color": colour, "line": {"width": 0}},
                "hovertemplate": f"undated<br>{escape(name)}: %{{y}} claims<extra></extra>",
                "xaxis": "x2",
                "yaxis": "y2",
            }
        )
    marks = scale.marks(count=10)
    low, high = scale.low - 0.5, histogram.starts[-1] + width - 0.5
    top = int(histogram.counts.sum(axis=0).max()) if histogram.counts.size else 0
    return {
        "data": traces,
        "layout": {
            "height": HEIGHT,
            "barmode": "stack",
            "bargap": 0,
            "margin": {"l": 36, "r": 8, "t": 26, "b": 24},
            "paper_bgcolor": "#fff",
            "plot_bgcolor": "#fff",
            "dragmode": "select",
            "selectdirection": "h",
            "hovermode": "closest",
            "xaxis": {
                "domain": [0, 0.91],
                "range": [low, high],
                "tickvals": list(marks),
                "ticktext": list(marks.values()),
                "fixedrange": True,
                "showgrid": False,
                "zeroline": False,
            },
            "yaxis": {
                "fixedrange": True,
                "rangemode": "tozero",
                "range": [0, max(top, 1) * 1.08],
                "nticks": 3,
                "gridcolor": "#eef0f3",
            },
            "xaxis2": {"domain": [0.93, 1], "fixedrange": True, "type": "category"},
            "yaxis2": {
                "anchor": "x2",
                "fixedrange": True,
                "showticklabels": False,
                "showgrid": False,
                "range": [0, max(int(histogram.undated.sum()), 1) * 1.25],
            },
            "legend": {
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 1.02,
                "yanchor": "bottom",
                "font": {"size": 10},
                "itemclick": False,
                "itemdoubleclick": False,
            },
            "annotations": [
                {
                    "text": f"Claims per {unit} (a claim counts in each {scale.unit} it covers); "
                    "drag across to choose a range",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": 1.02,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 11, "color": "#5f6b7a"},
                },
                {
                    "text": f"{undated_total:,}",
                    "xref": "x2",
                    "yref": "y2",
                    "x": "undated",
                    "y": undated_total,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 10, "color": "#5f6b7a"},
                },
            ],
            "shapes": [],
            "meta": {
                "unit": scale.unit,
                "low": scale.low,
                "high": scale.high,
                "width": width,
                "undated": undated_total,
            },
        },
    }
