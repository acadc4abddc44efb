"""The five reference articles: every junk line goes, no content line is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.extraction import ExtractSettings, iter_extract
from newsdesk.model import Article
from newsdesk.sources import iter_documents

# Gold for ../shared/data/seeds, annotated by hand: 0-based indexes of the lines that are
# boilerplate (site labels, teasers, prompts, repeated title, author name and bio, comment form).
JUNK_LINES = {
    "000_bfe528cf5832c864": [16],
    "001_ac1cc112433134f5": [0, 42, 44, 48],
    "002_b3dce5b5bb70e21c": [2, 22, 47, 61, 63, 65, 67, 69],
    "003_e22aa2876da65473": [2, 10, 18, 20, 29, 35, 37, 39],
    "004_313894709d82b104": [14],
}
# The title line of each file (first line, or the line under a site label).
TITLE_LINE = {"001_ac1cc112433134f5": 2}


def test_seed_junk_removed_and_content_kept(shared_data: Path) -> None:
    seeds = shared_data / "seeds"
    articles = {
        a.id: a for a in iter_extract(iter_documents([seeds]), ExtractSettings(jobs=1)) if isinstance(a, Article)
    }
    assert set(articles) == set(JUNK_LINES)
    for seed_id, junk in JUNK_LINES.items():
        lines = (seeds / f"{seed_id}.txt").read_text(encoding="utf-8").split("\n")
        article = articles[seed_id]
        title_index = TITLE_LINE.get(seed_id, 0)
        assert article.title == lines[title_index].strip()
        expected_removed = [" ".join(lines[i].split()) for i in junk]
        assert article.removed == expected_removed, seed_id
        body = {" ".join(p.split()) for p in article.text.split("\n\n")}
        for i, line in enumerate(lines):
            if line.strip() and i not in junk and i != title_index:
                assert " ".join(line.split()) in body, f"{seed_id} line {i} lost"
        assert article.language == "en"


def test_seed_quotes_of_named_people_carry_their_entity(shared_data: Path) -> None:
    from newsdesk.analysis import Analyzer

    gold = json.loads((Path(__file__).parent / "gold" / "seed_quotes.json").read_text(encoding="utf-8"))
    articles = [
        a
        for a in iter_extract(iter_documents([shared_data / "seeds"]), ExtractSettings(jobs=1))
        if isinstance(a, Article)
    ]
    analyzer = Analyzer()
    analyses = {a.article: a for a in analyzer.analyze(articles)}
    entities = analyzer.registry.entities
    for seed_id, expected in gold.items():
        if seed_id.startswith("_"):
            continue
        for snippet, surname in expected:
            quote = next((q for q in analyses[seed_id].quotes if snippet in q.text), None)
            assert quote is not None, f"{seed_id}: no quote found for {snippet!r}"
            assert quote.entity in entities, f"{seed_id}: {snippet!r} has no speaker entity"
            variants = entities[quote.entity].variants
            assert any(surname in v.split() for v in variants), f"{seed_id}: {snippet!r} -> {variants}"


def test_seed_names_spelled_differently_are_one_entity_within_an_article(shared_data: Path) -> None:
    from newsdesk.analysis import Analyzer

    text = (shared_data / "seeds" / "002_b3dce5b5bb70e21c.txt").read_text(encoding="utf-8")
    [article] = [a for a in iter_extract([_raw(text)]) if isinstance(a, Article)]
    [analysis] = list(Analyzer().analyze([article]))
    ids = {
        m.entity
        for m in analysis.mentions
        if m.text in ("Huitfeldt", "Heitfeldt", "Hoytfeldt", "Aniken Heitfeldt", "Anneken Heitfeldt")
    }
    assert len(ids) == 1
    blinken = {m.entity for m in analysis.mentions if "Blinken" in m.text}
    assert len(blinken) == 1
    assert blinken != ids


def _raw(text: str):
    from newsdesk.model import RawDocument

    return RawDocument(id="seed", source="seed.txt", kind="text", content=text, title_in_text=True)


# Spellings of one person or organisation across the seeds (checked by hand), and people who must stay apart.
SEED_IDENTITIES = {
    "Grushko": ["Khrushko", "Grushkó"],
    "Huitfeldt": ["Heitfeldt", "Hoytfeldt", "Huitfeldt"],
    "Blinken": ["Anthony Blinken", "Antony Blinken"],
    "NATO": ["NATO", "North Atlantic Treaty Organization"],
    "OSCE": ["OSCE", "Organization for Security and Cooperation"],
}
SEED_PEOPLE = ["Stoltenberg", "Putin", "Blinken", "Sherman", "Biden", "Grushkó", "Heitfeldt", "Lambrecht", "Fomin"]


def test_seed_spellings_are_one_identity_across_articles(shared_data: Path) -> None:
    from newsdesk.analysis import Analyzer

    articles = [
        a
        for a in iter_extract(iter_documents([shared_data / "seeds"]), ExtractSettings(jobs=1))
        if isinstance(a, Article)
    ]
    analyzer = Analyzer()
    mentions = [m for a in analyzer.analyze(articles) for m in analyzer.resolve(a).mentions]

    def ids(name: str) -> set[str]:  # the name itself, or a person's name containing it
        return {
            m.entity
            for m in mentions
            if m.entity and (m.text == name or (m.label == "PERSON" and name in m.text.split()))
        }

    for name, spellings in SEED_IDENTITIES.items():
        found = set().union(*(ids(s) for s in spellings))
        assert len(found) == 1, f"{name}: {spellings} -> {found}"
    people = [ids(name) for name in SEED_PEOPLE]
    assert all(len(p) == 1 for p in people), dict(zip(SEED_PEOPLE, people, strict=True))
    assert len(set().union(*people)) == len(SEED_PEOPLE)  # no two people share an identity


# Publication dates of the seeds, read by hand from each article (the files carry none).
SEED_PUBLISHED = {
    "000_bfe528cf5832c864": "2022-01-27",
    "001_ac1cc112433134f5": "2022-01-26",
    "002_b3dce5b5bb70e21c": "2021-12-17",
    "003_e22aa2876da65473": "2022-01-12",
    "004_313894709d82b104": "2022-01-26",
}


@pytest.fixture(scope="module")
def seed_storyline(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The brief of the five seeds (publication dates supplied) as one storyline, through the CLI."""
    from click.testing import CliRunner

    from newsdesk.cli import cli

    lines = [
        json.dumps(
            {
                "id": seed,
                "text": (shared_data / "seeds" / f"{seed}.txt").read_text(encoding="utf-8"),
                "published": published,
            }
        )
        for seed, published in SEED_PUBLISHED.items()
    ]
    path = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["brief", str(path), "--by", "storyline"])
    assert result.exit_code == 0, result.stderr
    [storyline] = json.loads(result.stdout)["stories"]
    return storyline


def test_seed_storyline_brief_dates_the_council_meeting_and_the_written_answers(seed_storyline: dict) -> None:
    storyline = seed_storyline
    assert sorted(storyline["articles"]) == sorted(SEED_PUBLISHED)
    by_date: dict[str, list[str]] = {}
    for entry in storyline["timeline"]:
        by_date.setdefault(entry["date"], []).append(entry["text"])
    assert any("meeting" in text for text in by_date.get("2022-01-12", []))
    assert any("writing" in text or "written" in text or "response" in text for text in by_date.get("2022-01-26", []))
    troops = [f for f in storyline["facts"] if "100,000" in f["text"]]
    assert troops
    assert {s["article"] for s in troops[0]["sources"]} >= {"002_b3dce5b5bb70e21c", "004_313894709d82b104"}


def test_seed_brief_lists_natos_proposals_with_the_outlets_reporting_them(seed_storyline: dict) -> None:
    def outlets(word: str) -> set[str]:
        cited = [f for f in seed_storyline["facts"] if any(word in s["text"] for s in f["sources"])]
        return {s["article"][:3] for f in cited for s in f["sources"] if word in s["text"]}

    def cites(fact: dict, article: str, word: str) -> bool:
        return any(s["article"].startswith(article) and word in s["text"] for s in fact["sources"])

    # The civilian hotline (001 and 004) and the briefings on nuclear exercises and policy (001 and
    # 004) are each a fact citing both outlets, whatever their wording.
    assert any(cites(f, "001", "hotline") and cites(f, "004", "hotline") for f in seed_storyline["facts"])
    assert outlets("hotline") == {"001", "004"}
    # Reopened offices: 001 packs them into its hotline sentence, 004 says it the sentence before its
    # hotline sentence ("reopen their currently closed representations"), in other words.
    assert any(cites(f, "001", "offices") and cites(f, "004", "representations") for f in seed_storyline["facts"])
    # A modernised Vienna Document (001, 004); talks on arms control and disarmament (004, and 000's
    # machine translation "disarmament control").
    facts = seed_storyline["facts"]
    assert any(cites(f, "001", "Vienna Document") and cites(f, "004", "Vienna Document") for f in facts)
    assert any(cites(f, "004", "arms control") and cites(f, "000", "disarmament") for f in seed_storyline["facts"])
    nuclear = [f for f in seed_storyline["facts"] if any("nuclear" in s["text"] for s in f["sources"])]
    assert any({s["article"][:3] for s in f["sources"]} >= {"001", "004"} for f in nuclear)
    proposed = {p["actor"] for p in seed_storyline["positions"] if p["kind"] == "proposed"}
    assert proposed & {"NATO", "North Atlantic Treaty Organization", "Jens Stoltenberg"}


def test_seeds_are_three_stories_of_one_storyline(shared_data: Path, tmp_path: Path) -> None:
    """December's preparation, the NATO-Russia Council of 12 January, the written answers of 26
    January: three events, one storyline (`newsdesk cluster`, publication dates supplied)."""
    from click.testing import CliRunner

    from newsdesk.cli import cli

    path = tmp_path / "seeds.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": seed,
                    "text": (shared_data / "seeds" / f"{seed}.txt").read_text(encoding="utf-8"),
                    "published": published,
                }
            )
            + "\n"
            for seed, published in SEED_PUBLISHED.items()
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["cluster", str(path)])
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    stories: dict[str, set[str]] = {}
    for seed, published in SEED_PUBLISHED.items():
        stories.setdefault(rows[seed]["story"], set()).add(published)
    assert sorted(map(sorted, stories.values())) == [["2021-12-17"], ["2022-01-12"], ["2022-01-26", "2022-01-27"]]
    assert len({r["storyline"] for r in rows.values()}) == 1
