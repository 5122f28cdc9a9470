"""Claims: validate the rows of relations.csv, column by column, for all rows at once."""

from __future__ import annotations

from datetime import date
from hashlib import blake2b
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from . import dates
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
) -> tuple[pd.DataFrame, np.ndarray]:
    """Check every claim row (cells already mapped to our column names and stripped).

    Returns a frame with the normalised text columns plus ``span_start`` and
    ``span_end`` (first and last day the claim covers; NaT when undated) and ``line``,
    and a boolean array marking the rows with errors. Errors and warnings go to
    ``report``; rows with errors are kept so that every problem in a file is reported
    in one pass.
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
    relation = pd.Series(_map_distinct(cells["relation"], _normalise_relation, str), cells.index)
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
    for column, allow_present in (("start", False), ("end", True), ("published", False)):
        first, last, bad = dates.parse_column(
            cells[column], allow_present=allow_present, today=today, order=date_order
        )
        spans[column] = (first, last)
        _warn_implausible_years(first, lines, column, file, report, today or date.today())
        formats = dates.describe_formats(allow_present, date_order)
        flag(
            bad,
            "error",
            column,
            lambda i, c=column, f=formats: (
                f'cannot read the date "{cells[c].iat[i]}" (expected {f})'
            ),
            "unreadable date",
        )
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

    url_ok = _map_distinct(cells["url"], lambda u: u == "" or is_safe_url(u), bool)
    flag(
        ~url_ok,
        "error",
        "url",
        lambda i: f'"{cells["url"].iat[i]}" is not an http(s) address',
        "bad url",
    )

    flag(cells["quote"] == "", "warning", "quote", "claim has no quote", "no quote")
    flag(cells["source"] == "", "warning", "source", "claim has no source", "no source")
    # Hashed as understood ("Trains" is "trains", no stance is "asserts"), so that the
    # claims CSV export, which writes them so, loads back with the same ids.
    ids = claim_ids(cells.assign(relation=relation, stance=stance))
    # A duplicate's id is its first's with "-2", "-3", ... (hex digits hold no hyphen).
    duplicated = np.fromiter(("-" in i for i in ids), dtype=bool, count=len(ids))
    if duplicated.any():
        first_line = pd.Series(lines).groupby([i.split("-")[0] for i in ids]).transform("first")
        flag(
            duplicated,
            "warning",
            "from",
            lambda i: f"exact duplicate of the claim on line {first_line.iat[i]}",
            "duplicate claim",
        )

    claims = cells.assign(relation=relation, stance=stance)
    claims["span_start"] = span_start
    claims["span_end"] = span_end
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


def claim_ids(cells: pd.DataFrame) -> list[str]:
    """Stable ids from each row's content: the same claim keeps its id when rows move,
    across runs, machines and library versions (blake2b of the cells in column order).

    Exact duplicates get ``-2``, ``-3``, ... in file order.
    """
    joined = [
        "\x1f".join(row) for row in zip(*(cells[c].tolist() for c in cells.columns), strict=True)
    ]
    digests = [blake2b(text.encode(), digest_size=8).hexdigest() for text in joined]
    occurrence = pd.Series(digests).groupby(digests).cumcount().to_numpy() + 1
    return [
        f"c{d}" if n == 1 else f"c{d}-{n}"
        for d, n in zip(digests, occurrence.tolist(), strict=True)
    ]


def _normalise_relation(text: str) -> str:
    return " ".join(text.split()).lower()


def _map_distinct(values: pd.Series, function, dtype) -> np.ndarray:
    """``values.map(function)``, calling ``function`` once per distinct value."""
    results = {value: function(value) for value in pd.unique(values)}
    return values.map(results).to_numpy(dtype=dtype)
