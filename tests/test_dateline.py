"""Publication dates read from an article's own text."""

from __future__ import annotations

import pytest

from newsdesk.extraction import extract
from newsdesk.extraction.dateline import is_stamp, published_from_text, published_from_url


@pytest.mark.parametrize(
    ("text", "removed", "expected"),
    [
        ("GENEVA, 3 March 2025 – Talks resumed on the dam.", [], "2025-03-03"),
        ("Ferry crews walked out.", ["Published: 14/03/2025 08:12"], "2025-03-14"),
        ("Ferry crews walked out.", ["Published: 04/03/2025 08:12"], "2025-03-04"),  # day first by default
        ("Ferry crews walked out.", ["Updated 4/9/2007 6:04 PM"], "2007-04-09"),  # 12-hour clock: US order
        ("Ferry crews walked out.", ["Posted at 3:21 PM ET, 01/5/2011"], "2011-01-05"),
        ("Ferry crews walked out.", ["UPDATED 05/03/2013 at 11:00 AM EDT"], "2013-05-03"),
        ("Ferry crews walked out on Monday.", [], None),  # no year: left for the reader
        ("Ferry crews walked out.", ["10:10 AM PDT 6/6/2013"], "2013-06-06"),  # a bare stamp line
        ("Ferry crews walked out.", ["on February 4, 2009"], "2009-02-04"),
        ("Ferry crews walked out.", ["Read more: the strike of January 5, 2009"], None),  # a link, not a stamp
        ("Ferry crews walked out.", ["12/16/08 1:30 AM EST"], "2008-12-16"),  # two-digit year on a stamp line
        ("Ferry crews walked out.", ["First Posted 23:37:00 05/05/2010"], "2010-05-05"),
        ("Ferry crews walked out.", ["Sunday, November 27-2005 at 16:12"], "2005-11-27"),
        ("Ferry crews walked out.", ["Sat Nov 12 2011, 01:19 hrs"], "2011-11-12"),
        ("Ferry crews walked out.", ["Published: 2012. 08. 08 09:01 AM"], "2012-08-08"),  # detokenised
        ("Ferry crews walked out.", ["FOR IMMEDIATE RELEASE July 13, 2009"], "2009-07-13"),
        # a stamp line under the headline, past the first 200 characters
        (
            "Strike ends\n\nFerry crews went back to work on the northern routes after a week of talks.\n\n"
            "12:48PM BST 09 Sep 2013\n\nThe unions said so.",
            [],
            "2013-09-09",
        ),
        ("Ferry crews walked out in 12/16/08 conditions.", [], None),  # two-digit years only on stamp lines
    ],
)
def test_publication_date_from_text(text: str, removed: list[str], expected: str | None) -> None:
    assert published_from_text(text, removed) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published July 28, 2004", True),
        ("Friday August 2, 2013 @ 8:13am PDT", True),
        ("12:52 p. m. EDT May 2, 2013", True),
        ("18 September 2013 Last updated at 13:59 GMT", True),
        ("Big fire May 2, 2013", False),
        ("Ferry strike ends", False),
        ("APR 28", True),  # a stamp, though it cannot date the article
        ("Jul. 7 5:59 PM EDT", True),
        ("11/28/05", True),
        ("Found March 08, 2013 in the archive", False),
    ],
)
def test_stamp_lines(line: str, expected: bool) -> None:
    assert is_stamp(line) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.example.com/news/2013/09/09/heist/", "2013-09-09"),
        ("http://www.example.com/story/2013-07-21/supermarket-fire/", "2013-07-21"),
        ("http://www.example.com/technology/20070403/death-sentence", "2007-04-03"),
        ("http://www.example.com/article.jsp?ymd=20081216&content_id=3718580", "2008-12-16"),
        ("http://www.example.com/home/headlines/78153572.html", None),  # an id, not a day
        ("http://20121212.example.com/story", None),  # never the host name
        (None, None),
    ],
)
def test_publication_date_from_url(url: str | None, expected: str | None) -> None:
    assert published_from_url(url) == expected


def test_stamp_above_headline_is_not_the_title() -> None:
    text = (
        "APR 28\n\nCouncil restores river protections\n\nThe council restored the rules on Tuesday, "
        "after a year of hearings, and the river groups welcomed the decision."
    )
    article = extract(text)
    assert article is not None
    assert article.title == "Council restores river protections"
    assert "APR 28" in article.removed


def test_url_dates_an_undated_record() -> None:
    from newsdesk.extraction import ExtractSettings, extract_document
    from newsdesk.model import RawDocument

    raw = RawDocument(
        id="a",
        source="t.jsonl:1",
        kind="text",
        url="http://www.example.com/news/20130425/river/",
        content="River rules restored\n\nThe council restored the river rules after a year of hearings and talks.",
    )
    assert extract_document(raw, ExtractSettings()).article.published == "2013-04-25"
