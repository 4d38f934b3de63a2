"""The domain's words: each message a key and its values, said in a language on request.

The engine says why it decided as `Text` (a template's key and typed values), never as a
finished sentence, so that the API can say it in the client's language. English is the
source language and lives here, beside the rules it explains; other languages are data
files with the same keys and the same {placeholders} (app/catalog/translations).

Values are rendered the same way in every language: whole numbers as they are, other
numbers in full (never in exponent form, never rounded) with the language's decimal mark,
dates in ISO 8601 (unambiguous everywhere; a workout's day is its UTC date),
slugs (bands, contexts) as the API spells them, and a nested `Text` in the language too.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Text:
    key: str
    values: tuple[tuple[str, Value], ...] = ()

    def __str__(self) -> str:
        return said(self, ENGLISH)


Value = int | float | str | date | Text


def text(key: str, **values: Value) -> Text:
    """The message `key` with its values (a key the domain does not know is a bug)."""
    if key not in ENGLISH:
        raise KeyError(f"no message {key!r}")
    return Text(key, tuple(values.items()))


@dataclass(frozen=True)
class Wording:
    """One language's templates, by key, and its decimal mark."""

    language: str
    templates: Mapping[str, str]
    decimal_mark: str = "."


def said(message: Text | Sequence[Text], templates: Mapping[str, str] | Wording) -> str:
    """`message` in the language of `templates`; a sequence is its sentences in order."""
    wording = templates if isinstance(templates, Wording) else Wording("", templates)
    if isinstance(message, Text):
        return _render(message, wording)
    return " ".join(_render(part, wording) for part in message)


def _render(message: Text, wording: Wording) -> str:
    template = wording.templates.get(message.key, ENGLISH[message.key])
    values = {name: _value(value, wording) for name, value in message.values}
    return template.format_map(values)


def _value(value: Value, wording: Wording) -> str:
    if isinstance(value, Text):
        return _render(value, wording)
    if isinstance(value, bool | int | str):
        return str(value)
    if isinstance(value, float):
        return _number(value).replace(".", wording.decimal_mark)
    return value.isoformat()


def _number(value: float) -> str:
    """As it was sent: `2.5`, `0.0000001`, `1.9999999`; never `1e-07`, `-0` or `2`."""
    if value == 0:
        return "0"
    written = format(Decimal(repr(value)).normalize(), "f")
    return written.removesuffix(".0")


def placeholders(template: str) -> list[str]:
    """The {names} a template fills, sorted (a translation must name the same)."""
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


ENGLISH: dict[str, str] = {
    # Judging one set (engine.judge, counting_reason).
    "set.broken-form": "{broken} reps broke form: the set falls short.",
    "set.too-few": "{counting} counting rep(s), fewer than {minimum}: the set falls short.",
    "set.mastered": "{long_holds} counting reps held at least {hold} s: the set is mastered.",
    "set.in-range": "{counting} counting rep(s), {long_holds} held {hold} s or more: "
    "in range, stay.",
    "set.one-rep-broke-form": "One rep broke form: it does not count, and the set cannot be "
    "mastered.",
    "set.next-aim": "Next: aim for {reps} reps x {hold} s.",
    "set.counted": "{counting} of {reps} rep(s) counted (held at least {hold} s, strict form, "
    "high hip flexion).",
    # Moving on the ladder (engine.decide, describe_step, restart_reason).
    "restart.band-notch": "New position (a band notch): start at {reps} reps x {hold} s.",
    "restart.new-movement": "New position (a new exercise or the add-on): start at {reps} "
    "reps x {hold} s.",
    "ladder.top": "The ladder is complete: level {level}, {band} band, with the add-on.",
    "ladder.bottom": "Already at the bottom of the ladder (level {level}, no add-on): stay.",
    "step.level": "Level {before} to level {after}, band {band}, no add-on.",
    # Not said by today's ladder (a change of level always leaves the add-on off), but
    # describe_step describes any two positions rightly.
    "step.level-with-add-on": "Level {before} to level {after}, band {band}, with shoulder "
    "flexion.",
    "step.band": "Band {before} to {after}, same level.",
    "step.add-on-added": "Shoulder flexion added.",
    "step.add-on-dropped": "Shoulder flexion dropped.",
    "position": "level {level}, band {band}",
    "position.with-add-on": "level {level}, band {band}, with shoulder flexion",
    # The recommendation from workouts (history.recommend).
    "verdict.falls_short": "falls short",
    "verdict.in_range": "in range",
    "verdict.mastered": "mastered",
    "workout.judged": "The latest workout ({date}) at {position}: {verdict}, judged by the "
    "weaker side's best set.",
    "assessment.judged": "The latest assessment ({date}) at {position}: {verdict}, judged by "
    "the weaker side's best set.",
    "workout.one-side-only": "Only one side counted at this position: in range at best.",
    "history.none": "No counting workout logged yet: start at level {level}, {reps} reps x "
    "{hold} s on each side.",
    "history.pair": "The last {count} counting workouts at {position} were mastered, on two "
    "training days.",
    "history.once": "Mastered once at this position: master it in {count} counting workouts "
    "in a row, on different days, to step up.",
    "history.previous-not-mastered": "The workout before this one was not mastered without "
    "pain: master the next one too.",
    "history.too-close": "Both mastered, but {hours} h apart: a step up needs two training "
    "days (at least {minimum} h apart).",
    "history.too-far": "Both mastered, but {days} days apart (more than {maximum}): master "
    "it once more to step up.",
    "layoff": "The latest counting workout ({date}) is more than {days} days old: a layoff. "
    "The pair for the next step up counts from after it.",
    "assessment.placed": "Assessment ({date}): both sides mastered up to {position}: the "
    "athlete is placed from there.",
    "assessment.waits": "Assessment ({date}): both sides mastered up to {position}; the step "
    "above it waits for its block.",
    "pain.recovery": "A set was marked pain on {date}, in recovery work: stay at {position}, "
    "no step up until a counting workout without pain.",
    "pain.assessment": "A set was marked pain on {date}, above {position} in the assessment: "
    "stay at the highest position mastered without pain.",
    "pain.step-down": "A set was marked pain on {date}: one step down, whatever the verdict.",
    "pain.at-bottom": "A set was marked pain on {date}: no step up, whatever the verdict.",
    "plateau.retry": "Mastered, but the athlete fell short or felt pain at {position} on "
    "{date}: build here, {sets} sets per side, for {needed} counting workouts before trying "
    "it again ({left} to go).",
    "plateau.retry-again": "Mastered, but the athlete fell short or felt pain at {position} on "
    "{date} ({falls} times in {days} days): build here, {sets} sets per side, for {needed} "
    "counting workouts before trying it again ({left} to go).",
    "in-range.aim": "Stay and aim for {reps} reps x {hold} s on each side.",
    "plateau.stuck": "{count} counting workouts at this position without mastery: a "
    "plateau. Stay (no change of position), and do {sets} sets per side to build capacity.",
    # Routine blocks (routines.build_routine).
    "routine.activation": "Prep work: do this before the main training, each side, to turn "
    "the psoas on.",
    "routine.recovery-day": "Recovery day, level {level} of {top}: lighter, no add-on.",
    "routine.filler": "Recovery filler: one set between sets of a non-competing, "
    "hip-dominant lift; no add-on, it is recovery.",
    "routine.filler-paired": "Recovery filler: one set between sets of {lift}; no add-on, it "
    "is recovery.",
    "routine.scissor": "Complementary scissor work: one leg rises, the other extends; pause "
    "{hold} s in the scissor position (knee high, rear hip extended). Trains the glute that "
    "pairs with the psoas; load it as a strength lift on other days.",
    # A prescription's violations (prescriptions.check_prescription).
    "hold.too-short": "Hold each rep {min}-{max} s; {hold} s is too short.",
    "hold.too-long": "Hold each rep {min}-{max} s; {hold} s is too long.",
    "reps.too-few": "Do {min}-{max} reps per set and side; {reps} is too few.",
    "reps.too-many": "Do {min}-{max} reps per set and side; {reps} is too many.",
    "sets.exactly": "{context} takes {allowed} set(s); {sets} is not that.",
    "sets.between": "{context} takes {min}-{max} set(s); {sets} is not that.",
    "band.none-at-level": "Level {level} takes no band: use `none`.",
    "band.needed-at-level": "Level {level} needs a band (light to extra_heavy), not `none`.",
    "add-on.filler": "A filler is recovery between working sets: leave out the "
    "shoulder-flexion add-on.",
    "add-on.recovery-day": "A recovery day is lighter: leave out the shoulder-flexion "
    "add-on, or plan activation instead.",
}
