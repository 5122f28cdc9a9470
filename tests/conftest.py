from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data"
HEADER = "from,to,relation,start,end,quote,source,stance,document,url,published\n"


def write_data(
    folder: Path,
    relations: str | bytes | None,
    actors: str | bytes | None = None,
    files: dict[str, str | bytes] | None = None,
) -> Path:
    """Write a data folder; str content is written as UTF-8 with newlines kept as given."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"relations.csv": relations, "actors.csv": actors, **(files or {})}
    for name, content in contents.items():
        if content is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path):
    def make(relations, actors=None, files=None) -> Path:
        return write_data(tmp_path / "data", relations, actors, files)

    return make
