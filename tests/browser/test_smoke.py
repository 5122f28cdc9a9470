def test_page_loads_the_bundled_data_without_console_errors(explorer):
    explorer.wait_for_contains_text("#counts", "actors")
    assert "28 actors" in explorer.find_element("#counts").text
    assert explorer.get_logs() == []
