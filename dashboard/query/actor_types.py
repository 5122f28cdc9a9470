"""The actor-type filter's rule, said once: which claims pass when types are picked.

A claim joins two actors (or names one, when it has no target). With ``both`` ends (the
default), a claim passes when each of its actors is of a picked type: picking "state"
shows states among themselves. With ``either`` end, a claim passes when at least one of
its actors is: picking "state" shows states and everyone they deal with. A one-sided
claim has one end, which decides for both rules.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> net = Network.from_dataset(load_or_raise("data"))
>>> [int(type_claim_mask(net, {"state"}, match).sum()) for match in (BOTH, EITHER)]
[6, 53]
>>> claim_counts(net, BOTH)["state"], claim_counts(net, EITHER)["state"]
(6, 53)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

BOTH, EITHER = "both", "either"
TYPE_MATCHES = {BOTH: "both ends", EITHER: "either end"}
DEFAULT_MATCH = BOTH


def type_claim_mask(network, types: Iterable[str], match: str = BOTH) -> np.ndarray:
    """The claims that pass the actor-type filter for ``types`` under rule ``match``."""
    chosen = set(types)
    allowed = np.fromiter(
        (t in chosen for t in network.actor_types), bool, len(network.actor_types)
    )
    allowed = allowed[network.actor_type]
    has_target = network.claim_to >= 0
    target = allowed[np.maximum(network.claim_to, 0)]
    source = allowed[network.claim_from]
    if match == EITHER:
        return source | (has_target & target)
    return source & np.where(has_target, target, True)


def claim_counts(network, match: str = BOTH) -> dict[str, int]:
    """For each actor type, how many claims would pass were it the only type picked:
    the numbers the filter's options show."""
    totals = getattr(network, "totals", None)  # counted by DuckDB (query/served.py)
    if totals:
        return dict(totals["types"][match if match == EITHER else BOTH])
    kinds = network.actor_type
    source = kinds[network.claim_from]
    has_target = network.claim_to >= 0
    target = np.where(has_target, kinds[np.maximum(network.claim_to, 0)], source)
    n = len(network.actor_types)
    if match == EITHER:
        counts = np.bincount(source, minlength=n) + np.bincount(
            target[target != source], minlength=n
        )
    else:
        counts = np.bincount(source[target == source], minlength=n)
    return {name: int(c) for name, c in zip(network.actor_types, counts, strict=True)}
