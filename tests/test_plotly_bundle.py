"""The page's own Plotly (tools/plotly-bundle): the version the exports draw with, served
like Dash's bundles, and in the page in place of Plotly's full bundle."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.data import load_or_raise
from dashboard.web.app import PLOTLY_BUNDLE, create_app
from tests.conftest import BUNDLED

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dashboard" / PLOTLY_BUNDLE["relative_package_path"]
RECIPE = ROOT / "tools" / "plotly-bundle"


@pytest.fixture(scope="module")
def client():
    return create_app(load_or_raise(BUNDLED)).server.test_client()


def test_the_bundle_is_the_plotly_version_the_exports_use():
    banner = BUNDLE.read_text(encoding="utf-8")[:300]
    assert f"plotly.js v{get_plotlyjs_version()} " in banner
    pinned = json.loads((RECIPE / "package.json").read_text())["dependencies"]["plotly.js"]
    assert pinned == get_plotlyjs_version()
    locked = json.loads((RECIPE / "package-lock.json").read_text())
    assert locked["packages"]["node_modules/plotly.js"]["version"] == pinned


def test_the_page_loads_it_compressed_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    urls = [u for u in re.findall(r'src="([^"]+)"', page) if "plotly-map" in u]
    assert len(urls) == 1 and urls[0].startswith("/_dash-component-suites/dashboard/")
    plain = client.get(urls[0], headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.data == BUNDLE.read_bytes()
    packed = client.get(urls[0], headers={"Accept-Encoding": "zstd"})
    assert packed.headers["Content-Encoding"] == "zstd"
    assert len(packed.data) < len(plain.data) / 2
    assert packed.cache_control.max_age == 31_536_000
    assert "package_data/plotly.min.js" not in page  # the full bundle is not in the page
