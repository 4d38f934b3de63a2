"""Flask commands: `flask catalog load` and `flask spec write`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.catalog.data import DATA_FILE, read_data_file
from app.services import catalog
from app.services.errors import NotFound
from app.services.idempotency import purge_expired
from app.services.keys import create_key, list_keys, public_part, revoke_key

catalog_cli = AppGroup("catalog", help="The exercise catalog.")
keys_cli = AppGroup("api-keys", help="Client apps' API keys.")
idempotency_cli = AppGroup("idempotency", help="Stored Idempotency-Keys.")
spec_cli = AppGroup("spec", help="The OpenAPI document.")


@catalog_cli.command("load")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DATA_FILE,
    show_default=True,
)
def load_command(path: Path) -> None:
    """Load the catalog data file into the database (idempotent)."""
    data = read_data_file(path)
    with current_app.extensions["db_sessionmaker"]() as session:
        changed = catalog.load(session, data)
    state = "loaded" if changed else "already up to date"
    click.echo(f"catalog version {data.version} {state}")


@keys_cli.command("create")
@click.argument("name")
@click.option(
    "--sandbox",
    is_flag=True,
    help="A psk_test_ key: its athletes, workouts, feed and webhooks are the sandbox's, "
    "never the live app's.",
)
def create_key_command(name: str, sandbox: bool) -> None:
    """Make an API key for the client app NAME (created on first use); shown once."""
    name = name.strip()
    if not name or len(name) > 100:
        raise click.BadParameter(
            "give the client app a name of 1-100 characters", param_hint="NAME"
        )
    with current_app.extensions["db_sessionmaker"]() as session:
        key = create_key(session, name, sandbox=sandbox)
    click.echo(key)
    click.echo("Store it now: only a hash is kept, it cannot be shown again.", err=True)


@keys_cli.command("list")
def list_keys_command() -> None:
    """List keys by client app: prefix, created, revoked (never the keys themselves)."""
    with current_app.extensions["db_sessionmaker"]() as session:
        for key in list_keys(session):
            revoked = key.revoked_at.isoformat() if key.revoked_at else "active"
            app_name = f"{key.client_app} (sandbox)" if key.sandbox else key.client_app
            click.echo(f"{key.prefix}\t{app_name}\t{key.created_at.isoformat()}\t{revoked}")


@keys_cli.command("revoke")
@click.argument("prefix")
def revoke_key_command(prefix: str) -> None:
    """Revoke the key starting with PREFIX (its public part, as `list` shows, or the key)."""
    with current_app.extensions["db_sessionmaker"]() as session:
        try:
            revoke_key(session, prefix)
        except NotFound as error:
            raise click.ClickException(error.message) from None
    seconds = current_app.config["SETTINGS"].api_key_cache_seconds
    # Each worker trusts a key it verified for a few seconds (app.web.auth.VerifiedKeys).
    click.echo(f"revoked {public_part(prefix)}; every server refuses it within {seconds} s")


@idempotency_cli.command("purge")
def purge_command() -> None:
    """Delete Idempotency-Keys older than 24 hours."""
    with current_app.extensions["db_sessionmaker"]() as session:
        click.echo(f"purged {purge_expired(session)} expired idempotency keys")


def spec_json(app: Flask) -> str:
    """The spec as committed in openapi/: stable key order, two-space indent."""
    return (
        json.dumps(app.extensions["smorest_api"].spec.to_dict(), indent=2, ensure_ascii=False)
        + "\n"
    )


@spec_cli.command("write")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def write_spec_command(output: Path) -> None:
    """Write the OpenAPI document to OUTPUT."""
    output.write_text(spec_json(current_app))
    click.echo(f"wrote {output}")


def init_app(app: Flask) -> None:
    app.cli.add_command(catalog_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(idempotency_cli)
    app.cli.add_command(spec_cli)
