"""Junk-line removal on text written for these tests and on the demo corpus's hand-made gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.errors import InputError
from newsdesk.extraction import ExtractSettings, extract_document, iter_extract
from newsdesk.extraction.boilerplate import SiteMemory
from newsdesk.extraction.junk import clean_text, pick_title
from newsdesk.model import Article, RawDocument
from newsdesk.sources import iter_documents


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip()}


def test_fixture_text_junk_removed_and_content_kept(fixtures: Path) -> None:
    cleaned = clean_text((fixtures / "harbour-strike.txt").read_text(encoding="utf-8"), title_in_text=True)
    assert cleaned.title == "Dockworkers end three-day strike at Port Selwyn after pay deal"
    assert dict(zip(cleaned.removed, cleaned.reasons, strict=True)) == {
        "World | Business": "label",
        "By Tamsin Okafor, Labour Correspondent": "byline",
        "Share this article": "prompt",
        "READ MORE: Port Selwyn container traffic hits record in first quarter": "teaser",
        "Subscribe to our newsletter for the latest business news, delivered to your inbox every morning.": "prompt",
        "Tamsin Okafor": "label",
        '"Tea addict. Amateur cartographer. Dog person. Occasional runner."': "author-bio",
        "Leave a comment": "comments",
        "Your email address will not be published. Required fields are marked *": "comments",
    }
    kept = _lines(cleaned.text)
    assert "Ships at anchor" in kept  # subheading
    assert "– We will clear the backlog by Sunday, port director Ilse Marquardt said on Thursday." in kept
    assert "Photo caption: Cranes stand idle at the east terminal on Wednesday evening." in kept
    assert cleaned.title not in kept


@pytest.mark.parametrize(
    "line",
    [
        "Read Also: Ten things to know about the harbour",
        "See also - Ferry prices rise again",
        "Related: What the strike means for exporters",
        "Lire aussi : La grève des dockers se termine",
        "Lea también: El puerto reabre tras la huelga",
        "Lesen Sie auch: Hafenstreik beendet",
        "Follow us on Instagram",
        "Share your love",
        "We use cookies to give you the best experience. By using this site you accept our cookie policy.",
        "Leave a Reply",
        "Comments are closed.",
        "Advertisement",
        "© 2025 The Coastal Courier. All rights reserved.",
        "Reading time: 3 minutes",
        "Filed under: Business, Ports",
        "(Image credit: Harbour Authority)",
        "Updated at 4:05 p.m.",
        "Additional reporting by Ana Ruiz",
    ],
)
def test_boilerplate_kinds_are_removed_inside_the_body(line: str) -> None:
    body = (
        "The harbour reopened on Monday after three days of strikes that had stranded dozens of ships.\n\n"
        f"{line}\n\n"
        "Union leaders said the agreement would be put to a vote of all members later this month.\n"
    )
    cleaned = clean_text(body)
    assert cleaned.removed == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Why the deal matters",  # subheading between paragraphs
        "– We are ready, the minister said.",  # dialogue-dash quote
        "1) Reopen the liaison offices in both capitals",
        "Follow-up talks are planned for next week in Vienna, officials said.",
        "Related talks in Vienna will follow next week, diplomats said.",
        "Subscribers to the port's data service saw the backlog grow by the hour.",
        "By Wednesday evening the ships had begun to move again.",
    ],
)
def test_content_lines_that_look_like_junk_are_kept(line: str) -> None:
    body = (
        "The harbour reopened on Monday after three days of strikes that had stranded dozens of ships.\n\n"
        f"{line}\n\n"
        "Union leaders said the agreement would be put to a vote of all members later this month.\n"
    )
    assert clean_text(body).removed == []


def test_title_is_found_below_a_site_label_and_repeats_are_cut() -> None:
    text = (
        "news agency\n\nHarbour strike ends\n\nHarbour strike ends - Coastal Courier\n\n" + "Dockers went back. " * 10
    )
    lines = text.split("\n")
    assert lines[pick_title(lines) or 0] == "Harbour strike ends"
    cleaned = clean_text(text, title_in_text=True)
    assert cleaned.title == "Harbour strike ends"
    assert cleaned.removed == ["news agency", "Harbour strike ends - Coastal Courier"]


def test_short_headline_is_a_title_not_a_label() -> None:
    cleaned = clean_text(
        "Storm hits coast\n\nA storm hit the coast on Monday, cutting power to thousands.", title_in_text=True
    )
    assert cleaned.title == "Storm hits coast"
    assert cleaned.removed == []


def test_hard_wrapped_text_is_rejoined_into_paragraphs() -> None:
    para = (
        "The harbour authority said on Monday that the new pilot boats would enter\n"
        "service in the autumn, replacing two vessels that have been in use since\n"
        "the early nineteen-nineties and that had become expensive to repair.\n"
    )
    cleaned = clean_text("Title\n\n" + para + "\n" + para, title_in_text=True)
    paragraphs = cleaned.text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The harbour authority")
    assert "would enter service" in paragraphs[0]


def test_text_without_spaces_is_not_mistaken_for_labels() -> None:
    body = (
        "港の労働者は月曜日にストライキを終え、組合は新しい賃金協定を受け入れたと発表した。\n\n"
        "来週から夜勤の制限も始まる予定だ。"
    )
    assert clean_text(body).removed == []


def test_site_memory_learns_repeated_footer_but_not_from_near_copies() -> None:
    footer = "The Coastal Courier is an independent paper founded in 1921 and owned by its readers."
    memory = SiteMemory()
    story_a = ["Dockers ended their strike on Monday after a pay deal was agreed.", footer]
    update_a = ["Dockers ended their strike on Monday after a pay deal was agreed.", "It was approved.", footer]
    memory.add("coastal-courier.example", story_a)
    memory.add("coastal-courier.example", update_a)  # a near-copy: counts once
    assert memory.repeated("coastal-courier.example", story_a) == {}
    memory.add("coastal-courier.example", ["Ferries will run every forty minutes from June onwards.", footer])
    repeated = memory.repeated("coastal-courier.example", story_a)
    assert list(repeated.values()) == [2]
    assert memory.repeated("other.example", story_a) == {}


def test_site_repetition_removes_footer_across_pages() -> None:
    footer = "About us: The Coastal Courier has covered the harbour since 1921 and is owned by readers"
    docs = [
        RawDocument(
            id=f"p{i}",
            source=f"p{i}",
            kind="text",
            outlet="Coastal Courier",
            content=f"{body}\n\n{footer}",
        )
        for i, body in enumerate(
            [
                "Dockworkers at Port Selwyn returned to work on Thursday after accepting a pay offer.",
                "Island ferries will run every forty minutes from June, the operator said on Tuesday.",
            ]
        )
    ]
    articles = [a for a in iter_extract(docs, ExtractSettings(jobs=1)) if isinstance(a, Article)]
    assert all(footer not in a.text and footer in a.removed for a in articles)
    alone = extract_document(docs[0], ExtractSettings(jobs=1)).article
    assert footer in alone.text  # one page alone gives no evidence


def test_demo_corpus_gold_junk_removed_and_keep_lines_kept(demo_corpus: Path) -> None:
    gold = json.loads((demo_corpus.parent / "gold" / "junk.json").read_text(encoding="utf-8"))
    articles = {a.id: a for a in iter_extract(iter_documents([demo_corpus])) if isinstance(a, Article)}
    assert set(articles) == set(gold)
    for article_id, expected in gold.items():
        kept = _lines(articles[article_id].text)
        leaked = [line for line in expected["junk"] if line in kept]
        assert leaked == [], f"{article_id}: junk kept"
        lost = [line for line in expected["keep"] if line not in articles[article_id].text]
        assert lost == [], f"{article_id}: content lost"


def test_text_keeps_its_headline_when_asked_and_still_cuts_repeats() -> None:
    text = "Harbour strike ends\n\nHarbour strike ends\n\nDockworkers returned to work on Monday after a pay deal."
    cleaned = clean_text(text, title_in_text=True, keep_headline=True)
    assert cleaned.title == "Harbour strike ends"
    assert cleaned.text.split("\n\n") == [
        "Harbour strike ends",
        "Dockworkers returned to work on Monday after a pay deal.",
    ]
    given = clean_text(text, title="Harbour strike ends", keep_headline=True)
    assert given.text.split("\n\n")[0] == "Harbour strike ends"
    assert given.text.count("Harbour strike ends") == 1
    assert clean_text("Harbour strike ends", title_in_text=True, keep_headline=True).text == ""


def test_headline_above_a_time_stamp_is_the_title_and_dates_the_article() -> None:
    raw = RawDocument(
        id="stamp",
        source="stamp",
        kind="text",
        content=(
            "Harbour Pilots Walk Out Over Pay\n10:10 AM PDT 6/6/2013\n"
            "Harbour pilots at Port Selwyn stopped work on Thursday, stranding four cargo ships at anchor.\n"
            "The pilots' union said talks with the port authority had broken down."
        ),
    )
    article = extract_document(raw, ExtractSettings(jobs=1)).article
    assert article.title == "Harbour Pilots Walk Out Over Pay"
    assert article.text.startswith("Harbour Pilots Walk Out Over Pay\n\nHarbour pilots at Port Selwyn")
    assert article.published == "2013-06-06"


def test_html_pages_only_lose_lines_trafilatura_kept(demo_corpus: Path, fixtures: Path) -> None:
    """The safety property: on a page, newsdesk returns trafilatura's own lines minus the junk it is sure of."""
    import trafilatura

    pages = [*sorted(demo_corpus.glob("*.html")), fixtures / "harbour-strike.html"]
    assert len(pages) >= 5
    for page in pages:
        alone = _lines(trafilatura.extract(page.read_text(encoding="utf-8"), include_comments=False) or "")
        raw = RawDocument(id=page.stem, source=str(page), kind="html", content=page.read_text(encoding="utf-8"))
        article = extract_document(raw, ExtractSettings(language=False)).article
        kept = _lines(article.text)
        assert kept, page.name
        assert kept <= alone, f"{page.name}: {sorted(kept - alone)[:3]}"
        assert len(kept) + len(article.removed) >= len(alone) - 1, page.name  # the headline may go as the title


def test_a_page_whose_every_line_looks_like_junk_comes_back_whole() -> None:
    """Not sure enough to return nothing where trafilatura found text: the page is kept as it found it."""
    pitch = "Subscribe to our newsletter number {} for the latest harbour news, delivered to your inbox every morning."
    items = "".join(f"<p>{pitch.format(i)}</p>" for i in range(6))
    html = f"<html><head><title>Newsletters</title></head><body><article>{items}</article></body></html>"
    article = extract_document(
        RawDocument(id="n", source="n.html", kind="html", content=html), ExtractSettings()
    ).article
    assert _lines(article.text) == {pitch.format(i) for i in range(6)}
    text_only = RawDocument(id="t", source="t.txt", kind="text", content="\n\n".join(pitch.format(i) for i in range(6)))
    with pytest.raises(InputError):  # text handed in as text has no extractor's judgement to fall back on
        extract_document(text_only, ExtractSettings())
