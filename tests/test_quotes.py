"""Quote finding and speaker resolution on short news passages written for these tests."""

from __future__ import annotations

import pytest

from newsdesk.analysis import Analyzer
from newsdesk.analysis.quotes import quote_spans
from newsdesk.model import Analysis, Article, Mention, Quote


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _quotes(analyzer: Analyzer, text: str, language: str = "en") -> list[tuple[str, str | None, bool, bool]]:
    [analysis] = list(analyzer.analyze([Article(id="t", text=text, language=language)]))
    names = {e.id: e.name for e in analyzer.registry.entities.values()}
    for quote in analysis.quotes:
        assert analysis.text[quote.start : quote.end] == quote.text
    return [(q.text, names.get(q.entity or ""), q.direct, q.unnamed) for q in analysis.quotes]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("He said: “We will rebuild the bridge.”", "We will rebuild the bridge."),
        ('She said: "The harbour is open again."', "The harbour is open again."),
        ("Il a dit : « Le port est de nouveau ouvert. »", "Le port est de nouveau ouvert."),
        ("Er sagte: „Der Hafen ist wieder offen.“", "Der Hafen ist wieder offen."),
    ],
)
def test_quotation_mark_styles(text: str, quoted: str) -> None:
    assert [text[s:e] for s, e in quote_spans(text)] == [quoted]


def test_unbalanced_marks_do_not_swallow_the_article() -> None:
    text = "The mayor said “we are ready. Then nothing.\n\nA new paragraph starts here without quotes."
    spans = quote_spans(text)
    assert all("new paragraph" not in text[s:e] for s, e in spans)


def test_split_quote_and_trailing_attribution(analyzer: Analyzer) -> None:
    text = (
        "Port director Ilse Marquardt spoke after the vote. “The backlog will be gone by Sunday,” "
        "Marquardt said, “and the night shifts will change next month.”"
    )
    quotes = _quotes(analyzer, text)
    assert [(q[0], q[1], q[2]) for q in quotes] == [
        ("The backlog will be gone by Sunday", "Ilse Marquardt", True),
        ("and the night shifts will change next month.", "Ilse Marquardt", True),
    ]


def test_dialogue_dash_with_attribution(analyzer: Analyzer) -> None:
    text = "Union secretary Ronan Petrakis was cautious.\n\n– We are not celebrating yet, Petrakis told reporters."
    assert _quotes(analyzer, text) == [("We are not celebrating yet", "Ronan Petrakis", True, False)]


def test_reported_speech_and_according_to(analyzer: Analyzer) -> None:
    text = (
        "Harbour master Ingrid Solvang said the new pilot boats would arrive in October. "
        "According to the port authority, the old vessels will be sold next year."
    )
    quotes = _quotes(analyzer, text)
    assert quotes[0] == ("the new pilot boats would arrive in October", "Ingrid Solvang", False, False)
    assert quotes[1][0] == "the old vessels will be sold next year"
    assert quotes[1][3]  # an organisation never named: kept as an unnamed source


def test_pronoun_and_role_noun_resolve_to_the_person(analyzer: Analyzer) -> None:
    text = (
        "Defence Minister Tomas Varga visited the base on Monday. He said the exercise would continue. "
        "“We are prepared for every scenario,” the minister told troops."
    )
    quotes = _quotes(analyzer, text)
    assert [q[1] for q in quotes] == ["Tomas Varga", "Tomas Varga"]


def test_unnamed_sources_stay_unnamed(analyzer: Analyzer) -> None:
    text = "A senior official said the talks had stalled. Western diplomats warned that time was running out."
    quotes = _quotes(analyzer, text)
    assert [(q[0], q[1], q[3]) for q in quotes] == [
        ("the talks had stalled", None, True),
        ("time was running out", None, True),
    ]


def test_scare_quotes_are_not_quotes(analyzer: Analyzer) -> None:
    text = "The government rejected the “security guarantees” demanded by its neighbour and spoke of “red lines”."
    assert _quotes(analyzer, text) == []


def test_french_inverted_attribution(analyzer: Analyzer) -> None:
    text = "« Nous avons signé pour nos enfants », a déclaré M. Volkonski devant la presse."
    quotes = _quotes(analyzer, text, language="fr")
    assert quotes
    assert quotes[0][0] == "Nous avons signé pour nos enfants"
    assert quotes[0][1] is not None
    assert "Volkonski" in quotes[0][1]


def test_a_speaker_with_an_empty_name_key_is_left_unresolved(analyzer: Analyzer) -> None:
    """A sentence-initial article the quote finder took for a speaker ("La", in Spanish) has no
    surname to match: the quote stays unattributed instead of failing the article's quotes."""
    text = "Juan Pérez llegó. «Vamos a ganar», dijo La."
    result = Analysis("a1", text, "es", mentions=[Mention(0, 10, "Juan Pérez", "PERSON", "person-x")])
    quote = Quote(18, 32, "Vamos a ganar", True, speaker="La", speaker_start=text.index("La."))
    assert analyzer._link_speakers(result, [quote]) == [quote]
    assert quote.entity is None
