"""The data behind a view, for other tools: claims as CSV, the graph as GraphML or GEXF.

The CSV has the input format's columns, plus the actors' types (``from_type``,
``to_type``) and ``escaping``, so it loads back with ``dashboard run`` as the same claims
(same ids and text) and actors of the same types. Cells that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return), and
cells starting with an apostrophe, get a leading apostrophe, as OWASP recommends; each
row says so in its ``escaping`` column, and the loader removes it from those rows only.

>>> escape_cell("=SUM(A1)"), escape_cell("Iran")
("'=SUM(A1)", 'Iran')
"""

from __future__ import annotations

import csv
import io
import re

import networkx as nx
import numpy as np

from dashboard.data import CLAIM_COLUMNS
from dashboard.data.config import ACTOR_TYPE_COLUMNS, ESCAPING_COLUMN
from dashboard.data.escaping import APOSTROPHE, FORMULA_STARTS, escape_cell
from dashboard.graph import UNDATED, day_years
from dashboard.query.filters import View

__all__ = ["FORMULA_STARTS", "claims_csv", "escape_cell", "graph_file", "view_graph"]

# Characters XML 1.0 cannot carry; a file containing them would not parse back.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GRAPH_FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
CSV_COLUMNS = (*CLAIM_COLUMNS, *ACTOR_TYPE_COLUMNS.values(), ESCAPING_COLUMN)


def claims_csv(view: View) -> str:
    """The claims shown in ``view``, in the input format, safe to open in a spreadsheet."""
    net = view.network
    claims = net.claims[view.claim_mask]
    types = net.actors["type"]
    columns = [claims[c].tolist() for c in CLAIM_COLUMNS]
    for side in ACTOR_TYPE_COLUMNS:
        ids = claims[f"{side}_id"]
        columns.append(types.reindex(ids).fillna("").tolist())
    out = io.StringIO()
    # CRLF line ends (RFC 4180) also make the writer quote a cell holding a lone CR,
    # which a reader would otherwise take for the end of the row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(
        [*(escape_cell(cell) for cell in row), APOSTROPHE] for row in zip(*columns, strict=True)
    )
    return out.getvalue()


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub("\ufffd", value)


def _year(day: int) -> int | None:
    return None if day == UNDATED else int(day_years(day))


def view_graph(view: View) -> nx.MultiDiGraph:
    """The visible actors and edges, with claim counts, sources and time spans."""
    net = view.network
    graph = nx.MultiDiGraph()
    claims_per_actor = view.node_claim_counts
    actors = net.actors
    for code in np.flatnonzero(view.node_mask).tolist():
        graph.add_node(
            _xml_text(net.actor_ids[code]),
            label=_xml_text(net.actor_names[code]),
            type=_xml_text(actors["type"].iat[code]),
            aliases=_xml_text("; ".join(actors["aliases"].iat[code])),
            description=_xml_text(actors["description"].iat[code]),
            claims=int(claims_per_actor[code]),
        )
    edges = net.edges
    shown = net.claim_edge >= 0
    shown &= view.claim_mask
    sources_by_edge: dict[int, set[str]] = {}
    cited = shown[net.pair_claim]  # every source of a claim citing several
    for edge, source in zip(
        net.claim_edge[net.pair_claim[cited]].tolist(), net.pair_source[cited].tolist(), strict=True
    ):
        sources_by_edge.setdefault(edge, set()).add(net.sources[source])
    for e in np.flatnonzero(view.edge_mask).tolist():
        attributes = {
            "relation": _xml_text(edges["relation"].iat[e]),
            "claims": int(view.edge_claims[e]),
            "n_sources": int(view.edge_sources[e]),
            "sources": _xml_text("; ".join(sorted(sources_by_edge.get(e, ())))),
            "denials": int(view.edge_denials[e]),
            "contested": bool(view.edge_contested[e]),
        }
        first, last = _year(view.edge_first_day[e]), _year(view.edge_last_day[e])
        if first is not None:
            # GEXF reads start and end as the edge's lifetime: Gephi's timeline uses them.
            attributes.update(start=first, end=last)
        graph.add_edge(
            _xml_text(net.actor_ids[net.edge_from[e]]),
            _xml_text(net.actor_ids[net.edge_to[e]]),
            key=f"e{e}",
            **attributes,
        )
    return graph


def graph_file(view: View, file_format: str) -> bytes:
    """The visible graph as ``graphml`` or ``gexf`` bytes."""
    graph = view_graph(view)
    buffer = io.BytesIO()
    if file_format == "graphml":
        nx.write_graphml(graph, buffer)
    elif file_format == "gexf":
        nx.write_gexf(graph, buffer)
    else:
        raise ValueError(
            f"unknown graph format {file_format!r}; use one of {', '.join(GRAPH_FORMATS)}"
        )
    return buffer.getvalue()
