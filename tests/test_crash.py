"""Crash consistency: `ingest` killed with SIGKILL at random moments, then run again, leaves the same store
as one uninterrupted run (every table compared, timestamps and row ids aside).

NEWSDESK_KILL_TRIALS sets the number of kills (default 5 here, to keep `make test` short; 20 for the
issue's full check).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"
SKIP = {"ingested_at", "updated_at"}  # when, not what
PEOPLE = ("Lena Okoro", "Tomas Reyes", "Ilse Marquardt", "Ronan Petrakis", "Anneliese Brunner")
TOWNS = ("Arlen", "Brisk", "Corvale", "Dunmere", "Eskby", "Fallow")
TOPICS = ("harbour plan", "school budget", "bridge repair", "water tariff")


def _feed(path: Path, n: int) -> Path:
    """Reports of a few events (town x topic) over three weeks, naming the same people: several batches,
    stories and identities for a resumed run to get right."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            town, topic, person = TOWNS[i % 6], TOPICS[i % 4], PEOPLE[i % 5]
            text = (
                f"{town} council approves {topic}\n\n"
                f"The {town} council approved the {topic} on day {i % 21 + 1} after a long debate, and "
                f'{person} said it would cost {i % 9 + 3} million euros. "We will finish by {2026 + i % 3}," '
                f"{person.split()[1]} told reporters in {town} on Tuesday."
            )
            record = {"id": f"r{i:03d}", "published": f"2025-03-{i % 21 + 1:02d}", "outlet": f"outlet{i % 7}"}
            out.write(json.dumps(record | {"text": text}) + "\n")
    return path


def _digest(db: Path) -> dict[str, str]:
    out = {}
    with sqlite3.connect(db) as conn:
        tables = [
            name
            for (name,) in conn.execute("select name from sqlite_master where type = 'table'")
            if not name.startswith("sqlite") and "fts" not in name
        ]
        for table in tables:
            columns = [
                name
                for _, name, *_ in conn.execute(f"pragma table_info({table})")
                if name not in SKIP and not (table == "annotations" and name == "id")
            ]
            rows = sorted(
                json.dumps(row, default=str) for row in conn.execute(f"select {', '.join(columns)} from {table}")
            )
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def _ingest(inputs: list[Path], db: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "newsdesk", "ingest", *map(str, inputs), "--db", str(db)]
    # a session of its own: the kill reaches the command and any worker it started, as a crash would
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def _finished(run: subprocess.Popen) -> tuple[int, str]:
    _, err = run.communicate(timeout=600)
    return run.returncode, err


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_ingest_killed_at_random_moments_then_resumed_gives_the_same_store(tmp_path: Path) -> None:
    inputs = [DEMO, _feed(tmp_path / "feed.jsonl", 150)]
    started = time.monotonic()
    assert _finished(_ingest(inputs, tmp_path / "clean.db")) == (0, "")
    took = time.monotonic() - started
    expected = _digest(tmp_path / "clean.db")
    assert set(expected) >= {"articles", "annotations", "entities", "stories", "story_articles"}
    rng = random.Random(15)
    differences = []
    for trial in range(int(os.environ.get("NEWSDESK_KILL_TRIALS", "5"))):
        db = tmp_path / f"trial{trial}.db"
        run = _ingest(inputs, db)
        time.sleep(rng.uniform(0.05, 0.95) * took)
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        assert _finished(_ingest(inputs, db)) == (0, ""), trial
        found = _digest(db)
        differences += [(trial, table) for table in expected if found.get(table) != expected[table]]
    assert differences == []
