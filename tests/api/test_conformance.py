"""schemathesis, with every check it has, against the app in-process."""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import missing_required_header, positive_data_acceptance

from app.services.keys import create_key
from tests.conformance_checks import (
    every_header_sent_is_declared,
    missing_required_header_with_precondition,
    positive_data_acceptance_with_signed_cursors,
)
from tests.conftest import make_app, migrate_and_load

# schemathesis collects operations at import time, so the app (on its own
# SQLite file, the catalog loaded) is made here rather than in a fixture.
_DIRECTORY = tempfile.TemporaryDirectory(prefix="psoas-conformance-")  # removed at exit
_DATABASE = Path(_DIRECTORY.name) / "catalog.db"
APP = make_app(migrate_and_load(f"sqlite:///{_DATABASE}"))
with APP.extensions["db_sessionmaker"]() as _session:
    KEY = create_key(_session, "conformance")

# The key as the spec's `bearerAuth` scheme, so the auth checks know it is the real one.
CONFIG = schemathesis.Config.from_dict(
    {"seed": 20261124, "auth": {"openapi": {"bearerAuth": {"bearer": KEY}}}}
)
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP, config=CONFIG)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_spec(case):
    # Every check schemathesis has; positive_data_acceptance in its cursor-exact
    # form (see tests/conformance_checks.py for why).
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance, missing_required_header],
        additional_checks=[
            positive_data_acceptance_with_signed_cursors,
            missing_required_header_with_precondition,
            every_header_sent_is_declared,
        ],
    )


def test_the_cursor_exception_is_exact():
    """The excuse covers a 422 on `cursor` alone, never a 422 on another field."""
    client = APP.test_client()
    from tests.conformance_checks import rejects_only_the_unstatable

    class Answer:
        def __init__(self, response):
            self.status_code, self.content = response.status_code, response.data

    assert rejects_only_the_unstatable(Answer(client.get("/v1/rules?cursor=0.0")))
    assert not rejects_only_the_unstatable(Answer(client.get("/v1/rules?cursor=0.0&page_size=0")))
    assert not rejects_only_the_unstatable(Answer(client.get("/v1/rules?page_size=0")))
