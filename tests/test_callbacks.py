"""Callback bodies called directly, and the parsers at their boundary: whatever the
browser sends, never a crash."""

from __future__ import annotations

import numpy as np
import pytest
from dash import Dash, Input, Output, no_update

from dashboard.draw import roles
from dashboard.draw.assemble import assemble
from dashboard.draw.scene import decode
from dashboard.positions.cache import LayoutCache
from dashboard.query.filters import FilterState, ViewMemo
from dashboard.query.view_state import Selection, ViewState
from dashboard.web import controls, ids
from dashboard.web.callbacks import (
    parse_click,
    parse_override,
    relayout_visible,
    select,
    show_evidence,
    update_scene,
    update_step,
    with_override,
)
from dashboard.web.page import year_marks
from dashboard.web.sharing import apply_view_state, write_url
from dashboard.web.wiring import AppContext, Trigger, as_is, wire


@pytest.fixture(scope="module")
def context(network):
    return AppContext(network, LayoutCache(network), "Test data", views=ViewMemo(network))


def figure_for(context, view: ViewState, override=None) -> dict:
    """The figure as the browser assembles it from the two callbacks' outputs."""
    scene = update_scene(context, view.layout, override, None)["scene"]
    step = update_step(context, view, override, None)["step"]
    assert step["sceneKey"] == scene["key"]
    return assemble(decode(scene), decode(step), view.selection)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {
                "years": [1990, 2026],
                "undated": ["show"],
                "sources": [],
                "relations": [],
                "actor_types": [],
                "stances": ["asserts", "denies"],
                "min_sources": 1,
                "focus": None,
                "depth": 1,
            },
            FilterState(),
        ),
        (
            {"years": [1991, 1998], "undated": [], "sources": None, "min_sources": None},
            FilterState(years=(1991, 1998), include_undated=False),
        ),
        (
            {
                "sources": ["UN report"],
                "relations": ["trains"],
                "actor_types": ["state"],
                "stances": ["denies"],
                "min_sources": 3,
                "focus": "iran",
                "depth": 2,
            },
            FilterState(
                sources=frozenset({"UN report"}),
                relations=frozenset({"trains"}),
                actor_types=frozenset({"state"}),
                stances=frozenset({"denies"}),
                min_sources=3,
                focus="iran",
                depth=2,
            ),
        ),
        (
            {
                "years": ["abc", {"x": 1}],
                "undated": {"a": 1},
                "sources": "UN report",
                "relations": [1, None, ["x"], "no such relation"],
                "actor_types": 42,
                "stances": ["maybe"],
                "min_sources": float("nan"),
                "focus": ["iran"],
                "depth": 1e300,
            },
            FilterState(depth=3),
        ),
    ],
    ids=["defaults", "years, nothing else", "everything set", "garbage"],
)
def test_filter_state_from_controls(network, values, expected):
    assert controls.filter_state(network, values) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"kind": "edge", "index": 3}, Selection("edge", 3)),
        ({"kind": "node", "index": 0}, Selection("node", 0)),
        ({"kind": "pair", "index": 0, "other": 1}, Selection("pair", 0, 1)),
        ({"kind": "pair", "index": 2, "other": 2}, Selection("pair", 2, 2)),
        ({"kind": "node", "index": 0, "other": 1}, Selection("node", 0)),
        ({"kind": "pair", "index": 0}, None),
        ({"kind": "pair", "index": 0, "other": 10_000}, None),
        ({"kind": "pair", "index": 0, "other": "1"}, None),
        (None, None),
        ({"kind": "edge", "index": 10_000}, None),
        ({"kind": "edge", "index": -1}, None),
        ({"kind": "edge", "index": "3"}, None),
        ({"kind": "edge", "index": True}, None),
        ({"kind": "node", "index": 10**30}, None),
        ({"kind": "script", "index": 1}, None),
        ("edge", None),
    ],
)
def test_selection_from_untrusted_store_data(network, data, expected):
    assert controls.parse_selection(data, network) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"layout": "force", "nodes": [0, 999], "x": [1.0, 1.0], "y": [0.0, 0.0]},
        {"layout": "force", "nodes": [0, 1], "x": [1.0], "y": "?"},
        {"layout": "force", "nodes": [-1], "x": [1.0], "y": [1.0]},
        {"layout": "force", "nodes": [10**30], "x": [1.0], "y": [1.0]},
        {"layout": "force", "nodes": [True], "x": [1.0], "y": [1.0]},
        {"layout": "force", "nodes": [0], "x": [float("nan")], "y": [1.0]},
        {"layout": "force", "nodes": [0], "x": [1e308], "y": [-1e308]},
        {"layout": "force", "nodes": [0], "x": [float("inf")], "y": [1.0]},
        {"layout": 3, "nodes": [0], "x": [1.0], "y": [1.0]},
        "override",
    ],
)
def test_mangled_position_overrides_are_ignored(context, value):
    assert parse_override(value, context) is None


def test_positions_override_applies_only_to_its_layout(context):
    cache = context.layouts
    override = parse_override(
        {"layout": "force", "nodes": [0, 1], "x": [0.5, -0.5], "y": [0.25, 0.0]}, context
    )
    merged = with_override(cache.get("force"), "force", override)
    np.testing.assert_array_equal(merged[:2], [[0.5, 0.25], [-0.5, 0.0]])
    np.testing.assert_array_equal(merged[2:], cache.get("force")[2:])
    assert with_override(cache.get("circular"), "circular", override) is cache.get("circular")


@pytest.mark.parametrize(
    ("click", "expected"),
    [
        ({"points": [{"curveNumber": 3, "customdata": 7}]}, (3, 7)),
        ({"points": {"curveNumber": 3}}, None),
        ({"points": 5}, None),
        ({"points": []}, None),
        ({"points": [{"curveNumber": True, "customdata": 7}]}, None),
        ({"points": [{"curveNumber": 10**30, "customdata": 7}]}, None),
        ("click", None),
    ],
)
def test_click_data_is_parsed_or_ignored(click, expected):
    assert parse_click(click) == expected


def test_scene_and_step_make_the_view_and_its_counts(context):
    view = ViewState(FilterState(years=(1991, 1998), include_undated=False))
    out = update_step(context, view, None, None)
    assert out["counts"] == "10 actors · 13 edges · 16 claims (of 66): 16 in 1991–1998"
    figure = figure_for(context, view)
    hits = [t for t in figure["data"] if t["meta"]["role"] == roles.EDGE_HITS]
    assert len({e for t in hits for e in t["customdata"]}) == 13
    assert update_scene(context, "force", None, None)["polling_off"] is True


def test_a_relayout_makes_a_scene_of_its_own(context):
    override = parse_override({"layout": "force", "nodes": [0], "x": [0.5], "y": [0.5]}, context)
    plain = update_scene(context, "force", None, None)["scene"]
    moved = update_scene(context, "force", override, None)["scene"]
    assert plain["key"] != moved["key"]
    assert decode(moved["x"])[0] == np.float32(0.5)


def picked(selection, a=None, b=None) -> dict:
    """What ``select`` returns: the selection store and the two pair pickers (whose
    options it sends only when actors are searched on the server)."""
    return {"selection": selection, "a": a, "b": b, "a_options": no_update, "b_options": no_update}


UNCHANGED = picked(no_update, no_update, no_update)


def test_a_click_selects_what_its_trace_role_says(context, network):
    figure = figure_for(context, ViewState())
    figure_roles = roles.roles_of(figure)
    actors = figure_roles.index(roles.ACTORS)
    hits = figure_roles.index(roles.EDGE_HITS)
    code = figure["data"][actors]["customdata"][0]
    lone = network.edge_number("hezbollah", "egyptian-islamic-jihad", "trains")
    click = Trigger(ids.NETWORK)

    def clicked(curve, customdata):
        return select(context, (curve, customdata), ViewState(), None, None, figure_roles, click)

    assert clicked(actors, [code]) == picked({"kind": "node", "index": code})
    assert clicked(hits, lone) == picked({"kind": "edge", "index": lone})
    lines = figure_roles.index(roles.EDGE_LINES)
    assert clicked(lines, 0) == UNCHANGED
    assert clicked(hits, float("nan")) == UNCHANGED


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (FilterState(), "pair"),  # seven relations join Iran and al-Qaeda: the bundle opens
        (FilterState(relations=frozenset({"shelters"})), "edge"),  # the only one shown
    ],
)
def test_a_click_on_a_bundle_opens_the_pair_and_on_a_lone_edge_the_edge(
    context, network, state, expected
):
    figure_roles = roles.roles_of(figure_for(context, ViewState(state)))
    hits = figure_roles.index(roles.EDGE_HITS)
    edge = network.edge_number("iran", "al-qaeda", "shelters")
    iran, aq = network.actor_code["iran"], network.actor_code["al-qaeda"]
    out = select(
        context, (hits, edge), ViewState(state), None, None, figure_roles, Trigger(ids.NETWORK)
    )
    if expected == "pair":
        assert out == picked({"kind": "pair", "index": iran, "other": aq}, "iran", "al-qaeda")
    else:
        assert out == picked({"kind": "edge", "index": edge})


def test_a_card_line_selects_its_edge_only_when_clicked(context):
    for kind in (ids.CARD_EDGE, ids.PAIR_EDGE):
        card = Trigger({"type": kind, "edge": 4, "place": "group"}, 1)
        assert select(context, None, ViewState(), None, None, [], card) == picked(
            {"kind": "edge", "index": 4}
        )
        drawn = Trigger({"type": kind, "edge": 4, "place": "group"}, 0)
        assert select(context, None, ViewState(), None, None, [], drawn) == UNCHANGED


def test_a_neighbour_or_the_pickers_open_the_pair(context, network):
    iran, aq = network.actor_code["iran"], network.actor_code["al-qaeda"]
    pair = {"kind": "pair", "index": iran, "other": aq}
    button = Trigger({"type": ids.CARD_PAIR, "a": iran, "b": aq}, 1)
    assert select(context, None, ViewState(), None, None, [], button) == picked(
        pair, "iran", "al-qaeda"
    )
    chosen = Trigger(ids.PAIR_B, "al-qaeda")
    out = select(context, None, ViewState(), "iran", "al-qaeda", [], chosen)
    assert out == picked(pair, no_update, no_update)
    # One end alone waits for the other; clearing one closes the pair it showed.
    assert select(context, None, ViewState(), "iran", None, [], chosen)["selection"] is no_update
    showing = ViewState(selection=Selection("pair", iran, aq))
    assert select(context, None, showing, "iran", None, [], chosen)["selection"] is None


def test_a_selection_made_elsewhere_sets_the_pickers(context, network):
    iran, aq = network.actor_code["iran"], network.actor_code["al-qaeda"]
    store = Trigger(ids.SELECTION)
    pair = ViewState(selection=Selection("pair", aq, iran))
    assert select(context, None, pair, None, None, [], store) == picked(
        no_update, "al-qaeda", "iran"
    )
    cleared = select(context, None, ViewState(), "iran", "al-qaeda", [], store)
    assert cleared == picked(no_update, None, None)


def test_evidence_shows_the_selected_edge_or_the_placeholder(context, network):
    edge = network.edge_number("iran", "al-qaeda", "shelters")
    out = show_evidence(context, ViewState(selection=Selection("edge", edge)), 0, "date", None)
    assert "shelters" in str(out["panel"]) and out["tools"] == {"display": "none"}
    placeholder = show_evidence(context, ViewState(), 0, "date", None)
    assert "Click an edge" in str(placeholder["panel"])


def test_evidence_pages_and_searches_an_edges_claims(context, network):
    edge = ViewState(
        selection=Selection("edge", network.edge_number("iran", "al-qaeda", "shelters"))
    )
    out = show_evidence(context, edge, 0, "source", "State Department")
    assert "matching" in str(out["panel"]) and out["tools"] == {}
    assert "US State Department" in str(out["panel"]) and "UN report" not in str(out["panel"])


def test_relayout_only_on_its_button(context):
    focus = ViewState(FilterState(focus="iran"))
    out = relayout_visible(context, focus, None, Trigger(ids.RELAYOUT))
    assert out["override"]["layout"] == "force" and out["status"].startswith("Laid out")
    undo = relayout_visible(
        context, ViewState(), parse_override(out["override"], context), Trigger(ids.RESET)
    )
    assert undo == {"override": None, "status": ""}
    assert relayout_visible(context, ViewState(), None, Trigger(ids.RESET)) == {
        "override": no_update,
        "status": no_update,
    }


def test_reset_restores_the_full_view_keeping_layout_and_size(context, network):
    shown = ViewState(FilterState(focus="iran", years=(1991, 1998)), "circular", "degree")
    out = apply_view_state(context, ("?from=1991", None), shown, Trigger(ids.RESET))
    assert out["layout"] is no_update and out["size_by"] is no_update  # the map is not resent
    assert out["focus"] is None and out["years"] == [1990, 2026]
    assert out["sources"] is no_update  # already showing all


def test_opening_a_url_sets_every_control_and_reports_notices(context, network):
    out = apply_view_state(context, ("?focus=iran&colour=red", None), ViewState(), Trigger(ids.URL))
    assert out["focus"] == "iran"
    assert "colour" in str(out["notice"])


def test_the_url_follows_the_view(context):
    assert write_url(context, ViewState(FilterState(focus="iran")), "") == "?focus=iran"
    assert write_url(context, ViewState(), "") is no_update


def test_a_callback_cannot_be_wired_without_a_parser_for_each_input(context):
    app = Dash(__name__)

    def body(context, value):
        return value

    with pytest.raises(TypeError, match="no parser for value"):
        wire(app, context, body, output=Output("a", "children"), inputs={"value": Input("b", "value")}, parsers={})  # fmt: skip
    with pytest.raises(TypeError, match="no input or state named value"):
        wire(app, context, body, output=Output("a", "children"), inputs={"other": Input("b", "value")}, parsers={"other": as_is})  # fmt: skip


@pytest.mark.parametrize(
    ("first", "last", "marks"),
    [
        (1990, 2026, [1990, 2000, 2010, 2020, 2026]),
        (1998, 2001, [1998, 1999, 2000, 2001]),
        (2001, 2001, [2001]),
    ],
)
def test_year_marks_are_few_and_include_the_ends(first, last, marks):
    assert list(year_marks(first, last)) == marks


def test_a_view_that_cannot_be_drawn_says_so(context, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("operands could not be broadcast")

    monkeypatch.setattr("dashboard.web.callbacks.build_step", broken)
    context.layouts.get(ViewState().layout)  # laid out, so the step is drawn (not awaited)
    out = update_step(context, ViewState(), None, None)
    assert out["step"]["failed"].startswith("This view could not be drawn (ValueError)")
    assert "operands" not in out["step"]["failed"]  # no internals in the page
    assert out["counts"].endswith("claims (of 66)")
