"""Find date and time expressions and resolve them against the publication date, so events land on a timeline.

English uses the parser's DATE/TIME entities, other languages a regex search over word lists. Weekdays and other
relative expressions are computed here from the publication date and the tense of their clause; dateparser only
supplies month names and parses absolute dates for languages we keep no word list for.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsdesk.analysis.sentences import has_annotation, text_of
from newsdesk.model import DateRef

__all__ = ["FUTURE_WINDOW_DAYS", "find_date_spans", "find_dates"]

LOGGER = logging.getLogger(__name__)
FUTURE_WINDOW_DAYS = 92  # a yearless date at most this far ahead, in a clause with no tense, is read as upcoming

# "full names/abbreviations" per month; abbreviations only count next to a day or a year.
_MONTHS = {
    "en": "january/jan february/feb march/mar april/apr may june/jun july/jul august/aug september/sep,sept "
    "october/oct november/nov december/dec",
    "fr": "janvier/janv février,fevrier/févr,fevr mars avril/avr mai juin juillet/juil août,aout septembre/sept "
    "octobre/oct novembre/nov décembre,decembre/déc,dec",
    "es": "enero/ene febrero/feb marzo/mar abril/abr mayo junio/jun julio/jul agosto/ago septiembre,setiembre/sep,sept "
    "octubre/oct noviembre/nov diciembre/dic",
}
_WEEKDAYS = {
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles,miercoles jueves viernes sábado,sabado domingo",
}
# Words that may stand right before a bare month or year for it to count as a date in running text.
_LEADS = {
    "en": "in since until till by during from before after of through throughout between and to around early late mid "
    "last next this year",
    "fr": "en depuis jusqu'en dès de d' avant après entre et à au fin début mi courant année an l'année l'an",
    "es": "en desde hasta de del antes después entre y a año durante para principios mediados finales fines comienzos",
}
# (kind, pattern) per language; <MON> month names and abbreviations, <MFULL> full month names, <WD> weekdays.
_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("date", r"\b(?:(?:<WD>),?\s+)?(?:the\s+)?<DAY>(?:st|nd|rd|th)?\s+(?:of\s+)?(?:<MON>)\b\.?(?:,?\s+<YEAR>\b)?"),
        ("date", r"\b(?:(?:<WD>),?\s+)?(?:<MON>)\b\.?\s+<DAY>(?:st|nd|rd|th)?\b(?![,.:]?\d)(?:,?\s+<YEAR>\b)?"),
        ("month", r"\b(?:(?:early|late|mid|last|next|this)[\s-]+)?(?:<MFULL>)\b(?:\s+(?:of\s+)?<YEAR>\b)?"),
        ("weekday", r"\b(?:(?:this|next|last|coming|past)\s+)?(?:<WD>)\b(?:\s+(?:morning|afternoon|evening|night)\b)?"),
        (
            "relday",
            r"\b(?:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow|"
            r"last\s+night|this\s+(?:morning|afternoon|evening))\b(?:\s+(?:morning|afternoon|evening|night)\b)?",
        ),
        ("relunit", r"\b(?:last|next|this)\s+(?:week|month|year)\b"),
        (
            "ago",
            r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|few|several|a\s+couple\s+of|"
            r"some|many)\s+(?:days?|weeks?|months?|years?)\s+ago\b",
        ),
        ("clock", r"(?<![\d.,])(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*(?:a\.?\s?m\b\.?|p\.?\s?m\b\.?)"),
    ),
    "fr": (
        ("date", r"\b(?:(?:<WD>)\s+)?(?:<DAY>|1er|premier)\s+(?:<MON>)\b\.?(?:\s+<YEAR>\b)?"),
        ("month", r"\b(?:(?:début|fin|mi|courant)[\s-]+)?(?:<MFULL>)\b(?:\s+<YEAR>\b)?"),
        ("weekday", r"\b(?:ce\s+)?(?:<WD>)\b(?:\s+(?:prochain|dernier|passé)\b)?(?:\s+(?:matin|après-midi|soir)\b)?"),
        (
            "relday",
            r"\b(?:aujourd['’]hui|avant-hier|après-demain|hier|demain|ce\s+matin|ce\s+soir|cet\s+après-midi)\b"
            r"(?:\s+(?:matin|soir|après-midi)\b)?",
        ),
        (
            "relunit",
            r"\b(?:cette\s+semaine|ce\s+mois(?:-ci)?|cette\s+année|(?:la\s+semaine|le\s+mois|l['’]année|l['’]an)\s+"
            r"(?:dernière|dernier|prochaine|prochain|passée|passé))\b",
        ),
        (
            "ago",
            r"\bil\s+y\s+a\s+(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quelques|plusieurs)\s+"
            r"(?:jours?|semaines?|mois|ans|années?)\b",
        ),
        ("clock", r"(?<![\d.,])(?:[01]?\d|2[0-3])\s?h\s?(?:[0-5]\d)?\b"),
    ),
    "es": (
        (
            "date",
            r"\b(?:(?:pasado|próximo)\s+)?(?:(?:<WD>)\s+)?<DAY>\s+de\s+(?:<MON>)\b\.?(?:\s+(?:de|del)\s+<YEAR>\b)?",
        ),
        (
            "month",
            r"\b(?:(?:principios|comienzos|mediados|finales|fines)\s+de\s+)?(?:<MFULL>)\b(?:\s+(?:de|del)\s+<YEAR>\b)?",
        ),
        (
            "weekday",
            r"\b(?:(?:este|pasado|próximo)\s+)?(?:<WD>)\b(?:\s+(?:pasado|próximo|que\s+viene)\b)?"
            r"(?:\s+por\s+la\s+(?:mañana|tarde|noche)\b)?",
        ),
        (
            "relday",
            r"\b(?:pasado\s+mañana|anteayer|anoche|hoy|ayer|mañana|esta\s+(?:mañana|tarde|noche))\b"
            r"(?:\s+por\s+la\s+(?:mañana|tarde|noche)\b)?",
        ),
        (
            "relunit",
            r"\b(?:esta\s+semana|este\s+mes|este\s+año|(?:la\s+semana|el\s+mes|el\s+año)\s+(?:pasad[oa]|próxim[oa]|"
            r"que\s+viene)|(?:la|el)\s+(?:próxim[oa]|pasad[oa])\s+(?:semana|mes|año))\b",
        ),
        (
            "ago",
            r"\bhace\s+(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|unos|unas|algunos|algunas|"
            r"varios|varias)\s+(?:días?|semanas?|mes(?:es)?|años?)\b",
        ),
        ("clock", r"\ba\s+las\s+(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\b(?:\s+de\s+la\s+(?:mañana|tarde|noche)\b)?"),
    ),
    "generic": (  # any language dateparser knows month names for
        ("date", r"\b<DAY>\.?\s+(?:de\s+)?(?:<MON>)\b\.?(?:,?\s+(?:de\s+)?<YEAR>\b)?"),
        ("date", r"\b(?:<MON>)\b\.?\s+<DAY>\b(?![,.:]?\d)(?:,?\s+<YEAR>\b)?"),
        ("month", r"\b(?:<MFULL>)\s+(?:de\s+)?<YEAR>\b"),
    ),
    "common": (
        ("iso", r"\b\d{4}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d)?\b"),
        ("numeric", r"\b<DAY>[/.][01]?\d[/.]\d{4}\b"),
        ("clock", r"(?<![\d.,:])(?:[01]?\d|2[0-3]):[0-5]\d\b(?!:\d)"),
        ("year", r"(?:\b(?:early|late|mid|début|fin|mi)[\s-]+)?(?<![\w.,$€£-])<YEAR>(?![\w%]|[.,]\d)"),
    ),
}
_NEXT = {"next", "coming", "prochain", "prochaine", "próximo", "próxima", "proximo", "proxima", "viene"}
_LAST = {"last", "past", "dernier", "dernière", "derniere", "passé", "passée", "pasado", "pasada"}
_UNITS = {
    "day": "day days jour jours día días dia dias",
    "week": "week weeks semaine semaines semana semanas",
    "month": "month months mois mes meses",
    "year": "year years an ans année années año años",
}
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}  # fmt: skip
# (phrase, day offset); checked in order, so "this morning" wins over "morning" and "pasado mañana" over "mañana".
_RELATIVE_DAYS = (
    ("day before yesterday", -2), ("day after tomorrow", 2), ("avant-hier", -2), ("après-demain", 2),
    ("pasado mañana", 2), ("anteayer", -2), ("last night", -1), ("anoche", -1), ("this ", 0), ("ce ", 0),
    ("cet ", 0), ("esta ", 0), ("today", 0), ("tonight", 0), ("aujourd'hui", 0), ("hoy", 0), ("yesterday", -1),
    ("hier", -1), ("ayer", -1), ("tomorrow", 1), ("demain", 1), ("mañana", 1),
)  # fmt: skip
_FUTURE_AUX = {
    "will",
    "shall",
    "'ll",
    "ll",
    "wo",
    "can",
    "may",
    "might",
    "must",
    "should",
}  # not "would"/"could": mostly conditional or past in news copy
_FUTURE_LEMMAS = {
    "due", "schedule", "expect", "plan", "intend", "slate", "ready", "poise", "upcoming", "aller", "devoir",
    "prévoir", "ir", "deber", "prever",
}  # fmt: skip
_PERFECT_AUX = {"have", "avoir", "être", "haber"}
_CONTEXT_WORDS = set(
    "the of early late mid earlier later this next last end beginning start middle in on at around about by until "
    "since before after from to and s morning afternoon evening night noon midnight day week month year weekend "
    "same that first second half pm am a m p".split()
)
_ANAPHORA = re.compile(
    r"\b(?:that|same|next|following|previous|preceding|earlier|later|before|after|prior|eve)\b", re.I
)
_TIME_WORD = re.compile(r"\b(?:day|week|month|year|morning|afternoon|evening|night|weekend)s?\b", re.I)
_DURATION = re.compile(
    r"\b(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries|nights)\b|-(?:long|old|day|year|week)\b"
    r"|\b(?:a|an|one|another|half|couple|few|several|daily|weekly|monthly|yearly|annual|annually)\b",
    re.I,
)
_DECADE = re.compile(r"\b1\d{2}0s\b|\b20\d0s\b")
_YEAR_IN = re.compile(r"(?<![\d,.])(1[5-9]\d\d|2[01]\d\d)(?![\d,.]\d)")
_DAY_IN = re.compile(r"(?<![\d,.:])(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|er|e)?(?![\d,.:]\d|\d)", re.I)
_CLOCK_IN = re.compile(
    r"(?<!\d)([01]?\d|2[0-3])(?:\s?[:.h]\s?([0-5]\d))?\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?|h\b|heures?\b)?", re.I
)
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+['’]?)\s*$")
_NEXT_WORD = re.compile(r"^\s+([^\W\d_]+)")


@dataclass(slots=True)
class _Found:
    """A date expression located in the text, before resolution."""

    start: int
    end: int
    kind: str | None  # which pattern anchored it; None for a kept but unresolvable expression
    anchor: str  # the text the resolver reads
    clock: str | None = None  # a time of day found in the same expression


def find_dates(doc: Doc, published: str | None, language: str | None = None) -> list[DateRef]:
    """Every date or time expression in `doc`, resolved against the publication date where that is safe."""
    lang = _language(doc, language)
    pub = _parse_published(published)
    refs: list[DateRef] = []
    try:
        for found in _candidates(doc, lang):
            refs.append(_resolve_safely(doc, found, lang, pub))
        _anchor_clocks(refs, text_of(doc))
    except Exception:  # never let one odd article stop the pipeline
        LOGGER.exception("date search failed part-way; keeping %d dates", len(refs))
    return refs


def find_date_spans(doc: Doc, language: str | None = None) -> list[tuple[int, int]]:
    """Character ranges of the date and time expressions, unresolved: lets other finders leave them alone."""
    try:
        return [(found.start, found.end) for found in _candidates(doc, _language(doc, language))]
    except Exception:
        LOGGER.exception("date span search failed")
        return []


def _language(doc: Doc, language: str | None) -> str:
    """Two-letter language code from the argument, else from the pipeline."""
    return (language or doc.lang_ or "en").split("-")[0].split("_")[0].lower()


def _parse_published(published: str | None) -> date | None:
    """Publication day from an ISO 8601 date or datetime, None when missing or malformed."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        LOGGER.debug("unparseable publication date %r", published)
        return None


# --- word lists and patterns -------------------------------------------------------------------


@lru_cache(maxsize=32)
def _lexicon(lang: str) -> tuple[dict[str, int], set[str], dict[str, int]]:
    """Month names (with abbreviations) to month numbers, the full names alone, and weekday names to 0-6."""
    months: dict[str, int] = {}
    full: set[str] = set()
    if lang in _MONTHS:
        for number, entry in enumerate(_MONTHS[lang].split(), start=1):
            names, _, abbreviations = entry.partition("/")
            full.update(names.split(","))
            months.update(dict.fromkeys([*names.split(","), *filter(None, abbreviations.split(","))], number))
    else:
        months, full = _dateparser_months(lang)
    weekdays = {
        name: number for number, entry in enumerate(_WEEKDAYS.get(lang, "").split()) for name in entry.split(",")
    }
    return months, full, weekdays


def _dateparser_months(lang: str) -> tuple[dict[str, int], set[str]]:
    """Month names of a language we keep no list for, from dateparser's locale data."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(lang).info
    except Exception:
        return {}, set()
    names = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october")
    names += ("november", "december")
    months = {
        word.lower().rstrip("."): number
        for number, name in enumerate(names, start=1)
        for word in info.get(name, [])
        if len(word.rstrip(".")) >= 3 and word.rstrip(".").isalpha()
    }
    return months, {word for word in months if len(word) >= 4}


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of the words, longest first so that prefixes do not win."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!x)x"


@lru_cache(maxsize=32)
def _patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The (kind, pattern) pairs that find date expressions in one language, word lists filled in."""
    months, full, weekdays = _lexicon(lang)
    fills = {"<MON>": _alternation(months), "<MFULL>": _alternation(full), "<WD>": _alternation(weekdays)}
    fills |= {"<DAY>": r"(?:3[01]|[12]\d|0?[1-9])", "<YEAR>": r"(?:1[5-9]\d\d|20\d\d|21\d\d)"}
    chosen = _PATTERNS.get(lang, _PATTERNS["generic"] if months else ())
    compiled = []
    for kind, template in (*chosen, *_PATTERNS["common"]):
        for placeholder, alternation in fills.items():
            template = template.replace(placeholder, alternation)
        compiled.append((kind, re.compile(template, re.IGNORECASE)))
    return tuple(compiled)


# --- finding -----------------------------------------------------------------------------------


def _candidates(doc: Doc, lang: str) -> list[_Found]:
    """Date expressions in text order: parser entities where the pipeline has them, patterns elsewhere."""
    text = text_of(doc)
    if not text.strip():
        return []
    found = _search(text, lang, doc, strict=True)
    if has_annotation(doc, "ENT_IOB") and (lang == "en" or any(e.label_ in ("DATE", "TIME") for e in doc.ents)):
        taken = sorted((e.start_char, e.end_char) for e in doc.ents)
        found = [f for f in found if not _overlaps(taken, f.start, f.end)] + _from_entities(doc, lang)
    return sorted(found, key=lambda f: f.start)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of the sorted, non-overlapping spans."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def _search(text: str, lang: str, doc: Doc | None, strict: bool, offset: int = 0) -> list[_Found]:
    """Pattern matches in the text, longest first where they overlap; strict mode asks for context."""
    matches = []
    for kind, pattern in _patterns(lang):
        for m in pattern.finditer(text):
            if not strict or _plausible(kind, m, text, lang, doc):
                end = m.end() - 1 if _ends_with_sentence_stop(m.group(), lang) else m.end()
                matches.append(_Found(m.start() + offset, end + offset, kind, text[m.start() : end]))
    matches.sort(key=lambda f: (f.start, f.start - f.end))
    kept: list[_Found] = []
    for f in matches:
        if kept and f.start < kept[-1].end:
            if f.end - f.start > kept[-1].end - kept[-1].start:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


def _ends_with_sentence_stop(match: str, lang: str) -> bool:
    """Whether a match swallowed the full stop after a full month name ('on 9 December.')."""
    words = re.findall(r"[^\W\d_]+", match.lower())
    return match.endswith(".") and bool(words) and words[-1] in _lexicon(lang)[1]


def _plausible(kind: str, m: re.Match[str], text: str, lang: str, doc: Doc | None) -> bool:
    """Context checks for matches in running text, where month names, years and 'mañana' are ambiguous."""
    before = _PREVIOUS_WORD.search(text, max(0, m.start() - 30), m.start())
    previous = before.group(1).lower().replace("’", "'") if before else ""
    words = m.group().split()
    if kind == "year" and len(words) == 1:
        after = _NEXT_WORD.match(text[m.end() : m.end() + 40])
        counted = after is not None and after.group(1).islower() and not _is_stop(doc, after.group(1))
        return previous in _leads(lang) or not counted
    if kind == "month" and len(words) == 1:
        capital_ok = lang != "en" or words[0][0].isupper()
        return capital_ok and previous in _leads(lang)
    if kind == "weekday" and lang == "en":
        return any(w[0].isupper() for w in words)
    if kind == "relday" and m.group().lower() == "mañana":
        return previous not in {"la", "una", "cada", "esa", "toda", "misma", "por", "de"}
    return True


@lru_cache(maxsize=32)
def _leads(lang: str) -> frozenset[str]:
    """Words after which a bare month or year reads as a date."""
    return frozenset(_LEADS.get(lang, _LEADS["en"]).split())


def _is_stop(doc: Doc | None, word: str) -> bool:
    """Whether the pipeline calls the word a stop word (function words follow years; counted nouns do not)."""
    return doc is not None and doc.vocab[word.lower()].is_stop


def _from_entities(doc: Doc, lang: str) -> list[_Found]:
    """Date expressions from DATE/TIME entities: one per anchor inside, or the whole entity when unresolvable."""
    found: list[_Found] = []
    for start, end in _merged_entities(doc):
        lead = re.search(r"\b(?:this|next|last|coming)\s+$", text_of(doc)[max(0, start - 10) : start], re.I)
        start = start - len(lead.group()) if lead else start
        found.extend(_anchors_in(doc, lang, start, end))
    return found


def _merged_entities(doc: Doc) -> list[tuple[int, int]]:
    """DATE/TIME entity ranges, with neighbours joined by a space merged ('Wednesday' + 'evening')."""
    ranges: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if ranges and text_of(doc)[ranges[-1][1] : ent.start_char] == " ":
            ranges[-1] = (ranges[-1][0], ent.end_char)
        else:
            ranges.append((ent.start_char, ent.end_char))
    return ranges


def _anchors_in(doc: Doc, lang: str, start: int, end: int) -> list[_Found]:
    """Resolve one entity range: its anchors, or a single unresolved record, or nothing for a duration."""
    text = text_of(doc)[start:end]
    anchors = _search(text, lang, None, strict=False, offset=start)
    clocks = [a for a in anchors if a.kind == "clock"]
    others = [a for a in anchors if a.kind != "clock"]
    if len(others) > 1:
        return others
    if others:
        anchor = others[0]
        if not _only_context(text[: anchor.start - start] + " " + text[anchor.end - start :]):
            start, end = anchor.start, anchor.end  # the entity ran on past the date ("12/01/2022 ended early")
        return [_Found(start, end, anchor.kind, anchor.anchor, clocks[0].anchor if clocks else None)]
    if clocks:
        return [_Found(start, end, "clock", clocks[0].anchor)]
    after = text_of(doc)[end : end + 6]
    if _is_duration(text) or after.startswith(("-long", "-old")):
        return []
    if _DECADE.search(text) or (_ANAPHORA.search(text) and _TIME_WORD.search(text)):
        return [_Found(start, end, None, text)]
    return [_Found(start, end, "parse", text)] if _YEAR_IN.search(text) or _has_month(text, lang) else []


def _only_context(text: str) -> bool:
    """Whether the words around an anchor only qualify it ('early', 'the end of', 'evening')."""
    return all(word in _CONTEXT_WORDS for word in re.findall(r"[^\W\d_]+", text.lower()))


def _is_duration(text: str) -> bool:
    """Whether an entity is a length of time ('nearly two years', 'half an hour', 'weekly') rather than a date."""
    return bool(_DURATION.search(text)) and not re.search(r"\b(?:ago|earlier|later|before|after)\b", text, re.I)


def _has_month(text: str, lang: str) -> bool:
    """Whether the text names a month."""
    months = _lexicon(lang)[0]
    return any(word in months for word in re.findall(r"[^\W\d_]+", text.lower()))


# --- resolving ---------------------------------------------------------------------------------


def _resolve_safely(doc: Doc, found: _Found, lang: str, pub: date | None) -> DateRef:
    """One DateRef, or a record with no value if resolution trips over something unexpected."""
    text = text_of(doc)[found.start : found.end]
    try:
        value, granularity = _resolve(doc, found, lang, pub)
    except Exception:
        LOGGER.exception("could not resolve date %r", text)
        value, granularity = None, None
    return DateRef(found.start, found.end, text, value, granularity)


def _resolve(doc: Doc, found: _Found, lang: str, pub: date | None) -> tuple[str | None, str | None]:
    """ISO value and granularity of one expression."""
    if found.kind is None:
        return None, None
    tense = _tense(doc, found.start, found.end) if found.kind in ("date", "month", "weekday") else None
    value, granularity = _HANDLERS[found.kind](found.anchor.lower().replace("’", "'"), lang, pub, tense)
    if found.clock and value and granularity == "day":
        clock = _clock(found.clock)
        if clock:
            return f"{value}T{clock}", "time"
    return value, granularity


def _direction(text: str, tense: str | None) -> str | None:
    """'future' or 'past' from a 'next'/'last' word in the expression, else from the clause's tense."""
    words = set(re.findall(r"[^\W\d_]+", text))
    if words & _NEXT:
        return "future"
    if words & _LAST:
        return "past"
    return tense


def _resolve_date(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """Day and month, with or without a year ('December 9', '13 mars 2025', '9 de diciembre')."""
    month = _month_in(text, lang)
    year_match = _YEAR_IN.search(text)
    rest = text.replace(year_match.group(), " ") if year_match else text
    day_match = _DAY_IN.search(rest)
    day = 1 if re.search(r"\b(?:1er|premier)\b", rest) else int(day_match.group(1)) if day_match else None
    if month is None or day is None:
        return _resolve_parsed(text, lang, pub, tense)
    if year_match:
        return _iso_day(int(year_match.group(1)), month, day), "day"
    if pub is None:
        return None, "day"
    chosen = _nearest(_candidate_days(pub, month, day), pub, _direction(text, tense))
    return (chosen.isoformat() if chosen else None), "day"


def _candidate_days(pub: date, month: int, day: int) -> list[date]:
    """That day and month in the year before, of and after publication (skipping impossible ones)."""
    days = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            days.append(date(year, month, day))
        except ValueError:
            continue
    return days


def _nearest(days: list[date], pub: date, direction: str | None) -> date | None:
    """The candidate the clause points to: on or before, on or after, or nearest with a bias to the past."""
    past = max((d for d in days if d <= pub), default=None)
    future = min((d for d in days if d >= pub), default=None)
    if direction == "past" or future is None:
        return past
    if direction == "future" or past is None:
        return future
    ahead, behind = (future - pub).days, (pub - past).days
    return future if ahead <= FUTURE_WINDOW_DAYS and ahead < behind else past


def _resolve_month(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """A month, with or without a year ('early January', 'juin 2021', 'finales de marzo')."""
    month = _month_in(text, lang)
    year = _YEAR_IN.search(text)
    if month is None:
        return None, "month"
    if year:
        return f"{int(year.group(1)):04d}-{month:02d}", "month"
    if pub is None:
        return None, "month"
    return _pick_month(pub, month, set(re.findall(r"[^\W\d_]+", text)), tense), "month"


def _pick_month(pub: date, month: int, words: set[str], tense: str | None) -> str | None:
    """The year of a yearless month: strictly after for 'next', before for 'last', else by tense and nearness."""
    firsts = [date(y, month, 1) for y in (pub.year - 1, pub.year, pub.year + 1)]
    current = date(pub.year, pub.month, 1)
    if words & _NEXT:
        firsts = [d for d in firsts if d > current]
    elif words & _LAST:
        firsts = [d for d in firsts if d < current]
    chosen = _nearest(firsts, current, tense)
    return f"{chosen.year:04d}-{chosen.month:02d}" if chosen else None


def _resolve_year(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """An explicit year ('in 2008', 'since 2019', 'late 2021')."""
    year = _YEAR_IN.search(text)
    return (year.group(1) if year else None), "year"


def _resolve_weekday(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """A weekday: the latest one on or before publication, or the coming one when the clause is future."""
    weekdays = _lexicon(lang)[2]
    weekday = next((weekdays[w] for w in re.findall(r"[^\W\d_]+", text) if w in weekdays), None)
    if weekday is None or pub is None:
        return None, "day"
    words = set(re.findall(r"[^\W\d_]+", text))
    forward, backward = (weekday - pub.weekday()) % 7, (pub.weekday() - weekday) % 7
    if words & _NEXT:
        return (pub + timedelta(days=forward or 7)).isoformat(), "day"
    if words & _LAST:
        return (pub - timedelta(days=backward or 7)).isoformat(), "day"
    if tense == "future":
        return (pub + timedelta(days=forward)).isoformat(), "day"
    return (pub - timedelta(days=backward)).isoformat(), "day"


def _resolve_relday(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """Today, yesterday, tomorrow and their French and Spanish equivalents."""
    offset = next((days for phrase, days in _RELATIVE_DAYS if phrase in text), None)
    if offset is None or pub is None:
        return None, "day"
    return (pub + timedelta(days=offset)).isoformat(), "day"


def _resolve_relunit(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """Last, this or next week, month or year."""
    words = set(re.findall(r"[^\W\d_]+", text))
    unit = next((u for u, names in _UNITS.items() if words & set(names.split())), None)
    step = 1 if words & _NEXT else -1 if words & _LAST else 0
    if unit is None or pub is None:
        return None, unit
    return _shift(pub, unit, step)


def _resolve_ago(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """'Three weeks ago', 'il y a deux jours', 'hace un año'; vague counts ('a few weeks ago') stay unresolved."""
    words = re.findall(r"\w+", re.sub(r"^(?:il\s+y\s+a|hace)\s+", "", text))
    unit = next((u for u, names in _UNITS.items() for w in words if w in names.split()), None)
    digits = next((int(w) for w in words if w.isdigit()), None)
    count = digits if digits is not None else next((_SMALL_NUMBERS[w] for w in words if w in _SMALL_NUMBERS), None)
    vague = re.search(
        r"\b(?:few|several|couple|some|many|quelques|plusieurs|unos|unas|algunos|algunas|varios|varias)\b", text
    )
    if unit is None or count is None or vague or pub is None:
        return None, unit
    return _shift(pub, unit, -count)


def _shift(pub: date, unit: str, step: int) -> tuple[str, str]:
    """The day, week (its Monday), month or year `step` units away from publication."""
    if unit == "day":
        return (pub + timedelta(days=step)).isoformat(), "day"
    if unit == "week":
        return (pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)).isoformat(), "week"
    if unit == "month":
        months = pub.year * 12 + pub.month - 1 + step
        return f"{months // 12:04d}-{months % 12 + 1:02d}", "month"
    return f"{pub.year + step:04d}", "year"


def _resolve_iso(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """An ISO date, with its time of day when given."""
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:[t ](\d\d):(\d\d))?", text)
    if not m:
        return None, "day"
    day = _iso_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if day and m.group(4) and int(m.group(4)) < 24:
        return f"{day}T{m.group(4)}:{m.group(5)}", "time"
    return day, "day"


def _resolve_numeric(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """12/01/2022: day first outside English; in English only when the numbers leave no doubt."""
    first, second, year = (int(p) for p in re.split(r"[/.]", text))
    if lang == "en" and first <= 12 and second <= 12 and first != second:
        return None, "day"
    if lang == "en" and second > 12:
        first, second = second, first
    return _iso_day(year, second, first), "day"


def _resolve_clock(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """A time of day alone: resolved later only if a day sits next to it."""
    return None, "time"


def _resolve_parsed(text: str, lang: str, pub: date | None, tense: str | None) -> tuple[str | None, str | None]:
    """Fall back to dateparser for an absolute date our patterns did not take apart."""
    parsed = _dateparser_parse(text, lang)
    if parsed is None:
        return None, None
    day, period = parsed
    if _YEAR_IN.search(text):
        return _format(day, period), period
    if pub is None or period not in ("day", "month"):
        return None, period
    if period == "month":
        return _pick_month(pub, day.month, set(), tense), period
    chosen = _nearest(_candidate_days(pub, day.month, day.day), pub, tense)
    return (chosen.isoformat() if chosen else None), period


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str, lang: str) -> tuple[date, str] | None:
    """dateparser's reading of an absolute date expression, cached (it is slow)."""
    try:
        from dateparser.date import DateDataParser

        data = DateDataParser(languages=[lang], try_previous_locales=False).get_date_data(text)
    except Exception:
        return None
    if data is None or data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    return data.date_obj.date(), data.period


def _format(day: date, period: str) -> str:
    """ISO text of a date at a granularity."""
    return {"day": day.isoformat(), "month": f"{day.year:04d}-{day.month:02d}"}.get(period, f"{day.year:04d}")


_HANDLERS: dict[str, Callable[[str, str, date | None, str | None], tuple[str | None, str | None]]] = {
    "date": _resolve_date,
    "month": _resolve_month,
    "year": _resolve_year,
    "weekday": _resolve_weekday,
    "relday": _resolve_relday,
    "relunit": _resolve_relunit,
    "ago": _resolve_ago,
    "iso": _resolve_iso,
    "numeric": _resolve_numeric,
    "clock": _resolve_clock,
    "parse": _resolve_parsed,
}


def _month_in(text: str, lang: str) -> int | None:
    """The month named in the text."""
    months = _lexicon(lang)[0]
    return next((months[w] for w in re.findall(r"[^\W\d_]+", text.lower()) if w in months), None)


def _iso_day(year: int, month: int, day: int) -> str | None:
    """ISO date, or None for an impossible one (31 February)."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _clock(text: str) -> str | None:
    """'19:50' from '7.50pm', '19h50', 'a las 19.50'; None when the text is no clock time."""
    m = _CLOCK_IN.search(text)
    if not m:
        return None
    hour, minute, suffix = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if (suffix.startswith("p") or re.search(r"\bde la (?:tarde|noche)", text, re.I)) and hour < 12:
        hour += 12
    elif suffix.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _between(text: str, a: DateRef, b: DateRef) -> str:
    """The text separating two expressions."""
    return text[min(a.end, b.end) : max(a.start, b.start)]


def _anchor_clocks(refs: list[DateRef], text: str) -> None:
    """Give a lone time of day the day resolved closest to it on the same line ('7.50pm on Wednesday')."""
    days = [r for r in refs if r.granularity == "day" and r.value]
    for ref in refs:
        if ref.granularity != "time" or ref.value or not _clock(ref.text):
            continue
        near = [d for d in days if abs(d.start - ref.start) < 60 and not _SENTENCE_END.search(_between(text, d, ref))]
        if near:
            day = min(near, key=lambda d: abs(d.start - ref.start))
            ref.value = f"{day.value[:10]}T{_clock(ref.text)}"


# --- tense -------------------------------------------------------------------------------------


def _tense(doc: Doc, start: int, end: int) -> str | None:
    """'future' or 'past' for the clause holding the expression, from the parse; None when unknown or present."""
    if not has_annotation(doc, "DEP"):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(12):
        if token.lemma_.lower() in _FUTURE_LEMMAS and token.pos_ in ("ADJ", "VERB", "AUX"):
            return "future"
        if token.pos_ in ("VERB", "AUX") and not span.start <= token.i < span.end:
            verdict = _verb_tense(token)
            if verdict != "open":
                return verdict
        if token.head is token:
            return None
        token = token.head
    return None


def _verb_tense(verb: Token) -> str | None:
    """Tense of one verb with its auxiliaries; 'open' for an infinitive or participle that its governor decides."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "aux:tense", "auxpass", "aux:pass")]
    lemmas = {a.lemma_.lower() for a in auxes}
    finite = [a for a in auxes if "Fin" in a.morph.get("VerbForm") or a.tag_ in ("VBD", "VBZ", "VBP", "MD")]
    tenses = {t for tok in (verb, *finite) for t in tok.morph.get("Tense")}
    will = bool({a.lower_ for a in auxes} & _FUTURE_AUX) and "have" not in lemmas  # not "would have met"
    if will or "Fut" in tenses or lemmas & {"aller", "ir"}:
        return "future"
    if any(a.dep_ in ("aux", "aux:tense") and a.lemma_.lower() in _PERFECT_AUX for a in finite):
        return "past"  # has met, a débloqué, ha llegado
    if "would" in {a.lower_ for a in auxes}:
        return None
    if verb.tag_ == "VBG":
        return "future" if any(a.lower_ in ("is", "are", "am", "'s", "'re") for a in auxes) else None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.morph.get("Tense") in (["Past"], ["Imp"]) for a in finite):
        return "past"
    if verb.tag_ == "VB" or "Inf" in verb.morph.get("VerbForm"):
        return "open"
    if verb.tag_ == "VBN" or "Part" in verb.morph.get("VerbForm"):
        return "past" if not auxes else None if finite else "open"
    return "past" if tenses & {"Past", "Imp"} else None
