"""Find who said what: direct quotes in every quotation style, dialogue dashes, and reported
speech, each attributed to a speaker resolved to an entity.

Quotation marks are paired by hand because machine-translated news mixes styles
(“…”, "…", «…», „…“, a closing mark used as an opener). The dependency parse
finds the reporting verb and its subject; candidates are then resolved in text
order, so a pronoun or a role noun ("the NATO chief", "the diplomat") can use
who was named or speaking just before. Unnamed sources are kept as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Mention, Quote
from .cues import (
    ACCORDING,
    COUNTERPART_NOUNS,
    DASH_CUES,
    ORG_NOUNS,
    PLURAL_PRONOUNS,
    PRONOUNS,
    REPORT_VERBS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    UNNAMED_DETERMINERS,
)
from .entities import TITLES
from .sentences import has_annotation, sentence_of, sentences, text_of

__all__ = ["find_quotes", "quote_spans"]

OPENERS = {"“": "”", "„": "“”", "«": "»", "‹": "›", '"': '"', "”": "”"}
MIN_QUOTE_WORDS = 4  # shorter quoted phrases are scare quotes or terms unless a reported clause holds them
MIN_REPORTED_WORDS = 3
AFTER_WINDOW = 8  # a trailing cue (", he said") starts within this many tokens of the closing mark
CONTINUATION_PARAGRAPHS = 1  # an unattributed quote continues the previous speaker this close
PRONOUN_PARAGRAPHS = 2  # how far back a pronoun looks for its person
_DASH = re.compile(r"^\s*[–—-]\s+")
_NAMED = ("PERSON", "ORG", "GPE", "NORP")
DOCUMENT_NOUNS = frozenset(
    "summary statement report document letter communique communiqué release note transcript draft memo "
    "declaration analysis estimate estimates figures data study survey resumen comunicado informe "
    "documento carta nota borrador rapport communiqué lettre déclaration étude".split()
)
CREDIT_VERBS = frozenset({"report", "write"})
_DETERMINERS = frozenset("the this that le la les el los las l' his her their its son sa ses leur su sus".split())
_NAME_PARTICLES = frozenset("el al de da di du van von der den la le bin ibn abu - m. mme mr. mrs. ms. dr.".split())


@dataclass(slots=True)
class _Candidate:
    """A quote before its speaker is resolved."""

    start: int
    end: int
    direct: bool
    paragraph: int
    cue: str | None = None
    subject: Token | None = None
    source: Span | None = None  # "according to <source>"
    dash: bool = False
    trailing: bool = False  # attributed right after the closing mark: "“…,” he said"


@dataclass(slots=True)
class _Context:
    doc: Doc
    mentions: list[Mention]
    language: str
    descriptors: dict[str, set[str]] = field(default_factory=dict)
    last: Quote | None = None  # the last quote with a resolved person or organisation
    last_dash: Quote | None = None  # the last dialogue-dash answer with a speaker


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of quoted passages, paragraph by paragraph."""
    return [span for start, end in _paragraphs(text) for span in _pair_marks(text, start, end)]


def find_quotes(doc: Doc, mentions: list[Mention], language: str | None = None) -> list[Quote]:
    """Direct and reported quotes of the doc, in text order, each with its resolved speaker."""
    ctx = _Context(doc, sorted(mentions, key=lambda m: m.start), (language or "en")[:2])
    paragraphs = _paragraphs(text_of(doc))
    direct = list(_direct(ctx, paragraphs))
    reported = list(_reported(ctx, direct, paragraphs)) if has_annotation(doc, "DEP") else []
    ctx.descriptors = _descriptors(doc, ctx.mentions)
    quotes = [_resolve_candidate(ctx, c) for c in _merge(text_of(doc), direct, reported)]
    return [q for q in quotes if q is not None]


# -- quotation marks ---------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n\s*", text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _pair_marks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Pair opening and closing marks in one paragraph; an unclosed long quote runs to its end."""
    open_at: int | None = None
    closers = ""
    for i in range(start, end):
        ch = text[i]
        if open_at is None:
            if ch in OPENERS and _can_open(text, i, start):
                open_at, closers = i, OPENERS[ch]
            continue
        if ch in closers and i > open_at + 1 and not (ch == '"' and _can_open(text, i, start)):
            yield from _trimmed(text, open_at + 1, i)
            open_at = None
        elif ch in ("“", "„", "«") and ch not in closers:  # a new opener: the last quote lost its closer
            yield from _trimmed(text, open_at + 1, i)
            open_at, closers = i, OPENERS[ch]
    if open_at is not None and len(text[open_at + 1 : end].split()) >= MIN_QUOTE_WORDS:
        yield from _trimmed(text, open_at + 1, end)


def _can_open(text: str, i: int, start: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in ('"', "”"):  # ambiguous marks open only before a word, after a space or bracket
        return (before.isspace() or before in "([—–-:") and (after.isalnum() or after in "‘'¿¡…")
    return not after.isspace() or text[i] in "«„"


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and (text[start].isspace() or text[start] in "«»"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;«»"):
        end -= 1
    if end > start and any(c.isalpha() for c in text[start:end]):
        yield start, end


# -- direct quotes -----------------------------------------------------------------------------


def _direct(ctx: _Context, paragraphs: list[tuple[int, int]]) -> Iterator[_Candidate]:
    for number, (p_start, p_end) in enumerate(paragraphs):
        spans = list(_pair_marks(text_of(ctx.doc), p_start, p_end))
        if not spans and _DASH.match(text_of(ctx.doc)[p_start:p_end]):
            candidate = _dash(ctx, number, p_start, p_end)
            if candidate is not None:
                yield candidate
            continue
        for start, end in spans:
            candidate = _Candidate(start, end, True, number)
            candidate.cue, candidate.subject, candidate.trailing = _cue_around(ctx, start, end)
            yield candidate


def _cue_around(ctx: _Context, start: int, end: int) -> tuple[str | None, Token | None, bool]:
    """The reporting verb just after the quote (", he said"), or one before it that governs it
    ("Stoltenberg stressed: “…”"), or the subject of the sentence as a last resort."""
    doc = ctx.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not has_annotation(doc, "DEP"):
        return None, None, False
    last_sentence, first_sentence = sentence_of(doc, span.end - 1), sentence_of(doc, span.start)
    after = [t for t in doc[span.end : last_sentence.end] if t.idx >= end]
    for token in [t for t in after if not t.is_punct][:AFTER_WINDOW]:
        if (
            _is_cue(ctx, token)
            and token.lemma_.lower() in CREDIT_VERBS
            and (
                _subject(token) is None or _subject(token).i > token.i  # type: ignore[union-attr]
            )
        ):
            break  # "…,” reports Jane Roe.": the journalist's credit, not the speaker
        if _is_cue(ctx, token):
            subject = _valid_subject(_subject(token), start, end)
            subject = subject or _valid_subject(_inverted_subject(token), start, end)
            closing = text_of(doc)[end : end + 3]
            return token.lemma_.lower(), subject, subject is not None and any(c in closing for c in ",.!?")
        if token.text in ("“", "„", "«"):
            break
    before = [t for t in doc[first_sentence.start : span.start] if t.idx < start]
    for token in reversed(before):
        if _is_cue(ctx, token) and (span.root in token.subtree or _followed_by_colon(token, span)):
            return token.lemma_.lower(), _valid_subject(_subject(token), start, end), False
    if first_sentence.start > 0 and sentence_of(doc, first_sentence.start - 1).text.rstrip().endswith(":"):
        for token in sentence_of(doc, first_sentence.start - 1):
            if _is_cue(ctx, token):
                return token.lemma_.lower(), _valid_subject(_subject(token), start, end), False
    for token in reversed(before):  # "Stoltenberg opted for “…”", "But he was cautious: “…”"
        subject = _subject(token) if token.pos_ in ("VERB", "AUX") else None
        if subject is not None and subject.idx < start and _person_like(ctx, subject):
            return None, _valid_subject(subject, start, end), False
    return None, None, False


def _person_like(ctx: _Context, token: Token) -> bool:
    """A subject that can be a speaker without a reporting verb: a person's name, he/she, a role."""
    if token.lower_ in PRONOUNS or token.lemma_.lower() in ROLE_NOUNS:
        return True
    return any(m.label == "PERSON" and m.start <= token.idx < m.end for m in ctx.mentions)


def _followed_by_colon(token: Token, span: Span) -> bool:
    between = token.doc[token.i + 1 : span.start]
    return any(t.text == ":" for t in between) and len(between) <= 12


def _inverted_subject(verb: Token) -> Token | None:
    """ "…,” said the former head of the Norwegian government": the speaker after the verb."""
    for token in verb.doc[verb.i + 1 : min(verb.i + 6, sentence_of(verb.doc, verb.i).end)]:
        if token.text in (",", ".", ";", ":", "(", ")") or token.pos_ == "ADP":
            break  # "demanded by Russia" names an agent, not a speaker
        if token.is_punct:
            continue  # the hyphen of "el-Hachimi"
        before_name = token.i + 1 < len(token.doc) and token.doc[token.i + 1].pos_ == "PROPN"
        is_title = token.lower_.rstrip(".") in TITLES or token.lower_ in TITLES
        if (is_title and before_name) or token.lower_ in _NAME_PARTICLES:
            continue  # "a déclaré M. Volkonski", "M. el-Hachimi"
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.dep_ not in ("compound", "amod", "poss", "det"):
            return token
    return None


def _dash(ctx: _Context, paragraph: int, p_start: int, p_end: int) -> _Candidate | None:
    """A dialogue-dash line: "– We are more worried than before, Huitfeldt told VG." """
    text = text_of(ctx.doc)
    body = p_start + _DASH.match(text[p_start:p_end]).end()  # type: ignore[union-attr]
    cut = _dash_attribution(text[body:p_end], ctx, body)
    if cut is None and text[body:p_end].rstrip().endswith("?"):
        return None  # an interviewer's question
    end = body + cut if cut is not None else _sentence_end(ctx.doc, body, p_end)
    spans = list(_trimmed(text, body, end))
    if not spans:
        return None
    candidate = _Candidate(spans[0][0], spans[0][1], True, paragraph, dash=True)
    if cut is None:  # no attribution on the line: the person asked, or named later in the paragraph
        candidate.subject = _vocative(ctx.doc, p_start) or _later_speaker(ctx, candidate.end, p_end, candidate)
    else:
        tail = ctx.doc.char_span(body + cut, p_end, alignment_mode="contract")
        for token in tail or []:
            if token.lower_ in DASH_CUES or _is_cue(ctx, token):
                candidate.cue = token.lemma_.lower() or token.lower_
                candidate.subject = _subject(token) or _inverted_subject(token) or _first_name_in(tail)
                break
    return candidate


def _vocative(doc: Doc, p_start: int) -> Token | None:
    """The interviewee addressed at the end of the previous line: "– How should NATO respond, Hoytfeldt?" """
    previous_end = text_of(doc).rfind("\n", 0, p_start)
    line_start = text_of(doc).rfind("\n", 0, max(0, previous_end - 1)) + 1 if previous_end > 0 else 0
    line = text_of(doc)[line_start : max(0, previous_end)].strip()
    match = re.search(r",\s*([A-ZÀ-Ý][\w'’-]+)\s*\?$", line)
    if not match or not _DASH.match(line):
        return None
    position = text_of(doc).rfind(match.group(1), line_start, previous_end)
    span = doc.char_span(position, position + len(match.group(1)), alignment_mode="expand")
    return span.root if span is not None else None


def _later_speaker(ctx: _Context, start: int, end: int, candidate: _Candidate) -> Token | None:
    """A cue further on in the dash paragraph: "– … together. Norway's foreign minister says that …" """
    span = ctx.doc.char_span(start, end, alignment_mode="contract")
    for token in span or []:
        if _is_cue(ctx, token) and _subject(token) is not None:
            candidate.cue = token.lemma_.lower()
            return _subject(token)
    return None


def _dash_attribution(line: str, ctx: _Context, offset: int) -> int | None:
    """Offset of the comma that starts a trailing attribution (", X told VG"), if any."""
    for match in reversed(list(re.finditer(r",\s+", line))):
        words = re.findall(r"[\w'-]+", line[match.end() :].lower())
        if len(words) > 12:
            break
        tail = ctx.doc.char_span(offset + match.end(), offset + len(line), alignment_mode="contract")
        if any(w in DASH_CUES for w in words) or any(_is_cue(ctx, t) for t in tail or []):
            return match.start()
    return None


def _sentence_end(doc: Doc, start: int, limit: int) -> int:
    span = doc.char_span(start, limit, alignment_mode="contract")
    if span is None or not len(span):
        return limit
    return min(sentence_of(doc, span[0].i).end_char, limit)


def _first_name_in(span: Span | None) -> Token | None:
    if span is None:
        return None
    return next((t for t in span if t.pos_ == "PROPN" or t.lower_ in PRONOUNS), None)


# -- reported speech ---------------------------------------------------------------------------


def _reported(ctx: _Context, direct: list[_Candidate], paragraphs: list[tuple[int, int]]) -> Iterator[_Candidate]:
    """Clauses governed by a reporting verb ("X said (that) …") and "according to X, …"."""

    def paragraph_of(position: int) -> int:
        return next((i for i, (s, e) in enumerate(paragraphs) if s <= position <= e), 0)

    inside = [(c.start, c.end) for c in direct]
    for token in ctx.doc:
        if _is_cue(ctx, token) and not any(s <= token.idx < e for s, e in inside):
            found = [_clausal(ctx, token), *_parenthetical(ctx, token)]
            for candidate in found:
                if candidate is not None:
                    candidate.paragraph = paragraph_of(candidate.start)
                    yield candidate
    for candidate in _according_to(ctx):
        candidate.paragraph = paragraph_of(candidate.start)
        yield candidate


def _parenthetical(ctx: _Context, verb: Token) -> Iterator[_Candidate]:
    """ "Without it, she said, there would be no signature": both sides of the inserted cue."""
    subject = _subject(verb)
    sentence = sentence_of(verb.doc, verb.i)
    if verb.dep_ != "parataxis" or subject is None or any(t.text in '“”"«»„' for t in sentence):
        return
    left = [t for t in sentence if t.i < min(subject.i, verb.i) and not t.is_punct]
    right = [t for t in sentence if t.i > verb.i and not t.is_punct]
    for part in (left, right):
        if part:
            yield _Candidate(part[0].idx, part[-1].idx + len(part[-1].text), False, 0, verb.lemma_.lower(), subject)


def _clausal(ctx: _Context, verb: Token) -> _Candidate | None:
    complement = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
    subject = _subject(verb)  # "… he said and added that …" borrows the first verb's subject
    if complement is None or subject is None:
        return None
    if (
        complement.i < verb.i
        and any(
            not t.is_punct
            for t in sentence_of(verb.doc, verb.i)[verb.i - sentence_of(verb.doc, verb.i).start + 1 :][:6]
        )
        and (verb.i + 6 < sentence_of(verb.doc, verb.i).end)
    ):
        return None  # a clause before its verb is reported only when the attribution ends the sentence
    tokens = sorted(complement.subtree, key=lambda t: t.i)
    if complement.i > verb.i:  # reported speech runs to the end of its sentence ("…: legal certainty, …")
        tail = [t for t in verb.doc[tokens[-1].i + 1 : sentence_of(verb.doc, verb.i).end] if not _is_cue(ctx, t)]
        if len(tail) == sentence_of(verb.doc, verb.i).end - tokens[-1].i - 1 and not any(
            t.text in ("“", "„", "«") for t in tail
        ):
            tokens.extend(tail)
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct or tokens[0].lower_ in ("that", "que")):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or (tokens[-1].is_punct and tokens[-1].text not in ("”", '"', "»"))):
        tokens = tokens[:-1]
    if len(tokens) < MIN_REPORTED_WORDS:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return _Candidate(start, end, False, 0, cue=verb.lemma_.lower(), subject=subject)


def _according_to(ctx: _Context) -> Iterator[_Candidate]:
    """ "According to X, <clause>" and "<clause>, according to X": the clause is X's."""
    for sentence in sentences(ctx.doc):
        words = [t.lower_ for t in sentence]
        for phrase in ACCORDING.get(ctx.language, ()):
            for i in range(len(words) - len(phrase) + 1):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    candidate = _according_candidate(sentence, i, len(phrase))
                    if candidate is not None:
                        yield candidate


def _according_candidate(sentence: Span, i: int, n: int) -> _Candidate | None:
    """The source is the phrase after the cue (with its appositions); the clause is the rest."""
    cue = sentence[i : i + n]
    source = _according_source(cue)
    if source is None:
        return None
    skip = {t.i for t in cue} | {t.i for t in source}
    if has_annotation(sentence.doc, "DEP"):
        skip |= {t.i for c in cue for t in c.subtree}
    tokens = [t for t in sentence if t.i not in skip and not t.is_space]
    lead = [t for t in tokens if t.i < cue[0].i]
    if len(lead) <= 2 and all(t.is_punct or t.pos_ in ("ADV", "CCONJ") for t in lead):
        tokens = [t for t in tokens if t.i > cue[0].i]  # "However, according to X, …"
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in ("”", '"'):
        tokens = tokens[:-1]
    if len(tokens) < MIN_REPORTED_WORDS:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return _Candidate(start, end, False, 0, cue="according to", source=source)


def _according_source(cue: Span) -> Span | None:
    """The noun phrase that "according to" / "según" introduces."""
    doc, last = cue.doc, cue[-1]
    if has_annotation(doc, "DEP"):
        heads = [c for t in cue for c in t.children if c.dep_ in ("pobj", "obj", "nmod") and c.i > last.i]
        if not heads and last.head.i > last.i and last.dep_ == "case":  # Spanish/French: the cue hangs off the noun
            heads = [last.head]
        if heads:
            tokens = [t for t in heads[0].subtree if t.i > last.i]
            if tokens:
                return doc[tokens[0].i : tokens[-1].i + 1]
    end = last.i + 1
    while end < sentence_of(doc, last.i).end and doc[end].text not in (",", ".", ";", ":", "—", "–"):
        end += 1
    return doc[last.i + 1 : end] if end > last.i + 1 else None


# -- merging and resolving ---------------------------------------------------------------------


def _merge(text: str, direct: list[_Candidate], reported: list[_Candidate]) -> list[_Candidate]:
    """One candidate per stretch of text. A "reported clause" that is a direct quote's own words
    is only its attribution; a reported clause absorbs the quoted fragments inside it; short
    direct quotes nothing absorbs are scare quotes; of two overlapping quotes the longer stays."""
    reports = []
    for report in reported:
        host = max(direct, key=lambda d: _overlap(d, report), default=None)
        if host is not None and _overlap(host, report) >= 0.5 * (report.end - report.start):
            if host.subject is None and host.source is None:
                host.cue, host.subject = report.cue, report.subject
            continue
        reports.append(report)
    kept = [
        d
        for d in direct
        if not any(r.start <= d.start and d.end <= r.end for r in reports)
        and (len(text[d.start : d.end].split()) >= MIN_QUOTE_WORDS or d.dash or d.trailing)
    ]
    for report in reports:
        clashes = [d for d in kept if _overlap(d, report) > 0]
        if all(report.end - report.start > d.end - d.start for d in clashes):
            kept = [d for d in kept if d not in clashes] + [report]
    kept.sort(key=lambda c: (c.start, -c.end))
    merged: list[_Candidate] = []
    for candidate in kept:
        if merged and merged[-1].start <= candidate.start and candidate.end <= merged[-1].end:
            continue  # nested reported clauses: keep the outermost
        merged.append(candidate)
    return merged


def _overlap(a: _Candidate, b: _Candidate) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _resolve_candidate(ctx: _Context, candidate: _Candidate) -> Quote | None:
    text = text_of(ctx.doc)[candidate.start : candidate.end]
    quote = Quote(candidate.start, candidate.end, text, candidate.direct, cue=candidate.cue)
    if candidate.source is not None:
        source = _agent_of_document(candidate.source) or candidate.source
        _assign(quote, _resolve(ctx, source.root, source))
    elif candidate.subject is not None:
        _assign(quote, _resolve(ctx, candidate.subject))
    previous = ctx.last_dash if candidate.dash else ctx.last
    if quote.speaker is None and candidate.direct and previous is not None:
        last = previous
        paragraphs = _paragraphs(text_of(ctx.doc))
        gap = _paragraph_index(paragraphs, candidate.start) - _paragraph_index(paragraphs, last.end)
        if gap <= (3 if candidate.dash else CONTINUATION_PARAGRAPHS):
            quote.speaker, quote.entity, quote.unnamed = last.speaker, last.entity, last.unnamed
            quote.speaker_start, quote.speaker_end = last.speaker_start, last.speaker_end
    if quote.speaker is None and not candidate.direct:
        return None
    if quote.entity is not None or quote.unnamed:
        ctx.last = quote
        if candidate.dash:
            ctx.last_dash = quote
    return quote


def _agent_of_document(source: Span) -> Span | None:
    """ "according to a summary circulated by the mediator": the mediator is the source."""
    if source.root.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    agent = next((t for t in source if t.lower_ in ("by", "from", "por", "par", "de") and t.i > source.root.i), None)
    if agent is None or agent.i + 1 >= source.end:
        return None
    return source.doc[agent.i + 1 : source.end]


def _paragraph_index(paragraphs: list[tuple[int, int]], position: int) -> int:
    return next((i for i, (s, e) in enumerate(paragraphs) if s <= position <= e), len(paragraphs))


# -- speakers ----------------------------------------------------------------------------------


def _is_cue(ctx: _Context, token: Token) -> bool:
    verbs = REPORT_VERBS.get(ctx.language, REPORT_VERBS["en"])
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in verbs


def _subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    subject = next((c for c in subjects if c.pos_ == "PROPN"), subjects[0] if subjects else None)
    if subject is None and verb.dep_ == "conj":
        return _subject(verb.head)
    return subject


def _valid_subject(subject: Token | None, start: int, end: int) -> Token | None:
    """A subject inside the quoted words ("we") is the quote's own, not its speaker."""
    if subject is None or start <= subject.idx < end:
        return None
    return subject


def _resolve(ctx: _Context, head: Token, np: Span | None = None) -> _Speaker:
    """The entity behind a subject: a name heading the phrase, a pronoun, a role noun, or an
    unnamed source; anything else ("such growth") is no speaker."""
    np = np if np is not None else _noun_phrase(head)
    inside = [m for m in ctx.mentions if m.start < np.end_char and np.start_char < m.end]
    heading = [m for m in inside if m.start <= head.idx < m.end or (m.label == "PERSON" and _names_head(np, m, head))]
    for label in (*_NAMED, "LOC", "FAC", "EVENT"):  # small pipelines mislabel names; a name heads it all the same
        named = [m for m in heading if m.label == label]
        if named:
            best = named[-1]
            return _Speaker(best.text, best.entity, False, best.start, best.end)
    named_after = _apposed_name(ctx, np)
    if named_after is not None:  # "the allied secretary general, Jens Stoltenberg, …"
        return _Speaker(named_after.text, named_after.entity, False, named_after.start, named_after.end)
    if head.lower_ in PRONOUNS:
        focus = _unnamed_in_focus(ctx, head.idx)
        if focus is not None:  # "a member of the delegation said … He added …": still that source
            return _Speaker(focus.speaker, None, True, focus.speaker_start, focus.speaker_end)
        return _Speaker(head.text, _recent_person(ctx, head.idx), False, head.idx, head.idx + len(head.text))
    if head.lower_ in PLURAL_PRONOUNS:
        return _Speaker(head.text, None, False, head.idx, head.idx + len(head.text))
    if head.lower_ in SOURCE_NOUNS and _is_unnamed(np, head):  # "a senior official", "the firefighters"
        return _Speaker(np.text, None, True, np.start_char, np.end_char)
    if head.lemma_.lower() in ROLE_NOUNS or head.lower_ in ROLE_NOUNS:
        return _Speaker(np.text, _role_person(ctx, np, inside), False, np.start_char, np.end_char)
    if head.lemma_.lower() in ORG_NOUNS:  # "the Russian Foreign Ministry", "el Gobierno kaltavio"
        if inside:
            best = inside[-1]
            return _Speaker(best.text, best.entity, False, best.start, best.end)
        return _Speaker(np.text, None, True, np.start_char, np.end_char)  # "the opposition": unnamed
    if head.pos_ == "PROPN":  # a name the model did not tag
        return _Speaker(np.text, None, False, np.start_char, np.end_char)
    return _Speaker()


def _apposed_name(ctx: _Context, np: Span) -> Mention | None:
    """A person named right after a role phrase, set off by a comma."""
    if np.root.pos_ == "PRON":
        return None
    for mention in ctx.mentions:
        near = mention.label == "PERSON" and np.end_char <= mention.start <= np.end_char + 3
        if near and text_of(ctx.doc)[np.end_char : mention.start].strip() == ",":
            return mention
    return None


def _names_head(np: Span, mention: Mention, head: Token) -> bool:
    """The person is the phrase's head or in apposition to it ("the secretary general, Jens Stoltenberg"),
    not someone further down ("the adjectives used by Stoltenberg")."""
    span = np.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    for _ in range(4):
        if node.i == head.i:
            return True
        if node.dep_.split(":")[0] not in ("appos", "compound", "flat", "nmod", "npadvmod") or node.head.i == node.i:
            return False
        node = node.head
    return False


@dataclass(slots=True)
class _Speaker:
    text: str | None = None
    entity: str | None = None
    unnamed: bool = False
    start: int | None = None
    end: int | None = None


def _noun_phrase(head: Token) -> Span:
    """The subject's phrase, without relative clauses or punctuation at its edges."""
    tokens = [t for t in head.subtree if not any(a.dep_ in ("relcl", "acl") for a in _between(t, head))]
    tokens = [t for t in tokens if not t.is_punct] or [head]
    return head.doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]


def _between(token: Token, head: Token) -> list[Token]:
    chain, node = [], token
    while node.i != head.i and node.head.i != node.i:  # spaCy makes a new Token object on every access
        chain.append(node)
        node = node.head
    return chain


def _is_unnamed(np: Span, head: Token) -> bool:
    return np[0].lower_ in UNNAMED_DETERMINERS or head.tag_ in ("NNS", "NNPS") or np[0].pos_ == "ADJ"


def _unnamed_in_focus(ctx: _Context, position: int) -> Quote | None:
    """The last speaker, when it was an unnamed source and no person has been named since."""
    last = ctx.last
    if last is None or not last.unnamed or last.speaker_end is None:
        return None
    if position - last.end > 600 or any(
        m.label == "PERSON" and last.speaker_end <= m.start < position for m in ctx.mentions
    ):
        return None
    return last


def _recent_person(ctx: _Context, position: int) -> str | None:
    """A pronoun's referent: the last speaker if no one else was named since, else the last person."""
    window_start = position
    for _ in range(PRONOUN_PARAGRAPHS + 1):
        window_start = max(0, text_of(ctx.doc).rfind("\n", 0, max(0, window_start - 1)))
    people = [m for m in ctx.mentions if m.label == "PERSON" and m.end <= position and m.entity]
    last = ctx.last
    if last is not None and last.entity and last.end >= window_start:
        since = [m for m in people if m.start > last.end and m.entity != last.entity]
        if not since and any(m.entity == last.entity for m in people):
            return last.entity
    recent = [m for m in people if m.start >= window_start] or people
    return recent[-1].entity if recent else None


def _role_person(ctx: _Context, np: Span, inside: list[Mention]) -> str | None:
    """A definite role noun: the person whose titles match its words, else the one in focus."""
    definite = np[0].lower_ in _DETERMINERS or any(t.dep_ == "poss" for t in np)
    if not definite:
        return None
    words = {t.lemma_.lower() for t in np if t.pos_ in ("NOUN", "PROPN", "ADJ")}
    words |= {w.lower() for m in inside for w in m.text.split()}
    people = [m for m in ctx.mentions if m.label == "PERSON" and m.end <= np.start_char and m.entity]
    if words & COUNTERPART_NOUNS:  # "his counterpart": the last person other than the one just quoted
        current = ctx.last.entity if ctx.last is not None else None
        others = [m for m in people if m.entity != current]
        return others[-1].entity if others else None
    scored = [(len(words & ctx.descriptors.get(m.entity or "", set())), i, m) for i, m in enumerate(people)]
    best = max((s for s in scored if s[0] > 0), default=None)
    if best is not None:
        return best[2].entity
    return _recent_person(ctx, np.start_char)


def _descriptors(doc: Doc, mentions: list[Mention]) -> dict[str, set[str]]:
    """Role words printed next to each person's name: "NATO Secretary General Jens Stoltenberg",
    "Aleksandr Grushkó, Russia's deputy foreign minister", "(Stoltenberg is Norwegian)"."""
    found: dict[str, set[str]] = {}
    if not has_annotation(doc, "DEP"):  # no parser for this language: no descriptors to read
        return found
    for mention in mentions:
        if mention.label != "PERSON" or not mention.entity:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):  # spaCy crashes on the root of an empty span
            continue
        words = found.setdefault(mention.entity, set())
        for token in reversed(doc[max(sentence_of(doc, span.start).start, span.start - 6) : span.start]):
            if token.pos_ not in ("NOUN", "PROPN", "ADJ") and token.text not in ("-", "'s", "’s"):
                break
            words.add(token.lemma_.lower())
        root = span.root
        if not root.dep_:  # a token the parser never attached (its children would crash spaCy)
            continue
        related = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            related.append(root.head)
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":  # "Stoltenberg is Norwegian"
            related.extend(c for c in root.head.children if c.dep_ in ("attr", "acomp"))
        for token in related:
            words.update(t.lemma_.lower() for t in token.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ"))
        words.discard(mention.text.split()[-1].lower())
    return found


def _assign(quote: Quote, speaker: _Speaker) -> None:
    quote.speaker, quote.entity, quote.unnamed = speaker.text, speaker.entity, speaker.unnamed
    quote.speaker_start, quote.speaker_end = speaker.start, speaker.end
