"""The same store and web API on PostgreSQL: a throwaway server started from the machine's
PostgreSQL binaries (Debian's package; the test skips where there are none)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import DEMO, HOSTILE


def _binary(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


INITDB, PG_CTL = _binary("initdb"), _binary("pg_ctl")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    pytest.importorskip("psycopg")
    if INITDB is None or PG_CTL is None:
        pytest.skip("PostgreSQL server binaries not installed")
    prefix: list[str] = []
    # not under pytest's tmp_path: its root-only parent would keep the postgres user out
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    if os.geteuid() == 0:  # the server refuses to run as root
        if shutil.which("runuser") is None or subprocess.run(["id", "postgres"], capture_output=True).returncode:
            pytest.skip("running as root with no postgres user to start the server as")
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
        folder.chmod(0o700)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = folder / "data"
    subprocess.run([*prefix, INITDB, "-D", str(data), "-A", "trust", "-U", "newsdesk"], check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*prefix, PG_CTL, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://newsdesk@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, PG_CTL, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_ingest_and_browse_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    import json

    from fastapi.testclient import TestClient

    from newsdesk.analysis import Analyzer
    from newsdesk.extraction import iter_extract
    from newsdesk.ingest import ingest
    from newsdesk.model import Article
    from newsdesk.sources import iter_documents
    from newsdesk.store import Store
    from newsdesk.web import WebSettings, create_app

    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    long_id = {**HOSTILE, "id": "x" * 500}  # story ids grow from article ids: no column may be too narrow
    (tmp_path / "long.jsonl").write_text(json.dumps(long_id) + "\n", encoding="utf-8")
    with Store(postgres_url) as store:
        documents = iter_documents([DEMO / "corpus", hostile, tmp_path / "long.jsonl"])
        report = ingest((a for a in iter_extract(documents) if isinstance(a, Article)), store, Analyzer())
        assert len(report.analyzed) == 14
    client = TestClient(create_app(WebSettings(postgres_url, api_key="k")))
    stories = client.get("/api/stories").json()
    assert stories["total"] >= 3
    assert sum(s["articles"] for s in stories["items"]) == 14
    assert client.get("/api/stories", params={"q": "bushfire"}).json()["total"] >= 1
    assert client.get("/api/articles", params={"q": "Geneva"}).json()["total"] >= 1
    brunner = client.get("/api/entities", params={"q": "brunner"}).json()["items"][0]
    assert client.get("/api/stories", params={"entity": brunner["id"]}).json()["total"] >= 1
    story = client.get(f"/api/stories/{stories['items'][0]['id']}").json()
    assert story["brief"]["summary"]
    page = client.get(f"/articles/{HOSTILE['id']}").text
    assert "&lt;script&gt;" in page
    assert "<script" not in page


def test_writers_of_one_postgres_store_take_turns(postgres_url: str) -> None:
    import threading
    import time

    from newsdesk.store import Store

    events: list[str] = []

    def second_writer() -> None:
        with Store(postgres_url) as other, other.writer_lock(lambda: events.append("waiting")):
            events.append("second writes")

    with Store(postgres_url) as store, store.writer_lock():
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(1.5)
        events.append("first done")
    thread.join(timeout=30)
    assert events == ["waiting", "first done", "second writes"]
