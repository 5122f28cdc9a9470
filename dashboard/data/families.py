"""Relation families: a few kinds of relation that the map colours and the rules read.

Dozens of relation words ("shelters", "trains", "facilitates", ...) cannot each get a
colour anyone tells apart; a handful of families can. A data set names its relations'
families in ``dashboard.toml`` (``[relation_families]``, relation = family); relations it
does not name take the family this module's table gives the common words, else "other".

A family whose name contains "cooperation" is friendly and one containing "conflict" is
hostile: two sources claiming relations of opposite families between the same actors in
overlapping periods contest each other. CAMEO-coded data (ICEWS, GDELT) use CAMEO's quad
classes as families: verbal cooperation, material cooperation, verbal conflict,
material conflict.

>>> families = RelationFamilies.for_relations(["trains", "fights", "meets", "pays tribute"])
>>> [families.family_of(r) for r in ["trains", "fights", "meets", "pays tribute"]]
['cooperation', 'conflict', 'communication', 'other']
>>> families.polarity_of("fights"), families.polarity_of("meets")
(-1, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

COOPERATION, CONFLICT, HIERARCHY, COMMUNICATION, OTHER = (
    "cooperation",
    "conflict",
    "hierarchy and membership",
    "communication",
    "other",
)
DEFAULT_ORDER = (COOPERATION, CONFLICT, HIERARCHY, COMMUNICATION, OTHER)
CAMEO_QUAD_CLASSES = (
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
)

# The relation words of the bundled data and of common actor-relation coding, by family.
_COMMON = {
    COOPERATION: (
        "aids allied with allies with arms assists backs collaborates with cooperates with "
        "equips facilitates finances funds harbours harbors hosts protects provides "
        "safe haven for shelters sponsors supplies supports trains"
    ),
    CONFLICT: (
        "attacks attacks in bombs clashes with condemns detains fights kills kidnaps "
        "opposes sanctions targets threatens"
    ),
    HIERARCHY: (
        "affiliated with associated with belongs to commands controls founded leads "
        "member of part of splinter of subordinate to"
    ),
    COMMUNICATION: (
        "communicates with contacts meets negotiates with talks with visits "
        "consults praises criticises criticizes"
    ),
}


def _phrases(words: str) -> list[str]:
    """Split a run of relation words into phrases (greedy over the known multi-word ones)."""
    multi = [
        "allied with", "allies with", "attacks in", "clashes with", "collaborates with",
        "cooperates with", "safe haven for", "affiliated with", "associated with",
        "belongs to", "member of", "part of", "splinter of", "subordinate to",
        "communicates with", "negotiates with", "talks with",
    ]  # fmt: skip
    found = []
    rest = f" {words} "
    for phrase in multi:
        if f" {phrase} " in rest:
            found.append(phrase)
            rest = rest.replace(f" {phrase} ", " ")
    return found + rest.split()


COMMON_FAMILIES: dict[str, str] = {
    phrase: family for family, words in _COMMON.items() for phrase in _phrases(words)
}


def polarity(family: str) -> int:
    """+1 for a cooperation family, -1 for a conflict family, 0 otherwise."""
    name = family.casefold()
    if "cooperation" in name:
        return 1
    if "conflict" in name:
        return -1
    return 0


@dataclass(frozen=True)
class RelationFamilies:
    """The families of a data set, in legend order, and each relation's family."""

    names: tuple[str, ...]
    of_relation: Mapping[str, str]

    @classmethod
    def for_relations(
        cls, relations: Iterable[str], declared: Mapping[str, str] | None = None
    ) -> RelationFamilies:
        """Families for ``relations``: ``declared`` first, then the common table."""
        declared = {k: v.strip().casefold() for k, v in (declared or {}).items() if v.strip()}
        mapping = {
            relation: declared.get(relation) or COMMON_FAMILIES.get(relation, OTHER)
            for relation in relations
        }
        used = set(mapping.values())
        ordered = [f for f in (*CAMEO_QUAD_CLASSES, *DEFAULT_ORDER) if f in used and f != OTHER]
        names = ordered + sorted(used - set(ordered) - {OTHER}) + [OTHER] * (OTHER in used)
        return cls(tuple(names), mapping)

    def family_of(self, relation: str) -> str:
        return self.of_relation.get(relation, OTHER)

    def polarity_of(self, relation: str) -> int:
        return polarity(self.family_of(relation))
