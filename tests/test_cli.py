"""The command-line contract: JSON Lines out, stdin in, clear errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsdesk.cli import cli

CONTRACT_KEYS = {"id", "title", "text", "language", "published", "outlet", "url", "removed"}


def test_extract_prints_contract_records(runner: CliRunner, demo_corpus: Path) -> None:
    result = runner.invoke(cli, ["extract", str(demo_corpus)])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 12
    for record in records:
        assert set(record) >= CONTRACT_KEYS
        assert isinstance(record["removed"], list)
        assert record["text"].strip()
    languages = {r["id"]: r["language"] for r in records}
    assert languages["elobservador-represa-ginebra"] == "es"
    assert languages["courrierlemanique-accord-varsha"] == "fr"
    assert languages["meridianpost-geneva-dam-talks"] == "en"
    wire = {r["id"]: r for r in records}["cpa-20250303-varsha-talks"]
    assert wire["outlet"] == "Continental Press Agency"
    assert wire["published"].startswith("2025-03-03")
    assert wire["metadata"]["section"]


def test_extract_reads_stdin_and_writes_out_file(runner: CliRunner, tmp_path: Path) -> None:
    line = json.dumps({"id": "s1", "text": "Harbour reopens\n\nThe harbour reopened on Monday after the strike ended."})
    out = tmp_path / "o" / "articles.jsonl"
    result = runner.invoke(cli, ["extract", "-", "--out", str(out)], input=line + "\n")
    assert result.exit_code == 0
    [record] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "s1"
    assert record["title"] == "Harbour reopens"
    # text handed in as text keeps its headline (so names in it can be annotated and cited)
    assert record["text"] == "Harbour reopens\n\nThe harbour reopened on Monday after the strike ended."


def test_ingest_list_show(runner: CliRunner, tmp_path: Path, demo_corpus: Path) -> None:
    db = str(tmp_path / "news.db")
    result = runner.invoke(cli, ["ingest", str(demo_corpus), "--db", db])  # analyses too
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) | {"db": db} == {
        "added": 12,
        "updated": 0,
        "unchanged": 0,
        "analyzed": 12,
        "failed": 0,
        "articles_in_db": 12,
        "db": db,
    }
    again = json.loads(runner.invoke(cli, ["ingest", str(demo_corpus), "--db", db]).stdout)
    assert (again["added"], again["unchanged"], again["articles_in_db"]) == (0, 12, 12)
    rows = [json.loads(x) for x in runner.invoke(cli, ["list", "--db", db, "--language", "fr"]).stdout.splitlines()]
    assert [r["id"] for r in rows] == ["courrierlemanique-accord-varsha"]
    shown = json.loads(runner.invoke(cli, ["show", "southernhorizon-wandoon-fire", "--db", db]).stdout)
    assert shown["outlet"] == "The Southern Horizon"
    assert shown["removed"]
    missing = runner.invoke(cli, ["show", "nope", "--db", db])
    assert missing.exit_code == 1
    assert "no article with id 'nope'" in missing.stderr


def test_list_without_database_explains(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["list", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "newsdesk ingest" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for command in ("extract", "ingest", "list", "show"):
        result = runner.invoke(cli, [command, "-h"])
        assert result.exit_code == 0
        assert "Example" in result.stdout
        assert f"newsdesk {command}" in result.stdout
