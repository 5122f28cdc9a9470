"""Which engine serves a data set, and the DuckDB one's database, made once per data set.

``--engine auto`` (the default of ``dashboard run`` and ``serve``) serves from memory up
to ``THRESHOLD`` claims and from DuckDB above it; ``memory`` and ``duckdb`` force one.
The claims are counted as the relations file's lines (a quoted line break counts one
more: the count errs high, by as many as the quotes hold).

The DuckDB database is made by data/duck_ingest.py (read and checked column by column),
then prepared (totals and the unfiltered view worked out once), and kept in the cache
directory under ``duckdb/``, keyed by the files' names, sizes and modification times,
the day (``present`` means today) and the code that reads them: the next start opens it
read-only and reads the index, in seconds.
"""

from __future__ import annotations

import os
from datetime import date
from hashlib import blake2b
from pathlib import Path

from dashboard.data.report import Report

THRESHOLD = 2_000_000
ENGINES = ("auto", "memory", "duckdb")
_CHUNK = 1 << 24
KEEP = 2  # databases kept; the least recently used go first


def relations_file(data: Path) -> Path:
    return data / "relations.csv" if data.is_dir() else data


def count_claims(data: Path) -> int:
    """Lines of the relations file after its header (an upper bound on the claims)."""
    path = relations_file(data)
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"  # a last line without its line break
    return max(lines - 1, 0)


def duckdb_reads(data: Path) -> str | None:
    """Why DuckDB's own reader cannot read ``data``, or None: it reads a folder holding
    relations.csv and actors.csv in the standard columns, without dashboard.toml."""
    if not (data.is_dir() and (data / "relations.csv").is_file()):
        return "the DuckDB engine reads a folder holding relations.csv and actors.csv"
    if not (data / "actors.csv").is_file():
        return "the DuckDB engine needs actors.csv beside relations.csv"
    if (data / "dashboard.toml").is_file():
        return "the DuckDB engine does not read dashboard.toml"
    return None


def pick_engine(data: Path, requested: str = "auto", threshold: int | None = None) -> str:
    """``memory`` or ``duckdb``: as requested, or by the number of claims (memory when
    the relations file is not there: the careful reader says what is missing).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "relations.csv"
    >>> _ = path.write_text("from,to,relation\\na,b,trains\\nb,c,funds\\n")
    >>> pick_engine(path, threshold=2), pick_engine(path, threshold=1)
    ('memory', 'duckdb')
    >>> pick_engine(path, "duckdb", threshold=10)
    'duckdb'
    """
    if requested != "auto":
        return requested
    if not relations_file(data).is_file():
        return "memory"
    limit = THRESHOLD if threshold is None else threshold
    return "duckdb" if count_claims(data) > limit else "memory"


def _code_digest() -> bytes:
    here = Path(__file__).resolve().parent
    digest = blake2b(digest_size=16)
    for module in ("data/duck_ingest.py", "query/duck.py", "query/served.py", "data/families.py"):
        digest.update((here / module).read_bytes())
    return digest.digest()


def database_path(folder: Path, today: date, cache_dir: Path | None = None) -> Path:
    from dashboard.data.cache import default_cache_dir

    digest = blake2b(_code_digest(), digest_size=16)
    digest.update(today.isoformat().encode())
    for name in ("relations.csv", "actors.csv"):
        path = (folder / name).resolve()
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    root = (cache_dir or default_cache_dir()) / "duckdb"
    root.mkdir(parents=True, exist_ok=True)
    return root / f"{digest.hexdigest()}.duckdb"


def open_engine(
    data: Path,
    today: date | None = None,
    skip_invalid: bool = False,
    say=None,
    cache_dir: Path | None = None,
):
    """The DuckDB engine on ``data`` (a folder with relations.csv and actors.csv), made
    on first use; or None and the report of why not. The report lists what the checks
    found (on first use; a database is kept only when they found no error, or with
    ``skip_invalid``)."""
    from dashboard.data.duck_ingest import ingest
    from dashboard.query.served import DuckEngine

    say = say or (lambda _text: None)
    today = today or date.today()
    report = Report()
    problem = duckdb_reads(data)
    if problem and "dashboard.toml" not in problem:
        report.error(str(data), None, None, problem, "not for the DuckDB engine")
        return None, report
    if problem:
        report.warning("dashboard.toml", None, None, f"{problem}: its settings are ignored",
                       "settings ignored")  # fmt: skip
    database = database_path(data, today, cache_dir)
    if not database.exists():
        partial = database.with_suffix(".partial")
        found = ingest(data, partial, today.isoformat(), skip_invalid, say)
        found.problems[:0] = report.problems
        report = found
        if report.has_errors and not skip_invalid:
            partial.unlink(missing_ok=True)
            return None, report
        say("working out the totals and the unfiltered view")
        DuckEngine.prepare(partial)
        os.replace(partial, database)
        _prune(database.parent)
    else:
        say(f"reading claims checked before, from {database.name[:12]}")
        os.utime(database)
    return DuckEngine.open(database), report


def _prune(root: Path) -> None:
    kept = sorted(root.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
