"""alembic on an empty database gives exactly the models, and downgrades to nothing."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.config import normalize_database_url
from app.models import Base
from tests.conftest import ENGINES, alembic_config, migrate


@pytest.mark.parametrize("engine_name", ENGINES)
def test_upgrade_head_on_an_empty_database_matches_the_models(empty_database, engine_name):
    url = empty_database(engine_name)
    migrate(url)
    engine = create_engine(normalize_database_url(url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_downgrade_to_base_removes_every_table(empty_database, engine_name):
    url = empty_database(engine_name)
    migrate(url)
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(normalize_database_url(url))
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
