"""The bundled data set, curated from the seed article, checks clean and stays verbatim."""

from __future__ import annotations

from dashboard.data import load_dataset
from tests.conftest import BUNDLED

ARTICLE = BUNDLED / "documents" / "iran-al-qaeda-partners-in-terrorism.txt"


def test_bundled_data_checks_clean():
    dataset, report = load_dataset(BUNDLED)
    assert report.problems == [], report.format()
    assert len(dataset.claims) >= 30
    assert len(dataset.actors) >= 20
    assert not dataset.actors["auto_created"].any()


def test_every_quote_is_verified_against_the_shipped_article():
    dataset, _ = load_dataset(BUNDLED)
    assert dataset.claims["verified"].all()
    article = ARTICLE.read_text(encoding="utf-8")
    for quote in dataset.claims["quote"]:
        assert quote in article  # exact, not merely up to whitespace


def test_iranian_denial_is_a_denies_claim():
    dataset, _ = load_dataset(BUNDLED)
    denials = dataset.claims[dataset.claims["stance"] == "denies"]
    assert "Iranian mission to the United Nations" in set(denials["source"])
    assert ("iran", "al-qaeda") in set(zip(denials["from_id"], denials["to_id"], strict=True))


def test_bundled_data_spans_the_periods_the_article_gives():
    dataset, _ = load_dataset(BUNDLED)
    claims = dataset.claims
    assert {"1991", "1998-08", "2009"} <= set(claims["start"])
    assert (claims["end"] == "present").any()
    assert claims["span_start"].isna().any()  # undated claims exist too
    assert {"US State Department", "UN report", "9/11 Commission"} <= set(claims["source"])


def test_actors_carry_types_and_aliases():
    dataset, _ = load_dataset(BUNDLED)
    actors = dataset.actors
    assert "al Qaeda" in actors.loc["al-qaeda", "aliases"]
    assert "Revolutionary Guards" in actors.loc["irgc", "aliases"]
    assert actors["type"].nunique() >= 4
