"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import sys

from app import create_app
from app.config import ConfigError
from app.web.observability import configure_logging

configure_logging()

try:
    app = create_app()
except ConfigError as error:
    # A deployer needs the sentence, not a traceback.
    sys.stderr.write(f"psoas-api: configuration error: {error}\n")
    raise SystemExit(2) from None
