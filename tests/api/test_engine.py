"""POST /v1/prescriptions/validate, /v1/progressions/evaluate and /v1/routines over HTTP."""

import pytest

from tests.helpers import assert_problem

GOOD_REP = {"hold_seconds": 5, "strict_form": True, "high_flexion": True}
EVALUATE = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "shoulder_flexion": False,
    "reps": [GOOD_REP] * 5,
}
VALIDATE = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "sets": 2,
    "reps": 5,
    "hold_seconds": 3,
    "band_tension": "medium",
    "shoulder_flexion": False,
    "context": "activation",
}
ROUTINE = {
    "context": "activation",
    "exercise": "side-plank-banded-psoas-hold",
    "band_tension": "heavy",
}


def fields_of(body: dict) -> set[str]:
    return {error["field"] for error in body["errors"]}


# --- validate


def test_a_good_prescription_is_valid(client):
    response = client.post("/v1/prescriptions/validate", json=VALIDATE)
    assert response.status_code == 200
    assert response.get_json() == {"valid": True, "violations": []}


def test_an_off_rule_prescription_is_200_with_every_violation(client):
    body = {
        **VALIDATE,
        "exercise": "supine-psoas-activation",
        "sets": 3,
        "reps": 8,
        "hold_seconds": 10,
        "band_tension": "light",
        "shoulder_flexion": True,
        "context": "recovery_day",
    }
    answer = client.post("/v1/prescriptions/validate", json=body).get_json()
    assert answer["valid"] is False
    assert {(v["rule"], v["field"]) for v in answer["violations"]} == {
        ("hold-duration", "hold_seconds"),
        ("repetitions", "reps"),
        ("sets-per-context", "sets"),
        ("band-tension", "band_tension"),
        ("usage-context", "context"),
    }
    assert all(v["message"] for v in answer["violations"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sets": "2"}, "sets"),
        ({"sets": True}, "sets"),
        ({"sets": -1}, "sets"),
        ({"sets": 21}, "sets"),
        ({"reps": 2.5}, "reps"),
        ({"reps": 1000}, "reps"),
        ({"hold_seconds": -1}, "hold_seconds"),
        ({"hold_seconds": "long"}, "hold_seconds"),
        ({"shoulder_flexion": "yes"}, "shoulder_flexion"),
        ({"exercise": "bench-press"}, "exercise"),
        ({"exercise": "deep-lunge"}, "exercise"),
        ({"context": "warm-up"}, "context"),
        ({"band_tension": "purple"}, "band_tension"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_malformed_prescription_is_a_422_naming_the_field(client, change, field):
    body = assert_problem(
        client.post("/v1/prescriptions/validate", json={**VALIDATE, **change}), 422
    )
    assert fields_of(body) == {field}
    assert body["errors"][0]["location"] == "body"


def test_a_missing_field_is_a_422(client):
    body = {k: v for k, v in VALIDATE.items() if k != "context"}
    assert fields_of(assert_problem(client.post("/v1/prescriptions/validate", json=body), 422)) == {
        "context"
    }


# --- evaluate


def test_evaluate_answers_decision_next_and_reasons(client):
    answer = client.post("/v1/progressions/evaluate", json=EVALUATE).get_json()
    assert answer["decision"] == "up"
    assert answer["verdict"] == "mastered"
    assert answer["next"] == {
        "exercise": "half-kneeling-banded-psoas-hold",
        "level": 3,
        "band_tension": "heavy",
        "shoulder_flexion": False,
        "sets": 1,
        "reps": 4,
        "hold_seconds": 4,
    }
    assert [r["rule"] for r in answer["reasons"]] == [
        "counting-rep",
        "mastered-set",
        "step-up",
        "restart-after-change",
    ]


def test_evaluate_names_the_next_exercise_when_the_level_changes(client):
    body = {"exercise": "standing-psoas-activation", "band_tension": "none", "reps": [GOOD_REP] * 5}
    answer = client.post("/v1/progressions/evaluate", json=body).get_json()
    assert answer["next"]["exercise"] == "half-kneeling-banded-psoas-hold"
    assert (answer["next"]["level"], answer["next"]["band_tension"]) == (3, "light")


@pytest.mark.parametrize(
    "reps",
    [[GOOD_REP] * 5, [GOOD_REP] * 3, [{**GOOD_REP, "strict_form": False}], [GOOD_REP]],
)
def test_every_reason_names_a_rule_the_api_serves(client, reps):
    answer = client.post("/v1/progressions/evaluate", json={**EVALUATE, "reps": reps}).get_json()
    for reason in answer["reasons"]:
        assert client.get(f"/v1/rules/{reason['rule']}").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"exercise": "deep-lunge"}, "exercise"),
        ({"exercise": "high-box-step-up"}, "exercise"),
        ({"band_tension": "none"}, "band_tension"),
        ({"exercise": "supine-psoas-activation"}, "band_tension"),  # medium on level 1
        ({"reps": []}, "reps"),
        ({"reps": [GOOD_REP] * 31}, "reps"),
        ({"reps": [{**GOOD_REP, "hold_seconds": -2}]}, "reps.0.hold_seconds"),
        ({"reps": [{**GOOD_REP, "hold_seconds": 61}]}, "reps.0.hold_seconds"),
        ({"reps": [{**GOOD_REP, "hold_seconds": "five"}]}, "reps.0.hold_seconds"),
        ({"reps": [{**GOOD_REP, "strict_form": 1}]}, "reps.0.strict_form"),
        ({"reps": [{"hold_seconds": 5}]}, "reps.0.strict_form"),
        ({"reps": [{**GOOD_REP, "extra": 1}]}, "reps.0.extra"),
        ({"reps": "5x5"}, "reps"),
        ({"decision": "up"}, "decision"),
    ],
)
def test_a_malformed_set_is_a_422_naming_the_field(client, change, field):
    response = client.post("/v1/progressions/evaluate", json={**EVALUATE, **change})
    body = assert_problem(response, 422)
    assert field in fields_of(body)


def test_a_complementary_lift_is_refused_with_a_clear_message(client):
    body = assert_problem(
        client.post("/v1/progressions/evaluate", json={**EVALUATE, "exercise": "deep-lunge"}), 422
    )
    assert "not on the ladder" in body["errors"][0]["message"]


@pytest.mark.parametrize("media_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_a_body_that_is_not_json_is_a_415(client, media_type):
    response = client.post(
        "/v1/progressions/evaluate", data='{"reps": []}', content_type=media_type
    )
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_broken_json_is_a_422_problem(client):
    response = client.post(
        "/v1/progressions/evaluate", data="{not json", content_type="application/json"
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["message"].startswith("Not valid JSON")


@pytest.mark.parametrize("shoulder_flexion", [False, True])
@pytest.mark.parametrize(
    ("exercise", "band"),
    [("supine-psoas-activation", "none"), ("side-plank-banded-psoas-hold", "medium")],
)
def test_the_engines_next_prescription_validates_as_activation(
    client, exercise, band, shoulder_flexion
):
    for reps in ([GOOD_REP] * 5, [GOOD_REP] * 3, [GOOD_REP]):
        body = {
            "exercise": exercise,
            "band_tension": band,
            "shoulder_flexion": shoulder_flexion,
            "reps": reps,
        }
        nxt = client.post("/v1/progressions/evaluate", json=body).get_json()["next"]
        prescription = {k: v for k, v in nxt.items() if k != "level"}
        answer = client.post(
            "/v1/prescriptions/validate", json={**prescription, "context": "activation"}
        ).get_json()
        assert answer["valid"], answer


# --- routines


def test_an_activation_routine(client):
    answer = client.post("/v1/routines", json=ROUTINE).get_json()
    assert answer["context"] == "activation"
    (block,) = answer["blocks"]
    assert block["exercise"] == "side-plank-banded-psoas-hold"
    assert block["per_side"] is True


def test_a_recovery_day_with_scissor_work(client):
    body = {**ROUTINE, "context": "recovery_day", "include_complementary": True}
    blocks = client.post("/v1/routines", json=body).get_json()["blocks"]
    assert [b["exercise"] for b in blocks] == [
        "supine-psoas-activation",
        "standing-psoas-activation",
        "half-kneeling-banded-psoas-hold",
        "side-plank-banded-psoas-hold",
        "deep-lunge",
        "high-box-step-up",
    ]
    assert [b["band_tension"] for b in blocks[:4]] == ["none", "none", "light", "medium"]


def test_a_filler_names_its_partner_lift(client):
    body = {**ROUTINE, "context": "filler", "pair_with": "hip thrust"}
    (block,) = client.post("/v1/routines", json=body).get_json()["blocks"]
    assert "hip thrust" in block["notes"]
    assert block["sets"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pair_with": "hip thrust"}, "pair_with"),  # not a filler
        ({"context": "filler", "pair_with": "   "}, "pair_with"),
        ({"exercise": "deep-lunge"}, "exercise"),
        ({"band_tension": "none"}, "band_tension"),
        ({"context": "cooldown"}, "context"),
        ({"include_complementary": "true"}, "include_complementary"),
        ({"sets": 2}, "sets"),
    ],
)
def test_a_malformed_routine_request_is_a_422(client, change, field):
    body = assert_problem(client.post("/v1/routines", json={**ROUTINE, **change}), 422)
    assert field in fields_of(body)


def test_a_filler_leaves_out_the_add_on_and_matches_its_set_count(client):
    body = {
        **ROUTINE,
        "context": "filler",
        "shoulder_flexion": True,
        "band_tension": "extra_heavy",
    }
    blocks = client.post("/v1/routines", json=body).get_json()["blocks"]
    assert [b["sets"] for b in blocks] == [1]
    assert not any(b["shoulder_flexion"] for b in blocks)


def test_a_filler_takes_no_complementary_work(client):
    body = {**ROUTINE, "context": "filler", "include_complementary": True}
    response = client.post("/v1/routines", json=body)
    assert assert_problem(response, 422)["errors"][0]["field"] == "include_complementary"


@pytest.mark.parametrize("context", ["activation", "recovery_day", "filler"])
def test_every_routine_block_validates_in_its_context(client, context):
    body = {**ROUTINE, "context": context, "band_tension": "extra_heavy", "shoulder_flexion": True}
    for block in client.post("/v1/routines", json=body).get_json()["blocks"]:
        if block["exercise"] in ("deep-lunge", "high-box-step-up"):
            continue  # not ladder drills: validate refuses them by design
        keys = ("exercise", "sets", "reps", "hold_seconds", "band_tension", "shoulder_flexion")
        prescription = {key: block[key] for key in keys}
        answer = client.post(
            "/v1/prescriptions/validate", json={**prescription, "context": context}
        ).get_json()
        assert answer == {"valid": True, "violations": []}, block
