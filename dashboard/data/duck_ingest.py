"""Claims CSV straight into a DuckDB database file, checked column by column in SQL.

For data too large for the careful reader (every row in pandas; about 1.2 GB at 1M
claims), ``relations.csv`` and ``actors.csv`` are read by DuckDB's CSV reader into a
database file beside the layout cache, every rule below is one SQL query over a column,
and each bad row is reported with its file, line and column (the line counts the line
breaks inside quoted cells of the rows before it). What is checked:

- actors.csv: an id on every row, ids unique;
- relations.csv: the from, to and relation columns present; ``from`` and ``relation`` not
  empty; ``from`` and ``to`` name a known actor (by id, name or alias, ignoring case and
  spacing); ``stance`` empty, ``asserts`` or ``denies`` (any case); ``start``, ``end`` and
  ``published`` ISO dates (``2004``, ``2004-05``, ``2004-05-17``; ``end`` may be
  ``present``); an end only with a start, not before it; ``url`` empty or http(s);
  a warning for a claim without quote or source.

Not here (the careful reader has them): column mappings and presets, other date
formats, two-digit years, dashboard.toml, duplicate-claim warnings, documents/ and
quote verification. Claim ids are ``r`` and the row number.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "actors.csv").write_text("id,name,type\\na,Alpha,state\\nb,Beta,state\\n")
>>> _ = (folder / "relations.csv").write_text(
...     "from,to,relation,start,end,quote,source,stance\\n"
...     "Alpha,Beta,trains,2001,2003,q,S,asserts\\n"
...     "Alpha,Gamma,funds,2001-13,,q,S,\\n")
>>> report = ingest(folder, folder / "claims.duckdb", today="2026-11-28")
>>> for problem in report.errors:
...     print(problem.format())
relations.csv:3: error: column "to": unknown actor "Gamma"
relations.csv:3: error: column "start": cannot read the date "2001-13" (expected YYYY, YYYY-MM or YYYY-MM-DD)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data.families import RelationFamilies
from dashboard.data.report import Report

MEMORY_LIMIT = "3GB"  # serving: what DuckDB may hold beside the index
INGEST_MEMORY_LIMIT = "4GB"  # reading: little else is in memory then
CLAIM_COLUMNS = ("from", "to", "relation", "start", "end", "quote", "source", "stance")
OPTIONAL_COLUMNS = ("document", "url", "published")
ISO_DATE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"


def connect(database: Path | str, read_only: bool = False, memory_limit: str = MEMORY_LIMIT):
    import duckdb

    db = duckdb.connect(str(database), read_only=read_only)
    db.execute(f"SET memory_limit = '{memory_limit}'")
    return db


def _macros(db, today: str) -> None:
    db.execute(
        f"""CREATE OR REPLACE TEMP MACRO iso_ok(t) AS t = '' OR (
               regexp_full_match(t, '{ISO_DATE}') AND try_cast(CASE length(t)
                   WHEN 4 THEN t || '-01-01' WHEN 7 THEN t || '-01' ELSE t END AS DATE)
                   IS NOT NULL);
           CREATE OR REPLACE TEMP MACRO first_day(t) AS CAST(CASE length(t)
               WHEN 4 THEN t || '-01-01' WHEN 7 THEN t || '-01' ELSE t END AS DATE)
               - DATE '1970-01-01';
           CREATE OR REPLACE TEMP MACRO last_day_of(t) AS CASE
               WHEN lower(t) = 'present' THEN DATE '{today}'
               WHEN length(t) = 4 THEN CAST(t || '-12-31' AS DATE)
               WHEN length(t) = 7 THEN last_day(CAST(t || '-01' AS DATE))
               ELSE CAST(t AS DATE) END - DATE '1970-01-01';
           CREATE OR REPLACE TEMP MACRO name_key(t) AS
               lower(trim(regexp_replace(t, '\\s+', ' ', 'g')));
           CREATE OR REPLACE TEMP MACRO breaks(t) AS
               length(coalesce(t, '')) - length(replace(coalesce(t, ''), chr(10), ''));"""
    )


def _columns(db, path: Path, report: Report) -> list[str] | None:
    """The header of ``path`` as DuckDB's CSV reader sees it, or None (and an error)."""
    try:
        described = db.execute(f"DESCRIBE SELECT * FROM {_reader(path)}").fetchall()
    except Exception as exc:  # duckdb's own message names the line it stopped at
        _unreadable(path, exc, report)
        return None
    return [row[0] for row in described]


def _reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return (
        f"read_csv('{quoted}', all_varchar = true, header = true, delim = ',', quote = '\"', "
        "escape = '\"', strict_mode = true)"
    )


def _unreadable(path: Path, exc: Exception, report: Report) -> None:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    report.error(path.name, None, "", f"cannot read the file as CSV: {first}", "bad csv")


def _read(db, table: str, path: Path, columns: list[str], wanted, joins: str, report: Report):
    """``path`` into TEMP table ``table`` in one pass: a row number, the line breaks in
    its quoted cells, the ``wanted`` columns trimmed (empty where absent), and what
    ``joins`` adds (SQL over the row ``r``, e.g. actor codes). The SQL for each row's
    line (the header's line, plus one per row before it and per line break inside the
    quoted cells of those rows), or None (and an error) when DuckDB cannot read it."""
    present = {c.strip().lower(): c for c in columns}
    cells = ", ".join(
        (f"trim(coalesce(\"{present[name]}\", ''))" if name in present else "''") + f' AS "{name}"'
        for name in wanted
    )
    breaks = " + ".join(f'breaks("{c}")' for c in columns) or "0"
    extra, join = joins if joins else ("", "")
    try:
        db.execute(
            f"""CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT r.*{extra} FROM (
                SELECT row_number() OVER () - 1 AS row, {breaks} AS nl, false AS invalid,
                       {cells} FROM {_reader(path)}) r {join}"""
        )
    except Exception as exc:
        _unreadable(path, exc, report)
        return None
    if not db.execute(f"SELECT coalesce(max(nl), 0) FROM {table}").fetchone()[0]:
        return "row + 2"
    before = "sum(nl) OVER (ORDER BY row ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    db.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT *, 2 + row + coalesce({before}, 0) AS line FROM {table}"""
    )
    return "line"


def _flag(db, report: Report, file: str, column: str, kind: str, condition: str, message: str,
          severity: str = "error", table: str = "raw", line: str = "line") -> int:  # fmt: skip
    """Report every row of ``table`` meeting ``condition`` (SQL), with ``message`` (a SQL
    text expression); mark them invalid. The number of rows flagged."""
    rows = db.execute(
        f"SELECT row, {line}, {message} FROM {table} WHERE {condition} ORDER BY row"
    ).fetchall()
    for _row, line, text in rows:
        report.add(severity, file, int(line), column, text, kind)
    if rows and severity == "error":
        db.execute(f"UPDATE {table} SET invalid = true WHERE {condition}")
    return len(rows)


def ingest(
    folder: Path,
    database: Path,
    today: str,
    skip_invalid: bool = False,
    progress=None,
) -> Report:
    """Read ``folder``'s relations.csv and actors.csv into ``database`` (replaced), check
    them (see the module's doc) and build the tables :class:`DuckClaims` reads. With
    errors the database is left unfinished unless ``skip_invalid`` (then the rows with
    errors are left out, and listed)."""
    report = Report()
    say = progress or (lambda _text: None)
    database.unlink(missing_ok=True)
    db = connect(database, memory_limit=INGEST_MEMORY_LIMIT)
    try:
        _macros(db, today)
        say("reading actors.csv and relations.csv into DuckDB")
        actor_columns = _columns(db, folder / "actors.csv", report)
        claim_columns = _columns(db, folder / "relations.csv", report)
        if actor_columns is None or claim_columns is None:
            return report
        named = {c.strip().lower() for c in claim_columns}
        for column in ("from", "to", "relation"):
            if column not in named:
                report.error("relations.csv", 1, column, f"no {column} column", "missing column")
        if not {"id", "name"} <= {c.strip().lower() for c in actor_columns}:
            report.error("actors.csv", 1, "id", "actors.csv needs id and name columns",
                         "missing column")  # fmt: skip
        if report.has_errors:
            return report
        wanted = ("id", "name", "type", "aliases", "description")
        actor_line = _read(db, "actor_rows", folder / "actors.csv", actor_columns, wanted, None,
                           report)  # fmt: skip
        if actor_line is None:
            return report
        _check_actors(db, report, actor_line)
        codes = (
            ", f.code AS from_code, t.code AS to_code",
            """LEFT JOIN actor_keys f ON f.key = name_key(r."from")
            LEFT JOIN actor_keys t ON t.key = name_key(r."to")""",
        )
        say("reading relations.csv, with each claim's actors")
        line = _read(db, "raw", folder / "relations.csv", claim_columns,
                     (*CLAIM_COLUMNS, *OPTIONAL_COLUMNS), codes, report)  # fmt: skip
        if line is None:
            return report
        say("checking every row, column by column")
        _check_claims(db, report, line)
        if report.has_errors and not skip_invalid:
            return report
        say("numbering relations, sources and edges; claims in edge order")
        _build(db, line)
        db.execute("CHECKPOINT")
    finally:
        db.close()
    return report


def _check_actors(db, report: Report, line: str) -> None:
    check = {"db": db, "report": report, "file": "actors.csv", "table": "actor_rows",
             "line": line}  # fmt: skip
    _flag(**check, column="id", kind="actor without id", condition="id = ''",
          message="'actor has no id'")  # fmt: skip
    _flag(**check, column="id", kind="duplicate actor id",
          condition="id <> '' AND row NOT IN (SELECT min(row) FROM actor_rows GROUP BY id)",
          message="'actor id \"' || id || '\" is used by an earlier row'")  # fmt: skip
    db.execute(
        """CREATE TEMP TABLE actors_valid AS
        SELECT row_number() OVER (ORDER BY row) - 1 AS code, id,
               CASE WHEN name = '' THEN id ELSE name END AS name,
               CASE WHEN type = '' THEN 'unknown' ELSE type END AS type, aliases, description
        FROM actor_rows WHERE NOT invalid"""
    )
    # Every spelling an actor answers to; ids win ties, then names, then aliases.
    db.execute(
        """CREATE TEMP TABLE actor_keys AS
        SELECT key, arg_min(code, rank) AS code FROM (
            SELECT name_key(id) AS key, code, 0 AS rank FROM actors_valid
            UNION ALL SELECT name_key(name), code, 1 FROM actors_valid
            UNION ALL SELECT name_key(unnest(string_split(aliases, ';'))), code, 2
                FROM actors_valid WHERE aliases <> '')
        WHERE key <> '' GROUP BY key"""
    )


def _check_claims(db, report: Report, line: str) -> None:
    check = {"db": db, "report": report, "file": "relations.csv", "line": line}
    _flag(**check, column="from", kind="missing from", condition='"from" = \'\'',
          message="'claim has no actor in from'")  # fmt: skip
    for column in ("from", "to"):
        _flag(**check, column=column, kind="unknown actor",
              condition=f'"{column}" <> \'\' AND {column}_code IS NULL',
              message=f"'unknown actor \"' || \"{column}\" || '\"'")  # fmt: skip
    _flag(**check, column="relation", kind="missing relation", condition="relation = ''",
          message="'claim has no relation'")  # fmt: skip
    _flag(**check, column="stance", kind="bad stance",
          condition="lower(stance) NOT IN ('', 'asserts', 'denies')",
          message="'stance \"' || stance || '\" is not one of: asserts, denies'")  # fmt: skip
    for column in ("start", "end", "published"):
        readable = f'iso_ok("{column}")'
        if column == "end":
            readable = f"({readable} OR lower(\"end\") = 'present')"
        _flag(**check, column=column, kind="unreadable date", condition=f"NOT {readable}",
              message=f"'cannot read the date \"' || \"{column}\" || "
                      f"'\" (expected {DATE_FORMATS})'")  # fmt: skip
    _flag(**check, column="start", kind="end without start",
          condition="\"end\" <> '' AND start = ''",
          message="'claim has an end but no start'")  # fmt: skip
    _flag(**check, column="end", kind="end before start",
          condition="start <> '' AND \"end\" <> '' AND iso_ok(start) AND "
                    "(iso_ok(\"end\") OR lower(\"end\") = 'present') "
                    "AND last_day_of(\"end\") < first_day(start)",
          message="'end \"' || \"end\" || '\" is before start \"' || start || '\"'")  # fmt: skip
    _flag(**check, column="url", kind="bad url",
          condition="url <> '' AND NOT regexp_matches(lower(url), '^https?://[^\\s]+$')",
          message="'\"' || url || '\" is not an http(s) address'")  # fmt: skip
    for column in ("quote", "source"):
        _flag(**check, column=column, kind=f"no {column}", condition=f"{column} = ''",
              message=f"'claim has no {column}'", severity="warning")  # fmt: skip


def _build(db, line: str) -> None:
    """The tables the engine reads: actors, codes, edges, claims (ordered by edge), in
    one pass over the claims' text; the rest reads their codes only."""
    db.execute(
        """CREATE TABLE actors AS SELECT code, id, name, type, aliases, description
        FROM actors_valid ORDER BY code"""
    )
    query = "SELECT DISTINCT name_key(relation) FROM raw WHERE NOT invalid ORDER BY 1"
    relations = [r for (r,) in db.execute(query).fetchall()]
    families = RelationFamilies.for_relations(np.array(relations, dtype=object), None)
    codes = pd.DataFrame(
        {
            "relation": relations,
            "relation_code": np.arange(len(relations), dtype=np.int32),
            "polarity": np.array([families.polarity_of(r) for r in relations], dtype=np.int8),
        }
    )
    db.register("relation_frame", codes)
    db.execute("CREATE TABLE relation_codes AS SELECT * FROM relation_frame")
    db.unregister("relation_frame")
    source = "CASE WHEN source = '' THEN '(no source)' ELSE source END"
    db.execute(
        f"""CREATE TABLE source_codes AS
        SELECT source, row_number() OVER (ORDER BY source) - 1 AS source_code
        FROM (SELECT DISTINCT {source} AS source FROM raw WHERE NOT invalid)"""
    )
    db.execute(
        """CREATE TABLE type_codes AS SELECT type, row_number() OVER (ORDER BY type) - 1
        AS type_code FROM (SELECT DISTINCT type FROM actors);
        CREATE TEMP TABLE actor_type AS SELECT a.code, t.type_code FROM actors a
        JOIN type_codes t ON t.type = a.type"""
    )
    # Each claim's codes (numbers only: narrow), from which edges and pairs are numbered.
    db.execute(
        """CREATE TEMP TABLE numbers AS
        SELECT r.row, r.from_code, coalesce(r.to_code, -1) AS to_code, rc.relation_code,
               rc.polarity, lower(r.stance) = 'denies' AS denies
        FROM raw r JOIN relation_codes rc ON rc.relation = name_key(r.relation)
        WHERE NOT r.invalid"""
    )
    db.execute(
        """CREATE TABLE edges AS
        SELECT row_number() OVER (ORDER BY from_code, to_code, relation_code) - 1 AS edge,
               from_code, to_code, relation_code
        FROM (SELECT DISTINCT from_code, to_code, relation_code FROM numbers
              WHERE to_code >= 0)"""
    )
    n_actors = db.execute("SELECT count(*) FROM actors").fetchone()[0]
    pair = f"least(n.from_code, n.to_code) * ({n_actors} + 1) + greatest(n.from_code, n.to_code)"
    # Pairs of actors asserted in both families: only their claims can contradict.
    db.execute(
        f"""CREATE TEMP TABLE mixed_pairs AS SELECT {pair} AS pair FROM numbers n
        WHERE n.polarity <> 0 AND NOT n.denies AND n.to_code >= 0 GROUP BY 1
        HAVING bool_or(n.polarity > 0) AND bool_or(n.polarity < 0)"""
    )
    db.execute(
        f"""CREATE TEMP TABLE claim_numbers AS
        SELECT n.*, coalesce(e.edge, -1) AS edge, {pair} AS pair,
               n.polarity <> 0 AND NOT n.denies AND n.to_code >= 0
                   AND {pair} IN (SELECT pair FROM mixed_pairs) AS mixed
        FROM numbers n LEFT JOIN edges e ON e.from_code = n.from_code
             AND e.to_code = n.to_code AND e.relation_code = n.relation_code"""
    )
    db.execute("DROP TABLE numbers")
    db.execute(
        f"""CREATE TABLE claims AS
        SELECT n.row, n.edge, n.from_code, n.to_code, ta.type_code AS from_type,
               coalesce(tb.type_code, -1) AS to_type, n.relation_code, sc.source_code,
               n.denies,
               CAST(CASE WHEN r.start = '' THEN NULL ELSE first_day(r.start) END AS BIGINT)
                   AS start_day,
               CAST(CASE WHEN r.start = '' THEN NULL
                    WHEN r."end" = '' THEN last_day_of(r.start)
                    ELSE last_day_of(r."end") END AS BIGINT) AS end_day,
               n.pair, n.polarity, n.polarity > 0 AS positive, 'r' || n.row AS claim_id,
               r.quote, r.source,
               CASE WHEN r.stance = '' THEN 'asserts' ELSE lower(r.stance) END AS stance,
               r.start, r."end", r.document, r.url, r.published, false AS verified,
               r.{line} AS line, 1 AS row_claims,
               CAST(DATE '1970-01-01' + CAST(start_day AS INTEGER) AS TIMESTAMP)
                   AS span_start,
               n.mixed
        FROM claim_numbers n JOIN raw r ON r.row = n.row
        JOIN actor_type ta ON ta.code = n.from_code
        LEFT JOIN actor_type tb ON tb.code = n.to_code
        JOIN source_codes sc ON sc.source = CASE WHEN r.source = '' THEN '(no source)'
            ELSE r.source END
        ORDER BY n.edge, n.row"""
    )
    db.execute("DROP TABLE raw")
