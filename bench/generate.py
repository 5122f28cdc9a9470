"""Synthetic actor-relation data in the input format, for benchmarks.

Realistic in the ways that matter for speed: about one actor per five claims, a skewed
degree distribution (a few hubs, many actors with one or two claims), dates from 1990 to
2025 at mixed precision (some ranges, some ongoing, some undated), quotes of about 200
characters, 20 sources, 30 relation types, 5% denials. Seeded: the same size always
gives the same files.

    python bench/generate.py 100000 bench/out/data-100000
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from dashboard.data import CLAIM_COLUMNS

RELATIONS = [
    "trains", "shelters", "funds", "fights", "allied with", "arms", "supports", "attacks",
    "recruits for", "finances", "protects", "negotiates with", "sanctions", "hosts",
    "smuggles for", "advises", "commands", "opposes", "cooperates with", "supplies",
    "targets", "infiltrates", "mediates for", "spies on", "backs", "leads", "splits from",
    "merges with", "claims responsibility with", "exchanges prisoners with",
]  # fmt: skip
SOURCES = [
    "US State Department", "UN Monitoring Team", "9/11 Commission", "Reuters", "AP",
    "Al Jazeera", "BBC Monitoring", "Long War Journal", "RAND Corporation", "Crisis Group",
    "Human Rights Watch", "Amnesty International", "ACLED", "Jane's", "Le Monde",
    "Der Spiegel", "The Guardian", "Iranian mission to the UN", "Ministry of Defence",
    "Local media",
]  # fmt: skip
TYPES = ["state", "armed group", "organization", "agency", "person", "militia", "party", "company"]
TYPE_WEIGHTS = [0.03, 0.25, 0.15, 0.07, 0.35, 0.08, 0.04, 0.03]
WORDS = [
    "the",
    "group",
    "reportedly",
    "received",
    "training",
    "weapons",
    "funds",
    "and",
    "shelter",
    "from",
    "its",
    "allies",
    "while",
    "officials",
    "said",
    "that",
    "commanders",
    "met",
    "in",
    "the",
    "border",
    "region",
    "to",
    "coordinate",
    "attacks",
    "against",
    "rival",
    "forces",
    "according",
    "to",
    "documents",
    "seen",
    "by",
    "investigators",
    "who",
    "described",
    "a",
    "network",
    "of",
    "couriers",
    "smuggling",
    "money",
    "fighters",
    "and",
    "explosives",
    "across",
    "several",
    "countries",
    "for",
    "years",
]
SEED = 20261126


def generate(n_claims: int, folder: Path, seed: int = SEED) -> Path:
    """Write relations.csv and actors.csv for ``n_claims`` claims into ``folder``."""
    rng = np.random.default_rng(seed)
    n_actors = max(10, n_claims // 5)
    folder.mkdir(parents=True, exist_ok=True)
    _write_actors(folder / "actors.csv", n_actors, rng)
    _write_relations(folder / "relations.csv", n_claims, n_actors, rng)
    return folder


def _actor_name(i: int) -> str:
    return f"Actor {i:06d}"


def _write_actors(path: Path, n_actors: int, rng: np.random.Generator) -> None:
    types = rng.choice(TYPES, size=n_actors, p=TYPE_WEIGHTS)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "name", "type", "aliases", "description"])
        for i in range(n_actors):
            alias = f"A-{i:06d};Group {i}" if i % 7 == 0 else ""
            writer.writerow(
                [f"a{i}", _actor_name(i), types[i], alias, f"Synthetic actor number {i}."]
            )


def _skewed_actors(n: int, n_actors: int, rng: np.random.Generator) -> np.ndarray:
    """Actor numbers with a heavy tail: rank r is chosen in proportion to 1/(r+5)^1.1."""
    weights = 1.0 / (np.arange(n_actors) + 5.0) ** 1.1
    weights /= weights.sum()
    return rng.choice(n_actors, size=n, p=weights)


def _dates(n: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    year = rng.integers(1990, 2026, size=n)
    month = rng.integers(1, 13, size=n)
    day = rng.integers(1, 29, size=n)
    precision = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    span = rng.random(size=n)
    length = rng.integers(0, 6, size=n)
    starts, ends = [], []
    for y, m, d, p, s, k in zip(year, month, day, precision, span, length, strict=True):
        if s < 0.10:
            starts.append("")
            ends.append("")
            continue
        starts.append((f"{y}", f"{y}-{m:02d}", f"{y}-{m:02d}-{d:02d}")[p])
        if s < 0.25:
            ends.append("present")
        elif s < 0.45:
            ends.append(str(min(y + k, 2025)))
        else:
            ends.append("")
    return starts, ends


def _write_relations(path: Path, n_claims: int, n_actors: int, rng: np.random.Generator) -> None:
    sources = _skewed_actors(n_claims, n_actors, rng)
    offsets = rng.integers(1, n_actors, size=n_claims)
    targets = np.where(
        rng.random(n_claims) < 0.5,
        _skewed_actors(n_claims, n_actors, rng),
        (sources + offsets) % n_actors,
    )
    targets = np.where(targets == sources, (targets + 1) % n_actors, targets)
    relation = rng.integers(0, len(RELATIONS), size=n_claims)
    source = rng.integers(0, len(SOURCES), size=n_claims)
    stance = np.where(rng.random(n_claims) < 0.05, "denies", "asserts")
    document = rng.integers(0, max(10, n_claims // 200), size=n_claims)
    starts, ends = _dates(n_claims, rng)
    words = rng.integers(0, len(WORDS), size=(n_claims, 34))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CLAIM_COLUMNS)
        for i in range(n_claims):
            quote = " ".join(WORDS[w] for w in words[i])[:200]
            writer.writerow(
                [
                    _actor_name(sources[i]),
                    _actor_name(targets[i]),
                    RELATIONS[relation[i]],
                    starts[i],
                    ends[i],
                    f"{quote} ({i})",
                    SOURCES[source[i]],
                    stance[i],
                    f"Report {document[i]}",
                    f"https://example.org/reports/{document[i]}",
                    "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    generate(args.claims, args.folder)
    print(f"wrote {args.claims} claims to {args.folder}")


if __name__ == "__main__":
    main()
