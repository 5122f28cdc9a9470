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
import pyarrow as pa
import pyarrow.compute as pc

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


def _dates(n: int, rng: np.random.Generator):
    """Start and end texts as arrays of codes into small tables (see :func:`_date_texts`)."""
    year = rng.integers(1990, 2026, size=n)
    month = rng.integers(1, 13, size=n)
    day = rng.integers(1, 29, size=n)
    precision = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    span = rng.random(size=n)
    length = rng.integers(0, 6, size=n)
    return year, month, day, precision, span, length


def _date_texts(dates, rows: slice):
    """The start and end cells of ``rows``: "", "1998", "1998-07" or "1998-07-14"; "",
    "present" or a year."""
    year, month, day, precision, span, length = (a[rows] for a in dates)
    years = pa.array([str(y) for y in range(1990, 2031)])
    two = pa.array([f"{i:02d}" for i in range(32)])
    y = years.take(pa.array(year - 1990))
    m = pc.binary_join_element_wise(y, two.take(pa.array(month)), "-")
    d = pc.binary_join_element_wise(m, two.take(pa.array(day)), "-")
    undated = span < 0.10
    start = pc.if_else(pa.array(precision == 0), y, pc.if_else(pa.array(precision == 1), m, d))
    start = pc.if_else(pa.array(undated), "", start)
    end_year = years.take(pa.array(np.minimum(year + length, 2025) - 1990))
    end = pc.if_else(
        pa.array(span < 0.25), "present", pc.if_else(pa.array(span < 0.45), end_year, "")
    )
    return start, pc.if_else(pa.array(undated), "", end)


BATCH = 250_000


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
    dates = _dates(n_claims, rng)
    words = pa.array(WORDS)
    with path.open("wb") as out:
        out.write((",".join(CLAIM_COLUMNS) + "\n").encode())
        for first in range(0, n_claims, BATCH):
            rows = slice(first, min(first + BATCH, n_claims))
            # Drawn a batch at a time: the same numbers as one draw of (n_claims, 34).
            drawn = rng.integers(0, len(WORDS), size=(rows.stop - first, 34))
            quote = pc.binary_join_element_wise(
                *[words.take(pa.array(drawn[:, k])) for k in range(34)], " "
            )
            number = pa.array([f"({i})" for i in range(rows.start, rows.stop)])
            quote = pc.binary_join_element_wise(pc.utf8_slice_codeunits(quote, 0, 200), number, " ")
            documents = pa.array([str(d) for d in document[rows]])
            start, end = _date_texts(dates, rows)
            cells = [
                _names(sources[rows]),
                _names(targets[rows]),
                pa.array(RELATIONS).take(pa.array(relation[rows])),
                start,
                end,
                quote,
                pa.array(SOURCES).take(pa.array(source[rows])),
                pa.array(stance[rows]),
                pc.binary_join_element_wise("Report", documents, " "),
                pc.binary_join_element_wise("https://example.org/reports", documents, "/"),
                pa.array([""] * (rows.stop - first)),
            ]
            _write_lines(out, cells)


def _names(actors: np.ndarray):
    return pa.array([_actor_name(i) for i in actors.tolist()])


def _write_lines(out, cells) -> None:
    """Rows of plain cells (no separator, quote or newline in any: nothing to quote)."""
    line = pc.binary_join_element_wise(*cells, ",")
    line = pc.binary_join_element_wise(line, "", "\n")  # each row followed by a newline
    offsets = np.frombuffer(line.buffers()[1], dtype=np.int32)[line.offset :]
    data = line.buffers()[2]
    out.write(memoryview(data)[offsets[0] : offsets[len(line)]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    generate(args.claims, args.folder)
    print(f"wrote {args.claims} claims to {args.folder}")


if __name__ == "__main__":
    main()
