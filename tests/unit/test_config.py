"""Settings come from the environment and are checked at start-up."""

import pytest

from app.config import DEVELOPMENT_SECRET, ConfigError, Settings


def test_defaults_give_a_sqlite_file_in_the_project():
    settings = Settings.from_environ({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("instance/psoas.db")
    assert settings.secret_key == DEVELOPMENT_SECRET


def test_postgres_urls_use_psycopg_3():
    settings = Settings.from_environ({"DATABASE_URL": "postgres://u@h:5432/db"})
    assert settings.database_url == "postgresql+psycopg://u@h:5432/db"


def test_production_refuses_to_start_without_a_secret():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_environ({"APP_ENV": "production"})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"APP_ENV": "staging"}, "APP_ENV"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"CACHE_MAX_AGE": "soon"}, "CACHE_MAX_AGE"),
        ({"DATABASE_CONNECT_TIMEOUT": "0"}, "DATABASE_CONNECT_TIMEOUT"),
    ],
)
def test_malformed_settings_name_the_variable(environ, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_environ(environ)
