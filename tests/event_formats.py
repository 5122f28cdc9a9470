"""Small files in the shapes of public event data sets, written by the tests.

The headers are the formats' published column names (see each preset in
``dashboard/data/presets.py`` for its codebook); every row is made up here. No
third-party data is stored in the repository.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dashboard.data.presets import GDELT_1_COLUMNS, GDELT_2_COLUMNS

ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
UCDP_GED_HEADER = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
]
ICEWS_HEADER = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
]
MMP_HEADER = [
    "unique_id",
    "type",
    "group1_id",
    "group2_id",
    "date",
    "description",
    "group1_name",
    "group2_name",
]


def rows_text(header: list[str], rows: list[dict], delimiter: str = ",", with_header=True) -> str:
    """A delimited file: ``header``, then each row (missing columns empty)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if with_header:
        writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"not in the header: {unknown}"
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def acled_rows() -> list[dict]:
    """Four events: a clash with associated actors on both sides, ';'-joined sources in
    three spellings, a protest with no second actor, an agreement, and a week-precise
    date; inter codes as numbers (before 2024) and as words (since)."""
    return [
        {
            "event_id_cnty": "XYZ1",
            "event_date": "2020-02-12",
            "time_precision": "1",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor1": "Military Forces of Xland",
            "assoc_actor_1": "Police Forces of Xland; Militia of the North",
            "inter1": "1",
            "actor2": "Front for Liberty",
            "assoc_actor_2": "Civilians (Xland)",
            "inter2": "2",
            "source": "Airwars; Local Radio",
            "notes": "On 12 February 2020, soldiers clashed with the Front.",
        },
        {
            "event_id_cnty": "XYZ2",
            "event_date": "14 March 2020",
            "time_precision": "3",
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "actor1": "Protesters (Xland)",
            "inter1": "Protesters",
            "source": "airwars",
            "notes": "In March 2020, people marched.",
        },
        {
            "event_id_cnty": "XYZ3",
            "event_date": "2020-04-01",
            "time_precision": "2",
            "event_type": "Strategic developments",
            "sub_event_type": "Agreement",
            "actor1": "Front for Liberty",
            "inter1": "Rebel group",
            "actor2": "Military Forces of Xland",
            "inter2": "State forces",
            "source": "AIrwars;Airwars",
            "notes": "Around 1 April 2020, the two sides agreed a truce.",
        },
        {
            "event_id_cnty": "XYZ4",
            "event_date": "2020-05-05",
            "time_precision": "1",
            "event_type": "Violence against civilians",
            "sub_event_type": "Attack",
            "actor1": "Front for Liberty",
            "inter1": "2",
            "actor2": "Civilians (Xland)",
            "inter2": "7",
            "source": "Local Radio",
            "notes": "On 5 May 2020, the Front attacked a village.",
        },
    ]


def ucdp_rows() -> list[dict]:
    """Three events: a state-based clash whose original source is named, a one-sided
    event with only the reporting agency and several publication dates, and a
    month-precise non-state clash."""
    return [
        {
            "id": "101",
            "type_of_violence": "1",
            "side_a": "Government of Xland",
            "side_b": "Front for Liberty",
            "source_office": "Agency A",
            "source_original": "Local police;Witnesses",
            "source_date": "2019-03-02 00:00:00.000",
            "source_headline": "Clashes in the north",
            "date_prec": "1",
            "date_start": "2019-03-01 00:00:00.000",
            "date_end": "2019-03-01 00:00:00.000",
        },
        {
            "id": "102",
            "type_of_violence": "3",
            "side_a": "Front for Liberty",
            "side_b": "Civilians",
            "source_office": "Agency A;Agency B",
            "source_original": "",
            "source_date": "2019-04-03 00:00:00.000;2019-04-05 00:00:00.000",
            "source_headline": "Village attacked",
            "date_prec": "2",
            "date_start": "2019-04-01 00:00:00.000",
            "date_end": "2019-04-03 00:00:00.000",
        },
        {
            "id": "103",
            "type_of_violence": "2",
            "side_a": "Militia of the North",
            "side_b": "Front for Liberty",
            "source_office": "Agency B",
            "source_original": "",
            "source_date": "2019-06-30 00:00:00.000",
            "source_headline": "Fighting between armed groups",
            "date_prec": "4",
            "date_start": "2019-06-01 00:00:00.000",
            "date_end": "2019-06-30 00:00:00.000",
        },
    ]


def icews_rows() -> list[dict]:
    """Three events, two of them identical but for their ids, story and sentence (two
    distinct events the news reported alike), one coded 190 (fight)."""
    common = {
        "Event Date": "2014-01-05",
        "Source Name": "Xland",
        "Event Text": "Make statement",
        "CAMEO Code": "010",
        "Target Name": "Yland",
        "Publisher": "Wire Service",
    }
    return [
        {"Event ID": "9001", "Story ID": "77", "Sentence Number": "1", **common},
        {"Event ID": "9002", "Story ID": "78", "Sentence Number": "3", **common},
        {
            **common,
            "Event ID": "9003",
            "Story ID": "79",
            "Sentence Number": "1",
            "Event Text": "Fight with small arms and light weapons",
            "CAMEO Code": "190",
        },
    ]


def mmp_rows() -> list[dict]:
    return [
        {
            "unique_id": "1",
            "type": "all",
            "group1_id": "10",
            "group2_id": "20",
            "date": "1/1/68",
            "description": "The two groups fought together in 1968.",
            "group1_name": "Front for Liberty",
            "group2_name": "Militia of the North",
        },
        {
            "unique_id": "2",
            "type": "spl",
            "group1_id": "10",
            "group2_id": "30",
            "date": "2005-00-00",
            "description": "Members split off in 2005 to form a new group.",
            "group1_name": "Front for Liberty",
            "group2_name": "New Front",
        },
        {
            "unique_id": "3",
            "type": "riv",
            "group1_id": "30",
            "group2_id": "10",
            "date": "2/18/10",
            "description": "The new group attacked its parent in 2010.",
            "group1_name": "New Front",
            "group2_name": "Front for Liberty",
        },
    ]


def gdelt_rows(version: int = 2) -> list[dict]:
    """Two events as in GDELT's tab-separated event files."""
    return [
        {
            "GLOBALEVENTID": "410000001",
            "SQLDATE": "20150218",
            "Actor1Code": "XLDGOV",
            "Actor1Name": "XLAND",
            "Actor1Type1Code": "GOV",
            "Actor2Code": "YLDREB",
            "Actor2Name": "FRONT FOR LIBERTY",
            "Actor2Type1Code": "REB",
            "EventCode": "190",
            "EventBaseCode": "190",
            "EventRootCode": "19",
            "QuadClass": "4",
            "SOURCEURL": "https://news.example/xland-clash",
        },
        {
            "GLOBALEVENTID": "410000002",
            "SQLDATE": "20150219",
            "Actor1Code": "XLDGOV",
            "Actor1Name": "XLAND",
            "Actor1Type1Code": "GOV",
            "Actor2Code": "YLD",
            "Actor2Name": "YLAND",
            "EventCode": "042",
            "EventBaseCode": "042",
            "EventRootCode": "04",
            "QuadClass": "1",
            "SOURCEURL": "https://news.example/xland-visit",
        },
    ]


def gdelt_header(version: int) -> list[str]:
    return list(GDELT_2_COLUMNS if version == 2 else GDELT_1_COLUMNS)
