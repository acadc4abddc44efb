"""Named entities of one article, with the model's typical news errors repaired and
every mention of the same thing pointing to one entity.

spaCy finds the spans; this module trims titles, possessives and junk words,
recovers bare surnames the model missed or mislabelled, and groups mentions
within the article (surname → full name, acronym → expansion, close spellings),
because no library does within-document name coreference for news well.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.tokens import Doc

from ..model import Mention
from .cues import SOURCE_NOUNS
from .models import LABEL_MAP
from .sentences import sentences, text_of

__all__ = ["ENTITY_LABELS", "EntityGroup", "entity_id", "find_mentions", "group_mentions", "name_key", "surname_key"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "NAME"})
_NAME_RUN = re.compile(
    r"(?<![\w-])[A-ZÀ-Ý][\w'’-]*(?:[ \t]+(?:(?:van|von|de|der|den|del|della|di|da|du|la|le|ter|te)[ \t]+)?"
    r"[A-ZÀ-Ý][\w'’-]*)*"
)
_FUNCTION_WORDS = frozenset(
    "de het een en in op van voor met dat die dit er is zijn was il lo la gli le un una di e che per con non si "
    "i in del della dei der die das ein eine und ich sie wir le la les des une et dans pour the a an and of "
    "ik jij hij zij wij we ze u maar ook toen als nu dus io tu lui lei noi voi loro egli ma anche quando se".split()
)
# Titles and roles that are not part of a name ("Colonel Aleksandr Fomin", "Secretary-General Jens Stoltenberg").
TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady colonel col general gen lieutenant lt major maj captain capt
    admiral sergeant president vice prime minister ministers secretary secretary-general undersecretary
    under-secretary deputy foreign defense defence interior finance chancellor senator sen representative rep
    governor gov mayor ambassador envoy king queen prince princess pope cardinal bishop rev father sheikh
    chairman chairwoman chair ceo director commissioner spokesman spokeswoman spokesperson chief judge justice
    premier leader general-secretary sen. dr. mr. mrs. ms. prof. gen. col. lt. capt. maj. gov. rep. st.
    señor señora don doña monsieur madame m. mme ministre ministro ministra presidente président présidente
    secretario secretaria secrétaire general coronel colonel""".split()
)
# Words the model glues to the front of a name at the start of a sentence ("Will Putin …?").
LEADING_JUNK = frozenset(
    """will would shall should can could may might must did does do has have had is are was were read also see
    follow share join says said según aseguró dijo afirmó selon a according""".split()
)
NAME_PARTICLES = frozenset("de del della der den van von da di du la le al el bin ibn abu y e dos das des ter".split())
ACRONYM_STOP = frozenset("of for and in on the to de la le des du et y e el los las del".split())
_PARTICLE_PREFIX = re.compile(r"^(al|el|ad|as|ash|at|bin|ibn|abu|de|da|di|du|van|von|le|la|d|l|o)[-’']\w*[A-ZÀ-Ý]")
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-Ý][a-zà-ÿ]{4,}(?![\w-])")
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_EDGE_PUNCT = " \t\n.,;:!?\"“”„«»‘’'()[]{}–—-|/*"


@dataclass(slots=True)
class EntityGroup:
    """Mentions of one entity within one article, and the name that stands for them."""

    label: str
    mentions: list[Mention] = field(default_factory=list)
    name: str = ""

    @property
    def variants(self) -> list[str]:
        return sorted({m.text for m in self.mentions}, key=lambda v: (-len(v), v))


def name_key(text: str) -> str:
    """Comparison key for names: accents, case, punctuation and a leading "the" folded."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_ish = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"\w+", ascii_ish)
    if words and words[0] in ("the", "la", "le", "el", "los", "las", "les", "l"):
        words = words[1:]
    return " ".join(words)


def surname_key(text: str) -> str:
    """The last word of a name's key; "" when nothing is left ("La", "The": an article the NER or the
    quote finder took for a name, or the end of one, as in Spanish and French text)."""
    words = name_key(text).split()
    return words[-1] if words else ""


def entity_id(label: str, name: str) -> str:
    """Stable id for an entity: the same label and name give the same id in every run."""
    group = "PLACE" if label in ("GPE", "LOC") else label
    digest = hashlib.sha1(f"{group}|{name_key(name)}".encode()).hexdigest()[:12]
    return f"{group.lower()}-{digest}"


def find_mentions(doc: Doc) -> list[Mention]:
    """Repaired named mentions of the doc, in text order, without overlaps."""
    if not doc.has_annotation("ENT_IOB"):
        return _capitalised_names(doc)
    mentions: list[Mention] = []
    for ent in doc.ents:
        label = LABEL_MAP.get(ent.label_, ent.label_)
        if label not in ENTITY_LABELS:
            continue
        mention = _trim(doc, ent.start, ent.end, label)
        if mention is not None and not _is_role_part(text_of(doc), mention):
            mentions.append(mention)
    mentions = _split_place_prefix(mentions)
    mentions = _split_headline_runs(text_of(doc), mentions)
    mentions = _relabel_surnames(mentions)
    mentions = _team_names(text_of(doc), mentions)
    mentions.extend(_missed_names(text_of(doc), mentions))
    mentions.sort(key=lambda m: (m.start, -m.end))
    return _drop_overlaps(mentions)


def _capitalised_names(doc: Doc) -> list[Mention]:
    """Without a NER model: runs of capitalised words that are not sentence openers, typed NAME.
    Crude, but it lets names in unsupported languages (Dutch, Italian, …) be found and linked."""
    text = text_of(doc)
    starts = {s.start_char for s in sentences(doc)}
    found: list[Mention] = []
    recurring = {m.group() for m in _NAME_RUN.finditer(text) if m.start() not in starts}
    for match in _NAME_RUN.finditer(text):
        name = match.group()
        at_start = match.start() in starts or text[max(0, match.start() - 2) : match.start()].strip() in (
            "",
            ".",
            "!",
            "?",
        )
        if at_start and name not in recurring:
            continue
        if name.lower() in _FUNCTION_WORDS or len(name) < 2:
            continue
        found.append(Mention(match.start(), match.end(), name, "NAME"))
    return found


def group_mentions(mentions: list[Mention]) -> list[EntityGroup]:
    """Cluster an article's mentions: full names with surnames and close spellings, acronyms with
    their expansions, repeated names; each group gets its canonical name."""
    groups: list[EntityGroup] = []
    persons = [m for m in mentions if m.label == "PERSON"]
    for mention in sorted(persons, key=lambda m: -len(m.text.split())):
        target = _person_group(mention, groups)
        if target is None:
            target = EntityGroup("PERSON")
            groups.append(target)
        target.mentions.append(mention)
    by_key: dict[tuple[str, str], EntityGroup] = {}
    for mention in mentions:
        if mention.label == "PERSON":
            continue
        family = "PLACE" if mention.label in ("GPE", "LOC") else mention.label
        key = (family, name_key(mention.text))
        if key not in by_key:
            by_key[key] = EntityGroup(mention.label)
            groups.append(by_key[key])
        by_key[key].mentions.append(mention)
    groups = _merge_acronyms(groups)
    for group in groups:
        group.name = _canonical(group)
        group.label = Counter(m.label for m in group.mentions).most_common(1)[0][0]
        group.mentions.sort(key=lambda m: m.start)
    return groups


def _trim(doc: Doc, start: int, end: int, label: str) -> Mention | None:
    """Strip determiners, titles, junk words, possessives and punctuation; reject what is left if it
    is not a name."""
    tokens = list(doc[start:end])
    while tokens and (
        tokens[0].lower_ in ("the", "a", "an", "la", "le", "el", "los", "las", "les", "l'")
        or tokens[0].lower_ in LEADING_JUNK
        or (label == "PERSON" and tokens[0].lower_.rstrip(".") in TITLES | {t.rstrip(".") for t in TITLES})
        or not tokens[0].text.strip(_EDGE_PUNCT)
    ):
        tokens = tokens[1:]
    while tokens and (not tokens[-1].text.strip(_EDGE_PUNCT) or tokens[-1].text in ("'s", "’s", "'", "’")):
        tokens = tokens[:-1]
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0].pos_ in ("NOUN", "VERB", "ADJ") and tokens[0].is_sent_start:
        return None  # "Cranes stand idle …": a capitalised common noun at the start of a sentence
    s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = _POSSESSIVE.sub("", text_of(doc)[s:e]).rstrip(_EDGE_PUNCT)
    text = text.lstrip(_EDGE_PUNCT)
    s = text_of(doc).find(text, s) if text else s
    e = s + len(text)
    if not _is_name(text, label):
        return None
    return Mention(s, e, text, label)


def _is_name(text: str, label: str) -> bool:
    words = text.split()
    if not words or len(text) < 2 or not any(c.isalpha() for c in text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or _PARTICLE_PREFIX.match(text)):
        return False
    if label == "PERSON":  # every word of a person's name is capitalised, particles aside
        if len(words) == 1 and words[0].lower() in SOURCE_NOUNS:
            return False  # "Fuentes de la delegación …", "Sources close to …"
        return len(words) <= 5 and all(
            w[0].isupper() or w.lower() in NAME_PARTICLES or _PARTICLE_PREFIX.match(w) for w in words
        )
    return True


def _is_role_part(text: str, mention: Mention) -> bool:
    """ "State" in "Secretary of State", "Foreign Affairs" in "Minister of Foreign Affairs": a role, not an org."""
    if mention.label == "PERSON":
        return False
    before = text[max(0, mention.start - 40) : mention.start].split()
    return len(before) >= 2 and before[-1].lower() in ("of", "for", "de") and before[-2].lower().rstrip("s") in TITLES


def _split_place_prefix(mentions: list[Mention]) -> list[Mention]:
    """ "the minister of Kaltavia Dmitriy Volkonskii" tagged as one ORG: a known place followed by a
    personal name is two mentions (machine translation drops the comma the model relies on)."""
    places = {m.text for m in mentions if m.label in ("GPE", "LOC") and len(m.text.split()) == 1}
    out: list[Mention] = []
    for mention in mentions:
        words = mention.text.split()
        if (
            mention.label in ("PERSON", "ORG")
            and len(words) >= 3
            and words[0] in places
            and all(w[0].isupper() for w in words[1:])
        ):
            rest = mention.text[len(words[0]) :].lstrip()
            rest_start = mention.end - len(rest)
            out.append(Mention(mention.start, mention.start + len(words[0]), words[0], "GPE"))
            out.append(Mention(rest_start, mention.end, rest, "PERSON"))
        else:
            out.append(mention)
    return out


def _split_headline_runs(text: str, mentions: list[Mention]) -> list[Mention]:
    """In a Title Case headline the model runs names into the words around them ("Obama Reverses
    Bush", "Lindsay Lohan Checks Into Rehab"): cut such a run down to the names the article
    uses elsewhere."""
    known: dict[str, str] = {}
    for mention in mentions:
        if len(mention.text) >= 3 and not _in_title_case_line(text, mention):
            known.setdefault(mention.text, mention.label)
    out: list[Mention] = []
    for mention in mentions:
        if mention.text in known or len(mention.text.split()) < 2 or not _in_title_case_line(text, mention):
            out.append(mention)
            continue
        parts: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for name in sorted(known, key=len, reverse=True):
            pattern = rf"(?<![\w-])(?:{re.escape(name)}|{re.escape(name.upper())})(?![\w-])"
            for match in re.finditer(pattern, mention.text):
                span = (mention.start + match.start(), mention.start + match.end())
                if not any(s < span[1] and span[0] < e for s, e in taken):
                    taken.append(span)
                    parts.append(Mention(span[0], span[1], match.group(), known[name]))
        out.extend(sorted(parts, key=lambda m: m.start) if parts else [mention])
    return out


def _in_title_case_line(text: str, mention: Mention) -> bool:
    """Whether the mention sits in a line whose longer words are nearly all capitalised (a headline)."""
    start = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    words = [w for w in re.findall(r"[^\W\d_]+", text[start : end if end >= 0 else len(text)]) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _relabel_surnames(mentions: list[Mention]) -> list[Mention]:
    """A bare surname of someone named in full is a PERSON, whatever label the model gave it."""
    full = [m.text.split() for m in mentions if m.label == "PERSON" and len(m.text.split()) > 1]
    surnames = {name_key(words[-1]) for words in full} - {""}  # "Marine Le": no surname left to match
    for mention in mentions:
        if mention.label == "PERSON" or len(mention.text.split()) != 1 or _is_acronym(mention.text):
            continue
        key = name_key(mention.text)
        if key in surnames or any(_person_match([key], [known]) > 0 for known in surnames):
            mention.label = "PERSON"
    return mentions


def _team_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A team's nickname is an organisation, however the model tagged it: "Jaguars" after "Jacksonville
    Jaguars" is no place, and "Jacksonville" tagged alone before "Jaguars" is the team's full name."""
    nicknames = {m.text.split()[-1] for m in mentions if m.label == "ORG" and _short_name(m.text.split())}
    labels: dict[str, Counter[str]] = {}
    for m in mentions:
        labels.setdefault(m.text, Counter())[m.label] += 1
    nicknames |= {  # tagged alone, mostly as an organisation
        name for name, seen in labels.items() if seen.most_common(1)[0][0] == "ORG" and _short_name(["The", name])
    }
    kept: list[Mention] = []
    for mention in mentions:
        if mention.text in nicknames and mention.label != "ORG":
            mention.label = "ORG"
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.label in ("GPE", "LOC")
            and mention.text in nicknames
            and text[previous.end : mention.start] == " "
        ):  # "Jacksonville" + "Jaguars": one name
            kept[-1] = Mention(previous.start, mention.end, text[previous.start : mention.end], "ORG")
            continue
        kept.append(mention)
    return kept


def _missed_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Occurrences of names the model tagged elsewhere in the article but not there: a person's
    surname and its other spellings, any name repeated (in headline capitals too), and a team or
    company's short name ("the Colts" after "Indianapolis Colts")."""
    covered = [(m.start, m.end) for m in mentions]
    forms: dict[str, str] = {}  # surface form -> label
    for mention in mentions:
        forms.setdefault(mention.text, mention.label)
        words = mention.text.split()
        if mention.label == "PERSON" and len(words) > 1:
            forms.setdefault(words[-1], "PERSON")
        elif mention.label == "ORG" and _short_name(words):
            forms.setdefault(words[-1], "ORG")
    found: list[Mention] = []
    surnames = {name_key(f) for f, label in forms.items() if label == "PERSON" and len(f.split()) == 1}
    for match in _CAPITALISED.finditer(text):  # other spellings of a known surname: Hoytfeldt for Heitfeldt
        span = (match.start(), match.end())
        key = name_key(match.group())
        if key in surnames or any(s < span[1] and span[0] < e for s, e in covered):
            continue
        if any(_person_match([key], [known]) > 0 for known in surnames):
            covered.append(span)
            found.append(Mention(span[0], span[1], match.group(), "PERSON"))
    for form in sorted(forms, key=len, reverse=True):
        if len(form) < 3 or form.isupper() or forms[form] == "NAME":
            continue
        pattern = rf"(?<![\w-])(?:{re.escape(form)}|{re.escape(form.upper())})(?![\w-])"
        for match in re.finditer(pattern, text):
            span = (match.start(), match.end())
            if any(s < span[1] and span[0] < e for s, e in covered):
                continue
            covered.append(span)
            found.append(Mention(span[0], span[1], match.group(), forms[form]))
    return found


# Last words that name a kind of organisation rather than one organisation.
_GENERIC_ORG_WORDS = frozenset(
    "nations states forces services systems industries holdings airlines airways games news times affairs sciences "
    "arts studies brothers partners associates communications technologies networks resources solutions motors "
    "records pictures studios laboratories labs works stores markets securities investments islands rights "
    "relations operations sports olympics awards".split()
)


def _short_name(words: list[str]) -> bool:
    """Whether the last word of an organisation's name can stand for it: a plural nickname
    (Colts, Saints, Chargers), not a kind of organisation (Nations, Airlines)."""
    last = words[-1]
    return (
        len(words) in (2, 3)
        and len(last) >= 5
        and last[0].isupper()
        and last[1:].islower()
        and last.endswith("s")
        and not last.endswith("ss")
        and last.lower() not in _GENERIC_ORG_WORDS
    )


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _person_group(mention: Mention, groups: list[EntityGroup]) -> EntityGroup | None:
    """The group of a longer or equal name this mention can stand for (surname, close spelling)."""
    words = name_key(mention.text).split()
    best, best_score = None, 0.0
    for group in groups:
        if group.label != "PERSON":
            continue
        for other in group.mentions:
            score = _person_match(words, name_key(other.text).split())
            if score > best_score:
                best, best_score = group, score
    return best if best_score > 0 else None


def _person_match(words: list[str], other: list[str]) -> float:
    """How well a name matches another of at least its length: exact surname, fuzzy surname
    (transliterations: Heitfeldt/Huitfeldt), first names compatible (initials, spelling)."""
    if not words or not other or len(words) > len(other) or not words[-1] or not other[-1]:
        return 0.0
    surname, other_surname = words[-1], other[-1]
    if surname != other_surname:
        similar = fuzz.ratio(surname, other_surname)
        if len(surname) < 5 or surname[0] != other_surname[0] or similar < SURNAME_SIMILARITY:
            return 0.0
    if len(words) == 1:
        return 1.0 if surname == other_surname else 0.8
    first, other_first = words[0], other[0]
    if first == other_first or (len(first) == 1 and other_first.startswith(first)):
        return 2.0
    return 1.5 if fuzz.ratio(first, other_first) >= FIRST_NAME_SIMILARITY else 0.0


SURNAME_SIMILARITY = 75
FIRST_NAME_SIMILARITY = 70


def _merge_acronyms(groups: list[EntityGroup]) -> list[EntityGroup]:
    """Fold an acronym group (OSCE) into the group of its expansion
    (Organization for Security and Co-operation in Europe) when the initials spell it."""
    acronyms = [g for g in groups if any(_is_acronym(m.text) for m in g.mentions)]
    for short in acronyms:
        first = next(m for m in short.mentions if _is_acronym(m.text))
        letters = first.text.replace(".", "").lower()
        for long in groups:
            if long is short or long.label == "PERSON" or not long.mentions:
                continue
            if any(_expands(m, letters, short.mentions) for m in long.mentions):
                long.mentions.extend(short.mentions)
                short.mentions = []
                break
    return [g for g in groups if g.mentions]


def _expands(long: Mention, letters: str, short: list[Mention]) -> bool:
    """The long form spells the acronym, or is followed by it in parentheses ("… in Europe (OSCE)")."""
    initials = _initials(long.text)
    if initials == letters:
        return True
    if len(initials) >= 3 and letters.startswith(initials) and len(letters) - len(initials) <= 1:
        return True  # the model cut the name short: "Organization for Security and Cooperation" (in Europe)
    return any(0 < m.start - long.end <= 20 and len(initials) >= 2 and letters[0] == initials[0] for m in short)


def _is_acronym(text: str) -> bool:
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isupper() and bare.isalpha()


def _initials(text: str) -> str:
    words = re.findall(r"[\w]+", text.replace("-", " "))
    return "".join(w[0] for w in words if w.lower() not in ACRONYM_STOP).lower()


def _canonical(group: EntityGroup) -> str:
    """The fullest frequent form: for people the longest name, else the most common non-acronym."""
    counts = Counter(m.text for m in group.mentions)
    if group.label == "PERSON":
        return max(counts, key=lambda n: (len(n.split()), counts[n], len(n)))
    spelled = [n for n in counts if not _is_acronym(n)] or list(counts)
    return max(spelled, key=lambda n: (counts[n], len(n)))
