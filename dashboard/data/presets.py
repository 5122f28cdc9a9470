"""Presets: the published column layouts of common event data sets, in our mapping language.

``dashboard run FILE --preset acled`` (or ``preset = "acled"`` in ``dashboard.toml``) reads
the file as that format's codebook describes it. Without a preset, a file whose header
looks like one is read with it, and the report says so; ``--preset none`` turns that off.
Each preset is a ``dashboard.toml`` in Python: whatever the data folder's own settings
say wins over it, key by key.

- ``acled``: ACLED (Armed Conflict Location & Event Data) exports.
- ``ucdp-ged``: the UCDP Georeferenced Event Dataset (GED) in CSV.
- ``icews``: ICEWS Coded Event Data (tab-separated, from the Harvard Dataverse).
- ``mmp``: the Mapping Militants Project's group relationships.
- ``gdelt``: GDELT 1.0 and 2.0 event files (tab-separated, no header), or a CSV export
  with GDELT's column names.

>>> detect_header(["event_id_cnty", "event_date", "actor1", "actor2", "sub_event_type"]).name
'acled'
>>> detect_header(["from", "to", "relation"]) is None
True
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .reader import detect_delimiter
from .report import Report

NONE = "none"


@dataclass(frozen=True)
class Preset:
    name: str
    title: str  # as people call the format
    signature: tuple[str, ...]  # header columns (any case) that identify it
    settings: Mapping  # dashboard.toml keys: [relations], [relation_families], attribution
    # Column names for files without a header, by their number of columns.
    positional: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


def _fallback_both(codes: Mapping[str, str]) -> dict[str, str]:
    """Codes with and without leading zeros ("01" and "1")."""
    return {**codes, **{code.lstrip("0") or "0": value for code, value in codes.items()}}


# ACLED codebook: inter1/inter2, numbers until 2024, words since.
_ACLED_TYPES = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
]
ACLED_INTER = {"0": ""} | {
    key: name.lower()
    for number, name in enumerate(_ACLED_TYPES, start=1)
    for key in (str(number), name)
}
_ACLED_FAMILIES = {
    "conflict": [
        "armed clash",
        "government regains territory",
        "non-state actor overtakes territory",
        "chemical weapon",
        "air/drone strike",
        "suicide bomb",
        "shelling/artillery/missile attack",
        "remote explosive/landmine/ied",
        "grenade",
        "sexual violence",
        "attack",
        "abduction/forced disappearance",
        "peaceful protest",
        "protest with intervention",
        "excessive force against protesters",
        "excessive force against protestors",
        "violent demonstration",
        "mob violence",
        "arrests",
        "disrupted weapons use",
        "looting/property destruction",
    ],
    "cooperation": ["agreement"],
    "other": [
        "change to group/activity",
        "headquarters or base established",
        "non-violent transfer of territory",
        "other",
    ],
}
ACLED = Preset(
    "acled",
    "ACLED",
    ("event_id_cnty", "event_date", "actor1", "actor2", "sub_event_type"),
    {
        "attribution": (
            "Armed Conflict Location & Event Data (ACLED), acleddata.com; "
            "used under ACLED's terms of use, which ask that ACLED be cited as the source"
        ),
        "relations": {
            "date_order": "DMY",
            "columns": {
                # The main actors, then those "associated with" them in the event.
                "from": {"columns": ["actor1", "assoc_actor_1"], "split": ";"},
                "to": {"columns": ["actor2", "assoc_actor_2"], "split": ";"},
                "relation": "sub_event_type",
                "start": "event_date",
                "quote": "notes",  # ACLED's own summary of the reports
                "source": {"column": "source", "split": ";"},
                "key": "event_id_cnty",
                "from_type": {"column": "inter1", "values": ACLED_INTER},
                "to_type": {"column": "inter2", "values": ACLED_INTER},
                "date_precision": {
                    "column": "time_precision",
                    "values": {"1": "day", "2": "week", "3": "month"},
                },
            },
        },
        # "Actor 1 and Actor 2 do not imply directionality" (ACLED's codebook).
        "relation_families": {
            relation: {"family": family, "directed": False}
            for family, relations in _ACLED_FAMILIES.items()
            for relation in relations
        },
    },
)

UCDP_GED = Preset(
    "ucdp-ged",
    "UCDP GED",
    ("id", "side_a", "side_b", "type_of_violence", "date_start", "date_prec"),
    {
        "attribution": (
            "UCDP Georeferenced Event Dataset (GED) Global, Uppsala Conflict Data Program, "
            "ucdp.uu.se (CC BY 4.0). Sundberg, Ralph & Erik Melander (2013) Introducing the "
            "UCDP Georeferenced Event Dataset, Journal of Peace Research 50(4): 523-532"
        ),
        "relations": {
            "columns": {
                "from": "side_a",
                "to": "side_b",
                "relation": {
                    "column": "type_of_violence",
                    "values": {
                        "1": "state-based armed conflict",
                        "2": "non-state conflict",
                        "3": "one-sided violence",
                    },
                },
                "start": "date_start",
                "end": "date_end",
                # The original source where UCDP names one, else the agency reporting it.
                "source": {"first": ["source_original", "source_office"], "split": ";"},
                "document": "source_headline",
                "published": {"column": "source_date", "split": ";"},
                "key": "id",
                "date_precision": {
                    "column": "date_prec",
                    "values": {"1": "day", "2": "days", "3": "week", "4": "month", "5": "year"},
                },
            },
        },
        "relation_families": {
            "state-based armed conflict": {"family": "conflict", "directed": False},
            "non-state conflict": {"family": "conflict", "directed": False},
            "one-sided violence": {"family": "conflict"},  # side A against civilians
        },
    },
)

# CAMEO root codes (01-20) and CAMEO's quad classes (GDELT's QuadClass column).
CAMEO_ROOTS = _fallback_both(
    {
        "01": "make public statement",
        "02": "appeal",
        "03": "express intent to cooperate",
        "04": "consult",
        "05": "engage in diplomatic cooperation",
        "06": "engage in material cooperation",
        "07": "provide aid",
        "08": "yield",
        "09": "investigate",
        "10": "demand",
        "11": "disapprove",
        "12": "reject",
        "13": "threaten",
        "14": "protest",
        "15": "exhibit force posture",
        "16": "reduce relations",
        "17": "coerce",
        "18": "assault",
        "19": "fight",
        "20": "use unconventional mass violence",
    }
)
QUAD_CLASSES = {
    "1": "verbal cooperation",
    "2": "material cooperation",
    "3": "verbal conflict",
    "4": "material conflict",
}
# A full CAMEO code's quad class from its root (its first two digits).
CAMEO_QUADS = {
    f"{root:02d}*": QUAD_CLASSES[
        "1" if root <= 5 else "2" if root <= 8 else "3" if root <= 13 else "4"
    ]
    for root in range(1, 21)
}
ICEWS = Preset(
    "icews",
    "ICEWS",
    ("event id", "event date", "source name", "target name", "cameo code"),
    {
        "attribution": (
            "Boschee, Elizabeth; Lautenschlager, Jennifer; O'Brien, Sean; Shellman, Steve; "
            'Starz, James; Ward, Michael (2015) "ICEWS Coded Event Data", Harvard Dataverse, '
            "https://doi.org/10.7910/DVN/28075"
        ),
        "relations": {
            "columns": {
                "from": "Source Name",
                "to": "Target Name",
                "relation": "Event Text",
                "relation_family": {"column": "CAMEO Code", "values": CAMEO_QUADS},
                "start": "Event Date",
                "source": "Publisher",
                "key": "Event ID",
            },
        },
    },
)

MMP = Preset(
    "mmp",
    "Mapping Militants",
    ("type", "group1_name", "group2_name", "date"),
    {
        "attribution": "Mapping Militants Project, Stanford University, mappingmilitants.org",
        "relations": {
            # Dates such as 1/1/68 are 1968: MMP's groups go back to the 1960s.
            "two_digit_pivot": 30,
            "columns": {
                "from": "group1_name",
                "to": "group2_name",
                "relation": {
                    "column": "type",
                    "values": {
                        key: label
                        for code, word, label in (
                            ("all", "allies", "allied with"),
                            ("riv", "rivals", "rivals"),
                            ("aff", "affiliates", "affiliated with"),
                            ("mer", "mergers", "merged with"),
                            ("spl", "splinters", "has splinter group"),
                        )
                        for key in (code, word, word.capitalize())
                    },
                },
                "start": "date",
                "quote": "description",  # MMP's own account of the relationship
                "source": {"value": "Mapping Militants Project"},
            },
        },
        "relation_families": {
            "allied with": {"family": "cooperation", "directed": False},
            "rivals": {"family": "conflict", "directed": False},
            "affiliated with": {"family": "hierarchy and membership", "directed": False},
            "merged with": {"family": "hierarchy and membership", "directed": False},
            "has splinter group": {"family": "hierarchy and membership"},  # group1 -> group2
        },
    },
)

_GDELT_ACTOR = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
]
_GDELT_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_2_COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{c}" for c in _GDELT_ACTOR),
    *(f"Actor2{c}" for c in _GDELT_ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in _GDELT_GEO),
    "DATEADDED",
    "SOURCEURL",
)
# GDELT 1.0 daily files: the same without the three ADM2 codes.
GDELT_1_COLUMNS = tuple(c for c in GDELT_2_COLUMNS if not c.endswith("ADM2Code"))
# CAMEO actor types (GDELT's lookup CAMEO.type.txt), as words.
CAMEO_TYPES = {
    "COP": "police",
    "GOV": "government",
    "INS": "insurgents",
    "JUD": "judiciary",
    "MIL": "military",
    "OPP": "political opposition",
    "REB": "rebels",
    "SEP": "separatist rebels",
    "SPY": "state intelligence",
    "UAF": "unaligned armed forces",
    "AGR": "agriculture",
    "BUS": "business",
    "CRM": "criminal",
    "CVL": "civilian",
    "DEV": "development",
    "EDU": "education",
    "ELI": "elites",
    "ENV": "environmental",
    "HLH": "health",
    "HRI": "human rights",
    "LAB": "labor",
    "LEG": "legislature",
    "MED": "media",
    "REF": "refugees",
    "MOD": "moderate",
    "RAD": "radical",
    "IGO": "intergovernmental organization",
    "NGO": "non-governmental organization",
    "NGM": "non-governmental movement",
    "IMG": "international militarized group",
    "MNC": "multinational corporation",
    "UIS": "unidentified state actor",
    "PKO": "peacekeepers",
    "SET": "settlers",
}
GDELT = Preset(
    "gdelt",
    "GDELT",
    ("globaleventid", "sqldate", "actor1name", "actor2name", "eventcode"),
    {
        "attribution": "The GDELT Project, gdeltproject.org (event data, machine-coded from news)",
        "relations": {
            "columns": {
                "from": "Actor1Name",
                "to": "Actor2Name",
                "relation": {"column": "EventRootCode", "values": CAMEO_ROOTS},
                "relation_family": {"column": "QuadClass", "values": QUAD_CLASSES},
                "start": "SQLDATE",
                "source": {"value": "GDELT"},
                "document": "SOURCEURL",  # a URL, or a citation for offline sources
                "key": "GLOBALEVENTID",
                "from_type": {"column": "Actor1Type1Code", "values": CAMEO_TYPES},
                "to_type": {"column": "Actor2Type1Code", "values": CAMEO_TYPES},
            },
        },
    },
    {len(GDELT_2_COLUMNS): GDELT_2_COLUMNS, len(GDELT_1_COLUMNS): GDELT_1_COLUMNS},
)

PRESETS: dict[str, Preset] = {p.name: p for p in (ACLED, UCDP_GED, ICEWS, MMP, GDELT)}
PRESET_NAMES = (*PRESETS, NONE)


def detect_header(header: list[str]) -> Preset | None:
    """The preset whose signature columns the header has (in any case), if one."""
    folded = {h.strip().casefold() for h in header}
    for preset in PRESETS.values():
        if all(column.casefold() in folded for column in preset.signature):
            return preset
    return None


def detect_headerless(fields: list[str]) -> Preset | None:
    """A preset whose files come without a header, recognised by the first row's shape:
    GDELT's event files (61 or 58 tab-separated fields, an event id and a YYYYMMDD)."""
    if (
        len(fields) in GDELT.positional
        and fields[0].strip().isdigit()
        and len(fields[1].strip()) == 8
        and fields[1].strip().isdigit()
    ):
        return GDELT
    return None


@dataclass(frozen=True)
class Detected:
    preset: Preset
    has_header: bool


def detect_file(path: Path, delimiter: str | None, encoding: str) -> Detected | None:
    """Look at the first line of ``path`` for a preset's header (or header-less shape)."""
    try:
        with open(path, encoding=_codec(encoding), errors="replace", newline="") as handle:
            first = handle.readline(1 << 16)
    except (OSError, LookupError, ValueError):  # the reader reports these
        return None
    if not first.strip():
        return None
    try:
        fields = next(
            csv.reader([first.rstrip("\r\n")], delimiter=delimiter or detect_delimiter(first))
        )
    except (csv.Error, StopIteration):
        return None
    preset = detect_header(fields)
    if preset is not None:
        return Detected(preset, True)
    tab_fields = first.rstrip("\r\n").split("\t")
    preset = detect_headerless(tab_fields)
    return Detected(preset, False) if preset is not None else None


def _codec(encoding: str) -> str:
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def with_preset(settings: dict, preset: Preset) -> dict:
    """The settings file's keys over the preset's, table by table (columns one by one)."""
    merged = copy.deepcopy(dict(preset.settings))
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _merge(base: dict, over: dict) -> dict:
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict) and key != "values":
            result[key] = _merge(result[key], value)
        else:
            result[key] = value
    return result


def choose_preset(
    settings: dict,
    asked: str | None,
    relations_file: Path | None,
    delimiter: str | None,
    encoding: str,
    report: Report,
    where: str,
) -> tuple[dict, Preset | None, bool | None]:
    """Apply the preset asked for (``--preset``, else ``preset =`` in the settings), or the
    one the relations file's first line shows when none was asked for and the file's
    columns are not mapped by hand. Returns the merged settings, the preset, and whether
    the file has a header (None: as the settings say)."""
    asked = asked if asked is not None else settings.get("preset")
    if asked is not None:
        name = str(asked).strip().lower()
        if name == NONE:
            return settings, None, None
        if name not in PRESETS:
            report.error(
                where,
                None,
                "preset",
                f'unknown preset "{asked}"; the presets are: {", ".join(PRESET_NAMES)}',
                kind="unknown preset",
            )
            return settings, None, None
        preset = PRESETS[name]
        detected = detect_file(relations_file, delimiter, encoding) if relations_file else None
        has_header = (
            None if detected is None or detected.preset is not preset else detected.has_header
        )
        return with_preset(settings, preset), preset, has_header
    relation_settings = settings.get("relations")
    mapped = isinstance(relation_settings, dict) and relation_settings.get("columns")
    if mapped or relations_file is None or not relations_file.is_file():
        return settings, None, None
    detected = detect_file(relations_file, delimiter, encoding)
    if detected is None:
        return settings, None, None
    report.note(
        relations_file.name,
        None,
        None,
        f"looks like {detected.preset.title}; read with the {detected.preset.name} preset "
        "(--preset none to turn off)",
        kind="preset detected",
    )
    return with_preset(settings, detected.preset), detected.preset, detected.has_header


def name_positional_columns(columns: list[str], preset: Preset | None) -> list[str] | None:
    """For a file read without a header (columns "1", "2", ...), the preset's names."""
    if preset is None or not columns or not all(c.isdigit() for c in columns):
        return None
    return list(preset.positional.get(len(columns), ())) or None
