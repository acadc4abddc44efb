"""One identity per entity across articles and languages: spellings, surnames, acronyms, translations."""

from __future__ import annotations

import pytest

from newsdesk.analysis.entities import EntityGroup
from newsdesk.linking.identities import IdentityRegistry, IdentitySettings
from newsdesk.model import Article, Mention

Spec = tuple[str, str] | tuple[str, str, list[str]]


def _groups(*specs: Spec) -> list[EntityGroup]:
    """Groups as the per-article analysis hands them over: (label, name[, other surface forms])."""
    groups = []
    for label, name, *rest in specs:
        forms = [name, *(rest[0] if rest else [])]
        groups.append(EntityGroup(label, [Mention(0, len(f), f, label) for f in forms], name))
    return groups


class Feed:
    """Feeds articles to a registry in order, one id per group back."""

    def __init__(self, registry: IdentityRegistry | None = None) -> None:
        self.registry = registry or IdentityRegistry(IdentitySettings(embeddings=False))
        self.count = 0

    def add(self, *specs: Spec, language: str = "en", published: str | None = "2022-01-10") -> list[str]:
        self.count += 1
        article = Article(f"a{self.count}", "", language=language, published=published)
        return self.registry.add_article(article, _groups(*specs), language)

    def name(self, eid: str) -> str:
        return self.registry.entities[self.registry.resolve(eid)].name


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "Alexander Grushko",
            "Aleksandr Grushkó",
            "Alexander Gruschko",
            "Alexandre Grouchko",
            "Oleksandr Khrushko",
            "Александр Грушко",
        ],
        ["Anniken Huitfeldt", "Anniken Heitfeldt", "Anniken Hoytfeldt"],
        ["Antony Blinken", "Anthony Blinken"],
        ["Annalena Baerbock", "Annalena Barbock"],
        ["Dmitriy Volkonsky", "Dmitri Volkonskiy", "Dmitry Volkonski", "Dmitrii Volkonskii"],
        ["Tariq al-Hashimi", "Tariq Al-Hashemi", "Tarik el-Hachimi"],
    ],
)
def test_spelling_variants_of_a_full_name_merge(spellings: list[str]) -> None:
    feed = Feed()
    ids = {feed.add(("PERSON", name), ("GPE", "Kaltavia"))[0] for name in spellings}
    assert len(ids) == 1


def test_bare_surname_variant_links_to_the_one_person_in_context() -> None:
    feed = Feed()
    person, _ = feed.add(("PERSON", "Anniken Huitfeldt"), ("ORG", "NATO"))
    bare, _ = feed.add(("PERSON", "Hoytfeldt"), ("ORG", "NATO"))
    assert bare == person


def test_different_first_names_with_one_surname_stay_apart() -> None:
    feed = Feed()
    paolo = feed.add(("PERSON", "Paolo Ferri"), ("ORG", "Juventus"))[0]
    marco = feed.add(("PERSON", "Marco Ferri"), ("ORG", "Juventus"))[0]
    assert paolo != marco
    assert feed.add(("PERSON", "Paolo Ferri"))[0] == paolo


def test_bare_surname_shared_by_two_people_does_not_merge_silently() -> None:
    feed = Feed()
    paolo = feed.add(("PERSON", "Paolo Ferri"), ("ORG", "Juventus"))[0]
    marco = feed.add(("PERSON", "Marco Ferri"), ("GPE", "Genoa"))[0]
    alone = feed.add(("PERSON", "Ferri"), ("GPE", "Lisbon"))[0]
    assert alone not in (paolo, marco)
    with_context = feed.add(("PERSON", "Ferri"), ("GPE", "Genoa"))[0]
    assert with_context == marco


def test_acronyms_and_expansions_link_across_articles() -> None:
    feed = Feed()
    nato = feed.add(("ORG", "North Atlantic Treaty Organization"))[0]
    osce = feed.add(("ORG", "Organization for Security and Co-operation in Europe"))[0]
    unece = feed.add(("ORG", "UNECE"))[0]
    assert feed.add(("ORG", "NATO"), ("ORG", "OSCE"), ("ORG", "UN Economic Commission for Europe")) == [
        nato,
        osce,
        unece,
    ]
    assert len({nato, osce, unece}) == 3
    assert feed.name(nato) == "North Atlantic Treaty Organization"


def test_country_and_organisation_names_link_across_languages() -> None:
    feed = Feed(IdentityRegistry())  # embeddings on: translated names
    russia, nato, unece = feed.add(
        ("GPE", "Russia"),
        ("ORG", "NATO", ["North Atlantic Treaty Organization"]),
        ("ORG", "UN Economic Commission for Europe", ["UNECE"]),
    )
    spanish = feed.add(
        ("LOC", "Rusia"),
        ("ORG", "OTAN", ["Organización del Tratado del Atlántico Norte"]),
        ("ORG", "Comisión Económica de las Naciones Unidas para Europa", ["CEPE"]),
        language="es",
    )
    french = feed.add(("GPE", "Russie"), ("ORG", "OTAN"), ("ORG", "CEPE"), language="fr")
    assert spanish == [russia, nato, unece]
    assert french == [russia, nato, unece]
    assert feed.add(("NORP", "Russian"))[0] == russia  # the demonym joins its country


def test_a_person_never_merges_with_a_place() -> None:
    feed = Feed()
    person = feed.add(("PERSON", "Jordan"), ("PERSON", "Michael Jordan"))[0]
    place = feed.add(("GPE", "Jordan"))[0]
    assert person != place


def test_canonical_name_is_the_most_frequent_full_form() -> None:
    feed = Feed()
    for name in ["Antony Blinken", "Blinken", "Anthony Blinken", "Antony Blinken", "Blinken", "Blinken"]:
        eid = feed.add(("PERSON", name), ("ORG", "State Department"))[0]
    entity = feed.registry.entities[eid]
    assert entity.name == "Antony Blinken"
    assert entity.label == "PERSON"
    assert {"Antony Blinken", "Anthony Blinken", "Blinken"} <= set(entity.variants)
    assert entity.articles == [f"a{i}" for i in range(1, 7)]


def test_resolve_maps_a_merged_identity_forward() -> None:
    feed = Feed(IdentityRegistry())
    spelled = feed.add(("ORG", "North Atlantic Treaty Organization"))[0]
    french = feed.add(("ORG", "OTAN"), language="fr")[0]
    assert french != spelled
    bridge = feed.add(("ORG", "NATO", ["North Atlantic Treaty Organization"]))[0]
    assert bridge == spelled
    assert feed.registry.resolve(french) == spelled
    assert french not in feed.registry.entities
    assert {"OTAN", "NATO"} <= set(feed.registry.entities[spelled].variants)


def test_late_speaker_links_in_its_article() -> None:
    feed = Feed()
    person = feed.add(("PERSON", "Jens Stoltenberg"), ("ORG", "NATO"))[0]
    feed.add(("ORG", "NATO"))
    assert feed.registry.add("PERSON", "Stoltenberg", ["Stoltenberg"], f"a{feed.count}") == person


def test_comparisons_per_article_stay_bounded() -> None:
    settings = IdentitySettings(embeddings=False, bucket_size=8)
    feed = Feed(IdentityRegistry(settings))
    given = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas"]
    counts = []
    for n in range(600):
        feed.add(
            ("PERSON", f"{given[n % 10]}{n} Smith"),
            ("PERSON", f"{given[(n * 7) % 10]} Novak{n % 50}"),
            ("ORG", f"Agency {n} for Roads"),
            ("GPE", f"Town{n % 30}"),
        )
        counts.append(feed.registry.comparisons)
    assert len(feed.registry.entities) > 1000
    assert max(counts) <= 4 * 40  # groups x a few keys each x bucket size, whatever the registry holds
    assert max(counts[-100:]) <= max(counts[100:200]) + 8


def test_drop_in_registry_for_the_analyzer() -> None:
    from newsdesk.analysis import Analyzer

    articles = [
        Article(
            "oslo", "Foreign Minister Anniken Huitfeldt said NATO would answer in writing. Huitfeldt spoke in Oslo."
        ),
        Article(
            "brussels", "Anniken Heitfeldt told reporters the North Atlantic Treaty Organization was ready to talk."
        ),
    ]
    analyzer = Analyzer(registry=IdentityRegistry())
    mentions = [m for analysis in analyzer.analyze(articles) for m in analysis.mentions]
    people = {analyzer.registry.resolve(m.entity) for m in mentions if "feldt" in m.text}
    alliance = {
        analyzer.registry.resolve(m.entity)
        for m in mentions
        if m.text in ("NATO", "North Atlantic Treaty Organization")
    }
    assert len(people) == 1
    assert len(alliance) == 1
    assert analyzer.registry.entities[people.pop()].name == "Anniken Huitfeldt"


@pytest.mark.shared
def test_evaluation_on_a_few_stories(shared_data) -> None:
    from newsdesk.evaluate.identities import evaluate_identities

    results = evaluate_identities(shared_data, stories=2)
    for name in ("ecbplus", "meantime"):
        scores = results[name]["all"]
        assert scores["mentions"] > 0
        assert scores["ours"]["f1"] >= scores["exact_string_our_spans"]["f1"]
        assert scores["ours"]["f1"] > 0.6
    assert {"en", "es", "nl"} <= set(results["meantime"])


def test_kinds_of_the_same_organisation_and_its_short_head_link() -> None:
    feed = Feed()
    (center,) = feed.add(("ORG", "Solvang Recovery Center"))
    (clinic,) = feed.add(("ORG", "Solvang Recovery Clinic"))
    academy, _ = feed.add(("ORG", "Academy of Maritime Arts and Sciences"), ("PERSON", "Ingrid Solvang"))
    short, _ = feed.add(("ORG", "Academy"), ("PERSON", "Ingrid Solvang"))
    assert feed.registry.resolve(center) == feed.registry.resolve(clinic)
    assert feed.registry.resolve(academy) == feed.registry.resolve(short)
    (other,) = feed.add(("ORG", "Solvang Shipping Company"))
    assert feed.registry.resolve(other) != feed.registry.resolve(center)


def test_same_first_name_and_a_surname_that_sounds_the_same_link() -> None:
    feed = Feed()
    (murray,) = feed.add(("PERSON", "Declan Murray"))
    (murrey,) = feed.add(("PERSON", "Declan Murrey"))
    (other,) = feed.add(("PERSON", "Declan Morton"))
    assert feed.registry.resolve(murray) == feed.registry.resolve(murrey)
    assert feed.registry.resolve(other) != feed.registry.resolve(murray)
