"""Loading the data file: exact, idempotent, and a changed file updates in place."""

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app.catalog.data import read_data_file
from app.catalog.loader import read_catalog
from app.config import normalize_database_url
from app.models import Exercise, ExerciseMuscle, LadderLevel, Muscle, Rule
from app.services.catalog import load as load_catalog
from tests.conftest import ENGINES, migrate

DATA = read_data_file()


@pytest.fixture(params=ENGINES)
def session(request, empty_database):
    url = empty_database(request.param)
    migrate(url)
    engine = create_engine(normalize_database_url(url))
    with Session(engine) as db_session:
        yield db_session
    engine.dispose()


def counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (Muscle, Exercise, ExerciseMuscle, LadderLevel, Rule)
    }


def test_the_database_holds_exactly_the_data_file(session):
    assert load_catalog(session, DATA) is True
    assert read_catalog(session) == DATA


def test_loading_twice_changes_nothing(session):
    load_catalog(session, DATA)
    before = counts(session)
    assert load_catalog(session, DATA) is False
    assert (
        counts(session)
        == before
        == {
            "muscles": 4,
            "exercises": 7,
            "exercise_muscles": 21,
            "ladder_levels": 5,
            "rules": len(DATA.rules),
        }
    )


def test_a_changed_file_updates_rows_in_place_without_duplicates(session):
    load_catalog(session, DATA)
    exercises = [
        replace(e, name="Deep Walking Lunge", muscles=["gluteus-maximus"])
        if e.slug == "deep-lunge"
        else e
        for e in DATA.exercises
        if e.slug != "high-box-step-up"
    ]
    rules = [r for r in DATA.rules if r.slug != "high-hip-flexion"]
    changed = replace(DATA, version=2, checksum="changed", exercises=exercises, rules=rules)
    assert load_catalog(session, changed) is True
    session.expire_all()
    assert read_catalog(session) == changed
    assert counts(session)["exercises"] == 6
    assert counts(session)["rules"] == len(DATA.rules) - 1


def test_never_loaded_reads_as_none(session):
    assert read_catalog(session) is None
