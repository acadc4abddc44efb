"""The extraction metric, and the dev-set score as a regression gate when ../shared is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.evaluate.extraction import evaluate_extraction, score_extraction, score_segments, shingles


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


def test_segments_count_found_and_wrongly_kept_lines() -> None:
    segments = {"a": (["the first  line", "a missed line"], ["Subscribe now"]), "b": ([], ["Home"])}
    score = score_segments(
        {"a": "Intro. The first line\nthe first line, then Subscribe now", "b": "Home page"}, segments
    )
    assert (score.tp, score.fn, score.fp) == (1, 1, 2)  # case matters, spacing does not
    assert score.f1 == pytest.approx(2 / (2 + 2 + 1))


@pytest.mark.shared
@pytest.mark.parametrize("page_set", ["scrapinghub", "modern"])
def test_dev_extraction_never_worse_than_trafilatura_alone(shared_data: Path, page_set: str) -> None:
    """On each dev set and on each half of it, both metrics: what newsdesk adds may only remove junk."""
    results = evaluate_extraction(shared_data / "dev" / "extraction" / page_set)
    ours, alone = results["newsdesk"], results["trafilatura"]
    assert ours["returned"] >= alone["returned"]  # every page trafilatura extracts comes back
    for metric in ("shingles", "segments"):
        if metric in alone:
            assert ours[metric]["f1"] >= alone[metric]["f1"], metric
            assert all(o >= a for o, a in zip(ours[f"{metric}_halves"], alone[f"{metric}_halves"], strict=True))
    assert ours["shingles"]["f1"] >= {"scrapinghub": 0.97, "modern": 0.935}[page_set]


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


def test_rated_pairs_score_sharing_a_story() -> None:
    from newsdesk.evaluate.streams import RatedPair, pair_scores

    pairs = [
        RatedPair("a", "b", True, "en-en"),
        RatedPair("c", "d", True, "de-en"),
        RatedPair("a", "e", False, "en-en"),
        RatedPair("f", "g", False, "es-es"),
    ]
    stories = {"a": "s1", "b": "s1", "c": "s2", "d": "s3", "e": "s1", "f": "s4"}  # g was not returned
    scores = pair_scores(stories, pairs)
    assert (scores["precision"], scores["recall"]) == (0.5, 0.5)  # a-e wrongly together, c-d apart
    assert scores["pairs"] == 4


def test_same_story_groups_join_rated_pairs_transitively() -> None:
    from newsdesk.evaluate.same_event import same_story_groups
    from newsdesk.evaluate.streams import RatedPair

    rated = [RatedPair("a", "b", True, "en-en"), RatedPair("b", "c", True, "en-de"), RatedPair("c", "d", False, "")]
    groups = same_story_groups(["a", "b", "c", "d", "e"], rated)
    assert groups[0] == groups[1] == groups[2]
    assert len({groups[0], groups[3], groups[4]}) == 3


def test_a_synthetic_fortnight_is_the_same_for_a_seed_and_names_the_head_of_state() -> None:
    from newsdesk.evaluate.streams import HEAD_OF_STATE, fortnight
    from newsdesk.model import Article

    articles = [
        Article(id=f"{t}-{k}", text=f"Report {k} of event {t}.\nMore on {t}.") for t in range(12) for k in range(6)
    ]
    gold = [f"{t}_ecb" if t % 2 else f"{t - 1}_ecbplus" for t in range(12) for _ in range(6)]
    first, labels = fortnight(articles, gold, seed=3)
    again, _ = fortnight(articles, gold, seed=3)
    assert [a.text for a in first] == [a.text for a in again]
    assert len(first) == 50
    assert len(set(labels)) == 10
    assert {a.outlet for a in first} == {f"outlet-{k}" for k in range(1, 6)}
    days = sorted(a.published for a in first)
    assert days[0] >= "2024-03-04"
    assert days[-1] <= "2024-03-19"
    assert sum(HEAD_OF_STATE in a.text.split("\n")[1] for a in first) >= 30  # in the lead, most reports


def test_the_same_event_model_is_refitted_identically() -> None:
    import numpy as np

    from newsdesk.evaluate.same_event import Examples, fit_classifier
    from newsdesk.linking.same_event import FEATURE_NAMES

    rng = np.random.default_rng(0)
    examples = Examples("toy")
    for _ in range(400):
        row = rng.random(len(FEATURE_NAMES)).tolist()
        examples.add(row, row[0] + 0.2 * rng.random() > 0.6, 0)
    x, _ = examples.arrays()
    first, second = fit_classifier([examples]), fit_classifier([examples])
    assert np.array_equal(first.predict_proba(x), second.predict_proba(x))
    assert first.predict_proba(x)[:, 1][x[:, 0] > 0.9].mean() > 0.8  # monotone in the evidence
