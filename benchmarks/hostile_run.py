"""A randomised hostile-input run: batches of the input kinds issue 15's probe used, written by this script,
ingested into one store for a given time. Reports tracebacks, lost articles and peak memory.

    python benchmarks/hostile_run.py [--minutes 10] [--seed 0]

Each batch holds good reports beside hostile files; after each `newsdesk ingest` every good report must be
in the store, stderr must hold no traceback, and the command's peak memory is recorded.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT_MB = 1024


def _good(rng: random.Random, n: int, batch: int) -> list[dict]:
    towns = ("Arlen", "Brisk", "Corvale", "Dunmere")
    out = []
    for i in range(n):
        town = rng.choice(towns)
        out.append(
            {
                "id": f"good-{batch}-{i}",
                "published": f"2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                "text": f"{town} council approves plan {batch}.{i}\n\nMayor Lena Okoro of {town} said on Tuesday "
                f"that plan {i} would cost {rng.randint(2, 90)} million euros, and the council agreed.",
            }
        )
    return out


def _hostile(rng: random.Random, folder: Path, batch: int) -> None:
    """One file of each of a random half of the hostile kinds."""
    kinds = {
        "deep-json": lambda p: p.with_suffix(".jsonl").write_text(
            '{"id": "d", "text": "x", "m": ' + "[" * 5000 + "]" * 5000 + "}\n"
        ),
        "far-dates": lambda p: p.with_suffix(".jsonl").write_text(
            "\n".join(
                json.dumps({"id": f"date-{batch}-{d}", "text": "Harbour strike ends after pay deal.", "published": d})
                for d in ("9999-12-31", "0001-01-01", "2201-05-05")
            )
        ),
        "surrogates": lambda p: p.with_suffix(".jsonl").write_text(
            '{"id": "s\\ud800' + str(batch) + '", "text": "Broken \\udfff text about the harbour strike."}\n'
        ),
        "empty-objects-gz": lambda p: Path(str(p) + ".jsonl.gz").write_bytes(gzip.compress(b"{}\n" * 200_000)),
        "blank-lines-gz": lambda p: Path(str(p) + ".jsonl.gz").write_bytes(gzip.compress(b"\n" * 30_000_000)),
        "oversized-line": lambda p: p.with_suffix(".jsonl").write_text(
            json.dumps({"id": "big", "text": "word " * 2_300_000}) + "\n"
        ),
        "utf16": lambda p: p.with_suffix(".jsonl").write_bytes(
            json.dumps({"id": f"u16-{batch}", "text": "Grève au port après l'accord salarial."}).encode("utf-16-le")
        ),
        "empty": lambda p: p.with_suffix(".jsonl").write_bytes(b""),
        "garbage": lambda p: p.with_suffix(".html").write_bytes(os.urandom(rng.randint(10, 200_000))),
        "no-text-page": lambda p: p.with_suffix(".html").write_text("<html><body><nav>Home</nav></body></html>"),
        "cjk": lambda p: p.with_suffix(".jsonl").write_text(
            json.dumps({"id": f"ja-{batch}", "text": "外務大臣は火曜日、ジュネーブに到着した。", "language": "ja"})
        ),
        "truncated-gz": lambda p: Path(str(p) + ".jsonl.gz").write_bytes(gzip.compress(b'{"id": "t"}\n' * 1000)[:-20]),
        "odd-name": lambda p: (p.parent / os.fsdecode(b"caf\xe9\nname.txt")).write_text("Harbour\n\nThe strike ended."),
        "big-page": lambda p: p.with_suffix(".html").write_text(
            "<html><body><article>" + "<p>The council met on Tuesday and approved the harbour plan.</p>" * 120_000
        ),
    }
    for name in rng.sample(sorted(kinds), len(kinds) // 2):
        kinds[name](folder / f"{name}-{batch}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    failures: list[str] = []
    good_ids: set[str] = set()
    peak_mb = 0.0
    batches = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        end = time.monotonic() + args.minutes * 60
        while time.monotonic() < end:
            folder = Path(tmp) / f"batch{batches}"
            folder.mkdir()
            good = _good(rng, rng.randint(3, 12), batches)
            (folder / "good.jsonl").write_text("\n".join(json.dumps(r) for r in good) + "\n")
            good_ids |= {r["id"] for r in good}
            _hostile(rng, folder, batches)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            run = subprocess.run([newsdesk, "ingest", str(folder), "--db", str(db)], capture_output=True, text=True)
            peak_mb = max(peak_mb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, before / 1024)
            if "Traceback" in run.stderr or run.returncode not in (0, 1):
                failures.append(f"batch {batches}: exit {run.returncode}: {run.stderr[-500:]}")
            with sqlite3.connect(db) as conn:
                stored = {row[0] for row in conn.execute("select id from articles")}
                unlinked = conn.execute(
                    "select count(*) from articles where id not in (select article from story_articles)"
                ).fetchone()[0]
            if good_ids - stored:
                failures.append(f"batch {batches}: lost {sorted(good_ids - stored)[:5]}")
            if unlinked:
                failures.append(f"batch {batches}: {unlinked} articles without a story")
            batches += 1
    result = {
        "minutes": args.minutes,
        "batches": batches,
        "good_articles": len(good_ids),
        "peak_memory_mb": round(peak_mb),
        "limit_mb": LIMIT_MB,
        "failures": failures,
    }
    print(json.dumps(result, indent=2))
    return 0 if not failures and peak_mb < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
