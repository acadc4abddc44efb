"""Markdown and HTML briefs: citations resolve to the cited spans, and article text cannot inject markup."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
import pytest

from newsdesk.report import render_html, render_json, render_markdown
from newsdesk.report.view import SNIPPET_CHARS

# A fictional harbour strike in three short articles; a2 is a wire copy of a1.
TEXTS = {
    "a1": (
        "Dockers at Port Ellery walked out on Monday morning. "
        "The union said 1,200 dockers joined the strike. "
        '"We will not unload a single crate until the night shifts are safe," said Mara Quist. '
        "Harbour master Olav Brenn warned that ferries would be diverted."
    ),
    "a2": ("Dockers at Port Ellery walked out on Monday morning. The union said 1,200 dockers joined the strike."),
    "a3": (
        "Dockers began their walkout at dawn on Monday. "
        "Port officials counted 900 dockers on the picket line. "
        '"The talks resume on Thursday," Olav Brenn said. '
        "Mara Quist called the offer an insult. "
        "Cranes stood idle across all four terminals."
    ),
}


def span(article: str, sentence: str) -> dict[str, Any]:
    start = TEXTS[article].index(sentence)
    return {"article": article, "start": start, "end": start + len(sentence)}


WALKOUT = "Dockers at Port Ellery walked out on Monday morning."
UNION_COUNT = "The union said 1,200 dockers joined the strike."
CRANES = "Cranes stood idle across all four terminals."
A3_WALKOUT = "Dockers began their walkout at dawn on Monday."


def make_brief() -> dict[str, Any]:
    return {
        "stories": [
            {
                "id": "story-harbour",
                "title": "Dockers strike at Port Ellery",
                "storyline": "story-harbour",
                "articles": ["a1", "a2", "a3"],
                "sources": [
                    _source("a1", "Dockers strike at Port Ellery", "Ellery Gazette", "2025-03-03"),
                    {**_source("a2", "Port Ellery dockers strike", "Coastal Wire", "2025-03-03"), "copy_of": "a1"},
                    _source("a3", "Picket lines at the port", "Harbour Times", "2025-03-05T08:30:00Z"),
                ],
                "summary": [
                    {"text": WALKOUT, "fact": "f1", "sources": [span("a1", WALKOUT), span("a2", WALKOUT)]},
                    {"text": CRANES, "fact": "f3", "sources": [span("a3", CRANES)]},
                ],
                "facts": [
                    {
                        "id": "f1",
                        "text": WALKOUT,
                        # a2 is a copy of a1, so only a1 and a3 are independent.
                        "sources": [span("a1", WALKOUT), span("a2", WALKOUT), span("a3", A3_WALKOUT)],
                        "independent_sources": 2,
                        "single_source": False,
                        "attribution": None,
                        "conflicts": [],
                    },
                    {
                        "id": "f2",
                        "text": UNION_COUNT,
                        "sources": [span("a1", UNION_COUNT)],
                        "independent_sources": 1,
                        "single_source": True,
                        "attribution": {"speaker": "the union", "entity": None, "kind": "said"},
                        "conflicts": [
                            {
                                "kind": "quantity",
                                "about": "dockers",
                                "sides": [
                                    {"value": 1200, "text": "1,200 dockers", "sources": [span("a1", "1,200 dockers")]},
                                    {"value": 900, "text": "900 dockers", "sources": [span("a3", "900 dockers")]},
                                ],
                            }
                        ],
                    },
                    {
                        "id": "f3",
                        "text": CRANES,
                        "sources": [span("a3", CRANES)],
                        "independent_sources": 1,
                        "single_source": True,
                        "attribution": None,
                        "conflicts": [],
                    },
                ],
                # Interleaved on purpose: grouping must not depend on the brief's order.
                "quotes": [
                    _quote("Mara Quist", "a1", "We will not unload a single crate until the night shifts are safe"),
                    _quote("Olav Brenn", "a3", "The talks resume on Thursday"),
                    _quote("Mara Quist", "a3", "called the offer an insult", direct=False),
                ],
                "timeline": [
                    {"date": "2025-03-03", "text": WALKOUT, "fact": "f1", "sources": [span("a1", WALKOUT)]},
                    {"date": "2025-03-06", "text": "Talks resume.", "fact": None, "sources": [span("a3", "Thursday")]},
                ],
                "entities": [
                    {
                        "id": "person-quist",
                        "name": "Mara Quist",
                        "label": "PERSON",
                        "variants": ["Quist"],
                        "mentions": 3,
                    },
                    {"id": "loc-ellery", "name": "Port Ellery", "label": "GPE", "variants": [], "mentions": 2},
                ],
            }
        ]
    }


def _source(article: str, title: str, outlet: str, published: str) -> dict[str, Any]:
    return {
        "id": article,
        "title": title,
        "outlet": outlet,
        "published": published,
        "language": "en",
        "url": None,
        "copy_of": None,
        "copy_kind": None,
    }


def _quote(speaker: str, article: str, text: str, *, direct: bool = True) -> dict[str, Any]:
    return {"text": text, "speaker": speaker, "entity": None, "direct": direct, **span(article, text)}


def _references(markdown: str) -> dict[int, str]:
    """Reference number -> quoted snippet, from the References list."""
    refs = dict(re.findall(r"^- \[(\d+)\] .*?: “(.*)”$", markdown.split("### References", 1)[1], flags=re.M))
    return {int(number): snippet for number, snippet in refs.items()}


def _section(markdown: str, heading: str) -> str:
    return markdown.split(f"### {heading}\n", 1)[1].split("\n### ", 1)[0]


def _markers(line: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", line)]


def _line_with(markdown: str, text: str) -> str:
    lines = [line for line in markdown.splitlines() if text in line and not line.startswith("- [")]
    assert lines, f"no line mentions {text!r}"
    return lines[0]


def _span_texts(spans: list[dict[str, Any]]) -> set[str]:
    return {TEXTS[s["article"]][s["start"] : s["end"]] for s in spans}


@pytest.fixture
def brief() -> dict[str, Any]:
    return make_brief()


@pytest.fixture
def markdown(brief: dict[str, Any]) -> str:
    return render_markdown(brief, TEXTS)


@pytest.fixture
def html_tree(brief: dict[str, Any]) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render_html(brief, TEXTS))


# --- Markdown -----------------------------------------------------------------------------------


def test_every_markdown_citation_resolves_to_its_cited_span(brief: dict[str, Any], markdown: str) -> None:
    refs = _references(markdown)
    body = markdown.split("### References", 1)[0]
    assert set(_markers(body)) == set(refs), "every marker has an entry and every entry is cited"
    story = brief["stories"][0]
    for section, items in [("Summary", story["summary"]), ("Key facts", story["facts"])]:
        for item in items:
            line = _line_with(_section(body, section), item["text"])
            assert {refs[n] for n in _markers(line)} == _span_texts(item["sources"]), line
    talks = _line_with(body, "Talks resume.")
    assert [refs[n] for n in _markers(talks)] == ["Thursday"]


def test_identical_spans_share_one_reference_number(brief: dict[str, Any], markdown: str) -> None:
    refs = _references(markdown)
    story = brief["stories"][0]
    spans = [s for item in [*story["summary"], *story["facts"], *story["timeline"]] for s in item["sources"]]
    spans += [
        c for f in story["facts"] for conflict in f["conflicts"] for side in conflict["sides"] for c in side["sources"]
    ]
    spans += story["quotes"]
    assert len(refs) == len({(s["article"], s["start"], s["end"]) for s in spans})
    assert sorted(refs) == list(range(1, len(refs) + 1))
    # a1 and a2 carry the same sentence: two spans, two numbers, reused by every item citing them.
    summary_markers = _markers(_line_with(markdown, WALKOUT))
    assert [refs[n] for n in summary_markers] == [WALKOUT, WALKOUT]
    assert _markers(_line_with(markdown, f"1. {WALKOUT}"))[:2] == summary_markers
    assert _markers(_line_with(markdown, f"2025-03-03 — {WALKOUT}")) == summary_markers[:1]


def test_conflict_shows_both_values_with_their_own_sources(markdown: str) -> None:
    refs = _references(markdown)
    line = _line_with(markdown, "⚠ conflict")
    assert "over dockers" in line
    first, second = line.split(" vs ")
    assert "1,200 dockers" in first
    assert "900 dockers" in second
    assert [refs[n] for n in _markers(first)] == ["1,200 dockers"]
    assert [refs[n] for n in _markers(second)] == ["900 dockers"]


def test_facts_show_corroboration_single_source_and_attribution(markdown: str) -> None:
    facts = _section(markdown, "Key facts")
    blocks = re.split(r"^\d+\. ", facts, flags=re.M)[1:]
    assert [b.splitlines()[0].split(" [")[0] for b in blocks] == [WALKOUT, UNION_COUNT, CRANES]  # rank kept
    assert "2 independent sources" in blocks[0]
    assert "said by the union" in blocks[1]
    assert "⚠ single source" in blocks[1]
    assert "⚠ single source" in blocks[2]
    assert "single source" not in blocks[0]


def test_quotes_are_grouped_under_their_speaker(markdown: str) -> None:
    quotes = _section(markdown, "Quotes")
    groups = dict(re.findall(r"^#### (.+)\n\n((?:- .*\n?)+)", quotes, flags=re.M))
    assert list(groups) == ["Mara Quist", "Olav Brenn"]
    assert "We will not unload a single crate" in groups["Mara Quist"]
    assert "(reported) called the offer an insult" in groups["Mara Quist"]
    assert "The talks resume on Thursday" in groups["Olav Brenn"]
    assert "crate" not in groups["Olav Brenn"]


def test_overview_sources_and_entities(markdown: str) -> None:
    assert "3 articles · 2 independent outlets · 1 language (en) · 2025-03-03 – 2025-03-05" in markdown
    assert "2. Coastal Wire, 2025-03-03, en — Port Ellery dockers strike (copy of source 1, Ellery Gazette)" in markdown
    assert "- **Mara Quist** (PERSON, 3 mentions) — Quist" in markdown


def test_snippet_falls_back_to_span_text_then_to_nothing(brief: dict[str, Any]) -> None:
    story = brief["stories"][0]
    story["summary"] = [
        {"text": "Ferries were diverted.", "sources": [{"article": "gone", "start": 0, "end": 9, "text": "diverted"}]},
        {"text": "Nobody knows.", "sources": [{"article": "lost", "start": 0, "end": 5}]},
    ]
    refs_md = render_markdown(brief, TEXTS).split("### References", 1)[1]
    assert "- [1] gone, undated: “diverted”" in refs_md
    assert re.search(r"^- \[2\] lost, undated$", refs_md, flags=re.M)


def test_long_snippets_are_trimmed() -> None:
    long_text = "The strike " + "went on and on " * 40 + "until Friday."
    brief = {"stories": [{"title": "Long", "summary": [{"text": "Long.", "sources": [span_of(long_text)]}]}]}
    snippet = _references(render_markdown(brief, {"long": long_text}))[1]
    assert snippet.endswith("…")
    assert len(snippet) <= SNIPPET_CHARS
    assert long_text.startswith(snippet[:-1])


def span_of(text: str) -> dict[str, Any]:
    return {"article": "long", "start": 0, "end": len(text)}


def test_markdown_escapes_links_html_and_block_syntax(brief: dict[str, Any]) -> None:
    story = brief["stories"][0]
    story["title"] = "Strike <img src=x onerror=alert(1)> [click](javascript:alert(1))"
    story["facts"][0]["text"] = "# not a heading `code` > not a quote"
    md = render_markdown(brief, TEXTS)
    assert "<img" not in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "[click](" not in md
    assert r"\[click\](javascript:alert(1))" in md
    assert r"1. \# not a heading \`code\` &gt; not a quote" in md


# --- HTML ---------------------------------------------------------------------------------------

HOSTILE_TITLE = "Harbour <script>alert(1)</script>"
HOSTILE_FACT = 'Cranes <img src=x onerror=alert(1)> stood "idle"'


def test_html_escapes_hostile_article_text(brief: dict[str, Any]) -> None:
    story = brief["stories"][0]
    story["title"] = HOSTILE_TITLE
    story["sources"][0]["outlet"] = "<b>Gazette</b>"
    story["facts"][2]["text"] = HOSTILE_FACT
    story["entities"][0]["name"] = "<script>alert(1)</script>"
    page = render_html(brief, TEXTS | {"a3": TEXTS["a3"].replace("Cranes", "<img src=x onerror=alert(1)>")})
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    tree = lxml.html.document_fromstring(page)
    assert not tree.xpath("//script | //img | //b | //*[@onerror]")
    assert tree.xpath("string(//h2)") == HOSTILE_TITLE  # shown to the reader as text, intact
    assert HOSTILE_FACT in tree.xpath("string(//ol[@class='facts'])")


def test_html_citation_links_point_at_existing_references(html_tree: lxml.html.HtmlElement) -> None:
    ids = set(html_tree.xpath("//@id"))
    targets = [href[1:] for href in html_tree.xpath("//a/@href") if href.startswith("#")]
    assert targets
    assert set(targets) <= ids
    cites = html_tree.xpath("//sup[@class='cite']/a")
    assert len(cites) >= 10
    assert all(a.get("href").startswith("#s1-ref") for a in cites)


def test_html_citation_title_holds_the_snippet(html_tree: lxml.html.HtmlElement) -> None:
    for link in html_tree.xpath("//sup[@class='cite']/a"):
        snippet = html_tree.get_element_by_id(link.get("href")[1:]).xpath("string(q)")
        assert snippet
        assert f"“{snippet}”" in link.get("title")
    crane_links = html_tree.xpath("//ol[@class='facts']/li[3]/sup/a")
    assert len(crane_links) == 1
    assert CRANES in crane_links[0].get("title")


def test_html_shows_conflict_badges_quotes_and_copies(html_tree: lxml.html.HtmlElement) -> None:
    conflict = html_tree.xpath("//div[@class='conflict']")
    assert len(conflict) == 1
    sides = [s.text_content() for s in conflict[0].xpath(".//span[@class='side']")]
    assert sides[0].startswith("1,200 dockers")
    assert sides[1].startswith("vs 900 dockers")
    badges = [b.text_content() for b in html_tree.xpath("//ol[@class='facts']/li/span[contains(@class, 'badge')]")]
    assert badges == ["2 sources", "single source", "single source"]
    speakers = html_tree.xpath("//div[@class='speaker']")
    assert [s.xpath("string(h4)") for s in speakers] == ["Mara Quist", "Olav Brenn"]
    assert len(speakers[0].xpath("blockquote")) == 2
    relation = html_tree.get_element_by_id("s1-src2").xpath("string(span[@class='relation'])")
    assert relation == "(copy of 1. Ellery Gazette)"


def test_html_is_self_contained(brief: dict[str, Any]) -> None:
    brief["stories"][0]["sources"][0]["url"] = "javascript:alert(1)"
    brief["stories"][0]["sources"][2]["url"] = "https://harbour-times.example/picket"
    page = render_html(brief, TEXTS)
    tree = lxml.html.document_fromstring(page)
    assert tree.xpath("//meta[@charset='utf-8']")
    assert tree.xpath("//meta[@name='viewport']")
    assert tree.xpath("//style")
    assert not tree.xpath("//script | //link | //*[@src]")  # nothing is fetched when the file opens
    assert "javascript:" not in page  # an unsafe source URL is dropped, not linked
    assert tree.xpath("//a[@href='https://harbour-times.example/picket']")


def test_render_json_round_trips() -> None:
    brief = make_brief()
    brief["stories"][0]["title"] = "Streik in Hafen Ellery — Überblick"
    text = render_json(brief)
    assert "Überblick" in text  # not \\u-escaped
    assert json.loads(text) == brief


def test_one_attributed_sentence_is_one_position_line_with_both_facts_citations() -> None:
    brief = make_brief()
    story = brief["stories"][0]
    said = {"speaker": "the union", "entity": None, "kind": "said", "text": UNION_COUNT}
    clause = {**story["facts"][2], "id": "f4", "attribution": said, "sources": [span("a3", CRANES)]}
    story["facts"][1]["attribution"] = said
    story["facts"].append(clause)  # a clause's fact the same sentence attributes
    story["positions"] = [{"actor": "the union", "entity": None, "kind": "said", "facts": ["f2", "f4"]}]
    rendered = render_markdown(brief, TEXTS)
    [line] = [x for x in rendered.splitlines() if x.startswith("- said:")]
    assert line.startswith(f"- said: {UNION_COUNT}")
    assert len(re.findall(r"\[\d+\]", line)) == 2  # the union's count in a1, the cranes in a3
