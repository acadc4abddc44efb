"""Entity repair and in-article grouping on sentences written for these tests."""

from __future__ import annotations

import pytest

from newsdesk.analysis.entities import entity_id, find_mentions, group_mentions, name_key
from newsdesk.analysis.models import load_pipeline
from newsdesk.model import Mention


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("en").nlp


def _groups(nlp, text: str) -> dict[str, list[str]]:
    return {g.name: g.variants for g in group_mentions(find_mentions(nlp(text)))}


def test_surname_after_full_name_is_the_same_person(nlp) -> None:
    text = (
        "Harbour master Ingrid Solvang said on Monday that the new pilot boats would arrive in October. "
        "Solvang added that the old vessels would be sold. Critics of Solvang say the plan is late."
    )
    groups = _groups(nlp, text)
    assert groups["Ingrid Solvang"] == ["Ingrid Solvang", "Solvang"]
    mentions = find_mentions(nlp(text))
    assert sum(m.text == "Solvang" and m.label == "PERSON" for m in mentions) == 2


def test_titles_possessives_and_leading_words_are_trimmed(nlp) -> None:
    text = (
        "Colonel Marek Dabrowski led the exercise. Dabrowski's unit crossed the river at dawn. "
        "Will Dabrowski stay in command? Secretary-General Amara Osei welcomed the plan."
    )
    texts = {m.text for m in find_mentions(nlp(text)) if m.label == "PERSON"}
    assert "Marek Dabrowski" in texts
    assert "Dabrowski" in texts
    assert not any(t.startswith(("Colonel", "Will", "Secretary")) or t.endswith("'s") for t in texts)


def test_transliterated_spellings_in_one_article_merge(nlp) -> None:
    text = (
        "Foreign Minister Katarina Lindqvist met her counterpart in Oslo. "
        "Lindkvist said the talks were useful, and Lindqvist's aides confirmed a second meeting."
    )
    groups = _groups(nlp, text)
    merged = [variants for variants in groups.values() if "Katarina Lindqvist" in variants]
    assert merged
    assert "Lindkvist" in merged[0]


def test_different_people_with_different_names_stay_apart(nlp) -> None:
    text = "Paolo Ferri met Paolo Ricci in Rome. Ferri spoke first; Ricci answered."
    groups = _groups(nlp, text)
    assert groups["Paolo Ferri"] == ["Paolo Ferri", "Ferri"]
    assert groups["Paolo Ricci"] == ["Paolo Ricci", "Ricci"]


def test_acronym_joins_its_expansion(nlp) -> None:
    text = (
        "The World Meteorological Organization (WMO) issued a heat warning on Tuesday. "
        "The WMO said temperatures would stay high."
    )
    groups = _groups(nlp, text)
    assert any({"World Meteorological Organization", "WMO"} <= set(v) for v in groups.values())


def test_entity_ids_are_stable_and_kind_aware() -> None:
    assert entity_id("PERSON", "Ingrid Solvang") == entity_id("PERSON", "ingrid  SOLVANG")
    assert entity_id("GPE", "Georgia") == entity_id("LOC", "Georgia")
    assert entity_id("PERSON", "Georgia") != entity_id("GPE", "Georgia")
    assert name_key("the Grushkó") == "grushko"


def test_headline_runs_are_cut_to_the_names_the_article_uses(nlp) -> None:
    text = (
        "Ingrid Solvang Quits Harbour Board After Ferry Dispute\n"
        "Harbour master Ingrid Solvang resigned on Monday after months of dispute over the ferry contract. "
        "Solvang said the board had ignored the pilots."
    )
    mentions = find_mentions(nlp(text))
    headline = [m for m in mentions if m.end <= text.index("\n")]
    assert all(m.text in ("Ingrid Solvang", "Harbour Board", "Ferry Dispute") for m in headline)
    assert any(m.text == "Ingrid Solvang" and m.start == 0 for m in headline)


def test_team_short_names_and_capitals_are_found_where_the_model_missed_them(nlp) -> None:
    text = (
        "The Westport Mariners beat the Eastfield Comets 3-1 on Sunday. "
        "The Mariners scored twice in the first half, and the Comets never recovered. "
        "MARINERS STAY TOP after the win."
    )
    found = [m.text for m in find_mentions(nlp(text))]
    assert found.count("Mariners") + found.count("MARINERS") >= 2
    assert "Comets" in found


def test_a_team_nickname_tagged_as_a_place_is_the_team() -> None:
    from newsdesk.analysis.entities import _team_names
    from newsdesk.model import Mention

    text = "The Westport Mariners won. Westport Mariners fans cheered and the Mariners celebrated in Westport."

    def at(name: str, start: int, label: str) -> Mention:
        begin = text.index(name, start)
        return Mention(begin, begin + len(name), name, label)

    mentions = [
        at("Westport Mariners", 0, "ORG"),
        at("Westport", 20, "GPE"),  # the model cut the team's name in two
        at("Mariners", 30, "GPE"),
        at("Mariners", 50, "GPE"),  # and took the nickname for a place
        at("Westport", 80, "GPE"),  # the town itself stays a place
    ]
    assert [(m.text, m.label) for m in _team_names(text, mentions)] == [
        ("Westport Mariners", "ORG"),
        ("Westport Mariners", "ORG"),
        ("Mariners", "ORG"),
        ("Westport", "GPE"),
    ]


def test_names_met_in_earlier_articles_are_found_where_the_model_misses_them() -> None:
    from newsdesk.analysis.known_names import KnownNames
    from newsdesk.model import Mention

    known = KnownNames(min_articles=2)
    for _ in range(2):
        known.learn([Mention(4, 20, "Westport Mariners", "ORG"), Mention(30, 38, "Mariners", "ORG")])
    text = "Fans cheered as the Mariners won. The Eastfield Comets lost. Mariners fans sang."
    found = known.complete(text, [Mention(38, 54, "Eastfield Comets", "ORG")])
    assert [(m.text, m.label, text[m.start : m.end]) for m in found] == [("Mariners", "ORG", "Mariners")] * 2
    once = KnownNames(min_articles=2)
    once.learn([Mention(0, 8, "Mariners", "ORG")])
    assert once.complete(text, []) == []  # one article is not enough when two are asked for
    assert [m.text for m in KnownNames().complete(text, [])] == []  # nothing learnt yet
    default = KnownNames()
    default.learn([Mention(0, 8, "Mariners", "ORG")])
    assert [m.text for m in default.complete(text, [])] == ["Mariners", "Mariners"]
    assert known.complete("The mariners of Westport and the Mariners sailed.", []) == []  # a common word here


def test_a_person_known_from_english_articles_is_found_safely_in_a_language_without_a_parser() -> None:
    from newsdesk.analysis import Analyzer
    from newsdesk.model import Article

    english = "Harbour master Ingrid Solvang said on Monday that the strike was over. Solvang thanked the crews."
    dutch = "Havenmeester Ingrid Solvang zei dat de staking voorbij was. Volgens Ingrid Solvang is alles rustig."
    analyzer = Analyzer()
    articles = [Article(f"en{i}", english, language="en") for i in range(2)]
    articles.append(Article("nl", dutch, language="nl"))
    *_, result = list(analyzer.analyze(articles))
    assert [m.text for m in result.mentions if m.label == "PERSON"] == ["Ingrid Solvang", "Ingrid Solvang"]


def test_role_words_are_not_read_from_a_doc_without_a_parse() -> None:
    from newsdesk.analysis.quotes import _descriptors
    from newsdesk.model import Mention

    text = "Havenmeester Ingrid Solvang zei dat de staking voorbij was."
    doc = load_pipeline("nl").nlp(text)
    start = text.index("Ingrid")
    assert _descriptors(doc, [Mention(start, start + 14, "Ingrid Solvang", "PERSON", "person-1")]) == {}


def test_a_name_whose_key_is_empty_has_no_surname() -> None:
    """Spanish and French articles ("La", "Le") can leave a name or its last word with an empty key;
    neither may crash the article's entities (as one did on real news) or make a surname of nothing."""
    from newsdesk.analysis.entities import _person_match, _relabel_surnames, surname_key

    assert surname_key("La") == ""
    assert surname_key("Ana de la Torre") == "torre"
    assert _person_match(["pen"], [""]) == 0.0
    text = "Marine Le dijo que La Moncloa y Pen no"
    mentions = [
        Mention(0, 9, "Marine Le", "PERSON"),
        Mention(19, 21, "La", "ORG"),
        Mention(32, 35, "Pen", "ORG"),
    ]
    assert [m.text for m in mentions] == [text[m.start : m.end] for m in mentions]
    assert [m.label for m in _relabel_surnames(mentions)] == ["PERSON", "ORG", "ORG"]
