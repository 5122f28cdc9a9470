"""Where the data lives and how its columns map onto ours.

A data folder may hold ``dashboard.toml`` to name the data set and describe files with
other headers::

    title = "Iran and al-Qaeda, as reported"   # shown in the page and on exports

    [relations]
    file = "events.csv"          # default: relations.csv
    delimiter = ";"              # default: ","
    [relations.columns]          # our name = the file's column
    from = "Actor1"
    to = "Actor2"
    quote = "Text"

    [actors]
    file = "people.csv"          # default: actors.csv
    [actors.columns]
    id = "Code"

Command-line ``--map`` options override the file: ``--map from=Actor1`` (relations)
or ``--map actors.id=Code``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .reader import ReadOptions
from .report import Report

CONFIG_NAME = "dashboard.toml"
RELATIONS_FILE = "relations.csv"
ACTORS_FILE = "actors.csv"
DOCUMENTS_DIR = "documents"

CLAIM_COLUMNS = (
    "from",
    "to",
    "relation",
    "start",
    "end",
    "quote",
    "source",
    "stance",
    "document",
    "url",
    "published",
)
REQUIRED_CLAIM_COLUMNS = ("from", "to", "relation")
ACTOR_COLUMNS = ("id", "name", "type", "aliases", "description")
REQUIRED_ACTOR_COLUMNS = ("id",)
_TABLES = {"relations": CLAIM_COLUMNS, "actors": ACTOR_COLUMNS}


@dataclass(frozen=True)
class TableSpec:
    """One input file: where it is, how to read it, and its column mapping."""

    path: Path | None
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    read: ReadOptions = field(default_factory=ReadOptions)
    required: bool = True


@dataclass(frozen=True)
class DataConfig:
    """Everything the loader needs to find and read a data set."""

    root: Path
    relations: TableSpec
    actors: TableSpec
    documents: Path
    title: str | None = None

    def display_name(self, path: Path) -> str:
        """Paths in reports are relative to the data folder when they lie inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def resolve_config(
    data: Path, mappings: Iterable[str] = (), report: Report | None = None
) -> DataConfig:
    """Work out the files and column mappings for ``data`` (a folder or a CSV file)."""
    report = report if report is not None else Report()
    data = Path(data)
    if data.is_dir():
        root, relations_file, actors_file = data, data / RELATIONS_FILE, data / ACTORS_FILE
    else:
        root, relations_file, actors_file = data.parent, data, None
    settings = _read_toml(root / CONFIG_NAME, report)
    relations = _table_spec(root, settings.get("relations", {}), relations_file, True, report)
    actors = _table_spec(root, settings.get("actors", {}), actors_file, False, report)
    title = settings.get("title")
    config = DataConfig(
        root, relations, actors, root / DOCUMENTS_DIR, str(title) if title else None
    )
    return apply_mappings(config, mappings, report)


def apply_mappings(config: DataConfig, mappings: Iterable[str], report: Report) -> DataConfig:
    """Apply ``--map`` options such as ``from=Actor1`` or ``actors.id=Code``."""
    tables = {"relations": dict(config.relations.columns), "actors": dict(config.actors.columns)}
    for item in mappings:
        target, sep, column = item.partition("=")
        table, dot, ours = target.strip().rpartition(".")
        table = table if dot else "relations"
        if not sep or not column.strip() or table not in _TABLES or ours not in _TABLES[table]:
            report.error(
                "--map",
                None,
                None,
                f'cannot use "{item}": write OURS=THEIRS, e.g. from=Actor1 or actors.id=Code; '
                f"our relation columns are {', '.join(CLAIM_COLUMNS)}; "
                f"actor columns {', '.join(ACTOR_COLUMNS)}",
            )
            continue
        tables[table][ours] = column.strip()
    return replace(
        config,
        relations=replace(config.relations, columns=MappingProxyType(tables["relations"])),
        actors=replace(config.actors, columns=MappingProxyType(tables["actors"])),
    )


def _read_toml(path: Path, report: Report) -> dict:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.error(path.name, None, None, f"cannot read the settings file: {exc}")
        return {}


def _table_spec(
    root: Path, settings: dict, default: Path | None, required: bool, report: Report
) -> TableSpec:
    path = root / settings["file"] if "file" in settings else default
    columns = settings.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        report.error(CONFIG_NAME, None, None, "[...columns] must map our names to column names")
        columns = {}
    read = ReadOptions(
        delimiter=_delimiter(settings.get("delimiter", ",")),
        encoding=settings.get("encoding", "utf-8"),
        header=bool(settings.get("header", True)),
    )
    # A file named in the settings must exist, even an optional one such as actors.csv.
    required = required or "file" in settings
    return TableSpec(path, MappingProxyType(dict(columns)), read, required)


def _delimiter(value: str) -> str | None:
    names = {"auto": None, "tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
    return names.get(value, value)
