"""schemathesis hooks for Psoas API: one check made exact about what JSON Schema cannot state.

Three rules of the API cannot be written in JSON Schema: a list cursor is
opaque and signed (the spec states its shape, not its signature); a session's
`performed_at` may not be in the future (JSON Schema has no "now"); and an
Idempotency-Key already used for another body may not be reused (that is
server state). A schema-valid value that breaks them is rightly a 422.
`positive_data_acceptance` would count that as valid data rejected; this variant
excuses exactly those answers (a 422 whose every error is on `cursor` in the
query, `performed_at` in the body, or the `Idempotency-Key` header; and a 412,
which by definition answers a well-formed If-Match that names a stale version)
and defers to the original check for everything else.

And one answer is more precise than `missing_required_header` expects: a PATCH
without its required `If-Match` is a 428 Precondition Required (RFC 6585, and
the issue's contract), where the check only knows 400/422. Its variant accepts
exactly that 428 and defers otherwise. Every other check runs unchanged.

CLI use: SCHEMATHESIS_HOOKS=tests.conformance_checks schemathesis run \\
    --exclude-checks positive_data_acceptance,missing_required_header URL/openapi.json
"""

from __future__ import annotations

import json

import schemathesis
from schemathesis.specs.openapi.checks import missing_required_header, positive_data_acceptance

UNSTATABLE = {("query", "cursor"), ("body", "performed_at"), ("header", "Idempotency-Key")}


def rejects_only_the_unstatable(response) -> bool:
    if response.status_code != 422:
        return False
    try:
        errors = json.loads(response.content).get("errors") or []
    except ValueError:
        return False
    return bool(errors) and all(
        (error.get("location"), error.get("field")) in UNSTATABLE for error in errors
    )


@schemathesis.check
def positive_data_acceptance_with_signed_cursors(ctx, response, case):
    if rejects_only_the_unstatable(response) or response.status_code == 412:
        return True
    return positive_data_acceptance(ctx, response, case)


@schemathesis.check
def missing_required_header_with_precondition(ctx, response, case):
    headers = {name.lower() for name in (case.headers or {})}
    if response.status_code == 428 and "if-match" not in headers:
        return True
    return missing_required_header(ctx, response, case)


# Headers every HTTP answer may carry that an OpenAPI document does not declare: framing
# (Content-Type is the media type's; OpenAPI says to ignore it), CORS and nosniff.
TRANSPORT_HEADERS = {
    "content-type",
    "content-length",
    "date",
    "server",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "vary",
    "x-content-type-options",
}


def resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        target: dict = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def declared_headers(document: dict, operation: dict, status: int) -> set[str]:
    responses = operation["responses"]
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
    response = response or responses.get("default") or {}
    return {name.lower() for name in resolve(document, response).get("headers", {})}


def undeclared_headers(document: dict, operation: dict, status: int, sent) -> set[str]:
    """Headers of an answer that its operation's response (by status) does not declare."""
    names = {name.lower() for name in sent.keys()}
    names = {n for n in names if n not in TRANSPORT_HEADERS and not n.startswith("access-control-")}
    return names - declared_headers(document, operation, status)


@schemathesis.check
def every_header_sent_is_declared(ctx, response, case):
    document = case.operation.schema.raw_schema
    operation = case.operation.definition.raw
    extra = undeclared_headers(document, operation, response.status_code, response.headers)
    if extra:
        raise AssertionError(
            f"{case.method} {case.path} answered {response.status_code} with headers its "
            f"spec does not declare: {sorted(extra)}"
        )
    return True
