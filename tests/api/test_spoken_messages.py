"""The engine's messages in the client's language: reasons, routine notes and violations
follow Accept-Language like the catalog's text; problems stay English."""

from __future__ import annotations

import uuid

import pytest

from app.catalog.translations import wording
from app.domain.engine import Rep, evaluate
from app.domain.ladder import BandTension, Position
from app.domain.messages import said
from tests.api.workout_bodies import both_sides, days_ago, workout
from tests.helpers import assert_problem

SET = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "reps": [{"hold_seconds": h, "strict_form": True, "high_flexion": True} for h in (4, 3.5, 5)],
}
PRESCRIPTION = {
    "exercise": "supine-psoas-activation",
    "sets": 3,
    "reps": 8,
    "hold_seconds": 1.5,
    "band_tension": "none",
    "shoulder_flexion": True,
    "context": "filler",
}


def post(client, path: str, body: dict, accept: str | None, **headers: str):
    if accept is not None:
        headers["Accept-Language"] = accept
    return client.post(path, json=body, headers=headers)


def assert_spoken(response, language: str) -> dict:
    assert response.status_code == 200, response.get_json()
    assert response.headers["Content-Language"] == language
    assert "Accept-Language" in response.headers.get_all("Vary")[0]
    return response.get_json()


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_evaluate_gives_its_reasons_in_the_language_asked(client, language):
    answer = assert_spoken(post(client, "/v1/progressions/evaluate", SET, language), language)
    reps = [Rep(r["hold_seconds"], True, True) for r in SET["reps"]]
    expected = evaluate(Position(3, BandTension.MEDIUM, False), reps).reasons
    assert answer["reasons"] == [
        {"rule": r.rule, "message": said(r.sentences, wording(language))} for r in expected
    ]


def test_only_the_words_change_with_the_language(client):
    answers = [
        post(client, "/v1/progressions/evaluate", SET, accept).get_json()
        for accept in ("en", "de", "es")
    ]
    for answer in answers:
        assert {k: v for k, v in answer.items() if k != "reasons"} == {
            k: v for k, v in answers[0].items() if k != "reasons"
        }
        assert [r["rule"] for r in answer["reasons"]] == [r["rule"] for r in answers[0]["reasons"]]
    assert len({answer["reasons"][0]["message"] for answer in answers}) == 3


@pytest.mark.parametrize(
    ("accept", "language"),
    [(None, "en"), ("de-CH, en;q=0.5", "de"), ("fr, es;q=0.8", "es"), ("fr", "en"), ("*", "en")],
)
def test_the_language_is_negotiated_as_for_the_catalog(client, accept, language):
    assert_spoken(post(client, "/v1/progressions/evaluate", SET, accept), language)


@pytest.mark.parametrize("accept", ["", ";;;", "de;q=abc", "x" * 300, "de;q=0", "*;q=0"])
def test_a_malformed_accept_language_is_english_never_an_error(client, accept):
    assert_spoken(post(client, "/v1/progressions/evaluate", SET, accept), "en")


def test_a_problem_stays_english_and_names_no_language(client):
    response = post(client, "/v1/progressions/evaluate", {**SET, "band_tension": "none"}, "de")
    problem = assert_problem(response, 422)
    assert "Content-Language" not in response.headers
    assert problem["title"] == "Validation failed"


def test_violations_are_said_with_the_languages_numbers(client):
    english = assert_spoken(post(client, "/v1/prescriptions/validate", PRESCRIPTION, None), "en")
    german = assert_spoken(post(client, "/v1/prescriptions/validate", PRESCRIPTION, "de"), "de")
    assert [v["rule"] for v in german["violations"]] == [v["rule"] for v in english["violations"]]
    assert [v["field"] for v in german["violations"]] == [v["field"] for v in english["violations"]]
    hold = {v["rule"]: v["message"] for v in german["violations"]}["hold-duration"]
    assert hold == "Halte jede Wiederholung 2-5 s; 1,5 s ist zu kurz."
    assert english["violations"][0]["message"] == "Hold each rep 2-5 s; 1.5 s is too short."


def test_routine_notes_are_said_in_the_language_and_keep_the_lift_as_given(client):
    body = {
        "context": "filler",
        "exercise": "standing-psoas-activation",
        "band_tension": "none",
        "pair_with": "Romanian deadlift",
    }
    (block,) = assert_spoken(post(client, "/v1/routines", body, "es"), "es")["blocks"]
    assert block["notes"] == (
        "Relleno de recuperación: una serie entre las series de Romanian deadlift; sin "
        "complemento, es recuperación."
    )


@pytest.fixture
def athlete(client, acme) -> str:
    response = client.post("/v1/athletes", json={"external_id": f"l-{uuid.uuid4()}"}, headers=acme)
    return response.headers["Location"]


def test_an_athletes_recommendation_and_routine_are_said_in_the_language(client, acme, athlete):
    first = assert_spoken(
        client.get(f"{athlete}/recommendation", headers={**acme, "Accept-Language": "de"}), "de"
    )
    assert first["reasons"][0]["message"].startswith("Noch keine zählende Trainingseinheit erfasst")
    client.post(f"{athlete}/workouts", json=workout(both_sides(), at=days_ago(2)), headers=acme)
    answer = assert_spoken(
        client.get(f"{athlete}/recommendation", headers={**acme, "Accept-Language": "es"}), "es"
    )
    assert answer["reasons"][0]["message"].startswith("El último entrenamiento (")
    assert "nivel 3, banda medium: dominado" in answer["reasons"][0]["message"]
    routine = assert_spoken(
        client.post(
            f"{athlete}/routines",
            json={"context": "activation"},
            headers={**acme, "Accept-Language": "de"},
        ),
        "de",
    )
    assert routine["blocks"][0]["notes"].startswith("Vorbereitung:")


def test_an_athletes_problem_names_no_language(client, acme):
    response = client.get(
        f"/v1/athletes/{uuid.uuid4()}/recommendation", headers={**acme, "Accept-Language": "de"}
    )
    assert_problem(response, 404)
    assert "Content-Language" not in response.headers


@pytest.mark.parametrize(
    ("accept", "language"),
    [("*, de;q=0.1", "en"), ("*;q=0.9, de;q=0.1", "en"), ("es;q=0.2, *;q=0.1, de;q=0.3", "de")],
)
def test_the_most_preferred_range_wins_whatever_werkzeug_sorts_first(client, accept, language):
    assert_spoken(post(client, "/v1/progressions/evaluate", SET, accept), language)
    catalog = client.get("/v1/rules/hold-duration", headers={"Accept-Language": accept})
    assert catalog.headers["Content-Language"] == language
