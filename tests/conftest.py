"""Fixtures shared by every layer: databases on both engines, the app, its client."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from app import create_app
from app.catalog.data import read_data_file
from app.config import Settings, normalize_database_url
from app.services.catalog import load as load_catalog

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("sqlite", "postgresql")
POSTGRES_SERVER_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


class PostgresServer:
    """Makes and drops throwaway databases on the PostgreSQL of TEST_DATABASE_URL."""

    def __init__(self, url: str) -> None:
        self.url = make_url(normalize_database_url(url))

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=self.url.host,
            port=self.url.port or 5432,
            user=self.url.username,
            password=self.url.password,
            dbname=self.url.database or "postgres",
            autocommit=True,
            connect_timeout=3,
        )

    def check(self) -> None:
        with self._admin() as connection:
            connection.execute("SELECT 1")

    def create(self) -> str:
        name = f"psoas_test_{uuid.uuid4().hex[:12]}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    server = PostgresServer(POSTGRES_SERVER_URL)
    try:
        server.check()
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at {POSTGRES_SERVER_URL} is not reachable: {exc}"
        if in_ci():
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)", pytrace=False)
        pytest.skip(message)
    return server


@pytest.fixture
def empty_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[str], str]]:
    """A factory: a new, empty database URL on the engine named."""
    made: list[tuple[PostgresServer, str]] = []

    def make(engine: str) -> str:
        if engine == "sqlite":
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create()
        made.append((server, url))
        return url

    yield make
    for server, url in made:
        server.drop(url)


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", normalize_database_url(database_url))
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


class Discard(io.TextIOBase):
    """A stream that keeps nothing: where the suite's access lines go."""

    def write(self, text: str) -> int:
        return len(text)


DISCARDED_LINES = Discard()


def make_app(database_url: str, extra: dict[str, str] | None = None) -> Flask:
    settings = Settings.from_environ(
        {
            "DATABASE_URL": database_url,
            "APP_ENV": "test",
            "SECRET_KEY": "test-secret",
            # Functional tests send thousands of requests from one address; the rate-limit
            # tests make apps with their own limits.
            "RATE_LIMIT_PUBLIC": "100000 per minute",
            "RATE_LIMIT_PER_KEY": "100000 per minute",
            "RATE_LIMIT_AUTH_FAILURES": "100000 per minute",
            **(extra or {}),
        }
    )
    app = create_app(settings)
    app.config["TESTING"] = True
    # Access lines are asserted where they are the subject (test_protections.py).
    app.extensions["access_log"].stream = DISCARDED_LINES
    return app


def migrate_and_load(url: str) -> str:
    """Bring an empty database to head and load the catalog, as bin/start does."""
    migrate(url)
    app = make_app(url)
    with app.extensions["db_sessionmaker"]() as session:
        load_catalog(session, read_data_file())
    app.extensions["db_engine"].dispose()
    return url


def loaded_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, engine: str
) -> Iterator[str]:
    if engine == "sqlite":
        yield migrate_and_load(f"sqlite:///{tmp_path_factory.mktemp('db') / 'catalog.db'}")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create()
    yield migrate_and_load(url)
    server.drop(url)


@pytest.fixture(scope="session", params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database with the catalog loaded, once per engine."""
    yield from loaded_database(request, tmp_path_factory, request.param)


@pytest.fixture(scope="session")
def sqlite_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    yield from loaded_database(request, tmp_path_factory, "sqlite")


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = make_app(database_url)
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def api_keys(app: Flask) -> tuple[str, str]:
    """Keys of two client apps (tenants) on the session's database."""
    from app.services.keys import create_key

    with app.extensions["db_sessionmaker"]() as session:
        return create_key(session, f"acme-{uuid.uuid4().hex[:6]}"), create_key(
            session, f"globex-{uuid.uuid4().hex[:6]}"
        )
