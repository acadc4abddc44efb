"""Shared fixtures: the project's own sample files, and ../shared/data when it is present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from spacy.language import Language

from newsdesk.analysis.models import load_pipeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DEMO = ROOT / "demo"
SHARED_DATA = Path(os.environ.get("NEWSDESK_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def demo_corpus() -> Path:
    return DEMO / "corpus"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The development data sets; tests that need them skip on a fresh clone without ../shared."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# The spaCy pipelines newsdesk runs (loaded once per process by load_pipeline), by language.
@pytest.fixture(scope="session")
def en() -> Language:
    return load_pipeline("en").nlp


@pytest.fixture(scope="session")
def fr() -> Language:
    return load_pipeline("fr").nlp


@pytest.fixture(scope="session")
def es() -> Language:
    return load_pipeline("es").nlp


# An article written to attack the pages: markup in its title, outlet, address and text.
HOSTILE = {
    "id": "hostile-dam-report",
    "title": "<script>alert('title')</script> Dam talks <img src=x onerror=alert(1)>",
    "outlet": "<b onmouseover=alert(2)>Evil Outlet</b>" + "-Newsnetwork" * 20,  # one long word: layouts must wrap
    "url": "javascript:alert(3)",
    "published": "2025-03-05",
    "language": "en",
    "text": (
        "<script>alert('body')</script> Negotiators from Kaltavia and Azmeria met again in Geneva on Wednesday.\n\n"
        'Annelise Brunner, the mediator, said: "<img src=x onerror=alert(4)> we are close to an agreement."\n\n'
        "The Varsha dam would release 900 cubic metres of water per second in summer."
    ),
}


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo corpus and one hostile article, analysed and clustered."""
    import json

    from newsdesk.analysis import Analyzer
    from newsdesk.extraction import iter_extract
    from newsdesk.ingest import ingest
    from newsdesk.model import Article
    from newsdesk.sources import iter_documents
    from newsdesk.store import Store

    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = folder / "news.db"
    documents = iter_documents([DEMO / "corpus", hostile])
    with Store(db) as store:
        ingest((a for a in iter_extract(documents) if isinstance(a, Article)), store, Analyzer())
    return db
