"""Claims, facts, independent sources, conflicts and the brief, on texts written for these tests
and on the demo corpus; every cited span must contain the text it supports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.model import Analysis, Article, Mention, Quantity, Quote
from newsdesk.reconcile import SourceInfo, align_claims, independent_key, split_claims

STRIKE = (
    "Ferry crews walk out\n"
    "Ferry crews in Westport walked out on Monday; the union said 1,200 members joined the strike. "
    "Mr. Solvang, the harbour master, said the port would stay open.\n"
    "Photo: Harbour News"
)


def _one_article(tmp_path: Path, text: str) -> Path:
    """A JSON Lines input holding one article "a" of Harbour News."""
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "a", "text": text, "outlet": "Harbour News"}) + "\n", encoding="utf-8")
    return path


def test_claims_split_sentences_and_clauses_and_skip_the_headline() -> None:
    claims = split_claims(Article("a", STRIKE, title="Ferry crews walk out"), None)
    assert [c.text for c in claims] == [
        "Ferry crews in Westport walked out on Monday;"[:-1],
        "the union said 1,200 members joined the strike.",
        "Mr. Solvang, the harbour master, said the port would stay open.",
    ]
    assert all(STRIKE[c.start : c.end] == c.text for c in claims)


def test_claims_carry_their_figures_and_speaker() -> None:
    text = "Ferry crews walked out on Monday. “We will not sail until the pay offer improves,” said Ingrid Solvang."
    start = text.index("We will")
    quote = Quote(start, text.index(",”"), text[start : text.index(",”")], True, "Ingrid Solvang", "person-1", "say")
    analysis = Analysis("a", text, quotes=[quote])
    claims = split_claims(Article("a", text), analysis)
    said = next(c for c in claims if "pay offer" in c.text)
    assert (said.speaker_entity, said.act, said.negated) == ("person-1", "said", True)


def _claims(article: str, text: str, quantities: list[Quantity] | None = None):
    analysis = Analysis(article, text, quantities=quantities or [])
    return split_claims(Article(article, text), analysis)


def test_copies_and_one_outlet_count_once_and_figures_conflict() -> None:
    texts = {
        "wire": "About 12,000 people were ordered to leave their homes on Thursday as the fire spread.",
        "copy": "About 12,000 people were ordered to leave their homes on Thursday as the fire spread.",
        "daily": "The fire forced 15,000 people to leave their homes on Thursday as it spread.",
        "daily2": "The fire forced 15,000 people to leave their homes on Thursday as it spread south.",
    }
    claims = []
    for article, text in texts.items():
        figure = "12,000" if "12,000" in text else "15,000"
        start = text.index(figure)
        quantity = Quantity(start, start + len(figure) + 7, text[start : start + len(figure) + 7], 0.0, "people")
        quantity.value = float(figure.replace(",", ""))
        claims += _claims(article, text, [quantity])
    sources = {
        "wire": SourceInfo("wire", "Wire"),
        "copy": SourceInfo("copy", "Aggregator", copy_of="wire"),
        "daily": SourceInfo("daily", "Daily"),
        "daily2": SourceInfo("daily2", "Daily"),
    }
    assert independent_key("copy", sources) == independent_key("wire", sources)
    vectors = np.tile(np.eye(1, 512, dtype=np.float32), (len(claims), 1))  # all say the same thing
    [fact] = align_claims(claims, vectors, sources)
    assert sorted(fact.articles) == sorted(texts)
    assert fact.independent_sources == 2  # the copy repeats the wire; the daily's second piece repeats it
    [conflict] = fact.conflicts
    assert conflict["kind"] == "quantity"
    sides = {side["value"]: {s["article"] for s in side["sources"]} for side in conflict["sides"]}
    assert sides == {12000.0: {"wire", "copy"}, 15000.0: {"daily", "daily2"}}


def test_unrelated_claims_stay_apart() -> None:
    claims = _claims("a", "Ferry crews walked out on Monday in Westport.") + _claims(
        "b", "The council approved a new library budget for the town."
    )
    vectors = np.eye(2, 512, dtype=np.float32)
    assert len(align_claims(claims, vectors, {})) == 2


def _at_cosine(cosine: float) -> np.ndarray:
    """Two unit vectors this close."""
    return np.array([[1.0, 0.0], [cosine, (1 - cosine**2) ** 0.5]], dtype=np.float32) @ np.eye(2, 512, dtype=np.float32)


def _named(article: str, text: str, names: dict[str, str]) -> list:
    mentions = [Mention(text.index(n), text.index(n) + len(n), n, "PERSON", e) for n, e in names.items()]
    return split_claims(Article(article, text), Analysis(article, text, mentions=mentions))


def test_close_sentences_without_a_shared_word_stay_apart() -> None:
    # Short generic sentences come close in meaning (cosine 0.8 here) without stating one fact.
    claims = _claims("a", "The alliance is ready to listen to its neighbours.") + _claims(
        "b", "The council sees room for progress this winter."
    )
    assert len(align_claims(claims, _at_cosine(0.8), {})) == 2
    # With a word in common, that closeness is the same statement.
    claims = _claims("a", "The alliance is ready to listen to its neighbours.") + _claims(
        "b", "The alliance said it would listen to the neighbours."
    )
    assert len(align_claims(claims, _at_cosine(0.8), {})) == 1


def test_a_shared_name_and_a_frequent_word_do_not_make_one_fact() -> None:
    first = "Such an attack would mean Vardan has chosen war, an analyst said on the radio."
    second = "Western sources warn that if the talks fail and Vardan attacks the border region, sanctions follow."
    names = {"Vardan": "person-vardan"}
    others = [  # the story keeps talking of attacks: the word tells none of its facts apart
        "The attack on the depot was the third this month.",
        "Officials said an attack on the bridge had been foiled.",
        "Residents feared another attack after the sirens sounded.",
    ]
    claims = _named("a", first, names) + _named("b", second, names)
    claims += [c for i, text in enumerate(others) for c in _claims(f"o{i}", text)]
    vectors = np.vstack([_at_cosine(0.56), np.eye(3, 512, 5, dtype=np.float32)])
    facts = align_claims(claims, vectors, {})
    assert not any({"a", "b"} <= set(f.articles) for f in facts)
    # Two rarer words of what happened, with the same closeness, make one.
    first = "The alliance offered talks on disarmament and transparency in exercises."
    second = "The coalition is ready to discuss disarmament control and greater transparency."
    assert len(align_claims(_claims("a", first) + _claims("b", second), _at_cosine(0.56), {})) == 1


def test_subheadings_are_not_claims() -> None:
    text = (
        "Crews return to work\n\nFerry crews went back to work on the northern routes on Tuesday.\n\n"
        "Union ready to talk\n\nThe union said it would meet the operator again next week."
    )
    claims = split_claims(Article("a", text, title="Crews return to work"), None)
    assert [c.text for c in claims] == [
        "Ferry crews went back to work on the northern routes on Tuesday.",
        "The union said it would meet the operator again next week.",
    ]


@pytest.fixture(scope="module")
def demo_corpus() -> Path:
    return Path(__file__).resolve().parents[1] / "demo" / "corpus"


@pytest.fixture(scope="module")
def demo_brief(demo_corpus: Path) -> dict:
    result = CliRunner().invoke(cli, ["brief", str(demo_corpus)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demo_texts(demo_corpus: Path) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["extract", str(demo_corpus)])
    return {r["id"]: r["text"] for r in map(json.loads, result.stdout.splitlines())}


def test_every_cited_span_contains_what_it_supports(demo_brief: dict, demo_texts: dict[str, str]) -> None:
    from newsdesk.evaluate.brief import check_citations

    assert check_citations(demo_brief, demo_texts) == []
    assert len(demo_brief["stories"]) == 3
    for story in demo_brief["stories"]:
        assert story["summary"]
        assert story["facts"]
        for item in [*story["summary"], *story["facts"], *story["timeline"]]:
            spans = [demo_texts[s["article"]][s["start"] : s["end"]] for s in item["sources"]]
            assert item["text"] in spans
        for fact in story["facts"]:
            for source in fact["sources"]:
                assert demo_texts[source["article"]][source["start"] : source["end"]] == source["text"]
            for conflict in fact["conflicts"]:
                for side in conflict["sides"]:
                    assert all(s["article"] in story["articles"] for s in side["sources"])


def test_demo_brief_counts_the_syndicated_copy_once(demo_brief: dict) -> None:
    talks = next(s for s in demo_brief["stories"] if "meridianpost-geneva-dam-talks" in s["articles"])
    copied = [
        f
        for f in talks["facts"]
        if {"meridianpost-geneva-dam-talks", "newsbuzz24-geneva-dam-talks"} <= {s["article"] for s in f["sources"]}
    ]
    assert copied
    for fact in copied:
        outlets = {s["article"] for s in fact["sources"]} - {"newsbuzz24-geneva-dam-talks"}
        assert fact["independent_sources"] <= len(outlets)


def test_references_point_at_listed_facts(demo_brief: dict) -> None:
    for story in demo_brief["stories"]:
        listed = {f["id"] for f in story["facts"]}
        for entry in [*story["summary"], *story["timeline"]]:
            assert entry["fact"] is None or entry["fact"] in listed


def test_demo_brief_finds_the_disputed_evacuation_figure(demo_brief: dict) -> None:
    fire = next(s for s in demo_brief["stories"] if "cpa-20250306-wandoon-fire" in s["articles"])
    values = {
        side["value"]
        for fact in fire["facts"]
        for conflict in fact["conflicts"]
        if conflict["kind"] == "quantity"
        for side in conflict["sides"]
    }
    assert {12000.0, 15000.0} <= values


def test_brief_formats_escape_hostile_article_text(tmp_path: Path) -> None:
    hostile = {
        "id": "x1",
        "title": "Harbour <script>alert(1)</script> strike",
        "text": "Ferry crews in Westport walked out on Monday <img src=x onerror=alert(1)> after pay talks failed. "
        "The union said about 1,200 members joined the strike at the harbour.",
        "published": "2025-03-03",
        "outlet": "Harbour News",
    }
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    runner = CliRunner()
    html = runner.invoke(cli, ["brief", str(path), "--format", "html"])
    assert html.exit_code == 0, html.stderr
    assert "<script>alert" not in html.stdout
    assert "<img src=x" not in html.stdout
    assert "&lt;script&gt;" in html.stdout
    markdown = runner.invoke(cli, ["brief", str(path), "--format", "markdown"])
    assert markdown.exit_code == 0
    assert "<img src=x" not in markdown.stdout
    assert "Ferry crews in Westport walked out" in markdown.stdout


def test_a_denial_of_what_another_source_states_is_a_conflict() -> None:
    stated = "Armoured columns crossed the border near Tallong at dawn, residents said."
    denied = "The defence ministry denied that armoured columns crossed the border near Tallong."
    claims = _claims("a", stated) + _claims("b", denied)
    claims[1].act = "denied"  # as the analysis marks "X denied that ..."
    sources = {"a": SourceInfo("a", "Daily"), "b": SourceInfo("b", "Wire")}
    [fact] = align_claims(claims, np.tile(np.eye(1, 512, dtype=np.float32), (2, 1)), sources)
    [conflict] = fact.conflicts
    assert conflict["kind"] == "negation"
    assert {side["value"]: side["sources"][0]["article"] for side in conflict["sides"]} == {"yes": "a", "denied": "b"}


def test_one_run_writes_each_out_file_in_the_format_of_its_extension(tmp_path: Path) -> None:
    text = "Ferry crews in Westport walked out on Monday after pay talks failed at the harbour."
    path = _one_article(tmp_path, text)
    outs = [tmp_path / "brief.json", tmp_path / "brief.md", tmp_path / "brief.html"]
    args = ["brief", str(path)] + [x for out in outs for x in ("--out", str(out))]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert json.loads(outs[0].read_text(encoding="utf-8"))["stories"][0]["articles"] == ["a"]
    assert outs[1].read_text(encoding="utf-8").startswith("#")
    assert "<html" in outs[2].read_text(encoding="utf-8").lower()


def test_a_long_sentence_offers_its_clauses_to_facts_of_their_own() -> None:
    from newsdesk.reconcile import Claim
    from newsdesk.reconcile.claims import parts

    text = (
        "The meeting, hosted by the regional water commission in Westport, brought the two ministers together "
        "for the first time since October, and both delegations agreed to meet again next week."
    )
    pieces = parts(Claim("a", 0, len(text), text, 0))
    assert len(pieces) >= 2
    assert all(piece in text for piece in pieces)
    assert parts(Claim("a", 0, 20, "Ferry crews walked out.", 0)) == []


def test_positions_separate_what_actors_demanded_from_what_outlets_state(tmp_path: Path) -> None:
    text = (
        "The Westport Dockworkers Union demanded a pay rise of eight percent for all harbour crews on Monday. "
        "Ferries to the islands were cancelled for the whole day because of the strike at the harbour."
    )
    path = _one_article(tmp_path, text)
    out = tmp_path / "brief.json"
    markdown = tmp_path / "brief.md"
    assert CliRunner().invoke(cli, ["brief", str(path), "-o", str(out), "-o", str(markdown)]).exit_code == 0
    [story] = json.loads(out.read_text(encoding="utf-8"))["stories"]
    facts = {f["id"]: f for f in story["facts"]}
    [position] = story["positions"]
    assert (position["kind"], "Dockworkers Union" in position["actor"]) == ("demanded", True)
    assert [facts[i]["text"] for i in position["facts"]] == [text.split(". ")[0] + "."]
    stated = [f for f in story["facts"] if f["attribution"] is None]
    assert [f["text"] for f in stated] == [text.split(". ")[1]]
    rendered = markdown.read_text(encoding="utf-8")
    assert "### Positions" in rendered
    assert "- demanded: The Westport Dockworkers Union demanded a pay rise" in rendered


def _unit_vectors(cosine: float) -> np.ndarray:
    """Two unit vectors this close."""
    return np.asarray([[1.0, 0.0] + [0.0] * 510, [cosine, (1 - cosine**2) ** 0.5] + [0.0] * 510], dtype=np.float32)


def test_paraphrases_sharing_word_stems_align_and_unrelated_ones_do_not() -> None:
    first = "Both sides agreed to set up an emergency hotline between civilian authorities and military commanders."
    second = "A civilian hotline for emergencies is to link the authorities, and military channels will be used."
    other = "The ferry operator said timetables would change from June for the summer season."
    sources = {"a": SourceInfo("a", "Daily"), "b": SourceInfo("b", "Wire")}
    facts = align_claims(_claims("a", first) + _claims("b", second), _unit_vectors(0.45), sources)
    assert [sorted(f.articles) for f in facts] == [["a", "b"]]  # emergenc-, hotline, civil-, authorit-, milit-
    facts = align_claims(_claims("a", first) + _claims("b", other), _unit_vectors(0.45), sources)
    assert len(facts) == 2


def test_a_figure_corrected_in_the_same_sentence_is_no_conflict() -> None:
    texts = {
        "a": "The reservoir will be filled in seven years and not in four, the ministers agreed.",
        "b": "The reservoir will be filled in four years, the ministry hoped before the talks.",
    }
    claims = []
    for article, text in texts.items():
        quantities = []
        for figure, value, unit in (("seven years", 7.0, "years"), ("four years", 4.0, "years"), ("four,", 4.0, None)):
            if figure in text:
                start = text.index(figure)
                quantity = Quantity(start, start + len(figure.rstrip(",")), figure.rstrip(","), value, unit)
                quantities.append(quantity)
        claims += _claims(article, text, quantities)
    sources = {"a": SourceInfo("a", "Daily"), "b": SourceInfo("b", "Wire")}
    [fact] = align_claims(claims, np.tile(np.eye(1, 512, dtype=np.float32), (2, 1)), sources)
    assert fact.conflicts == []
    texts["a"] = "The reservoir will be filled in seven years, the ministers agreed."
    start = texts["a"].index("seven years")
    claims = _claims("a", texts["a"], [Quantity(start, start + 11, "seven years", 7.0, "years")]) + claims[1:]
    [fact] = align_claims(claims, np.tile(np.eye(1, 512, dtype=np.float32), (2, 1)), sources)
    assert [c["kind"] for c in fact.conflicts] == ["quantity"]


def test_a_later_sentence_confirms_a_clause_of_an_earlier_one_and_stands_for_the_fact() -> None:
    long = (
        "The ministers agreed to reopen their embassies in both capitals, and they will set up "
        "a civilian hotline for emergencies between the two governments."
    )
    short = "A civilian hotline for emergencies will link the two governments."
    first, second = _claims("a", long), _claims("b", short)
    clause = first[0]  # the clause entry is the same sentence, offered with the clause's own vector
    vectors = np.eye(3, 512, dtype=np.float32)[[0, 1, 1]]  # whole sentence; its hotline clause; the later one
    facts = align_claims([first[0], clause, second[0]], vectors, {}, joins_only=[False, True, False])
    by_articles = {tuple(sorted(f.articles)): f for f in facts}
    assert set(by_articles) == {("a",), ("a", "b")}  # the sentence alone, and the hotline both report
    assert by_articles[("a", "b")].representative.article == "b"  # the sentence that states just that
    facts = align_claims([first[0], clause], vectors[:2], {}, joins_only=[False, True])
    assert [f.articles for f in facts] == [["a"]]  # an unconfirmed clause is no fact of its own


def test_summary_sentences_stand_alone() -> None:
    from newsdesk.reconcile import Claim
    from newsdesk.reconcile.brief import _readable

    def readable(text: str) -> bool:
        return _readable(Claim("a", 0, len(text), text, 0))

    assert not readable("He said the two sides had agreed to meet again in Geneva next week.")
    assert not readable("That demand is covered by one of the five proposals the mediator put on the table.")
    assert not readable("1) a guaranteed minimum release of 900 cubic metres per second in the summer;")
    assert not readable("Our partners studied the draft for almost a month and a half,” said the deputy minister.")
    assert readable("Ferry crews in Westport walked out on Monday after pay talks failed at the harbour.")
    assert readable("“We will not sail until the pay offer improves,” said Ingrid Solvang, who leads the crews.")


def test_a_noun_demand_is_no_position(tmp_path: Path) -> None:
    text = (
        "The Westport Dockworkers Union presented maximum demands to the port authority on Monday morning. "
        "The Westport Dockworkers Union also demands a pay rise of eight percent for all harbour crews."
    )
    path = _one_article(tmp_path, text)
    result = CliRunner().invoke(cli, ["brief", str(path)])
    [story] = json.loads(result.stdout)["stories"]
    demanded = [f["text"] for f in story["facts"] if (f["attribution"] or {}).get("kind") == "demanded"]
    assert demanded == [text.split(". ")[1]]  # "also demands" is the verb; "maximum demands" the noun


def test_soldiers_and_troops_count_the_same_thing() -> None:
    texts = {
        "a": "Russia has massed more than 100,000 soldiers near the border with Ukraine, officials said.",
        "b": "Russia has massed some 127,000 troops near the border with Ukraine, officials said.",
    }
    claims = []
    for article, text in texts.items():
        figure = "100,000 soldiers" if article == "a" else "127,000 troops"
        start = text.index(figure)
        value = float(figure.split()[0].replace(",", ""))
        claims += _claims(article, text, [Quantity(start, start + len(figure), figure, value, figure.split()[1])])
    sources = {"a": SourceInfo("a", "Daily"), "b": SourceInfo("b", "Wire")}
    [fact] = align_claims(claims, np.tile(np.eye(1, 512, dtype=np.float32), (2, 1)), sources)
    [conflict] = fact.conflicts
    assert conflict["kind"] == "quantity"
    assert sorted(side["value"] for side in conflict["sides"]) == [100000.0, 127000.0]


def test_brief_from_the_store_needs_no_input_files(demo_corpus: Path, tmp_path: Path) -> None:
    from newsdesk.evaluate.brief import check_citations
    from newsdesk.store import Store

    db = tmp_path / "news.db"
    files = [str(p) for p in sorted(demo_corpus.glob("*wandoon*")) + sorted(demo_corpus.glob("*bushfire*"))]
    assert CliRunner().invoke(cli, ["ingest", *files, "--db", str(db)]).exit_code == 0
    result = CliRunner().invoke(cli, ["brief", "--from-db", str(db)])
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    [story] = brief["stories"]
    assert len(story["articles"]) == len(files)
    assert any(f["independent_sources"] >= 2 for f in story["facts"])
    store = Store(str(db))
    texts = {a: store.get(a).text for a in story["articles"]}
    assert check_citations(brief, texts) == []
    only = CliRunner().invoke(cli, ["brief", "--from-db", str(db), "--story", "no-such-story"])
    assert json.loads(only.stdout) == {"stories": []}
    both = CliRunner().invoke(cli, ["brief", files[0], "--from-db", str(db)])
    assert both.exit_code == 2
    assert "one of them" in both.output


def _block_facts(second: str) -> list:
    from newsdesk.linking.features import Embedder
    from newsdesk.reconcile.facts import BlockContext

    texts = {
        "a": "The ministers agreed to reopen their embassies in both capitals and to set up a civilian "
        "hotline for emergencies between the two governments.",
        "b": second,
    }
    claims = _claims("a", texts["a"]) + _claims("b", texts["b"])
    encode = Embedder().encode
    sources = {k: SourceInfo(k, k, None, "en") for k in texts}
    return align_claims(claims, encode([c.text for c in claims]), sources, blocks=BlockContext(texts, encode))


def test_two_adjacent_sentences_state_what_another_source_packs_into_one() -> None:
    second = (
        "Both governments will restore their diplomatic missions in the two capitals. "
        "A civilian hotline for emergencies will also link the two governments."
    )
    [fact] = [f for f in _block_facts(second) if len(f.articles) == 2]
    cited = next(c for c in fact.claims if c.article == "b")
    assert cited.text == second  # both sentences, as one span of the article's text
    assert len(_block_facts(second)) == 1  # the embassies sentence is no lone fact beside it


def test_an_unrelated_neighbouring_sentence_stays_out_of_the_fact() -> None:
    second = (
        "Markets were calm on Tuesday in both cities. A civilian hotline for emergencies will link the two governments."
    )
    facts = _block_facts(second)
    [fact] = [f for f in facts if len(f.articles) == 2]
    assert next(c for c in fact.claims if c.article == "b").text.startswith("A civilian hotline")
    assert any(f.articles == ["b"] and "Markets" in f.claims[0].text for f in facts)


def _counted(article: str, text: str, *figures: tuple[str, float, str, str | None]) -> list:
    """Claims of one article whose figures (surface text, value, unit, predicate) are annotated."""
    quantities = [
        Quantity(text.index(t), text.index(t) + len(t), t, value, unit, None, predicate)
        for t, value, unit, predicate in figures
    ]
    return _claims(article, text, quantities)


def test_sources_counting_what_the_same_verb_did_conflict_however_their_sentences_differ() -> None:
    claims = _counted("a", "The blaze has destroyed 14 homes near the river.", ("14 homes", 14, "homes", "destroy"))
    claims += _counted(
        "b", "Officials said at least 10 houses had been destroyed.", ("10 houses", 10, "houses", "destroy")
    )
    claims += _counted("c", "Crews saved 30 homes on the ridge.", ("30 homes", 30, "homes", "save"))
    sources = {k: SourceInfo(k, k, None, "en") for k in "abc"}
    facts = align_claims(claims, np.eye(3, 512, dtype=np.float32), sources)  # three unrelated sentences
    [conflict] = [c for f in facts for c in f.conflicts]
    assert sorted(side["value"] for side in conflict["sides"]) == [10, 14]  # the saved homes are another count
    assert conflict["about"] == "homes"


def test_figures_far_apart_or_given_together_by_one_source_count_different_things() -> None:
    sources = {k: SourceInfo(k, k, None, "en") for k in "ab"}
    same = np.tile(np.eye(1, 512, dtype=np.float32), (2, 1))
    tickets = _counted(
        "a", "Tickets cost $140 for the $160 million stadium.", ("$140", 140, "USD", None), ("$160", 160e6, "USD", None)
    )
    tickets += _counted("b", "The $160 million stadium opened.", ("$160", 160e6, "USD", None))
    [fact] = align_claims(tickets, same, sources)
    assert fact.conflicts == []  # $140 and $160 million are not rival counts
    together = "He got four sentences for the robbery and seven life sentences for the killings."
    both = _counted("a", together, ("four sentences", 4, "sentences", None), ("seven life", 7, "sentences", None))
    both += _counted("b", "He got seven life sentences.", ("seven life", 7, "sentences", None))
    [fact] = align_claims(both, same, sources)
    assert fact.conflicts == []  # one source giving two figures counts two things
    disputed = "The ministry puts it at 14 billion cubic metres, but engineers say 17 billion cubic metres."
    rival = _counted(
        "a", disputed, ("14 billion", 14e9, "cubic metres", None), ("17 billion", 17e9, "cubic metres", None)
    )
    rival += _counted("b", "The reservoir holds 14 billion cubic metres.", ("14 billion", 14e9, "cubic metres", None))
    [fact] = align_claims(rival, same, sources)
    assert [c["kind"] for c in fact.conflicts] == ["quantity"]  # a source that sets them against each other


def test_a_conflict_is_told_once() -> None:
    claims = _counted("a", "The blaze has destroyed 14 homes near the river.", ("14 homes", 14, "homes", "destroy"))
    claims += _counted("b", "Officials said 10 homes were destroyed.", ("10 homes", 10, "homes", "destroy"))
    claims += _counted(
        "c", "Fourteen houses were destroyed, police said.", ("Fourteen houses", 14, "houses", "destroy")
    )
    sources = {k: SourceInfo(k, k, None, "en") for k in "abc"}
    facts = align_claims(claims, np.eye(3, 512, dtype=np.float32), sources)  # three facts, each pair compared
    assert len(facts) == 3
    assert len([c for f in facts for c in f.conflicts]) == 1  # 10 against 14, not once per pair of facts
