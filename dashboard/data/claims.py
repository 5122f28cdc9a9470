"""Claims: validate the rows of relations.csv, column by column, for all rows at once."""

from __future__ import annotations

from datetime import date
from hashlib import blake2b
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from . import dates
from .columns import arrow_column, arrow_strings, map_strings, map_values
from .report import Report

STANCES = ("asserts", "denies")
DEFAULT_STANCE = "asserts"
SAFE_URL_SCHEMES = ("http", "https")
# Dates outside these bounds load, with a warning: they are more likely typos or
# placeholders (9999-12-31 for "unknown") than claims about the year 7 or 2090.
EARLIEST_PLAUSIBLE_YEAR = 1000
PLAUSIBLE_YEARS_AHEAD = 5
PLACEHOLDER_YEAR = 9999
LINES_NAMED = 10  # an implausible-date warning names this many lines, then counts the rest


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s) address: the only kind we ever render as a link.

    >>> is_safe_url("https://www.state.gov/reports/")
    True
    >>> is_safe_url("javascript:alert(1)"), is_safe_url("data:text/html,x"), is_safe_url("//x")
    (False, False, False)
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_URL_SCHEMES and bool(parts.netloc) and url == url.strip()


def validate_claims(
    cells: pd.DataFrame,
    lines: np.ndarray,
    file: str,
    report: Report,
    today: date | None = None,
    date_order: str = "MDY",
    *,
    pivot: int = dates.TWO_DIGIT_PIVOT,
    published_separator: str | None = None,
    absent: frozenset[str] = frozenset(),
    keys: pd.Series | None = None,
    header_line: int | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Check every claim row (cells already mapped to our column names and stripped).

    Returns a frame with the normalised text columns plus ``span_start`` and
    ``span_end`` (first and last day the claim covers; NaT when undated),
    ``date_precision`` (``year``, ``month`` or ``day``, from the date texts; ``""`` when
    undated) and ``line``, and a boolean array marking the rows with errors. Errors and
    warnings go to ``report``; rows with errors are kept so that every problem in a file
    is reported in one pass.

    ``pivot`` places two-digit years (see :func:`dates.full_year`); a two-digit year
    that lands after ``today`` is a warning naming its rows. ``published_separator``
    lets a ``published`` cell hold several dates. Columns in ``absent`` are not in the
    file at all: for ``quote`` and ``source`` that is one warning, not one per row.
    With ``keys`` (one text per row), claims are duplicates only when their keys (and
    actors and relation) match, and their ids derive from the key.
    """
    invalid = np.zeros(len(cells), dtype=bool)

    def flag(mask: pd.Series | np.ndarray, severity: str, column: str, message, kind: str) -> None:
        rows = np.flatnonzero(np.asarray(mask))
        if severity == "error":
            invalid[rows] = True
        for i in rows:
            text = message(i) if callable(message) else message
            report.add(severity, file, int(lines[i]), column, text, kind)

    flag(cells["from"] == "", "error", "from", "claim has no actor in from", "missing from")
    relation = map_strings(cells["relation"], _normalise_relation)
    flag(relation == "", "error", "relation", "claim has no relation", "missing relation")

    stance = cells["stance"].str.lower().replace("", DEFAULT_STANCE)
    bad_stance = ~stance.isin(STANCES)
    flag(
        bad_stance,
        "error",
        "stance",
        lambda i: f'stance "{cells["stance"].iat[i]}" is not one of: {", ".join(STANCES)}',
        "bad stance",
    )

    spans = {}
    precision = {}
    for column, allow_present in (("start", False), ("end", True), ("published", False)):
        read = dates.read_column(
            cells[column],
            allow_present=allow_present,
            today=today,
            order=date_order,
            pivot=pivot,
            separator=published_separator if column == "published" else None,
        )
        spans[column] = (read.first, read.last)
        precision[column] = read.precision
        _warn_implausible_years(read.first, lines, column, file, report, today or date.today())
        formats = dates.describe_formats(allow_present, date_order)
        flag(
            read.bad,
            "error",
            column,
            lambda i, c=column, f=formats: (
                f'cannot read the date "{cells[c].iat[i]}" (expected {f})'
            ),
            "unreadable date",
        )
        _warn_future_years(cells[column], read, lines, file, column, report, today)
    start_first, start_last = spans["start"]
    end_last = spans["end"][1]
    has_end = (cells["end"] != "").to_numpy()
    has_start = (cells["start"] != "").to_numpy()
    flag(
        has_end & ~has_start,
        "error",
        "start",
        "claim has an end but no start",
        "end without start",
    )
    span_start = start_first
    span_end = np.where(has_end, end_last, start_last)
    flag(
        has_end & has_start & (end_last < start_first),
        "error",
        "end",
        lambda i: f'end "{cells["end"].iat[i]}" is before start "{cells["start"].iat[i]}"',
        "end before start",
    )

    url_ok = map_values(cells["url"], lambda u: u == "" or is_safe_url(u), bool)
    flag(
        ~url_ok,
        "error",
        "url",
        lambda i: f'"{cells["url"].iat[i]}" is not an http(s) address',
        "bad url",
    )

    for column in ("quote", "source"):
        missing = (cells[column] == "").to_numpy()
        # A column empty in every row (of several) is one fact, not a fault per row.
        if column in absent or (len(missing) > 1 and missing.all()):
            where = "has no" if column in absent else "has an empty"
            report.warning(
                file,
                header_line,
                column,
                f"the file {where} {column} column: no claim has a {column}",
                f"no {column} column",
            )
        else:
            flag(missing, "warning", column, f"claim has no {column}", f"no {column}")
    # Hashed as understood ("Trains" is "trains", no stance is "asserts"), so that the
    # claims CSV export, which writes them so, loads back with the same ids.
    ids, occurrence = hashed_ids(cells.assign(relation=relation, stance=stance), keys)
    # A duplicate's id is its first's with "-2", "-3", ... (hex digits hold no hyphen).
    duplicated = occurrence > 1
    if duplicated.any():
        base = ids.str.slice(0, 17).to_numpy()
        first_line = pd.Series(lines).groupby(base).transform("first")
        if keys is None:
            flag(
                duplicated,
                "warning",
                "from",
                lambda i: f"exact duplicate of the claim on line {first_line.iat[i]}",
                "duplicate claim",
            )
        else:
            flag(
                duplicated,
                "warning",
                "key",
                lambda i: (
                    f'same key "{keys.iat[i]}", actors and relation as the claim on line '
                    f"{first_line.iat[i]}"
                ),
                "duplicate key",
            )

    claims = cells.assign(relation=relation, stance=stance)
    claims["span_start"] = span_start
    claims["span_end"] = span_end
    end_precision = np.where(has_end, precision["end"], 0)
    coarsest = np.where(
        end_precision > 0, np.minimum(precision["start"], end_precision), precision["start"]
    )
    claims["date_precision"] = pd.Categorical.from_codes(coarsest, dates.PRECISIONS)
    claims["line"] = lines
    claims.index = pd.Index(ids, name="claim_id")
    return claims, invalid


def _warn_implausible_years(
    days: np.ndarray, lines: np.ndarray, column: str, file: str, report: Report, today: date
) -> None:
    """One warning per column and reason, naming the lines (not one warning per row)."""
    dated = ~np.isnat(days)
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    latest = today.year + PLAUSIBLE_YEARS_AHEAD
    reasons = [
        (years == PLACEHOLDER_YEAR, f"the year {PLACEHOLDER_YEAR}, a common placeholder"),
        (years < EARLIEST_PLAUSIBLE_YEAR, f"before the year {EARLIEST_PLAUSIBLE_YEAR}"),
        (
            (years > latest) & (years != PLACEHOLDER_YEAR),
            f"more than {PLAUSIBLE_YEARS_AHEAD} years after today ({today.isoformat()})",
        ),
    ]
    for mask, reason in reasons:
        rows = np.flatnonzero(dated & mask)
        if not len(rows):
            continue
        named = ", ".join(str(line) for line in lines[rows[:LINES_NAMED]])
        more = f" and {len(rows) - LINES_NAMED} more" if len(rows) > LINES_NAMED else ""
        report.warning(
            file,
            int(lines[rows[0]]),
            column,
            f"implausible date, {reason}, on {len(rows)} row{'s' * (len(rows) != 1)} "
            f"(line{'s' * (len(rows) != 1)} {named}{more}); loaded as written: check them",
            kind="implausible date",
        )


def claim_ids(cells: pd.DataFrame, keys: pd.Series | None = None) -> list[str]:
    """Stable ids from each row's content: the same claim keeps its id when rows move,
    across runs, machines and library versions (blake2b of the cells in column order).
    With ``keys``, from the key, the actors and the relation instead (a row naming
    several actors makes several claims with one key).

    Exact duplicates get ``-2``, ``-3``, ... in file order.

    >>> cells = pd.DataFrame({"from": ["A", "A"], "to": ["B", "B"], "relation": ["r", "r"]})
    >>> a, b = claim_ids(cells)
    >>> b == a + "-2", len(set(claim_ids(cells, pd.Series(["story 1/1", "story 2/1"])))) == 2
    (True, True)
    """
    return hashed_ids(cells, keys)[0].tolist()


HASH_BATCH = 100_000
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hashed_ids(cells: pd.DataFrame, keys: pd.Series | None = None) -> tuple[pd.Series, np.ndarray]:
    """:func:`claim_ids` as a string Series, and each row's occurrence (1 for the first
    of its content, 2 for its first duplicate, ...).

    The cells are joined by pyarrow, hashed by hashlib (one call per row: nothing else
    gives blake2b), and the hex ids built and counted with numpy, not per row in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = list(cells.columns) if keys is None else ["from", "to", "relation"]
    arrays = [arrow_column(cells[c]) for c in columns]
    if keys is not None:
        arrays.insert(0, arrow_column(keys))
    n = len(cells)
    digests = []
    for start in range(0, n, HASH_BATCH):  # a batch at a time: the joined text is a copy
        batch = [a.slice(start, HASH_BATCH).cast(pa.large_string()) for a in arrays]
        separator = pa.scalar("\x1f", pa.large_string())
        joined = pc.binary_join_element_wise(*batch, separator) if len(batch) > 1 else batch[0]
        texts = joined.cast(pa.large_binary()).to_pylist()
        digests += [blake2b(text, digest_size=8).digest() for text in texts]
    digests = b"".join(digests)
    digest_bytes = np.frombuffer(digests, dtype=np.uint8).reshape(n, 8)
    chars = np.empty((n, 17), dtype=np.uint8)
    chars[:, 0] = ord("c")
    chars[:, 1::2] = _HEX[digest_bytes >> 4]
    chars[:, 2::2] = _HEX[digest_bytes & 15]
    ids = pa.StringArray.from_buffers(
        n, pa.py_buffer(np.arange(0, 17 * (n + 1), 17, dtype=np.int32)), pa.py_buffer(chars)
    )
    occurrence = _occurrence(digest_bytes.view(np.uint64).ravel() if n else np.zeros(0, np.uint64))
    series = pd.Series(ids.to_pandas(types_mapper=arrow_strings), dtype="str")
    repeated = np.flatnonzero(occurrence > 1)
    if len(repeated):
        series.iloc[repeated] = [
            f"{base}-{count}"
            for base, count in zip(
                series.iloc[repeated].tolist(), occurrence[repeated].tolist(), strict=True
            )
        ]
    return series, occurrence


def _occurrence(values: np.ndarray) -> np.ndarray:
    """For each value, how many times it has occurred so far, itself included.

    >>> _occurrence(np.array([5, 3, 5, 5, 3], dtype=np.uint64)).tolist()
    [1, 1, 2, 3, 2]
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    run_start = np.ones(len(values), dtype=bool)
    run_start[1:] = ordered[1:] != ordered[:-1]
    position = np.arange(len(values))
    first_of_run = np.maximum.accumulate(np.where(run_start, position, 0))
    occurrence = np.empty(len(values), dtype=np.int64)
    occurrence[order] = position - first_of_run + 1
    return occurrence


FUTURE_LINES_SHOWN = 10


def _warn_future_years(
    values: pd.Series,
    read: dates.DateColumn,
    lines: np.ndarray,
    file: str,
    column: str,
    report: Report,
    today: date | None,
) -> None:
    """One warning per date text whose two-digit year put it after today, naming its rows."""
    rows = np.flatnonzero(read.future_two_digit)
    if not len(rows):
        return
    years = read.first[rows].astype("datetime64[Y]").astype(np.int64) + 1970
    today = today or date.today()
    # The pivot that reads this year's two digits and earlier as 20xx, the rest as 19xx.
    pivot = today.year % 100 + 1
    found = pd.DataFrame({"line": lines[rows], "year": years})
    for text, group in found.groupby(values.iloc[rows].to_numpy(), sort=False):
        text_lines = group["line"]
        shown = ", ".join(str(n) for n in text_lines.iloc[:FUTURE_LINES_SHOWN])
        more = len(text_lines) - FUTURE_LINES_SHOWN
        shown += f" and {more} more" if more > 0 else ""
        report.warning(
            file,
            int(text_lines.iloc[0]),
            column,
            f'"{text}" has a two-digit year that reads as {group["year"].iloc[0]}, after '
            f"today ({today.isoformat()}); on lines {shown}. If it means the 1900s, set "
            f"two_digit_pivot (e.g. --two-digit-pivot {pivot})",
            "two-digit year in the future",
        )


def _normalise_relation(text: str) -> str:
    return " ".join(text.split()).lower()
