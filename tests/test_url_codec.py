"""The view in the URL: state -> query -> state is the identity; bad input is a notice."""

from __future__ import annotations

import pytest

from dashboard.graph import Network
from dashboard.query.filters import FilterState
from dashboard.query.view_state import Selection, ViewState
from dashboard.web.url_codec import from_query, to_query
from tests.conftest import HEADER


def edge(network, *key):
    return Selection("edge", network.edge_number(*key))


VIEWS = {
    "default": lambda n: ViewState(),
    "years": lambda n: ViewState(FilterState(years=(1991, 1998))),
    "years, undated hidden": lambda n: ViewState(
        FilterState(years=(2009, 2026), include_undated=False)
    ),
    "undated hidden only": lambda n: ViewState(FilterState(include_undated=False)),
    "sources": lambda n: ViewState(
        FilterState(sources=frozenset({"9/11 Commission", "UN report"}))
    ),
    "relations and types": lambda n: ViewState(
        FilterState(
            relations=frozenset({"trains", "allied with"}),
            actor_types=frozenset({"armed group", "state"}),
        )
    ),
    "types, either end": lambda n: ViewState(
        FilterState(actor_types=frozenset({"person"}), type_match="either")
    ),
    "selected pair": lambda n: ViewState(
        selection=Selection("pair", n.actor_code["iran"], n.actor_code["al-qaeda"])
    ),
    "selected pair, reversed": lambda n: ViewState(
        selection=Selection("pair", n.actor_code["al-qaeda"], n.actor_code["iran"])
    ),
    "denials": lambda n: ViewState(FilterState(stances=frozenset({"denies"}))),
    "min sources": lambda n: ViewState(FilterState(min_sources=3)),
    "focus": lambda n: ViewState(FilterState(focus="hezbollah", depth=2)),
    "layout and size": lambda n: ViewState(layout="circular", size_by="betweenness"),
    "selected edge": lambda n: ViewState(selection=edge(n, "iran", "al-qaeda", "cooperates with")),
    "selected actor": lambda n: ViewState(
        selection=Selection("node", n.actor_code["911-hijackers"])
    ),
    "everything": lambda n: ViewState(
        FilterState(
            years=(1990, 2001),
            include_undated=False,
            sources=frozenset(
                {"Iranian mission to the United Nations", "Documents from bin Laden's bunker"}
            ),
            relations=frozenset({"shelters"}),
            actor_types=frozenset({"state"}),
            stances=frozenset({"asserts"}),
            min_sources=2,
            focus="iran",
            depth=3,
        ),
        layout="spring",
        size_by="degree",
        selection=edge(n, "iran", "al-qaeda", "shelters"),
    ),
}


@pytest.mark.parametrize("make", VIEWS.values(), ids=VIEWS.keys())
def test_state_to_url_to_state_is_the_identity(network, make):
    state = make(network)
    query = to_query(state, network)
    restored, notices = from_query(query, network)
    assert notices == []
    assert restored == state
    assert to_query(restored, network) == query


@pytest.mark.parametrize(
    ("state", "query"),
    [
        (ViewState(), ""),
        (
            ViewState(FilterState(years=(1991, 1998), sources=frozenset({"9/11 Commission"}))),
            "?from=1991&to=1998&source=9%2F11+Commission",
        ),
        (ViewState(FilterState(focus="al-qaeda")), "?focus=al-qaeda"),
    ],
)
def test_queries_are_readable(network, state, query):
    assert to_query(state, network) == query


def test_selected_edge_is_written_with_actor_ids_and_relation(network):
    state = ViewState(selection=edge(network, "al-qaeda", "iran", "allied with"))
    assert to_query(state, network) == "?edge=al-qaeda~allied+with~iran"


@pytest.mark.parametrize(
    ("query", "expected", "notice"),
    [
        (
            "?from=abc&to=1998",
            ViewState(FilterState(years=(1990, 1998))),
            '"from=abc" is not a year',
        ),
        ("?from=2001&to=1991", ViewState(FilterState(years=(1991, 2001))), "swapped"),
        ("?source=Nobody", ViewState(), 'no source "Nobody"'),
        ("?colour=red", ViewState(), 'unknown parameter "colour"'),
        ("?min_sources=many", ViewState(), "not a whole number"),
        ("?min_sources=0", ViewState(), "out of range"),
        ("?depth=9&focus=iran", ViewState(FilterState(focus="iran", depth=3)), "out of range"),
        ("?layout=spiral", ViewState(), '"layout=spiral" is not one of'),
        ("?size=%3Cscript%3E", ViewState(), "is not one of"),
        ("?focus=Nobody", ViewState(), 'no actor "Nobody"'),
        ("?edge=iran~funds~hamas", ViewState(), 'no edge "iran~funds~hamas"'),
        ("?edge=garbage", ViewState(), "no edge"),
        ("?undated=maybe", ViewState(), "should be 0 or 1"),
        (
            "?type=state&type_match=any",
            ViewState(FilterState(actor_types=frozenset({"state"}))),
            '"type_match=any" is not one of',
        ),
        ("?pair=iran", ViewState(), 'no pair "iran" (expected A~B)'),
        ("?pair=iran~Nobody", ViewState(), 'no actor "Nobody" (pair)'),
        ("?pair=~iran", ViewState(), "no pair"),
        ("?from=1995&from=1996", ViewState(FilterState(years=(1995, 2026))), "given 2 times"),
        ("?%00=%FF%FE", ViewState(), "unknown parameter"),
    ],
)
def test_malformed_parameters_are_ignored_with_a_notice(network, query, expected, notice):
    state, notices = from_query(query, network)
    assert state == expected
    assert any(notice in n for n in notices), notices


@pytest.mark.parametrize(
    ("query", "focus"),
    [("?focus=Hizballah", "hezbollah"), ("?focus=al+Qaeda", "al-qaeda"), ("?focus=IRGC", "irgc")],
)
def test_focus_accepts_names_and_aliases(network, query, focus):
    state, notices = from_query(query, network)
    assert (state.filters.focus, notices) == (focus, [])


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("?pair=Hizballah~Iranian+regime", "?pair=hezbollah~iran"),
        ("?pair=al+Qaeda~al-qaeda", "?pair=al-qaeda~al-qaeda"),  # an actor and itself
        ("?type_match=either", ""),  # no type picked: the rule changes nothing
        ("?type=state&type_match=both", "?type=state"),
    ],
)
def test_pairs_by_name_or_alias_and_the_type_rule_are_written_canonically(network, query, written):
    state, notices = from_query(query, network)
    assert notices == [] and to_query(state, network) == written


@pytest.mark.parametrize(("first", "second"), [("A~B", "C"), ("x\\", "~"), ("a\\~", "b~~c")])
def test_pairs_whose_ids_hold_the_separator_reopen(data_dir, first, second):
    from dashboard.data import load_or_raise as load

    row = f'"{first}","{second}",funds,,,quote,src,,,,\n'
    network = Network.from_dataset(load(data_dir(HEADER + row)))
    a, b = network.edge_from[0], network.edge_to[0]
    state = ViewState(selection=Selection("pair", int(a), int(b)))
    restored, notices = from_query(to_query(state, network), network)
    assert (restored, notices) == (state, [])


@pytest.mark.parametrize(
    ("from_name", "relation", "to_name"),
    [("A~B", "funds", "C"), ("A", "x~y", "B\\C"), ("~", "~~", "\\~"), ("a\\", "b", "~c")],
)
def test_edges_whose_ids_hold_the_separator_reopen(data_dir, from_name, relation, to_name):
    from dashboard.data import load_or_raise as load

    row = f'"{from_name}","{to_name}","{relation}",,,quote,src,,,,\n'
    network = Network.from_dataset(load(data_dir(HEADER + row)))
    edge = network.edge_number(*network.edge_key(0))
    state = ViewState(selection=Selection("edge", edge))
    restored, notices = from_query(to_query(state, network), network)
    assert (restored, notices) == (state, [])
