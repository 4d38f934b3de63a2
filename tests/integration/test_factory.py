"""create_app: every documented route registered, the pipeline in its order, bad settings refused.

No database is touched: the app's engine connects lazily, on a request that needs it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.config import ConfigError, Settings
from app.web import KEYED_PREFIXES, pipeline
from tests.conftest import DISCARDED_LINES, ROOT

SPEC = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
LEAKED_KEY = "psk_0123abcd_" + "a" * 43


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    database = tmp_path_factory.mktemp("factory") / "never-opened.db"
    settings = Settings(
        database_url=f"sqlite:///{database}", secret_key="factory-secret", environment="test"
    )
    application = create_app(settings)
    application.config["TESTING"] = True
    application.extensions["access_log"].stream = DISCARDED_LINES
    yield application
    application.extensions["db_engine"].dispose()


def operations(paths: dict) -> set[tuple[str, str]]:
    return {
        (path, method.upper())
        for path, item in paths.items()
        for method in item
        if method in HTTP_METHODS
    }


def as_openapi_path(rule: str) -> str:
    """`/v1/athletes/<uuid:athlete_id>` as the spec writes it: `/v1/athletes/{athlete_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def registered(app: Flask) -> set[tuple[str, str]]:
    return {
        (as_openapi_path(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}  # Flask adds both to every route
    }


def test_every_documented_operation_is_routed_and_nothing_else(app):
    documented = operations(SPEC["paths"])
    assert len(documented) >= 30
    assert registered(app) == documented


def test_the_published_spec_has_the_same_operations(app):
    assert operations(app.extensions["smorest_api"].spec.to_dict()["paths"]) == operations(
        SPEC["paths"]
    )


def test_ids_in_paths_are_parsed_as_uuids(app):
    keyed = [r for r in app.url_map.iter_rules() if pipeline.under(r.rule, KEYED_PREFIXES)]
    assert keyed
    for rule in keyed:
        for name in rule.arguments:
            assert f"<uuid:{name}>" in rule.rule, rule.rule


def name_of(hook: object) -> str:
    return str(getattr(hook, "__qualname__", hook))


def same_step(registered: object, documented: object) -> bool:
    """The same function (a closure made by another call counts when its name matches)."""
    return registered == documented or (
        "<locals>" in name_of(documented) and name_of(registered) == name_of(documented)
    )


def test_the_before_hooks_are_the_pipelines_in_its_order(app):
    limiter = app.extensions["rate_limiter"]
    documented = pipeline.before_view(limiter, KEYED_PREFIXES)
    installed = app.before_request_funcs[None]
    assert [name_of(h) for h in installed] == [name_of(h) for h in documented]
    assert all(same_step(r, d) for r, d in zip(installed, documented, strict=True))
    # The order the API has always had, spelled out: a swap in pipeline.py fails here.
    assert [name_of(h).rsplit(".", 1)[-1] for h in installed] == [
        "assign_request_id",
        "require_host",
        "refuse_repeated_fields",
        "require_utf8_query",
        "read_the_body",
        "before_request",  # the rate limiter's
        "refuse_keys_outside_the_authorization_header",
        "reject_unknown_query_parameters",
        "authenticate_keyed_routes",
    ]


def test_the_after_hooks_run_in_the_pipelines_order(app):
    documented = pipeline.after_view(app.extensions["rate_limiter"], app.extensions["access_log"])
    # Flask runs after_request hooks last registered first.
    running_order = list(reversed(app.after_request_funcs[None]))
    assert [name_of(h) for h in running_order] == [name_of(h) for h in documented]
    assert all(same_step(r, d) for r, d in zip(running_order, documented, strict=True))
    assert [name_of(h).rsplit(".", 1)[-1] for h in running_order] == [
        "bodiless",
        "after_request",  # the rate limiter's
        "browser_headers",
        "record",  # metrics
        "<lambda>",  # the access line, last: it sees the final status
    ]


def test_a_request_goes_through_the_hooks_in_order(app):
    client = app.test_client()
    # Both are refused by before hooks, so the view (and the database) is never reached.
    # A leaked key is said before the unknown parameter next to it.
    leaked = client.get(f"/v1/muscles?bogus=1&token={LEAKED_KEY}")
    assert leaked.status_code == 401
    assert "treat this one as leaked" in leaked.get_json()["detail"]
    unknown = client.get("/v1/muscles?bogus=1")
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["bogus"]
    for answer in (leaked, unknown):
        # The request id comes first, and the limiter counts before the checks: a refusal
        # carries both.
        assert answer.headers["X-Request-ID"]
        assert "X-RateLimit-Limit" in answer.headers


def test_the_settings_reach_the_app(app):
    settings = app.config["SETTINGS"]
    assert app.config["SECRET_KEY"] == "factory-secret"
    assert app.config["MAX_CONTENT_LENGTH"] == settings.max_body_bytes
    assert app.config["CATALOG_CACHE_CONTROL"] == f"public, max-age={settings.cache_max_age}"
    assert app.extensions["db_engine"].url.render_as_string() == settings.database_url
    # The engine connects on first use: building the app opened no database.
    assert not Path(settings.database_url.removeprefix("sqlite:///")).exists()


GOOD = {"APP_ENV": "test", "SECRET_KEY": "s", "DATABASE_URL": "sqlite:///x.db"}


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"DATABASE_URL": "psoas.db"}, "DATABASE_URL"),
        ({"APP_ENV": "production", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL"),
        ({"RATE_LIMIT_PUBLIC": "plenty"}, "RATE_LIMIT_PUBLIC"),
        ({"PORT": "eighty"}, "PORT"),
        ({"MAX_BODY_BYTES": "10"}, "MAX_BODY_BYTES"),
        (
            {"DATABASE_STATEMENT_TIMEOUT_MS": "30000", "GUNICORN_TIMEOUT": "30"},
            "DATABASE_STATEMENT_TIMEOUT_MS",
        ),
    ],
)
def test_a_bad_setting_is_refused_naming_it(changes, named):
    with pytest.raises(ConfigError, match=named):
        Settings.from_environ({**GOOD, **changes})


def test_good_settings_are_accepted_and_normalised():
    settings = Settings.from_environ({**GOOD, "DATABASE_URL": "postgres://u@db:5432/psoas"})
    assert settings.database_url == "postgresql+psycopg://u@db:5432/psoas"
    assert (settings.environment, settings.secret_key) == ("test", "s")


def test_create_app_without_settings_reads_the_environment_and_refuses_a_bad_one(monkeypatch):
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.setenv("DATABASE_URL", "not a database url")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()
