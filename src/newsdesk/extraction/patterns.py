"""Shapes of boilerplate lines, grouped by kind, in the languages newsdesk meets most.

Each pattern describes a *kind* of line (a teaser, a share prompt, a comment-form
leftover) by its wording and shape, not any one site's string. Kinds are checked
by `junk.py`; "anywhere" kinds are safe inside the body, "edge" kinds only before
the first or after the last real paragraph.
"""

from __future__ import annotations

import re

__all__ = ["ANYWHERE", "BIO_SEGMENT", "DATELINE", "EDGE", "LIST_ITEM"]

_I = re.I | re.U

# Related-article teasers: "Read Also …", "See also: …", "READ MORE: …", "Related: …".
_TEASER = (
    r"^\W{0,3}(read (also|more|next)|also read|see (also|more)|related( (articles?|stories|posts?|coverage|"
    r"content|news|reading|topics?))?\s*:|more( on this)?\s*:|recommended( for you| reading)?\b|"
    r"you (may|might) (also )?(like|be interested|enjoy)|don'?t miss|must read|most (read|popular|viewed)|"
    r"trending( now)?\b|top stories|editor'?s picks|"
    r"lea (también|además)|lee también|te puede interesar|también te puede|ver (también|más)|noticias relacionadas|"
    r"lire aussi|à lire aussi|voir aussi|sur le même sujet|"
    r"leggi anche|potrebbe interessarti|vedi anche|"
    r"lesen sie auch|auch interessant|mehr zum thema|das könnte sie auch interessieren|"
    r"leia (também|mais)|veja também|"
    r"lees ook|zie ook|les også|se også|läs även|læs også|"
    r"czytaj (też|także|więcej)|читайте также|смотрите также|baca juga)(\b|(?<=:))"
)
# Teaser lines tagged with a bracketed kind: "China furious at Macron [INSIGHT]".
_TAGGED = r"\[(video|pics?|photos?|insight|reaction|revealed|latest|live|poll|gallery|watch|analysis)\]\s*\|?\s*$"

# Share / follow / subscribe / sign-up prompts.
_PROMPT = (
    r"^\W{0,3}(share (this|the|your|on|via|article|story|post|love)\b|share\s*$|tweet\s*$|"
    r"follow (us|him|her|them|me)\b|follow (all )?(the )?[\w .'’-]{0,40}\b(on|at|via|in)\s+"
    r"(facebook|twitter|x|instagram|telegram|youtube|linkedin|tiktok|whatsapp|our)\b|"
    r"subscribe\b|sign up\b|click here\b|tap here\b|download (our|the) app|get the (latest|day)|"
    r"join\b.{0,60}\b(follow|newsletter|without limits|subscribers?|members|channel|community|today)\b|"
    r"(síguenos|suscríbete|compartir|comparte|suivez[- ]nous|abonnez[- ]vous|partager|partagez|"
    r"seguici|iscriviti|condividi|folgen sie uns|abonnieren|teilen|siga[- ]nos|assine|compartilhe|"
    r"volg ons|abonneer|del artikkelen|følg oss|udostępnij|подпишитесь|поделиться)\b)"
)
# Any line (up to ~60 words) that carries a social or newsletter call to action.
_PROMPT_INLINE = (
    r"(\bfollow (us|him|her|them|me|[\w.]+) on (twitter|facebook|instagram|x|linkedin|youtube|tiktok)\b|"
    r"\bsubscribe to (our|the|\w+(’|')s)\b.{0,40}\bnewsletters?\b|\bsign up (for|to) (our|the)\b.{0,40}"
    r"\b(newsletter|alerts?|emails?)\b|delivered (straight |right )?(to|in(to)?) your inbox|"
    r"\bnewsletters?\b.{0,60}\b(sign up|subscribe|inbox)\b|may be reached at \S+@\S+|\bhave a tip\?|"
    r"\bwe have a proposition for you\b|\bbecome a (member|subscriber|patron)\b|"
    r"\bsupport (our|independent) journalism\b|\bread without limits\b|\bclick here\b|"
    r"\bdelivered (through|to) your (letterbox|door)\b)"
)
# Cookie and consent notices.
_COOKIE = (
    r"\bcookies?\b.{0,120}\b(use|uses|using|accept|consent|policy|settings|browsing|experience|agree)\b|"
    r"\b(accept|agree to|consent to)\b.{0,40}\bcookies?\b"
)
# Comment-form leftovers and comment counters.
_COMMENTS = (
    r"^\W{0,3}(leave a (reply|comment)|post a comment|add (a )?comment|comments? (are|is) closed|"
    r"(\d+|no|all|view|show|user|load)\s+comments?|comments?\s*\(?\d*\)?\s*$|comment on this (story|article)|"
    r"comments powered by|want to join the discussion|join (the )?discussion|feel free to contribute|"
    r"your email address will not be published|required fields are marked|"
    r"deja (un|tu) comentario|laisser un commentaire|lascia un commento|schreibe einen kommentar|"
    r"deixe (um|seu) comentário|laat een reactie achter|legg igjen en kommentar|tinggalkan balasan|"
    r"in reply to\b|reply\s*$|cancel reply|tell us what you think|what do you think\?\s*$|have your say)"
)
# Advertising and sponsorship labels standing alone on their line.
_ADVERT = (
    r"^\W{0,3}(advertisement|advertising|sponsored( content| by .{0,40})?|paid (post|content)|promoted|"
    r"anzeige|werbung|publicidad|publicité|pubblicità|publicidade|reklame|reklama|annonse|ad)\W{0,3}$"
)
_COPYRIGHT = r"^\W{0,3}(©|\(c\)|copyright\b|all rights reserved)|all rights reserved\W*$"
# Reading time, "filed under", tags, update stamps, photo-gallery counters.
_META = (
    r"^\W{0,3}((estimated )?reading time|temps de lecture|tiempo de lectura|tempo de leitura|lesezeit|"
    r"tempo di lettura)\b|^\W{0,3}\d+\s*(min|mins|minutes?|minutos?|minuten)\.?\s*(read|de lectura|de lecture|"
    r"de leitura|lesezeit)\W*$|^\W{0,3}(filed under|tags?|tagged|categor(y|ies)|posted in|topics?)\s*:|"
    r"^\W{0,3}(updated|last updated|published|posted|first published|modified)\b.{0,40}\d.{0,30}$"
)
# Source / credit labels: "source site", "Article Source", "SOURCE: Agencies".
_SOURCE_LABEL = (
    r"^\W{0,3}((article |news |story )?sources?( site| link)?|quelle|fuente|fonte|bron|kilde|źródło|"
    r"источник|via)\s*(:\s*[\w .,&'’-]{0,40})?\W{0,2}$|^\W{0,3}(additional )?reporting by\b[^.]{0,60}\.?$|"
    r"^\W{0,3}(editing|edited|written|compiled) by\b[^.]{0,60}\.?$"
)
# A byline: "By Jane Roe", "By Jane Roe, Staff Reporter", "Por Juan Pérez".
_BYLINE = (
    r"^\W{0,3}(?i:by|par|por|von|di|door|av|przez)\s+(?!(?i:the|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|then|now|noon|midnight|tonight|tomorrow|today)\b)[A-ZÀ-Ý][\w.'’-]+(\s+(van|de|der|da|del|di|la|le|"
    r"[A-ZÀ-Ý][\w.'’-]+)){0,4}\s*([,|–—-]\s*[\w .'’&-]{0,50})?(?<!\.)$"
)

# A photo credit alone on its line: "(Image credit: NASA)", "Jane Roe/Getty Images", "Photo: AFP".
_CREDIT = (
    r"(?i:^\(?\s*(image|photo|picture|pic|foto|bild|illustration|video|graphic)s?( credit| courtesy)?\s*(:|by)\s*"
    r"[^.]{1,60}\)?$|^\(?(credit|courtesy|©)\s*:?\s*[^.]{1,50}\)?$)|"
    r"^\(?[A-ZÀ-Ý][\w.'’-]*( [A-ZÀ-Ý][\w.'’-]*){0,3}\s?/\s?[A-ZÀ-Ý][\w.'’&-]*( [A-ZÀ-Ý][\w.'’&-]*){0,3}\)?$"
)

# A byline carrying a full date: "Jane Roe, Geneva, 13 March 2025", "Élodie Favre, Genève, le 13 mars 2025".
_NAME = r"[A-ZÀ-Ý][\w'’.-]+(\s+[A-ZÀ-Ý][\w'’.-]+){1,2}"
_FULL_DATE = (
    r"(\d{1,2}(er|st|nd|rd|th)?\.?\s+(de\s+)?[^\W\d_]{3,10}\.?\s+(de\s+)?\d{4}|"
    r"[^\W\d_]{3,10}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})"
)
_DATED_BYLINE = (
    rf"^{_NAME}\s*[,|–—-]\s*([^,.\d]{{1,30}},\s*)?((?i:le|el|am|il|on|den|op)\s+)?{_FULL_DATE}"
    r"(\s*((?i:à|at|um|a las|alle|om)\s*)?\d{1,2}[:h.]\d{2})?\s*$"
)

# CMS shortcodes that leaked into the text: "[button link=...]Send us your review[/button]".
_SHORTCODE = r"^\W{0,3}\[(/?[a-z_][\w-]*)(\s[^\]]*)?\].*\[/[a-z_][\w-]*\]\W*$|^\W{0,3}\[[a-z_][\w-]*\s+\w+=[^\]]*\]"

ANYWHERE: dict[str, re.Pattern[str]] = {
    "teaser": re.compile(_TEASER, _I),
    "teaser-tagged": re.compile(_TAGGED, _I),
    "prompt": re.compile(_PROMPT, _I),
    "cookie": re.compile(_COOKIE, _I),
    "comments": re.compile(_COMMENTS, _I),
    "advert": re.compile(_ADVERT, _I),
    "copyright": re.compile(_COPYRIGHT, _I),
    "meta": re.compile(_META, _I),
    "source-label": re.compile(_SOURCE_LABEL, _I),
    "byline": re.compile(_BYLINE, re.U),
    "credit": re.compile(_CREDIT, re.U),
    "dated-byline": re.compile(_DATED_BYLINE, re.U),
    "shortcode": re.compile(_SHORTCODE, _I),
}
# Checked only on lines up to ~60 words: a long paragraph that mentions a newsletter is content.
EDGE: dict[str, re.Pattern[str]] = {
    "prompt-inline": re.compile(_PROMPT_INLINE, _I),
}

LIST_ITEM = re.compile(r"^\s*([-•*·–—]\s+\S|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)", re.U)
# A dateline ("GENEVA, 3 March") or all-caps place header is article content, not a label.
DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'’-]{2,}(,\s*[A-ZÀ-Ý][\w .'’-]*)?(\s*[,(–—-].*)?$", re.U)
# One segment of a content-farm author bio: "Coffee trailblazer." "Hardcore introvert."
BIO_SEGMENT = re.compile(r"^[A-ZÀ-Ý][\w'’-]*(\s+[\w'’-]+){0,4}[.!]$", re.U)
