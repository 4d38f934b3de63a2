"""The engine's invariants, for any position and any set (hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.engine import DECISION_RANK, Decision, Rep, Verdict, evaluate
from app.domain.ladder import BOTTOM, LEVELS, TOP, Position, allowed_bands, band_fits
from app.domain.rules import HOLD_SECONDS, REPS

positions = st.sampled_from(
    [
        Position(level, band, add_on)
        for level in LEVELS
        for band in allowed_bands(level)
        for add_on in (False, True)
    ]
)
rep_lists = st.lists(
    st.builds(Rep, st.floats(0, 60), st.booleans(), st.booleans()), min_size=1, max_size=30
)
MASTERED = [Rep(5, True, True)] * 5
SHORT = [Rep(0, True, True)]


@given(positions, rep_lists)
def test_next_is_always_a_valid_position(position, reps):
    nxt = evaluate(position, reps).next.position
    assert nxt.level in LEVELS
    assert band_fits(nxt.level, nxt.band)


@given(positions, rep_lists)
def test_up_or_down_exactly_when_the_position_changes(position, reps):
    evaluation = evaluate(position, reps)
    moved = evaluation.next.position != position
    assert (evaluation.decision is not Decision.STAY) == moved
    if evaluation.decision is Decision.UP:
        assert evaluation.verdict is Verdict.MASTERED
    if evaluation.decision is Decision.DOWN:
        assert evaluation.verdict is Verdict.FALLS_SHORT


@st.composite
def worse_and_better(draw):
    """Two sets of the same length; the second is at least as good in every rep."""
    worse = draw(rep_lists)
    better = [
        Rep(
            rep.hold_seconds + draw(st.floats(0, 10)),
            rep.strict_form or draw(st.booleans()),
            rep.high_flexion or draw(st.booleans()),
        )
        for rep in worse
    ]
    return worse, better


@given(positions, worse_and_better())
def test_a_better_set_never_gets_a_lower_decision(position, pair):
    worse, better = pair
    assert (
        DECISION_RANK[evaluate(position, better).decision]
        >= DECISION_RANK[evaluate(position, worse).decision]
    )


@given(positions, rep_lists)
def test_targets_stay_inside_the_rule_ranges(position, reps):
    nxt = evaluate(position, reps).next
    assert nxt.reps in REPS
    assert nxt.hold_seconds in HOLD_SECONDS


@given(positions)
def test_mastered_sets_climb_to_the_top_in_finitely_many_steps(position):
    for _ in range(100):
        evaluation = evaluate(position, MASTERED)
        if evaluation.decision is Decision.STAY:
            break
        assert evaluation.decision is Decision.UP
        position = evaluation.next.position
    assert position == TOP


@given(positions)
def test_short_sets_descend_to_the_bottom_in_finitely_many_steps(position):
    for _ in range(100):
        evaluation = evaluate(position, SHORT)
        if evaluation.decision is Decision.STAY:
            break
        assert evaluation.decision is Decision.DOWN
        position = evaluation.next.position
    assert position == BOTTOM
