"""Quantities: figures with what they count, normalised values, approximation words, and what is skipped."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from newsdesk.analysis.quantities import find_quantities
from newsdesk.model import Quantity


def _found(nlp: Language, text: str, language: str | None = None) -> dict[str, Quantity]:
    """The quantities of a text by their surface text, after checking every offset round-trips."""
    doc = nlp(text)
    quantities = find_quantities(doc, language)
    for q in quantities:
        assert doc.text[q.start : q.end] == q.text
    return {q.text: q for q in quantities}


def _assert_quantity(found: dict[str, Quantity], text: str, value: float | None, unit: str | None, approx: str | None):
    assert text in found, f"{text!r} not among {list(found)}"
    q = found[text]
    assert (q.value, q.unit, q.approximate) == (pytest.approx(value) if value is not None else None, unit, approx)


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "approx"),
    [
        ("Officials estimate that more than 100,000 soldiers have gathered along the frontier.",
         "more than 100,000 soldiers", 100000, "soldiers", "more than"),
        ("The alliance put the 5,000-strong Rapid Reaction Force on standby overnight.",
         "5,000-strong Rapid Reaction Force", 5000, "Rapid Reaction Force", None),
        ("Copenhagen will send four F-16 bombers to the region.", "four F-16 bombers", 4, "F-16 bombers", None),
        ("Washington keeps 8,400 troops ready to move at short notice.", "8,400 troops", 8400, "troops", None),
        ("Planners believe an offensive would need about 200,000 men.", "about 200,000 men", 200000, "men", "about"),
        ("Roughly 4,000 NATO soldiers are stationed near the lakes.",
         "Roughly 4,000 NATO soldiers", 4000, "NATO soldiers", "roughly"),
        ("The council approved 30 million euros for the repairs.", "30 million euros", 30_000_000, "euros", None),
        ("A monthly plan costs $11.99 in the shop.", "$11.99", 11.99, "USD", None),
        ("The basic pack sells for Rs 599 in Delhi.", "Rs 599", 599, "INR", None),
        ("Food prices climbed 6.5 percent over the winter.", "6.5 percent", 6.5, "percent", None),
        ("Unemployment reached 15% in the north.", "15%", 15, "percent", None),
        ("Turnout was 15 % lower than expected.", "15 %", 15, "percent", None),
        ("After the storm the river carried 900 cubic metres per second.",
         "900 cubic metres per second", 900, "cubic metres per second", None),
        ("The reservoir stores 14 billion cubic metres of water.",
         "14 billion cubic metres", 14e9, "cubic metres", None),
        ("Fires burned 8,400 hectares of forest.", "8,400 hectares", 8400, "hectares", None),
        ("The council has not met for nearly two years.", "nearly two years", 2, "years", "nearly"),
        ("Sales reached $1.5bn while the grant stayed at €30m.", "$1.5bn", 1.5e9, "USD", None),
        ("Sales reached $1.5bn while the grant stayed at €30m.", "€30m", 30e6, "EUR", None),
        ("The fund lost half a million dollars.", "half a million dollars", 500_000, "dollars", None),
        ("Some two hundred and fifty people signed.", "Some two hundred and fifty people", 250, "people", "some"),
        ("A dozen envoys and twenty-one ministers attended.", "twenty-one ministers", 21, "ministers", None),
        ("At least 30 villages were cut off.", "At least 30 villages", 30, "villages", "at least"),
        ("An estimated 3,500 families fled.", "An estimated 3,500 families", 3500, "families", "an estimated"),
    ],
)  # fmt: skip
def test_english_quantities(en, sentence, text, value, unit, approx):
    _assert_quantity(_found(en, sentence), text, value, unit, approx)


@pytest.mark.parametrize(
    ("pipeline", "sentence", "text", "value", "unit"),
    [
        ("en", "Two or three ships turned back.", "three ships", 3, "ships"),
        ("en", "Each stamp costs 5 cents.", "5 cents", 5, "cents"),
        ("fr", "Vingt et un soldats sont rentrés.", "Vingt et un soldats", 21, "soldats"),
        ("fr", "Cent vingt navires croisent au large.", "Cent vingt navires", 120, "navires"),
        ("es", "Treinta y cinco soldados regresaron.", "Treinta y cinco soldados", 35, "soldados"),
        ("es", "Llegaron ciento veinte barcos.", "ciento veinte barcos", 120, "barcos"),
    ],
)
def test_number_words(request, pipeline, sentence, text, value, unit):
    nlp = request.getfixturevalue(pipeline)
    _assert_quantity(_found(nlp, sentence), text, value, unit, None)


def test_magnitude_words_have_no_value(en):
    found = _found(
        en, "Thousands of soldiers and hundreds of planes took part, watched by tens of thousands of people."
    )
    _assert_quantity(found, "Thousands of soldiers", None, "soldiers", "thousands")
    _assert_quantity(found, "hundreds of planes", None, "planes", "hundreds")
    _assert_quantity(found, "tens of thousands of people", None, "people", "tens of thousands")


@pytest.mark.parametrize(
    "sentence",
    [
        "The S-400 batteries arrived in 2008, on December 9, at 7.50pm.",
        "The 82-year-old general came first, ahead of the 5th candidate.",
        "Under Section 5 of the treaty, the Boeing 737 flew 24/7.",
        "One thing is clear: nobody wanted a war.",
    ],
)
def test_dates_times_ordinals_ages_and_names_are_skipped(en, sentence):
    assert _found(en, sentence) == {}


def test_list_numbering_is_skipped(en):
    found = _found(en, "Three options remain:\n1) A new summit\n2) Another letter")
    assert list(found) == ["Three options"]


def test_years_are_not_counts(en):
    found = _found(en, "In 2019 the army had 2,000 tanks; by 2025 it wants more.")
    assert list(found) == ["2,000 tanks"]


def test_french(fr):
    found = _found(
        fr, "Plus de 100 000 soldats russes sont déployés, selon environ 4 000 témoins et 6,5 % des électeurs."
    )
    _assert_quantity(found, "Plus de 100 000 soldats", 100000, "soldats", "plus de")
    _assert_quantity(found, "environ 4 000 témoins", 4000, "témoins", "environ")
    _assert_quantity(found, "6,5 %", 6.5, "percent", None)
    found = _found(
        fr, "Le budget prévoit 30 millions d'euros et plus d'un million de doses pour 100\u00a0000 habitants."
    )
    _assert_quantity(found, "30 millions d'euros", 30e6, "euros", None)
    _assert_quantity(found, "plus d'un million de doses", 1e6, "doses", "plus d'")
    _assert_quantity(found, "100\u00a0000 habitants", 100000, "habitants", None)
    found = _found(fr, "Près de deux cent mille personnes, quatre-vingt-dix véhicules et des milliers de manifestants.")
    _assert_quantity(found, "Près de deux cent mille personnes", 200000, "personnes", "près de")
    _assert_quantity(found, "quatre-vingt-dix véhicules", 90, "véhicules", None)
    _assert_quantity(found, "milliers de manifestants", None, "manifestants", "milliers")


def test_spanish(es):
    found = _found(es, "Más de 100.000 soldados rusos llegaron a la frontera y unos 4.000 efectivos se retiraron.")
    _assert_quantity(found, "Más de 100.000 soldados", 100000, "soldados", "más de")
    assert found["unos 4.000 efectivos"].value == 4000
    assert found["unos 4.000 efectivos"].approximate == "unos"
    found = _found(es, "El Gobierno aprobó 30 millones de euros y la inflación subió un 6,5 % durante el invierno.")
    _assert_quantity(found, "30 millones de euros", 30e6, "euros", None)
    _assert_quantity(found, "6,5 %", 6.5, "percent", None)
    found = _found(
        es, "Miles de soldados recorrieron casi dos mil quinientos kilómetros con 30 mil millones de dólares."
    )
    _assert_quantity(found, "Miles de soldados", None, "soldados", "miles")
    _assert_quantity(found, "casi dos mil quinientos kilómetros", 2500, "kilómetros", "casi")
    _assert_quantity(found, "30 mil millones de dólares", 30e9, "dólares", None)


def test_without_parse_or_entities(en):
    doc = en.make_doc(
        "More than 100,000 soldiers and four F-16 bombers reached the base in 2008 with 30 million euros."
    )
    found = {q.text: q for q in find_quantities(doc)}
    _assert_quantity(found, "More than 100,000 soldiers", 100000, "soldiers", "more than")
    _assert_quantity(found, "four F-16 bombers", 4, "F-16 bombers", None)
    _assert_quantity(found, "30 million euros", 30e6, "euros", None)
    assert not any("2008" in text for text in found)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "... ... ...", "¿? ¡! %", "$", "1)", "四千 солдат ١٢٣ ๑๒๓ 兵士"])
def test_odd_input_does_not_raise(en, text):
    doc = en(text)
    for q in find_quantities(doc):
        assert doc.text[q.start : q.end] == q.text


def test_one_megabyte_single_paragraph():
    nlp = spacy.blank("en")
    nlp.max_length = 2_000_000
    sentence = "On Tuesday about 4,000 soldiers, 30 million euros and 6.5 percent of the vote moved, since 2019 "
    doc = nlp((sentence * (1_000_000 // len(sentence) + 1))[:1_000_000])
    quantities = find_quantities(doc)
    assert len(quantities) > 10_000
    assert all(doc.text[q.start : q.end] == q.text for q in quantities[:100])


def test_what_happened_to_what_is_counted(en):
    found = _found(en, "The fire has destroyed 14 homes. At least 10 houses were destroyed, and 300 people fled.")
    assert [found[t].predicate for t in ("14 homes", "At least 10 houses", "300 people")] == [
        "destroy",
        "destroy",
        "flee",
    ]
    assert _found(en, "There are 40 boats in the harbour.")["40 boats"].predicate is None  # "be" tells nothing


def test_the_number_of_what_is_counted(en):
    found = _found(en, "The commissioner said that the number of firefighters will be more than 600 on Friday.")
    _assert_quantity(found, "more than 600", 600, "firefighters", "more than")
    found = _found(en, "The death toll stood at 35 by evening, and the soldiers carried 7.62mm rifles.")
    assert found["35"].unit is None  # a toll with no "of": what it counts is left to the reader
    _assert_quantity(found, "7.62mm", 7.62, "mm", None)
