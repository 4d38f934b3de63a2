"""The flask commands: api-keys create / list / revoke, idempotency purge."""

import re


def test_api_keys_create_list_revoke(app):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-keys", "create", "cli-app"])
    assert created.exit_code == 0
    key = created.stdout.strip()
    assert re.fullmatch(r"psk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", key)
    listed = runner.invoke(args=["api-keys", "list"]).stdout
    assert key[:13] in listed and "cli-app" in listed
    assert key not in listed  # the secret part is never shown again
    revoked = runner.invoke(args=["api-keys", "revoke", key[:13]])
    assert revoked.exit_code == 0
    assert "refuses it within 10 s" in revoked.stdout  # the per-worker key cache's delay
    line = next(
        line
        for line in runner.invoke(args=["api-keys", "list"]).stdout.splitlines()
        if line.startswith(key[:13])
    )
    assert not line.endswith("active")


def test_a_sandbox_key_is_a_psk_test_key_of_the_apps_sandbox(app):
    runner = app.test_cli_runner()
    live = runner.invoke(args=["api-keys", "create", "cli-twin"]).stdout.strip()
    created = runner.invoke(args=["api-keys", "create", "--sandbox", "cli-twin"])
    assert created.exit_code == 0
    key = created.stdout.strip()
    assert re.fullmatch(r"psk_test_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", key)
    listed = runner.invoke(args=["api-keys", "list"]).stdout.splitlines()
    assert any(line.startswith(f"{key[:18]}\tcli-twin (sandbox)\t") for line in listed)
    assert any(line.startswith(f"{live[:13]}\tcli-twin\t") for line in listed)
    revoked = runner.invoke(args=["api-keys", "revoke", key[:18]])
    assert revoked.exit_code == 0 and key[:18] in revoked.stdout


def test_revoking_an_unknown_key_fails_clearly(app):
    result = app.test_cli_runner().invoke(args=["api-keys", "revoke", "psk_00000000_"])
    assert result.exit_code != 0
    assert "No key starts with" in result.output


def test_idempotency_purge_reports_a_count(app):
    result = app.test_cli_runner().invoke(args=["idempotency", "purge"])
    assert result.exit_code == 0
    assert re.fullmatch(r"purged \d+ expired idempotency keys\n", result.stdout)


def test_a_client_app_needs_a_name(app):
    result = app.test_cli_runner().invoke(args=["api-keys", "create", "   "])
    assert result.exit_code != 0
    assert "1-100 characters" in result.output
