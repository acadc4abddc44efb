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
