"""Helpers shared by the system tests: an API key made by the CLI, a workout body."""

import subprocess

from tests.system.conftest import ENV_BIN, ROOT


def make_key(database_url: str, name: str) -> str:
    result = subprocess.run(
        [f"{ENV_BIN}/flask", "--app", "wsgi", "api-keys", "create", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": f"{ENV_BIN}:/usr/bin:/bin", "DATABASE_URL": database_url},
    )
    return result.stdout.strip()


WORKOUT = {
    "performed_at": "2026-11-20T07:30:00Z",
    "context": "activation",
    "sets": [
        {
            "exercise": "standing-psoas-activation",
            "side": side,
            "band_tension": "none",
            "reps": [{"hold_seconds": 4, "strict_form": True, "high_flexion": True}] * 4,
        }
        for side in ("left", "right")
    ],
}
