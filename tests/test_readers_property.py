"""Property tests: whatever bytes arrive, every reader gives documents or one-line errors, never an exception,
and nothing it gives back fails to encode as UTF-8 (the output, the database and the web all need that)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import InputError
from newsdesk.extraction import ExtractSettings, iter_extract
from newsdesk.model import Article, RawDocument
from newsdesk.sources import Limits, iter_bytes, iter_documents

LIMITS = Limits(max_bytes=20_000, max_records=500, max_errors=5, max_depth=8)
SUFFIXES = [".jsonl", ".jsonl.gz", ".txt", ".html", ".rss", ".warc", ".warc.gz", ".xml", ""]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=20), st.integers(), st.none(), json_values),
        "text": st.one_of(st.text(max_size=300), json_values),
        "html": st.one_of(st.text(max_size=300), st.none()),
        "title": json_values,
        "published": st.one_of(st.text(max_size=30), st.dates().map(str), json_values),
        "url": json_values,
    },
)


def _check(items: list[RawDocument | InputError]) -> None:
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) <= LIMITS.max_errors + 1  # then one summary line
    for item in items:
        if isinstance(item, InputError):
            assert "\n" not in str(item)
            str(item).encode("utf-8")
        else:
            assert isinstance(item, RawDocument)
            for value in (item.id, item.source, item.content, item.title, item.url, item.published):
                if value is not None:
                    value.encode("utf-8")
            json.dumps(item.metadata, ensure_ascii=False).encode("utf-8")


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_kind_of_file(tmp_path: Path, data: bytes, suffix: str) -> None:
    if suffix.endswith(".gz") and data[:2] != b"\x1f\x8b":
        data = gzip.compress(data)
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    _check(list(iter_documents([path], limits=LIMITS)))
    _check(list(iter_bytes(path.name, data, limits=LIMITS)))
    _check(list(iter_documents(["-"], stdin=io.BytesIO(data), limits=LIMITS)))


@FAST
@given(
    lines=st.lists(st.one_of(records.map(json.dumps), json_values.map(json.dumps), st.text(max_size=80)), max_size=12)
)
def test_any_json_lines(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    items = list(iter_documents([path], limits=LIMITS))
    _check(items)
    assert len(items) >= 1  # a document, an error, or "empty input": never silence


@FAST
@given(record=records, kind=st.sampled_from(["text", "html"]))
def test_any_record_extracts_to_an_article_or_one_error(tmp_path: Path, record: dict, kind: str) -> None:
    path = tmp_path / "feed.jsonl"
    if kind == "html" and isinstance(record.get("text"), str):
        record = {**record, "html": f"<html><body><article><p>{record['text']}</p></article></body></html>"}
    path.write_text(json.dumps(record), encoding="utf-8", errors="surrogatepass")
    out = list(iter_extract(iter_documents([path], limits=LIMITS), ExtractSettings(jobs=1, language=False)))
    assert len(out) >= 1
    for item in out:
        assert isinstance(item, (Article, InputError))
        if isinstance(item, Article):
            json.dumps(item.to_json(), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("depth", [9, 1000, 100_000])
def test_nesting_past_the_limit_is_one_error_at_any_depth(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": "d", "text": "x", "m": ' + "[" * depth + "]" * depth + "}\n", encoding="utf-8")
    limits = Limits(max_depth=LIMITS.max_depth)
    assert [str(i) for i in iter_documents([path], limits=limits)] == [
        f"{path}:1: JSON nested deeper than {limits.max_depth} levels"
    ]
