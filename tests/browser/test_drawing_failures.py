"""A view that cannot be drawn says so on the map: never a blank page without a word."""

from __future__ import annotations

from dashboard.web.app import create_app
from tests.browser.helpers import choose_in_dropdown


def test_a_failed_view_shows_a_message_and_the_next_one_draws(
    dash_duo, bundled_dataset, monkeypatch
):
    import dashboard.web.callbacks as callbacks

    real = callbacks.build_step

    def fails_on_focus(view, *args, **kwargs):
        if view.state.focus is not None:
            raise ValueError("operands could not be broadcast together")
        return real(view, *args, **kwargs)

    monkeypatch.setattr(callbacks, "build_step", fails_on_focus)
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(bundled_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 66)")
    dash_duo.wait_for_element("#network .scatterlayer .trace")
    choose_in_dropdown(dash_duo, "focus-actor", "Hamas", "Hamas")
    dash_duo.wait_for_contains_text("#network", "This view could not be drawn (ValueError)")
    dash_duo.find_element("#reset").click()
    dash_duo.wait_for_element("#network .scatterlayer .trace")
    assert "could not be drawn" not in dash_duo.find_element("#network").text
    assert dash_duo.get_logs() == []
