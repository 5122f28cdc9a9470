"""Read a delimited text file into a frame of strings, keeping each row's line number.

Two readers give the same table. The fast one (:mod:`fast_reader`: pyarrow's parser,
lines from the bytes) reads well-formed UTF-8 files; it declines anything unusual. The
careful one here, the standard library's ``csv`` module row by row, reads the rest: it
reports where each record starts (a quoted field may span lines) and sees ragged rows,
bad encodings and the like, each with its file, line and column. On a 323 MB, 1M-row
file: careful 10-20 s with the string columns built, fast about 2 s.

Set :data:`CHECK_FAST_PATH` to read every file both ways and fail loudly where they
differ (the test suite does, for every file it reads).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .files import DataFolder, read_input
from .report import Report

# A cell of 10,000+ characters is legitimate (long quotations); the default limit is 128 KiB.
_FIELD_SIZE_LIMIT = 64 * 1024 * 1024
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body")
# No real table is this wide; a header of 100,000 columns took a minute to check.
MAX_COLUMNS = 1000
_LINE_ENDS = re.compile(r"\r\n|\r|\n")
_LINE_ENDS_BYTES = re.compile(rb"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class RawTable:
    """The cells of one file as stripped strings, and the line each row starts on."""

    file: str
    frame: pd.DataFrame
    lines: np.ndarray
    header_line: int = 1
    bad_lines: frozenset[int] = frozenset()  # rows with errors (too many fields)

    def __len__(self) -> int:
        return len(self.frame)


DEFAULT_MISSING = ("NA", "N/A", "null", "-")
DELIMITERS = (",", ";", "\t", "|")
PROGRESS_LINES = 100_000  # files this long show a progress bar when asked to
CHECK_FAST_PATH = False  # read with both readers and compare (tests)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file. ``delimiter=None`` detects it from the header line; cells
    equal to one of ``missing`` (after trimming white space) read as empty."""

    delimiter: str | None = None
    encoding: str = "utf-8"
    header: bool = True
    missing: tuple[str, ...] = DEFAULT_MISSING


def read_table(
    path: Path,
    name: str,
    report: Report,
    options: ReadOptions | None = None,
    progress: bool = False,
    folder: DataFolder | None = None,
) -> RawTable | None:
    """Read ``path`` (reported as ``name``); return None when it cannot be read at all.

    Problems go to ``report``; a returned table may still contain bad rows, which the
    callers validate column by column. ``folder`` confines reading to the data folder.
    """
    options = options or ReadOptions()
    data = read_input(path, name, report, folder)
    if data is None:
        return None
    table = _read_fast(data, name, options, progress)
    if table is None:
        table = _read_careful(data, name, report, options, progress)
    elif CHECK_FAST_PATH:
        scratch = Report()
        _check_agreement(table, _read_careful(data, name, scratch, options, progress), scratch)
    del data  # the bytes of a large file: no longer needed
    if table is not None and options.missing:
        missing = set(options.missing)
        for column in table.frame.columns:
            values = table.frame[column]
            hits = values.isin(missing).to_numpy()
            if hits.any():
                table.frame[column] = values.mask(hits, "")
    return table


def _read_fast(data: bytes, name: str, options: ReadOptions, progress: bool) -> RawTable | None:
    from .fast_reader import read_fast

    lines = data.count(b"\n") if progress else 0
    bar = _progress_bar(name, lines) if lines >= PROGRESS_LINES else None
    try:
        return read_fast(data, name, options)
    finally:
        if bar is not None:
            bar.update(lines)
            bar.close()


def _read_careful(
    data: bytes, name: str, report: Report, options: ReadOptions, progress: bool
) -> RawTable | None:
    text = _decode(data, name, report, options.encoding)
    if text is None:
        return None
    delimiter = options.delimiter or detect_delimiter(text)
    return _parse(text, name, report, delimiter, options.header, progress)


def _check_agreement(fast: RawTable, careful: RawTable | None, report: Report) -> None:
    """Both readers gave ``fast`` and ``careful``: they must be the same table, and the
    careful one must have found nothing to report (or the fast one should have declined)."""
    assert careful is not None, f"{fast.file}: the fast reader read what the careful one refused"
    assert not report.problems, f"{fast.file}: the fast reader missed {report.format()}"
    assert fast.header_line == careful.header_line, (fast.header_line, careful.header_line)
    assert fast.bad_lines == careful.bad_lines
    assert fast.lines.tolist() == careful.lines.tolist(), f"{fast.file}: lines differ"
    assert list(fast.frame.columns) == list(careful.frame.columns)
    for column in fast.frame.columns:
        a, b = fast.frame[column].tolist(), careful.frame[column].tolist()
        assert a == b, f"{fast.file}: column {column} differs"


# The first bytes of files that are often saved with a .csv name by mistake.
_NOT_CSV = {
    b"PK\x03\x04": "a zip archive (an .xlsx or .ods spreadsheet?): save the sheet as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) file: save the sheet as CSV",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def line_at(text: str | bytes, offset: int) -> int:
    """The line (from 1) holding ``offset``, counting CRLF, LF and a lone CR (old Macs) as
    line ends.

    >>> line_at(b"a\\rb\\rc\\r\\x00", 6), line_at("a\\r\\nb\\nc", 5)
    (4, 3)
    """
    pattern = _LINE_ENDS_BYTES if isinstance(text, bytes) else _LINE_ENDS
    return len(pattern.findall(text, 0, offset)) + 1


def _decode(data: bytes, name: str, report: Report, encoding: str) -> str | None:
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        report.error(name, None, None, "file is empty", kind="file is empty")
        return None
    for magic, what in _NOT_CSV.items():
        if data.startswith(magic):
            report.error(name, None, None, f"this is {what}, not a CSV text file", kind="not CSV")
            return None
    wide = encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32"))
    if data.startswith(_UTF16_MARKS) and not wide:
        report.error(
            name,
            None,
            None,
            "this file is UTF-16 text: save it as UTF-8, or pass --encoding utf-16",
            kind="UTF-16",
        )
        return None
    nul = -1 if wide else data.find(b"\x00")
    if nul >= 0:
        report.error(
            name,
            line_at(data, nul),
            None,
            f"binary data (a NUL byte at byte offset {nul}): this is not a CSV text file",
            kind="binary file",
        )
        return None
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codecs.lookup(codec).name)
    except (LookupError, ValueError) as exc:  # ValueError: a NUL in the name
        if not isinstance(exc, UnicodeError):
            report.error(
                name, None, None, f'unknown text encoding "{encoding}"', kind="unknown encoding"
            )
            return None
        start = exc.start if isinstance(exc, UnicodeDecodeError) else None
        where = f" at byte offset {start} ({exc.reason})" if start is not None else f" ({exc})"
        report.error(
            name,
            line_at(data, start) if start is not None else None,
            None,
            f"not valid {encoding}{where}; "
            "save the file as UTF-8, or name its encoding with --encoding",
            kind="invalid encoding",
        )
        return None
    # Some decoders (utf-7, unicode-escape) let half a surrogate pair through; no text has one.
    if surrogate := _SURROGATE.search(text):
        report.error(
            name,
            line_at(text, surrogate.start()),
            None,
            f"not valid {encoding}: it decodes to half a character "
            f"(U+{ord(surrogate.group()):04X}, a lone surrogate); "
            "save the file as UTF-8, or name its encoding with --encoding",
            kind="invalid encoding",
        )
        return None
    head = text.lstrip()[:1024].lower()
    if head.startswith(_HTML_MARKERS) or "<html" in head:
        report.error(
            name, 1, None, "this is an HTML page, not a CSV file", kind="HTML instead of CSV"
        )
        return None
    return text


def detect_delimiter(text: str) -> str:
    """The separator the header line uses most: comma, semicolon, tab or pipe.

    >>> detect_delimiter("from;to;relation\\nA;B;funds"), detect_delimiter("a\\tb\\n")
    (';', '\\t')
    """
    first = _LINE_ENDS.split(text.lstrip("\ufeff"), 1)[0]
    try:
        fields = {d: len(next(csv.reader([first], delimiter=d))) for d in DELIMITERS}
    except (csv.Error, StopIteration):
        return ","
    best = max(DELIMITERS, key=lambda d: (fields[d], d == ","))
    return best if fields[best] > 1 else ","


def _records(
    text: str, name: str, report: Report, delimiter: str, has_header: bool, progress: bool
):
    """The header, its line, the data rows and the line each starts on; None if malformed."""
    csv.field_size_limit(_FIELD_SIZE_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []
    header: list[str] | None = None
    header_line = 0
    last_line = 0
    total_lines = text.count("\n") if progress else 0
    bar = _progress_bar(name, total_lines) if total_lines >= PROGRESS_LINES else None
    try:
        for row in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(row):
                continue  # a blank line, or only separators: no claim here
            if not rows and header is None and len(row) > MAX_COLUMNS:
                report.error(
                    name,
                    start,
                    None,
                    f"{len(row):,} columns in the {'header' if has_header else 'first row'}: "
                    f"more than {MAX_COLUMNS:,} cannot be a table of claims or actors "
                    "(is the separator right? see --delimiter)",
                    kind="too many columns",
                )
                return None
            if header is None and has_header:
                header, header_line = row, start
                continue
            rows.append(row)
            starts.append(start)
            if bar is not None and len(rows) % 20_000 == 0:
                bar.update(reader.line_num - bar.n)
    except csv.Error as exc:
        start = last_line + 1
        detail = (
            "a quoted field that starts on this line is never closed"
            if "unexpected end of data" in str(exc)
            else f"{exc} (reading stopped at line {reader.line_num})"
        )
        report.error(name, start, None, f"malformed CSV: {detail}", kind="malformed CSV")
        return None
    finally:
        if bar is not None:
            bar.update(total_lines - bar.n)
            bar.close()
    return header, header_line, rows, starts


def _progress_bar(name: str, total_lines: int):
    from tqdm import tqdm

    return tqdm(
        total=total_lines, desc=f"Reading {name}", unit=" lines", unit_scale=True, leave=False
    )


def _parse(
    text: str, name: str, report: Report, delimiter: str, has_header: bool, progress: bool = False
) -> RawTable | None:
    records = _records(text, name, report, delimiter, has_header, progress)
    if records is None:
        return None
    header, header_line, rows, starts = records
    if header is None and not rows:
        report.error(name, None, None, "file is empty", kind="file is empty")
        return None
    if header is None:
        width = max(len(r) for r in rows)
        header = [str(i + 1) for i in range(width)]
    header = [h.strip().lstrip("\ufeff") for h in header]
    if not _check_header(header, name, header_line, report):
        return None
    bad = _fit_rows(rows, starts, header, name, report)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    frame = pd.DataFrame(
        {
            h: pd.Series([cell.strip() for cell in col], dtype="str")
            for h, col in zip(header, columns, strict=True)
        },
        index=pd.RangeIndex(len(rows)),
    )
    lines = np.asarray(starts, dtype=np.int64)
    # Rows of white space only are blank lines too.
    blank = np.logical_and.reduce([frame[h].to_numpy() == "" for h in header])
    if len(frame) and blank.any():
        frame, lines = frame[~blank].reset_index(drop=True), lines[~blank]
    if has_header and not len(frame):
        report.error(name, header_line, None, "the file has a header but no rows", kind="no rows")
        return None
    return RawTable(name, frame, lines, max(header_line, 1), bad)


def _check_header(header: list[str], name: str, line: int, report: Report) -> bool:
    ok = True
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            report.error(name, line, f"#{position}", "a column has no name in the header")
            ok = False
        elif column.casefold() in seen:
            report.error(
                name,
                line,
                column,
                f"duplicated column name (also column {seen[column.casefold()]})",
                kind="duplicated column",
            )
            ok = False
        else:
            seen[column.casefold()] = position
    return ok


def _fit_rows(
    rows: list[list[str]], starts: list[int], header: list[str], name: str, report: Report
) -> frozenset[int]:
    """Pad short rows and trim empty trailing cells, in place; report rows that do not fit.

    Returns the lines of rows with more (non-empty) fields than the header: errors.
    """
    width = len(header)
    bad: set[int] = set()
    for i, row in enumerate(rows):
        if len(row) == width:
            continue
        if len(row) < width:
            report.warning(
                name,
                starts[i],
                header[len(row)],
                f"row has {len(row)} fields but the header has {width}; "
                "the missing fields are read as empty",
                kind="short row",
            )
            rows[i] = row + [""] * (width - len(row))
        elif any(cell.strip() for cell in row[width:]):
            report.error(
                name,
                starts[i],
                f"#{width + 1}",
                f"row has {len(row)} fields but the header has {width}; "
                "a field may contain an unquoted separator",
                kind="long row",
            )
            bad.add(starts[i])
            rows[i] = row[:width]
        else:
            rows[i] = row[:width]
    return frozenset(bad)
