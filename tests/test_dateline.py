"""Publication dates read from an article's own text."""

from __future__ import annotations

import pytest

from newsdesk.extraction.dateline import is_stamp, published_from_text


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
    ],
)
def test_stamp_lines(line: str, expected: bool) -> None:
    assert is_stamp(line) is expected
