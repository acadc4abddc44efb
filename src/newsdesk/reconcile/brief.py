"""One brief per story: summary, facts ranked by independent corroboration, conflicts, quotes by
speaker, timeline, entities and sources — every text a span of one of the story's articles.

The summary is extractive: the sentences standing for the best-corroborated facts, redundant
ones left out, in the order the events were reported. Follows the `brief` contract (see
docs/brief.md).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from ..linking.stories import StoryAssignment
from ..model import Analysis, Article, Entity
from .claims import Claim, parts, split_claims
from .facts import AlignSettings, BlockContext, Fact, SourceInfo, align_claims, language_of

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["BriefSettings", "brief_articles", "brief_stored", "build_brief", "story_brief"]

SUMMARY_MIN_WORDS = 12
KIND_ORDER = ("proposed", "demanded", "rejected", "denied", "warned", "said")
PRONOUNS = frozenset("he she they it we i il elle ils elles on él ella ellos ellas er sie".split())
# Openers that point back at an earlier sentence: demonstratives, possessives, connectives.
DANGLING = frozenset(
    "this that these those such his her its their our my your because but and also so or "
    "ce cette ces este esta estos estas ese esa su sus son sa ses leur leurs".split()
)


@dataclass(slots=True)
class BriefSettings:
    summary_sentences: int = 5
    redundant: float = 0.75  # a summary sentence this close to a chosen one repeats it
    max_facts: int = 40
    max_positions: int = 30  # attributed demands, proposals, ... listed beyond max_facts
    max_timeline: int = 25
    max_entities: int = 40
    clauses: bool = True
    align: AlignSettings | None = None


def brief_articles(articles: list[Article], group: str = "story") -> dict[str, Any]:
    """Analyse, cluster and brief extracted articles in one go (what `newsdesk brief` does)."""
    from ..analysis import Analyzer
    from ..linking.pipeline import cluster_articles

    analyzer = Analyzer()
    analyses = [analyzer.resolve(a) for a in analyzer.analyze(articles)]
    assignments = cluster_articles(zip(articles, analyses, strict=True))
    registry = analyzer.registry
    return build_brief(articles, analyses, assignments, registry.entities, registry.resolve, group=group)


def brief_stored(store: Store, group: str = "story", only: Collection[str] = ()) -> dict[str, Any]:
    """The briefs of the stories `newsdesk ingest` stored (or only of these story or storyline ids),
    from the stored texts, annotations and story assignments: nothing is analysed again. One story
    is read at a time."""
    from ..store.linking import story_members

    with store.engine.connect() as conn:
        groups = list(story_members(conn, group, only))  # ids only: the articles are read story by story
    stories = []
    for key, members in groups:
        if only and key not in only and not any(m.story in only for m in members):
            continue
        items = []
        for member in members:
            article = store.get(member.article)
            analysis = store.get_analysis(member.article, article) if article is not None else None
            if article is not None and analysis is not None:
                items.append((article, analysis, member))
        if not items:
            continue
        used = {m.entity for _, a, _ in items for m in a.mentions if m.entity}
        used |= {q.entity for _, a, _ in items for q in a.quotes if q.entity}
        known = store.get_entities(used)
        entities = {e.id: e for e in known.values()}
        stories.append(story_brief(key, items, entities, lambda e, known=known: known[e].id if e in known else e))
    stories.sort(key=lambda s: (-len(s["articles"]), s["id"]))
    return {"stories": stories}


def build_brief(
    articles: list[Article],
    analyses: list[Analysis],
    assignments: list[StoryAssignment],
    entities: Mapping[str, Entity],
    resolve: Callable[[str], str] = lambda e: e,
    settings: BriefSettings | None = None,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    group: str = "story",
) -> dict[str, Any]:
    """The `brief` record for every story of these (analysed, clustered) articles, largest first;
    with group="storyline", one record per storyline (its stories' articles together)."""
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, assignment in enumerate(assignments):
        by_story[assignment.storyline if group == "storyline" else assignment.story].append(i)
    stories = []
    for story, members in by_story.items():
        items = [(articles[i], analyses[i], assignments[i]) for i in members]
        stories.append(story_brief(story, items, entities, resolve, settings, encode))
    stories.sort(key=lambda s: (-len(s["articles"]), s["id"]))
    return {"stories": stories}


def story_brief(
    story: str,
    items: Iterable[tuple[Article, Analysis, StoryAssignment]],
    entities: Mapping[str, Entity],
    resolve: Callable[[str], str] = lambda e: e,
    settings: BriefSettings | None = None,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> dict[str, Any]:
    """The brief of one story from its articles, their analyses and story assignments."""
    settings = settings or BriefSettings()
    ordered = sorted(items, key=lambda item: (_day(item[0].published), item[0].id))
    sources = {
        a.id: SourceInfo(a.id, a.outlet, a.published, a.language, s.copy.original if s.copy else None)
        for a, _, s in ordered
    }
    claims = [c for article, analysis, _ in ordered for c in split_claims(article, analysis)]
    for claim in claims:
        if claim.speaker_entity:
            claim.speaker_entity = resolve(claim.speaker_entity)
    if encode is None:
        from ..linking.features import Embedder

        encode = Embedder().encode
    # Each clause of a long sentence may also join a fact of its own (the whole sentence is cited).
    entries = [(c, t, t is not c.text) for c in claims for t in [c.text, *(parts(c) if settings.clauses else [])]]
    vectors = encode([t for _, t, _ in entries]) if entries else np.zeros((0, 512), dtype=np.float32)
    blocks = BlockContext({a.id: a.text for a, _, _ in ordered}, encode)
    facts = align_claims([c for c, _, _ in entries], vectors, sources, settings.align, [j for *_, j in entries], blocks)
    ranked = sorted(facts, key=lambda f: (-f.independent_sources, -len(f.claims), _position(f)))
    first = next((a for a, _, s in ordered if not s.copy), ordered[0][0])
    records = [_fact_record(f, entities) for f in ranked]
    # The best-corroborated facts, and beyond them what actors demanded, proposed, rejected, denied
    # or warned: a position one outlet reports is still a position.
    acts = [r for r in records[settings.max_facts :] if r["attribution"] and r["attribution"]["kind"] != "said"]
    records = records[: settings.max_facts] + acts[: settings.max_positions]
    summary, timeline = _summary(ranked, settings, sources), _timeline(facts, settings)
    listed = {r["id"] for r in records}
    for entry in (*summary, *timeline):  # point only at facts the brief lists
        if entry["fact"] not in listed:
            entry["fact"] = None
    return {
        "id": story,
        "title": first.title or _first_sentence(first.text),
        "storyline": ordered[0][2].storyline,
        "articles": [a.id for a, _, _ in ordered],
        "sources": [_source(a, s) for a, _, s in ordered],
        "summary": summary,
        "facts": records,
        "positions": _positions(records),
        "quotes": _quotes(ordered, entities, resolve),
        "timeline": timeline,
        "entities": _entities(ordered, entities, resolve, settings),
    }


def _summary(ranked: list[Fact], settings: BriefSettings, sources: Mapping[str, SourceInfo]) -> list[dict[str, Any]]:
    """Best-corroborated facts, skipping near-repeats, each told by a readable sentence of its sources
    (in the language of the fact's representative), in reported order."""
    chosen: list[tuple[Fact, Claim]] = []
    for fact in ranked:
        if len(chosen) == settings.summary_sentences:
            break
        if fact.representative is None:
            continue
        language = language_of(fact.representative, sources)
        told = [fact.representative, *(c for c in fact.claims if language_of(c, sources) == language)]
        used = {(c.article, c.start) for _, c in chosen}
        claim = next((c for c in told if _readable(c) and (c.article, c.start) not in used), None)
        if claim is None:
            continue
        if any(float(fact.vector @ other.vector) >= settings.redundant for other, _ in chosen):
            continue
        chosen.append((fact, claim))
    chosen.sort(key=lambda item: _position(item[0]))
    return [{"text": claim.text, "fact": f.id, "sources": [_span(c) for c in f.claims]} for f, claim in chosen]


def _readable(claim: Claim) -> bool:
    """Whether a sentence can stand alone in a summary."""
    if claim.quote is not None and claim.quote.direct and not claim.speaker:
        return False  # a quote with no one to say it
    if len(claim.text.split()) < SUMMARY_MIN_WORDS:  # captions, credits, fragments
        return False
    if _dangling(claim.text):  # "He said that…", "That demand…": unreadable out of context
        return False
    return not claim.text.rstrip().endswith((";", ":", ","))  # a list item or a lead-in, not a sentence


def _position(fact: Fact) -> tuple[int, int]:
    """How early the fact is reported: its first claim's place among articles, then in its article."""
    claim = fact.claims[0]
    return (0 if claim.order < 3 else 1, claim.order)


def _fact_record(fact: Fact, entities: Mapping[str, Entity]) -> dict[str, Any]:
    claim = fact.representative or fact.claims[0]
    attributed = [c for c in fact.claims if c.act]
    if len(attributed) * 2 <= len(fact.claims):
        # Mostly the outlets' own words; still a position when a source reports it as a demand,
        # proposal, rejection, denial or warning ("NATO proposes briefings" beside "briefings are planned").
        attributed = [c for c in attributed if c.act != "said"]
    attribution = None
    if attributed:
        speakers = Counter((c.speaker, c.speaker_entity, c.act) for c in attributed)
        key = speakers.most_common(1)[0][0]
        stated = next(c for c in attributed if (c.speaker, c.speaker_entity, c.act) == key)
        speaker, entity, act = key
        if entity in entities:
            speaker = entities[entity].name
        attribution = {
            "speaker": speaker if entity or not _pronoun(speaker) else None,
            "entity": entity,
            "kind": act,
            "text": stated.text,  # the source sentence that attributes it (one of the fact's sources)
        }
    return {
        "id": fact.id,
        "text": claim.text,
        "sources": [{**_span(c), "text": c.text} for c in fact.claims],
        "independent_sources": fact.independent_sources,
        "single_source": fact.independent_sources == 1,
        "attribution": attribution,
        "conflicts": fact.conflicts,
    }


def _positions(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What each actor said, demanded, proposed, rejected, denied or warned, apart from what the
    outlets state themselves: attributed facts grouped by actor (most active first), then by kind."""
    by_actor: dict[str, dict[str, Any]] = {}
    for record in records:
        attribution = record["attribution"]
        if not attribution or not (attribution["entity"] or attribution["speaker"]):
            continue
        key = attribution["entity"] or f"name:{attribution['speaker']}"
        entry = by_actor.setdefault(key, {"actor": attribution["speaker"], "entity": attribution["entity"], "acts": {}})
        entry["acts"].setdefault(attribution["kind"], []).append(record["id"])
    ordered = sorted(by_actor.values(), key=lambda e: -sum(len(ids) for ids in e["acts"].values()))
    return [
        {"actor": e["actor"], "entity": e["entity"], "kind": kind, "facts": ids}
        for e in ordered
        for kind, ids in sorted(e["acts"].items(), key=lambda item: KIND_ORDER.index(item[0]))
    ]


def _timeline(facts: list[Fact], settings: BriefSettings) -> list[dict[str, Any]]:
    """Facts that say when something happened, by the date most of their sources give."""
    entries = []
    for fact in facts:
        dated: dict[str, list[Claim]] = defaultdict(list)
        for claim in fact.claims:
            for value in {d.value for d in claim.dates if d.value and len(d.value) == 10}:  # days only
                dated[value].append(claim)
        if not dated:
            continue
        value, claims = max(dated.items(), key=lambda item: (len(item[1]), len(item[0])))
        text = fact.representative if fact.representative in claims else claims[0]
        sources = [_span(c) for c in claims]
        entries.append({"date": value, "text": text.text, "fact": fact.id, "sources": sources, "_n": len(claims)})
    entries.sort(key=lambda e: (-e["_n"], e["date"]))
    kept = sorted(entries[: settings.max_timeline], key=lambda e: (e["date"], -e["_n"]))
    for entry in kept:
        del entry["_n"]
    return kept


def _quotes(
    ordered: list[tuple[Article, Analysis, StoryAssignment]], entities: Mapping[str, Entity], resolve: Callable
) -> list[dict[str, Any]]:
    """Quotes with a named speaker, grouped by speaker (most quoted first), copies' repeats left out."""
    seen: set[str] = set()
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for article, analysis, _ in ordered:
        for quote in analysis.quotes:
            if quote.unnamed or not (quote.entity or quote.speaker):
                continue
            key = " ".join(quote.text.split()).casefold()
            if key in seen:
                continue
            seen.add(key)
            entity = resolve(quote.entity) if quote.entity else None
            name = entities[entity].name if entity in entities else quote.speaker
            by_speaker[entity or f"name:{name}"].append(
                {
                    "text": quote.text,
                    "speaker": name,
                    "entity": entity,
                    "article": article.id,
                    "start": quote.start,
                    "end": quote.end,
                    "direct": quote.direct,
                }
            )
    groups = sorted(by_speaker.values(), key=lambda g: -len(g))
    return [quote for group in groups for quote in group]


def _entities(
    ordered: list[tuple[Article, Analysis, StoryAssignment]],
    entities: Mapping[str, Entity],
    resolve: Callable,
    settings: BriefSettings,
) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    forms: dict[str, list[str]] = defaultdict(list)
    for _, analysis, _ in ordered:
        for mention in analysis.mentions:
            if mention.entity:
                eid = resolve(mention.entity)
                counts[eid] += 1
                if mention.text not in forms[eid]:
                    forms[eid].append(mention.text)
    records = []
    for eid, n in counts.most_common(settings.max_entities):
        entity = entities.get(eid)
        name = entity.name if entity else forms[eid][0]
        variants = [v for v in forms[eid] if v != name]
        records.append(
            {"id": eid, "name": name, "label": entity.label if entity else None, "variants": variants, "mentions": n}
        )
    return records


def _dangling(text: str) -> bool:
    """A sentence that points at one it left behind: it opens with a pronoun, demonstrative or
    connective, or closes a quote it did not open."""
    first = re.match(r"[^\w\"“«„]*(\w+)", text)  # a quote's own first word ("“We will…”, she said") is hers
    if first and (_pronoun(first.group(1)) or first.group(1).casefold() in DANGLING):
        return True
    close, open_ = text.find("”"), text.find("“")
    return close >= 0 and (open_ < 0 or close < open_)  # the end of a quote begun in an earlier sentence


def _pronoun(word: str | None) -> bool:
    return (word or "").casefold() in PRONOUNS


def _source(article: Article, assignment: StoryAssignment) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "language": article.language,
        "url": article.url,
        "copy_of": assignment.copy.original if assignment.copy else None,
        "copy_kind": assignment.copy.kind if assignment.copy else None,
    }


def _span(claim: Claim) -> dict[str, Any]:
    return {"article": claim.article, "start": claim.start, "end": claim.end}


def _first_sentence(text: str) -> str:
    return text.strip().split("\n", 1)[0][:200]


def _day(published: str | None) -> str:
    return (published or date.max.isoformat())[:10]
