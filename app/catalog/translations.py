"""The catalog's text in other languages: one data file per language beside the catalog.

`translations/de.toml` holds, per kind and slug, the German text of each field listed in
TRANSLATED; the rest of an entry (slugs, numbers, codes, and the article's quotes in
`source`) is the catalog's own. English is the catalog itself. A rule's statement names
its numbers as {placeholders}, filled from the domain's rule values as in English.

The same file's `[messages]` table says the domain's messages (app/domain/messages.py:
the engine's reasons, routine notes, a prescription's violations) in that language, key by
key, with the same {placeholders} as the English; `decimal_mark` writes its numbers.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from app.catalog.data import CatalogData, CatalogDataError
from app.domain.messages import ENGLISH, Wording, placeholders

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
DEFAULT_LANGUAGE = "en"
# English first: the answer when nothing the client accepts matches.
LANGUAGES = (DEFAULT_LANGUAGE, "de", "es")
TRANSLATED: dict[str, tuple[str, ...]] = {
    "muscles": ("name", "origin", "insertion", "actions", "notes", "source_note"),
    "exercises": ("name", "load", "goal", "cues", "diagram_alt"),
    "ladders": ("name", "description"),
    "rules": ("name", "statement", "note"),
}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

Entries = dict[str, dict[str, dict[str, Any]]]  # kind -> slug -> field -> text


@dataclass(frozen=True)
class Translation:
    language: str
    entries: Entries
    messages: dict[str, str]
    decimal_mark: str = "."

    @property
    def wording(self) -> Wording:
        return Wording(self.language, self.messages, self.decimal_mark)


def read_translation(language: str, directory: Path = TRANSLATIONS_DIR) -> Translation:
    path = directory / f"{language}.toml"
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogDataError(f"{path.name}: {exc}") from exc
    if document.get("language") != language:
        raise CatalogDataError(f"{path.name}: `language` must be {language!r}")
    entries = {kind: document.get(kind, {}) for kind in TRANSLATED}
    decimal_mark = document.get("decimal_mark", ".")
    return Translation(language, entries, document.get("messages", {}), decimal_mark)


@cache
def bundled_translations() -> tuple[Translation, ...]:
    """This release's translations, one per language but English."""
    return tuple(read_translation(language) for language in LANGUAGES[1:])


def wording(language: str) -> Wording:
    """How the domain's messages are said in `language` (one of LANGUAGES)."""
    return _wordings()[language]


@cache
def _wordings() -> dict[str, Wording]:
    english = {DEFAULT_LANGUAGE: Wording(DEFAULT_LANGUAGE, ENGLISH)}
    return english | {t.language: t.wording for t in bundled_translations()}


def message_gaps(translation: Translation) -> list[str]:
    """What `translation`'s messages lack, or have too much of, against the English: every
    key, each with the same {placeholders}. Empty when it is complete."""
    given = translation.messages
    found = [] if translation.decimal_mark in (".", ",") else ["decimal_mark must be . or ,"]
    found += [f"message {key}: missing" for key in ENGLISH if key not in given]
    found += [f"message {key}: not a message" for key in given if key not in ENGLISH]
    for key in sorted(set(given) & set(ENGLISH)):
        said = given[key]
        if not isinstance(said, str) or not said.strip():
            found.append(f"message {key}: must be text")
        elif _placeholders(said) != placeholders(ENGLISH[key]):
            found.append(f"message {key}: must name the same {{placeholders}} as the English")
    return [f"{translation.language}: {gap}" for gap in found]


def _placeholders(template: str) -> list[str] | None:
    """The template's {names}; None for a stray brace, or a conversion or format spec
    (`{hold!r}`, `{hold:.1f}`): values are written by the domain, never by a template."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    if any(name and (spec or conversion) for _, name, spec, conversion in parsed):
        return None
    return placeholders(template)


def gaps(source: dict[str, Any], translation: Translation) -> list[str]:
    """What `translation` lacks, or has too much of, against the raw data file `source`:
    every translatable field of every entry, lists of the same length, the same
    {placeholders}. Empty when it is complete."""
    found: list[str] = []
    for kind, fields in TRANSLATED.items():
        english = {entry["slug"]: entry for entry in source.get(kind, [])}
        given = translation.entries.get(kind, {})
        found += [
            f"{kind} {slug}: not in the catalog" for slug in sorted(set(given) - set(english))
        ]
        for slug, entry in english.items():
            texts = given.get(slug)
            if texts is None:
                found.append(f"{kind} {slug}: missing")
                continue
            wanted = {field for field in fields if entry.get(field)}
            found += [f"{kind} {slug}: {f} missing" for f in sorted(wanted - set(texts))]
            found += [f"{kind} {slug}: {f} not translatable" for f in sorted(set(texts) - wanted)]
            for field in sorted(wanted & set(texts)):
                found += _field_gaps(f"{kind} {slug}: {field}", entry[field], texts[field])
    return [f"{translation.language}: {gap}" for gap in found]


def _field_gaps(where: str, english: Any, text: Any) -> list[str]:
    if isinstance(english, list):
        if not isinstance(text, list) or len(text) != len(english):
            return [f"{where} must be a list of {len(english)}"]
        return [gap for e, t in zip(english, text, strict=True) for gap in _field_gaps(where, e, t)]
    if not isinstance(text, str) or not text.strip():
        return [f"{where} must be text"]
    if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(text)):
        return [f"{where} must name the same {{placeholders}} as the English"]
    return []


def translate(data: CatalogData, translation: Translation) -> CatalogData:
    """`data` with the text of `translation`; an entry it does not know (a database holding
    another release's catalog) stays in English."""

    def each(kind: str) -> list[Any]:
        texts = translation.entries.get(kind, {})
        return [_translated(kind, r, texts.get(r.slug, {})) for r in getattr(data, kind)]

    return replace(
        data,
        muscles=each("muscles"),
        exercises=each("exercises"),
        ladders=each("ladders"),
        rules=each("rules"),
    )


def _translated(kind: str, record: Any, texts: dict[str, Any]) -> Any:
    if kind == "rules" and "statement" in texts:
        numbers = {n: getattr(record, n) for n in ("min", "max", "unit", "values", "parameters")}
        texts = {**texts, "statement": texts["statement"].format(**numbers, **record.parameters)}
    return replace(record, **texts)
