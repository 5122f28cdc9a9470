"""The app factory: what the page offers before any callback runs."""

from __future__ import annotations

from dashboard.web import ids
from dashboard.web.app import create_app


def find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def test_stable_ids_are_on_the_page(bundled_dataset):
    layout = create_app(bundled_dataset).layout
    for component_id in ("network", "evidence", "time-range", "source-filter", "counts"):
        assert find(layout, component_id) is not None, component_id


def test_export_control_says_what_is_missing_without_a_browser(bundled_dataset, monkeypatch):
    message = "Image export needs Chromium or Google Chrome, and none was found."
    monkeypatch.setattr("dashboard.web.app.export_engine_problem", lambda: message)
    layout = create_app(bundled_dataset).layout
    assert find(layout, ids.EXPORT_FIGURE).disabled is True
    assert find(layout, ids.EXPORT_STATUS).children == message
    assert getattr(find(layout, ids.EXPORT_CSV), "disabled", False) is False  # no browser needed


def test_export_control_is_ready_with_a_browser(bundled_dataset):
    layout = create_app(bundled_dataset).layout
    assert find(layout, ids.EXPORT_FIGURE).disabled is False
    assert find(layout, ids.EXPORT_STATUS).children == ""


def test_app_is_safe_by_default(bundled_dataset):
    app = create_app(bundled_dataset)
    assert app.server.debug is False
    assert app.config.suppress_callback_exceptions is not True
