"""The extraction metric, and the dev-set score as a regression gate when ../shared is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.evaluate.extraction import evaluate_extraction, score_extraction, shingles


def test_shingles_are_token_4grams() -> None:
    assert sum(shingles("one two three four five").values()) == 2
    assert shingles("too short") == {("too", "short"): 1}
    assert shingles("") == {}


def test_perfect_and_partial_scores() -> None:
    gold = {"a": "w1 w2 w3 w4 w5 w6 w7 w8", "b": "x1 x2 x3 x4 x5"}
    perfect = score_extraction(dict(gold), gold)
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.accuracy) == (1.0, 1.0, 1.0, 1.0)
    # page a: 5 gold shingles, prediction has the first 3 plus 2 junk shingles
    partial = score_extraction({"a": "w1 w2 w3 w4 w5 w6 j1 j2", "b": gold["b"]}, gold)
    assert partial.precision == pytest.approx((3 / 5 + 1.0) / 2)
    assert partial.recall == pytest.approx((3 / 5 + 1.0) / 2)
    assert partial.accuracy == 0.5


@pytest.mark.shared
def test_dev_extraction_beats_trafilatura(shared_data: Path) -> None:
    results = evaluate_extraction(shared_data / "dev" / "extraction" / "scrapinghub")
    ours, baseline = results["newsdesk"], results["trafilatura"]
    assert ours.pages == 91
    assert ours.f1 >= 0.97
    assert ours.f1 > baseline.f1 + 0.01


def test_event_gold_cuts_stories_at_gaps_between_dated_reports() -> None:
    from newsdesk.evaluate.stories import split_at_gaps
    from newsdesk.model import Article

    dates = ["2011-08-16", "2011-08-17", None, "2011-10-11", "2011-10-12", "2011-10-13", "2011-08-16"]
    articles = [Article(id=str(i), text="x", published=d) for i, d in enumerate(dates)]
    gold = ["cables"] * 6 + ["quake"]
    split = split_at_gaps(gold, articles)
    assert split[0] == split[1] != split[3]  # August and October are two events
    assert split[3] == split[4] == split[5]
    assert split[2] == split[3]  # the undated report goes with the larger part
    assert split[6] != split[0]  # other stories are never joined
