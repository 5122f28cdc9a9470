"""Playback in the browser: what it needs, sent once, to draw every frame by itself.

A frame is the view with the frame's period as its time range. Going to the server for
each frame costs a round trip, the filtering and a step on the wire; instead the page
gets one *pack* per filter state (:func:`playback_pack`) and computes each frame's step
in the browser (assets/playback.js), the same step :func:`dashboard.draw.scene.build_step`
makes for ``apply_filters(network, filters with days=frame)``. A browser test checks
that the two agree frame by frame.

The pack holds, for the claims that pass every filter but the time range: their edge,
first and last day, stance and sources (the cited ones, under a source filter); the
one-sided claims' actors; the pairs of claims that would contest each other's edge
whenever both show (opposite families between the same two actors, other sources,
overlapping periods: :func:`dashboard.query.filters.opposing_claims`); the frames; and
the labels that differ from the actors' names. Views it cannot compute (betweenness
sizes, a huge number of opposing pairs) get ``{"fallback": why}``, and the page steps
through the server's step callback instead.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.query.filters import FilterState
>>> from dashboard.query.timeline import Playback
>>> net = Network.from_dataset(load_or_raise("data"))
>>> pack = playback_pack(net, FilterState(), Playback(5, 5))
>>> len(pack["frames"]), pack["frames"][0][2], len(decode(pack["claims"]["edge"]))
(8, '1990–1994', 66)
"""

from __future__ import annotations

from dataclasses import replace
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd

from dashboard.arrays import distinct
from dashboard.draw import style
from dashboard.draw.scene import decode, encode, label_text
from dashboard.graph import UNDATED, Network
from dashboard.query import periods
from dashboard.query.filters import FilterState, _in, claim_mask
from dashboard.query.timeline import Playback, frames

__all__ = ["decode", "playback_pack"]

OPPOSING_PAIRS_LIMIT = 2_000_000
UNDATED_I4 = np.iinfo(np.int32).min
_LABELS: WeakKeyDictionary = WeakKeyDictionary()


def playback_pack(
    network: Network, filters: FilterState, playback: Playback, size_by: str = "claims"
) -> dict:
    """Everything the browser needs to draw the frames of ``playback`` under ``filters``
    (their time range aside), with Plotly-style typed arrays (see :func:`encode`)."""
    scale = periods.time_scale(network)
    if scale is None:
        return {"fallback": "No claim is dated."}
    if size_by == "betweenness":
        return {"fallback": "Betweenness is computed on the server for each frame."}
    base_state = filters.without_time()
    base = claim_mask(network, _with_undated(base_state))
    claims = np.flatnonzero(base)
    edge = network.claim_edge[claims]
    start = network.claim_start_day[claims]
    end = network.claim_end_day[claims]
    undated = start == UNDATED
    solo = np.flatnonzero(edge < 0)
    pair_claim, pair_source = _cited(network, claims, filters)
    opposing = _opposing_pairs(network, claims, pair_claim, pair_source)
    if opposing is None:
        return {"fallback": "Too many opposing claims to compare in the browser."}
    touched = distinct(
        np.concatenate(
            [network.edge_from[edge[edge >= 0]], network.edge_to[edge[edge >= 0]],
             network.claim_from[claims[solo]]]
        )
    )  # fmt: skip
    short, full = _label_exceptions(network, touched)
    focus = network.actor_code.get(filters.focus, -1) if filters.focus else -1
    return encode(
        {
            "claims": {
                "edge": edge.astype(np.int32),
                "start": np.where(undated, UNDATED_I4, start).astype(np.int32),
                "end": np.where(undated, UNDATED_I4, end).astype(np.int32),
                "denies": network.claim_denies[claims].astype(np.uint8),
            },
            "pairs": {"claim": pair_claim.astype(np.int32), "source": pair_source.astype(np.int32)},
            "solo": {"claim": solo.astype(np.int32), "actor": network.claim_from[claims[solo]].astype(np.int32)},
            "opposing": {"a": opposing[0].astype(np.int32), "b": opposing[1].astype(np.int32)},
            "frames": [list(frame) for frame in frames(scale, playback)],
            "frameValues": [list(scale.values(f[0], f[1])) for f in frames(scale, playback)],
            "full": list(scale.full),
            "scale": scale.to_json(),
            "nClaims": network.n_claims,
            "nEdges": len(network.edges),
            "nSources": len(network.sources),
            "includeUndated": filters.include_undated,
            "minSources": filters.min_sources,
            "focus": int(focus),
            "depth": int(filters.depth),
            "sizeBy": size_by if size_by in ("claims", "degree") else "claims",
            "labels": {"short": short, "full": full},
            "limits": {
                "maxWidthClass": style.MAX_WIDTH_CLASS,
                "labelLimit": style.LABEL_LIMIT,
                "fullLabelLimit": style.FULL_LABEL_LIMIT,
                "maxDrawnEdges": style.MAX_DRAWN_EDGES,
                "clusterViewLimit": style.CLUSTER_VIEW_LIMIT,
                "frameDetailEdgeLimit": style.FRAME_DETAIL_EDGE_LIMIT,
                "detailNodeLimit": style.DETAIL_NODE_LIMIT,
            },
        }
    )  # fmt: skip


def _with_undated(state: FilterState) -> FilterState:
    return replace(state, include_undated=True)


def _cited(network: Network, claims: np.ndarray, filters: FilterState):
    """(pack claim, source) for every source that counts: all of a claim's sources, or
    under a source filter the chosen ones (as :func:`filters._cited_pairs`)."""
    if network.source_pairs is None:
        return np.arange(len(claims)), network.claim_source[claims]
    position = np.full(network.n_claims, -1, dtype=np.int64)
    position[claims] = np.arange(len(claims))
    keep = position[network.pair_claim] >= 0
    if filters.sources:
        keep &= _in(network.sources, filters.sources)[network.pair_source]
    return position[network.pair_claim[keep]], network.pair_source[keep]


def _opposing_pairs(network: Network, claims: np.ndarray, pair_claim, pair_source):
    """Pairs (a, b) of pack claims that contest each other's edge when both show: both
    asserted, on drawn edges, of opposite families (cooperation, conflict) between the
    same two actors, about overlapping periods (undated overlaps all), with a source of
    one other than a source of the other. None above ``OPPOSING_PAIRS_LIMIT``."""
    sign = network.relation_polarity[network.claim_relation[claims]]
    polar = (sign != 0) & ~network.claim_denies[claims] & (network.claim_edge[claims] >= 0)
    rows = np.flatnonzero(polar)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    if not len(rows):
        return empty
    codes = claims[rows]
    a, b = network.claim_from[codes], network.claim_to[codes]
    frame = pd.DataFrame(
        {
            "row": rows,
            "pair": np.minimum(a, b).astype(np.int64) * (network.n_actors + 1) + np.maximum(a, b),
            "start": network.claim_start_day[codes],
            "end": network.claim_end_day[codes],
        }
    )
    positive, negative = frame[sign[rows] > 0], frame[sign[rows] < 0]
    sizes = positive.groupby("pair").size().mul(negative.groupby("pair").size(), fill_value=0)
    if sizes.sum() > OPPOSING_PAIRS_LIMIT:
        return None
    joined = positive.merge(negative, on="pair", suffixes=("_a", "_b"))
    if joined.empty:
        return empty
    undated = (joined["start_a"] == UNDATED) | (joined["start_b"] == UNDATED)
    overlap = undated | (
        (joined["start_a"] <= joined["end_b"]) & (joined["end_a"] >= joined["start_b"])
    )
    joined = joined[overlap.to_numpy()]
    # Another source: fails only when both cite one and the same source.
    counts = np.bincount(pair_claim, minlength=len(claims))
    only = np.full(len(claims), -1, dtype=np.int64)
    single = counts[pair_claim] == 1
    only[pair_claim[single]] = pair_source[single]
    ra, rb = joined["row_a"].to_numpy(), joined["row_b"].to_numpy()
    same_single = (only[ra] >= 0) & (only[ra] == only[rb])
    return ra[~same_single], rb[~same_single]


def _label_exceptions(network: Network, actors: np.ndarray) -> tuple[dict, dict]:
    """Labels (short and full) of ``actors`` that are not their escaped names."""
    if network not in _LABELS:
        names, escaped = network.actor_names, network.escaped_names
        short = {i: label_text(n) for i, n in enumerate(names) if label_text(n) != escaped[i]}
        full = {
            i: label_text(n, True) for i, n in enumerate(names) if label_text(n, True) != escaped[i]
        }
        _LABELS[network] = (short, full)
    short, full = _LABELS[network]
    wanted = set(actors.tolist())
    return (
        {str(i): t for i, t in short.items() if i in wanted},
        {str(i): t for i, t in full.items() if i in wanted},
    )
