"""Flask commands: `flask catalog load` and `flask spec write`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.catalog.data import DATA_FILE, read_data_file
from app.catalog.loader import load_catalog

catalog_cli = AppGroup("catalog", help="The exercise catalog.")
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
        changed = load_catalog(session, data)
    state = "loaded" if changed else "already up to date"
    click.echo(f"catalog version {data.version} {state}")


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
    app.cli.add_command(spec_cli)
