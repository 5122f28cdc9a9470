"""Paths between two actors with their evidence, for ``dashboard paths``: plain text to
read, JSON for scripts, CSV (one row per claim on a hop) for spreadsheets.

Claims appear as the evidence panel shows them (:func:`~dashboard.query.evidence.edge_evidence`):
quote, source, stance, time span, document, and whether the quote was found verbatim.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState, apply_filters
>>> from dashboard.query.paths import PathQuery, find_paths
>>> net = Network.from_dataset(load_or_raise("data"))
>>> view = apply_filters(net, FilterState())
>>> result = find_paths(view, PathQuery("911-hijackers", "iran"))
>>> print(paths_text(view, result).splitlines()[2])
Path 1: 9/11 hijackers → Iran · 1 hop · weakest hop 1 source · 1 claim
"""

from __future__ import annotations

import csv
import io
import json

from dashboard.data.escaping import escape_cell as neutralise_formula
from dashboard.query.evidence import ClaimCard, EdgeEvidence
from dashboard.query.filters import View
from dashboard.query.paths import PathResult, hop_evidence
from dashboard.text import plural

CSV_COLUMNS = (
    "path",
    "hop",
    "hop_from",
    "hop_to",
    "hop_sources",
    "hop_contested",
    "edge_from",
    "relation",
    "edge_to",
    "claim_id",
    "quote",
    "source",
    "stance",
    "when",
    "document",
    "url",
    "published",
    "verbatim",
    "line",
)


def _claim_dict(card: ClaimCard) -> dict:
    return {
        "claim_id": card.claim_id,
        "quote": card.quote,
        "source": card.source,
        "stance": card.stance,
        "when": card.when,
        "document": card.document,
        "url": card.url,
        "published": card.published,
        "verbatim": card.verified,
        "line": card.line,
    }


def _edge_dict(evidence: EdgeEvidence) -> dict:
    return {
        "from": evidence.from_id,
        "relation": evidence.relation,
        "to": evidence.to_id,
        "contested": evidence.contested,
        "denials": evidence.denials,
        "hidden_by_filters": evidence.hidden,
        "claims": [_claim_dict(card) for card in evidence.claims],
    }


def paths_data(view: View, result: PathResult) -> dict:
    """The result as plain data: every path, hop, edge and claim."""
    net = view.network
    query = result.query

    def actor(code: int) -> dict:
        return {"id": net.actor_ids[code], "name": net.actor_names[code]}

    return {
        "from": actor(net.actor_code[query.start]) if query.start in net.actor_code else None,
        "to": actor(net.actor_code[query.end]) if query.end in net.actor_code else None,
        "max_hops": query.max_hops,
        "directed": query.directed,
        "k": query.k,
        "capped_at": result.capped_at,
        "hints": list(result.hints),
        "paths": [
            {
                "rank": rank,
                "actors": [actor(code) for code in path.actors],
                "hops": [
                    {
                        "from": actor(hop.from_code),
                        "to": actor(hop.to_code),
                        "sources": hop.sources,
                        "asserting_claims": hop.claims,
                        "contested": hop.contested,
                        "single_source": hop.single_source,
                        "edges": [_edge_dict(ev) for ev in hop_evidence(view, hop)],
                    }
                    for hop in path.hops
                ],
                "weakest_hop_sources": path.weakest,
                "asserting_claims": path.claims,
            }
            for rank, path in enumerate(result.paths, start=1)
        ],
    }


def paths_json(view: View, result: PathResult) -> str:
    return json.dumps(paths_data(view, result), ensure_ascii=False, indent=2) + "\n"


def paths_csv(view: View, result: PathResult) -> str:
    """One row per claim on each hop, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for path in paths_data(view, result)["paths"]:
        for number, hop in enumerate(path["hops"], start=1):
            for edge in hop["edges"]:
                for claim in edge["claims"]:
                    row = [path["rank"], number, hop["from"]["id"], hop["to"]["id"], hop["sources"],
                           hop["contested"], edge["from"], edge["relation"], edge["to"],
                           *claim.values()]  # fmt: skip
                    writer.writerow(neutralise_formula(str(cell)) for cell in row)
    return out.getvalue()


def paths_text(view: View, result: PathResult) -> str:
    """The paths as a reader would want them on a terminal."""
    net = view.network
    query = result.query
    names = [net.actor_names[net.actor_code[a]] for a in (query.start, query.end)]
    direction = "following the direction of relations" if query.directed else "either direction"
    lines = [f"Paths from {names[0]} to {names[1]} (at most {plural(query.max_hops, 'hop')}, {direction})", ""]  # fmt: skip
    if not result.paths:
        lines.append("No path over the asserted claims that pass the filters.")
        lines += [f"  {hint}" for hint in result.hints]
        return "\n".join(lines) + "\n"
    if result.capped_at is not None:
        lines += [f"Too many paths of {result.capped_at} hops: ranked among the first found.", ""]
    for rank, path in enumerate(result.paths, start=1):
        actors = " → ".join(net.actor_names[c] for c in path.actors)
        lines.append(
            f"Path {rank}: {actors} · {plural(path.n_hops, 'hop')} · "
            f"weakest hop {plural(path.weakest, 'source')} · {plural(path.claims, 'claim')}"
        )
        for step, hop in enumerate(path.hops, start=1):
            notes = [plural(hop.sources, "source"), plural(hop.claims, "asserting claim")]
            notes += ["contested"] * hop.contested + ["single source"] * hop.single_source
            lines.append(
                f"  Hop {step}: {net.actor_names[hop.from_code]} – "
                f"{net.actor_names[hop.to_code]} · {' · '.join(notes)}"
            )
            for evidence in hop_evidence(view, hop):
                contested = " (contested)" if evidence.contested else ""
                lines.append(
                    f"    {evidence.from_name} {evidence.relation} {evidence.to_name}{contested}"
                )
                for card in evidence.claims:
                    lines.append(
                        f"      “{card.quote}”" if card.quote else "      (no quote given)"
                    )
                    document = card.document or card.url or "no document named"
                    verbatim = " · ✓ verbatim" if card.verified else ""
                    lines.append(
                        f"        — {card.source or '(no source)'}, {card.stance}, {card.when}; "
                        f"in {document}{verbatim}"
                    )
                if evidence.hidden:
                    lines.append(f"      ({evidence.hidden} more hidden by the filters)")
        lines.append("")
    return "\n".join(lines)
