"""Fuzzing the loader: any mutation of a valid file loads or is reported, never crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import LoadOverrides, load_dataset
from dashboard.graph import Network
from dashboard.query.filters import FilterState, apply_filters
from tests.conftest import BUNDLED, write_data

VALID = (
    "\n".join((BUNDLED / "relations.csv").read_text(encoding="utf-8").splitlines()[:12]).encode()
    + b"\n"
)
ACTORS = (BUNDLED / "actors.csv").read_bytes()
# Bytes that make CSV and text decoding hard: quotes, separators, line ends, NUL, invalid UTF-8.
NASTY = st.sampled_from(
    [
        b'"',
        b",",
        b";",
        b"\t",
        b"\n",
        b"\r",
        b"\r\n",
        b"\x00",
        b"\xff",
        b"\xe9",
        b"\xef\xbb\xbf",
        b"=",
        b"<",
        b" ",
    ]
)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            data[position:position] = draw(st.one_of(NASTY, st.binary(min_size=1, max_size=8)))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "replace" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        else:
            chunk = data[position : position + draw(st.integers(1, 80))]
            data[position:position] = chunk
    return bytes(data)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=mutated(), skip_invalid=st.booleans())
def test_mutated_files_load_or_are_reported(tmp_path_factory, content, skip_invalid):
    folder = write_data(tmp_path_factory.mktemp("fuzz"), content, ACTORS)
    dataset, report = load_dataset(folder, LoadOverrides(skip_invalid=skip_invalid))
    if dataset is None:
        assert report.has_errors
        assert all(p.message for p in report.errors)
        return
    assert not report.has_errors
    claims = dataset.claims
    assert (claims["from_id"] != "").all() and (claims["relation"] != "").all()
    apply_filters(Network.from_dataset(dataset), FilterState())  # and it is usable


@pytest.mark.parametrize(
    "content", [b"", b"\n\n", b",,,\n", b'"', b"\x00", b"from\n", "\u2028".encode()]
)
def test_degenerate_files(tmp_path, content):
    dataset, report = load_dataset(write_data(tmp_path / "d", content, ACTORS))
    assert dataset is None and report.has_errors
