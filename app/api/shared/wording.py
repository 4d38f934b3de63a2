"""The domain's messages in the client's language: the engine's reasons, a routine's notes
and a prescription's violations follow Accept-Language, as the catalog's text does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, after_this_request

from app.catalog.translations import DEFAULT_LANGUAGE, LANGUAGES, wording
from app.domain.engine import Reason
from app.domain.messages import Wording, said
from app.domain.prescriptions import Violation
from app.domain.routines import Block
from app.web.languages import negotiated


def spoken() -> Wording:
    """This request's language, negotiated from Accept-Language (English when nothing
    matches); a successful answer names it in `Content-Language`. Errors are problem
    details, in English: they do not."""
    language = negotiated(LANGUAGES)

    @after_this_request
    def name_it(response: Response) -> Response:
        if response.status_code < 300:
            response.headers["Content-Language"] = language
            response.vary.add("Accept-Language")
        return response

    return wording(language)


def english() -> Wording:
    """The wording of the spec's examples."""
    return wording(DEFAULT_LANGUAGE)


def reasons_body(reasons: Iterable[Reason], words: Wording) -> list[dict[str, str]]:
    return [{"rule": r.rule, "message": said(r.sentences, words)} for r in reasons]


def violations_body(violations: Iterable[Violation], words: Wording) -> list[dict[str, str]]:
    return [{"rule": v.rule, "field": v.field, "message": said(v.text, words)} for v in violations]


def blocks_body(blocks: Iterable[Block], words: Wording) -> list[dict[str, Any]]:
    return [{**vars(block), "notes": said(block.notes, words)} for block in blocks]
