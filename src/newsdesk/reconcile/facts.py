"""Align the claims of a story's articles into facts, count independent sources, find conflicts.

Claims that state the same thing, in other words or another language, are found by
multilingual sentence embeddings, helped by the names and figures they share. Each fact
takes at most one claim per article. A copy or translation is not a second source, and
neither is a second article of the same outlet. Within a fact, one thing counted with
different figures, one quote given to different speakers, or one statement negated by
another source are conflicts, each side with its own sources.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise

import numpy as np

from ..model import Quantity
from .claims import Claim

__all__ = ["AlignSettings", "BlockContext", "Fact", "SourceInfo", "align_claims", "independent_key", "language_of"]

_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
STEM = 5
COMMON_SHARE = 0.1
RARE_STEM = 3  # a content stem at most this many claims of the story use is rare


def _function_stems() -> frozenset[str]:
    """Stems of words that say nothing of what happened: function words in the languages spaCy lists
    them for ("should", "still", "their"), titles, weekdays and months."""
    from importlib import import_module

    from ..analysis.entities import TITLES
    from ..extraction.dateline import MONTH_NAMES

    words: set[str] = set(TITLES) | set(MONTH_NAMES) | set(WEEKDAYS)
    for language in ("en", "es", "fr", "it", "nl", "de", "pt"):
        words |= import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    return frozenset(w[:STEM] for w in map(str.casefold, words) if len(w) >= STEM)


WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday lunes martes miércoles jueves viernes sábado "
    "domingo lundi mardi mercredi jeudi vendredi samedi dimanche lunedì martedì mercoledì giovedì venerdì "
    "sabato domenica maandag dinsdag woensdag donderdag vrijdag zaterdag zondag montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag"
).split()
_FUNCTION_STEMS = _function_stems()
# Between two figures, words that make the second the one replaced ("seven years, not four").
_CORRECTION = re.compile(
    r"\b(?:not|instead of|rather than|and not|en lugar de|en vez de|y no|au lieu de|plutôt que|et non)\b", re.I
)


# Between two figures, words that set one source's figure against another's.
_DISPUTE = re.compile(
    r"\b(?:but|however|though|although|whereas|while|disput\w*|contest\w*|put it at|closer to|"
    r"pero|sin embargo|mientras|aunque|mais|cependant|tandis|alors que)\b",
    re.I,
)


@dataclass(slots=True)
class AlignSettings:
    """When two claims state one fact (cosines of multilingual sentence embeddings)."""

    same: float = 0.72  # this close: the same statement
    same_across: float = 0.55  # the same, across languages (cross-lingual cosines run lower)
    related: float = 0.4  # this close and sharing two names, figures or three rarer word stems: the same statement
    related_across: float = 0.35  # the same, for a claim in a language none of the fact's claims is in
    conflict_related: float = 0.7  # facts this close that count one thing differently conflict
    # Two adjacent sentences against one longer sentence (set on MEANTIME's parallel sentences, two of
    # them packed into one: `newsdesk eval brief` reports how many such pairs join, and how often a
    # neighbour joins where the sentences align one to one).
    block_length: float = 1.3  # the long sentence has this many times the words of the aligned one
    block_gain: float = 0.08  # the pair, embedded as one text, is this much closer to it than one alone
    block_floor: float = 0.3  # and the neighbour alone at least this close
    value_tolerance: float = 0.02  # figures closer than this (relative) agree
    conflict_ratio: float = 2.0  # figures further apart than this count different things, not rival counts


@dataclass(slots=True)
class SourceInfo:
    """What the brief needs to know about one article of the story."""

    id: str
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    copy_of: str | None = None  # the article this one copies or translates


@dataclass(slots=True)
class Fact:
    """Claims of several articles that state the same thing."""

    id: str
    claims: list[Claim]
    vector: np.ndarray
    independent_sources: int = 0
    conflicts: list[dict] = field(default_factory=list)
    representative: Claim | None = None

    @property
    def articles(self) -> list[str]:
        return [c.article for c in self.claims]


def independent_key(article: str, sources: Mapping[str, SourceInfo]) -> str:
    """What an article counts as: its original's outlet (copies and translations follow copy_of)."""
    seen = set()
    info = sources.get(article)
    while info is not None and info.copy_of and info.copy_of in sources and info.id not in seen:
        seen.add(info.id)
        info = sources[info.copy_of]
    if info is None:
        return article
    return f"outlet:{info.outlet.casefold()}" if info.outlet else f"article:{info.id}"


def align_claims(
    claims: list[Claim],
    vectors: np.ndarray,
    sources: Mapping[str, SourceInfo],
    settings: AlignSettings | None = None,
    joins_only: list[bool] | None = None,
    blocks: BlockContext | None = None,
) -> list[Fact]:
    """Facts of a story, claims taken in order (articles oldest first, then text order). A claim
    flagged in `joins_only` (a clause of a sentence listed before it) is a fact only once a whole
    sentence of another article joins it: a later article may state alone what an earlier one
    packed into one sentence with other things. With `blocks`, one source's two adjacent sentences
    may together state what another says in one (see `_join_blocks`)."""
    settings = settings or AlignSettings()
    keys = _StoryKeys.of(claims)
    facts: list[Fact] = []
    whole: list[list[Claim]] = []  # per fact: the claims that joined it as whole sentences
    vectors_of: dict[int, np.ndarray] = {}
    # One row per fact, allocated once (a fact is opened at most once per claim).
    totals = np.zeros((len(claims), vectors.shape[1] if vectors.size else 512), dtype=np.float32)
    centroids = totals.copy()
    joins_only = joins_only or [False] * len(claims)
    members: list[list[tuple[Claim, np.ndarray]]] = []  # per fact: its claims, each with its own vector
    for claim, vector, clause in zip(claims, vectors, joins_only, strict=True):
        opened = centroids[: len(facts)]
        chosen = _matching_fact(claim, vector, opened, facts, members, keys, sources, settings) if facts else None
        if chosen is None:
            totals[len(facts)] = centroids[len(facts)] = vector
            facts.append(Fact(f"f{len(facts) + 1}", [claim], vector.copy()))
            members.append([(claim, vector)])
            whole.append([] if clause else [claim])
            if not clause:
                vectors_of[id(claim)] = vector
        else:
            if not clause:
                whole[chosen].append(claim)
                vectors_of[id(claim)] = vector
            facts[chosen].claims.append(claim)
            members[chosen].append((claim, vector))
            totals[chosen] += vector
            centroids[chosen] = totals[chosen] / max(float(np.linalg.norm(totals[chosen])), 1e-9)
            facts[chosen].vector = centroids[chosen]
    if blocks is not None:
        _join_blocks(facts, whole, vectors_of, blocks, settings)
    kept = [(fact, stated) for fact, stated in zip(facts, whole, strict=True) if stated]
    # Corroboration another fact already shows, with more sources, is not listed twice (a clause's fact
    # beside its sentence's); a lone sentence stays, for what else it says.
    cited = [{(c.article, c.start) for c in fact.claims} for fact, _ in kept]
    kept = [item for item, own in zip(kept, cited, strict=True) if len(own) < 2 or not any(own < o for o in cited)]
    facts = [fact for fact, _ in kept]
    for number, (fact, stated) in enumerate(kept, 1):
        fact.id = f"f{number}"
        fact.independent_sources = len({independent_key(c.article, sources) for c in fact.claims})
        # A sentence that states the fact, rather than one that packs it with others.
        fact.representative = _representative(fact, sources, stated, vectors_of)
        fact.conflicts = _conflicts_within(fact, settings)
    _conflicts_between(facts, settings)
    _shown_once(facts)
    return facts


def _matching_fact(
    claim: Claim,
    vector: np.ndarray,
    centroids: np.ndarray,
    facts: list[Fact],
    members: list[list[tuple[Claim, np.ndarray]]],
    keys: _StoryKeys,
    sources: Mapping[str, SourceInfo],
    settings: AlignSettings,
) -> int | None:
    """The first of the closest facts (by centroid) that has a claim this one restates: one this close
    in meaning, or close and sharing names, figures or rarer word stems with it. Each test is against one
    claim, never the centroid: the mean of several sentences is close to any short generic sentence,
    and a fact must not drift from claim to claim."""
    floor = min(settings.related, settings.related_across)
    language = language_of(claim, sources)
    for index in np.argsort(-(centroids @ vector))[:8]:
        fact = facts[int(index)]
        if any(c.article == claim.article for c in fact.claims):
            continue
        for other, other_vector in members[int(index)]:
            cosine = float(vector @ other_vector)
            across = language is not None and language_of(other, sources) != language
            related = settings.related_across if across else settings.related
            same = settings.same_across if across else settings.same
            if cosine < related:
                continue
            # In one language the same fact shares a word, a name or a figure; short generic sentences
            # come close in meaning without one ("NATO is ready to listen", "NATO sees room for progress").
            if cosine >= same and (across or _shared_with(claim, other, _StoryKeys()) >= 1):
                return int(index)
            if _shared_with(claim, other, keys) >= 2:
                return int(index)
        if float(centroids[int(index)] @ vector) < floor:
            break
    return None


@dataclass(slots=True)
class BlockContext:
    """What joining adjacent sentences needs: the articles' texts (a joined span is cited as it
    stands) and the sentence encoder (a pair is embedded as one text)."""

    texts: Mapping[str, str]
    encode: Callable[[list[str]], np.ndarray]


def _join_blocks(
    facts: list[Fact],
    whole: list[list[Claim]],
    vectors_of: dict[int, np.ndarray],
    blocks: BlockContext,
    settings: AlignSettings,
) -> None:
    """Where one source says in two adjacent sentences what another packs into one ("reopen the
    representations. Military communication is to be improved and a hotline set up" against "restore
    our offices, use military channels and set up a hotline"), the fact cites both sentences as one
    span: the neighbour joins when the pair, embedded as one text, is clearly closer to the long
    sentence than the aligned sentence alone (vecalign's many-to-one alignment, Thompson and Koehn
    2019). Only a neighbour no other source corroborates may move; its own fact goes if emptied."""
    fact_of: dict[tuple[str, int], int] = {}
    by_position: dict[tuple[str, int], Claim] = {}
    for index, stated in enumerate(whole):
        for claim in stated:
            fact_of[(claim.article, claim.order)] = index
            by_position[(claim.article, claim.order)] = claim
    proposals: list[tuple[int, Claim, Claim, Claim]] = []  # fact, its long sentence, its aligned claim, neighbour
    for index, stated in enumerate(whole):
        if len({c.article for c in stated}) < 2:
            continue
        for short in stated:
            for long in stated:
                if long.article == short.article or not packs(long.text, short.text, settings):
                    continue
                for step in (-1, 1):
                    neighbour = by_position.get((short.article, short.order + step))
                    if neighbour is None or not _adjacent(short, neighbour, blocks.texts[short.article]):
                        continue
                    home = fact_of[(neighbour.article, neighbour.order)]
                    if home == index or len({c.article for c in whole[home]}) > 1:
                        continue
                    if float(vectors_of[id(long)] @ vectors_of[id(neighbour)]) >= settings.block_floor:
                        proposals.append((index, long, short, neighbour))
    if not proposals:
        return
    texts = [blocks.texts[s.article][min(s.start, n.start) : max(s.end, n.end)] for _, _, s, n in proposals]
    joined = blocks.encode(texts)
    best: dict[tuple[int, int], tuple[float, Claim, Claim, np.ndarray]] = {}
    for (index, long, short, neighbour), vector in zip(proposals, joined, strict=True):
        target, alone = vectors_of[id(long)], vectors_of[id(short)]
        if joins_as_block(target, alone, vectors_of[id(neighbour)], vector, settings):
            key = (index, id(short))
            gain = float(target @ vector) - float(target @ alone)
            if key not in best or gain > best[key][0]:
                best[key] = (gain, short, neighbour, vector)
    moved: set[int] = set()
    for (index, _), (_, short, neighbour, vector) in best.items():
        if id(neighbour) in moved or id(short) in moved:
            continue
        moved.update((id(neighbour), id(short)))
        block = _joined(short, neighbour, blocks.texts[short.article])
        fact = facts[index]
        fact.claims[fact.claims.index(short)] = block
        whole[index][whole[index].index(short)] = block
        vectors_of[id(block)] = vector
        home = fact_of[(neighbour.article, neighbour.order)]
        whole[home].remove(neighbour)
        if neighbour in facts[home].claims:
            facts[home].claims.remove(neighbour)


def packs(long: str, short: str, settings: AlignSettings) -> bool:
    """Whether a sentence is long enough, beside another, to say what two sentences say."""
    return len(long.split()) >= settings.block_length * len(short.split())


def joins_as_block(
    long: np.ndarray, short: np.ndarray, neighbour: np.ndarray, pair: np.ndarray, settings: AlignSettings
) -> bool:
    """Whether a sentence's neighbour also states part of the long sentence it is aligned with (unit
    vectors of the long sentence, the aligned one, its neighbour, and the two embedded as one text)."""
    if float(long @ neighbour) < settings.block_floor:
        return False
    return float(long @ pair) - float(long @ short) >= settings.block_gain


def _adjacent(a: Claim, b: Claim, text: str) -> bool:
    """Whether only white space stands between two claims of one article."""
    return text[min(a.end, b.end) : max(a.start, b.start)].isspace()


def _joined(a: Claim, b: Claim, text: str) -> Claim:
    """Two adjacent sentences of one article as one claim."""
    first, second = sorted((a, b), key=lambda c: c.start)
    return Claim(
        a.article,
        first.start,
        second.end,
        text[first.start : second.end],
        first.order,
        first.entities | second.entities,
        [*first.quantities, *second.quantities],
        [*first.dates, *second.dates],
        a.speaker,
        a.speaker_entity,
        a.act,
        a.quote,
        first.negated or second.negated,
        first.names | second.names,
    )


def language_of(claim: Claim, sources: Mapping[str, SourceInfo]) -> str | None:
    """The language of the claim's article, when known."""
    info = sources.get(claim.article)
    return info.language if info else None


@dataclass(slots=True)
class _StoryKeys:
    """The names and word stems of a story's claims: those most claims repeat tell no fact apart (NATO
    and Russia in a NATO–Russia story), and a stem few claims use is stronger evidence than a frequent one."""

    common: set = field(default_factory=set)
    stems: Counter = field(default_factory=Counter)  # stem -> claims using it

    @classmethod
    def of(cls, claims: list[Claim]) -> _StoryKeys:
        keys = cls(_common_keys(claims))
        for claim in {id(c): c for c in claims}.values():
            keys.stems.update(_content_stems(claim))
        return keys


def _shared_with(claim: Claim, other: Claim, keys: _StoryKeys) -> int:
    """Evidence that two claims state one fact: names, figures, the same figure of the same thing, and
    content-word stems (one point for a stem at most RARE_STEM claims use, half a point otherwise)."""
    numbers = {q.value for q in other.quantities if q.value is not None}
    counted = {(q.value, _unit(q)) for q in other.quantities if q.value is not None and _unit(q)}
    both = claim.entities & other.entities
    entities = len(both - keys.common)
    # A shared name counts as an entity; its words are not counted again (the words of names not linked
    # to one entity still count: "Annelise" and "Anneliese Brunner").
    named = _stems(" ".join(w for e, w in claim.names | other.names if e in both))
    shared = (_content_stems(claim) & _content_stems(other)) - keys.common - named
    words = sum(1.0 if keys.stems[stem] <= RARE_STEM else 0.5 for stem in shared)
    shared_counts = {(q.value, _unit(q)) for q in claim.quantities if _unit(q)} & counted  # same figure, same thing
    return entities + len({q.value for q in claim.quantities} & numbers) + len(shared_counts) + int(words + 0.5)


def _common_keys(claims: list[Claim], share: float | None = None) -> set:
    """Entities and word stems found in more than `share` of the story's claims."""
    counts: Counter = Counter()
    for claim in claims:
        counts.update(claim.entities | _stems(claim.text))
    share = COMMON_SHARE if share is None else share
    return {key for key, n in counts.items() if n > share * len(claims) and n > 2}


def _content_stems(claim: Claim) -> frozenset[str]:
    """Stems of the words that can say what happened: not function words, titles ("deputy foreign
    minister"), weekdays or months (dates are compared as dates)."""
    return _stems(claim.text) - _FUNCTION_STEMS


@lru_cache(maxsize=65_536)  # each claim is compared with many
def _stems(text: str) -> frozenset[str]:
    """The first five letters of longer words: "emergency" meets "emergencies", "policy" "policies".
    (A crude stemmer, but one that works alike in every language the brief reads.)"""
    return frozenset(w[:STEM] for w in _LETTERS.findall(text.casefold()) if len(w) >= STEM)


def _representative(
    fact: Fact,
    sources: Mapping[str, SourceInfo],
    stated: list[Claim] | None = None,
    vectors: Mapping[int, np.ndarray] | None = None,
) -> Claim:
    """The sentence that stands for the fact: one that joined as a whole sentence (of `stated`), an
    original's, in English when there is one, else in the story's most common language among its
    claims; of those, the one closest to what all of them say (else the earliest)."""
    vectors = vectors or {}
    languages = Counter(sources[c.article].language if c.article in sources else None for c in fact.claims)
    preferred = "en" if "en" in languages else languages.most_common(1)[0][0]

    def rank(claim: Claim) -> tuple[int, int, float, int]:
        info = sources.get(claim.article)
        language = info.language if info else None
        vector = vectors.get(id(claim))
        closeness = -float(vector @ fact.vector) if vector is not None else 0.0
        return (int(language != preferred), int(bool(info and info.copy_of)), closeness, fact.claims.index(claim))

    return min(stated or fact.claims, key=rank)


def _unit(quantity: Quantity) -> str | None:
    if not quantity.unit:
        return None
    return _unit_key(quantity.unit)


def _unit_key(unit: str) -> str:
    """What a unit counts: its head noun, singular, with synonyms folded."""
    head = unit.casefold().split()[-1]  # "combat-ready soldiers" counts soldiers
    head = head[:-1] if head.endswith("s") and len(head) > 3 else head
    return _SAME_COUNT.get(head, head)


# Nouns that count the same thing in news reports ("100,000 soldiers" and "100,000 troops").
_SAME_COUNT = {
    word: head
    for head, words in {
        "troop": "soldier serviceman servicemen",
        "home": "house dwelling",
        "people": "person resident inhabitant",
        "death": "dead fatality",
    }.items()
    for word in words.split()
}


def _quantity_sides(claims: list[Claim], settings: AlignSettings) -> dict[str, list[list[tuple[Claim, Quantity]]]]:
    """For each unit counted in these claims, the groups of agreeing figures (only units with two or more)."""
    by_unit: dict[str, list[tuple[Claim, Quantity]]] = defaultdict(list)
    for claim in claims:
        for quantity in claim.quantities:
            unit = _unit(quantity)
            if unit and quantity.value is not None:
                by_unit[unit].append((claim, quantity))
    found = {}
    for unit, items in by_unit.items():
        groups: list[list[tuple[Claim, Quantity]]] = []
        for claim, quantity in sorted(items, key=lambda item: item[1].value or 0):
            last = groups[-1][-1][1].value if groups else None
            if last is not None and abs((quantity.value or 0) - last) <= settings.value_tolerance * max(abs(last), 1):
                groups[-1].append((claim, quantity))
            else:
                groups.append([(claim, quantity)])
        # Figures far apart count different things ("$140 tickets", "a $160 million contract"): only
        # figures within `conflict_ratio` of their neighbours are rival counts of one thing.
        runs: list[list[list[tuple[Claim, Quantity]]]] = []
        for group in groups:
            previous = runs[-1][-1][-1][1].value if runs else None
            value = group[0][1].value or 0
            if previous is not None and previous > 0 and value <= settings.conflict_ratio * previous:
                runs[-1].append(group)
            else:
                runs.append([group])
        rivals = [r for r in runs if len(r) >= 2 and _disputed(r)]
        if rivals:
            best = max(rivals, key=lambda r: sum(len(g) for g in r))
            if not _contrasts(items, best):
                found[unit] = best
    return found


def _disputed(groups: list[list[tuple[Claim, Quantity]]]) -> bool:
    """Whether sources disagree on the figure: one article gives one figure and not the other while
    another article gives the other and not the first, or one sentence sets the two against each other
    ("14 billion, but engineers say as much as 17"). One article giving two figures alone ("four
    sentences", "seven life sentences") is counting two things."""
    stated: dict[str, set[int]] = defaultdict(set)
    for index, group in enumerate(groups):
        for claim, _ in group:
            stated[claim.article].add(index)
    for i, j in combinations(range(len(groups)), 2):
        if any(i in s and j not in s for s in stated.values()) and any(j in s and i not in s for s in stated.values()):
            return True
    for claim in {id(c): c for group in groups for c, _ in group}.values():
        found = sorted((q for g in groups for c, q in g if c is claim), key=lambda q: q.start)
        for first, second in pairwise(found):
            between = claim.text[first.end - claim.start : second.start - claim.start]
            if first.value != second.value and _DISPUTE.search(between):
                return True
    return False


def _contrasts(items: list[tuple[Claim, Quantity]], groups: list[list[tuple[Claim, Quantity]]]) -> bool:
    """Whether a claim corrects one figure by another ("in seven years, not in four", "seven instead
    of four"): the sources then agree on both, they do not conflict. (A claim that gives both sides'
    figures, "14 billion, though engineers say 17", is reporting the conflict.)"""
    values = [{q.value for _, q in group} for group in groups]
    for claim in {id(c): c for c, _ in items}.values():
        found = [q for q in claim.quantities if q.value is not None and any(q.value in v for v in values)]
        for first, second in pairwise(found):
            if first.value == second.value:
                continue
            start, end = claim.text.find(first.text), claim.text.find(second.text)
            if 0 <= start < end and _CORRECTION.search(claim.text[start + len(first.text) : end]):
                return True
    return False


def _quantity_conflict(unit: str, groups: list[list[tuple[Claim, Quantity]]]) -> dict:
    return {
        "kind": "quantity",
        # what is counted, as the sources word it most briefly ("cubic metres", not the key "metre")
        "about": min((q.unit for group in groups for _, q in group if q.unit), key=len, default=unit).casefold(),
        "sides": [
            {
                "value": group[0][1].value,
                "text": group[0][1].text,
                "sources": [_span(c) for c, _ in group],  # the sentence: the figure with what it counts
            }
            for group in groups
        ],
    }


def _conflicts_within(fact: Fact, settings: AlignSettings) -> list[dict]:
    conflicts = [_quantity_conflict(u, g) for u, g in _quantity_sides(fact.claims, settings).items()]
    speakers: dict[str, list[Claim]] = defaultdict(list)
    for claim in fact.claims:
        if claim.quote is not None and claim.quote.direct and claim.speaker_entity:
            speakers[claim.speaker_entity].append(claim)
    if len(speakers) >= 2:
        conflicts.append(
            {
                "kind": "speaker",
                "about": "who said it",
                "sides": [
                    {"value": group[0].speaker, "text": group[0].text, "sources": [_span(c) for c in group]}
                    for group in speakers.values()
                ],
            }
        )
    denied = [c for c in fact.claims if c.act == "denied"]
    stated = [c for c in fact.claims if c.act != "denied"]
    if denied and stated:  # "the ministry denied that troops crossed" against "troops crossed"
        conflicts.append(_negation(stated, denied, "denied"))
        return conflicts
    negated = [c for c in fact.claims if c.negated]
    affirmed = [c for c in fact.claims if not c.negated]
    if negated and affirmed and _same_words(negated[0], affirmed[0]):
        conflicts.append(_negation(affirmed, negated, "no"))
    return conflicts


def _negation(yes: list[Claim], no: list[Claim], value: str) -> dict:
    return {
        "kind": "negation",
        "about": "whether it happened",
        "sides": [
            {"value": "yes", "text": yes[0].text, "sources": [_span(c) for c in yes]},
            {"value": value, "text": no[0].text, "sources": [_span(c) for c in no]},
        ],
    }


def _conflicts_between(facts: list[Fact], settings: AlignSettings) -> None:
    """Facts not aligned (each stating its own figure) that count one thing differently: close facts,
    or facts whose sources count the same thing done by the same verb ("has destroyed 14 homes",
    "at least 10 homes had been destroyed"), however differently the rest of their sentences read."""
    if len(facts) < 2:
        return
    matrix = np.stack([f.vector for f in facts])
    similarity = matrix @ matrix.T
    pairs: dict[tuple[int, int], set[str] | None] = {}  # fact pair -> the units to compare (None: all)
    for i in range(len(facts)):
        for j in np.nonzero(similarity[i] >= settings.conflict_related)[0]:
            if int(j) > i:
                pairs[(i, int(j))] = None
    done_by: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, fact in enumerate(facts):
        for claim in fact.claims:
            for quantity in claim.quantities:
                unit = _unit(quantity)
                if unit and quantity.predicate and quantity.value is not None:
                    done_by[(unit, quantity.predicate)].add(i)
    for (unit, _), indices in done_by.items():
        for i in indices:
            for j in indices:
                if i < j and pairs.get((i, j), set()) is not None:
                    pairs.setdefault((i, j), set()).add(unit)
    for (i, j), units in sorted(pairs.items()):
        fact, other = facts[i], facts[j]
        if not any(c.quantities for c in fact.claims) or not any(c.quantities for c in other.claims):
            continue
        for unit, groups in _quantity_sides(fact.claims + other.claims, settings).items():
            if units is not None and unit not in units:
                continue
            # the combined sides replace a conflict the fact already had over the same thing
            fact.conflicts = [c for c in fact.conflicts if c["kind"] != "quantity" or _unit_key(c["about"]) != unit]
            fact.conflicts.append(_quantity_conflict(unit, groups))


def _shown_once(facts: list[Fact]) -> None:
    """A conflict over the same figures is told once, on the best-corroborated fact that has it."""
    seen: set[tuple] = set()
    for fact in sorted(facts, key=lambda f: (-f.independent_sources, -len(f.claims))):
        kept = []
        for conflict in fact.conflicts:
            key = (conflict["kind"], conflict["about"], frozenset(str(side["value"]) for side in conflict["sides"]))
            if key not in seen:
                seen.add(key)
                kept.append(conflict)
        fact.conflicts = kept


def _same_words(a: Claim, b: Claim) -> bool:
    """Two claims in one language that share most of their words (so a negation is the difference)."""
    x, y = set(_WORD.findall(a.text.casefold())), set(_WORD.findall(b.text.casefold()))
    return bool(x and y) and len(x & y) / len(x | y) >= 0.5


def _span(claim: Claim) -> dict:
    return {"article": claim.article, "start": claim.start, "end": claim.end}
