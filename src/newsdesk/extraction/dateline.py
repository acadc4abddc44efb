"""Find an article's publication date in its own text when no metadata gives one.

Plain-text news usually carries it: a dateline opening the body ("GENEVA, 3 March
2025 –"), or a stamp the junk filter cut ("Published: 14/03/2025 08:12"). Only a
full date with a year is accepted; anything less is left for the reader.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["is_stamp", "published_from_text"]

HEAD_CHARS = 200  # a dateline sits at the very start of the body
STAMP_WORDS = 10
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "janvier", "enero", "januar", "gennaio", "januari"),
            ("february", "feb", "février", "fevrier", "febrero", "februar", "febbraio", "februari"),
            ("march", "mar", "mars", "marzo", "märz", "maart"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio", "mei"),
            ("june", "jun", "juin", "junio", "juni", "giugno"),
            ("july", "jul", "juillet", "julio", "juli", "luglio"),
            ("august", "aug", "août", "aout", "agosto", "augustus"),
            ("september", "sep", "sept", "septembre", "septiembre", "settembre"),
            ("october", "oct", "octobre", "octubre", "oktober", "ottobre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "décembre", "decembre", "diciembre", "dezember", "dicembre"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?(\d{{4}})\b", re.I
)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_NUMERIC = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
# A 12-hour clock or a US time zone beside a numeric date marks the US month-first order.
_US_STAMP = re.compile(r"\b\d{1,2}:\d{2}\s*[ap]\.?m\b|\b(?:E|C|M|P)[SD]?T\b", re.I)
_STAMP = re.compile(r"^\W*(published|posted|updated|date|publié|publicado|veröffentlicht)\b", re.I)
# What else a bare stamp line holds: weekdays, clock times, zones, "on", "at", separators.
_STAMP_FILLER = re.compile(
    r"\b(?:on|at|the|last|updated|posted|published|\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?\s?m)?|[ap]\.?\s?m|[ECMP][SD]?T|GMT|UTC|BST|CES?T|IST|"
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b|[\W_]+",
    re.I,
)


def published_from_text(text: str, removed: list[str]) -> str | None:
    """ISO date from a dateline at the start of the body, or from a cut publication stamp."""
    for line in removed:
        if _STAMP.match(line) or is_stamp(line):
            found = _find_date(line)
            if found:
                return found
    return _find_date(text[:HEAD_CHARS])


def is_stamp(line: str) -> bool:
    """A line that only dates the article: "Published July 28, 2004", "10:10 AM PDT 6/6/2013"."""
    if len(line.split()) > STAMP_WORDS or _find_date(line) is None:
        return False
    if _STAMP.match(line):
        return True
    rest = _NUMERIC.sub(" ", _MONTH_DAY_YEAR.sub(" ", _DAY_MONTH_YEAR.sub(" ", line)))
    return not _STAMP_FILLER.sub("", rest).strip()


def _find_date(text: str) -> str | None:
    candidates = []
    for match in _DAY_MONTH_YEAR.finditer(text):
        candidates.append((match.start(), _iso(match.group(3), _MONTHS[match.group(2).lower()], match.group(1))))
    for match in _MONTH_DAY_YEAR.finditer(text):
        candidates.append((match.start(), _iso(match.group(3), _MONTHS[match.group(1).lower()], match.group(2))))
    month_first = bool(_US_STAMP.search(text))
    for match in _NUMERIC.finditer(text):
        if match.group(1):
            candidates.append((match.start(), _iso(match.group(1), int(match.group(2)), match.group(3))))
        else:  # day first, as everywhere but the US; a US order shows itself by a "day" over 12 or its clock
            day, month = int(match.group(4)), int(match.group(5))
            if month > 12 >= day or (month_first and day <= 12):
                day, month = month, day
            candidates.append((match.start(), _iso(match.group(6), month, day)))
    valid = sorted((pos, iso) for pos, iso in candidates if iso)
    return valid[0][1] if valid else None


def _iso(year: str | int, month: int, day: str | int) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
