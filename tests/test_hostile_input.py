"""Hostile input: each defect the probe of issue 15 found in the readers and the command line, as a test.

Every input here is written by the test. What must hold: one clear error line naming the input, the
rest of the batch read, nothing printed or stored that is not valid UTF-8, and work bounded per input.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.errors import InputError
from newsdesk.model import RawDocument
from newsdesk.sources import Limits, iter_documents

GOOD = {"id": "good", "text": "Harbour workers voted on Tuesday to end the strike at Port Selwyn after a pay offer."}


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("newsdesk: error:")]


def test_a_json_line_nested_a_thousand_levels_deep_is_one_error_and_the_file_goes_on(tmp_path: Path) -> None:
    deep = '{"id": "deep", "text": "x", "extra": ' + "[" * 1000 + "]" * 1000 + "}"
    path = _jsonl(tmp_path / "feed.jsonl", deep, GOOD, {"id": "meta", "text": GOOD["text"], "m": [[[[1]]]]})
    items = list(iter_documents([path]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["good", "meta"]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [f"{path}:1: JSON nested deeper than {Limits().max_depth} levels"]


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1799-12-31", "2201-01-01T00:00:00"])
def test_a_date_outside_1800_to_2200_is_dropped_with_a_warning_and_the_article_clustered(
    tmp_path: Path, published: str
) -> None:
    path = _jsonl(
        tmp_path / "feed.jsonl", GOOD | {"published": published}, GOOD | {"id": "dated", "published": "2025-03-04"}
    )
    result = CliRunner().invoke(cli, ["cluster", str(path)])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {"good", "dated"}
    assert rows["good"]["story"]  # clustered, not lost
    assert "outside the years 1800-2200" in result.stderr


def test_a_far_future_date_in_a_page_is_dropped_too(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="article:published_time" content="9999-10-01T00:00:00Z"></head>'
        f"<body><article><p>{GOOD['text']}</p><p>{GOOD['text']} The union said so.</p></article></body></html>"
    )
    (tmp_path / "far.html").write_text(page, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "far.html")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["published"] is None


def test_a_file_name_that_is_not_utf8_is_read_printed_and_stored(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = os.fsdecode(b"caf\xe9-report.txt")  # Latin-1 bytes on a UTF-8 file system
    (corpus / name).write_text(f"Port strike ends\n\n{GOOD['text']}", encoding="utf-8")
    (corpus / "plain.txt").write_text(f"Port strike ends again\n\n{GOOD['text']} Again.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == ["caf\ufffd-report", "plain"]
    db = tmp_path / "news.db"
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles_in_db"] == 2


def test_lone_surrogates_in_a_record_become_replacement_characters(tmp_path: Path) -> None:
    line = '{"id": "a\\ud800b", "title": "T\\udc00", "text": "' + GOOD["text"] + ' \\udfff end."}'
    path = _jsonl(tmp_path / "feed.jsonl", line)
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "a\ufffdb"
    assert record["text"].endswith("\ufffd end.")


def test_errors_per_input_stop_at_the_limit_then_one_summary_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b"{}\n" * 5000 + json.dumps(GOOD).encode() + b"\n"))
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 1
    errors = _errors(result.stderr)
    limit = Limits().max_errors
    assert len(errors) == limit + 1
    assert errors[-1] == f"newsdesk: error: {path}: {5000 - limit} more problems not shown (at most {limit} per input)"
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]


def test_lines_per_input_are_bounded_even_when_blank(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "blank.jsonl", GOOD, *([""] * 50), GOOD | {"id": "late"})
    items = list(iter_documents([path], limits=Limits(max_records=20)))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["good"]
    assert [str(i) for i in items if isinstance(i, InputError)] == [
        f"{path}:21: stopped reading: over 20 lines in one input"
    ]


def test_max_bytes_applies_to_each_jsonl_record_and_stdin_line(tmp_path: Path) -> None:
    big = GOOD | {"id": "big", "text": "word " * 5000}
    path = _jsonl(tmp_path / "feed.jsonl", big, GOOD)
    result = CliRunner().invoke(cli, ["extract", str(path), "--max-bytes", "10000"])
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]
    assert _errors(result.stderr) == [f"newsdesk: error: {path}:1: record is over the 10000-byte limit"]
    piped = CliRunner().invoke(cli, ["extract", "-", "--max-bytes", "10000"], input=path.read_text(encoding="utf-8"))
    assert [json.loads(line)["id"] for line in piped.stdout.splitlines()] == ["good"]
    assert _errors(piped.stderr) == ["newsdesk: error: <stdin>:1: record is over the 10000-byte limit"]


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.jsonl.gz", "empty.warc.gz", "blank.jsonl"])
def test_an_empty_input_is_reported(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = b"\n\n" if name == "blank.jsonl" else b""
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert [str(i) for i in iter_documents([path])] == [f"{path}: empty input: no records"]


def test_utf16_json_lines_without_a_bom_are_read(tmp_path: Path) -> None:
    text = "\n".join(json.dumps(GOOD | {"id": f"r{i}", "title": "Grève à Port Selwyn"}) for i in range(3)) + "\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.jsonl"
        path.write_bytes(text.encode(encoding))
        items = list(iter_documents([path]))
        assert [i.id for i in items if isinstance(i, RawDocument)] == ["r0", "r1", "r2"], items
        assert items[0].title == "Grève à Port Selwyn"


def test_a_newline_in_a_file_name_stays_on_its_error_line(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname.jsonl"
    path.write_text("{not json}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    expected = f"newsdesk: error: {tmp_path}/bad\\nname.jsonl:1: invalid JSON (Expecting property name"
    assert [line[: len(expected)] for line in _errors(result.stderr)] == [expected]


@pytest.mark.shared
def test_the_seed_brief_is_the_same_under_three_hash_seeds_and_time_zones(shared_data: Path) -> None:
    outputs = set()
    for seed, zone in (("1", "UTC"), ("4", "America/Los_Angeles"), ("5", "Asia/Tokyo")):
        env = os.environ | {"PYTHONHASHSEED": seed, "TZ": zone}
        run = subprocess.run(
            [sys.executable, "-m", "newsdesk", "brief", str(shared_data / "seeds"), "--format", "json"],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1


def _stored(db: Path) -> dict[str, list]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {
            "articles": sorted(r[0] for r in conn.execute("select id from articles")),
            "analysed": sorted(r[0] for r in conn.execute("select id from articles where analyzed_hash is not null")),
            "linked": sorted(r[0] for r in conn.execute("select article from story_articles")),
            "annotated": sorted(r[0] for r in conn.execute("select distinct article from annotations")),
        }


def _reports(path: Path, n: int) -> Path:
    towns = ("Arlen", "Brisk", "Corvale", "Dunmere")
    return _jsonl(
        path,
        *(
            {
                "id": f"r{i}",
                "published": f"2025-03-{i % 20 + 1:02d}",
                "text": f"{towns[i % 4]} council approves harbour plan {i}\n\nMayor Lena Okoro of {towns[i % 4]} said "
                f"on Tuesday that plan {i} would cost {i + 10} million euros and open in {2026 + i % 3}.",
            }
            for i in range(n)
        ),
    )


def test_a_crash_while_linking_leaves_no_analysed_article_without_a_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Annotations and stories are one unit of work: a crash between them keeps neither, and the next
    ingest analyses and links every article."""
    import newsdesk.ingest

    feed, db = _reports(tmp_path / "feed.jsonl", 6), tmp_path / "news.db"

    def crash(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # what a kill between the two commits looked like to the store

    with monkeypatch.context() as patch:
        patch.setattr(newsdesk.ingest.StoryLinker, "link", crash)
        CliRunner().invoke(cli, ["ingest", str(feed), "--db", str(db)])
    after_crash = _stored(db)
    assert after_crash["articles"] == [f"r{i}" for i in range(6)]
    assert after_crash["analysed"] == after_crash["annotated"] == after_crash["linked"] == []
    result = CliRunner().invoke(cli, ["ingest", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _stored(db)["linked"] == _stored(db)["analysed"] == [f"r{i}" for i in range(6)]


def test_analysed_articles_left_without_a_story_by_an_older_version_are_linked_on_the_next_ingest(
    tmp_path: Path,
) -> None:
    import sqlite3

    feed, db = _reports(tmp_path / "feed.jsonl", 4), tmp_path / "news.db"
    assert CliRunner().invoke(cli, ["ingest", str(feed), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("delete from story_articles where article in ('r1', 'r3')")
    assert _stored(db)["linked"] == ["r0", "r2"]
    result = CliRunner().invoke(cli, ["ingest", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _stored(db)["linked"] == ["r0", "r1", "r2", "r3"]


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its parent's reaping is left


@pytest.mark.skipif(not Path("/proc").is_dir() or (os.cpu_count() or 1) < 2, reason="needs /proc and 2 cores")
def test_worker_processes_die_with_a_killed_parent(tmp_path: Path) -> None:
    import signal
    import time

    pages = tmp_path / "pages"
    pages.mkdir()
    paragraph = "<p>The harbour council met on Tuesday and approved the plan after a long debate about costs.</p>"
    for i in range(3000):
        (pages / f"p{i:04d}.html").write_text(f"<html><body><article>{paragraph * 8}</article></body></html>")
    command = [sys.executable, "-m", "newsdesk", "extract", str(pages), "--out", str(tmp_path / "out.jsonl")]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline and parent.poll() is None:
        time.sleep(0.2)
        found = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True, check=False)
        children = [int(pid) for pid in found.stdout.split()]
    assert children, "no worker processes started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)]


def test_a_second_ingest_into_the_same_store_waits_for_the_first_with_a_message(tmp_path: Path) -> None:
    import time

    from newsdesk.store import Store

    feed, db = _reports(tmp_path / "feed.jsonl", 3), tmp_path / "news.db"
    command = [sys.executable, "-m", "newsdesk", "ingest", str(feed), "--db", str(db), "--no-analyze"]
    with Store(db) as store, store.writer_lock():
        second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert second.poll() is None  # still waiting while the first writer holds the store
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert f"another ingest is writing to {db}; waiting for it to finish" in err
    assert json.loads(out)["articles_in_db"] == 3
