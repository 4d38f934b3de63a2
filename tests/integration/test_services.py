"""The services called directly, on both databases: what they commit, and what they refuse.

Each test makes its own client apps (uuid-named), so it never sees another test's rows.
Every write is read back through a new session: what a service committed, not what its
session remembers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine
from app.domain.ladder import BandTension, Position
from app.domain.workouts import Side, WorkoutContext
from app.models import (
    ApiKey,
    Athlete,
    ClientApp,
    ExerciseProgress,
    IdempotencyRecord,
    Workout,
    WorkoutSet,
)
from app.models.base import utc_now
from app.services import athletes, catalog, idempotency, keys, workouts
from app.services.errors import (
    Conflict,
    Invalid,
    NotFound,
    RetryInFlight,
    RetryMismatch,
    Stale,
    Unavailable,
    VersionRequired,
)
from app.services.idempotency import Reply, fingerprint, run_once
from app.services.versions import ANY_VERSION, Expected
from app.services.workouts import SetInput, WorkoutInput
from tests.conftest import ENGINES, migrate

HALF_KNEELING = "half-kneeling-banded-psoas-hold"  # level 3: takes a band
STANDING = "standing-psoas-activation"  # level 2: no band

Opener = Callable[[], Session]


def engine_for(database_url: str) -> Engine:
    """The app's own engine (psycopg URL, SQLite foreign keys on), as a request gets it."""
    return make_engine(
        Settings.from_environ(
            {"DATABASE_URL": database_url, "APP_ENV": "test", "SECRET_KEY": "test-secret"}
        )
    )


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    made = engine_for(database_url)
    yield made
    made.dispose()


@pytest.fixture
def new_session(engine: Engine) -> Iterator[Opener]:
    """Opens sessions as the web layer does; every one is closed when the test ends."""
    maker = sessionmaker(engine, expire_on_commit=False)
    opened: list[Session] = []

    def open_session() -> Session:
        session = maker()
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def new_client_app(new_session: Opener) -> int:
    session = new_session()
    client_app_id = keys.client_app_for(session, keys.create_key(session, unique("svc")))
    assert client_app_id is not None
    return client_app_id


@pytest.fixture
def client_app(new_session: Opener) -> int:
    return new_client_app(new_session)


def create(
    new_session: Opener, client_app_id: int, external_id: str | None = None, name: str = "Ann"
) -> uuid.UUID:
    """An athlete created as the API does it: through run_once, without a key."""
    session = new_session()
    external_id = external_id or unique("ext")

    def write(db: Session) -> Reply:
        athlete = athletes.create_athlete(db, client_app_id, external_id, name)
        return Reply(201, str(athlete.id), {})

    outcome = run_once(session, client_app_id, None, "", write)
    assert outcome.replayed is False
    return uuid.UUID(outcome.reply.text)


def stored_athlete(new_session: Opener, athlete_id: uuid.UUID) -> Athlete | None:
    return new_session().get(Athlete, athlete_id)


def count(new_session: Opener, model: Any, *where: Any) -> int:
    return new_session().scalar(select(func.count()).select_from(model).where(*where)) or 0


# ----------------------------------------------------------------------------- athletes


def test_a_created_athlete_is_committed(new_session, client_app):
    athlete_id = create(new_session, client_app, "ann-1", "Ann")
    stored = stored_athlete(new_session, athlete_id)
    assert stored is not None
    assert (stored.client_app_id, stored.external_id, stored.display_name, stored.version) == (
        client_app,
        "ann-1",
        "Ann",
        1,
    )
    page = athletes.list_athletes(new_session(), client_app, after=None, limit=10)
    assert [a.id for a in page] == [athlete_id]


def test_a_duplicate_external_id_is_a_conflict(new_session, client_app):
    create(new_session, client_app, "dup")
    session = new_session()
    with pytest.raises(Conflict) as refused:
        athletes.create_athlete(session, client_app, "dup", "Twin")
    assert refused.value.fields == ("external_id",)
    assert "dup" in refused.value.message
    session.rollback()
    assert count(new_session, Athlete, Athlete.client_app_id == client_app) == 1


def test_the_unique_constraint_backs_the_duplicate_check(new_session, client_app, monkeypatch):
    """Two creations that both pass the check (a race): the database refuses the second."""
    create(new_session, client_app, "raced")
    monkeypatch.setattr(athletes, "_by_external_id", lambda *_args: None)
    session = new_session()
    with pytest.raises(Conflict) as refused:
        athletes.create_athlete(session, client_app, "raced", "Twin")
    assert refused.value.fields == ("external_id",)
    # The service rolled the failed flush back: the same session is usable again.
    mine = select(func.count()).select_from(Athlete).where(Athlete.client_app_id == client_app)
    assert session.scalar(mine) == 1


def test_the_same_external_id_in_another_client_app_is_fine(new_session, client_app):
    other = new_client_app(new_session)
    first, second = create(new_session, client_app, "shared"), create(new_session, other, "shared")
    assert first != second


def test_another_client_apps_athlete_is_not_found(new_session, client_app):
    athlete_id = create(new_session, client_app)
    other = new_client_app(new_session)
    session = new_session()
    with pytest.raises(NotFound):
        athletes.get_athlete(session, other, athlete_id)
    with pytest.raises(NotFound):
        workouts.progress(session, other, athlete_id)
    assert athletes.list_athletes(session, other, after=None, limit=10) == []
    assert athletes.get_athlete(session, client_app, athlete_id).id == athlete_id


def test_an_update_without_a_version_is_refused_and_changes_nothing(new_session, client_app):
    athlete_id = create(new_session, client_app, "v-req", "Ann")
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="update")
    with pytest.raises(VersionRequired):
        athletes.update_athlete(session, athlete, None, {"display_name": "Bob"})
    session.rollback()
    stored = stored_athlete(new_session, athlete_id)
    assert (stored.display_name, stored.version) == ("Ann", 1)


def test_an_update_naming_the_current_version_commits(new_session, client_app):
    athlete_id = create(new_session, client_app, "v-ok", "Ann")
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="update")
    athletes.update_athlete(
        session, athlete, Expected(frozenset({1})), {"display_name": "Bob", "external_id": "v-2"}
    )
    stored = stored_athlete(new_session, athlete_id)
    assert (stored.display_name, stored.external_id, stored.version) == ("Bob", "v-2", 2)
    assert stored.updated_at >= stored.created_at


def test_an_update_naming_an_old_version_is_stale_and_changes_nothing(new_session, client_app):
    athlete_id = create(new_session, client_app, "v-old", "Ann")
    first = new_session()
    athletes.update_athlete(
        first,
        athletes.get_athlete(first, client_app, athlete_id),
        Expected(frozenset({1})),
        {"display_name": "Bob"},
    )
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="update")
    with pytest.raises(Stale) as refused:
        athletes.update_athlete(session, athlete, Expected(frozenset({1})), {"display_name": "Cy"})
    assert refused.value.subject == "athlete"
    session.rollback()
    stored = stored_athlete(new_session, athlete_id)
    assert (stored.display_name, stored.version) == ("Bob", 2)


def test_a_concurrent_update_makes_the_slower_one_stale(new_session, client_app):
    """Both read version 1; the second write matches no row: Stale, not a lost update."""
    athlete_id = create(new_session, client_app, "race", "Ann")
    slow, fast = new_session(), new_session()
    slow_copy = athletes.get_athlete(slow, client_app, athlete_id)
    fast_copy = athletes.get_athlete(fast, client_app, athlete_id)
    athletes.update_athlete(fast, fast_copy, Expected(frozenset({1})), {"display_name": "Fast"})
    with pytest.raises(Stale):
        athletes.update_athlete(slow, slow_copy, Expected(frozenset({1})), {"display_name": "Slow"})
    stored = stored_athlete(new_session, athlete_id)
    assert (stored.display_name, stored.version) == ("Fast", 2)


def test_an_update_to_a_taken_external_id_is_a_conflict(new_session, client_app):
    create(new_session, client_app, "taken")
    athlete_id = create(new_session, client_app, "mine")
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id)
    with pytest.raises(Conflict) as refused:
        athletes.update_athlete(session, athlete, ANY_VERSION, {"external_id": "taken"})
    assert refused.value.fields == ("external_id",)
    session.rollback()
    assert stored_athlete(new_session, athlete_id).external_id == "mine"


def test_a_delete_naming_an_old_version_is_stale(new_session, client_app):
    athlete_id = create(new_session, client_app)
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="update")
    with pytest.raises(Stale):
        athletes.delete_athlete(session, athlete, Expected(frozenset({7})))
    session.rollback()
    assert stored_athlete(new_session, athlete_id) is not None


def test_a_delete_commits_and_takes_the_workouts_along(new_session, client_app):
    athlete_id = create(new_session, client_app)
    log(new_session, client_app, athlete_id, workout_input())
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="update")
    athletes.delete_athlete(session, athlete, None)
    assert stored_athlete(new_session, athlete_id) is None
    # Through the foreign keys (on SQLite too: the app's engine turns them on).
    assert count(new_session, Workout, Workout.athlete_id == athlete_id) == 0
    assert count(new_session, WorkoutSet, WorkoutSet.athlete_id == athlete_id) == 0
    assert count(new_session, ExerciseProgress, ExerciseProgress.athlete_id == athlete_id) == 0
    with pytest.raises(NotFound):
        athletes.get_athlete(new_session(), client_app, athlete_id)


def test_deleting_an_athlete_already_gone_is_not_found(new_session, client_app):
    athlete_id = create(new_session, client_app)
    late = new_session()
    late_copy = athletes.get_athlete(late, client_app, athlete_id)
    first = new_session()
    athletes.delete_athlete(first, athletes.get_athlete(first, client_app, athlete_id), None)
    with pytest.raises(NotFound):
        athletes.delete_athlete(late, late_copy, None)


# ----------------------------------------------------------------------------- workouts


def reps(count: int, hold: float) -> list[dict[str, Any]]:
    return [{"hold_seconds": hold, "strict_form": True, "high_flexion": True}] * count


L3_MEDIUM = Position(3, BandTension.MEDIUM)


def both_sides(
    exercise: str = HALF_KNEELING, position: Position = L3_MEDIUM, hold: float = 5
) -> list[SetInput]:
    return [
        SetInput(exercise, position, Side.LEFT, reps(5, hold)),
        SetInput(exercise, position, Side.RIGHT, reps(5, hold)),
    ]


def workout_input(
    sets: list[SetInput] | None = None,
    *,
    days_ago: float = 1,
    at: datetime | None = None,
    notes: str | None = "Before squats.",
) -> WorkoutInput:
    performed_at = at or datetime.now(UTC) - timedelta(days=days_ago)
    return WorkoutInput(
        performed_at, WorkoutContext.ACTIVATION, notes, sets or both_sides(), lifts=[]
    )


def log(
    new_session: Opener,
    client_app_id: int,
    athlete_id: uuid.UUID,
    data: WorkoutInput,
    key: str | None = None,
) -> uuid.UUID:
    """A workout logged as the API does it: the athlete held, through run_once."""
    session = new_session()

    def write(db: Session) -> Reply:
        athlete = athletes.get_athlete(db, client_app_id, athlete_id, lock="share")
        workout = workouts.log_workout(db, athlete, data, datetime.now(UTC))
        return Reply(201, str(workout.id), {})

    outcome = run_once(session, client_app_id, key, fingerprint(key), write)
    return uuid.UUID(outcome.reply.text)


@dataclass(frozen=True)
class Summary:
    workouts: int
    sets: int
    counted_sets: int
    best_hold_seconds: float | None
    band_tension: str


def progress_of(new_session: Opener, client_app_id: int, athlete_id: uuid.UUID) -> dict:
    rows = workouts.progress(new_session(), client_app_id, athlete_id)
    return {
        row.exercise: Summary(
            row.workouts, row.sets, row.counted_sets, row.best_hold_seconds, row.band_tension
        )
        for row in rows
    }


def stored_workout(new_session: Opener, workout_id: uuid.UUID) -> Workout | None:
    return new_session().get(Workout, workout_id)


def test_a_logged_workout_commits_with_its_judgement_and_progress(new_session, client_app):
    athlete_id = create(new_session, client_app)
    warm_up = SetInput(STANDING, Position(2, BandTension.NONE), Side.LEFT, reps(3, 3))
    workout_id = log(
        new_session, client_app, athlete_id, workout_input([warm_up, *both_sides(hold=5)])
    )
    stored = stored_workout(new_session, workout_id)
    assert stored is not None
    assert (stored.athlete_id, stored.version, stored.notes) == (athlete_id, 1, "Before squats.")
    assert (stored.counting, stored.level, stored.band_tension) == (True, 3, "medium")
    assert [(s.exercise, s.side, s.counted) for s in stored.sets] == [
        (STANDING, "left", False),
        (HALF_KNEELING, "left", True),
        (HALF_KNEELING, "right", True),
    ]
    assert stored.sets[1].reps == reps(5, 5)
    assert progress_of(new_session, client_app, athlete_id) == {
        HALF_KNEELING: Summary(1, 2, 2, 5.0, "medium"),
        STANDING: Summary(1, 1, 0, 3.0, "none"),
    }


def test_a_second_workout_folds_into_progress(new_session, client_app):
    athlete_id = create(new_session, client_app)
    log(new_session, client_app, athlete_id, workout_input(both_sides(hold=5), days_ago=3))
    heavy = both_sides(position=Position(3, BandTension.HEAVY), hold=4)
    log(new_session, client_app, athlete_id, workout_input(heavy, days_ago=1))
    assert progress_of(new_session, client_app, athlete_id) == {
        HALF_KNEELING: Summary(2, 4, 4, 5.0, "heavy")
    }


@pytest.mark.parametrize(
    "performed_at",
    [
        pytest.param(lambda now: now + timedelta(minutes=10), id="in-the-future"),
        pytest.param(lambda _now: datetime(1999, 12, 31, 23, 59, tzinfo=UTC), id="before-2000"),
    ],
)
def test_a_workout_at_an_impossible_time_is_invalid_and_stores_nothing(
    new_session, client_app, performed_at
):
    athlete_id = create(new_session, client_app)
    data = workout_input(at=performed_at(datetime.now(UTC)))
    key = unique("key")
    with pytest.raises(Invalid) as refused:
        log(new_session, client_app, athlete_id, data, key=key)
    assert refused.value.fields == ("performed_at",)
    assert not isinstance(refused.value, RetryMismatch)
    assert count(new_session, Workout, Workout.athlete_id == athlete_id) == 0
    assert count(new_session, WorkoutSet, WorkoutSet.athlete_id == athlete_id) == 0
    assert progress_of(new_session, client_app, athlete_id) == {}
    assert count(new_session, IdempotencyRecord, IdempotencyRecord.key == key) == 0


def test_a_workout_within_the_clock_skew_is_accepted(new_session, client_app):
    athlete_id = create(new_session, client_app)
    soon = datetime.now(UTC) + timedelta(minutes=4)
    workout_id = log(new_session, client_app, athlete_id, workout_input(at=soon))
    assert stored_workout(new_session, workout_id) is not None


def test_a_correction_naming_the_current_version_commits_and_progress_follows(
    new_session, client_app
):
    athlete_id = create(new_session, client_app)
    workout_id = log(new_session, client_app, athlete_id, workout_input(both_sides(hold=5)))
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="share")
    workout = workouts.get_workout(session, athlete, workout_id, lock=True)
    corrected = workout_input(both_sides(hold=7), notes="Corrected.")
    workouts.correct_workout(
        session, athlete, workout, Expected(frozenset({1})), corrected, utc_now()
    )
    stored = stored_workout(new_session, workout_id)
    assert (stored.version, stored.notes) == (2, "Corrected.")
    assert [s.best_hold_seconds for s in stored.sets] == [7.0, 7.0]
    assert count(new_session, WorkoutSet, WorkoutSet.workout_id == workout_id) == 2
    assert progress_of(new_session, client_app, athlete_id) == {
        HALF_KNEELING: Summary(1, 2, 2, 7.0, "medium")
    }


def test_a_correction_naming_an_old_version_is_stale_and_changes_nothing(new_session, client_app):
    athlete_id = create(new_session, client_app)
    workout_id = log(new_session, client_app, athlete_id, workout_input(both_sides(hold=5)))
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="share")
    workout = workouts.get_workout(session, athlete, workout_id, lock=True)
    corrected = workout_input(both_sides(hold=7), notes="Corrected.")
    with pytest.raises(Stale) as refused:
        workouts.correct_workout(
            session, athlete, workout, Expected(frozenset({2})), corrected, utc_now()
        )
    assert refused.value.subject == "workout"
    session.rollback()
    with pytest.raises(VersionRequired):
        workouts.correct_workout(session, athlete, workout, None, corrected, utc_now())
    session.rollback()
    stored = stored_workout(new_session, workout_id)
    assert (stored.version, stored.notes) == (1, "Before squats.")
    assert [s.best_hold_seconds for s in stored.sets] == [5.0, 5.0]
    assert progress_of(new_session, client_app, athlete_id)[HALF_KNEELING].best_hold_seconds == 5.0


def test_a_concurrent_correction_makes_the_slower_one_stale(new_session, client_app):
    """Both read version 1 without a row lock (as on SQLite): the second matches no row."""
    athlete_id = create(new_session, client_app)
    workout_id = log(new_session, client_app, athlete_id, workout_input(both_sides(hold=5)))
    slow, fast = new_session(), new_session()
    slow_athlete = athletes.get_athlete(slow, client_app, athlete_id)
    fast_athlete = athletes.get_athlete(fast, client_app, athlete_id)
    slow_copy = workouts.get_workout(slow, slow_athlete, workout_id)
    fast_copy = workouts.get_workout(fast, fast_athlete, workout_id)
    first = Expected(frozenset({1}))
    workouts.correct_workout(
        fast, fast_athlete, fast_copy, first, workout_input(both_sides(hold=6)), utc_now()
    )
    with pytest.raises(Stale):
        workouts.correct_workout(
            slow, slow_athlete, slow_copy, first, workout_input(both_sides(hold=7)), utc_now()
        )
    stored = stored_workout(new_session, workout_id)
    assert stored.version == 2
    assert [s.best_hold_seconds for s in stored.sets] == [6.0, 6.0]
    assert progress_of(new_session, client_app, athlete_id) == {
        HALF_KNEELING: Summary(1, 2, 2, 6.0, "medium")
    }


def test_a_correction_that_empties_the_workout_is_a_conflict(new_session, client_app):
    athlete_id = create(new_session, client_app)
    workout_id = log(new_session, client_app, athlete_id, workout_input())
    session = new_session()
    athlete = athletes.get_athlete(session, client_app, athlete_id)
    workout = workouts.get_workout(session, athlete, workout_id)
    empty = WorkoutInput(datetime.now(UTC), WorkoutContext.ACTIVATION, None, [], [])
    with pytest.raises(Conflict) as refused:
        workouts.correct_workout(session, athlete, workout, ANY_VERSION, empty, utc_now())
    assert refused.value.fields == ("sets",)
    session.rollback()
    assert count(new_session, WorkoutSet, WorkoutSet.workout_id == workout_id) == 2


def test_another_athletes_workout_is_not_found(new_session, client_app):
    owner, other = create(new_session, client_app), create(new_session, client_app)
    workout_id = log(new_session, client_app, owner, workout_input())
    session = new_session()
    with pytest.raises(NotFound):
        workouts.get_workout(session, athletes.get_athlete(session, client_app, other), workout_id)


def test_deleting_workouts_commits_and_progress_follows(new_session, client_app):
    athlete_id = create(new_session, client_app)
    warm_up = SetInput(STANDING, Position(2, BandTension.NONE), Side.LEFT, reps(3, 3))
    first = log(
        new_session, client_app, athlete_id, workout_input([warm_up, *both_sides()], days_ago=3)
    )
    heavy = both_sides(position=Position(3, BandTension.HEAVY), hold=4)
    second = log(new_session, client_app, athlete_id, workout_input(heavy, days_ago=1))

    def delete(workout_id: uuid.UUID, expected: Expected | None) -> None:
        with new_session() as session:  # a refusal leaves the rows locked until it closes
            athlete = athletes.get_athlete(session, client_app, athlete_id, lock="share")
            workout = workouts.get_workout(session, athlete, workout_id, lock=True)
            workouts.delete_workout(session, athlete, workout, expected)

    with pytest.raises(Stale):
        delete(second, Expected(frozenset({2})))
    assert stored_workout(new_session, second) is not None

    delete(second, Expected(frozenset({1})))
    assert stored_workout(new_session, second) is None
    assert count(new_session, WorkoutSet, WorkoutSet.workout_id == second) == 0
    assert progress_of(new_session, client_app, athlete_id) == {
        HALF_KNEELING: Summary(1, 2, 2, 5.0, "medium"),  # back to the first workout's
        STANDING: Summary(1, 1, 0, 3.0, "none"),
    }

    delete(first, None)
    assert count(new_session, Workout, Workout.athlete_id == athlete_id) == 0
    # No workout left: no summary row, and the athlete's progress is empty, not NotFound.
    assert count(new_session, ExerciseProgress, ExerciseProgress.athlete_id == athlete_id) == 0
    assert progress_of(new_session, client_app, athlete_id) == {}


# -------------------------------------------------------------------------- idempotency


class CreateAthlete:
    """A keyed write that counts its runs: a replay must not run it."""

    def __init__(self, client_app_id: int, external_id: str) -> None:
        self.client_app_id, self.external_id, self.runs = client_app_id, external_id, 0

    def __call__(self, db: Session) -> Reply:
        self.runs += 1
        athlete = athletes.create_athlete(db, self.client_app_id, self.external_id, None)
        return Reply(201, str(athlete.id), {"Location": f"/v1/athletes/{athlete.id}"})


def records(new_session: Opener, client_app_id: int, key: str) -> int:
    return count(
        new_session,
        IdempotencyRecord,
        IdempotencyRecord.client_app_id == client_app_id,
        IdempotencyRecord.key == key,
    )


def athletes_of(new_session: Opener, client_app_id: int) -> int:
    return count(new_session, Athlete, Athlete.client_app_id == client_app_id)


def test_a_replay_gets_the_first_reply_and_stores_nothing_twice(new_session, client_app):
    key, request = unique("key"), fingerprint("POST", "/v1/athletes", {"external_id": "once"})
    write = CreateAthlete(client_app, "once")
    first = run_once(new_session(), client_app, key, request, write)
    replay = run_once(new_session(), client_app, key, request, write)
    assert (first.replayed, replay.replayed) == (False, True)
    assert replay.reply == first.reply
    assert replay.reply.meta == {"Location": f"/v1/athletes/{first.reply.text}"}
    assert write.runs == 1
    assert athletes_of(new_session, client_app) == 1
    assert records(new_session, client_app, key) == 1


def test_a_key_belongs_to_one_client_app(new_session, client_app):
    other = new_client_app(new_session)
    key, request = unique("key"), fingerprint("same")
    run_once(new_session(), client_app, key, request, CreateAthlete(client_app, "a"))
    theirs = run_once(new_session(), other, key, request, CreateAthlete(other, "a"))
    assert theirs.replayed is False
    assert (athletes_of(new_session, client_app), athletes_of(new_session, other)) == (1, 1)


def test_a_key_reused_for_another_request_is_a_mismatch(new_session, client_app):
    key = unique("key")
    run_once(new_session(), client_app, key, fingerprint("a"), CreateAthlete(client_app, "m1"))
    session = new_session()
    write = CreateAthlete(client_app, "m2")
    with pytest.raises(RetryMismatch):
        run_once(session, client_app, key, fingerprint("b"), write)
    session.rollback()
    assert write.runs == 0
    assert athletes_of(new_session, client_app) == 1
    assert records(new_session, client_app, key) == 1


def test_a_failed_write_leaves_no_record_and_the_key_can_be_used_again(new_session, client_app):
    key = unique("key")

    def failing(db: Session) -> Reply:
        athletes.create_athlete(db, client_app, "failed", None)  # flushed, then abandoned
        raise RuntimeError("the write failed after its insert")

    session = new_session()
    with pytest.raises(RuntimeError):
        run_once(session, client_app, key, fingerprint("first"), failing)
    session.rollback()  # what the web layer's teardown does with the request's session
    assert records(new_session, client_app, key) == 0
    assert athletes_of(new_session, client_app) == 0

    write = CreateAthlete(client_app, "failed")
    again = run_once(new_session(), client_app, key, fingerprint("second"), write)
    assert (again.replayed, write.runs) == (False, 1)
    assert records(new_session, client_app, key) == 1
    assert athletes_of(new_session, client_app) == 1


def test_a_replay_while_the_first_runs_is_in_flight(new_session, client_app):
    key, request = unique("key"), fingerprint("slow")
    replay_session = new_session()
    refused: list[Exception] = []

    def slow(db: Session) -> Reply:
        try:
            run_once(replay_session, client_app, key, request, CreateAthlete(client_app, "x"))
        except RetryInFlight as error:
            refused.append(error)
        replay_session.rollback()
        return CreateAthlete(client_app, "slow")(db)

    first = run_once(new_session(), client_app, key, request, slow)
    assert len(refused) == 1
    assert first.replayed is False
    assert athletes_of(new_session, client_app) == 1
    # Once the first committed, the key is free: a replay gets its reply.
    later = run_once(new_session(), client_app, key, request, CreateAthlete(client_app, "y"))
    assert (later.replayed, later.reply) == (True, first.reply)


def stored_reply(
    client_app: int, key: str, request_fingerprint: str, created_at: datetime
) -> IdempotencyRecord:
    """A record as run_once stores it, made `created_at`."""
    return IdempotencyRecord(
        client_app_id=client_app,
        key=key,
        fingerprint=request_fingerprint,
        status=201,
        body="",
        headers={},
        created_at=created_at,
        expires_at=created_at + idempotency.KEEP_FOR,
    )


def test_an_expired_key_is_forgotten(new_session, client_app):
    key = unique("key")
    session = new_session()
    past = utc_now() - timedelta(days=2)
    session.add(stored_reply(client_app, key, fingerprint("old"), past))
    session.commit()
    write = CreateAthlete(client_app, "new")
    outcome = run_once(new_session(), client_app, key, fingerprint("new"), write)
    assert (outcome.replayed, write.runs) == (False, 1)
    stored = new_session().scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.client_app_id == client_app, IdempotencyRecord.key == key
        )
    )
    assert stored.fingerprint == fingerprint("new")


def test_purging_removes_expired_records_only(new_session, client_app):
    session = new_session()
    past, now = utc_now() - timedelta(days=2), utc_now()
    expired, live = unique("expired"), unique("live")
    for key, created_at in ((expired, past), (live, now)):
        session.add(stored_reply(client_app, key, fingerprint(key), created_at))
    session.commit()
    assert idempotency.purge_expired(new_session()) >= 1
    assert records(new_session, client_app, expired) == 0
    assert records(new_session, client_app, live) == 1


# ---------------------------------------------------------------------------------- keys


def test_keys_are_created_listed_and_revoked(new_session):
    name = unique("keys")
    session = new_session()
    first, second = keys.create_key(session, name), keys.create_key(session, name)
    assert keys.KEY_PATTERN.fullmatch(first) and keys.KEY_PATTERN.fullmatch(second)
    client_app_id = keys.client_app_for(new_session(), first)
    assert client_app_id is not None
    assert keys.client_app_for(new_session(), second) == client_app_id  # one client app
    assert count(new_session, ClientApp, ClientApp.name == name) == 1
    # Only the prefix and a hash are stored, never the key itself.
    stored = new_session().scalars(select(ApiKey).where(ApiKey.client_app_id == client_app_id))
    assert {(k.prefix, k.secret_hash in (first, second)) for k in stored} == {
        (first[:13], False),
        (second[:13], False),
    }

    listed = {k.prefix: k for k in keys.list_keys(new_session()) if k.client_app == name}
    assert set(listed) == {first[:13], second[:13]}
    assert all(k.revoked_at is None for k in listed.values())

    keys.revoke_key(new_session(), first[:13])
    assert keys.client_app_for(new_session(), first) is None
    assert keys.client_app_for(new_session(), second) == client_app_id  # the other one lives
    listed = {k.prefix: k for k in keys.list_keys(new_session()) if k.client_app == name}
    assert listed[first[:13]].revoked_at is not None
    assert listed[second[:13]].revoked_at is None

    revoked_at = listed[first[:13]].revoked_at
    keys.revoke_key(new_session(), first[:13])  # revoking again keeps the first date
    again = {k.prefix: k for k in keys.list_keys(new_session()) if k.client_app == name}
    assert again[first[:13]].revoked_at == revoked_at


def test_only_a_live_well_formed_key_names_a_client_app(new_session):
    key = keys.create_key(new_session(), unique("check"))
    session = new_session()
    assert keys.client_app_for(session, key) is not None
    forged = key[:13] + ("A" if key[13] != "A" else "B") + key[14:]
    assert keys.client_app_for(session, forged) is None  # right prefix, wrong secret
    assert keys.client_app_for(session, key + "x") is None
    assert keys.client_app_for(session, "not-a-key") is None
    assert keys.client_app_for(session, "psk_00000000_" + "a" * 43) is None  # no such key


def test_revoking_an_unknown_key_is_not_found(new_session):
    with pytest.raises(NotFound):
        keys.revoke_key(new_session(), "psk_zzzzzzzz_")


# ------------------------------------------------------------------------------- catalog


def slugs(data: catalog.CatalogData) -> dict[str, list[str]]:
    return {
        table: sorted(record.slug for record in getattr(data, table))
        for table in ("muscles", "exercises", "ladders", "rules")
    }


def test_the_read_model_serves_what_the_database_holds(new_session):
    read_model = catalog.ReadModel()
    opened: list[Session] = []

    def session() -> Session:
        opened.append(new_session())
        return opened[-1]

    served = read_model.data(session)
    bundled = catalog.bundled()
    assert (served.checksum, served.version) == (bundled.checksum, bundled.version)
    assert slugs(served) == slugs(bundled)
    assert served == bundled
    # Read once per process: later calls are served from memory.
    assert read_model.data(session) is served
    assert read_model.ladder(session).exercise_at(3) == HALF_KNEELING
    assert len(opened) == 1


def test_loading_the_loaded_catalog_again_changes_nothing(new_session):
    assert catalog.load(new_session()) is False


@pytest.fixture(params=ENGINES)
def empty_engine(request, empty_database) -> Iterator[Engine]:
    """A migrated database of the engine named, with no catalog loaded."""
    url = empty_database(request.param)
    migrate(url)
    made = engine_for(url)
    yield made
    made.dispose()


def test_an_unloaded_catalog_is_unavailable_until_loaded(empty_engine):
    read_model = catalog.ReadModel()
    with Session(empty_engine) as session:
        with pytest.raises(Unavailable) as refused:
            read_model.data(lambda: session)
        assert "flask catalog load" in refused.value.message
        with pytest.raises(Unavailable):
            read_model.ladder(lambda: session)
        # Nothing was cached: once loaded, the same read model serves it.
        assert catalog.load(session) is True
    with Session(empty_engine) as session:
        assert read_model.data(lambda: session) == catalog.bundled()


# --- the change feed under concurrent writes


def test_the_feed_matches_the_database_after_concurrent_writes(new_session, client_app):
    """Writers in threads create, rename and delete athletes and log and delete workouts
    while a reader polls the feed: the reader sees every seq once, in order, with no gap,
    and replaying the feed gives exactly the athletes and workouts the database holds."""
    import threading

    from app.services import changes

    writers_done = threading.Event()
    seen: list[int] = []
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for round_ in range(4):
                athlete_id = create(new_session, client_app)
                first = log(new_session, client_app, athlete_id, workout_input(days_ago=2))
                log(new_session, client_app, athlete_id, workout_input(days_ago=1))
                with new_session() as session:
                    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="update")
                    athletes.update_athlete(session, athlete, ANY_VERSION, {"display_name": "B"})
                with new_session() as session:
                    athlete = athletes.get_athlete(session, client_app, athlete_id, lock="share")
                    workout = workouts.get_workout(session, athlete, first, lock=True)
                    workouts.delete_workout(session, athlete, workout, None)
                if (number + round_) % 3 == 0:
                    with new_session() as session:
                        athlete = athletes.get_athlete(
                            session, client_app, athlete_id, lock="update"
                        )
                        athletes.delete_athlete(session, athlete, None)
        except BaseException as error:  # noqa: BLE001 - reported by the test thread
            failures.append(error)

    def reader() -> None:
        after = 0
        while True:
            done = writers_done.is_set()  # read before the poll: one more after the end
            with new_session() as session:
                page = changes.list_changes(session, client_app, after=after, limit=25)
            for change in page:
                seen.append(change.seq)
                after = change.seq
            if done and not page:
                return

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(5)]
    polling = threading.Thread(target=reader)
    polling.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writers_done.set()
    polling.join()
    assert failures == []

    with new_session() as session:
        feed = changes.list_changes(session, client_app, after=0, limit=10_000)
        stored_athletes = set(
            session.scalars(select(Athlete.id).where(Athlete.client_app_id == client_app))
        )
        stored_workouts = set(
            session.scalars(select(Workout.id).where(Workout.athlete_id.in_(stored_athletes)))
        )
    assert seen == list(range(1, len(feed) + 1))  # every seq once, in order, no gap
    assert len(feed) == 5 * 4 * 5 + sum(1 for n in range(5) for r in range(4) if (n + r) % 3 == 0)
    live_athletes: set[uuid.UUID] = set()
    live_workouts: dict[uuid.UUID, uuid.UUID] = {}
    for change in feed:
        if change.type == "athlete.created":
            live_athletes.add(change.athlete_id)
        elif change.type == "athlete.deleted":
            live_athletes.discard(change.athlete_id)
            live_workouts = {w: a for w, a in live_workouts.items() if a != change.athlete_id}
        elif change.type == "workout.created":
            live_workouts[change.workout_id] = change.athlete_id
        elif change.type == "workout.deleted":
            live_workouts.pop(change.workout_id)
    assert live_athletes == stored_athletes
    assert set(live_workouts) == stored_workouts
