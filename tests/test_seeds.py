"""The five reference articles: every junk line goes, no content line is lost."""

from __future__ import annotations

from pathlib import Path

from newsdesk.extraction import ExtractSettings, iter_extract
from newsdesk.model import Article
from newsdesk.sources import iter_documents

# Gold for ../shared/data/seeds, annotated by hand: 0-based indexes of the lines that are
# boilerplate (site labels, teasers, prompts, repeated title, author name and bio, comment form).
JUNK_LINES = {
    "000_bfe528cf5832c864": [16],
    "001_ac1cc112433134f5": [0, 42, 44, 48],
    "002_b3dce5b5bb70e21c": [2, 22, 47, 61, 63, 65, 67, 69],
    "003_e22aa2876da65473": [2, 10, 18, 20, 29, 35, 37, 39],
    "004_313894709d82b104": [14],
}
# The title line of each file (first line, or the line under a site label).
TITLE_LINE = {"001_ac1cc112433134f5": 2}


def test_seed_junk_removed_and_content_kept(shared_data: Path) -> None:
    seeds = shared_data / "seeds"
    articles = {
        a.id: a for a in iter_extract(iter_documents([seeds]), ExtractSettings(jobs=1)) if isinstance(a, Article)
    }
    assert set(articles) == set(JUNK_LINES)
    for seed_id, junk in JUNK_LINES.items():
        lines = (seeds / f"{seed_id}.txt").read_text(encoding="utf-8").split("\n")
        article = articles[seed_id]
        title_index = TITLE_LINE.get(seed_id, 0)
        assert article.title == lines[title_index].strip()
        expected_removed = [" ".join(lines[i].split()) for i in junk]
        assert article.removed == expected_removed, seed_id
        body = {" ".join(p.split()) for p in article.text.split("\n\n")}
        for i, line in enumerate(lines):
            if line.strip() and i not in junk and i != title_index:
                assert " ".join(line.split()) in body, f"{seed_id} line {i} lost"
        assert article.language == "en"
