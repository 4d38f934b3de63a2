"""The domain's messages: said in every language, whatever the engine decides."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings

from app.catalog.translations import (
    LANGUAGES,
    Translation,
    bundled_translations,
    message_gaps,
    wording,
)
from app.domain.engine import evaluate, where
from app.domain.history import first_steps_reason, recommend
from app.domain.ladder import BandTension, Position
from app.domain.messages import ENGLISH, Text, Wording, placeholders, said, text
from tests.unit.test_engine_properties import positions, rep_lists
from tests.unit.test_recommendation import histories, replay

DOMAIN = Path(__file__).parents[2] / "app" / "domain"
# What each placeholder stands for, as the domain fills it.
SAMPLES: dict[str, object] = {
    "position": text("position.with-add-on", level=4, band="heavy"),
    "verdict": text("verdict.in_range"),
    "date": date(2026, 11, 21),
    "hold": 2.5,
    "band": "medium",
    "before": 3,
    "after": 4,
    "context": "recovery_day",
    "lift": "Romanian deadlift",
}


def sample(key: str) -> Text:
    return text(key, **{name: SAMPLES.get(name, 7) for name in placeholders(ENGLISH[key])})


@pytest.mark.parametrize("translation", bundled_translations(), ids=lambda t: t.language)
def test_every_language_says_every_message(translation):
    assert message_gaps(translation) == []


@pytest.mark.parametrize("language", LANGUAGES[1:])
@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_every_message_is_translated_and_renders_whole(key, language):
    english, translated = said(sample(key), wording("en")), said(sample(key), wording(language))
    assert translated != english  # not an English copy
    for rendered in (english, translated):
        assert "{" not in rendered and "}" not in rendered


def test_every_message_is_one_the_domain_says():
    source = "".join(p.read_text() for p in DOMAIN.glob("*.py") if p.name != "messages.py")
    for key in ENGLISH:
        family = key.split(".")[0]
        assert f'"{key}"' in source or f'f"{family}.{{' in source, key


def test_values_are_written_the_languages_way():
    german = Wording("de", {"hold.too-short": "{hold} s; {min}-{max}"}, decimal_mark=",")
    assert said(text("hold.too-short", min=3, max=12, hold=2.5), german) == "2,5 s; 3-12"
    assert said(text("hold.too-short", min=3, max=12, hold=2.0), german) == "2 s; 3-12"
    assert str(text("layoff", date=date(2026, 1, 2), days=28)).startswith(
        "The latest counting workout (2026-01-02) is more than 28 days old"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [(2.5, "2,5"), (1e-7, "0,0000001"), (-0.0, "0"), (1.9999999, "1,9999999"), (100.0, "100")],
)
def test_numbers_are_written_in_full_never_rounded(value, written):
    german = Wording("de", {"hold.too-short": "{hold}"}, decimal_mark=",")
    assert said(text("hold.too-short", min=2, max=5, hold=value), german) == written


def test_the_nested_messages_and_sentences_are_said_in_the_language():
    nested = text("step.band", before="medium", after="heavy")
    both = (text("set.next-aim", reps=4, hold=4), nested)
    assert (
        said(both, wording("de"))
        == "Als Nächstes: 4 reps x 4 s anpeilen. Band von medium auf heavy, gleiche Stufe."
    )
    judged = text(
        "workout.judged",
        date=date(2026, 11, 21),
        position=text("position", level=3, band="medium"),
        verdict=text("verdict.mastered"),
    )
    assert "Stufe 3, Band medium: gemeistert" in said(judged, wording("de"))
    assert "nivel 3, banda medium: dominado" in said(judged, wording("es"))


def test_a_clients_own_text_is_never_read_as_a_template():
    notes = text("routine.filler-paired", lift="{lift} {0} {__class__}")
    assert "{lift} {0} {__class__}" in said(notes, wording("de"))


def test_an_unknown_message_is_a_bug_caught_at_once():
    with pytest.raises(KeyError):
        text("no.such.message")


def test_message_gaps_name_what_is_missing_or_wrong():
    german = bundled_translations()[0]

    def with_messages(**changes: str | None) -> Translation:
        messages = {**german.messages, **changes}
        return Translation(
            german.language, german.entries, {k: v for k, v in messages.items() if v is not None}
        )

    assert message_gaps(with_messages(layoff=None)) == ["de: message layoff: missing"]
    assert message_gaps(with_messages(**{"no.such": "x"})) == ["de: message no.such: not a message"]
    wrong = message_gaps(with_messages(**{"set.next-aim": "Ziel {reps} reps."}))
    assert wrong == ["de: message set.next-aim: must name the same {placeholders} as the English"]
    stray = message_gaps(with_messages(**{"set.next-aim": "Ziel {reps} x {hold s."}))
    assert len(stray) == 1 and "placeholders" in stray[0]
    for formatted in ("Ziel {reps} x {hold:.1f} s.", "Ziel {reps} x {hold!r} s."):
        assert len(message_gaps(with_messages(**{"set.next-aim": formatted}))) == 1, formatted
    odd_mark = Translation(german.language, german.entries, german.messages, decimal_mark="·")
    assert message_gaps(odd_mark) == ["de: decimal_mark must be . or ,"]


def said_in_every_language(reasons) -> None:
    for reason in reasons:
        assert said(reason.sentences, wording("en")) == reason.message
        for language in LANGUAGES:
            rendered = said(reason.sentences, wording(language))
            assert rendered.strip() and "{" not in rendered and "}" not in rendered


@given(positions, rep_lists)
def test_every_evaluation_is_said_in_every_language(position, reps):
    said_in_every_language(evaluate(position, reps).reasons)


@settings(max_examples=150)
@given(histories)
def test_every_recommendation_is_said_in_every_language(history):
    log, when = replay(history)
    for days_later in (0, 40):
        found = recommend(log, when + timedelta(days=days_later))
        said_in_every_language(found.evaluation.reasons if found else [first_steps_reason()])


def test_a_position_is_named_with_its_add_on():
    top = where(Position(5, BandTension.EXTRA_HEAVY, True))
    assert said(top, wording("de")) == "Stufe 5, Band extra_heavy, mit Schulterflexion"
    assert said(where(Position(2, BandTension.NONE, False)), wording("es")) == "nivel 2, banda none"
