"""Publication dates read from an article's own text."""

from __future__ import annotations

import pytest

from newsdesk.extraction.dateline import published_from_text


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
    ],
)
def test_publication_date_from_text(text: str, removed: list[str], expected: str | None) -> None:
    assert published_from_text(text, removed) == expected
