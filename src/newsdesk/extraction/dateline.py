"""Find an article's publication date in its own text, or in its address, when no metadata gives one.

Plain-text news usually carries it: a dateline opening the body ("GENEVA, 3 March
2025 –"), or a stamp line near the top, cut by the junk filter or not ("Published:
14/03/2025 08:12", "12:48PM BST 09 Sep 2013", "11/28/05"). Failing that, many
addresses hold the day ("/2013-07-21/", "/20070403/"). Only a full date with a year is
accepted; anything less is left for the reader.
"""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["MONTH_NAMES", "is_stamp", "published_from_text", "published_from_url"]

HEAD_CHARS = 200  # a dateline sits at the very start of the body
HEAD_LINES = 6  # a stamp line sits among the first lines (under the headline and a standfirst)
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
MONTH_NAMES = frozenset(_MONTHS)
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\.?[\s-]+(?:de\s+)?({_MONTH})\.?,?[\s-]+(?:de\s+)?(\d{{4}})\b", re.I
)
# "November 27, 2005", "Nov. 27 2005", "November 27-2005".
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?[\s-]+(\d{{1,2}})(?:st|nd|rd|th)?,?[\s-]+(\d{{4}})\b", re.I)
# ISO and dotted or slashed numeric dates; detokenised text may space them out ("2012. 08. 08").
_NUMERIC = re.compile(
    r"\b(\d{4})(?:-|\.\s?|/)(\d{1,2})(?:-|\.\s?|/)(\d{1,2})\b|\b(\d{1,2})(?:[./]\s?)(\d{1,2})(?:[./]\s?)(\d{4})\b"
)
# Two-digit years ("11/28/05", "04/02/07, 9:00 PM PDT"): trusted on stamp lines only.
_SHORT_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})/(\d{2})(?![\d/])")
# A month and day with no year ("APR 28", "Jul. 7 5:59 PM EDT"): a stamp, but it cannot date the article.
_MONTH_DAY = re.compile(rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})|(\d{{1,2}})\s+({_MONTH}))\b\.?", re.I)
# A 12-hour clock or a US time zone beside a numeric date marks the US month-first order.
_US_STAMP = re.compile(r"\b\d{1,2}:\d{2}\s*[ap]\.?m\b|\b(?:E|C|M|P)[SD]?T\b", re.I)
_STAMP = re.compile(
    r"^\W*(?:first\s+|last\s+)?(published|posted|updated|date[ds]?|edited|released?|created|modified|"
    r"for immediate release|article posted|publié|mis à jour|publicado|actualizado|veröffentlicht|"
    r"aktualisiert|pubblicato|aggiornato|gepubliceerd|bijgewerkt)\b",
    re.I,
)
# What else a bare stamp line holds: weekdays, clock times, zones, "on", "at", separators.
_STAMP_FILLER = re.compile(
    r"\b(?:on|at|the|last|updated|posted|published|hrs|local time|uk|"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?\s?m)?|[ap]\.?\s?m|[ECMP][SD]?T|ET|GMT|UTC|BST|CES?T|IST|"
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b|[\W_]+",
    re.I,
)
# Dates in addresses that htmldate's URL reader leaves: a compact day ("/20070403/", "ymd=20081216").
_URL_COMPACT = re.compile(r"(?<![\d])(19[89]\d|20[0-4]\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")


def published_from_text(text: str, removed: list[str]) -> str | None:
    """ISO date from a cut publication stamp, a stamp line near the top, or a dateline opening the body."""
    for line in removed:
        if _STAMP.match(line) or is_stamp(line):
            found = _find_date(line, short_years=True)
            if found:
                return found
    head = [line.strip() for line in text.split("\n") if line.strip()][:HEAD_LINES]
    for line in head:
        if is_stamp(line):
            found = _find_date(line, short_years=True)
            if found:
                return found
    return _find_date(text[:HEAD_CHARS])


def published_from_url(url: str | None) -> str | None:
    """The day an address gives ("/2013/09/09/", "/2013-07-21/", "/20070403/"), or None."""
    if not url:
        return None
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor

    options = Extractor(False, datetime(datetime.now().year + 1, 12, 31), datetime(1990, 1, 1), False, "%Y-%m-%d")
    try:
        found = extract_url_date(url, options)
    except (ValueError, TypeError):  # a malformed address dates nothing
        found = None
    if found:
        return found
    path = url.split("://", 1)[-1].partition("/")[2]  # never the host name
    match = _URL_COMPACT.search(path)
    return _iso(match.group(1), int(match.group(2)), match.group(3)) if match else None


def is_stamp(line: str) -> bool:
    """A line that only dates the article: "Published July 28, 2004", "10:10 AM PDT 6/6/2013", "APR 28"."""
    if len(line.split()) > STAMP_WORDS:
        return False
    if _find_date(line, short_years=True) is None and not _MONTH_DAY.search(line):
        return False
    if _STAMP.match(line):
        return True
    rest = _NUMERIC.sub(" ", _MONTH_DAY_YEAR.sub(" ", _DAY_MONTH_YEAR.sub(" ", line)))
    rest = _MONTH_DAY.sub(" ", _SHORT_NUMERIC.sub(" ", rest))
    return not _STAMP_FILLER.sub("", rest).strip()


def _find_date(text: str, short_years: bool = False) -> str | None:
    candidates = []
    for match in _DAY_MONTH_YEAR.finditer(text):
        candidates.append((match.start(), _iso(match.group(3), _MONTHS[match.group(2).lower()], match.group(1))))
    for match in _MONTH_DAY_YEAR.finditer(text):
        candidates.append((match.start(), _iso(match.group(3), _MONTHS[match.group(1).lower()], match.group(2))))
    month_first = bool(_US_STAMP.search(text))
    for match in _NUMERIC.finditer(text):
        if match.group(1):
            candidates.append((match.start(), _iso(match.group(1), int(match.group(2)), match.group(3))))
        else:
            candidates.append((match.start(), _day_month(match.group(4), match.group(5), match.group(6), month_first)))
    if short_years:
        for match in _SHORT_NUMERIC.finditer(text):
            year = int(match.group(3))
            year += 2000 if year <= date.today().year % 100 + 1 else 1900
            # slashes with a two-digit year are the US habit unless the first number cannot be a month
            candidates.append((match.start(), _day_month(match.group(1), match.group(2), year, True)))
    valid = sorted((pos, iso) for pos, iso in candidates if iso)
    return valid[0][1] if valid else None


def _day_month(first: str, second: str, year: str | int, month_first: bool) -> str | None:
    """Day first, as everywhere but the US; a US order shows itself by a "day" over 12 or its clock."""
    day, month = int(first), int(second)
    if month > 12 >= day or (month_first and day <= 12):
        day, month = month, day
    return _iso(year, month, day)


def _iso(year: str | int, month: int, day: str | int) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
