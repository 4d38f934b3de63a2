"""Checking a prescription: every violation at once, each naming rule and field."""

from dataclasses import replace

import pytest

from app.domain.ladder import BandTension as B
from app.domain.prescriptions import PrescriptionRequest, check_prescription
from app.domain.rules import Context

GOOD = PrescriptionRequest(
    level=3,
    sets=2,
    reps=5,
    hold_seconds=3,
    band=B.MEDIUM,
    shoulder_flexion=False,
    context=Context.ACTIVATION,
)


def broken(**changes) -> set[tuple[str, str]]:
    return {(v.rule, v.field) for v in check_prescription(replace(GOOD, **changes))}


def test_a_prescription_inside_every_rule_has_no_violation():
    assert check_prescription(GOOD) == []


@pytest.mark.parametrize(
    ("changes", "violation"),
    [
        ({"hold_seconds": 1.5}, ("hold-duration", "hold_seconds")),
        ({"hold_seconds": 6}, ("hold-duration", "hold_seconds")),
        ({"reps": 2}, ("repetitions", "reps")),
        ({"reps": 6}, ("repetitions", "reps")),
        ({"sets": 3}, ("sets-per-context", "sets")),
        ({"sets": 2, "context": Context.FILLER}, ("sets-per-context", "sets")),
        ({"band": B.NONE}, ("band-tension", "band_tension")),
        ({"level": 1, "band": B.LIGHT}, ("band-tension", "band_tension")),
        (
            {"shoulder_flexion": True, "sets": 1, "context": Context.FILLER},
            ("shoulder-flexion", "shoulder_flexion"),
        ),
        ({"shoulder_flexion": True, "context": Context.RECOVERY_DAY}, ("usage-context", "context")),
        ({"reps": 0}, ("repetitions", "reps")),
        ({"sets": 0}, ("sets-per-context", "sets")),
    ],
)
def test_each_rule_broken_is_named(changes, violation):
    assert broken(**changes) == {violation}


def test_every_violation_is_reported_at_once():
    found = broken(
        hold_seconds=10,
        reps=8,
        sets=3,
        band=B.NONE,
        shoulder_flexion=True,
        context=Context.RECOVERY_DAY,
    )
    assert {rule for rule, _ in found} == {
        "hold-duration",
        "repetitions",
        "sets-per-context",
        "band-tension",
        "usage-context",
    }


@pytest.mark.parametrize(("level", "band"), [(1, B.NONE), (3, B.LIGHT), (5, B.EXTRA_HEAVY)])
def test_the_add_on_is_fine_in_activation_at_any_position_the_engine_can_reach(level, band):
    assert broken(level=level, band=band, shoulder_flexion=True) == set()


def test_the_boundaries_are_inside_the_rules():
    assert broken(hold_seconds=2, reps=3, sets=1) == set()
    assert broken(hold_seconds=5, reps=5, sets=2) == set()
    assert broken(band=B.EXTRA_HEAVY, shoulder_flexion=True) == set()
    assert broken(context=Context.FILLER, sets=1) == set()
