"""Find the figures a report gives (troops, money, percentages, areas) with what they count, so that sources
can be compared figure by figure ("more than 100,000 soldiers" against "about 100 000 soldats").

Digits and number words are read here (English, French and Spanish conventions); the counted noun comes from the
parse where the English model has one and from the words after the number otherwise. Dates, times, ordinals,
ages, list numbering and numbers inside names ("F-16", "Section 5") are not quantities.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsdesk.analysis.dates import find_date_spans
from newsdesk.analysis.sentences import has_annotation, text_of
from newsdesk.model import Quantity

__all__ = ["APPROXIMATORS", "find_quantities"]

LOGGER = logging.getLogger(__name__)

APPROXIMATORS = (
    "about", "around", "roughly", "approximately", "nearly", "almost", "more than", "over", "at least", "up to",
    "less than", "fewer than", "some", "an estimated", "estimated", "close to", "as many as", "as much as",
    "at most", "no more than", "no fewer than", "upwards of", "in excess of", "just over", "just under", "under",
    "well over", "más de", "menos de", "unos", "unas", "casi", "alrededor de", "cerca de", "al menos",
    "por lo menos", "hasta", "aproximadamente", "poco más de", "en torno a", "plus de", "plus d'", "moins de",
    "moins d'", "environ", "près de", "près d'", "au moins", "presque", "jusqu'à", "quelque", "autour de",
    "pas moins de", "quasiment",
)  # fmt: skip
_SMALL = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize une:1 "
    "vingt:20 vingts:20 trente:30 quarante:40 cinquante:50 soixante:60",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis "
    "veintisiete veintiocho veintinueve un:1 una:1 treinta:30 cuarenta:40 cincuenta:50 sesenta:60 setenta:70 "
    "ochenta:80 noventa:90 doscientos:200 doscientas:200 trescientos:300 trescientas:300 cuatrocientos:400 "
    "quinientos:500 quinientas:500 seiscientos:600 setecientos:700 ochocientos:800 novecientos:900",
}
_MULTIPLIERS = {
    "en": {"hundred": 100, "dozen": 12},
    "fr": {"cent": 100, "cents": 100, "douzaine": 12},
    "es": {"cien": 100, "ciento": 100, "docena": 12},
}
_SCALES = {
    "en": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "trillion": 1e12},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e12},
    "es": {"mil": 1e3, "millón": 1e6, "millon": 1e6, "millones": 1e6, "billón": 1e12, "billones": 1e12},
}
_SUFFIX_SCALES = {"bn": 1e9, "mn": 1e6, "tn": 1e12}
_NEEDS_NUM_TAG = {"one", "neuf", "un", "une", "uno", "una"}  # also a pronoun, "new", an article
_VAGUE = {
    "en": {"dozens", "hundreds", "thousands", "millions", "billions", "tens"},
    "fr": {"dizaines", "douzaines", "centaines", "milliers", "millions", "milliards"},
    "es": {"decenas", "docenas", "cientos", "centenares", "miles", "millones"},
}
_SCALING = ("multiplier", "scale")
_NOT_MODIFIERS = {"NUM", "CCONJ", "SCONJ", "ADP", "DET", "PRON", "AUX", "PART", "VERB"}
_ARTICLES = {"a", "an", "un", "une", "uno", "una"}
_CONNECTORS = {"en": {"and"}, "fr": {"et"}, "es": {"y"}}
_OF = {"of", "de", "d'", "d’", "del"}
_CURRENCY_BEFORE = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
    "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "₽": "RUB", "chf": "CHF",
}  # fmt: skip
_CURRENCY_AFTER = {"€": "EUR", "$": "USD", "£": "GBP", "₽": "RUB"}
_MONEY_SUFFIXES = {"m": 1e6, "k": 1e3, "bn": 1e9, "mn": 1e6}
_PERCENT = {("%",), ("percent",), ("pct",), ("per", "cent"), ("pour", "cent"), ("por", "ciento")}
_NAME_LABELS = {"PRODUCT", "ORG", "LAW", "FAC", "WORK_OF_ART", "EVENT", "PERSON", "PER", "ORDINAL"}
_AGE_AFTER = re.compile(r"^(?:-|\s)years?(?:-|\s)old\b|^\s+años\s+de\s+edad\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:aged|âgée?s?\s+de|edad\s+de)\s+$", re.I)
_DIGITS = re.compile(r"(\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(bn|mn|tn)?")
_GROUP = re.compile(r"\d{3}(?:,\d+)?")
_APPROX = re.compile(
    r"(?:^|(?<=[\s(\"“«¿¡‘]))("
    + "|".join(re.escape(a).replace("'", "['’]") for a in sorted(APPROXIMATORS, key=len, reverse=True))
    + r")(?:(?<=['’])|\s+)$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Run:
    """Tokens [start, end) that spell one number, and how they read."""

    start: int
    end: int
    value: float | None
    vague: bool  # "thousands of", "des milliers de": a magnitude, not a figure


def find_quantities(doc: Doc, language: str | None = None) -> list[Quantity]:
    """Every counted or measured number in `doc`, with its unit, normalised value and approximation word."""
    lang = (language or doc.lang_ or "en").split("-")[0].split("_")[0].lower()
    found: list[Quantity] = []
    try:
        skip = sorted(find_date_spans(doc, lang))
        for run in _runs(doc, lang):
            quantity = _quantity_safely(doc, run, lang, skip)
            if quantity is not None:
                found.append(quantity)
    except Exception:  # never let one odd article stop the pipeline
        LOGGER.exception("quantity search failed part-way; keeping %d quantities", len(found))
    return found


# --- reading numbers ---------------------------------------------------------------------------


def _lexicon(table: dict[str, Any], lang: str) -> Any:
    """A language's entry in a word table, English for languages we keep no list for."""
    return table.get(lang, table["en"])


def _small(lang: str) -> dict[str, int]:
    """Number words of a language: 'word' counts its position, 'word:n' is n."""
    words: dict[str, int] = {}
    for position, entry in enumerate(_SMALL.get(lang, _SMALL["en"]).split()):
        name, _, value = entry.partition(":")
        words[name] = int(value) if value else position
    return words


_SMALL_WORDS = {lang: _small(lang) for lang in _SMALL}


def _kind(token: Token, lang: str) -> str | None:
    """What a token contributes to a number: digits, a number word, a multiplier, a scale, a magnitude."""
    low = token.lower_
    if _DIGITS.fullmatch(low):
        return "digits"
    small = _SMALL_WORDS.get(lang, _SMALL_WORDS["en"])
    parts = [p for p in low.split("-") if p not in ("et", "")]
    if parts and all(p in small for p in parts) and (low not in _NEEDS_NUM_TAG or token.pos_ in ("NUM", "")):
        return "word"
    if low in _lexicon(_MULTIPLIERS, lang):
        return "multiplier"
    if low in _lexicon(_VAGUE, lang):
        return "vague"
    if low in _lexicon(_SCALES, lang):
        return "scale"
    return "article" if low in _ARTICLES else None


def _runs(doc: Doc, lang: str) -> list[_Run]:
    """The numbers in the document, each as the longest token run that spells it."""
    runs, i = [], 0
    while i < len(doc):
        kinds = [_kind(doc[i], lang)]
        nxt = _kind(doc[i + 1], lang) if i + 1 < len(doc) else None
        if kinds[0] not in ("digits", "word", "vague", "multiplier") and not (
            kinds[0] == "article" and nxt in _SCALING
        ):
            i += 1
            continue
        end = i + 1
        while (step := _continues(doc, i, end, lang, kinds)) is not None:
            end = step
        vague = kinds[0] == "vague"
        runs.append(_Run(i, end, None if vague else _value(doc[i:end], lang), vague))
        i = end
    return runs


def _continues(doc: Doc, start: int, j: int, lang: str, kinds: list[str | None]) -> int | None:
    """Where the number run starting at `start` grows to if token j still belongs to it, else None."""
    if j >= len(doc):
        return None
    token, last, kind = doc[j], kinds[-1], _kind(doc[j], lang)
    if kind == "vague" and last != "vague" and token.lower_ in _lexicon(_SCALES, lang):
        kind = "scale"  # "30 millions", "mil millones": a magnitude word after a number scales it
    after = _kind(doc[j + 1], lang) if j + 1 < len(doc) else None
    for group in (j, j + 1):  # "100 000", or "100\u00a0000" where the no-break space is a token of its own
        if _is_group(doc, start, group, kinds):
            kinds.append("digits")
            return group + 1
    if (kind in _SCALING and last in ("digits", "word", "article", *_SCALING)) or (kind == "word" and last in _SCALING):
        kinds.append(kind)
        return j + 1
    if kind == "word" and _tens_then_unit(doc[j - 1], token, lang):
        kinds.append(kind)
        return j + 1
    hyphen = token.text == "-" and not token.whitespace_ and not doc[j - 1].whitespace_
    connector = token.lower_ in _CONNECTORS.get(lang, set())
    if after in ("word", "article") and (hyphen or connector) and "digits" not in kinds:  # "vingt et un"
        scaled = connector and last in _SCALING and lang == "en"  # "two hundred and fifty"
        if hyphen or scaled or _tens_then_unit(doc[j - 1], doc[j + 1], lang):  # "treinta y cinco", "vingt et un"
            kinds.append("word")
            return j + 2
    if last == "vague" and token.lower_ in _OF and after == "vague":
        kinds.append("vague")
        return j + 2
    return None


def _tens_then_unit(tens: Token, unit: Token, lang: str) -> bool:
    """Whether two number words make one number ('twenty one', 'treinta y cinco'), not two ('two or three')."""
    small = _SMALL_WORDS.get(lang, _SMALL_WORDS["en"])
    first, second = small.get(tens.lower_), small.get(unit.lower_)
    return first is not None and second is not None and first >= 20 and first % 10 == 0 and 0 < second < 10


def _is_group(doc: Doc, start: int, j: int, kinds: list[str | None]) -> bool:
    """Whether token j is a further group of three digits ('100 000'), after one space or a no-break space."""
    if j >= len(doc) or set(kinds) != {"digits"} or not _GROUP.fullmatch(doc[j].text):
        return False
    if not re.fullmatch(r"\d{1,3}", doc[start].text):
        return False
    gap = doc[j - 1]
    if gap.text in ("\u00a0", "\u202f"):
        return not gap.whitespace_ and not doc[j - 2].whitespace_ and _DIGITS.fullmatch(doc[j - 2].text) is not None
    return gap.whitespace_ == " " and _DIGITS.fullmatch(gap.text) is not None


def _value(tokens: Span, lang: str) -> float | None:
    """The number the tokens spell: '100 000' -> 100000, 'dos mil quinientos' -> 2500, '1.5bn' -> 1.5e9."""
    total, current, digits = 0.0, None, ""
    for token in tokens:
        text = token.lower_
        if token.is_space:
            continue
        if _DIGITS.fullmatch(text):
            digits += text
            continue
        if digits:
            current, digits = _digits(digits, lang), ""
            if current is None:
                return None
        for word in text.split("-"):
            total, current = _apply(word, lang, total, current)
    if digits:
        current = _digits(digits, lang)
    return None if current is None and not total else total + (current or 0)


def _apply(word: str, lang: str, total: float, current: float | None) -> tuple[float, float | None]:
    """Fold one number word into the running (total, pending) pair."""
    small, multipliers, scales = (
        _SMALL_WORDS.get(lang, _SMALL_WORDS["en"]),
        _lexicon(_MULTIPLIERS, lang),
        _lexicon(_SCALES, lang),
    )
    if word in small:
        if small[word] == 20 and current is not None and current % 100 == 4 and lang == "fr":
            return total, current + 76  # quatre-vingt(s)
        return total, (current or 0) + small[word]
    if word in multipliers:
        return total, (current or 1) * multipliers[word]
    if word in scales:
        if current is None and total:
            return total * scales[word], None  # "mil millones"
        return total + (current or 1) * scales[word], None
    if word in _ARTICLES:
        return total, (current or 0) + 1
    return total, current


def _digits(text: str, lang: str) -> float | None:
    """Digits with the language's separators: '100,000' (en), '100.000' (es), '6,5' (fr) and a scale suffix."""
    m = _DIGITS.fullmatch(text)
    if not m:
        return None
    number, suffix = m.group(1), m.group(2)
    scale = _SUFFIX_SCALES[suffix] if suffix else 1
    if "," in number and "." in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
        return float(number.replace("." if decimal == "," else ",", "").replace(decimal, ".")) * scale
    for sep in ",.":
        if number.count(sep) > 1:
            return float(number.replace(sep, "")) * scale
        if number.count(sep) == 1:
            head, tail = number.split(sep)
            grouped = len(tail) == 3 and head != "0" and (tail == "000" or (sep == ",") == (lang == "en"))
            return float(head + tail if grouped else f"{head}.{tail}") * scale
    return float(number) * scale


# --- one quantity ------------------------------------------------------------------------------


def _quantity_safely(doc: Doc, run: _Run, lang: str, skip: list[tuple[int, int]]) -> Quantity | None:
    """One Quantity, or None for what is no quantity, logging (not raising) on anything unexpected."""
    try:
        return _quantity(doc, run, lang, skip)
    except Exception:
        LOGGER.exception("could not read the number %r", doc[run.start : run.end].text)
        return None


def _quantity(doc: Doc, run: _Run, lang: str, skip: list[tuple[int, int]]) -> Quantity | None:
    """The quantity a number run states, with unit and approximation, or None when it is no quantity."""
    if _is_skipped(doc, run, skip):
        return None
    first, end, value = run.start, run.end, run.value
    unit, currency_at = _currency_before(doc, run.start)
    if first > 0 and doc[first].lower_ in _ARTICLES and doc[first - 1].lower_ in ("half", "demi", "medio"):
        first, value = first - 1, value / 2 if value is not None else None  # "half a million"
    if unit is not None:
        first = min(first, currency_at)
        end, value = _money_suffix(doc, end, value)
    elif (percent_end := _percent_after(doc, end)) is not None:
        unit, end = "percent", percent_end
    elif end < len(doc) and doc[end].text in _CURRENCY_AFTER:
        unit, end = _CURRENCY_AFTER[doc[end].text], end + 1
    else:
        unit, end = _counted(doc, run, lang)
    unit = unit or _entity_unit(doc, run) or _number_of(doc, run)
    start_char = doc[first].idx
    approximate, approx_start = _approximation(doc, run, start_char)
    start_char = approx_start if approx_start is not None else start_char
    last = doc[end - 1]
    money_stop = last.text.endswith(".") and last.lower_[:-1] in _MONEY_SUFFIXES  # "€30m." ends a sentence
    end_char = last.idx + len(last.text) - money_stop
    text = text_of(doc)[start_char:end_char]
    return Quantity(start_char, end_char, text, value, unit, approximate, _predicate(doc, run))


def _is_skipped(doc: Doc, run: _Run, skip: list[tuple[int, int]]) -> bool:
    """Numbers that are no quantity: dates, ordinals, names, ages, list numbering, a lone 'one'."""
    start, end = doc[run.start].idx, doc[run.end - 1].idx + len(doc[run.end - 1].text)
    i = bisect.bisect_left(skip, (end, end))
    if i > 0 and skip[i - 1][1] > start:
        return True
    if run.value is None and not run.vague:
        return True
    if run.end - run.start == 1 and doc[run.start].lower_ in _ARTICLES | {"one"}:
        return True  # "one thing is clear", "un accord"
    if any(t.ent_type_ in _NAME_LABELS for t in doc[run.start : run.end]):
        return True
    return _is_age(doc, start, end) or _is_list_number(doc, run, start) or _is_name_part(doc, run)


def _is_age(doc: Doc, start: int, end: int) -> bool:
    """'82-year-old', '82 years old', 'aged 82', 'âgé de 82 ans'."""
    return bool(
        _AGE_AFTER.match(text_of(doc)[end : end + 20]) or _AGE_BEFORE.search(text_of(doc)[max(0, start - 20) : start])
    )


def _is_list_number(doc: Doc, run: _Run, start: int) -> bool:
    """'1)' or '2.' opening a line: article list numbering."""
    before = text_of(doc)[max(0, start - 4) : start]
    lines = before.split("\n")
    opens_line = (len(lines) > 1 or start <= 4) and lines[-1].strip() in ("", "(")
    return opens_line and run.end < len(doc) and doc[run.end].text in (")", ".")


def _is_name_part(doc: Doc, run: _Run) -> bool:
    """'Section 5', 'Boeing 737', 'Su-35', '24/7': the number is part of a name or code, not a count."""
    before = doc[run.start - 1] if run.start > 0 else None
    after = doc[run.end] if run.end < len(doc) else None
    if after is not None and after.text in ("/", ":") and not doc[run.end - 1].whitespace_:
        return True
    if before is None or before.text.lower() in _CURRENCY_BEFORE or _parsed_noun_end(doc, run, run.end):
        return False
    if before.text in ("/", "-", ":") and not before.whitespace_:
        return True
    capitalised = before.text[:1].isupper() and before.is_alpha and not before.is_stop
    sentence_start = run.start < 2 or doc[run.start - 2].is_punct or "\n" in doc[run.start - 2].text_with_ws
    root = _root(doc, run)
    head_left = root.dep_ == "nummod" and root.head.i < run.start and root.head.pos_ in ("NOUN", "PROPN")
    return (capitalised and not sentence_start and _APPROX.search(before.text + " ") is None) or head_left


def _root(doc: Doc, run: _Run) -> Token:
    """The run's syntactic head (its last token when the doc has no parse)."""
    tokens = doc[run.start : run.end]
    if not has_annotation(doc, "DEP"):
        return tokens[-1]
    return next((t for t in tokens if not run.start <= t.head.i < run.end or t.head.i == t.i), tokens[-1])


def _currency_before(doc: Doc, i: int) -> tuple[str | None, int]:
    """ISO code of a currency sign or code right before the number ('$11.99', 'Rs 599'), and where it starts."""
    if i > 0 and doc[i - 1].lower_ in _CURRENCY_BEFORE:
        return _CURRENCY_BEFORE[doc[i - 1].lower_], i - 1
    return None, i


def _money_suffix(doc: Doc, end: int, value: float | None) -> tuple[int, float | None]:
    """'€30m', '$2bn': a scale letter glued to a sum of money."""
    suffix = doc[end].lower_.removesuffix(".") if end < len(doc) else ""
    if suffix in _MONEY_SUFFIXES and not doc[end - 1].whitespace_ and value is not None:
        return end + 1, value * _MONEY_SUFFIXES[suffix]
    return end, value


def _percent_after(doc: Doc, j: int) -> int | None:
    """End of a percent sign or word after the number ('15%', '6.5 percent', '6,5 %', 'por ciento')."""
    for words in _PERCENT:
        tail = doc[j : j + len(words)]
        if len(tail) == len(words) and tuple(t.lower_ for t in tail) == words:
            return j + len(words)
    return None


def _counted(doc: Doc, run: _Run, lang: str) -> tuple[str | None, int]:
    """What the number counts ('NATO soldiers', 'cubic metres per second', 'euros') and where the phrase ends."""
    k = run.end
    if k < len(doc) and not doc[k - 1].whitespace_ and doc[k].is_alpha and len(doc[k].text) <= 3:
        return doc[k].text, k + 1  # a unit glued to the number: "7.62mm", "5km", "3GW"
    if k + 1 < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_ and doc[k + 1].is_alpha:
        if doc[k + 1].lower_ != "strong":
            return doc[k + 1].text, k + 2  # "a 30-member alliance", "a 90-day truce"
        k += 2  # "the 5,000-strong Rapid Reaction Force" counts the force
    if k < len(doc) and doc[k].lower_ in _OF and (run.vague or doc[run.end - 1].lower_ in _lexicon(_SCALES, lang)):
        k += 1
    unit_end = _parsed_noun_end(doc, run, k) if lang == "en" else None
    unit_end = unit_end or _noun_end(doc, k, lang)
    if unit_end is None:
        return None, run.end
    unit_end = _per_unit_end(doc, unit_end)
    return doc[k:unit_end].text, unit_end


def _parsed_noun_end(doc: Doc, run: _Run, k: int) -> int | None:
    """End of the noun the number modifies in the English parse, modifiers in between included."""
    if not has_annotation(doc, "DEP"):
        return None
    root = _root(doc, run)
    head = root.head
    if root.dep_ not in ("nummod", "quantmod", "compound") or head.pos_ not in ("NOUN", "PROPN"):
        return None
    while head.dep_ == "compound" and head.i < head.head.i <= k + 5:
        head = head.head  # "four F-16 bombers": the number may hang on the first part of a compound
    between = doc[k : head.i]
    if not k <= head.i <= k + 5 or any(not run.start <= t.head.i <= head.i for t in between):
        return None
    if any(t.pos_ in _NOT_MODIFIERS for t in between):
        return None  # "two or three ships": the parse hangs both numbers on the noun
    return head.i + 1


def _noun_end(doc: Doc, k: int, lang: str) -> int | None:
    """End of the noun phrase right after the number, read from part-of-speech tags (or word shapes)."""
    tagged = has_annotation(doc, "POS") or has_annotation(doc, "TAG")
    taken: list[Token] = []
    for token in doc[k : k + 6]:
        joined = token.text == "-" and taken and not taken[-1].whitespace_ and not token.whitespace_
        if joined:
            continue
        lettered = any(c.isalpha() for c in token.text) and not token.is_stop and not token.is_punct
        wordlike = token.pos_ in ("NOUN", "PROPN", "ADJ") if tagged else lettered
        if not wordlike or _DIGITS.fullmatch(token.text):
            break
        taken.append(token)
    if not tagged:
        return _untagged_noun_end(taken, lang)
    if lang != "en":  # nouns come first in French and Spanish: "soldats russes"
        return next((t.i + 1 for t in taken if t.pos_ in ("NOUN", "PROPN")), None)
    nouns = [t for t in taken if t.pos_ == "NOUN"] or [t for t in taken if t.pos_ == "PROPN"]
    return nouns[-1].i + 1 if nouns else None


def _untagged_noun_end(taken: list[Token], lang: str) -> int | None:
    """Without tags: in English up to the first plural-looking word ('F-16 bombers'), elsewhere the first word."""
    if not taken:
        return None
    if lang == "en":
        plural = next((t for t in taken[:3] if t.lower_.endswith("s")), None)
        return (plural or taken[0]).i + 1
    return taken[0].i + 1


def _per_unit_end(doc: Doc, end: int) -> int:
    """Extend a measure by its rate: 'cubic metres per second', 'km par heure'."""
    if end + 1 < len(doc) and doc[end].lower_ in ("per", "par", "por") and doc[end + 1].is_alpha:
        return end + 2
    return end


def _entity_unit(doc: Doc, run: _Run) -> str | None:
    """'percent' for a number the English model tagged PERCENT when no sign or word was found next to it."""
    return "percent" if doc[run.start].ent_type_ == "PERCENT" else None


_TALLY = frozenset({"number", "total", "toll", "count", "tally"})
_LIGHT_VERBS = frozenset({"be", "have", "do", "say"})  # tell nothing of what happened to what is counted


def _number_of(doc: Doc, run: _Run) -> str | None:
    """What 'the number of firefighters will be more than 600' counts: the noun after 'number of'
    (or 'total', 'toll', 'tally') in the subject of the verb the figure completes."""
    if not has_annotation(doc, "DEP"):
        return None
    head = _root(doc, run).head
    if head.dep_ == "prep":  # "stood at 600", "rose to 600"
        head = head.head
    for subject in (t for t in head.children if t.dep_ in ("nsubj", "nsubjpass")):
        if subject.lemma_.lower() in _TALLY:
            for of in (t for t in subject.children if t.dep_ == "prep" and t.lower_ == "of"):
                counted = next((t for t in of.children if t.dep_ == "pobj" and t.pos_ in ("NOUN", "PROPN")), None)
                if counted is not None:
                    return counted.text
    return None


def _predicate(doc: Doc, run: _Run) -> str | None:
    """The verb the figure's phrase hangs from ('has destroyed 14 homes', '14 homes were destroyed'),
    as a lemma: two sources counting what the same verb did count the same thing."""
    if not has_annotation(doc, "DEP"):
        return None
    token = _root(doc, run)
    for _ in range(4):
        if token.pos_ == "VERB":
            lemma = token.lemma_.lower()
            return None if lemma in _LIGHT_VERBS else lemma
        if token.head.i == token.i or token.dep_ in ("ccomp", "advcl", "relcl", "conj"):
            return None  # not beyond the figure's own clause
        token = token.head
    return None


def _approximation(doc: Doc, run: _Run, start_char: int) -> tuple[str | None, int | None]:
    """The approximation word before the number ('more than', 'unos', 'près de'), or the magnitude word itself."""
    if run.vague:
        return doc[run.start : run.end].text.lower(), None
    m = _APPROX.search(text_of(doc), max(0, start_char - 40), start_char)
    if m is None:
        return None, None
    return m.group(1).lower().replace("’", "'"), m.start(1)
