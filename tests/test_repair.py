"""Mojibake repair: text mis-decoded once or twice upstream comes back whole; clean text is untouched."""

from __future__ import annotations

import pytest

from newsdesk.extraction import ExtractSettings, extract_document
from newsdesk.extraction.repair import repair_mojibake
from newsdesk.model import RawDocument

# Clean sentences in ten scripts, written for this test.
CLEAN = [
    "Der Außenminister traf am Dienstag in Genf ein, um über die Grenzfrage zu sprechen.",  # Latin
    "Η υπουργός Εξωτερικών έφτασε στη Γενεύη την Τρίτη για τις συνομιλίες.",  # Greek
    "Министр иностранных дел прибыл в Женеву во вторник для переговоров.",  # Cyrillic
    "وصل وزير الخارجية إلى جنيف يوم الثلاثاء لإجراء المحادثات.",  # Arabic
    "שר החוץ הגיע לז'נבה ביום שלישי לשיחות.",  # Hebrew
    "विदेश मंत्री मंगलवार को वार्ता के लिए जिनेवा पहुंचे।",  # Devanagari
    "外交部长周二抵达日内瓦，参加会谈。",  # Han, full-width punctuation
    "外務大臣は火曜日、協議のためジュネーブに到着した。",  # Japanese kana
    "외교부 장관은 화요일 회담을 위해 제네바에 도착했다.",  # Hangul
    "รัฐมนตรีต่างประเทศเดินทางถึงเจนีวาเมื่อวันอังคารเพื่อเจรจา",  # Thai
]
TURKISH = "Dışişleri Bakanı Hakan Fidan, günlük brifingde “İstanbul’daki görüşmeler” hakkında konuştu — ayrıntı yok."


def _mangle(text: str, times: int) -> str:
    for _ in range(times):
        text = text.encode("utf-8").decode("latin-1")
    return text


@pytest.mark.parametrize("times", [1, 2])
@pytest.mark.parametrize("text", [TURKISH, *CLEAN[:4], CLEAN[6]])
def test_text_decoded_as_latin1_once_or_twice_is_repaired(text: str, times: int) -> None:
    mangled = _mangle(text, times)
    assert mangled != text
    fixed, steps = repair_mojibake(mangled)
    assert fixed == text
    assert steps.count("decode utf-8") == times


@pytest.mark.parametrize("text", [*CLEAN, TURKISH, 'Ｆｕｌｌ-width ＡＢＣ, ligature ﬁ, "straight" and “curly” quotes'])
def test_clean_text_in_ten_scripts_is_untouched(text: str) -> None:
    assert repair_mojibake(text) == (text, [])


def test_extracted_article_records_the_repair_for_audit() -> None:
    body = f"{TURKISH}\n\n{TURKISH.replace('Fidan', 'Fidan ayrıca')}"
    raw = RawDocument(
        id="tr", source="tr.jsonl:1", kind="text", content=_mangle(body, 1), title=_mangle("Fidan Cenevre’de", 1)
    )
    article = extract_document(raw, ExtractSettings(language=False)).article
    assert "günlük" in article.text
    assert "Ã" not in article.text
    assert article.title == "Fidan Cenevre’de"
    assert article.metadata["repaired"] == {
        "text": ["encode latin-1", "decode utf-8"],
        "title": ["encode latin-1", "decode utf-8"],
    }
    clean = extract_document(
        RawDocument(id="c", source="c.txt", kind="text", content=body), ExtractSettings(language=False)
    )
    assert "repaired" not in clean.article.metadata
