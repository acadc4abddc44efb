"""Brief scores against hand-written gold (demo/gold/facts.json, summaries.json), and a citation check.

Gold facts name, per article, an exact substring (the evidence) of the sentence stating the fact.
Scoring rules, all over character spans of the cleaned texts:

- A predicted source *covers* an evidence when it cites the same article and its span overlaps at
  least half of the evidence span.
- For each gold fact the *best* predicted fact (from any story) is the one covering the evidence of
  the most articles; ties go to the one citing fewer other articles, then to the first.
- fact recall: share of gold facts covered in at least one article.
- pair recall: share of gold (fact, article) pairs covered by the fact's best predicted fact, so a
  fact split over two predicted facts (say one per language) loses the pairs of the smaller part.
- pair precision: over the best predicted facts, share of the distinct articles they cite whose
  cited span covers that article's evidence for the fact. An article the gold does not list for the
  fact counts as wrong (the gold lists every article that states it), as does a listed article cited
  at another place.
- independent sources accuracy: share of covered gold facts whose best predicted fact gives the
  gold `independent_sources`.
- conflict recall: share of gold conflicts matched by a predicted conflict (under any predicted
  fact) with two sides whose sources cover evidence of two different gold sides; conflict precision:
  share of predicted conflicts matching some gold conflict; kind accuracy: share of found gold
  conflicts matched by a predicted conflict of the same `kind`.
- summaries: each predicted story goes to the gold story whose evidence articles its `articles` hold
  most of (none if it holds none); each gold story takes, of the predicted stories it got, the one
  holding most of its articles, and scores ROUGE-1 and ROUGE-2 F1 of that story's summary against
  the reference in summaries.json (0 if it got none). Means are over gold stories.

Evidence that cannot be found in its article is a gold error: it is reported and left out of every
count. Ratios with an empty denominator are 0.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvaluationError

__all__ = [
    "check_citations",
    "evaluate_block_alignment",
    "evaluate_brief",
    "evaluate_translation_alignment",
    "rouge_n",
]

MIN_COVER = 0.5  # share of an evidence span a predicted span must overlap

# ROUGE is computed here in a few lines because no dependency-free, offline package handles unicode
# words: the reference implementation (rouge-score) keeps only [a-z0-9] after lowercasing, so French
# and Spanish words lose their accented letters, and newsdesk adds no dependency for a dozen lines.
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Span:
    article: str
    start: int
    end: int


@dataclass(slots=True)
class _GoldFact:
    id: str
    story: str
    evidence: dict[str, _Span]
    independent_sources: int | None


@dataclass(slots=True)
class _GoldConflict:
    id: str
    story: str
    kind: str | None
    sides: list[list[_Span]]


@dataclass(slots=True)
class _Predicted:
    spans: list[_Span]
    independent_sources: Any = None
    conflicts: list[tuple[str | None, list[list[_Span]]]] = field(default_factory=list)


def _covers(source: _Span, evidence: _Span) -> bool:
    if source.article != evidence.article:
        return False
    overlap = min(source.end, evidence.end) - max(source.start, evidence.start)
    return overlap > 0 and overlap >= MIN_COVER * (evidence.end - evidence.start)


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# --- gold ---------------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvaluationError(f"{path}: gold file not found") from None
    except (OSError, ValueError) as exc:
        raise EvaluationError(f"{path}: cannot read gold file ({exc})") from None


def _locate(where: str, evidence: Any, texts: Mapping[str, str], errors: list[str]) -> dict[str, _Span]:
    """Evidence substrings as spans (first occurrence); what cannot be found goes to `errors`."""
    spans: dict[str, _Span] = {}
    if not isinstance(evidence, Mapping):
        errors.append(f"{where}: evidence is not an object")
        return spans
    for article, substring in evidence.items():
        text = texts.get(article)
        if text is None:
            errors.append(f"{where}: article {article!r} not in the texts")
            continue
        start = text.find(substring) if isinstance(substring, str) and substring else -1
        if start < 0:
            errors.append(f"{where}: {substring!r} not found in {article}")
            continue
        spans[article] = _Span(article, start, start + len(substring))
    return spans


def _load_gold(
    gold_dir: Path, texts: Mapping[str, str], errors: list[str]
) -> tuple[list[_GoldFact], list[_GoldConflict]]:
    data = _read_json(gold_dir / "facts.json")
    if not isinstance(data, Mapping) or not isinstance(data.get("facts"), list):
        raise EvaluationError(f"{gold_dir / 'facts.json'}: expected an object with a 'facts' list")
    facts = [
        _GoldFact(
            id=str(item.get("id")),
            story=str(item.get("story")),
            evidence=_locate(f"fact {item.get('id')}", item.get("evidence"), texts, errors),
            independent_sources=item.get("independent_sources"),
        )
        for item in data["facts"]
    ]
    conflicts = []
    for item in data.get("conflicts") or []:
        where = f"conflict {item.get('id')}"
        sides = [list(_locate(where, side.get("evidence"), texts, errors).values()) for side in item.get("sides") or []]
        conflicts.append(_GoldConflict(str(item.get("id")), str(item.get("story")), item.get("kind"), sides))
    return facts, conflicts


# --- predictions --------------------------------------------------------------------------------


def _spans(sources: Any) -> list[_Span]:
    """Well-formed cited spans; malformed ones are check_citations' business and are skipped here."""
    spans = []
    for source in sources if isinstance(sources, list) else []:
        if not isinstance(source, Mapping):
            continue
        article, start, end = source.get("article"), source.get("start"), source.get("end")
        if isinstance(article, str) and _is_int(start) and _is_int(end):
            spans.append(_Span(article, start, end))
    return spans


def _predicted_facts(brief: Mapping[str, Any]) -> list[_Predicted]:
    predicted = []
    for story in _stories(brief):
        for fact in story.get("facts") or []:
            if not isinstance(fact, Mapping):
                continue
            conflicts = [
                (
                    conflict.get("kind"),
                    [_spans(side.get("sources")) for side in conflict.get("sides") or [] if isinstance(side, Mapping)],
                )
                for conflict in fact.get("conflicts") or []
                if isinstance(conflict, Mapping)
            ]
            predicted.append(_Predicted(_spans(fact.get("sources")), fact.get("independent_sources"), conflicts))
    return predicted


def _stories(brief: Any) -> list[Mapping[str, Any]]:
    stories = brief.get("stories") if isinstance(brief, Mapping) else None
    return [s for s in stories if isinstance(s, Mapping)] if isinstance(stories, list) else []


# --- scores -------------------------------------------------------------------------------------


def _score_facts(gold: list[_GoldFact], predicted: list[_Predicted]) -> dict[str, Any]:
    scored = [g for g in gold if g.evidence]
    covered = pairs = found = cited = right = independent = 0
    missed: list[str] = []
    by_story: dict[str, Counter[str]] = {}
    for g in scored:
        best: _Predicted | None = None
        best_hit: set[str] = set()
        best_cited: set[str] = set()
        best_key = (0, 0.0)
        for p in predicted:
            hit = {a for a, ev in g.evidence.items() if any(_covers(s, ev) for s in p.spans)}
            if not hit:
                continue
            articles = {s.article for s in p.spans}
            key = (len(hit), len(hit) / len(articles))  # most articles covered, then fewest others cited
            if key > best_key:
                best, best_hit, best_cited, best_key = p, hit, articles, key
        counts = by_story.setdefault(g.story, Counter())
        counts.update(facts=1, pairs=len(g.evidence), pairs_found=len(best_hit))
        pairs += len(g.evidence)
        if best is None:
            missed.append(g.id)
            continue
        covered += 1
        counts["covered"] += 1
        found += len(best_hit)
        cited += len(best_cited)
        right += len(best_hit)
        independent += best.independent_sources == g.independent_sources
    return {
        "gold": len(scored),
        "predicted": len(predicted),
        "covered": covered,
        "fact_recall": _ratio(covered, len(scored)),
        "pairs": pairs,
        "pairs_found": found,
        "pair_recall": _ratio(found, pairs),
        "cited_articles": cited,
        "pair_precision": _ratio(right, cited),
        "independent_sources_correct": independent,
        "independent_sources_accuracy": _ratio(independent, covered),
        "missed": missed,
        "by_story": {
            story: {
                "facts": c["facts"],
                "fact_recall": _ratio(c["covered"], c["facts"]),
                "pair_recall": _ratio(c["pairs_found"], c["pairs"]),
            }
            for story, c in sorted(by_story.items())
        },
    }


def _conflict_matches(gold: _GoldConflict, sides: list[list[_Span]]) -> bool:
    """Two predicted sides that cover evidence of two different gold sides."""
    hits = [{k for k, ev in enumerate(gold.sides) if any(_covers(s, e) for s in side for e in ev)} for side in sides]
    return any(k != m for i, a in enumerate(hits) for j, b in enumerate(hits) if i != j for k in a for m in b)


def _score_conflicts(gold: list[_GoldConflict], predicted: list[_Predicted]) -> dict[str, Any]:
    scored = [g for g in gold if sum(1 for side in g.sides if side) >= 2]
    flat = [conflict for p in predicted for conflict in p.conflicts]
    found = kinds = 0
    missed = []
    for g in scored:
        matching = [kind for kind, sides in flat if _conflict_matches(g, sides)]
        if not matching:
            missed.append(g.id)
            continue
        found += 1
        kinds += g.kind in matching
    correct = sum(1 for _, sides in flat if any(_conflict_matches(g, sides) for g in scored))
    return {
        "gold": len(scored),
        "found": found,
        "recall": _ratio(found, len(scored)),
        "predicted": len(flat),
        "matching": correct,
        "precision": _ratio(correct, len(flat)),
        "kind_accuracy": _ratio(kinds, found),
        "missed": missed,
    }


def _ngrams(sentences: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """Word n-grams (unicode `\\w+`, lowercased) within each sentence, never across two."""
    grams: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        words = _WORD.findall(sentence.lower())
        grams.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


def rouge_n(predicted: Sequence[str], reference: Sequence[str], n: int) -> float:
    """ROUGE-N F1 (clipped n-gram overlap) of predicted sentences against reference sentences."""
    ours, theirs = _ngrams(predicted, n), _ngrams(reference, n)
    overlap = sum((ours & theirs).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ours.values()), overlap / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def _score_summaries(
    references: Mapping[str, Sequence[str]], gold_articles: Mapping[str, set[str]], brief: Mapping[str, Any]
) -> dict[str, Any]:
    # each predicted story goes to the gold story whose articles it holds most of; each gold story
    # then takes, of the predicted stories given to it, the one holding most of its articles
    chosen: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for story in _stories(brief):
        articles = set(story.get("articles") or [])
        overlaps = {g: len(articles & members) for g, members in gold_articles.items()}
        target = max(overlaps, key=lambda g: overlaps[g], default=None)
        if target is not None and overlaps[target] and overlaps[target] > chosen.get(target, (0, {}))[0]:
            chosen[target] = (overlaps[target], story)
    by_story = {}
    for name, reference in sorted(references.items()):
        story = chosen.get(name, (0, None))[1]
        sentences = [
            s["text"]
            for s in (story.get("summary") or [] if story else [])
            if isinstance(s, Mapping) and isinstance(s.get("text"), str)
        ]
        by_story[name] = {
            "story": story.get("id") if story else None,
            "sentences": len(sentences),
            "rouge1_f1": round(rouge_n(sentences, reference, 1), 4),
            "rouge2_f1": round(rouge_n(sentences, reference, 2), 4),
        }
    count = len(by_story)
    return {
        "rouge1_f1": round(sum(s["rouge1_f1"] for s in by_story.values()) / count, 4) if count else 0.0,
        "rouge2_f1": round(sum(s["rouge2_f1"] for s in by_story.values()) / count, 4) if count else 0.0,
        "by_story": by_story,
    }


def evaluate_brief(brief: dict, gold_dir: Path, texts: Mapping[str, str]) -> dict[str, Any]:
    """Score a `{"stories": [...]}` brief against the gold in `gold_dir`; `texts` maps article id to cleaned text.

    Returns fact, conflict and summary scores (rounded to 4 decimals) with their counts, the citation
    problems of the brief, and the gold errors (evidence not found in its article). summaries.json is
    optional; facts.json is required (EvaluationError when missing or malformed)."""
    gold_dir = Path(gold_dir)
    errors: list[str] = []
    gold_facts, gold_conflicts = _load_gold(gold_dir, texts, errors)
    predicted = _predicted_facts(brief)
    summaries = None
    if (gold_dir / "summaries.json").is_file():
        references = _read_json(gold_dir / "summaries.json")
        if not isinstance(references, Mapping):
            raise EvaluationError(f"{gold_dir / 'summaries.json'}: expected an object of story -> sentences")
        members: dict[str, set[str]] = {}
        for g in gold_facts:
            members.setdefault(g.story, set()).update(g.evidence)
        for c in gold_conflicts:
            members.setdefault(c.story, set()).update(s.article for side in c.sides for s in side)
        summaries = _score_summaries(references, members, brief)
    problems = check_citations(brief, texts)
    return {
        "facts": _score_facts(gold_facts, predicted),
        "conflicts": _score_conflicts(gold_conflicts, predicted),
        "summaries": summaries,
        "citations": {"problems": len(problems), "examples": problems[:20]},
        "gold_errors": errors,
    }


# --- traceability -------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _check_sources(where: str, sources: Any, texts: Mapping[str, str], problems: list[str]) -> list[tuple[Any, str]]:
    """Problems of each cited span; returns (source, cited text) for the valid ones."""
    if not isinstance(sources, list) or not sources:
        problems.append(f"{where}: no sources")
        return []
    valid = []
    for i, source in enumerate(sources):
        at = f"{where} source[{i}]"
        if not isinstance(source, Mapping):
            problems.append(f"{at}: not an object")
            continue
        article, start, end = source.get("article"), source.get("start"), source.get("end")
        text = texts.get(article) if isinstance(article, str) else None
        if text is None:
            problems.append(f"{at}: unknown article {article!r}")
        elif not (_is_int(start) and _is_int(end)):
            problems.append(f"{at}: start/end are not integers ({start!r}, {end!r})")
        elif not 0 <= start < end <= len(text):
            problems.append(f"{at}: span {start}-{end} outside {article} (length {len(text)}) or empty")
        else:
            valid.append((source, text[start:end]))
    return valid


def _check_text(where: str, text: Any, cited: list[tuple[Any, str]], problems: list[str]) -> None:
    """The item's text must be one of its cited spans, or contained in one after whitespace normalisation."""
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: no text")
    elif cited and not any(span == text or _normal(text) in _normal(span) for _, span in cited):
        problems.append(f"{where}: text is in none of its cited spans ({text[:60]!r})")


def check_citations(brief: dict, texts: Mapping[str, str]) -> list[str]:
    """Every cited span of a brief must exist and hold what it is cited for; returns the problems (empty when fine).

    Summary sentences, facts, conflict sides and timeline entries need sources within their article
    (0 <= start < end <= len(text)); summary sentences and facts must be the text of one of their spans
    (or contained in it, whitespace aside), and so must a fact's attribution `text`; a fact source's own
    `text` must equal its span; quotes must
    index their article. (`fact` ids are not checked: a timeline may date a fact cut from `facts`.)"""
    stories = brief.get("stories") if isinstance(brief, Mapping) else None
    if not isinstance(stories, list):
        return ["brief: no 'stories' list"]
    problems: list[str] = []
    for n, story in enumerate(stories):
        if not isinstance(story, Mapping):
            problems.append(f"stories[{n}]: not an object")
            continue
        name = str(story.get("id") or f"stories[{n}]")
        facts = [f for f in story.get("facts") or [] if isinstance(f, Mapping)]
        for kind, items in (("summary", story.get("summary")), ("timeline", story.get("timeline"))):
            for i, item in enumerate(items or []):
                where = f"{name} {kind}[{i}]"
                if not isinstance(item, Mapping):
                    problems.append(f"{where}: not an object")
                    continue
                cited = _check_sources(where, item.get("sources"), texts, problems)
                if kind == "summary":
                    _check_text(where, item.get("text"), cited, problems)
        for i, fact in enumerate(facts):
            where = f"{name} fact {fact.get('id', i)}"
            cited = _check_sources(where, fact.get("sources"), texts, problems)
            _check_text(where, fact.get("text"), cited, problems)
            attribution = fact.get("attribution")
            if isinstance(attribution, Mapping) and attribution.get("text") is not None:
                _check_text(f"{where} attribution", attribution.get("text"), cited, problems)
            for source, span in cited:
                if "text" in source and source["text"] != span:
                    problems.append(f"{where}: source text differs from its span in {source['article']}")
            for j, conflict in enumerate(fact.get("conflicts") or []):
                sides = conflict.get("sides") if isinstance(conflict, Mapping) else None
                for k, side in enumerate(sides or []):
                    at = f"{where} conflict[{j}] side[{k}]"
                    _check_sources(at, side.get("sources") if isinstance(side, Mapping) else None, texts, problems)
        for i, quote in enumerate(story.get("quotes") or []):
            _check_sources(f"{name} quote[{i}]", [quote], texts, problems)
    return problems


def evaluate_translation_alignment(path: Path) -> dict[str, Any]:
    """How well facts join a sentence with its translations: MEANTIME has each article in English,
    Spanish, Italian and Dutch, sentence by sentence, so the n-th sentences of the four versions state
    one fact. Each story's versions (read as the CLI reads them, as four outlets) are aligned as
    `newsdesk brief` aligns a story; scored over pairs of claims in different languages."""
    from ..analysis import Analyzer
    from ..extraction import ExtractSettings, iter_extract
    from ..linking.features import Embedder
    from ..model import Article
    from ..reconcile import SourceInfo, align_claims, split_claims
    from ..reconcile.facts import BlockContext
    from ..sources import iter_documents

    sentences: dict[str, list[str]] = {}
    stories: dict[str, str] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                sentences[record["id"]] = [record["text"][a:b] for a, b in record["sentences"]]
                stories[record["id"]] = record["story"]
    articles = [a for a in iter_extract(iter_documents([str(path)]), ExtractSettings()) if isinstance(a, Article)]
    by_story: dict[str, list[tuple[Article, Any]]] = defaultdict(list)
    for article, analysis in zip(articles, Analyzer().analyze(articles), strict=True):
        by_story[stories[article.id]].append((article, analysis))
    encode = Embedder().encode
    together = apart = missed = 0
    for items in by_story.values():
        items.sort(key=lambda item: (item[0].language != "en", item[0].id))
        claims = [c for article, analysis in items for c in split_claims(article, analysis)]
        if not claims:
            continue
        sources = {a.id: SourceInfo(a.id, a.id, a.published, a.language) for a, _ in items}
        blocks = BlockContext({a.id: a.text for a, _ in items}, encode)
        facts = align_claims(claims, encode([c.text for c in claims]), sources, blocks=blocks)
        # A fact may cite two adjacent sentences as one span: each counts as in the fact.
        within = defaultdict(list)
        for claim in claims:
            within[claim.article].append(claim)
        fact_of = {
            id(c): f.id
            for f in facts
            for cited in f.claims
            for c in within[cited.article]
            if cited.start <= c.start and c.end <= cited.end
        }
        index = {id(c): _sentence_index(c.text, sentences[c.article]) for c in claims}
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if sources[a.article].language == sources[b.article].language or None in (index[id(a)], index[id(b)]):
                    continue
                same = index[id(a)] == index[id(b)]
                joined = fact_of.get(id(a)) is not None and fact_of.get(id(a)) == fact_of.get(id(b))
                together += same and joined
                apart += joined and not same
                missed += same and not joined
    precision, recall = _ratio(together, together + apart), _ratio(together, together + missed)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"stories": len(by_story), "pairs": together + missed, "precision": precision, "recall": recall, "f1": f1}


def evaluate_block_alignment(path: Path) -> dict[str, Any]:
    """How well a fact joins two adjacent sentences of one source to one longer sentence of another.
    MEANTIME's versions are parallel sentence by sentence, so packing sentences i and i+1 of one
    language into one text gives a case where sentences i and i+1 of another language should join
    (recall); the untouched sentence i, which only sentence i states, gives two cases where neither
    neighbour may join (false joins, over all neighbours offered)."""
    from itertools import permutations

    from ..linking.features import Embedder
    from ..reconcile.facts import AlignSettings, joins_as_block, packs

    settings = AlignSettings()
    versions: dict[str, dict[str, list[str]]] = defaultdict(dict)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                sentences = [record["text"][a:b].strip() for a, b in record["sentences"]]
                versions[record["story"]][record["language"]] = sentences
    cases: list[tuple[bool, str, str, str, str]] = []  # should join; long, aligned, neighbour, pair
    for languages in versions.values():
        n = min(len(s) for s in languages.values())
        for one, other in permutations(languages, 2):
            a, b = languages[one], languages[other]
            for i in range(1, n - 2):
                if min(len(b[j].split()) for j in (i - 1, i, i + 1)) < 5 or len(a[i].split()) < 5:
                    continue
                cases.append((True, f"{a[i]} {a[i + 1]}", b[i], b[i + 1], f"{b[i]} {b[i + 1]}"))
                cases.append((False, a[i], b[i], b[i + 1], f"{b[i]} {b[i + 1]}"))
                cases.append((False, a[i], b[i], b[i - 1], f"{b[i - 1]} {b[i]}"))
    texts = sorted({t for case in cases for t in case[1:]})
    vectors = dict(zip(texts, Embedder().encode(texts), strict=True))
    joined = {True: 0, False: 0}
    offered = {True: 0, False: 0}
    for should, long, aligned, neighbour, pair in cases:
        offered[should] += 1
        four = (vectors[long], vectors[aligned], vectors[neighbour], vectors[pair])
        joined[should] += packs(long, aligned, settings) and joins_as_block(*four, settings)
    return {
        "packed_pairs": offered[True],
        "recall": _ratio(joined[True], offered[True]),
        "neighbours_offered": offered[False],
        "false_join_rate": _ratio(joined[False], offered[False]),
    }


def _sentence_index(claim: str, sentences: list[str]) -> int | None:
    """The gold sentence a claim comes from (claims may be a sentence's part, sentences a headline's)."""
    head = claim[:40]
    return next((i for i, s in enumerate(sentences) if head in s or (len(s) >= 20 and s[:40] in claim)), None)
