"""Load once, open instantly: validated data sets kept on disk, columnar, with their report.

A data set is read and checked once; the claims and actors that come out, and the report
of every problem found, are written to the user cache directory (the layout cache's:
``$DASHBOARD_CACHE_DIR``, else ``~/.cache/actor-network-dashboard`` on Linux) under
``datasets/KEY/``. The next start with the same inputs maps them back into memory
instead of reading and checking the CSV again, and prints the same warnings.

The files are Arrow IPC (Feather 2), uncompressed: memory-mapped, they become Arrow-backed
pandas columns without being decoded or copied (1M claims: 0.02 s against 2-4 s for the
same table as Parquet, which must be decompressed and decoded; 515 MB on disk against
118 MB).

The key is a hash of what the result depends on:

- the bytes of every file read: the relations and actors files, ``dashboard.toml``, a
  relation lookup table; the documents folder by its files' names, sizes and times;
- the settings, as resolved from the settings file and the command line;
- the code: the source of :mod:`dashboard.data` and the versions of pandas and pyarrow.

``present`` means today, and some warnings name dates after today: a data set that has
either is valid on the day it was loaded only. Data sets with errors are not kept (they
are not served), nor are small ones (under :data:`MIN_BYTES`: reading them is quicker
than the bookkeeping). Only the :data:`KEEP` most recently used entries are kept.

To clear the cache, delete the ``datasets`` folder; nothing else refers to it.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import logging
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from datetime import date
from hashlib import blake2b
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from .config import LoadOverrides, resolve_config
from .loader import Dataset, load_dataset
from .report import Problem, Report

CACHE_VERSION = 3  # bump when the files' layout changes (2: the index is the first column;
# 3: one record batch per file)
MIN_BYTES = 1 << 20  # relations files smaller than this are read, not cached
KEEP = 3  # entries kept; the least recently used go first
_READ_CHUNK = 1 << 24
_log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    from dashboard.positions.cache import default_cache_dir as layouts_dir

    return layouts_dir()


@dataclasses.dataclass(frozen=True)
class CachedLoad:
    """A data set (None when it has errors), its report, and where it came from."""

    dataset: Dataset | None
    report: Report
    from_cache: bool = False
    key: str = ""


def load_cached(
    data: Path | str,
    mappings: LoadOverrides | Iterable[str] = (),
    today: date | None = None,
    progress: bool = False,
    cache_dir: Path | None = None,
    reopen: bool = False,
) -> CachedLoad:
    """:func:`load_dataset`, read from the cache when the same inputs were loaded before.

    ``reopen``: for a server, which holds its data for hours: once a new entry is
    written, return the data set mapped from it, as the next start would, and let the
    copy read from the CSV go. Mapped, the columns a server seldom reads (quotes, links)
    stay on disk until asked for: at 1M claims a server held 0.8 GB once started, where
    with the copy it held 1.3 GB, for about 0.9 s more at the first start (writing the
    entry before going on, and mapping it)."""
    today = today or date.today()
    data = Path(data)
    key = _key(data, mappings)
    if key is None:
        dataset, report = load_dataset(data, mappings, today, progress)
        return CachedLoad(dataset, report)
    folder = (cache_dir or default_cache_dir()) / "datasets" / key
    cached = _read(folder, today)
    if cached is not None:
        return CachedLoad(*cached, from_cache=True, key=key)
    dataset, report = load_dataset(data, mappings, today, progress)
    if dataset is not None and _write(folder, dataset, report, today) and reopen:
        mapped = _read(folder, today)
        if mapped is not None:
            del dataset
            _give_back_freed_memory()
            return CachedLoad(mapped[0], report, key=key)
    return CachedLoad(dataset, report, key=key)


def _give_back_freed_memory() -> None:
    """Return freed memory to the system. Arrow's allocator (mimalloc) and glibc's keep
    freed pages for reuse: the copy a server lets go would otherwise stay resident for
    as long as it serves (at 1M claims, 0.8 GB)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _key(data: Path, mappings) -> str | None:
    """The hash of the inputs, or None when the data set is too small to cache."""
    config = resolve_config(data, mappings, Report())
    relations = config.relations.path
    try:
        if relations is None or os.stat(relations).st_size < MIN_BYTES:
            return None
    except OSError:
        return None  # the loader says what is wrong with it
    digest = blake2b(digest_size=16)
    digest.update(json.dumps(_canonical(config), sort_keys=True).encode())
    digest.update(f"|{CACHE_VERSION}|{pd.__version__}|{_pyarrow_version()}|".encode())
    digest.update(_code_digest())
    files = [relations, config.actors.path, config.root / "dashboard.toml"]
    labels = config.claims.relation_labels
    if isinstance(labels, Path):
        files.append(labels)
    for path in files:
        digest.update(_file_digest(path))
    digest.update(_folder_listing(config.documents))
    return digest.hexdigest()


def _pyarrow_version() -> str:
    import pyarrow

    return pyarrow.__version__


def _canonical(value):
    """``value`` as plain JSON data in one order (sets sorted, mappings by key)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _code_digest() -> bytes:
    """The source of the data package: any change to how data is read makes a new key."""
    digest = blake2b(digest_size=16)
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.digest()


def _file_digest(path: Path | None) -> bytes:
    digest = blake2b(digest_size=16)
    if path is None:
        return b"none"
    try:
        with open(path, "rb") as file:
            while chunk := file.read(_READ_CHUNK):
                digest.update(chunk)
    except OSError:
        return b"absent"
    return digest.digest()


def _folder_listing(folder: Path) -> bytes:
    if not folder.is_dir():
        return b"no documents"
    entries = []
    for path in sorted(folder.rglob("*")):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append(f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(entries).encode()


def _depends_on_today(dataset: Dataset, today: date) -> bool:
    """Whether another day could give another result: "present" stands for today, and
    dates after today are warned about by how far they are."""
    claims = dataset.claims
    if "end" in claims.columns and (claims["end"].str.casefold() == "present").any():
        return True
    latest = claims["span_end"].max()
    return bool(pd.notna(latest) and latest.date() > today)


def _write(folder: Path, dataset: Dataset, report: Report, today: date) -> bool:
    """Write the entry beside its place, then move it there: readers see all or nothing.
    False when it could not be written (it is then not cached; the load goes on)."""
    partial = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
    try:
        partial.mkdir(parents=True, exist_ok=True)
        actors = dataset.actors.assign(aliases=dataset.actors["aliases"].map(list))
        _save_frame(actors, partial / "actors.arrow")
        _save_frame(dataset.claims, partial / "claims.arrow")
        meta = {
            "name": dataset.name,
            "documents": {k: str(v) for k, v in dataset.documents.items()},
            "relation_families": dict(dataset.relation_families),
            "undirected_relations": sorted(dataset.undirected_relations),
            "attribution": dataset.attribution,
            "preset": dataset.preset,
            "problems": [dataclasses.asdict(p) for p in report.problems],
            "day": today.isoformat() if _depends_on_today(dataset, today) else None,
        }
        (partial / "meta.json").write_text(json.dumps(meta))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(partial, folder)
    except OSError as exc:
        _log.warning("could not cache the data set in %s: %s", folder.parent, exc)
        shutil.rmtree(partial, ignore_errors=True)
        return False
    _prune(folder.parent)
    return True


def _read(folder: Path, today: date) -> tuple[Dataset, Report] | None:
    try:
        meta = json.loads((folder / "meta.json").read_text())
        if meta["day"] is not None and meta["day"] != today.isoformat():
            return None
        claims = _open_frame(folder / "claims.arrow")
        actors = _open_frame(folder / "actors.arrow")
    except (OSError, ValueError, KeyError, ImportError) as exc:
        _log.info("the cached data set in %s is not usable: %s", folder, exc)
        return None
    actors["aliases"] = [tuple(a) for a in actors["aliases"].tolist()]
    actors["aliases"] = actors["aliases"].astype(object)
    os.utime(folder)  # recently used: pruned last
    dataset = Dataset(
        meta["name"],
        actors,
        claims,
        MappingProxyType({k: Path(v) for k, v in meta["documents"].items()}),
        relation_families=MappingProxyType(meta["relation_families"]),
        undirected_relations=frozenset(meta["undirected_relations"]),
        attribution=meta["attribution"],
        preset=meta["preset"],
    )
    return dataset, Report([Problem(**p) for p in meta["problems"]])


def _save_frame(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.feather as feather

    # The index goes as the first column: given a string index, pyarrow's check of each
    # column costs a lookup in that index, converted anew each time (1M claims: 0.67 s
    # against 0.01 s for the same table with its index as a column).
    table = pa.Table.from_pandas(frame.reset_index(), preserve_index=False)
    # One record batch, so that each column maps back as one array (pyarrow's ``take``
    # from a column in pieces copies the whole column; see data/fast_reader.py).
    feather.write_feather(table, path, compression="uncompressed", chunksize=max(table.num_rows, 1))


def _open_frame(path: Path) -> pd.DataFrame:
    import pyarrow.feather as feather

    from .columns import arrow_strings

    table = feather.read_table(path, memory_map=True)
    frame = table.to_pandas(types_mapper=_mapper(arrow_strings))
    return frame.set_index(frame.columns[0])


def _mapper(strings):
    import pyarrow as pa

    def mapped(arrow_type):
        return strings() if arrow_type in (pa.string(), pa.large_string()) else None

    return mapped


def _prune(root: Path) -> None:
    """Keep the :data:`KEEP` entries used last; remove the others and stale halves."""
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    now = time.time()
    kept = 0
    for entry in entries:
        if entry.name.endswith(".partial"):
            if now - entry.stat().st_mtime > 3600:  # left by a process that died
                shutil.rmtree(entry, ignore_errors=True)
            continue
        kept += 1
        if kept > KEEP:
            shutil.rmtree(entry, ignore_errors=True)
