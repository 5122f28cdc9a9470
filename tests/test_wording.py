"""Counts read right in every place the page writes them: "1 claim", never "1 claims"."""

from __future__ import annotations

import re

import pytest

from dashboard.data import load_or_raise
from dashboard.draw.figures import build_figure
from dashboard.draw.report_figure import report_figure
from dashboard.graph import Network
from dashboard.positions.compute import compute_layout
from dashboard.query.evidence import actor_card, edge_evidence
from dashboard.query.filters import FilterState, apply_filters
from dashboard.query.pairs import neighbours_of, pair_evidence
from dashboard.query.view_state import ViewState
from dashboard.web import pair_panel, panels
from tests.conftest import HEADER, write_data

WRONG = re.compile(
    r"(?<![\d,.])1 (claims|edges|actors|sources|relations|denials|quotes|neighbours|deny|assert)\b"
)


@pytest.fixture(scope="module")
def lonely(tmp_path_factory):
    """One claim between two actors, and one actor with a claim of its own."""
    rows = (
        "A,B,funds,2001,,the one quote,The one source,asserts,,,\nC,,speaks,,,alone,S,denies,,,\n"
    )
    folder = write_data(tmp_path_factory.mktemp("lonely") / "data", HEADER + rows)
    return Network.from_dataset(load_or_raise(folder))


def texts(component) -> str:
    """Every string in a Dash component tree (or a figure), joined."""
    if isinstance(component, str):
        return component
    if isinstance(component, list | tuple):
        return " ".join(texts(c) for c in component)
    if isinstance(component, dict):
        return " ".join(texts(v) for v in component.values())
    children = getattr(component, "children", None)
    return texts(children) if children is not None else ""


@pytest.mark.parametrize(
    "state",
    [FilterState(), FilterState(years=(2001, 2001)), FilterState(years=(1990, 2001))],
    ids=["everything", "one year", "a range"],
)
def test_nothing_says_one_of_a_plural(lonely, state):
    view = apply_filters(lonely, state)
    a, b, c = (lonely.actor_code[lonely.find_actor(name)] for name in "ABC")
    written = [
        view.counts_text(),
        texts(panels.edge_panel(edge_evidence(view, 0))),
        texts(panels.actor_panel(actor_card(view, a))),
        texts(panels.actor_panel(actor_card(view, c))),
        texts(pair_panel.pair_panel(pair_evidence(view, a, b))),
        texts(pair_panel.neighbour_list(neighbours_of(view, a), a)),
    ]
    positions = compute_layout(lonely, "force")
    figure = build_figure(view, positions)
    written += [
        " ".join(map(str, trace.get("hovertext") or [])) + " " + str(trace.get("name", ""))
        for trace in figure["data"]
    ]
    report = report_figure(view, positions, ViewState(state), "One", "One")
    written.append(" ".join(str(a["text"]) for a in report["layout"]["annotations"]))
    for text in written:
        assert not WRONG.search(text), WRONG.search(text).group(0) + " in: " + text[:300]
    assert "1 edge ·" in written[0]
