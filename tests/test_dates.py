"""Dates: absolute and relative expressions resolved against the publication date, tense deciding weekdays."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from newsdesk.analysis.dates import find_date_spans, find_dates
from newsdesk.model import DateRef

WEDNESDAY = "2022-01-26"  # publication date of most examples: a Wednesday
FRENCH_WEDNESDAY = "2025-03-19"


def _dates(nlp: Language, text: str, published: str | None = WEDNESDAY) -> dict[str, DateRef]:
    """The date expressions of a text by their surface text, after checking every offset round-trips."""
    doc = nlp(text)
    refs = find_dates(doc, published)
    for ref in refs:
        assert doc.text[ref.start : ref.end] == ref.text
    return {ref.text: ref for ref in refs}


def _value(nlp: Language, text: str, expression: str, published: str | None = WEDNESDAY) -> str | None:
    found = _dates(nlp, text, published)
    assert expression in found, f"{expression!r} not among {list(found)}"
    return found[expression].value


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The foreign ministers will meet on Thursday in Vienna.", "Thursday", "2022-01-27"),
        ("The foreign ministers met on Thursday in Vienna.", "Thursday", "2022-01-20"),
        ("The final report is due on Monday.", "Monday", "2022-01-31"),
        ("The envoy briefed reporters on Monday.", "Monday", "2022-01-24"),
        ("The alliance sent its reply on Wednesday.", "Wednesday", "2022-01-26"),
        ("A diplomat told the newspaper on Friday afternoon that talks had stalled.", "Friday afternoon", "2022-01-21"),
        ("She will travel to the capital next Monday.", "next Monday", "2022-01-31"),
        ("The delegation arrived last Monday.", "last Monday", "2022-01-24"),
        ("He said the army is ready to hold drills on Saturday.", "Saturday", "2022-01-29"),
        ("The talks will continue this Thursday in Geneva.", "this Thursday", "2022-01-27"),
        ("The talks resumed this Monday after a pause.", "this Monday", "2022-01-24"),
    ],
)
def test_weekdays_follow_the_tense(en, sentence, expression, value):
    assert _value(en, sentence, expression) == value


@pytest.mark.parametrize(
    ("sentence", "expression", "value", "granularity"),
    [
        ("The two ministers met in Washington on December 9.", "December 9", "2021-12-09", "day"),
        ("The two ministers met again on March 2, 2020.", "March 2, 2020", "2020-03-02", "day"),
        ("Kyiv first asked to join the alliance in 2008.", "2008", "2008", "year"),
        ("No session of the council has taken place since 2019.", "2019", "2019", "year"),
        ("The presidents met in Geneva in June.", "June", "2021-06", "month"),
        ("The presidents will meet in Geneva in June.", "June", "2022-06", "month"),
        ("Prices fell last year.", "last year", "2021", "year"),
        ("Ministers will meet again next week.", "next week", "2022-01-31", "week"),
        ("Exports collapsed last month.", "last month", "2021-12", "month"),
        ("The agreement was signed three weeks ago.", "three weeks ago", "2022-01-03", "week"),
        ("The bank said today that rates would rise.", "today", "2022-01-26", "day"),
        ("The strike began yesterday.", "yesterday", "2022-01-25", "day"),
        ("The border will reopen tomorrow.", "tomorrow", "2022-01-27", "day"),
        ("The vote on 25/01/2022 was close.", "25/01/2022", "2022-01-25", "day"),
        ("The decree is dated 2022-01-03.", "2022-01-03", "2022-01-03", "day"),
    ],
)
def test_english_dates(en, sentence, expression, value, granularity):
    found = _dates(en, sentence)
    assert expression in found, f"{expression!r} not among {list(found)}"
    assert (found[expression].value, found[expression].granularity) == (value, granularity)


def test_yearless_month_soon_after_publication_is_upcoming(en):
    text = "A new round of talks is likely in early January, officials say."
    assert _value(en, text, "early January", published="2021-12-17") == "2022-01"


def test_time_of_day_takes_the_day_next_to_it(en):
    found = _dates(en, "The statement came at about 7.50pm on Wednesday, after hours of talks.")
    assert found["Wednesday"].value == "2022-01-26"
    clock = next(ref for ref in found.values() if ref.granularity == "time")
    assert clock.value == "2022-01-26T19:50"


def test_vague_and_anaphoric_expressions_stay_unresolved(en):
    found = _dates(en, "The readiness of the force was raised a few weeks ago. The cabinet met that morning.")
    assert (found["a few weeks ago"].value, found["a few weeks ago"].granularity) == (None, "week")
    assert found["that morning"].value is None


def test_ambiguous_numeric_date_is_not_guessed(en):
    assert _value(en, "The summit on 12/01/2022 ended early.", "12/01/2022") is None


def test_durations_ages_and_bare_numbers_are_not_dates(en):
    text = (
        "The truce held for three days and the rebels have 90 days to leave, within 90 days at most. "
        "The 82-year-old pilot waited nearly two years for 2,000 tickets."
    )
    assert _dates(en, text) == {}


def test_without_publication_date_only_absolute_dates_resolve(en):
    text = "The envoys met on Wednesday, on December 9, 2021 and on December 9, and again last year."
    for published in (None, "not a date"):
        found = _dates(en, text, published)
        assert found["December 9, 2021"].value == "2021-12-09"
        assert found["Wednesday"].value is None
        assert found["December 9"].value is None
        assert found["last year"].value is None


def test_publication_datetime_is_accepted(en):
    assert _value(en, "Prices fell yesterday.", "yesterday", published="2022-01-26T23:10:00+01:00") == "2022-01-25"


def test_french(fr):
    text = (
        "Les ministres se sont rencontrés le 13 mars 2025 à Paris. Le sommet se tiendra jeudi à Bruxelles. "
        "Mercredi soir, ils ont dîné ensemble. Une autre réunion aura lieu lundi prochain. "
        "Hier, il y a trois semaines et la semaine dernière, en 2019 comme en janvier, à 19h50."
    )
    found = _dates(fr, text, FRENCH_WEDNESDAY)
    expected = {
        "13 mars 2025": "2025-03-13",
        "jeudi": "2025-03-20",
        "Mercredi soir": "2025-03-19",
        "lundi prochain": "2025-03-24",
        "Hier": "2025-03-18",
        "il y a trois semaines": "2025-02-24",
        "la semaine dernière": "2025-03-10",
        "2019": "2019",
        "janvier": "2025-01",
    }
    assert {text: found[text].value for text in expected} == expected


def test_spanish(es):
    text = (
        "Los soldados llegaron el 9 de diciembre. Los ministros se reunirán el jueves en Madrid. "
        "El año pasado hubo dos cumbres; la próxima semana habrá otra, y hace dos semanas se firmó un acuerdo "
        "en enero de 2022. Mañana se votará."
    )
    found = _dates(es, text)
    expected = {
        "9 de diciembre": "2021-12-09",
        "jueves": "2022-01-27",
        "El año pasado": "2021",
        "la próxima semana": "2022-01-31",
        "hace dos semanas": "2022-01-10",
        "enero de 2022": "2022-01",
        "Mañana": "2022-01-27",
    }
    assert {text: found[text].value for text in expected} == expected


def test_spanish_morning_is_not_tomorrow(es):
    found = _dates(es, "Los ministros se reunieron el lunes por la mañana.")
    assert found["lunes por la mañana"].value == "2022-01-24"
    assert "mañana" not in found


def test_month_names_from_dateparser_for_other_languages():
    doc = spacy.blank("de")("Der Vertrag wurde am 13. März 2025 unterzeichnet, die Gespräche begannen am 9. Dezember.")
    found = {ref.text: ref.value for ref in find_dates(doc, FRENCH_WEDNESDAY)}
    assert found == {"13. März 2025": "2025-03-13", "9. Dezember": "2024-12-09"}


def test_without_parse_or_entities(en):
    doc = en.make_doc("The envoys met on Wednesday, on December 9 and in 2008, while 2000 soldiers waited.")
    found = {ref.text: ref.value for ref in find_dates(doc, WEDNESDAY)}
    assert found == {"Wednesday": "2022-01-26", "December 9": "2021-12-09", "2008": "2008"}


def test_date_spans_match_found_dates(en):
    doc = en("The ministers met on Monday and will meet again on December 9.")
    assert find_date_spans(doc) == [(ref.start, ref.end) for ref in find_dates(doc, WEDNESDAY)]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "... ... ...", "¿? ¡!", "2022年1月26日 в среду ١٢٣ ๑๒๓"])
def test_odd_input_does_not_raise(en, text):
    doc = en(text)
    for ref in find_dates(doc, WEDNESDAY, "en"):
        assert doc.text[ref.start : ref.end] == ref.text


def test_one_megabyte_single_paragraph():
    nlp = spacy.blank("en")
    nlp.max_length = 2_000_000
    sentence = "On Tuesday about 4,000 soldiers arrived, on December 9, 2021 the talks began, and since 2019 "
    doc = nlp((sentence * (1_000_000 // len(sentence) + 1))[:1_000_000])
    refs = find_dates(doc, WEDNESDAY)
    assert len(refs) > 10_000
    assert {ref.value for ref in refs[:3]} == {"2022-01-25", "2021-12-09", "2019"}
