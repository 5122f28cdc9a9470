"""The fast reader (pyarrow) reads what the careful one (csv) reads, or declines.

Every file the test suite reads goes both ways (tests/conftest.py, ``both_readers``);
here, which files go fast, which do not, and random tables written every way.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data.claims import claim_ids
from dashboard.data.fast_reader import read_fast
from dashboard.data.reader import ReadOptions, _read_careful
from dashboard.data.report import Report


def both(data: bytes, options: ReadOptions | None = None):
    options = options or ReadOptions()
    report = Report()
    return read_fast(data, "f.csv", options), _read_careful(data, "f.csv", report, options, False)


def same(fast, careful) -> bool:
    return (
        fast.lines.tolist() == careful.lines.tolist()
        and fast.header_line == careful.header_line
        and fast.frame.astype(object).to_dict("list")
        == careful.frame.astype(object).to_dict("list")
    )


@pytest.mark.parametrize(
    "data",
    [
        b"from,to\nIran,Hamas\n",
        b"from,to\r\nIran,Hamas\r\n",
        b"\xef\xbb\xbffrom,to\nIran,Hamas",  # a BOM, no final newline
        b'from,to\n"Iran, the state","Ha\nmas"\nA,B\n',  # a field over two lines
        b'from,to\n"say ""no""",x\n',  # doubled quotes
        b"\n\nfrom,to\n\nIran,Hamas\n\n\nA,B\n",  # blank lines
        b"from,to\n , \nIran , Hamas\xc2\xa0\n",  # white space, and a no-break space
        b"from;to\nIran;Hamas\n",  # semicolons, detected
        b"from,to\n,\nA,B\n",  # a row of separators only
    ],
)
def test_well_formed_files_go_fast_with_the_same_cells_and_lines(data):
    fast, careful = both(data)
    assert fast is not None
    assert same(fast, careful)


def test_columns_read_in_many_blocks_are_one_array_each(monkeypatch):
    """pyarrow's take of a few rows from a column in pieces copies the whole column."""
    monkeypatch.setattr("dashboard.data.fast_reader.BLOCK_BYTES", 64)
    rows = "".join(f"Actor {i},Target {i}, quote {i} \n" for i in range(200))
    fast, careful = both(("from,to,quote\n" + rows).encode())
    assert same(fast, careful)
    for name in fast.frame.columns:
        assert fast.frame[name].array._pa_array.num_chunks == 1


@pytest.mark.parametrize(
    "data",
    [
        b'from,to\nIran,He said "no"\n',  # a quote inside an unquoted field
        b'from,to\n"Iran"x,Hamas\n',  # text after a closing quote
        b"from,to\rIran,Hamas\r",  # old Mac line ends
        b"from,to\nIran,Hamas,extra\n",  # a long row
        b"from,to\nIran\n",  # a short row
        b"from,from\nIran,Hamas\n",  # a duplicated column
        b"from,to\nIran,\x00\n",  # a NUL byte
        b"from,to\nIran,caf\xe9\n",  # not UTF-8
        b"from,to\n",  # no rows
        b'from,to\n"Iran,Hamas\n',  # a quote never closed
    ],
)
def test_unusual_files_go_to_the_careful_reader(data):
    assert read_fast(data, "f.csv", ReadOptions()) is None


def test_other_encodings_go_to_the_careful_reader():
    data = "from,to\nIran,café\n".encode("latin-1")
    assert read_fast(data, "f.csv", ReadOptions(encoding="latin-1")) is None


def test_files_without_a_header_read_the_same():
    fast, careful = both(b"Iran,Hamas,funds\nA,B,trains\n", ReadOptions(header=False))
    assert fast is not None and same(fast, careful)
    assert list(fast.frame.columns) == ["1", "2", "3"]


CELL = st.lists(st.sampled_from([*'ab ,;"\n\r\t\u00a0é\u200b', "\r\n"]), max_size=8).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    ending=st.sampled_from(["\n", "\r\n"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_written_tables_read_the_same_either_way(rows, ending, quoting):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=ending, quoting=quoting)
    writer.writerow(["from", "to", "quote"])
    writer.writerows(rows)
    data = out.getvalue().encode()
    fast, careful = both(data)
    if fast is not None:
        assert careful is not None and same(fast, careful)
    # What csv writes with LF or CRLF line ends and no lone CR is well-formed: it goes fast
    # unless the careful reader has something to say (blank rows, ragged...).
    lone_cr = data.count(b"\r") != data.count(b"\r\n")
    if not lone_cr and careful is not None and len(careful.frame):
        assert fast is not None


def test_claim_ids_are_those_of_before():
    """Pinned: ids computed by the row-by-row implementation this replaced."""
    cells = pd.DataFrame(
        {
            "from": ["Iran", "Iran", "Hamas", "Iran", "Iran"],
            "to": ["al-Qaeda", "al-Qaeda", "", "al-Qaeda", "al-Qaeda"],
            "relation": ["trains", "trains", "funds", "trains", "trains"],
            "quote": ["“Verbatim” — café", "“Verbatim” — café", "", "x", "“Verbatim” — café"],
        }
    )
    assert claim_ids(cells) == [
        "c0365ace7276d35ef",
        "c0365ace7276d35ef-2",
        "c4a1ff12aa026ce26",
        "cf8dbeab89c1b042c",
        "c0365ace7276d35ef-3",
    ]
    assert claim_ids(cells, pd.Series(["k1", "k1", "k2", "k1", "k3"])) == [
        "c8826aaa85c15cc16",
        "c8826aaa85c15cc16-2",
        "c90073863b5e508b7",
        "c8826aaa85c15cc16-3",
        "c25a3ed4832660ee4",
    ]
    assert claim_ids(cells.iloc[:0]) == []


def test_claim_ids_of_many_rows_hash_in_batches(monkeypatch):
    monkeypatch.setattr("dashboard.data.claims.HASH_BATCH", 3)
    cells = pd.DataFrame({"from": list("abcabcab"), "to": list("xyzxyzxy")})
    ids = claim_ids(cells)
    assert ids[3] == ids[0] + "-2" and ids[6] == ids[0] + "-3" and len(set(ids)) == 8
    monkeypatch.setattr("dashboard.data.claims.HASH_BATCH", 100)
    assert claim_ids(cells) == ids
    assert np.all([len(i.split("-")[0]) == 17 for i in ids])
