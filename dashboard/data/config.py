"""Where the data lives, how to read it, and how its columns map onto ours.

A data folder may hold ``dashboard.toml`` to name the data set and describe files as
analysts have them (every setting is optional)::

    title = "Iran and al-Qaeda, as reported"   # shown in the page and on exports

    [relations]
    file = "events.tsv"           # default: relations.csv
    delimiter = "tab"             # default: detected from the header (, ; tab |)
    encoding = "latin-1"          # default: utf-8 (with or without a byte-order mark)
    header = false                # no header row: name columns by position, from 1
    missing = ["NA", "-"]         # cells meaning "no value"; default NA, N/A, null, -
    date_order = "DMY"            # for dates like 3/4/2005; default MDY (US style)
    list_columns = ["from", "to"] # cells naming several actors: one claim per pair
    list_separator = ";"          # default ";"
    relation_labels = "codes.csv" # a lookup table (code,label) for numeric relations
    [relations.columns]           # our name = the file's column (or its position)
    from = "Actor1"
    to = "Actor2"
    quote = "Text"

    [actors]
    file = "people.csv"           # default: actors.csv
    [actors.columns]
    id = "Code"

    [relation_families]           # relation = family (colours, legend, "contested")
    trains = "cooperation"
    fights = "conflict"
    "allied with" = {family = "cooperation", directed = false}

A column may also be several columns, a fallback, a constant or a split cell (see
``mapping.py``); ``preset = "acled"`` reads a known format (see ``presets.py``);
``[relation_families]`` gives relations a family and a direction (``relation_families.py``).
Command-line options (``--map``, ``--delimiter``, ``--preset``, ...) override the file. A
setting the file does not know (``date-order`` for ``date_order``) is an error, with a
suggestion.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .dates import TWO_DIGIT_PIVOT
from .files import DataFolder, read_input
from .mapping import MAPPED_EXTRA_COLUMNS, SPLITTABLE, ColumnSpec, parse_specs
from .presets import choose_preset
from .reader import DEFAULT_MISSING, ReadOptions
from .relation_families import RelationKind, parse_relation_families
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
# Optional relations columns that are not part of a claim (nor of its id): the type of
# an actor the row names (for actors not in actors.csv), and how the row's cells were
# escaped (see escaping.py). Mappable like the claim columns.
ACTOR_TYPE_COLUMNS = {"from": "from_type", "to": "to_type"}
ESCAPING_COLUMN = "escaping"
EXTRA_CLAIM_COLUMNS = (*ACTOR_TYPE_COLUMNS.values(), ESCAPING_COLUMN)
ACTOR_COLUMNS = ("id", "name", "type", "aliases", "description")
REQUIRED_ACTOR_COLUMNS = ("id",)
LIST_COLUMNS = SPLITTABLE  # columns whose cells may hold several values
DATE_ORDERS = ("MDY", "DMY")
DELIMITER_NAMES = {
    "auto": None,
    "tab": "\t",
    "\\t": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
}
_TABLES = {"relations": CLAIM_COLUMNS + MAPPED_EXTRA_COLUMNS, "actors": ACTOR_COLUMNS}

# The settings dashboard.toml may hold: a dict is a table of known keys, None any value.
ANY_KEYS = "any keys"  # a table of the user's own keys (the inline relation lookup table)
_FILE_SETTINGS = dict.fromkeys(("file", "delimiter", "encoding", "header", "missing"))
SETTINGS_SCHEMA: dict = {
    "title": None,
    "preset": None,
    "attribution": None,
    "relation_labels": ANY_KEYS,
    "relation_families": ANY_KEYS,
    "relations": _FILE_SETTINGS
    | dict.fromkeys(
        ("date_order", "list_columns", "list_separator", "relation_labels", "two_digit_pivot")
    )
    | {"columns": dict.fromkeys(CLAIM_COLUMNS + MAPPED_EXTRA_COLUMNS)},
    "actors": _FILE_SETTINGS | {"columns": dict.fromkeys(ACTOR_COLUMNS)},
}


@dataclass(frozen=True)
class ClaimOptions:
    """How to read the claims' values (beyond the file format)."""

    date_order: str = "MDY"
    list_columns: tuple[str, ...] = ()
    list_separator: str = ";"
    relation_labels: Path | Mapping[str, str] | None = None
    two_digit_pivot: int = TWO_DIGIT_PIVOT
    relation_kinds: Mapping[str, RelationKind] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class TableSpec:
    """One input file: where it is, how to read it, and its column mapping."""

    path: Path | None
    columns: Mapping[str, ColumnSpec | str] = field(default_factory=lambda: MappingProxyType({}))
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
    claims: ClaimOptions = field(default_factory=ClaimOptions)
    skip_invalid: bool = False
    folder: DataFolder | None = None  # where files may be read from; None: anywhere
    attribution: str = ""  # the data's licence or citation line, from the settings or preset
    preset: str | None = None  # the preset the relations are read with

    def display_name(self, path: Path) -> str:
        """Paths in reports are relative to the data folder when they lie inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class LoadOverrides:
    """Command-line options; each one set overrides dashboard.toml."""

    mappings: tuple[str, ...] = ()
    delimiter: str | None = None
    encoding: str | None = None
    no_header: bool = False
    missing: tuple[str, ...] | None = None
    date_order: str | None = None
    list_columns: tuple[str, ...] = ()
    list_separator: str | None = None
    relation_labels: Path | None = None
    skip_invalid: bool = False
    allow_outside_data: bool = False
    preset: str | None = None  # a preset name, or "none" to read no preset
    two_digit_pivot: int | None = None


def resolve_config(
    data: Path, overrides: LoadOverrides | Iterable[str] = (), report: Report | None = None
) -> DataConfig:
    """Work out the files, reading options and mappings for ``data`` (a folder or a file)."""
    report = report if report is not None else Report()
    if not isinstance(overrides, LoadOverrides):
        overrides = LoadOverrides(mappings=tuple(overrides))
    data = Path(data)
    if data.is_dir():
        root, relations_file, actors_file = data, data / RELATIONS_FILE, data / ACTORS_FILE
        named_by_user: frozenset[Path] = frozenset()
    else:
        root, relations_file, actors_file = data.parent, data, None
        named_by_user = frozenset({data})
    folder = DataFolder(root, overrides.allow_outside_data, named_by_user)
    settings = _read_toml(root / CONFIG_NAME, folder, report)
    settings, preset, has_header = _preset(settings, overrides, root, relations_file, report)
    relation_settings = _section(settings, "relations", report)
    relations = _table_spec(root, relation_settings, relations_file, True, report)
    if has_header is not None and "header" not in relation_settings:
        relations = replace(relations, read=replace(relations.read, header=has_header))
    actors = _table_spec(root, _section(settings, "actors", report), actors_file, False, report)
    title = _text(settings, "title", report)
    claims = _claim_options(root, relation_settings, settings.get("relation_labels"), report)
    if "relation_families" in settings:
        kinds = parse_relation_families(settings["relation_families"], report, CONFIG_NAME)
        claims = replace(claims, relation_kinds=MappingProxyType(kinds))
    config = DataConfig(
        root,
        relations,
        actors,
        root / DOCUMENTS_DIR,
        title or None,
        claims,
        folder=folder,
        attribution=str(settings.get("attribution", "")),
        preset=preset,
    )
    return apply_overrides(config, overrides, report)


def _preset(settings: dict, overrides: LoadOverrides, root: Path, relations_file, report: Report):
    """The settings with the preset's under them; its name; whether the file has a header."""
    relation_settings = settings.get("relations")
    relation_settings = relation_settings if isinstance(relation_settings, dict) else {}
    if "file" in relation_settings:
        relations_file = root / str(relation_settings["file"])
    named = overrides.delimiter or str(relation_settings.get("delimiter", "auto"))
    settings, preset, has_header = choose_preset(
        settings,
        overrides.preset,
        relations_file,
        DELIMITER_NAMES.get(named.lower(), named if len(named) == 1 else None),
        overrides.encoding or str(relation_settings.get("encoding", "utf-8")),
        report,
        CONFIG_NAME if overrides.preset is None else "--preset",
    )
    return settings, None if preset is None else preset.name, has_header


def apply_overrides(config: DataConfig, overrides: LoadOverrides, report: Report) -> DataConfig:
    """Apply command-line options over the settings file."""
    config = apply_mappings(config, overrides.mappings, report)
    read = config.relations.read
    if overrides.delimiter is not None:
        read = replace(read, delimiter=_delimiter(overrides.delimiter, "--delimiter", report))
    if overrides.encoding is not None:
        read = replace(read, encoding=overrides.encoding)
        actors_read = replace(config.actors.read, encoding=overrides.encoding)
        config = replace(config, actors=replace(config.actors, read=actors_read))
    if overrides.no_header:
        read = replace(read, header=False)
    if overrides.missing is not None:
        read = replace(read, missing=tuple(overrides.missing))
        actors_read = replace(config.actors.read, missing=tuple(overrides.missing))
        config = replace(config, actors=replace(config.actors, read=actors_read))
    claims = config.claims
    if overrides.date_order is not None:
        claims = replace(
            claims, date_order=_date_order(overrides.date_order, "--date-order", report)
        )
    if overrides.list_columns:
        claims = replace(
            claims, list_columns=_list_columns(overrides.list_columns, "--list-column", report)
        )
    if overrides.list_separator is not None:
        separator = _list_separator(overrides.list_separator, "--list-separator", report)
        claims = replace(claims, list_separator=separator)
    if overrides.relation_labels is not None:
        labels = Path(overrides.relation_labels)
        claims = replace(claims, relation_labels=labels)
        if config.folder is not None:  # named on the command line: the user's choice
            named = config.folder.named_by_user | {labels}
            config = replace(config, folder=replace(config.folder, named_by_user=named))
    if overrides.two_digit_pivot is not None:
        claims = replace(
            claims, two_digit_pivot=_pivot(overrides.two_digit_pivot, "--two-digit-pivot", report)
        )
    return replace(
        config,
        relations=replace(config.relations, read=read),
        claims=claims,
        skip_invalid=overrides.skip_invalid or config.skip_invalid,
    )


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
                f"our relation columns are {', '.join(_TABLES['relations'])}; "
                f"actor columns {', '.join(ACTOR_COLUMNS)}",
            )
            continue
        tables[table][ours] = column.strip()
    return replace(
        config,
        relations=replace(config.relations, columns=MappingProxyType(tables["relations"])),
        actors=replace(config.actors, columns=MappingProxyType(tables["actors"])),
    )


def _read_toml(path: Path, folder: DataFolder, report: Report) -> dict:
    if not os.path.lexists(path):
        return {}
    data = read_input(path, CONFIG_NAME, report, folder, expected="a settings file")
    if data is None:
        return {}
    try:
        text = data.decode("utf-8-sig")
        settings = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        report.error(CONFIG_NAME, None, None, f"cannot read the settings file: {exc}")
        return {}
    except RecursionError:
        report.error(
            CONFIG_NAME, None, None, "cannot read the settings file: it is nested too deeply"
        )
        return {}
    _report_unknown_settings(settings, SETTINGS_SCHEMA, (), text, report)
    return settings


def _report_unknown_settings(
    settings: dict, schema: dict, path: tuple[str, ...], text: str, report: Report
) -> None:
    """An error for every key the schema does not know, suggesting the likely one."""
    for key, value in settings.items():
        if key in schema:
            known = schema[key]
            if isinstance(known, dict) and isinstance(value, dict):
                _report_unknown_settings(value, known, (*path, key), text, report)
            continue
        what = "section" if isinstance(value, dict) else "setting"
        where = ".".join((*path, key))
        report.error(
            CONFIG_NAME,
            _line_of_key(text, (*path, key)),
            None,
            f'unknown {what} "{where}"{_suggestion(key, schema, path)}',
            kind="unknown setting",
        )


def _suggestion(key: str, schema: dict, path: tuple[str, ...]) -> str:
    """'; did you mean "date_order"?', or the known keys when none is close."""
    spelled = key.strip().lower().replace("-", "_").replace(" ", "_")
    if spelled in schema:
        return f'; did you mean "{spelled}"?'
    if not path:  # a table's setting written at the top, before any [section]
        for section in ("relations", "actors"):
            if spelled in SETTINGS_SCHEMA[section]:
                return f'; did you mean "{spelled}" under [{section}]?'
    close = difflib.get_close_matches(spelled, list(schema), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else f"; known: {', '.join(schema)}"


_TOML_TABLE = re.compile(r"^\s*\[\[?([^\]]+)\]")
_TOML_KEY = re.compile(r"^\s*([\w\-\"' .]+?)\s*=")


def _line_of_key(text: str, path: tuple[str, ...]) -> int | None:
    """The line that sets ``path`` (or a table around it), best effort: TOML parsers give none.

    >>> _line_of_key('title = "x"\\n[relations]\\ndate-order = "DMY"', ("relations", "date-order"))
    3
    """
    table: tuple[str, ...] = ()
    around = None
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _TOML_TABLE.match(line):
            table = _key_parts(match.group(1))
            keys = table
        elif match := _TOML_KEY.match(line):
            keys = (*table, *_key_parts(match.group(1)))
        else:
            continue
        if keys == path:
            return number
        if around is None and match.re is _TOML_KEY and path[: len(keys)] == keys:
            around = number  # e.g. columns = { form = "Actor1" }
    return around


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))


def _section(settings: dict, name: str, report: Report) -> dict:
    section = settings.get(name, {})
    if not isinstance(section, dict):
        report.error(CONFIG_NAME, None, name, f"[{name}] must be a table of settings")
        return {}
    return section


def _table_spec(
    root: Path, settings: dict, default: Path | None, required: bool, report: Report
) -> TableSpec:
    file = _text(settings, "file", report)
    path = root / file if file is not None else default
    columns = parse_specs(settings.get("columns", {}), report, CONFIG_NAME)
    missing = settings.get("missing", DEFAULT_MISSING)
    if not isinstance(missing, list | tuple) or not all(isinstance(m, str) for m in missing):
        report.error(CONFIG_NAME, None, "missing", "missing must be a list of strings")
        missing = DEFAULT_MISSING
    header = settings.get("header", True)
    if not isinstance(header, bool):
        report.error(CONFIG_NAME, None, "header", "header must be true or false")
        header = True
    read = ReadOptions(
        delimiter=_delimiter(_text(settings, "delimiter", report) or "auto", "delimiter", report),
        encoding=_text(settings, "encoding", report) or "utf-8",
        header=header,
        missing=tuple(missing),
    )
    # A file named in the settings must exist, even an optional one such as actors.csv.
    required = required or file is not None
    return TableSpec(path, MappingProxyType(columns), read, required)


def _claim_options(root: Path, settings: dict, inline_labels, report: Report) -> ClaimOptions:
    options = ClaimOptions()
    if "date_order" in settings:
        options = replace(
            options, date_order=_date_order(str(settings["date_order"]), "date_order", report)
        )
    if "list_columns" in settings:
        columns = settings["list_columns"]
        columns = columns if isinstance(columns, list) else [columns]
        options = replace(options, list_columns=_list_columns(columns, "list_columns", report))
    if (separator := _text(settings, "list_separator", report)) is not None:
        separator = _list_separator(separator, "list_separator", report)
        options = replace(options, list_separator=separator)
    if "two_digit_pivot" in settings:
        pivot = _pivot(settings["two_digit_pivot"], "two_digit_pivot", report)
        options = replace(options, two_digit_pivot=pivot)
    if (labels_file := _text(settings, "relation_labels", report)) is not None:
        options = replace(options, relation_labels=root / labels_file)
    elif isinstance(inline_labels, dict):
        if not all(isinstance(label, str | int) for label in inline_labels.values()):
            report.error(
                CONFIG_NAME,
                None,
                None,
                '[relation_labels] must map codes to labels, e.g. "190" = "fights"',
            )
        labels = {str(code): str(label) for code, label in inline_labels.items()}
        options = replace(options, relation_labels=MappingProxyType(labels))
    elif inline_labels is not None:
        report.error(
            CONFIG_NAME,
            None,
            "relation_labels",
            'a lookup file goes under [relations] (relation_labels = "codes.csv"); '
            'at the top, [relation_labels] is a table of "code" = "label" lines',
        )
    return options


def _text(settings: dict, key: str, report: Report) -> str | None:
    """The text setting ``key``, None when absent (or, reported, when not text)."""
    value = settings.get(key)
    if value is None or isinstance(value, str):
        return value
    report.error(CONFIG_NAME, None, key, f"{key} must be text, in quotes")
    return None


def _list_separator(value: str, where: str, report: Report) -> str:
    if value:
        return value
    report.error(
        CONFIG_NAME if where == "list_separator" else where,
        None,
        None,
        "the list separator cannot be empty; the default is ;",
    )
    return ";"


def _delimiter(value: str, where: str, report: Report) -> str | None:
    named = DELIMITER_NAMES.get(value.lower(), value)
    if named is not None and len(named) != 1:
        report.error(
            CONFIG_NAME if where == "delimiter" else where,
            None,
            None,
            f'delimiter "{value}" must be one character, or auto, tab, comma, semicolon or pipe',
        )
        return None
    return named


def _date_order(value: str, where: str, report: Report) -> str:
    order = value.upper()
    if order not in DATE_ORDERS:
        report.error(
            CONFIG_NAME if where == "date_order" else where,
            None,
            None,
            f'date order "{value}" must be MDY or DMY',
        )
        return "MDY"
    return order


def _pivot(value, where: str, report: Report) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        report.error(
            CONFIG_NAME if where == "two_digit_pivot" else where,
            None,
            None,
            f"two_digit_pivot must be a whole number from 0 to 100 (two-digit years from it "
            f"up are 19xx, below it 20xx), not {value!r}",
        )
        return TWO_DIGIT_PIVOT
    return value


def _list_columns(columns, where: str, report: Report) -> tuple[str, ...]:
    wrong = [c for c in columns if c not in LIST_COLUMNS]
    if wrong:
        report.error(
            CONFIG_NAME if where == "list_columns" else where,
            None,
            None,
            f"only {', '.join(LIST_COLUMNS)} can hold several values, not: "
            f"{', '.join(map(str, wrong))}",
        )
    return tuple(c for c in columns if c in LIST_COLUMNS)
