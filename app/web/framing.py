"""Request framing: one valid Host, single-valued fields sent once, a UTF-8 query string,
and a body that can be read."""

from __future__ import annotations

import logging
import re

from flask import current_app, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge

from app.web.problems import Problem, validation_problem

log = logging.getLogger(__name__)

# RFC 3986 3.2.2-3.2.3: an IP literal or a registered name, and an optional port.
HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]*)(:[0-9]*)?")


def require_host() -> None:
    """HTTP/1.1 requires one valid Host header (RFC 9112 3.2): else a 400."""
    environ = request.environ
    host = environ.get("HTTP_HOST")
    if environ.get("SERVER_PROTOCOL") == "HTTP/1.1" and not host:
        raise Problem(400, "An HTTP/1.1 request must carry a Host header (RFC 9112, 3.2).")
    if host and not HOST.fullmatch(host):
        raise Problem(400, "The Host header is not a host name or address (RFC 9112, 3.2).")


def require_utf8_query() -> None:
    """A query string is UTF-8 (RFC 3986 3.4 with percent-escapes for anything else): raw
    bytes that are not UTF-8 are a 400, before anything reads `request.args`."""
    query = request.environ.get("QUERY_STRING", "")
    if query.isascii():
        return
    try:
        query.encode("latin-1").decode("utf-8")  # WSGI hands bytes over as latin-1
    except UnicodeError:
        raise Problem(400, "The query string is not UTF-8: percent-encode other bytes.") from None


# gunicorn.conf.py (pre_request) names here the single-valued fields a request repeated:
# by the time the app sees them, gunicorn has joined the values with a comma.
REPEATED_FIELDS = "HTTP_X_PSOAS_REPEATED_FIELDS"
FIELD_NAMES = {
    "IDEMPOTENCY-KEY": "Idempotency-Key",
    "IF-MATCH": "If-Match",
    "X-REQUEST-ID": "X-Request-ID",
}


def refuse_repeated_fields() -> None:
    """A single-valued field sent twice (two Idempotency-Keys, two If-Matches) is a 422:
    which one the client meant cannot be known."""
    repeated = request.environ.get(REPEATED_FIELDS)
    if not repeated:
        return
    names = [FIELD_NAMES.get(name, name.title()) for name in repeated.split(", ")]
    raise validation_problem(
        [
            {"location": "header", "field": name, "message": "Sent more than once; send it once."}
            for name in names
        ]
    )


def read_the_body() -> None:
    """Read a body once, up front, within the size limit.

    A body that breaks its own framing (a malformed chunk size, a connection cut short) is
    a 400 here rather than a crash in whichever hook reads it first. A chunked body has no
    length to check up front; werkzeug stops reading at the limit.
    """
    environ = request.environ
    chunked = "HTTP_TRANSFER_ENCODING" in environ and request.content_length is None
    if not chunked and environ.get("CONTENT_LENGTH", "0") in ("", "0"):
        return
    try:
        data = request.get_data(cache=True)
    except ClientDisconnected as error:
        if isinstance(error.__context__, TimeoutError):  # the server's idle timeout
            raise Problem(408, "The request body stopped arriving; send it again.") from None
        raise
    except HTTPException:
        raise
    except Exception as error:  # noqa: BLE001 - the server's body reader raises its own kinds
        log.info("unreadable request body: %s: %.200s", type(error).__name__, error)
        raise Problem(400, "The request body could not be read: its framing is broken.") from None
    if chunked and len(data) >= current_app.config["MAX_CONTENT_LENGTH"]:
        raise RequestEntityTooLarge()
