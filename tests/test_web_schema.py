"""Schemathesis against the OpenAPI schema: no generated request, valid or not, makes a 500."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from newsdesk.web import WebSettings, create_app

KEY = "schema-key"


@pytest.fixture(scope="module")
def api_schema(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> schemathesis.BaseSchema:
    db = tmp_path_factory.mktemp("schema") / "news.db"
    shutil.copy(web_db, db)  # generated writes go to a copy
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(WebSettings(str(db), api_key=KEY)))


# schemathesis' own pytest plugin does not run under pytest 9 yet; its strategies do, through hypothesis.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_a_server_error(api_schema: schemathesis.BaseSchema, mode: GenerationMode) -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=api_schema.as_strategy(mode))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"X-API-Key": KEY}, checks=[not_a_server_error])

    check()
