"""Decide whether an article's entity group names a known identity, and how much the name alone says:
enough (a full name, an acronym of its expansion, a translation), enough with the article's support (a
bare surname, one word of a short name), or nothing, or that it names someone else (another first name).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .name_keys import (
    PEOPLE,
    ParsedName,
    blocking_keys,
    demonym_of,
    family_of,
    given_alike,
    given_compatible,
    parse_name,
    phonetic,
    sound,
    spells,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CONFLICT",
    "HINT",
    "NONE",
    "PART",
    "SAME_NAME",
    "STRONG",
    "WEAK",
    "Incoming",
    "Known",
    "MatchSettings",
    "conflicting",
    "incoming",
    "score_match",
]

# How much a name match says on its own: STRONG links; WEAK links when the article supports it or the
# identity was seen recently; PART (one word or the end of a longer name) links to an entity of the same
# article or with support from co-occurring entities; HINT only with that support; CONFLICT never.
STRONG, WEAK, PART, HINT, NONE, CONFLICT = 4, 3, 2, 1, 0, -1
# Scores rank matches of one strength: the very same name first, a cut-off word last.
SAME_NAME, INITIALS, ANAGRAM, SPELLING, EMBEDDING, HEADLINE, DEMONYM = 300.0, 250.0, 220.0, 200.0, 200.0, 150.0, 150.0
SPELLED_ACRONYM, SUFFIX, HEAD = 60.0, 55.0, 50.0
_PLACES_AND_BODIES = frozenset({"ORG", "PLACE", "FAC"})  # the NER confuses teams, cities and venues
_DEMONYM_FAMILIES = frozenset({"NORP", "PLACE", "NAME"})
MAX_FORMS = 64  # names kept per identity for matching (all of them stay in its variants)
MAX_VECTORS = 8  # embeddings kept per identity
SAME_VECTOR = 0.97  # cosine above which a second embedding adds nothing


@dataclass(slots=True)
class MatchSettings:
    """Similarity thresholds: rapidfuzz ratios (0–100) on sound-folded names, cosine for embeddings."""

    surname_similarity: float = 82.0
    phonetic_similarity: float = 75.0  # enough when the phonetic codes agree and the word is long
    name_similarity: float = 90.0  # organisation and place names
    word_similarity: float = 75.0  # each word of a multi-word name (Centre/Center)
    embedding_similarity: float = 0.86
    head_length: int = 4  # a bare word must be this long to stand for a longer name ("Saints")


@dataclass(slots=True)
class Incoming:
    """One article's entity group, parsed for matching."""

    label: str
    family: str
    name: str
    variants: list[str]
    counts: Counter[str]
    forms: list[ParsedName]
    alternates: list[ParsedName]  # shorter runs of a long person name (headlines glue words on)
    keys: set[str] = field(default_factory=set)
    language: str | None = None
    vector: np.ndarray | None = None

    @property
    def one_word(self) -> bool:
        """Known in the article by one word only (a bare surname, "Saints")."""
        return all(len(f.tokens) <= 1 for f in self.forms)

    @property
    def order(self) -> tuple[bool, bool, int]:
        """Link order within an article: bare person names last, other one-word names before them,
        longest first, so that the names that need the article's support find it."""
        return self.one_word and self.family in PEOPLE, self.one_word, -len(self.name)


@dataclass(slots=True)
class Known:
    """The names (and name embeddings) an identity has been seen under."""

    forms: dict[str, ParsedName] = field(default_factory=dict)
    families: Counter[str] = field(default_factory=Counter)
    vectors: list[np.ndarray] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)

    @property
    def family(self) -> str:
        """The majority family; NAME (no NER) only when nothing else was seen."""
        typed = [(n, f) for f, n in self.families.items() if f != "NAME"]
        return max(typed)[1] if typed else "NAME"

    def add(self, item: Incoming) -> None:
        for form in item.forms:
            if len(self.forms) < MAX_FORMS:
                self.forms.setdefault(form.text, form)
        self.families[item.family] += 1
        if item.language:
            self.languages.add(item.language)
        if item.vector is not None:
            self.add_vector(item.vector)

    def add_vector(self, vector: np.ndarray) -> None:
        """Keep an embedding unless a near-identical one is kept already."""
        if len(self.vectors) < MAX_VECTORS and all(float(v @ vector) < SAME_VECTOR for v in self.vectors):
            self.vectors.append(vector)

    def absorb(self, other: Known) -> None:
        for text, form in list(other.forms.items())[: max(0, MAX_FORMS - len(self.forms))]:
            self.forms.setdefault(text, form)
        self.families.update(other.families)
        self.languages |= other.languages
        self.vectors.extend(other.vectors[: max(0, MAX_VECTORS - len(self.vectors))])

    def spelled_names(self, counts: Counter[str], limit: int) -> list[str]:
        """The most frequent names that are not acronyms, for embedding."""
        spelled = [text for text, form in self.forms.items() if not form.acronym]
        return sorted(spelled, key=lambda t: -counts.get(t, 0))[:limit]

    def given_names(self) -> set[str]:
        """First given names of the full forms (initials left out)."""
        return {f.given[0] for f in self.forms.values() if f.given and len(f.given[0]) > 1}

    def only(self, item: Incoming) -> bool:
        """Known by no other name than the group's own (an unresolved bare surname)."""
        keys = {f.key for f in item.forms}
        return all(form.key in keys for form in self.forms.values())

    def is_full(self, text: str, label: str) -> bool:
        """A full form: a person's name with a given name, anything else spelled out."""
        form = self.forms.get(text) or parse_name(text)
        return bool(form.given) if family_of(label) == "PERSON" else not form.acronym


def incoming(label: str, name: str, variants: list[str], counts: Counter[str], language: str | None = None) -> Incoming:
    """Parse a group's name and variants and compute its blocking keys."""
    family = family_of(label)
    forms = [f for f in (parse_name(t, family) for t in [name, *(v for v in variants if v != name)]) if f.tokens]
    alternates = _headline_readings(forms) if family in PEOPLE else []
    item = Incoming(label, family, name, list(variants), counts, forms, alternates, language=language)
    item.keys = {key for form in [*forms, *alternates] for key in blocking_keys(form, family)}
    return item


def score_match(item: Incoming, known: Known, settings: MatchSettings) -> tuple[int, float]:
    """(strength, score) of the group naming the identity."""
    family = known.family
    if "PERSON" in (item.family, family):
        if {item.family, family} == {"PERSON", "ORG"}:
            return _mislabelled_person(item, known)
        if item.family not in PEOPLE or family not in PEOPLE:
            return NONE, 0.0  # a person is never a place, a people or an event
        return _person_score(item, known, settings)
    if item.family == "NAME" and family == "NAME":
        return max(_person_score(item, known, settings), _other_score(item, known, settings))
    return _other_score(item, known, settings)


def conflicting(a: Known, b: Known, settings: MatchSettings) -> bool:
    """Whether two identities cannot be one: a person and something else, or two different given
    names with one surname."""
    if "PERSON" in (a.family, b.family) and not {a.family, b.family} <= PEOPLE:
        return True
    return any(
        x.given
        and y.given
        and _surname_similarity(x.surname, y.surname, settings) is not None
        and not given_compatible(x.given, y.given)
        for x in a.forms.values()
        for y in b.forms.values()
    )


def _person_score(item: Incoming, known: Known, settings: MatchSettings) -> tuple[int, float]:
    """Full names with compatible given names: STRONG; a bare surname: WEAK when spelled the same,
    HINT when only alike; another given name for the surname: CONFLICT."""
    best, conflict = (NONE, 0.0), False
    for form in item.forms:
        for other in known.forms.values():
            similarity = _surname_similarity(form.surname, other.surname, settings)
            if similarity is None and form.given and other.given and form.given[0] == other.given[0]:
                similarity = _sounds_alike(form.surname, other.surname, settings)  # Declan Murray / Murrey
            if similarity is None:
                continue
            if form.given and other.given:
                compatible = given_compatible(form.given, other.given)
                conflict = conflict or not compatible
                best = max(best, (STRONG, 100 + similarity)) if compatible else best
            else:
                best = max(best, (WEAK if similarity == 100 else HINT, similarity))
    if best[0] < STRONG and _headline_match(item.alternates, known):
        best = (STRONG, HEADLINE)
    return (CONFLICT, 0.0) if conflict and best[0] < STRONG else best


def _mislabelled_person(item: Incoming, known: Known) -> tuple[int, float]:
    """The NER calls some people organisations and some teams people (Teixeira, Red Sox): the very
    same name is WEAK when it has two words or more, a HINT when it is one word."""
    keys = {f.key for f in known.forms.values()} | {f.surname for f in known.forms.values() if f.given}
    for form in item.forms:
        if form.key in keys:
            return (WEAK, 100.0) if len(form.tokens) > 1 else (HINT, 100.0)
    return NONE, 0.0


def _surname_similarity(a: str, b: str, settings: MatchSettings) -> float | None:
    """Similarity of two sound-folded surnames when they can be one name (Khrushko/Grushko), else None."""
    if not a or not b:
        return None
    if a == b:
        return 100.0
    shortest, ratio = min(len(a), len(b)), fuzz.ratio(a, b)
    if shortest >= 4 and ratio >= settings.surname_similarity:
        return ratio
    if shortest >= 6 and ratio >= settings.phonetic_similarity and phonetic(a) == phonetic(b):
        return ratio
    return None


def _sounds_alike(a: str, b: str, settings: MatchSettings) -> float | None:
    """Surnames that sound the same and are spelled nearly so, for people with the same first name."""
    if min(len(a), len(b)) < 4 or phonetic(a) != phonetic(b):
        return None
    ratio = fuzz.ratio(a, b)
    return ratio if ratio >= settings.phonetic_similarity else None


def _headline_match(alternates: list[ParsedName], known: Known) -> bool:
    """A headline glued words to a known full name ("Lindsay Lohan Checks Out"): same given and surname."""
    return any(
        alt.given and other.given and alt.surname == other.surname and given_alike(alt.given[0], other.given[0])
        for alt in alternates
        for other in known.forms.values()
    )


def _other_score(item: Incoming, known: Known, settings: MatchSettings) -> tuple[int, float]:
    """Organisations, places, peoples, events: same name, acronym, spelling, translation, demonym, or
    one word of the name."""
    family = known.family
    same = item.family == family or "NAME" in (item.family, family)
    related = {item.family, family} <= _PLACES_AND_BODIES
    best = (NONE, 0.0)
    for form in item.forms:
        for other in known.forms.values():
            if form.key == other.key:
                return STRONG, SAME_NAME
            if same:
                best = max(best, _form_score(form, other, item, known, settings))
            elif related:
                best = max(best, _head_score(form, other, settings), _suffix_score(form, other))
    if best[0] == PART and _rivals(item, known):
        best = (NONE, 0.0)
    if best[0] < STRONG and same and _translated(item, known, settings):
        best = (STRONG, EMBEDDING)
    demonym = item.family != family and {item.family, family} <= _DEMONYM_FAMILIES
    if best[0] < STRONG and demonym and any(demonym_of(f, o) for f in item.forms for o in known.forms.values()):
        best = (STRONG, DEMONYM)
    return best


def _form_score(
    form: ParsedName, other: ParsedName, item: Incoming, known: Known, settings: MatchSettings
) -> tuple[int, float]:
    """Acronym and expansion, close spelling (word by word), or one word of the name."""
    if form.acronym or other.acronym:
        return _acronym_score(form, other, item, known)
    core, other_core = _core(form.tokens), _core(other.tokens)
    if core == other_core and (core, other_core) != (form.tokens, other.tokens) and len("".join(core)) >= 6:
        return STRONG, SPELLING  # Betty Ford Center, Betty Ford Clinic
    a, b = sound(form.key.replace(" ", "")), sound(other.key.replace(" ", ""))
    if min(len(a), len(b)) >= 5 and _digits(a) == _digits(b) and _aligned(form.tokens, other.tokens, settings):
        ratio = fuzz.ratio(a, b)
        alike = min(len(a), len(b)) >= 6 and ratio >= settings.phonetic_similarity and phonetic(a) == phonetic(b)
        if ratio >= settings.name_similarity or alike:
            return STRONG, SPELLING + ratio / 100
    return max(_head_score(form, other, settings), _suffix_score(form, other))


# Trailing words that say what kind of place an organisation is, not which one.
_KIND_WORDS = frozenset("center centre clinic treatment department dept facility".split())


def _core(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The name without trailing kind words: Betty Ford Treatment Center -> Betty Ford."""
    end = len(tokens)
    while end > 1 and tokens[end - 1] in _KIND_WORDS:
        end -= 1
    return tokens[:end]


def _acronym_score(form: ParsedName, other: ParsedName, item: Incoming, known: Known) -> tuple[int, float]:
    """Initials spell the acronym: STRONG (WEAK for two letters); the same letters reordered in another
    language (NATO/OTAN): STRONG; letters from word beginnings (SIA, Singapore Airlines) or a word more
    or less (EADS, European Aeronautic Defence and Space Company): HINT."""
    if form.acronym and other.acronym:
        if form.acronym == other.acronym:
            return STRONG, SAME_NAME
        foreign = item.language is not None and item.language not in known.languages
        reordered = len(form.acronym) >= 3 and sorted(form.acronym) == sorted(other.acronym)
        return (STRONG, ANAGRAM) if foreign and reordered else (NONE, 0.0)
    short, long = (form, other) if form.acronym else (other, form)
    if short.acronym in long.initials:  # two letters spell too many names (AP, American Pie)
        return (STRONG if len(short.acronym) > 2 else WEAK), INITIALS
    words, letters = long.content, short.acronym
    if len(words) < 2 or len(letters) < 3:
        return NONE, 0.0
    if (
        spells(letters, words)
        or (len(words) >= 3 and spells(letters, words[:-1]))
        or (len(letters) >= 4 and spells(letters[:-1], words))
    ):
        return HINT, SPELLED_ACRONYM
    return NONE, 0.0


def _suffix_score(form: ParsedName, other: ParsedName) -> tuple[int, float]:
    """A name of two words or more ending a longer one (Red Sox, Boston Red Sox): PART."""
    short, long = (form, other) if len(form.tokens) < len(other.tokens) else (other, form)
    if 2 <= len(short.tokens) < len(long.tokens) and _ends_with(long.tokens, short.tokens):
        return PART, SUFFIX
    return NONE, 0.0


def _head_score(form: ParsedName, other: ParsedName, settings: MatchSettings) -> tuple[int, float]:
    """One word for a short organisation name starting with it (Boeing, Boeing Commercial Airplanes;
    the first word is the distinctive one): WEAK; ending with it (Saints, New Orleans Saints; often
    a generic word: Police, Airways): PART. A place named alone is the place, never the team or paper
    named after it; a people (Russian Foreign Ministry) or an acronym (NATO Response Force) heads a
    body of its own."""
    short, long = (form, other) if len(form.tokens) < len(other.tokens) else (other, form)
    if len(short.tokens) != 1 or len(short.key) < settings.head_length or short.family in ("PLACE", "NORP"):
        return NONE, 0.0
    if short.acronym:  # NATO Response Force, UN Security Council: a body of it, not it
        return NONE, 0.0
    if len(long.tokens) > 3 and long.tokens[1:2] == ("of",) and short.key == long.tokens[0] and long.family == "ORG":
        return WEAK, HEAD  # Academy, Academy of Motion Picture Arts and Sciences
    if not 2 <= len(long.tokens) <= 3:
        return NONE, 0.0
    if short.key == long.tokens[0] and long.family == "ORG":
        return WEAK, HEAD
    return (PART, HEAD) if short.key == long.tokens[-1] else (NONE, 0.0)


def _rivals(item: Incoming, known: Known) -> bool:
    """Two longer names with one ending are two entities (Royal Saudi Air Force, United States Air
    Force): the shared ending says nothing."""
    return any(
        len(f.tokens) >= 2
        and len(o.tokens) >= 2
        and f.tokens[-1] == o.tokens[-1]
        and not (_ends_with(f.tokens, o.tokens) or _ends_with(o.tokens, f.tokens))
        for f in item.forms
        for o in known.forms.values()
    )


def _ends_with(tokens: tuple[str, ...], ending: tuple[str, ...]) -> bool:
    return len(ending) <= len(tokens) and tokens[-len(ending) :] == ending


def _translated(item: Incoming, known: Known, settings: MatchSettings) -> bool:
    """The embeddings of the names agree (Estados Unidos / United States), and acronyms in one
    language do not disagree (OSCE, UNECE)."""
    if item.vector is None or not known.vectors or _acronyms_differ(item, known):
        return False
    return max(float(v @ item.vector) for v in known.vectors) >= settings.embedding_similarity


def _aligned(a: tuple[str, ...], b: tuple[str, ...], settings: MatchSettings) -> bool:
    """Multi-word names compare word by word: Promises Treatment Centre/Center, not Changi/Chiang Mai."""
    if len(a) == 1 and len(b) == 1:
        return True
    return len(a) == len(b) and all(
        x == y or fuzz.ratio(sound(x), sound(y)) >= settings.word_similarity for x, y in zip(a, b, strict=True)
    )


def _acronyms_differ(item: Incoming, known: Known) -> bool:
    """Both sides have acronyms in the same language and none is shared (across languages acronyms
    differ anyway: UNECE, CEPE)."""
    if item.language is None or item.language not in known.languages:
        return False
    mine = {"".join(sorted(f.acronym)) for f in item.forms if f.acronym}
    theirs = {"".join(sorted(f.acronym)) for f in known.forms.values() if f.acronym}
    return bool(mine and theirs and not mine & theirs)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _headline_readings(forms: list[ParsedName]) -> list[ParsedName]:
    """A long name read as each shorter run of its words ("Lindsay Lohan Checks Out Of")."""
    readings = []
    for form in forms:
        words = form.text.split()
        for size in range(len(words) - 1, 1, -1):
            readings.extend(parse_name(" ".join(words[i : i + size])) for i in range(len(words) - size + 1))
    return readings
