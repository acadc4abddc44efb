"""Bad input: one clear error naming the file (and line), the rest of the batch still processed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.errors import InputError
from newsdesk.model import RawDocument
from newsdesk.sources import iter_documents

GOOD = "A good headline\n\nThe council approved the harbour budget on Tuesday after a long debate.\n"


def _one(path: Path) -> RawDocument | InputError:
    [item] = list(iter_documents([str(path)]))
    return item


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \n", "empty file"),
        ("binary.txt", bytes(range(256)) * 40, "binary data"),
        ("nobody.html", b"<html><head><title>x</title></head></html>", "no body"),
        ("truncated.txt.gz", gzip.compress(GOOD.encode() * 50)[:-30], "truncated gzip"),
        ("corrupt.html.gz", b"\x1f\x8b\x08\x00garbage-not-deflate-data", "corrupt gzip"),
    ],
)
def test_unreadable_files_give_one_named_error(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    item = _one(path)
    assert isinstance(item, InputError)
    assert item.source == str(path)
    assert problem in item.problem


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("latin-1", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "Café talks\n\nThe minister’s déjà vu: “façade” — naïve fiancée.\n"
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "-")
    path = tmp_path / "enc.txt"
    path.write_bytes(prefix + text.encode(encoding))
    doc = _one(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == text
    assert doc.title == "Café talks"


def test_mixed_utf8_and_cp1252_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("Title\n\nUTF-8 café here.\n".encode() + "And cp1252 “quotes” there.\n".encode("cp1252"))
    doc = _one(path)
    assert isinstance(doc, RawDocument)
    assert "café here" in doc.content
    assert "“quotes”" in doc.content


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    item = _one(path)
    assert isinstance(item, InputError)
    assert "200 MB" in item.problem or "210 MB" in item.problem
    assert "limit" in item.problem


def test_invalid_json_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "ok1", "text": "First good record."}),
                '{"id": "broken", "text": "unterminated',
                json.dumps(["not", "an", "object"]),
                json.dumps({"id": "empty", "text": ""}),
                json.dumps({"id": "ok2", "text": "Second good record."}),
            ]
        ),
        encoding="utf-8",
    )
    items = list(iter_documents([str(path)]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["ok1", "ok2"]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "invalid JSON" in errors[0].problem
    assert "JSON object" in errors[1].problem
    assert "'text' or 'html'" in errors[2].problem


def test_truncated_gzip_jsonl_keeps_records_before_the_cut(tmp_path: Path) -> None:
    records = "".join(json.dumps({"id": f"r{i}", "text": f"Record number {i} " * 20}) + "\n" for i in range(200))
    data = gzip.compress(records.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_documents([str(path)]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert 0 < len(docs) < 200
    assert len(errors) == 1
    assert "truncated gzip" in errors[0].problem


def test_missing_path_is_an_error() -> None:
    [item] = list(iter_documents(["/no/such/place.txt"]))
    assert isinstance(item, InputError)
    assert "no such file" in item.problem


def test_cli_batch_with_bad_files_reports_each_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "lines.jsonl").write_text('{"id": "j1", "text": "Fine record text."}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert sorted(ids) == ["good", "j1"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsdesk: error:")]
    assert len(errors) == 3
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("binary.html: binary data" in e for e in errors)
    assert any("lines.jsonl:2: invalid JSON" in e for e in errors)
    assert "Traceback" not in result.stderr


def test_bad_input_never_touches_stored_articles(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(tmp_path / "in"), "--db", str(db)]).exit_code == 0
    before = runner.invoke(cli, ["show", "good", "--db", str(db)]).stdout
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "good.txt").write_bytes(b"\x00\xff" * 500)  # same id, now garbage
    (tmp_path / "bad" / "x.jsonl").write_text("{oops\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(tmp_path / "bad"), "--db", str(db)])
    assert result.exit_code == 1
    assert runner.invoke(cli, ["show", "good", "--db", str(db)]).stdout == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are my notes", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--db", str(not_db)])
    assert result.exit_code != 0
    assert "not a SQLite database" in result.stderr
    assert not_db.read_text(encoding="utf-8") == "these are my notes"


def test_oversized_jsonl_line_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({"id": "big", "text": "word " * 2000})
    path.write_text(big + "\n" + json.dumps({"id": "small", "text": "Small record."}) + "\n", encoding="utf-8")
    items = list(iter_documents([str(path)], max_bytes=1000))
    assert isinstance(items[0], InputError)
    assert items[0].source == f"{path}:1"
    assert "1000-byte limit" in items[0].problem
    assert isinstance(items[1], RawDocument)
    assert items[1].id == "small"


def test_worker_errors_survive_pickling() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(InputError("feed.jsonl:7", "no article text left after removing boilerplate")))
    assert (error.source, error.problem) == ("feed.jsonl:7", "no article text left after removing boilerplate")
    assert str(error) == "feed.jsonl:7: no article text left after removing boilerplate"


TOWNS = ("Arlen", "Brisk", "Corvale", "Dunmere", "Eskby", "Fallow", "Grent", "Holm", "Ivers", "Jarrow")


@pytest.fixture(scope="module")
def batch_with_junk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 short reports in one JSON Lines file, record 150 nothing but web junk. Worker processes
    extract batches this size, and the junk record's error has to travel back from one of them."""
    path = tmp_path_factory.mktemp("batch") / "feed.jsonl"
    lines = []
    for i in range(300):
        town = TOWNS[i % len(TOWNS)]
        text = (
            f"{town} council meeting number {i}\n\n"
            f"The {town} council approved plan {i} for the harbour on day {i % 28 + 1} after a debate.\n\n"
            f"Mayor Lena Okoro said the plan {i} would cost {i + 10} thousand euros."
        )
        if i == 149:
            text = "Share this article\nFollow us on Twitter\nSubscribe to our newsletter"
        lines.append(json.dumps({"id": f"r{i:03d}", "text": text, "published": f"2025-03-{i % 28 + 1:02d}"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["extract", "analyze", "cluster", "brief", "ingest"])
def test_a_junk_record_in_a_batch_of_300_is_reported_and_every_other_article_returned(
    batch_with_junk: Path, tmp_path: Path, command: str
) -> None:
    """Default job count (worker processes): one stderr line for the bad record, the 299 others out."""
    args = [command, str(batch_with_junk)]
    if command == "ingest":
        args += ["--db", str(tmp_path / "news.db")]
    if command == "analyze":
        args += ["--format", "jsonl"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsdesk: error:")]
    assert errors == [f"newsdesk: error: {batch_with_junk}:150: no article text left after removing boilerplate"]
    assert "Traceback" not in result.stderr
    if command in ("extract", "cluster"):
        ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    elif command == "analyze":
        ids = [json.loads(line)["id"] for line in result.stdout.splitlines() if "id" in json.loads(line)]
    elif command == "brief":
        ids = [s["id"] for story in json.loads(result.stdout)["stories"] for s in story["sources"]]
    else:
        listed = CliRunner().invoke(cli, ["list", "--db", str(tmp_path / "news.db")]).stdout
        ids = [row["id"] for row in map(json.loads, listed.splitlines())]
        assert json.loads(result.stdout)["articles_in_db"] == 299
    assert sorted(ids) == [f"r{i:03d}" for i in range(300) if i != 149]


def test_a_directory_of_pages_returns_every_page_trafilatura_extracts(tmp_path: Path) -> None:
    """`newsdesk extract DIR` under the default job count: a page with no text is one error line naming
    it; a page whose lines all look like junk still comes back; every other page comes back."""
    for i in range(40):
        town = TOWNS[i % len(TOWNS)]
        body = "".join(
            f"<p>The {town} council approved plan {i}.{n} for the harbour after a long debate on Tuesday night.</p>"
            for n in range(4)
        )
        if i == 7:
            body = "".join(
                f"<p>Subscribe to our newsletter number {n} for harbour news, delivered to your inbox.</p>"
                for n in range(5)
            )
        page = f"<html><head><title>{town} plan {i}</title></head><body><article>{body}</article></body></html>"
        (tmp_path / f"page{i:02d}.html").write_text(page if i != 20 else "<html><body></body></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsdesk: error:")]
    assert errors == [f"newsdesk: error: {tmp_path / 'page20.html'}: no article text found in the page"]
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in result.stdout.splitlines()}
    assert sorted(texts) == [f"page{i:02d}" for i in range(40) if i != 20]
    assert "newsletter number 4" in texts["page07"]
