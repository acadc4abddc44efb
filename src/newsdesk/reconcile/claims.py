"""Break an analysed article into claims: sentence-level statements with what they name,
count and date, and who (if anyone) the article attributes them to.

A sentence that strings several statements together with semicolons is split there;
a headline is not a claim (its sentence in the body is). A claim inside a quote, or
reported after "X said that", belongs to the speaker, with the kind of speech act
its cue verb says (said, demanded, proposed, rejected, denied, warned).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Analysis, Article, DateRef, Quantity, Quote

__all__ = ["Claim", "parts", "split_claims"]

MIN_WORDS = 5
SUBHEADING_WORDS = 12
# Sentence ends: a stop, then a capital, digit or opening quote (the linking features use the same rule).
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”»’]))\s+(?=[\"“«‘(\[A-ZÀ-Ý0-9¿¡])")
_CLAUSE = re.compile(r";\s+")
_CREDIT = re.compile(r"(?:photo|foto|image|picture|credit|crédit|source|fuente)s?\s*:", re.I)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Jr|Sr|Prof|No|vs|etc|Sra|Mme|M)|\b[A-Z])\.$"
)
_WORD = re.compile(r"\w+")
_NEGATION = re.compile(
    r"\b(?:not|no|never|n't|none|nothing|nobody|neither|nor|denied|denies|deny|"
    r"no|nunca|jamás|ningún|ninguna|niega|negó|"
    r"ne|pas|jamais|aucun|aucune|nie|démenti)\b",
    re.I,
)
SPEECH_ACTS = {
    "demand": "demanded",
    "insist": "demanded",
    "urge": "demanded",
    "call": "demanded",
    "exiger": "demanded",
    "exigir": "demanded",
    "propose": "proposed",
    "offer": "proposed",
    "suggest": "proposed",
    "proponer": "proposed",
    "proposer": "proposed",
    "reject": "rejected",
    "refuse": "rejected",
    "dismiss": "rejected",
    "rechazar": "rejected",
    "rejeter": "rejected",
    "deny": "denied",
    "negar": "denied",
    "démentir": "denied",
    "warn": "warned",
    "advertir": "warned",
    "avertir": "warned",
}


# Verb forms that make a sentence a demand, proposal, rejection, denial or warning by its subject.
_ACT_VERB = re.compile(
    r"\b(propos(?:es|ed|e|ing)|offer(?:s|ed)?|demand(?:s|ed)?|reject(?:s|ed)?|refus(?:es|ed)|"
    r"den(?:ies|ied|y)|warn(?:s|ed)?|propone|propuso|exige|exigió|rechaza|rechazó|niega|negó|"
    r"propose|exige|rejette|refuse|dément)\b",
    re.I,
)
_NOUN_FORMS = frozenset({"demands", "offers", "offer", "demand", "exige"})
_ADVERBS = frozenset("also now again still further once more then already therefore thus even".split())
# Between the actor and its verb: a few words, no possessive ("Moscow's demands" is a noun), no clause break.
_ACTOR_GAP = re.compile(r"(?![’']s\b)(?:\s+[^\s,;:.()\"“”]+){0,3}\s+")
_ACTS = (
    (("propo", "propu", "offer"), "proposed"),
    (("deman", "exig"), "demanded"),
    (("rejec", "refus", "recha", "rejet"), "rejected"),
    (("den", "nieg", "neg", "dém"), "denied"),
    (("warn",), "warned"),
)


def _act_of(verb: str) -> str:
    folded = verb.casefold()
    return next((act for prefixes, act in _ACTS if folded.startswith(prefixes)), "said")


@dataclass(slots=True)
class Claim:
    """One statement of one article, as a span of its cleaned text."""

    article: str
    start: int
    end: int
    text: str
    order: int  # position among the article's claims
    entities: frozenset[str] = frozenset()
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    speaker: str | None = None
    speaker_entity: str | None = None
    act: str | None = None  # said, demanded, proposed, rejected, denied, warned; None: the outlet's own
    quote: Quote | None = None
    negated: bool = False
    names: frozenset[tuple[str, str]] = frozenset()  # (entity, word) for each word of the names it mentions


def split_claims(article: Article, analysis: Analysis | None) -> list[Claim]:
    """The article's claims in text order (all of its sentences of five words or more)."""
    text = article.text
    claims: list[Claim] = []
    for start, end in _claim_spans(text, article.title):
        words = _WORD.findall(text[start:end])
        if len(words) < MIN_WORDS or _CREDIT.match(text[start:end]):
            continue
        claim = Claim(article.id, start, end, text[start:end], len(claims))
        if analysis is not None:
            _annotate(claim, analysis)
        claims.append(claim)
    return claims


def _claim_spans(text: str, title: str | None) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped or _headline(stripped, title, first=not spans):
            continue
        for sentence_start, sentence_end in _sentences(line):
            sentence = line[sentence_start:sentence_end]
            for clause_start, clause_end in _pieces(sentence, _CLAUSE):
                a, b = line_start + sentence_start + clause_start, line_start + sentence_start + clause_end
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if b > a:
                    spans.append((a, b))
    return spans


_PART_BREAK = re.compile(r",\s+|\s+(?:and|but|while|whereas|y|pero|mientras|et|mais|tandis)\s+(?=\w)")
PART_MIN_WORDS = 6


def parts(claim: Claim) -> list[str]:
    """The clauses of a long claim (pieces between commas and coordinating words, short pieces kept
    with their neighbours): a sentence that carries several facts can state each of them."""
    pieces = [p for p in _PART_BREAK.split(claim.text) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(_WORD.findall(merged[-1])) < PART_MIN_WORDS or len(_WORD.findall(piece)) < PART_MIN_WORDS):
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    return merged if len(merged) > 1 else []


def _headline(line: str, title: str | None, first: bool) -> bool:
    """The headline (repeated in the body, perhaps with other dashes), an unpunctuated first line, or a
    subheading: a short unpunctuated line, which sums up the paragraph under it rather than reporting."""
    if title and _plain(line) == _plain(title):
        return True
    unpunctuated = not line.rstrip('"”»’)').endswith((".", "!", "?", "…", ":"))
    return unpunctuated and (first or len(_WORD.findall(line)) <= SUBHEADING_WORDS)


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _sentences(line: str) -> list[tuple[int, int]]:
    """Sentence spans of a line; a stop after a title or an initial ("Mr.", "J.") ends nothing."""
    merged: list[tuple[int, int]] = []
    for start, end in _pieces(line, _SENTENCE_END):
        if merged and _ABBREVIATION.search(line[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _pieces(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the text between matches of the separator."""
    pieces, start = [], 0
    for match in separator.finditer(text):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(text)))
    return pieces


def _annotate(claim: Claim, analysis: Analysis) -> None:
    inside = _within(claim.start, claim.end)
    named = [m for m in analysis.mentions if m.entity and inside(m.start, m.end)]
    claim.entities = frozenset(m.entity for m in named)
    claim.names = frozenset((m.entity, w) for m in named for w in _WORD.findall(m.text.casefold()))
    claim.quantities = [q for q in analysis.quantities if inside(q.start, q.end)]
    claim.dates = [d for d in analysis.dates if inside(d.start, d.end)]
    claim.negated = bool(_NEGATION.search(claim.text))
    quote = _quote_of(claim, analysis.quotes)
    if quote is not None:
        claim.quote = quote
        claim.speaker, claim.speaker_entity = quote.speaker, quote.entity
        claim.act = SPEECH_ACTS.get((quote.cue or "").lower(), "said")
        return
    verb = _ACT_VERB.search(claim.text)
    if verb is not None:  # "NATO proposes briefings", "Moscow rejected the offer": the actor is the name before
        at = claim.start + verb.start()
        before = [m for m in analysis.mentions if m.entity and claim.start <= m.start and m.end <= at]
        gap = analysis.text[before[-1].end : at] if before else ""
        if before and _ACTOR_GAP.fullmatch(gap) and not _noun_use(verb.group(1), gap):
            actor = before[-1]
            claim.speaker, claim.speaker_entity = actor.text, actor.entity
            claim.act = _act_of(verb.group(1))


def _noun_use(verb: str, gap: str) -> bool:
    """ "demands" and "offers" are nouns as often as verbs: after other words ("Russia formulated
    maximum demands") they are the noun; only adverbs may stand between actor and verb."""
    if verb.casefold() not in _NOUN_FORMS:
        return False
    return any(word.casefold() not in _ADVERBS and not word.endswith("ly") for word in gap.split())


def _quote_of(claim: Claim, quotes: list[Quote]) -> Quote | None:
    """The quote the claim mostly sits in (or that mostly sits in the claim)."""
    best, best_share = None, 0.0
    for quote in quotes:
        shared = min(claim.end, quote.end) - max(claim.start, quote.start)
        if shared <= 0:
            continue
        share = shared / min(claim.end - claim.start, quote.end - quote.start)
        if share > best_share:
            best, best_share = quote, share
    return best if best_share >= 0.5 else None


def _within(start: int, end: int):
    return lambda a, b: start <= a and b <= end
