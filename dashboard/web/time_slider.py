"""The time range slider, over the data's span in its time unit (years; months or
days for short spans, see :mod:`dashboard.query.periods`): the filter panel's, and
the two of "Compare two periods".

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> slider = time_range_slider(Network.from_dataset(load_or_raise("data")))
>>> slider.min, slider.max, slider.value
(1990, 2026, [1990, 2026])
"""

from __future__ import annotations

from dash import dcc

from dashboard.graph import Network
from dashboard.query import periods
from dashboard.web import ids


def time_range_slider(network: Network, component_id: str = ids.TIME_RANGE) -> dcc.RangeSlider:
    """A range slider over the data's span in its time unit."""
    scale = periods.time_scale(network)
    if scale is None:
        return dcc.RangeSlider(id=component_id, min=0, max=0, step=1, value=[0, 0], disabled=True)
    options = {}
    tooltip = {"placement": "bottom", "always_visible": False}
    if scale.unit != "year":
        tooltip["transform"] = f"{scale.unit}Text"
        options["allow_direct_input"] = False  # it would show month numbers
    return dcc.RangeSlider(
        id=component_id,
        min=scale.low,
        max=scale.high,
        step=1,
        value=[scale.low, scale.high],
        marks=scale.marks(),
        allowCross=False,
        tooltip=tooltip,
        **options,
    )
