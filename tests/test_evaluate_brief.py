"""Brief scores (facts, alignment across articles, independent counts, conflicts, ROUGE) and the citation check."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import EvaluationError
from newsdesk.evaluate.brief import check_citations, evaluate_brief, rouge_n
from newsdesk.extraction import iter_extract
from newsdesk.model import Article
from newsdesk.sources import iter_documents

DEMO = Path(__file__).resolve().parents[1] / "demo"

TEXTS = {
    "en1": "Talks ended on Monday. The dam holds 14 billion cubic metres. Azmeria wants a veto.",
    "es1": "Las conversaciones terminaron el lunes. La presa tiene 14.000 millones de metros cúbicos.",
    "en2": "The reservoir could hold 17 billion cubic metres. Talks ended on Monday.",
    "x1": "A fire burned 900 hectares. Nobody died.",
    "x2": "The blaze burnt 1,200 hectares. Nobody died in the fire.",
}

GOLD = {
    "facts": [
        {
            "id": "A1",
            "story": "A",
            "fact": "talks ended on Monday",
            "kind": "statement",
            "evidence": {
                "en1": "Talks ended on Monday",
                "es1": "conversaciones terminaron el lunes",
                "en2": "ended on Monday",
            },
            "independent_sources": 3,
        },
        {
            "id": "A2",
            "story": "A",
            "fact": "the dam holds 14 billion m3",
            "kind": "said",
            "evidence": {"en1": "holds 14 billion cubic metres", "es1": "14.000 millones de metros cúbicos"},
            "independent_sources": 2,
        },
        {
            "id": "C1",
            "story": "C",
            "fact": "nobody died",
            "kind": "statement",
            "evidence": {"x1": "Nobody died", "x2": "Nobody died in the fire"},
            "independent_sources": 2,
        },
    ],
    "conflicts": [
        {
            "id": "CA1",
            "story": "A",
            "about": "capacity",
            "kind": "quantity",
            "sides": [
                {"value": "14 billion", "evidence": {"en1": "14 billion cubic metres"}},
                {"value": "17 billion", "evidence": {"en2": "17 billion cubic metres"}},
            ],
        },
        {
            "id": "CC1",
            "story": "C",
            "about": "area burnt",
            "kind": "quantity",
            "sides": [
                {"value": "900 ha", "evidence": {"x1": "900 hectares"}},
                {"value": "1,200 ha", "evidence": {"x2": "1,200 hectares"}},
            ],
        },
    ],
}

SUMMARIES = {
    "A": ["Talks ended on Monday.", "The dam holds 14 billion cubic metres."],
    "C": ["A fire burned 900 hectares.", "Nobody died."],
}


def span(article: str, text: str) -> dict[str, Any]:
    start = TEXTS[article].index(text)
    return {"article": article, "start": start, "end": start + len(text)}


def sentence(article: str, text: str) -> dict[str, Any]:
    return {"text": text, "sources": [span(article, text)]}


def fact(fid: str, cited: list[tuple[str, str]], independent: int, **extra: Any) -> dict[str, Any]:
    sources = [span(a, t) | {"text": t} for a, t in cited]
    return {"id": fid, "text": cited[0][1], "sources": sources, "independent_sources": independent} | extra


def conflict(*sides: tuple[str, str]) -> dict[str, Any]:
    return {"kind": "quantity", "about": "x", "sides": [{"value": t, "sources": [span(a, t)]} for a, t in sides]}


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    (tmp_path / "facts.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (tmp_path / "summaries.json").write_text(json.dumps(SUMMARIES), encoding="utf-8")
    return tmp_path


@pytest.fixture
def perfect() -> dict[str, Any]:
    talks = [
        ("en1", "Talks ended on Monday."),
        ("es1", "Las conversaciones terminaron el lunes."),
        ("en2", "Talks ended on Monday."),
    ]
    capacity = [
        ("en1", "The dam holds 14 billion cubic metres."),
        ("es1", "La presa tiene 14.000 millones de metros cúbicos."),
    ]
    deaths = [("x1", "Nobody died."), ("x2", "Nobody died in the fire.")]
    return {
        "stories": [
            {
                "id": "story-a",
                "articles": ["en1", "es1", "en2"],
                "summary": [
                    sentence("en1", "Talks ended on Monday.") | {"fact": "f1"},
                    sentence("en1", capacity[0][1]),
                ],
                "facts": [
                    fact("f1", talks, 3),
                    fact(
                        "f2",
                        capacity,
                        2,
                        conflicts=[conflict(("en1", "14 billion cubic metres"), ("en2", "17 billion cubic metres"))],
                    ),
                ],
                "timeline": [
                    {"date": "2025-03-03", "text": "Talks ended", "fact": "f1", "sources": [span("en1", "Talks")]}
                ],
                "quotes": [span("en1", "Azmeria wants a veto.") | {"text": "a veto", "direct": False}],
            },
            {
                "id": "story-c",
                "articles": ["x1", "x2"],
                "summary": [sentence("x1", "A fire burned 900 hectares."), sentence("x1", "Nobody died.")],
                "facts": [
                    fact("f3", deaths, 2, conflicts=[conflict(("x1", "900 hectares"), ("x2", "1,200 hectares"))]),
                ],
            },
        ]
    }


def test_perfect_brief_scores_one(gold_dir: Path, perfect: dict[str, Any]) -> None:
    result = evaluate_brief(perfect, gold_dir, TEXTS)
    facts, conflicts, summaries = result["facts"], result["conflicts"], result["summaries"]
    assert (facts["gold"], facts["covered"], facts["pairs"], facts["pairs_found"]) == (3, 3, 7, 7)
    for key in ("fact_recall", "pair_recall", "pair_precision", "independent_sources_accuracy"):
        assert facts[key] == 1.0, key
    assert (conflicts["recall"], conflicts["precision"], conflicts["kind_accuracy"]) == (1.0, 1.0, 1.0)
    assert (summaries["rouge1_f1"], summaries["rouge2_f1"]) == (1.0, 1.0)
    assert summaries["by_story"]["A"]["story"] == "story-a"
    assert result["gold_errors"] == []
    assert result["citations"] == {"problems": 0, "examples": []}
    assert check_citations(perfect, TEXTS) == []
    json.dumps(result)  # JSON-able


def test_fact_split_across_languages_loses_pair_recall(gold_dir: Path, perfect: dict[str, Any]) -> None:
    story = perfect["stories"][0]
    story["facts"][0] = fact("f1", [("en1", "Talks ended on Monday."), ("en2", "Talks ended on Monday.")], 2)
    story["facts"].append(fact("f1-es", [("es1", "Las conversaciones terminaron el lunes.")], 1))
    facts = evaluate_brief(perfect, gold_dir, TEXTS)["facts"]
    assert facts["fact_recall"] == 1.0
    assert facts["pairs_found"] == 6
    assert facts["pair_recall"] == round(6 / 7, 4)
    assert facts["pair_precision"] == 1.0
    assert facts["by_story"]["A"]["pair_recall"] == 0.8
    # the best part of the split fact says 2 outlets, gold says 3
    assert facts["independent_sources_accuracy"] == round(2 / 3, 4)


def test_wrong_independent_count_lowers_its_accuracy(gold_dir: Path, perfect: dict[str, Any]) -> None:
    perfect["stories"][1]["facts"][0]["independent_sources"] = 1
    facts = evaluate_brief(perfect, gold_dir, TEXTS)["facts"]
    assert facts["independent_sources_correct"] == 2
    assert facts["independent_sources_accuracy"] == round(2 / 3, 4)
    assert facts["pair_recall"] == 1.0


def test_extra_or_misplaced_article_lowers_pair_precision(gold_dir: Path, perfect: dict[str, Any]) -> None:
    deaths = perfect["stories"][1]["facts"][0]
    deaths["sources"].append(span("en1", "Azmeria wants a veto."))  # an article the gold does not list
    facts = evaluate_brief(perfect, gold_dir, TEXTS)["facts"]
    assert (facts["cited_articles"], facts["pair_precision"]) == (8, round(7 / 8, 4))
    assert facts["pair_recall"] == 1.0


def test_coverage_needs_half_the_evidence(gold_dir: Path) -> None:
    evidence = span("x1", "Nobody died")  # 11 characters
    half = {"article": "x1", "start": evidence["start"] + 5, "end": evidence["end"] + 1}  # 6 of 11
    less = {"article": "x1", "start": evidence["start"] + 6, "end": evidence["end"] + 1}  # 5 of 11
    for source, covered in ((half, 1), (less, 0)):
        brief = {"stories": [{"id": "s", "facts": [{"id": "f", "sources": [source], "independent_sources": 1}]}]}
        facts = evaluate_brief(brief, gold_dir, TEXTS)["facts"]
        assert facts["covered"] == covered
        assert facts["missed"] == ["A1", "A2", "C1"][: 3 - covered]


def test_conflict_needs_both_gold_sides(gold_dir: Path, perfect: dict[str, Any]) -> None:
    capacity = perfect["stories"][0]["facts"][1]
    capacity["conflicts"] = [conflict(("en1", "14 billion cubic metres"), ("en1", "The dam holds"))]
    capacity["conflicts"][0]["kind"] = "negation"
    conflicts = evaluate_brief(perfect, gold_dir, TEXTS)["conflicts"]
    assert (conflicts["found"], conflicts["recall"], conflicts["missed"]) == (1, 0.5, ["CA1"])
    assert (conflicts["predicted"], conflicts["matching"], conflicts["precision"]) == (2, 1, 0.5)
    # a match of the wrong kind is found but lowers the kind accuracy
    capacity["conflicts"] = [conflict(("en2", "17 billion cubic metres"), ("en1", "14 billion cubic metres"))]
    capacity["conflicts"][0]["kind"] = "negation"
    conflicts = evaluate_brief(perfect, gold_dir, TEXTS)["conflicts"]
    assert (conflicts["recall"], conflicts["kind_accuracy"]) == (1.0, 0.5)


def test_missing_gold_evidence_is_reported_and_left_out(gold_dir: Path, perfect: dict[str, Any]) -> None:
    gold = copy.deepcopy(GOLD)
    gold["facts"][2]["evidence"] = {"x1": "Everybody died", "nowhere": "Nobody died"}
    (gold_dir / "facts.json").write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate_brief(perfect, gold_dir, TEXTS)
    assert len(result["gold_errors"]) == 2
    assert any("C1" in e and "Everybody died" in e for e in result["gold_errors"])
    assert any("'nowhere'" in e for e in result["gold_errors"])
    assert (result["facts"]["gold"], result["facts"]["pairs"], result["facts"]["fact_recall"]) == (2, 5, 1.0)


def test_missing_gold_file_is_an_evaluation_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match=r"facts\.json"):
        evaluate_brief({"stories": []}, tmp_path, TEXTS)


def test_summaries_follow_the_story_holding_most_gold_articles(gold_dir: Path, perfect: dict[str, Any]) -> None:
    story_a, story_c = perfect["stories"]
    story_c["summary"] = [sentence("x1", "Nobody died.")]  # half the reference
    small_a = {"id": "story-a-bit", "articles": ["en2"], "summary": []}  # fewer of A's articles: ignored
    result = evaluate_brief({"stories": [small_a, story_c]}, gold_dir, TEXTS)["summaries"]
    assert result["by_story"]["A"] == {"story": "story-a-bit", "sentences": 0, "rouge1_f1": 0.0, "rouge2_f1": 0.0}
    r1 = rouge_n(["Nobody died."], SUMMARIES["C"], 1)
    assert result["by_story"]["C"]["rouge1_f1"] == round(r1, 4)
    assert result["rouge1_f1"] == round(round(r1, 4) / 2, 4)
    result = evaluate_brief({"stories": [small_a, story_a]}, gold_dir, TEXTS)["summaries"]
    assert result["by_story"]["A"]["story"] == "story-a"
    assert result["by_story"]["C"]["story"] is None


def test_rouge_uses_unicode_words_within_sentences() -> None:
    assert rouge_n(["Le café est chaud."], ["le café est froid"], 1) == pytest.approx(0.75)
    assert rouge_n(["Le café est chaud."], ["le café est froid"], 2) == pytest.approx(2 / 3)
    assert rouge_n(["café"], ["caf"], 1) == 0.0  # accented letters are part of the word
    assert rouge_n(["a b", "c d"], ["b c"], 2) == 0.0  # no bigram across a sentence boundary
    assert rouge_n([], ["a"], 1) == 0.0
    # clipped counts: a repeated word is matched as often as the reference has it
    assert rouge_n(["the the the"], ["the cat"], 1) == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))


def test_check_citations_flags_untraceable_text(perfect: dict[str, Any]) -> None:
    story = perfect["stories"][0]
    story["summary"][0]["sources"] = [span("en1", "Azmeria wants a veto.")]  # cites another sentence
    problems = check_citations(perfect, TEXTS)
    assert len(problems) == 1
    assert "story-a summary[0]" in problems[0]
    assert "none of its cited spans" in problems[0]


def test_check_citations_flags_bad_spans_and_references(perfect: dict[str, Any]) -> None:
    story = perfect["stories"][0]
    story["facts"][0]["sources"][0]["text"] = "Talks ended."  # differs from the span
    story["facts"][1]["sources"][1]["end"] = len(TEXTS["es1"]) + 5  # past the end
    story["facts"][1]["conflicts"][0]["sides"][1]["sources"][0]["article"] = "gone"
    story["timeline"][0]["sources"][0]["start"] = story["timeline"][0]["sources"][0]["end"]  # empty span
    perfect["stories"][1]["summary"][0]["sources"] = []
    problems = "\n".join(check_citations(perfect, TEXTS))
    assert "story-a fact f1: source text differs" in problems
    assert "story-a fact f2 source[1]: span" in problems
    assert "story-a fact f2 conflict[0] side[1] source[0]: unknown article 'gone'" in problems
    assert "story-a timeline[0] source[0]: span" in problems
    assert "story-c summary[0]: no sources" in problems
    assert len(problems.splitlines()) == 5
    assert check_citations({"nothing": 1}, TEXTS) == ["brief: no 'stories' list"]


def test_check_citations_accepts_text_inside_a_wider_span(perfect: dict[str, Any]) -> None:
    whole = {"article": "en1", "start": 0, "end": len(TEXTS["en1"])}
    perfect["stories"][0]["summary"][1] = {"text": "The dam  holds\n14 billion cubic metres.", "sources": [whole]}
    assert check_citations(perfect, TEXTS) == []


def test_demo_gold_evidence_occurs_in_the_demo_articles() -> None:
    corpus = DEMO / "corpus"
    texts = {a.id: a.text for a in iter_extract(iter_documents([corpus])) if isinstance(a, Article)}
    assert len(texts) == 12
    gold = json.loads((DEMO / "gold" / "facts.json").read_text(encoding="utf-8"))
    stories: dict[str, set[str]] = {}
    for item in gold["facts"]:
        assert 1 <= item["independent_sources"] <= len(item["evidence"]), item["id"]
        stories.setdefault(item["story"], set()).update(item["evidence"])
    evidence = [(item["id"], item["evidence"]) for item in gold["facts"]]
    evidence += [(item["id"], side["evidence"]) for item in gold["conflicts"] for side in item["sides"]]
    for where, pairs in evidence:
        for article, substring in pairs.items():
            assert texts[article].count(substring) == 1, (where, article, substring)
    assert set(stories) == {"A", "B", "C"}
    assert all(stories[c["story"]] >= set(s["evidence"]) for c in gold["conflicts"] for s in c["sides"])
    summaries = json.loads((DEMO / "gold" / "summaries.json").read_text(encoding="utf-8"))
    for story, sentences in summaries.items():
        assert 3 <= len(sentences) <= 5
        assert all(any(s in texts[a] for a in stories[story]) for s in sentences), story
    result = evaluate_brief({"stories": []}, DEMO / "gold", texts)
    assert result["gold_errors"] == []
    assert result["facts"]["gold"] == len(gold["facts"])


def test_facts_join_sentences_with_their_translations(shared_data: Path) -> None:
    from newsdesk.evaluate.brief import evaluate_translation_alignment

    scores = evaluate_translation_alignment(shared_data / "dev" / "clustering" / "meantime_airbus.jsonl")
    assert scores["pairs"] > 1000
    assert scores["precision"] >= 0.85  # a sentence rarely joins another's translation
    assert scores["recall"] >= 0.8  # and mostly meets its own, across en/es/it/nl


def test_two_sentences_join_the_translation_that_packs_them(shared_data: Path) -> None:
    from newsdesk.evaluate.brief import evaluate_block_alignment

    scores = evaluate_block_alignment(shared_data / "dev" / "clustering" / "meantime_airbus.jsonl")
    assert scores["packed_pairs"] > 1000
    assert scores["recall"] >= 0.65  # most pairs join the sentence that says both
    assert scores["false_join_rate"] <= 0.03  # a neighbour rarely joins a sentence that says one
