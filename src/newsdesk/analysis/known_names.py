"""Names the run has already met in several articles, found where the NER model misses them.

The model tags "the Indianapolis Colts" but often not "the Colts" in an article that never
spells the team out; once an earlier article has named it, the run knows the name. Lookup is by
runs of capitalised words, so the cost per article does not grow with the names known.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import pairwise

from ..model import Mention

__all__ = ["KnownNames"]

_WORD = re.compile(r"[A-ZÀ-Ý][\w'’.-]*[\w]|[A-ZÀ-Ý]")
_MAX_WORDS = 4
_MIN_CHARS = 5
_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})


@dataclass(slots=True)
class KnownNames:
    """Surface forms tagged as names in at least `min_articles` earlier articles of the run (most
    recent kept). One is enough on the dev sets: a name the model tagged is rarely a common word once
    its lower-case form is ruled out."""

    min_articles: int = 1
    limit: int = 50_000
    _forms: OrderedDict[str, tuple[str, int]] = field(default_factory=OrderedDict)  # form -> (label, articles)

    def learn(self, mentions: list[Mention]) -> None:
        """Remember the names of one article."""
        for form, label in {m.text: m.label for m in mentions if self._usable(m.text, m.label)}.items():
            known = self._forms.pop(form, (label, 0))
            self._forms[form] = (known[0], known[1] + 1)
        while len(self._forms) > self.limit:
            self._forms.popitem(last=False)

    def complete(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Mentions of known names the article has but `mentions` lacks (longest first, no overlaps)."""
        covered = [(m.start, m.end) for m in mentions]
        words = list(_WORD.finditer(text))
        found: list[Mention] = []
        i = 0
        while i < len(words):
            hit = None
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                run = words[i : i + n]
                if any(text[a.end() : b.start()] != " " for a, b in pairwise(run)):
                    continue  # words of a name follow each other with one space
                start, end = run[0].start(), run[-1].end()
                known = self._forms.get(text[start:end])
                if (
                    known
                    and known[1] >= self.min_articles
                    and not _overlaps(start, end, covered)
                    and (n > 1 or not _lowercase_elsewhere(text, text[start:end]))
                ):
                    hit = (start, end, known[0], n)
                    break
            if hit is None:
                i += 1
                continue
            start, end, label, n = hit
            covered.append((start, end))
            found.append(Mention(start, end, text[start:end], label))
            i += n
        return found

    @staticmethod
    def _usable(form: str, label: str) -> bool:
        return (
            label in _LABELS
            and len(form) >= _MIN_CHARS
            and len(form.split()) <= _MAX_WORDS
            and form[0].isupper()
            and not form.isupper()
        )


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _lowercase_elsewhere(text: str, word: str) -> bool:
    """A word the article also writes in lower case is a common word here (Chiefs, chiefs)."""
    return re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text) is not None
