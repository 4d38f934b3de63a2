"""Simulated athletes through the HTTP routes: domain.md 6.5's goals, measured.

    python simulate.py [--database sqlite|postgresql|both] [--trace NAME] [--no-what-if]

Each simulated athlete is an athlete of the real API, driven in process with Flask's test
client on a fresh migrated database with the catalog loaded (SQLite by default; PostgreSQL
at BENCH_POSTGRES with --database postgresql). Before each training day the athlete asks
`GET /v1/athletes/{id}/recommendation`, then logs that day's workout with
`POST /v1/athletes/{id}/workouts` as its behaviour dictates. The app's clock
(`app.extensions["clock"]`) is the simulated time: the recommendation is asked 30 minutes
before each workout (so a layoff is seen as the athlete would see it) and the workout is
posted one minute after it was done.

The position an athlete is at, before each workout, is the recommendation's `next`. From
that sequence: workouts to the top (how many workouts were logged before the
recommendation first named the top, level 5 extra_heavy with shoulder flexion), position
changes, reversals (a change opposite in direction to the previous change; the most in any
30 consecutive workouts, and in all), the longest stall (most workouts in a row at one
position, before the top), and where it ended. Exits non-zero when a goal of domain.md 6.5
is missed or a check of the behaviour it relies on fails. Seeded: every run is the same.

Then, unless --no-what-if, the athletes behind a missed goal run again with the engine
changed in this process only (`what_ifs()`: constants or a function of app.domain replaced;
no file of the app is touched), to show what would close the gap. Those tables never decide
the exit status. Reports go to stdout and bench/out/simulate.md; every workout of every
athlete to bench/out/simulate.json (also printed with --trace NAME).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import OUT, ROOT, fresh_database, machine, revision, today

sys.path.insert(0, str(ROOT))

SEED = 20261203
START = datetime(2025, 1, 6, 7, 0, tzinfo=UTC)  # a Monday
WINDOW = 30  # reversals are counted in any 30 consecutive workouts (domain.md 6.5)
SLUGS = {
    1: "supine-psoas-activation",
    2: "standing-psoas-activation",
    3: "half-kneeling-banded-psoas-hold",
    4: "side-plank-banded-psoas-hold",
    5: "standing-banded-psoas-hold",
}
Position = tuple[int, str, bool]  # (level, band tension, shoulder flexion)
# The 17 positions in order (16 steps), written out here rather than read from the app, so
# that a wrong step in the app shows as a wrong step in the simulation.
LADDER: list[Position] = [(1, "none", False), (2, "none", False)] + [
    (level, band, add_on)
    for level in (3, 4, 5)
    for band, add_on in (
        ("light", False),
        ("medium", False),
        ("heavy", False),
        ("extra_heavy", False),
        ("extra_heavy", True),
    )
]
RANK = {position: rank for rank, position in enumerate(LADDER)}
BOTTOM, TOP = LADDER[0], LADDER[-1]
MAXIMA_GOAL, ASSESSMENT_GOAL, REVERSALS_GOAL = 34, 6, 3


def named(position: Position) -> str:
    level, band, add_on = position
    return f"L{level}" + ("" if band == "none" else f" {band}") + (" +SF" if add_on else "")


def at(rank: int) -> Position:
    return LADDER[max(0, min(len(LADDER) - 1, rank))]


# Bodies.


def reps(count: int, hold: float) -> list[dict[str, Any]]:
    return [{"hold_seconds": hold, "strict_form": True, "high_flexion": True}] * count


def ladder_set(
    position: Position, side: str, rep_list: list[dict[str, Any]], pain: bool = False
) -> dict[str, Any]:
    level, band, add_on = position
    return {
        "exercise": SLUGS[level],
        "side": side,
        "band_tension": band,
        "shoulder_flexion": add_on,
        "reps": rep_list,
        "pain": pain,
    }


def both_sides(
    position: Position, rep_list: list[dict[str, Any]], sets: int = 1, pain: bool = False
) -> list[dict[str, Any]]:
    """`sets` sets on each side; with `pain`, the right side's last set is marked."""
    out = []
    for side in ("left", "right"):
        for number in range(sets):
            marked = pain and side == "right" and number == sets - 1
            out.append(ladder_set(position, side, rep_list, marked))
    return out


def activation(sets: list[dict[str, Any]]) -> dict[str, Any]:
    return {"context": "activation", "sets": sets, "complementary": []}


def position_of(prescription: dict[str, Any]) -> Position:
    position = (
        prescription["level"],
        prescription["band_tension"],
        prescription["shoulder_flexion"],
    )
    assert prescription["exercise"] == SLUGS[position[0]], prescription
    assert position in RANK, prescription
    return position


# Behaviours: what an athlete does on workout n, given the recommendation's `next`.


@dataclass
class Behaviour(ABC):
    label: str

    @abstractmethod
    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        """The workout body this athlete logs, given the recommendation's `next`."""

    def gap_days(self, n: int) -> float:
        """Extra days off before workout n."""
        return 0.0

    def check(self, n: int, before: dict[str, Any], sim: Sim) -> str | None:
        """After workout n was logged and the next recommendation read: a failed check."""
        return None


@dataclass
class Maxima(Behaviour):
    """5 reps x 5 s, strict, high flexion, both sides, at the recommended position."""

    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        return activation(both_sides(position_of(next_), reps(5, 5), next_["sets"]))


@dataclass
class ToTheLetter(Behaviour):
    """Exactly the prescribed sets x reps x hold, on both sides; optionally an assessment
    first that masters every position up to `capacity` and does 4 reps x 4 s at the next."""

    capacity: Position | None = None

    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        if n == 0 and self.capacity is not None:
            top_rank = RANK[self.capacity]
            sets = [s for rank in range(top_rank + 1) for s in both_sides(at(rank), reps(5, 5))]
            if self.capacity != TOP:
                sets += both_sides(at(top_rank + 1), reps(4, 4))
            return {"context": "assessment", "sets": sets, "complementary": []}
        return activation(
            both_sides(
                position_of(next_), reps(next_["reps"], next_["hold_seconds"]), next_["sets"]
            )
        )


@dataclass
class SlowLearner(Behaviour):
    """Holds what a slowly growing capacity allows: min(prescribed, capacity) per rep.

    Strength starts at `start` s and grows `growth` s per workout; at a position `rank`
    steps above level 1 the hold capacity is strength - `per_step` x rank (so it drops a
    little after each step up). Each rep's hold has seeded noise (sd 0.2 s).
    """

    start: float = 3.0
    growth: float = 0.15
    per_step: float = 0.5
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    strength: float = 0.0

    def __post_init__(self) -> None:
        self.strength = self.start

    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        position = position_of(next_)
        capacity = self.strength - self.per_step * RANK[position]
        sets = []
        for side in ("left", "right"):
            for _ in range(next_["sets"]):
                holds = [
                    round(min(float(next_["hold_seconds"]), capacity + self.rng.gauss(0, 0.2)), 1)
                    for _ in range(next_["reps"])
                ]
                rep_list = [
                    {"hold_seconds": max(0.5, h), "strict_form": True, "high_flexion": True}
                    for h in holds
                ]
                sets.append(ladder_set(position, side, rep_list))
        self.strength += self.growth
        return activation(sets)


@dataclass
class FallsAbove(Behaviour):
    """Masters every position up to `ceiling` (5 x 5 s); above it, 2 counting reps of 5:
    a plateau that invites bouncing between `ceiling` and the step above it."""

    ceiling: Position = (3, "light", False)

    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        position = position_of(next_)
        if RANK[position] <= RANK[self.ceiling]:
            rep_list = reps(5, 5)
        else:  # 2 reps held, 3 that do not reach 2 s
            rep_list = reps(2, 4) + reps(3, 1.5)
        return activation(both_sides(position, rep_list, next_["sets"]))


@dataclass
class StuckInRange(Behaviour):
    """Masters every position below `stuck`; at `stuck` and above, always 4 reps x 4 s."""

    stuck: Position = (3, "medium", False)

    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        position = position_of(next_)
        rep_list = reps(5, 5) if RANK[position] < RANK[self.stuck] else reps(4, 4)
        return activation(both_sides(position, rep_list, next_["sets"]))


@dataclass
class Injured(Maxima):
    """A maxima athlete with one setback: `pain` (a set marked pain on workout `at_workout`),
    `falls` (2 counting reps on `days` workouts from `at_workout`), or `layoff` (`days` days
    off before workout `at_workout`). Checks that the recommendation reacts as 6.3 says."""

    kind: str = "pain"
    at_workout: int = 12
    days: int = 3

    def workout(self, n: int, next_: dict[str, Any], sim: Sim) -> dict[str, Any]:
        position = position_of(next_)
        if self.kind == "pain" and n == self.at_workout:
            return activation(both_sides(position, reps(5, 5), next_["sets"], pain=True))
        if self.kind == "falls" and self.at_workout <= n < self.at_workout + self.days:
            return activation(both_sides(position, reps(2, 4) + reps(3, 1.5), next_["sets"]))
        return super().workout(n, next_, sim)

    def gap_days(self, n: int) -> float:
        return float(self.days) if self.kind == "layoff" and n == self.at_workout else 0.0

    def check(self, n: int, before: dict[str, Any], sim: Sim) -> str | None:
        after = sim.recommendation
        rules = {r["rule"] for r in after["reasons"]}
        expect = None
        if self.kind == "pain" and n == self.at_workout:
            expect = "pain"
        if self.kind == "falls" and self.at_workout <= n < self.at_workout + self.days:
            expect = "workout-verdict"
        if self.kind == "layoff" and n == self.at_workout - 1:
            expect = "layoff"
        if expect is None:
            return None
        lower = RANK[position_of(after["next"])] < RANK[position_of(before)]
        if after["decision"] != "down" or not lower or expect not in rules:
            return (
                f"workout {n + 1}: expected a step down with reason `{expect}`, got "
                f"{after['decision']} to {named(position_of(after['next']))} ({sorted(rules)})"
            )
        return None


@dataclass
class WithRecoveryDays(Maxima):
    """A maxima athlete who, between training days, logs a recovery day (and every third
    time a filler) exactly as `POST .../routines` gives it. Checks that the recommendation
    is the same, byte for byte, before and after each one."""

    recovery_days: int = 0
    checked: int = 0

    def between(self, sim: Sim, moment: datetime, n: int) -> str | None:
        before = sim.recommend(moment - timedelta(minutes=30))
        context = "filler" if n % 3 == 2 else "recovery_day"
        options: dict[str, Any] = {"context": context}
        if context == "filler":
            options["pair_with"] = "Romanian deadlift"
        else:
            options["include_complementary"] = n % 2 == 0
        routine = sim.routine(options)
        sets, lifts = [], []
        for block in routine["blocks"]:
            sides = ("left", "right") if block["per_side"] else ("left",)
            for side in sides:
                for _ in range(block["sets"]):
                    if block["exercise"] in SLUGS.values():
                        level = next(k for k, v in SLUGS.items() if v == block["exercise"])
                        position = (level, block["band_tension"], block["shoulder_flexion"])
                        sets.append(
                            ladder_set(position, side, reps(block["reps"], block["hold_seconds"]))
                        )
                    else:  # complementary scissor work: a lift, never a ladder set
                        lifts.append(
                            {"exercise": block["exercise"], "side": side, "reps": block["reps"]}
                        )
        logged = sim.log({"context": context, "sets": sets, "complementary": lifts}, moment)
        after = sim.recommend(moment + timedelta(minutes=30))
        self.recovery_days += 1
        if logged["counting"] or any(s["counted"] for s in logged["sets"]):
            return f"a {context} workout counted: {logged['id']}"
        if after != before:
            return (
                f"a {context} workout changed the recommendation: "
                f"{before['decision']} {named(position_of(before['next']))} -> "
                f"{after['decision']} {named(position_of(after['next']))}"
            )
        self.checked += 1
        return None


# The driver.


class Sim:
    """One athlete of the API, its clock and its calls."""

    def __init__(self, app: Any, key: str, name: str) -> None:
        self.app, self.client = app, app.test_client()
        self.auth = {"Authorization": f"Bearer {key}"}
        self.now = START
        app.extensions["clock"] = lambda: self.now
        created = self.client.post(
            "/v1/athletes", json={"external_id": name}, headers=self.auth
        ).get_json()
        self.athlete = created["id"]
        self.posted = 0
        self.recommendation: dict[str, Any] = {}

    def recommend(self, moment: datetime) -> dict[str, Any]:
        self.now = moment
        response = self.client.get(f"/v1/athletes/{self.athlete}/recommendation", headers=self.auth)
        assert response.status_code == 200, response.get_data(as_text=True)
        self.recommendation = response.get_json()
        return self.recommendation

    def routine(self, options: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(
            f"/v1/athletes/{self.athlete}/routines", json=options, headers=self.auth
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def log(self, body: dict[str, Any], performed_at: datetime) -> dict[str, Any]:
        self.now = performed_at + timedelta(minutes=1)
        self.posted += 1
        response = self.client.post(
            f"/v1/athletes/{self.athlete}/workouts",
            json={"performed_at": performed_at.isoformat(), **body},
            headers={**self.auth, "Idempotency-Key": f"sim-{self.athlete}-{self.posted}"},
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()


SCHEDULES: dict[str, Callable[[int], timedelta]] = {
    # The gap after the n-th training day (counting from 0).
    "daily": lambda n: timedelta(days=1),
    "3/week": lambda n: timedelta(days=(2, 2, 3)[n % 3]),  # Mon, Wed, Fri
}


@dataclass
class Outcome:
    athlete: str
    schedule: str
    positions: list[Position]  # before each workout, then after the last
    decisions: list[str]
    workouts: int
    top_after: int | None
    failures: list[str]
    trace: list[str]
    requests: int

    @property
    def changes(self) -> list[tuple[int, int]]:
        """(workout index after which the position changed, direction +1/-1)."""
        out = []
        for n in range(1, len(self.positions)):
            a, b = RANK[self.positions[n - 1]], RANK[self.positions[n]]
            if b != a:
                out.append((n, 1 if b > a else -1))
        return out

    def reversals(self) -> list[int]:
        """The workouts after which the direction reversed."""
        changes = self.changes
        return [changes[i][0] for i in range(1, len(changes)) if changes[i][1] != changes[i - 1][1]]

    def max_reversals_in_window(self) -> int:
        marks = self.reversals()
        last = len(self.positions) - 1
        if last <= WINDOW:
            return len(marks)
        return max(
            sum(1 for m in marks if start < m <= start + WINDOW)
            for start in range(last - WINDOW + 1)
        )

    def longest_stall(self) -> int:
        end = self.top_after if self.top_after is not None else len(self.positions) - 1
        longest = run = 0
        for n in range(end):
            run = run + 1 if n and self.positions[n] == self.positions[n - 1] else 1
            longest = max(longest, run)
        return longest


def simulate(
    app: Any,
    key: str,
    name: str,
    behaviour: Behaviour,
    schedule: str,
    max_workouts: int,
    *,
    stop_at_top: bool = True,
) -> Outcome:
    sim = Sim(app, key, f"{name}-{schedule}")
    moment = START
    recommendation = sim.recommend(moment - timedelta(minutes=30))
    positions = [position_of(recommendation["next"])]
    decisions: list[str] = []
    failures: list[str] = []
    trace: list[str] = []
    top_after = 0 if positions[0] == TOP else None
    gap = SCHEDULES[schedule]
    done = 0
    for n in range(max_workouts):
        before = recommendation["next"]
        body = behaviour.workout(n, before, sim)
        logged = sim.log(body, moment)
        done = n + 1
        if isinstance(behaviour, WithRecoveryDays):
            failure = behaviour.between(sim, moment + timedelta(hours=12), n)
            if failure:
                failures.append(failure)
        moment = moment + gap(n) + timedelta(days=behaviour.gap_days(n + 1))
        recommendation = sim.recommend(moment - timedelta(minutes=30))
        position = position_of(recommendation["next"])
        positions.append(position)
        decisions.append(recommendation["decision"])
        failure = behaviour.check(n, before, sim)
        if failure:
            failures.append(failure)
        judged = logged["position"]
        where = "-"
        if judged:
            where = named((judged["level"], judged["band_tension"], judged["shoulder_flexion"]))
        trace.append(
            f"{n + 1:3} {logged['performed_at'][:10]} {logged['context']:10} "
            f"{named(position_of(before)):15} {before['sets']}x{before['reps']}x"
            f"{before['hold_seconds']}s -> judged "
            f"{where:15} "
            f"{logged['verdict'] or '-':11} | next {recommendation['decision']:4} "
            f"{named(position):15} {recommendation['next']['sets']}x"
            f"{recommendation['next']['reps']}x{recommendation['next']['hold_seconds']}s "
            f"[{', '.join(r['rule'] for r in recommendation['reasons'])}]"
        )
        if position == TOP and top_after is None:
            top_after = done
            if stop_at_top:
                break
    return Outcome(
        behaviour.label,
        schedule,
        positions,
        decisions,
        done,
        top_after,
        failures,
        trace,
        sim.posted,
    )


# The athletes, their goals, and the table.


@dataclass
class Row:
    outcome: Outcome
    goal: str
    met: bool | None  # None: no goal of 6.5 applies (reported only)
    note: str = ""
    floor: int | None = None  # the fewest workouts 6.3 allows (assessment athletes)


def build(url: str) -> tuple[Any, str]:
    """A fresh app on `url`: migrated, catalog loaded, one API key."""
    from alembic import command
    from alembic.config import Config

    from app import create_app
    from app.catalog.data import read_data_file
    from app.config import Settings, normalize_database_url
    from app.services.catalog import load as load_catalog
    from app.services.keys import create_key

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", normalize_database_url(url))
    command.upgrade(config, "head")
    settings = Settings.from_environ(
        {
            "DATABASE_URL": url,
            "APP_ENV": "test",
            "SECRET_KEY": "simulate-secret-simulate-secret",
            "RATE_LIMIT_PUBLIC": "1000000000 per minute",
            "RATE_LIMIT_PER_KEY": "1000000000 per minute",
            "RATE_LIMIT_AUTH_FAILURES": "1000000000 per minute",
        }
    )
    app = create_app(settings)
    app.config["TESTING"] = True
    app.extensions["access_log"].stream = io.StringIO()
    with app.extensions["db_sessionmaker"]() as session:
        load_catalog(session, read_data_file())
    with app.extensions["db_sessionmaker"]() as session:
        key = create_key(session, "simulate")
    return app, key


def floor_after_assessment(capacity: Position) -> int:
    """Fewest workouts 6.3 allows: the assessment, then two mastered per step to the top."""
    placed = min(RANK[capacity] + 1, RANK[TOP])
    return 1 + 2 * (RANK[TOP] - placed)


CAPACITIES: list[Position] = [
    (5, "extra_heavy", False),
    (5, "heavy", False),
    (5, "medium", False),
    (5, "light", False),
    (4, "extra_heavy", True),
    (3, "heavy", False),
]


def assessment_row(outcome: Outcome, capacity: Position) -> Row:
    floor = floor_after_assessment(capacity)
    reached = outcome.top_after is not None and outcome.top_after <= ASSESSMENT_GOAL
    if floor > ASSESSMENT_GOAL:  # two mastered workouts per step (6.3) cannot fit in 6
        return Row(outcome, f"top in ≤ {ASSESSMENT_GOAL}", None, "out of reach by 6.3", floor)
    return Row(outcome, f"top in ≤ {ASSESSMENT_GOAL}", reached and not outcome.failures, "", floor)


def plateau_row(outcome: Outcome) -> Row:
    met = outcome.max_reversals_in_window() <= REVERSALS_GOAL and not outcome.failures
    return Row(outcome, f"≤ {REVERSALS_GOAL} reversals in any {WINDOW}", met)


def maxima_row(outcome: Outcome) -> Row:
    met = outcome.top_after is not None and outcome.top_after <= MAXIMA_GOAL
    return Row(outcome, f"top in ≤ {MAXIMA_GOAL}", met and not outcome.failures)


def plateau_athletes() -> list[Behaviour]:
    return [
        FallsAbove("plateau: masters L3 light, falls short above"),
        StuckInRange("plateau: 4 x 4 s from L3 medium up"),
    ]


class Runner:
    """Simulations on one app; each athlete gets a name of its own."""

    def __init__(self, url: str) -> None:
        self.app, self.key = build(url)
        self.count = self.workouts = 0

    def __call__(
        self, behaviour: Behaviour, schedule: str = "daily", cap: int = 120, **kw: Any
    ) -> Outcome:
        self.count += 1
        name = f"sim-{self.count}"
        outcome = simulate(self.app, self.key, name, behaviour, schedule, cap, **kw)
        self.workouts += outcome.requests
        return outcome

    def close(self) -> None:
        self.app.extensions["db_engine"].dispose()


def run_all(sim: Runner) -> tuple[list[Row], list[Row]]:
    rows: list[Row] = []
    for schedule in SCHEDULES:
        rows.append(maxima_row(sim(Maxima("maxima (5 x 5 s)"), schedule, 60)))
    assessment_rows = [
        assessment_row(
            sim(ToTheLetter(f"to the letter, assessment up to {named(c)}", c), "daily", 80), c
        )
        for c in CAPACITIES
    ]
    rows.append(Row(sim(ToTheLetter("to the letter, no assessment"), "daily", 120), "", None))
    rows.append(Row(sim(SlowLearner("slow learner (3 s, +0.15 s/workout)")), "", None))
    for schedule in SCHEDULES:
        for behaviour in plateau_athletes():
            rows.append(plateau_row(sim(behaviour, schedule, 120, stop_at_top=False)))
    for behaviour in (
        Injured("injury: pain marked on workout 13", kind="pain", at_workout=12),
        Injured("injury: falls short on workouts 13-15", kind="falls", at_workout=12, days=3),
        Injured("injury: 35 days off before workout 13", kind="layoff", at_workout=12, days=34),
    ):
        rows.append(Row(sim(behaviour, "daily", 80), "6.3 reacts (check)", None))
        rows[-1].met = not rows[-1].outcome.failures
    recovery = WithRecoveryDays("recovery days and fillers between maxima days")
    outcome = sim(recovery, "daily", 60)
    rows.append(
        Row(
            outcome,
            "recovery never moves",
            not outcome.failures and recovery.checked == recovery.recovery_days > 0,
            f"{recovery.checked} of {recovery.recovery_days} recovery/filler workouts "
            "changed nothing",
        )
    )
    return rows, assessment_rows


# What would close a missed goal: the engine changed in this process only (the app's files
# are untouched), and the athletes concerned simulated again.


Patches = dict[tuple[str, str], Callable[[], Any]]


def what_ifs() -> dict[str, tuple[Patches, str]]:
    """label: ((module, name) -> the value it takes, which athletes run again)."""

    def full_set() -> Any:
        from app.domain.rules import Targets

        return Targets(5, 5)

    return {
        "a band notch restarts at 5 x 5 s (no restart)": (
            {("app.domain.engine", "RESTART_AFTER_BAND_NOTCH"): full_set},
            "assessment",
        ),
    }


def run_what_ifs(sim: Runner) -> list[str]:
    import importlib

    lines = []
    for label, (patches, group) in what_ifs().items():
        saved = []
        for (module_name, name), value in patches.items():
            module = importlib.import_module(module_name)
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, value())
        try:
            rows = [maxima_row(sim(Maxima("maxima (5 x 5 s)"), "daily", 60))]  # unharmed?
            if group == "assessment":
                rows += [
                    assessment_row(
                        sim(ToTheLetter(f"to the letter, assessment up to {named(c)}", c)), c
                    )
                    for c in CAPACITIES[1:4]
                ]
            else:
                rows += [
                    plateau_row(sim(behaviour, schedule, 120, stop_at_top=False))
                    for schedule in SCHEDULES
                    for behaviour in plateau_athletes()
                ]
        finally:
            for module, name, value in saved:
                setattr(module, name, value)
        lines += [f"What if {label}:", "", *table(rows), ""]
    return lines


def verdict(row: Row) -> str:
    if row.met is None:
        return row.note or "reported"
    return ("met" if row.met else "**missed**") + (f" ({row.note})" if row.note else "")


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| athlete | schedule | workouts | to the top | reversals: first 30 / worst 30 / all "
        "| longest stall | final position | goal | |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        o = row.outcome
        top = str(o.top_after) if o.top_after is not None else "not reached"
        first = sum(1 for m in o.reversals() if m <= WINDOW)
        lines.append(
            f"| {o.athlete} | {o.schedule} | {o.workouts} | {top} "
            f"| {first} / {o.max_reversals_in_window()} / {len(o.reversals())} "
            f"| {o.longest_stall()} | {named(o.positions[-1])} | {row.goal or '—'} "
            f"| {verdict(row)} |"
        )
    return lines


def assessment_table(rows: list[Row]) -> list[str]:
    lines = [
        "| assessment mastered up to | placed at | workouts to the top (assessment "
        f"included) | fewest 6.3 allows | ≤ {ASSESSMENT_GOAL} |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        o = row.outcome
        top = str(o.top_after) if o.top_after is not None else "not reached"
        capacity = o.athlete.rsplit("up to ", 1)[1]
        placed = named(o.positions[1]) if len(o.positions) > 1 else "-"
        lines.append(f"| {capacity} | {placed} | {top} | {row.floor} | {verdict(row)} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--trace", help="print each workout of the athletes whose name has this")
    parser.add_argument(
        "--no-what-if", action="store_true", help="skip the engine changes of what_ifs()"
    )
    args = parser.parse_args()
    engines = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    OUT.mkdir(exist_ok=True)
    sections, all_rows, tables = [], [], {}
    for engine in engines:
        started = time.monotonic()
        if engine == "sqlite":
            url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='psoas-simulate-')) / 'sim.db'}"
        else:
            url = fresh_database("psoas_simulate")
        sim = Runner(url)
        rows, assessment_rows = run_all(sim)
        what_ifs = [] if args.no_what_if else run_what_ifs(sim)
        sim.close()
        seconds = time.monotonic() - started
        requests = sim.workouts
        if args.trace:
            for row in rows + assessment_rows:
                if args.trace in row.outcome.athlete:
                    print(f"\n{row.outcome.athlete} ({row.outcome.schedule})", file=sys.stderr)
                    print("\n".join(row.outcome.trace), file=sys.stderr)
        body = table(rows)
        assessment = assessment_table(assessment_rows)
        tables[engine] = (body, assessment)
        sections += [
            f"### Simulated athletes ({engine})",
            "",
            f"{today()} · {machine()} · {revision()} · {engine}, in process (Flask test client), "
            f"seed {SEED}; "
            f"{requests} workouts logged in {seconds:.0f} s",
            "",
            *body,
            "",
            "To the letter after one assessment, by what the assessment mastered (daily):",
            "",
            *assessment,
            "",
            *what_ifs,
        ]
        for row in rows + assessment_rows:
            for failure in row.outcome.failures:
                sections.append(f"- {row.outcome.athlete} ({row.outcome.schedule}): {failure}")
        all_rows += [(engine, row) for row in rows + assessment_rows]
    different = len(tables) == 2 and tables["sqlite"] != tables["postgresql"]
    if len(tables) == 2:
        sections.append(
            f"SQLite and PostgreSQL tables: {'**different**' if different else 'identical'}."
        )
    missed = [(engine, r) for engine, r in all_rows if r.met is False]
    sections += [
        "",
        "Goals of domain.md 6.5 and checks: "
        + ("all met." if not missed else f"**{len(missed)} missed**: ")
        + "; ".join(f"{r.outcome.athlete} ({r.outcome.schedule}, {e})" for e, r in missed),
        "",
    ]
    text = "\n".join(sections)
    (OUT / "simulate.md").write_text(text)
    (OUT / "simulate.json").write_text(
        json.dumps(
            {
                f"{r.outcome.athlete} ({r.outcome.schedule}, {engine})": {
                    "positions": [named(p) for p in r.outcome.positions],
                    "trace": r.outcome.trace,
                }
                for engine, r in all_rows
            },
            indent=1,
        )
    )
    print(text)
    if missed or different:
        sys.exit(1)


if __name__ == "__main__":
    main()
