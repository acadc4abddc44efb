"""Remove boilerplate lines from article text, keeping an audit list of what was cut.

trafilatura drops page furniture, but junk that sits inside the body (teasers,
share prompts, fake author bios) survives it, and already-extracted text from
content farms is full of it. No library judges lines of plain text, so this is
hand-written: a line is judged by its wording (`patterns.py`), its position
(before the first / after the last real paragraph), its shape and length, and
whether it repeats the title or lines seen on the same site's other pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .dateline import is_stamp
from .patterns import ANYWHERE, BIO_SEGMENT, DATELINE, EDGE, LIST_ITEM

__all__ = ["Cleaned", "clean_text", "is_content_line", "normalize_line", "pick_title"]

MAX_WORDS_ANYWHERE = 40  # a longer paragraph that happens to start "Follow…" is content
MAX_WORDS_INLINE_BODY = 30
MAX_WORDS_INLINE_EDGE = 60
MAX_WORDS_LABEL = 6  # short unpunctuated line at the edges: a site label, section name, author name
MIN_WORDS_CONTENT = 8
TITLE_SIMILARITY = 90
SITE_REPEAT_BODY = 3  # pages of one site carrying a line before it is cut from inside a body
_TERMINAL = tuple('.!?…:;"”’»)]。！？」』')
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_BREADCRUMB = ("»", "›", " | ", " > ", " / ")
TITLE_ZONE = 3  # a repeated headline is junk only among the first lines of the body
STAMP_ZONE = 6  # a bare date line is a stamp near the top or at the very end
_WORD = re.compile(r"\w+", re.U)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(slots=True)
class Cleaned:
    """Result of cleaning: body text, the lines removed (in order) and why."""

    text: str
    title: str | None
    removed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def normalize_line(line: str) -> str:
    """Key for comparing lines across pages: case, punctuation and spacing folded."""
    return " ".join(_WORD.findall(line.casefold()))


def word_count(line: str) -> int:
    """Words in a line; scripts written without spaces count one word per two characters."""
    cjk = len(_CJK.findall(line))
    return len(line.split()) + cjk // 2 if cjk else len(line.split())


def is_content_line(line: str) -> bool:
    """A sentence-shaped paragraph: enough words and sentence punctuation, or simply long."""
    words = word_count(line)
    return words >= 20 or (words >= MIN_WORDS_CONTENT and line.rstrip().endswith(_TERMINAL))


def pick_title(lines: list[str]) -> int | None:
    """Index of the headline among the first lines of a text file, skipping site labels above it."""
    candidates = [i for i, line in enumerate(lines) if line.strip()][:3]
    for n, i in enumerate(candidates):
        line = lines[i].strip()
        following = [lines[j].strip() for j in candidates[n + 1 :]]
        if following and word_count(following[0]) < 25 and (_strong_kind(line) or _is_site_label(line)):
            continue
        if following and is_stamp(line):  # "APR 28", "11/28/05" above the headline
            continue
        return i
    return candidates[0] if candidates else None


def _is_site_label(line: str) -> bool:
    """An outlet or section label printed above a headline: "news agency", "News » World"."""
    words = word_count(line)
    if words > MAX_WORDS_LABEL or line.endswith(_TERMINAL):
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and (all(c.islower() for c in letters) or any(sep in line for sep in _BREADCRUMB))


def clean_text(
    text: str,
    title: str | None = None,
    site_lines: Mapping[str, int] | None = None,
    title_in_text: bool = False,
    keep_headline: bool = False,
) -> Cleaned:
    """Cut boilerplate from `text`; with `title_in_text` the headline is its first line. With
    `keep_headline` the headline stays as the text's first paragraph (it is still `title`): text
    handed in as text keeps what it says, and the names in its headline can be found and cited."""
    lines = _paragraphs(text)
    kept: list[str] = []
    removed: list[str] = []
    reasons: list[str] = []
    index = None
    if title_in_text:
        index = pick_title(lines)
        if index is not None:
            title = lines[index].strip()
            for above in lines[:index]:  # site labels printed above the headline
                if above.strip():
                    removed.append(above.strip())
                    reasons.append(_strong_kind(above.strip()) or "label")
            lines = lines[index + 1 :]
    verdicts = _judge(lines, title, site_lines)
    for line, verdict in zip(lines, verdicts, strict=True):
        if not line.strip():
            continue
        if verdict:
            removed.append(line.strip())
            reasons.append(verdict)
        else:
            kept.append(line.strip())
    if keep_headline and title and kept:  # a headline alone is no article
        if title_in_text and index is not None:
            kept.insert(0, title)
        elif "title" in reasons:  # the given title repeated at the top of the text
            at = reasons.index("title")
            kept.insert(0, removed.pop(at))
            reasons.pop(at)
    return Cleaned("\n\n".join(kept), title, removed, reasons)


def _judge(lines: list[str], title: str | None, site_lines: Mapping[str, int] | None) -> list[str | None]:
    verdicts: list[str | None] = [None] * len(lines)
    title_key = normalize_line(title) if title else ""
    nonempty = [i for i, raw in enumerate(lines) if raw.strip()]
    title_zone = set(nonempty[:TITLE_ZONE])
    stamp_zone = set(nonempty[:STAMP_ZONE]) | set(nonempty[-2:])
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        kind = _strong_kind(line)
        if kind is None and title_key and i in title_zone and _repeats_title(line, title_key):
            kind = "title"
        if kind is None and site_lines and _site_repeat(line, site_lines, edge=False):
            kind = "site-repeat"
        if kind is None and i in stamp_zone and is_stamp(line):
            kind = "stamp"  # "12:48PM BST 09 Sep 2013" under the headline dates the page; it is not text
        verdicts[i] = kind
    closing = set(nonempty[-4:])
    for i in closing:  # bios and pitches close the page; judge them before finding the last paragraph
        line = lines[i].strip()
        if verdicts[i]:
            continue
        if _is_bio(line):
            verdicts[i] = "author-bio"
        elif word_count(line) <= MAX_WORDS_INLINE_EDGE and EDGE["prompt-inline"].search(line):
            verdicts[i] = "prompt"
    content = [i for i, raw in enumerate(lines) if raw.strip() and not verdicts[i] and is_content_line(raw)]
    first, last = (content[0], content[-1]) if content else (len(lines), -1)
    furniture = False  # past a comment form or author bio at the end, nothing is article text
    teaser_list = False  # the lines under a "Related:" heading at the end are links, not text
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if i > last and verdicts[i] in _CLOSING_KINDS:
            furniture = True
        if verdicts[i]:
            teaser_list = (i > last and verdicts[i] in _TEASER_KINDS) or (teaser_list and verdicts[i] == "teaser-list")
            continue
        if teaser_list and _is_link_like(line):
            verdicts[i] = "teaser-list"
            continue
        teaser_list = False
        if furniture:
            verdicts[i] = "after-comments"
            continue
        edge = i < first or i > last
        if edge and site_lines and _site_repeat(line, site_lines, edge=True):
            verdicts[i] = "site-repeat"
        else:
            verdicts[i] = _edge_kind(line, edge)
    return verdicts


_CLOSING_KINDS = frozenset({"comments", "author-bio"})
_TEASER_KINDS = frozenset({"teaser", "teaser-tagged", "teaser-list"})
MAX_WORDS_LINK = 20


def _is_link_like(line: str) -> bool:
    """A headline or list item as printed in a block of links: short and unpunctuated."""
    stripped = LIST_ITEM.sub("", line, count=1) if LIST_ITEM.match(line) else line
    return word_count(stripped) <= MAX_WORDS_LINK and not stripped.rstrip().endswith((".", "!", ";", ","))


def _site_repeat(line: str, site_lines: Mapping[str, int], edge: bool) -> bool:
    """Repeated on other pages of the site: enough outside the body; inside it, only lines on many
    pages. Follow-ups legitimately reuse a background paragraph and its heading ("About my6sense"
    over a press release's boilerplate paragraph, kept by the Scrapinghub gold on both pages that
    carry it), so two pages are not enough there, however short the line."""
    count = site_lines.get(normalize_line(line), 0)
    if count < 2:
        return False
    return edge or count >= SITE_REPEAT_BODY


def _strong_kind(line: str) -> str | None:
    words = word_count(line)
    if words > MAX_WORDS_ANYWHERE:
        return None
    listed = bool(LIST_ITEM.match(line))
    for kind, pattern in ANYWHERE.items():
        if listed and kind == "prompt":
            continue  # "- Sign up for the bundle" in a list of deals is content
        if pattern.search(line):
            return kind
    if words <= MAX_WORDS_INLINE_BODY and EDGE["prompt-inline"].search(line):
        return "prompt"
    return None


def _edge_kind(line: str, edge: bool) -> str | None:
    """Weaker evidence, trusted only outside the run of real paragraphs."""
    if not edge:
        return None
    words = word_count(line)
    if _is_bio(line):
        return "author-bio"
    if words <= MAX_WORDS_INLINE_EDGE and EDGE["prompt-inline"].search(line):
        return "prompt"
    if _is_label(line):
        return "label"
    return None


def _is_label(line: str) -> bool:
    """Short line with no sentence punctuation that is not a list item or dateline."""
    if word_count(line) > MAX_WORDS_LABEL or line.endswith(_TERMINAL):
        return False
    if LIST_ITEM.match(line) or (DATELINE.match(line) and any(c.isalpha() for c in line)):
        return False
    return bool(_WORD.search(line))


def _is_bio(line: str) -> bool:
    """Content-farm author bios: three or more tiny capitalised fragments, often quoted."""
    body = line.strip(" .\"“”'‘’«»")
    if not body:
        return False
    parts = [p.strip() + "." for p in re.split(r"(?<=[.!])\s+", body.rstrip(".!") + ".") if p.strip()]
    parts = [p.rstrip(".") + "." if p.endswith("..") else p for p in parts]
    if len(parts) < 3 or len(line.split()) > 25:
        return False
    return all(BIO_SEGMENT.match(p) for p in parts)


def _repeats_title(line: str, title_key: str) -> bool:
    """The headline again, possibly with a site name tacked on ("… - VG", "… | World")."""
    key = normalize_line(line)
    if not key:
        return False
    if key == title_key:
        return True
    shorter, longer = sorted((key, title_key), key=len)
    if len(shorter.split()) >= 5 and longer.startswith(shorter) and len(longer.split()) - len(shorter.split()) <= 3:
        return True
    return len(key) > 20 and fuzz.ratio(key, title_key) >= TITLE_SIMILARITY


def _paragraphs(text: str) -> list[str]:
    """Lines of the text, with hard-wrapped paragraphs (fixed-width plain text) joined back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    if not _is_hard_wrapped(blocks):
        return lines
    out: list[str] = []
    for block in blocks:
        if block:
            out.extend([" ".join(block), ""])
    return out


def _is_hard_wrapped(blocks: list[list[str]]) -> bool:
    """Most multi-line blocks break mid-sentence at a similar width: the text was wrapped."""
    inner = [line for block in blocks if len(block) > 1 for line in block[:-1]]
    if len(inner) < 3:
        return False
    mid_sentence = sum(1 for line in inner if not line.endswith(_TERMINAL) and 40 <= len(line) <= 100)
    return mid_sentence >= 0.7 * len(inner)
