"""Spelling-independent parts and blocking keys of names, so that transliterations, translations and
short forms of one name (Grushko / Khrushko / Gruschko, NATO / OTAN) meet in one index bucket while
different names (Paolo Ferri / Marco Ferri) can still be told apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz

from ..analysis.entities import TITLES

__all__ = [
    "ACRONYM_STOP",
    "DEMONYM_ENDINGS",
    "FAMILIES",
    "PEOPLE",
    "ParsedName",
    "acronym_of",
    "blocking_keys",
    "demonym_of",
    "demonym_stem",
    "family_of",
    "fold",
    "given_alike",
    "given_compatible",
    "parse_name",
    "phonetic",
    "sound",
    "spells",
]

# Labels that name the same kind of thing; a family is what identities agree on.
FAMILIES = {"GPE": "PLACE", "LOC": "PLACE", "PER": "PERSON", "MISC": "NAME"}
PEOPLE = frozenset({"PERSON", "NAME"})  # families whose names may be personal names (NAME: no NER)
# Leading articles dropped from keys (en, es, fr, it, nl, de, pt).
LEADING_ARTICLES = frozenset("the la le les el los las l lo gli il i de het een der die das o a os as".split())
# Arabic article prefixes: al-Hashimi, el-Hachimi, ad-Din.
ARABIC_ARTICLES = frozenset("al el ad ed as ash at an ar az ul".split())
NAME_PARTICLES = frozenset("de del della der den van von da di du la le lo ter te bin ibn abu dos das des y e".split())
SHORT_FORM = 2  # a given name this short is an initial or a short form: only its first letter must agree
GIVEN_SIMILARITY = 75.0  # rapidfuzz ratio of two spellings of one given name (Antony/Anthony)
NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
CORPORATE_SUFFIXES = frozenset("inc corp corporation co ltd plc llc sa ag nv gmbh spa bv lp ab".split())
# Small words left out of an acronym, in the languages the pipeline meets.
ACRONYM_STOP = frozenset(
    "of for and in on the to at de la le les des du et y e el los las del da do das dos di della per con "
    "van voor het en der die und fur".split()
)
# Spelling rules applied in order; each folds a transliteration or orthography difference onto one spelling.
SOUND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"tsch|tch", "ch"),
        (r"sch|sh|ch|sz", "sh"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"dt\b", "t"),
        (r"ck|q", "k"),
        (r"x", "ks"),
        (r"c(?=[aoukrlt]|\b)", "k"),
        (r"ou|oe|ue", "u"),
        (r"ae", "a"),
        (r"ij|y", "i"),
        (r"i+", "i"),
        (r"([a-z])\1+", r"\1"),
    )
)
# Endings that turn a place into its people or adjective (Russian, Indonesische, chinese, rusos).
DEMONYM_ENDINGS = tuple("ische isch ienne iens ians ian ien anos anas ano ana ans an ese esi ish se s n o a e".split())
MIN_KEY_WORD = 4  # shorter words get no word key of their own
CACHE = 65_536  # parsed names and sound keys kept
# A lower-case word joined to a name is not part of it: Airbus-vliegtuigen, NATO-led, RAF-contract.
_COMPOUND_TAIL = re.compile(r"(?<=\w)-[a-zà-ÿ][\w-]*$")
_ELISION = re.compile(r"\b(?:[ldnsLDNS]|dell|all|nell|sull|dall)['’](?=\w)")


@dataclass(slots=True, frozen=True)
class ParsedName:
    """One surface form reduced to comparable parts."""

    text: str
    key: str  # folded words, leading article and company suffix dropped: "north atlantic treaty organization"
    tokens: tuple[str, ...]  # words of the key
    given: tuple[str, ...]  # read as a person: given names and initials, sound-folded
    surname: str  # read as a person: the family name, sound-folded ("" when none)
    acronym: str  # the letters when the form is an acronym ("nato"), else ""
    initials: frozenset[str]  # what an acronym of this form would spell
    content: tuple[str, ...] = ()  # folded words without small words, for spelled-out acronyms
    family: str = ""  # the kind of thing the form was labelled as, when known


def family_of(label: str) -> str:
    """The kind of thing a label names: GPE and LOC are both places."""
    return FAMILIES.get(label, label)


def fold(text: str) -> str:
    """Lower-case ASCII letters, digits and spaces only."""
    ascii_text = anyascii(text).lower().replace("'", "").replace("’", "")
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text))


@lru_cache(maxsize=CACHE)
def sound(word: str) -> str:
    """A spelling that transliterations of one name share: Gruschko, Grouchko -> grushko."""
    for pattern, replacement in SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


def phonetic(word: str) -> str:
    """Metaphone of the sound-folded word, for blocking."""
    return jellyfish.metaphone(word).lower() if word else ""


def acronym_of(text: str) -> str:
    """The letters of an acronym form (NATO, U.S., CEE-ONU), or ""."""
    bare = re.sub(r"[.\s-]", "", text)
    if 2 <= len(bare) <= 10 and bare.isalpha() and bare.isupper():
        return bare.lower()
    return ""


@lru_cache(maxsize=CACHE)
def parse_name(text: str, family: str = "") -> ParsedName:
    """Parts of a surface form, read both as a name of anything and as a personal name."""
    raw = _core_words(anyascii(_COMPOUND_TAIL.sub("", _ELISION.sub("", text))).split())
    tokens = tuple(_core_words(_words(" ".join(raw))))
    given, surname = _person_parts(tokens, _short_capitals(raw))
    folded = (fold(w).replace(" ", "") for w in raw)
    content = tuple(w for w in folded if w and w not in ACRONYM_STOP)
    acronym = acronym_of(" ".join(raw))
    return ParsedName(text, " ".join(tokens), tokens, given, surname, acronym, _initials(raw), content, family)


def spells(acronym: str, words: tuple[str, ...]) -> bool:
    """Whether the acronym takes one or more leading letters of each word in order
    (SIA from Singapore Airlines, Benelux from Belgium Netherlands Luxembourg)."""
    if not words:
        return not acronym
    if not acronym or acronym[0] != words[0][:1]:
        return False
    return any(spells(acronym[n:], words[1:]) for n in range(min(len(words[0]), len(acronym)), 0, -1))


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two lists of given names can belong to one person (initials and two-letter short
    forms such as Mo for Maurice, spelling variants, a middle name used as the first); an empty list
    is compatible with anything."""
    if not a or not b:
        return True
    x, y = _first_full(a), _first_full(b)
    if min(len(x), len(y)) <= SHORT_FORM:
        return x[0] == y[0]
    if given_alike(x, y):
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return any(given_alike(_first_full(shorter), other) for other in longer[1:] if len(other) > 1)


def given_alike(x: str, y: str) -> bool:
    """Spellings or short forms of one given name: Antony/Anthony, Aleksandr/Alexander, Fred/Frederick."""
    if x == y:
        return True
    if min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)):
        return True
    return min(len(x), len(y)) >= 4 and fuzz.ratio(x, y) >= GIVEN_SIMILARITY


def demonym_stem(key: str) -> str:
    """The stem a demonym shares with its country (russian -> russ, indonesische -> indonesi)."""
    for ending in DEMONYM_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 4:
            return key[: -len(ending)]
    return key


def blocking_keys(form: ParsedName, family: str) -> set[str]:
    """Index keys under which matching names meet: the whole key; the sound-folded and phonetic
    surname for people (and one-word names, which may be people the NER mislabelled); for other names
    also their words, their sound, acronym letters (sorted too, for NATO/OTAN) and a demonym stem."""
    keys = {f"k:{form.key}"}
    if (family in PEOPLE or len(form.tokens) == 1) and form.surname:
        code = phonetic(form.surname)
        keys |= {f"s:{form.surname}", f"p:{code}"}
        if len(code) >= 3:
            keys.add(f"q:{code[1:]}")  # Grushko/Khrushko differ in the first sound only
    if family == "PERSON":
        return keys
    keys |= _acronym_keys(form)
    compact = sound(form.key.replace(" ", ""))
    if len(compact) > MIN_KEY_WORD:
        keys.add(f"m:{phonetic(compact)}")
    keys |= {f"t:{sound(t)}" for t in form.tokens if len(t) >= MIN_KEY_WORD and t not in ACRONYM_STOP}
    if len(form.tokens) == 1:
        keys.add(f"d:{demonym_stem(form.key)[:MIN_KEY_WORD]}")
    return keys


def _acronym_keys(form: ParsedName) -> set[str]:
    """Letters an acronym and its expansion share: the initials (one letter more or less, for a cut or
    an extra word), the letters sorted, and the first and last letter (SIA, Singapore Airlines)."""
    keys: set[str] = set()
    for letters in {form.acronym, *form.initials} - {""}:
        keys.add(f"a:{letters}")
        if len(letters) >= 4:
            keys.add(f"a:{letters[:-1]}")
    if form.acronym:
        keys |= {f"g:{''.join(sorted(form.acronym))}", f"b:{form.acronym[0]}{form.acronym[-1]}"}
    elif len(form.content) >= 2:
        keys.add(f"b:{form.content[0][0]}{form.content[-1][0]}")
    return keys


def demonym_of(a: ParsedName, b: ParsedName) -> bool:
    """One names a people or its adjective, the other its country (Russian/Russia, Indonesische/
    Indonesia, Amerikaanse/Amerika): the stem covers the place name but for two letters either way."""
    if len(a.tokens) != 1 or len(b.tokens) != 1 or a.acronym or b.acronym or a.key == b.key:
        return False
    for demonym, place in ((a.key, b.key), (b.key, a.key)):
        stem = demonym_stem(demonym)
        common = next(
            (i for i, (x, y) in enumerate(zip(stem, place, strict=False)) if x != y), min(len(stem), len(place))
        )
        if common >= MIN_KEY_WORD and len(place) - common <= 2 and len(stem) - common <= 2:
            return True
    return False


def _core_words(words: list[str]) -> list[str]:
    """Words without a leading article or a trailing company suffix (the EU, Microsoft Corp.)."""
    while len(words) > 1 and fold(words[0]) in LEADING_ARTICLES:
        words = words[1:]
    while len(words) > 1 and fold(words[-1]) in CORPORATE_SUFFIXES:
        words = words[:-1]
    return words


def _words(text: str) -> list[str]:
    """Folded words; Arabic article prefixes and apostrophes dropped, other hyphenated parts kept apart."""
    words: list[str] = []
    for raw in anyascii(text).split():
        parts = [p for p in re.split(r"[-‐]", raw) if p]
        if len(parts) > 1 and fold(parts[0]) in ARABIC_ARTICLES:
            parts = parts[1:]
        words.extend(w for w in (fold(p).replace(" ", "") for p in parts) if w)
    return words


def _person_parts(tokens: tuple[str, ...], initials: frozenset[str]) -> tuple[tuple[str, ...], str]:
    """(given names, surname), both sound-folded; titles, particles and suffixes dropped, short
    capitalised given names read as initials (RB Bush, JR Smith)."""
    words = [w for w in tokens if w not in NAME_SUFFIXES and w not in ARABIC_ARTICLES]
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    if not words:
        return (), ""
    surname = sound(words[-1])
    given = tuple(w[0] if w in initials else sound(w) for w in words[:-1] if w not in NAME_PARTICLES)
    return given, surname


def _short_capitals(raw: list[str]) -> frozenset[str]:
    """Folded words written as two or three capitals, unless the whole name is in capitals."""
    if all(w.isupper() for w in raw):
        return frozenset()
    return frozenset(fold(w) for w in raw if w.isupper() and 2 <= len(w.strip(".")) <= 3)


def _first_full(given: tuple[str, ...]) -> str:
    """The first given name that is not an initial (W. Mark Felt -> mark), else the first initial."""
    return next((g for g in given if len(g) > 1), given[0])


def _initials(words: list[str]) -> frozenset[str]:
    """What an acronym of a multi-word name would spell: with and without hyphenated parts split
    (Co-operation gives c or co), small words skipped or kept, an acronym word spelled whole (UN)."""
    words = [w for w in words if w and w[0].isalnum()]
    if len(words) < 2:
        return frozenset()
    spelled: set[str] = set()
    for split_hyphens in (False, True):
        parts = [p for w in words for p in (w.split("-") if split_hyphens else [w]) if p]
        content = [p for p in parts if p.lower() not in ACRONYM_STOP]
        for chosen in (content, parts):
            if len(chosen) >= 2:
                spelled.add("".join(acronym_of(p) or p[0] for p in chosen).lower())
    return frozenset(spelled)
