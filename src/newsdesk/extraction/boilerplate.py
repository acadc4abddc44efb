"""Learn each site's boilerplate from repetition across its pages.

A line that the same site prints on several *different* articles (a footer,
an "About us" blurb, a newsletter pitch) is boilerplate whatever its wording.
Near-duplicate pages (updates, syndicated copies) share real content, so they
count once. Memory is bounded: a fixed number of sites and lines per site.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, deque

from .junk import normalize_line, word_count

__all__ = ["SiteMemory"]

NEAR_DUPLICATE = 0.5  # share of lines two pages have in common above which they are one article
MAX_LINE_WORDS = 120


class SiteMemory:
    """Counts, per site, how many distinct articles carry each line."""

    def __init__(self, max_sites: int = 2000, max_lines: int = 20000, recent: int = 50) -> None:
        self._sites: OrderedDict[str, _Site] = OrderedDict()
        self._max_sites, self._max_lines, self._recent = max_sites, max_lines, recent

    def add(self, site: str | None, lines: list[str]) -> None:
        """Record one page of `site`; a near-copy of a recent page adds nothing."""
        if not site:
            return
        keys = _keys(lines)
        if not keys:
            return
        entry = self._sites.pop(site, None) or _Site(self._recent)
        self._sites[site] = entry
        if len(self._sites) > self._max_sites:
            self._sites.popitem(last=False)
        if any(_overlap(keys, seen) > NEAR_DUPLICATE for seen in entry.recent):
            return
        entry.recent.append(keys)
        entry.counts.update(keys)
        if len(entry.counts) > self._max_lines:  # forget lines seen once, the least informative
            entry.counts = Counter({k: c for k, c in entry.counts.items() if c > 1})

    def repeated(self, site: str | None, lines: list[str]) -> dict[str, int]:
        """Line keys of this page that other pages of the site also carry, with page counts."""
        if not site or site not in self._sites:
            return {}
        counts = self._sites[site].counts
        return {k: counts[k] for k in _keys(lines) if counts.get(k, 0) >= 2}


class _Site:
    __slots__ = ("counts", "recent")

    def __init__(self, recent: int) -> None:
        self.counts: Counter[str] = Counter()
        self.recent: deque[frozenset[str]] = deque(maxlen=recent)


def _keys(lines: list[str]) -> frozenset[str]:
    return frozenset(
        key for line in lines if line.strip() and word_count(line) <= MAX_LINE_WORDS and (key := normalize_line(line))
    )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))
