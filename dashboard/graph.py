"""The actor network: a precomputed index of claims, edges and actors, and metrics.

A *claim* is one row of evidence; an *edge* is one (from, to, relation) with one or more
claims behind it. :class:`Network` numbers actors, edges, sources and relations once,
so that filtering is array arithmetic rather than work on Python objects.

>>> import pandas as pd
>>> actors = pd.DataFrame({"name": ["Iran", "al-Qaeda"], "type": ["state", "armed group"],
...                        "aliases": [(), ()], "description": ["", ""]},
...                       index=pd.Index(["iran", "aq"], name="id"))
>>> claims = pd.DataFrame({"from_id": ["iran", "iran", "iran"], "to_id": ["aq", "aq", "aq"],
...                        "relation": ["trains", "shelters", "trains"],
...                        "source": ["A", "B", "C"], "stance": ["asserts"] * 3,
...                        "span_start": pd.NaT, "span_end": pd.NaT},
...                       index=pd.Index(["c1", "c2", "c3"], name="claim_id"))
>>> net = Network.from_frames(actors, claims)
>>> len(net.edges), net.edges["relation"].tolist()
(2, ['shelters', 'trains'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard.data import Dataset
from dashboard.data.families import RelationFamilies

NO_SOURCE = "(no source)"
UNDATED = np.iinfo(np.int64).min


def day_years(days) -> np.ndarray:
    """The calendar year of day numbers (days since 1970; meaningless for ``UNDATED``).

    >>> day_years(np.array([0, 10_957])).tolist(), int(day_years(19_000))
    ([1970, 2000], 2022)
    """
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _codes(values: pd.Series, categories) -> np.ndarray:
    """The position of each value among ``categories``; -1 where it is not one of them.
    Looked up once per distinct value.

    >>> _codes(pd.Series(["b", "x", "b", "a"]), ["a", "b"]).tolist()
    [1, -1, 1, 0]
    """
    codes, distinct = pd.factorize(values, sort=False)
    if not len(distinct):
        return np.full(len(values), -1, dtype=np.int32)
    found = pd.Index(categories).get_indexer(distinct).astype(np.int32)
    return np.where(codes >= 0, found[codes], -1).astype(np.int32)


def _edge_numbers(claim_from, claim_to, claim_relation, n_actors: int, n_relations: int):
    """Number the distinct (from, to, relation) of claims with a target, sorted by them.

    Returns the edges' (from, to, relation) codes and each claim's edge (-1 when it has
    no target). One integer key per claim, so this is a sort, not a hash of tuples.
    """
    has_target = claim_to >= 0
    width = np.int64(max(n_actors, 1))
    relations = np.int64(max(n_relations, 1))
    if float(width) * float(width) * float(relations) >= 2**62:  # keys would overflow
        raise ValueError("too many actors and relations to number the edges")
    key = (claim_from[has_target].astype(np.int64) * width + claim_to[has_target]) * relations
    key += claim_relation[has_target]
    unique, inverse = np.unique(key, return_inverse=True)
    claim_edge = np.full(len(claim_from), -1, dtype=np.int32)
    claim_edge[has_target] = inverse.astype(np.int32)
    rel = unique % relations
    pair = unique // relations
    return (pair // width).astype(np.int32), (pair % width).astype(np.int32), rel, claim_edge


def _claim_sources(claims: pd.DataFrame):
    """The sources (sorted names), each claim's first source code, and the (claim, source)
    pairs when a claim cites several (None otherwise). Works on distinct cells.

    >>> claims = pd.DataFrame({"source": ["A; B", "B", ""], "sources": ["A\x1fB", "B", ""]})
    >>> names, first, pairs = _claim_sources(claims)
    >>> names.tolist(), first.tolist(), [p.tolist() for p in pairs]
    (['(no source)', 'A', 'B'], [1, 2, 0], [[0, 0, 1, 2], [1, 2, 2, 0]])
    """
    from dashboard.data.sources import split_sources

    joined = claims["sources"] if "sources" in claims.columns else claims["source"]
    codes, distinct = pd.factorize(joined, sort=False)
    parts = [split_sources(text) or [NO_SOURCE] for text in distinct]
    names = np.array(sorted({name for names in parts for name in names}), dtype=object)
    index = {name: i for i, name in enumerate(names)}
    first = np.array([index[names_[0]] for names_ in parts] or [0], dtype=np.int32)[codes]
    if all(len(names_) == 1 for names_ in parts):
        return names, first, None
    flat = np.array([index[name] for names_ in parts for name in names_], dtype=np.int32)
    lengths = np.array([len(names_) for names_ in parts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    per_claim = lengths[codes]
    pair_claim = np.repeat(np.arange(len(codes)), per_claim)
    within = np.arange(len(pair_claim)) - np.repeat(np.cumsum(per_claim) - per_claim, per_claim)
    pair_source = flat[np.repeat(offsets[codes], per_claim) + within]
    return names, first, (pair_claim, pair_source)


def _days(values: pd.Series) -> np.ndarray:
    days = values.to_numpy(dtype="datetime64[D]").astype(np.int64)
    days[values.isna().to_numpy()] = UNDATED
    return days


@dataclass(frozen=True, eq=False)
class Network:
    """Claims, edges and actors as aligned arrays; built once per data set, then read-only.

    ``claims`` keeps the data set's claim frame (for evidence); the arrays below are
    positional over its rows. Edges are sorted by (from, to, relation) and numbered.
    ``claim_source`` is each claim's (first) source; when some claims cite several
    sources, ``source_pairs`` lists every (claim, source) pair, and filters and source
    counts use it (see :attr:`pair_claim`, :attr:`pair_source`).
    """

    actors: pd.DataFrame
    claims: pd.DataFrame
    edges: pd.DataFrame
    sources: np.ndarray
    relations: np.ndarray
    actor_types: np.ndarray
    claim_from: np.ndarray
    claim_to: np.ndarray
    claim_edge: np.ndarray
    claim_source: np.ndarray
    claim_relation: np.ndarray
    claim_denies: np.ndarray
    claim_start_day: np.ndarray
    claim_end_day: np.ndarray
    actor_type: np.ndarray
    families: RelationFamilies
    relation_family: np.ndarray
    source_pairs: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Network:
        return cls.from_frames(dataset.actors, dataset.claims, dataset.relation_families)

    @classmethod
    def from_frames(
        cls,
        actors: pd.DataFrame,
        claims: pd.DataFrame,
        relation_families: Mapping[str, str] | None = None,
    ) -> Network:
        actor_ids = actors.index
        claim_from = _codes(claims["from_id"], actor_ids)
        claim_to = _codes(claims["to_id"], actor_ids)  # -1 where there is no target
        sources, claim_source, source_pairs = _claim_sources(claims)
        relation_codes, distinct = pd.factorize(claims["relation"], sort=True)
        relations = np.array(list(distinct), dtype=object)
        claim_relation = relation_codes.astype(np.int32)
        edge_from, edge_to, edge_relation, claim_edge = _edge_numbers(
            claim_from, claim_to, claim_relation, len(actor_ids), len(relations)
        )
        edges = pd.DataFrame(
            {
                "from": edge_from,
                "to": edge_to,
                "relation_code": edge_relation.astype(np.int32),
                "relation": relations[edge_relation] if len(edge_from) else [],
            }
        )
        actor_types = np.array(sorted(pd.unique(actors["type"])), dtype=object)
        families = RelationFamilies.for_relations(relations, relation_families)
        family_code = {name: i for i, name in enumerate(families.names)}
        return cls(
            actors=actors,
            claims=claims,
            edges=edges,
            sources=sources,
            relations=relations,
            actor_types=actor_types,
            claim_from=claim_from,
            claim_to=claim_to,
            claim_edge=claim_edge,
            claim_source=claim_source,
            claim_relation=claim_relation,
            claim_denies=(claims["stance"] == "denies").to_numpy(),
            claim_start_day=_days(claims["span_start"]),
            claim_end_day=_days(claims["span_end"]),
            actor_type=_codes(actors["type"], actor_types),
            families=families,
            relation_family=np.array(
                [family_code[families.family_of(r)] for r in relations], dtype=np.int16
            ),
            source_pairs=source_pairs,
        )

    def without_claims(self) -> Network:
        """The actor and edge index alone: what a layout needs, and a fraction of the bytes
        to send to a worker process (no claims frame, no per-claim arrays)."""
        none32, none64 = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        return replace(
            self,
            claims=self.claims.iloc[:0],
            claim_from=none32,
            claim_to=none32,
            claim_edge=none32,
            claim_source=none32,
            claim_relation=none32,
            claim_denies=np.zeros(0, dtype=bool),
            claim_start_day=none64,
            claim_end_day=none64,
            source_pairs=None,
        )

    @cached_property
    def pair_claim(self) -> np.ndarray:
        """The claim of each (claim, source) pair: every claim once when each cites one."""
        if self.source_pairs is None:
            return np.arange(self.n_claims)
        return self.source_pairs[0]

    @cached_property
    def pair_source(self) -> np.ndarray:
        """The source of each (claim, source) pair, aligned with :attr:`pair_claim`."""
        return self.claim_source if self.source_pairs is None else self.source_pairs[1]

    @cached_property
    def edge_undirected(self) -> np.ndarray:
        """Edges of undirected relations (allied with, rivals...): drawn without arrowheads.
        From the claims' ``directed`` column (see the loader); none when it is absent."""
        undirected = np.zeros(len(self.edges), dtype=bool)
        if "directed" in self.claims.columns:
            claims = ~self.claims["directed"].to_numpy(dtype=bool) & (self.claim_edge >= 0)
            undirected[self.claim_edge[claims]] = True
        return undirected

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_claims(self) -> int:
        return len(self.claims)

    @cached_property
    def actor_ids(self) -> np.ndarray:
        return self.actors.index.to_numpy(dtype=object)

    @cached_property
    def actor_names(self) -> np.ndarray:
        return self.actors["name"].to_numpy(dtype=object)

    @cached_property
    def relation_polarity(self) -> np.ndarray:
        """+1 (a cooperation family), -1 (conflict) or 0 per relation, by relation code."""
        return np.array([self.families.polarity_of(r) for r in self.relations], dtype=np.int8)

    @cached_property
    def edge_family(self) -> np.ndarray:
        """Each edge's family, as a position in ``families.names``."""
        return self.relation_family[self.edges["relation_code"].to_numpy()]

    @cached_property
    def escaped_names(self) -> np.ndarray:
        """Actor names escaped for Plotly's HTML-like labels, once per data set."""
        from html import escape

        return np.array([escape(name) for name in self.actor_names], dtype=object)

    @cached_property
    def edge_from(self) -> np.ndarray:
        """Each edge's from actor, as a plain array (pandas indexing is slow in hot paths)."""
        return self.edges["from"].to_numpy(np.int64)

    @cached_property
    def edge_to(self) -> np.ndarray:
        return self.edges["to"].to_numpy(np.int64)

    @cached_property
    def edge_claim_totals(self) -> np.ndarray:
        """How many claims each edge has, all filters aside."""
        return np.bincount(self.claim_edge[self.claim_edge >= 0], minlength=len(self.edges))

    @cached_property
    def edge_labels(self) -> np.ndarray:
        """Each edge as hover text shows it ("<b>Iran</b> trains <b>al-Qaeda</b>"),
        escaped once per data set rather than on every filter change."""
        from html import escape

        relations = np.array([escape(r) for r in self.relations], dtype=object)
        names = self.escaped_names
        parts = zip(
            names[self.edge_from],
            relations[self.edges["relation_code"].to_numpy()],
            names[self.edge_to],
            strict=True,
        )
        return np.array([f"<b>{a}</b> {r} <b>{b}</b>" for a, r, b in parts], dtype=object)

    @cached_property
    def actor_code(self) -> dict[str, int]:
        return {actor_id: i for i, actor_id in enumerate(self.actor_ids)}

    @cached_property
    def name_lookup(self) -> dict[str, str]:
        """Actor id by id, name or alias, ignoring case and spacing (ids win ties)."""
        from dashboard.data.actors import build_lookup

        return build_lookup(self.actors)

    def find_actor(self, text: str) -> str | None:
        """The id of the actor whose id, name or alias is ``text`` (ignoring case and
        spacing), or None."""
        from dashboard.data.actors import name_key

        if text in self.actor_code:
            return text
        return self.name_lookup.get(name_key(text))

    @cached_property
    def _search_keys(self) -> list[tuple[str, int]]:
        """(id, name or alias key, actor code), for :meth:`search_actors`."""
        return [(key, self.actor_code[actor_id]) for key, actor_id in self.name_lookup.items()]

    def search_actors(self, text: str, limit: int = 30) -> list[int]:
        """Actor codes whose name or alias contains ``text``: prefixes first, then A-Z.

        >>> import pandas as pd
        >>> actors = pd.DataFrame({"name": ["Hezbollah", "Hamas"], "type": ["armed group"] * 2,
        ...                        "aliases": [("Hizballah",), ()], "description": ""},
        ...                       index=pd.Index(["hez", "ham"], name="id"))
        >>> claims = pd.DataFrame({"from_id": [], "to_id": [], "relation": [], "source": [],
        ...                        "stance": [], "span_start": pd.Series([], dtype="datetime64[s]"),
        ...                        "span_end": pd.Series([], dtype="datetime64[s]")})
        >>> net = Network.from_frames(actors, claims)
        >>> [net.actor_names[c] for c in net.search_actors("hizb")]
        ['Hezbollah']
        """
        from dashboard.data.actors import name_key

        wanted = name_key(text)
        if not wanted:
            return []
        found: dict[int, bool] = {}
        for key, code in self._search_keys:
            if wanted in key:
                found[code] = found.get(code, False) or key.startswith(wanted)
        ranked = sorted(found, key=lambda c: (not found[c], self.actor_names[c].casefold()))
        return ranked[:limit]

    @cached_property
    def year_bounds(self) -> tuple[int, int] | None:
        """The first and last year any dated claim covers, or None if none is dated."""
        days = self.dated_days
        if days is None:
            return None
        return int(day_years(days[0])), int(day_years(days[1]))

    @cached_property
    def dated_days(self) -> tuple[int, int] | None:
        """The first and last day any dated claim covers, or None if none is dated."""
        dated = self.claim_start_day != UNDATED
        if not dated.any():
            return None
        return int(self.claim_start_day[dated].min()), int(self.claim_end_day[dated].max())

    @cached_property
    def edge_pair_offsets(self) -> np.ndarray:
        """A signed curvature rank for each edge so that parallel edges never coincide.

        Edges between the same two actors (either direction) are spread symmetrically:
        a lone edge gets 0 (straight), two get -0.5 and +0.5, three -1, 0, +1, ...
        Computed on the whole graph, so an edge keeps its curve under any filter.
        """
        low = np.minimum(self.edge_from, self.edge_to)
        high = np.maximum(self.edge_from, self.edge_to)
        pair = pd.Series(low.astype(np.int64) * (self.n_actors + 1) + high)
        rank = pair.groupby(pair).cumcount().to_numpy()
        size = pair.groupby(pair).transform("size").to_numpy()
        offset = rank - (size - 1) / 2.0
        # Seen from the other end, "left" is "right": flip reversed edges so that A->B
        # and B->A bend apart rather than onto each other.
        flipped = self.edge_from > self.edge_to
        return np.where(flipped, -offset, offset)

    def edge_key(self, edge: int) -> tuple[str, str, str]:
        """The (from id, to id, relation) an edge number stands for."""
        relation = self.edges["relation"].iat[edge]
        return self.actor_ids[self.edge_from[edge]], self.actor_ids[self.edge_to[edge]], relation

    def edge_number(self, from_id: str, to_id: str, relation: str) -> int | None:
        """The edge number of (from id, to id, relation), or None if no claim makes it."""
        codes = (self.actor_code.get(from_id), self.actor_code.get(to_id))
        if None in codes:
            return None
        match = np.flatnonzero(
            (self.edge_from == codes[0])
            & (self.edge_to == codes[1])
            & (self.edges["relation"].to_numpy() == relation)
        )
        return int(match[0]) if len(match) else None
