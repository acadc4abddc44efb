"""The public Python surface stays small and deliberate."""

from __future__ import annotations

import newsdesk


def test_all_is_sorted_and_resolvable() -> None:
    assert newsdesk.__all__ == sorted(newsdesk.__all__)
    for name in newsdesk.__all__:
        assert getattr(newsdesk, name) is not None


def test_extract_on_a_string() -> None:
    article = newsdesk.extract(
        "Harbour reopens\n\nThe harbour reopened on Monday after the strike.\n\nShare this article\n"
    )
    assert article is not None
    assert article.title == "Harbour reopens"
    assert article.removed == ["Share this article"]
    assert newsdesk.extract("Share this article") is None
