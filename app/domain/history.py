"""Recommendations from a history: two mastered sessions to step up, one short to step down."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.engine import Decision, Evaluation, Prescription, Reason, Rep, Verdict, evaluate
from app.domain.ladder import BOTTOM, Position
from app.domain.rules import (
    HOLD_SECONDS,
    MASTERED_SESSIONS_TO_STEP_UP,
    NEXT_SETS,
    REPS,
    RESTART_HOLD,
    RESTART_REPS,
)


@dataclass(frozen=True)
class LoggedSet:
    position: Position
    reps: tuple[Rep, ...]


def recommend(latest: LoggedSet | None, previous: LoggedSet | None) -> Evaluation | None:
    """What to do next from the last two logged sets (newest first); None with no history."""
    if latest is None:
        return None
    evaluation = evaluate(latest.position, latest.reps)
    if evaluation.decision is not Decision.UP:
        return _with_reason(evaluation, _history_reason(evaluation.verdict))
    if (
        previous is not None
        and previous.position == latest.position
        and (evaluate(previous.position, previous.reps).verdict is Verdict.MASTERED)
    ):
        return _with_reason(
            evaluation,
            Reason(
                "history",
                f"The last {MASTERED_SESSIONS_TO_STEP_UP} sessions at this "
                "position were mastered: step up.",
            ),
        )
    # One mastered session is not yet enough: hold the position at the full set.
    return Evaluation(
        Verdict.MASTERED,
        Decision.STAY,
        Prescription(latest.position, NEXT_SETS, REPS.max, HOLD_SECONDS.max),
        (
            *evaluation.reasons[:2],
            Reason(
                "history",
                f"Mastered once at this position: master it "
                f"{MASTERED_SESSIONS_TO_STEP_UP} sessions in a row to step up.",
            ),
        ),
    )


def _history_reason(verdict: Verdict) -> Reason:
    if verdict is Verdict.FALLS_SHORT:
        return Reason("history", "The last session fell short: one is enough to step down.")
    return Reason("history", "Decided from the last logged session at this position.")


def _with_reason(evaluation: Evaluation, reason: Reason) -> Evaluation:
    return Evaluation(
        evaluation.verdict, evaluation.decision, evaluation.next, (*evaluation.reasons, reason)
    )


def first_steps() -> Prescription:
    """Where an athlete with no history starts: the bottom of the ladder."""
    return Prescription(BOTTOM, NEXT_SETS, RESTART_REPS, RESTART_HOLD)
