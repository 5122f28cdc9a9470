"""The fast way to read a well-formed CSV file: pyarrow's parser, with the line numbers
the report needs worked out from the bytes.

:func:`read_fast` returns a table only when it is sure to give what the careful reader
(:mod:`reader`, the standard library's ``csv`` row by row) gives: the same cells, the
same lines, and nothing to report. Anything unusual (another encoding, a NUL byte, a
lone carriage return, a quote that is not at the edge of a field, a ragged row, an odd
header) makes it return None, and the careful reader reads the file and reports what it
finds. ``tests/conftest.py`` makes every read in the test suite go both ways and checks
that they agree.

How the lines are found: in RFC 4180 CSV a quote opens or closes a quoted field, or is
half of a doubled quote inside one, so a newline lies inside a quoted field exactly when
an odd number of quotes precede it. The record-ending newlines are the others; a
record's line is one more than the newlines before its first byte. This is numpy over
the positions of quotes and newlines, not a loop over rows. The quotes are checked to
sit where RFC 4180 puts them (after a separator or a line start when opening, before one
when closing, or doubled); when one does not, the file goes to the careful reader.

>>> from dashboard.data.reader import ReadOptions
>>> table = read_fast(b'a,b\\n1,"x\\ny"\\n\\n 2 ,z\\n', "f.csv", ReadOptions())
>>> table.frame.to_dict("list"), table.lines.tolist(), table.header_line
({'a': ['1', '2'], 'b': ['x\\ny', 'z']}, [2, 5], 1)
>>> read_fast(b'a,b\\n1,x"y"\\n', "f.csv", ReadOptions()) is None  # a quote mid-field
True
"""

from __future__ import annotations

import csv
import io
import re
import sys

import numpy as np
import pandas as pd

from .columns import arrow_strings
from .reader import (
    _HTML_MARKERS,
    _NOT_CSV,
    _UTF16_MARKS,
    MAX_COLUMNS,
    RawTable,
    ReadOptions,
    detect_delimiter,
)

# Every character Python's str.strip() removes (the careful reader strips each cell so).
PYTHON_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
ASCII_WHITESPACE = "".join(c for c in PYTHON_WHITESPACE if c.isascii())
_UTF8_NAMES = ("utf-8", "utf8", "utf-8-sig")
_BOM = b"\xef\xbb\xbf"
_TEXT = re.compile(rb"[^ \t\r\n]")
_CHUNK = 1 << 26  # bytes scanned at a time for quotes and newlines: bounded memory
BLOCK_BYTES = 1 << 24  # bytes pyarrow parses at a time (a column comes in one piece per block)


def read_fast(data: bytes, name: str, options: ReadOptions) -> RawTable | None:
    """The table the careful reader would read from ``data``, or None if unsure."""
    if options.encoding.lower().replace("_", "-") not in _UTF8_NAMES:
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    if not _plain_text(data, start):
        return None
    whitespace = ASCII_WHITESPACE if data.isascii() else PYTHON_WHITESPACE
    line_end = data.find(b"\n", start)
    head = data[start : line_end if line_end >= 0 else len(data)]
    delimiter = options.delimiter or detect_delimiter(head.decode("utf-8", "replace"))
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
        return None
    records = _records(data, start, delimiter.encode())
    if records is None:
        return None
    starts, ends, lines, multiline = records
    if not len(starts):
        return None
    header_line = int(lines[0]) if options.header else 1
    first = data[starts[0] : ends[0]].decode("utf-8")
    fields = next(csv.reader(io.StringIO(first, newline=""), delimiter=delimiter, strict=True))
    if not any(fields) or len(fields) > MAX_COLUMNS or len(fields) < 2:
        return None
    if options.header:
        header = [h.strip().lstrip("\ufeff") for h in fields]
        if not all(header) or len({h.casefold() for h in header}) < len(header):
            return None
        body, lines = int(ends[0]) + 1, lines[1:]
        if not len(lines):
            return None
    else:
        header, body = [str(i + 1) for i in range(len(fields))], start
    columns = _parse(data, body, delimiter, len(header), multiline)
    if columns is None or len(columns[0]) != len(lines):
        return None
    columns = [_stripped(column, whitespace) for column in columns]
    del data
    blank = _all_empty(columns)
    if blank is not None:
        columns = [column.filter(~blank) for column in columns]
        lines = lines[~blank]
    if not len(lines):
        return None
    series = {}
    for h in header:  # each column's pieces let go as soon as it is one array
        series[h] = _as_series(columns.pop(0))
    frame = pd.DataFrame(series, index=pd.RangeIndex(len(lines)))
    return RawTable(name, frame, lines.astype(np.int64), header_line, frozenset())


def _plain_text(data: bytes, start: int) -> bool:
    """UTF-8 text with LF or CRLF line ends and nothing the careful reader reports."""
    if _TEXT.search(data, start) is None:
        return False
    if data.startswith(tuple(_NOT_CSV)) or data.startswith(_UTF16_MARKS):
        return False
    if b"\x00" in data:
        return False
    carriage_returns = data.count(b"\r")
    if carriage_returns and carriage_returns != data.count(b"\r\n"):
        return False  # a lone CR ends a line for the careful reader: let it count them
    if not data.isascii():
        try:
            data.decode("utf-8")  # exactly the careful reader's test (surrogates fail)
        except UnicodeDecodeError:
            return False
    head = data[start : start + 4096].decode("utf-8", "ignore").lstrip()[:1024].lower()
    return not (head.startswith(_HTML_MARKERS) or "<html" in head)


def _positions(data: bytes, byte: int) -> np.ndarray:
    """Where ``byte`` occurs in ``data``, scanned a chunk at a time."""
    view = np.frombuffer(data, dtype=np.uint8)
    found = [np.flatnonzero(view[i : i + _CHUNK] == byte) + i for i in range(0, len(view), _CHUNK)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _records(data: bytes, start: int, delimiter: bytes):
    """The byte range and line of each non-empty record, or None if a quote is misplaced."""
    quotes = _positions(data, ord('"'))
    newlines = _positions(data, ord("\n"))
    if len(quotes) and not _quotes_well_placed(data, quotes, delimiter[0]):
        return None
    inside = np.searchsorted(quotes, newlines) % 2 == 1  # odd quotes before: in a field
    ends = newlines[~inside]
    if not len(ends) or ends[-1] != len(data) - 1:
        ends = np.append(ends, len(data))  # the last record has no newline
    starts = np.concatenate([[start], ends[:-1] + 1])
    trimmed = ends.copy()
    view = np.frombuffer(data, dtype=np.uint8)
    has_cr = (ends > starts) & (view[np.maximum(ends - 1, 0)] == ord("\r"))
    trimmed[has_cr] -= 1
    keep = trimmed > starts
    lines = np.searchsorted(newlines, starts[keep]) + 1
    return starts[keep], trimmed[keep], lines, bool(inside.any())


def _quotes_well_placed(data: bytes, quotes: np.ndarray, delimiter: int) -> bool:
    """Every quote opens a field, closes one, or is doubled inside one (RFC 4180)."""
    if len(quotes) % 2:
        return False
    view = np.frombuffer(data, dtype=np.uint8)
    opening = np.arange(len(quotes)) % 2 == 0
    before = np.where(quotes > 0, view[np.maximum(quotes - 1, 0)], ord("\n"))
    after = np.where(quotes + 1 < len(view), view[np.minimum(quotes + 1, len(view) - 1)], 10)
    at_start = np.isin(before, [delimiter, ord("\n"), ord("\r")]) | (quotes == 0)
    at_end = np.isin(after, [delimiter, ord("\n"), ord("\r")]) | (quotes == len(view) - 1)
    # A doubled quote inside a field: a closing quote right before an opening one.
    doubled_next = np.zeros(len(quotes), dtype=bool)
    doubled_next[:-1] = quotes[1:] == quotes[:-1] + 1
    doubled_prev = np.zeros(len(quotes), dtype=bool)
    doubled_prev[1:] = doubled_next[:-1]
    ok_open = at_start | doubled_prev
    ok_close = at_end | doubled_next
    # A BOM's last byte before the first quote counts as a line start.
    ok_open |= quotes == len(_BOM) if data.startswith(_BOM) else False
    return bool(np.all(np.where(opening, ok_open, ok_close)))


def _parse(data: bytes, body: int, delimiter: str, width: int, multiline: bool):
    """The columns of the records from byte ``body`` on, as pyarrow string arrays."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(body)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=multiline,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                check_utf8=False,  # checked above, as Python checks it
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None  # a ragged row, mostly: the careful reader reports it
    return [table.column(i) for i in range(width)]


def _stripped(column, whitespace: str):
    """The cells without white space at either end, as Python's str.strip() has it.

    Most columns have none: their first and last characters are looked at first, so
    that a column is copied only when it has something to trim.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    spaces = pa.array(list(whitespace), type=pa.string())
    ends = [pc.utf8_slice_codeunits(column, 0, 1), pc.utf8_slice_codeunits(column, -1)]
    if not any(pc.any(pc.is_in(end, value_set=spaces)).as_py() for end in ends):
        return column
    if whitespace == ASCII_WHITESPACE:  # 6x quicker than utf8_trim
        return pc.ascii_trim(column, characters=whitespace)
    return pc.utf8_trim(column, characters=whitespace)


def _all_empty(columns) -> np.ndarray | None:
    """Rows whose every cell is empty (None if there are none)."""
    import pyarrow.compute as pc

    blank = pc.equal(pc.binary_length(columns[0]), 0)
    for column in columns[1:]:
        blank = pc.and_(blank, pc.equal(pc.binary_length(column), 0))
    blank = blank.to_numpy(zero_copy_only=False)
    return blank if blank.any() else None


def _as_series(column) -> pd.Series:
    """The column as one array, not the reader's pieces (one per block): pyarrow's
    ``take`` of a few rows from a column in pieces first joins them, a copy of the whole
    column (at 1M claims, opening an edge's evidence took 0.4 s and 0.6 GB)."""
    import pyarrow as pa

    one = pa.chunked_array([column.cast(pa.large_string()).combine_chunks()], pa.large_string())
    return pd.Series(one.to_pandas(types_mapper=arrow_strings), dtype="str")
